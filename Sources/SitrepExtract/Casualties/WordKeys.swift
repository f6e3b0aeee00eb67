/// A read-only set of token keys (open addressing, multiplicative hash), internal to this module
/// so that its membership test inlines where the casualty reader uses it: SitrepText's `KeySet`
/// is reached across modules, one call per test.
struct WordKeys: Sendable {
    private var slots: [UInt64]
    private var used: [Bool]
    private var mask: Int

    init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        let list = Array(keys)
        var capacity = 16
        while capacity < list.count * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        used = [Bool](repeating: false, count: capacity)
        mask = capacity - 1
        for key in list {
            var s = Self.slot(key, mask)
            while used[s] && slots[s] != key { s = (s + 1) & mask }
            slots[s] = key
            used[s] = true
        }
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        var s = Self.slot(key, mask)
        while used[s] {
            if slots[s] == key { return true }
            s = (s + 1) & mask
        }
        return false
    }
}
