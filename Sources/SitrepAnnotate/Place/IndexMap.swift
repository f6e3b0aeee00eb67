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

    subscript(_ key: UInt64) -> Int? {
        var s = Self.slot(key, mask)
        while values[s] >= 0 {
            if keys[s] == key { return Int(values[s]) }
            s = (s + 1) & mask
        }
        return nil
    }
}
