/// A map from token keys (already well-mixed FNV hashes, see `Fold`) to values, with open
/// addressing over flat arrays and a multiplicative slot function: a look-up is a multiply, a
/// mask and a compare, with no `Hasher`. Built at load time; read on the hot path.
public struct KeyMap<Value: Sendable>: Sendable {
    var keys: [UInt64]
    var values: [Value?]
    var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 8) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
    }

    /// Builds from pairs; a later pair with the same key replaces an earlier one.
    public init(_ pairs: [(UInt64, Value)]) {
        self.init(capacity: pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    public var isEmpty: Bool { count == 0 }

    public subscript(key: UInt64) -> Value? {
        @inline(__always) get {
            var s = Self.slot(key, mask)
            while let v = values[s] {
                if keys[s] == key { return v }
                s = (s + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { return }  // removal is never needed
            if (count + 1) * 2 > keys.count { grow() }
            var s = Self.slot(key, mask)
            while values[s] != nil {
                if keys[s] == key {
                    values[s] = newValue
                    return
                }
                s = (s + 1) & mask
            }
            keys[s] = key
            values[s] = newValue
            count += 1
        }
    }

    @inline(__always)
    public func contains(_ key: UInt64) -> Bool { self[key] != nil }

    mutating func grow() {
        var old: [(UInt64, Value)] = []
        old.reserveCapacity(count)
        for s in 0..<keys.count {
            if let v = values[s] { old.append((keys[s], v)) }
        }
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
        count = 0
        for (k, v) in old { self[k] = v }
    }
}
