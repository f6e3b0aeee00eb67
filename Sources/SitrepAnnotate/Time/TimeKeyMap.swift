import SitrepText

/// A small open-addressing map from token keys (already well-mixed FNV hashes) to Int32, built
/// once at load time. Lookups are a mask, a compare and rarely a probe: no `Hasher` on the hot
/// path, and one array (one reference) per map.
struct TimeKeyMap: Sendable {
    struct Slot: Sendable {
        var key: UInt64
        var value: Int32
        var used: Bool
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 4) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, value: -1, used: false), count: size)
        mask = size - 1
    }

    init(_ pairs: [(UInt64, Int32)]) {
        self.init(capacity: pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: key ^ (key >> 29) ^ (key >> 47)) & mask
    }

    subscript(key: UInt64) -> Int32? {
        @inline(__always) get {
            slots.withUnsafeBufferPointer { s in
                var i = TimeKeyMap.slot(key, mask)
                while s[i].used {
                    if s[i].key == key { return s[i].value }
                    i = (i + 1) & mask
                }
                return nil
            }
        }
        set {
            guard let v = newValue else { return }  // removal is never needed
            if (count + 1) * 2 > slots.count { grow() }
            var i = TimeKeyMap.slot(key, mask)
            while slots[i].used {
                if slots[i].key == key {
                    slots[i].value = v
                    return
                }
                i = (i + 1) & mask
            }
            slots[i] = Slot(key: key, value: v, used: true)
            count += 1
        }
    }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool { self[key] != nil }

    /// The slot array and mask, for copying into a shared table (`KeyRef`).
    var rawSlots: [Slot] { slots }
    var rawMask: Int { mask }

    /// Looks `key` up in a map copied into a shared slot table at `ref`.
    @inline(__always)
    static func find(_ s: UnsafeBufferPointer<Slot>, _ ref: KeyRef, _ key: UInt64) -> Int32? {
        let mask = Int(ref.mask)
        guard mask >= 0 else { return nil }
        let base = Int(ref.base)
        var i = slot(key, mask)
        while true {
            let sl = s[base + i]
            if !sl.used { return nil }
            if sl.key == key { return sl.value }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots.filter(\.used)
        var size = slots.count * 2
        while size < (old.count + 1) * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, value: -1, used: false), count: size)
        mask = size - 1
        count = 0
        for s in old { self[s.key] = s.value }
    }
}

/// A `TimeKeyMap` copied into a shared slot table: where it starts and its mask (-1: empty).
struct KeyRef: Sendable {
    var base: Int32 = 0
    var mask: Int32 = -1
}
