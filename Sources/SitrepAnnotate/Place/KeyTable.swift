/// An immutable open-addressing map from 64-bit token or phrase keys (already well-mixed FNV or
/// phrase hashes) to values: one masked probe, no re-hashing. Key 0 is reserved for empty slots.
struct KeyMap<Value: Sendable>: Sendable {
    private let keys: [UInt64]
    private let values: [Value?]
    private let mask: Int
    let count: Int

    init(_ pairs: [(UInt64, Value)]) {
        var cap = 8
        while cap < pairs.count * 2 + 2 { cap <<= 1 }
        var keys = [UInt64](repeating: 0, count: cap)
        var values = [Value?](repeating: nil, count: cap)
        let mask = cap - 1
        var n = 0
        for (key0, value) in pairs {
            let key = key0 == 0 ? 1 : key0
            var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
            while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
            if keys[slot] == 0 { n += 1 }
            keys[slot] = key
            values[slot] = value
        }
        self.keys = keys
        self.values = values
        self.mask = mask
        self.count = n
    }

    subscript(_ key0: UInt64) -> Value? {
        let key = key0 == 0 ? 1 : key0
        var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
        while true {
            let k = keys[slot]
            if k == key { return values[slot] }
            if k == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}

/// A set of 64-bit keys with the same layout as `KeyMap`.
struct KeySet: Sendable {
    private let map: KeyMap<Bool>

    init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        map = KeyMap(keys.map { ($0, true) })
    }

    func contains(_ key: UInt64) -> Bool { map[key] != nil }
    var isEmpty: Bool { map.count == 0 }
}
