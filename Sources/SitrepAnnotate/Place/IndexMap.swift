/// A map from token or phrase keys to small integer indices: open addressing over two flat
/// arrays, concrete (not generic), so the hot path compiles to a multiply, a mask and a compare.
struct IndexMap: Sendable {
    private let keys: [UInt64]
    private let values: [Int32]  // -1 = empty
    private let mask: Int

    init(_ pairs: [(UInt64, Int)]) {
        var size = 8
        while size < pairs.count * 2 + 2 { size <<= 1 }
        var keys = [UInt64](repeating: 0, count: size)
        var values = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for (key, value) in pairs {
            var s = Self.slot(key, mask)
            while values[s] >= 0 && keys[s] != key { s = (s + 1) & mask }
            keys[s] = key
            values[s] = Int32(clamping: value)
        }
        self.keys = keys
        self.values = values
        self.mask = mask
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    subscript(_ key: UInt64) -> Int? {
        var s = Self.slot(key, mask)
        while values[s] >= 0 {
            if keys[s] == key { return Int(values[s]) }
            s = (s + 1) & mask
        }
        return nil
    }
}

/// A growable map from keys to small non-negative integers, built per document: the concrete,
/// non-generic counterpart of `IndexMap` (a generic map across modules costs a metadata look-up
/// and value-witness calls per probe).
struct GrowingIndexMap {
    private var keys: [UInt64]
    private var values: [Int32]  // -1 = empty
    private var mask: Int
    private(set) var count = 0

    /// A map without storage, to be swapped for a real one before any use (its arrays are the
    /// empty-array singleton, whose reference count nothing writes: a placeholder made per use
    /// costs no allocation and no write to memory another thread shares).
    static var placeholder: GrowingIndexMap { GrowingIndexMap(keys: [], values: [], mask: 0) }

    private init(keys: [UInt64], values: [Int32], mask: Int) {
        self.keys = keys
        self.values = values
        self.mask = mask
    }

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 + 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Empties the map for another document, keeping its storage when that fits `capacity`
    /// (lookups do not depend on the table's size; nothing iterates it): no allocation per use.
    mutating func reset(capacity: Int) {
        var size = 16
        while size < capacity * 2 + 2 { size <<= 1 }
        guard keys.count >= size, keys.count <= Swift.max(size, 4096) else {
            self = GrowingIndexMap(capacity: capacity)
            return
        }
        if count > 0 { values.withUnsafeMutableBufferPointer { $0.update(repeating: -1) } }
        count = 0
    }

    @inline(__always)
    subscript(_ key: UInt64) -> Int? {
        var s = IndexMap.slot(key, mask)
        while values[s] >= 0 {
            if keys[s] == key { return Int(values[s]) }
            s = (s + 1) & mask
        }
        return nil
    }

    /// Set use: whether the key is present; add it (with value 0 when new).
    @inline(__always)
    func contains(_ key: UInt64) -> Bool { self[key] != nil }

    /// Sets bits in a key's value (a bit set per key); adds the key with those bits when new.
    mutating func formUnion(_ key: UInt64, _ bits: Int) {
        var s = IndexMap.slot(key, mask)
        while values[s] >= 0 {
            if keys[s] == key {
                values[s] |= Int32(truncatingIfNeeded: bits)
                return
            }
            s = (s + 1) & mask
        }
        insert(key, bits)
    }

    mutating func insert(_ key: UInt64) {
        if self[key] == nil { insert(key, 0) }
    }

    /// Adds a key (a key already present takes the new value).
    mutating func insert(_ key: UInt64, _ value: Int) {
        if (count + 1) * 2 > keys.count {
            let oldKeys = keys, oldValues = values
            keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
            values = [Int32](repeating: -1, count: oldKeys.count * 2)
            mask = keys.count - 1
            count = 0
            for s in oldKeys.indices where oldValues[s] >= 0 { insert(oldKeys[s], Int(oldValues[s])) }
        }
        var s = IndexMap.slot(key, mask)
        while values[s] >= 0 {
            if keys[s] == key {
                values[s] = Int32(clamping: value)
                return
            }
            s = (s + 1) & mask
        }
        keys[s] = key
        values[s] = Int32(clamping: value)
        count += 1
    }
}
