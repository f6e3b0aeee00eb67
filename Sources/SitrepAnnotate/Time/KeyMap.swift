import SitrepText

/// A small open-addressing map from token keys (already well-mixed FNV hashes) to Int32, built
/// once at load time. Lookups are a mask, a compare and rarely a probe: no `Hasher` on the hot path.
struct KeyMap: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var used: [Bool]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 8) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        used = [Bool](repeating: false, count: size)
        mask = size - 1
    }

    init(_ pairs: [(UInt64, Int32)]) {
        self.init(capacity: pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key ^ (key >> 29) ^ (key >> 47))) & mask
    }

    subscript(key: UInt64) -> Int32? {
        @inline(__always) get {
            var i = KeyMap.slot(key, mask)
            while used[i] {
                if keys[i] == key { return values[i] }
                i = (i + 1) & mask
            }
            return nil
        }
        set {
            guard let v = newValue else { return }  // removal is never needed
            if (count + 1) * 2 > keys.count { grow() }
            var i = KeyMap.slot(key, mask)
            while used[i] {
                if keys[i] == key {
                    values[i] = v
                    return
                }
                i = (i + 1) & mask
            }
            used[i] = true
            keys[i] = key
            values[i] = v
            count += 1
        }
    }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool { self[key] != nil }

    private mutating func grow() {
        let old = zip(keys, zip(values, used)).filter { $0.1.1 }.map { ($0.0, $0.1.0) }
        var size = keys.count * 2
        while size < (old.count + 1) * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        used = [Bool](repeating: false, count: size)
        mask = size - 1
        count = 0
        for (k, v) in old { self[k] = v }
    }
}
