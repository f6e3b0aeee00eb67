/// A set of token keys with open addressing and a multiplicative hash: the membership test
/// that lexicon look-ups do once per token, without SipHash. Read-only after construction.
public struct KeySet: Sendable, Hashable {
    @usableFromInline var slots: [UInt64]
    @usableFromInline var used: [Bool]
    @usableFromInline var mask: Int
    public private(set) var count = 0

    public init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        let list = Array(keys)
        var capacity = 16
        while capacity < list.count * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        used = [Bool](repeating: false, count: capacity)
        mask = capacity - 1
        for k in list { insert(k) }
    }

    public init() { self.init([]) }

    /// The keys of single words (folded like document tokens).
    public init(words: [String]) { self.init(words.map(Fold.key)) }

    public var isEmpty: Bool { count == 0 }

    @inlinable @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    public mutating func insert(_ key: UInt64) {
        if (count + 1) * 2 > slots.count {
            var old: [UInt64] = []
            old.reserveCapacity(count)
            for s in 0..<slots.count where used[s] { old.append(slots[s]) }
            let capacity = slots.count * 2
            slots = [UInt64](repeating: 0, count: capacity)
            used = [Bool](repeating: false, count: capacity)
            mask = capacity - 1
            count = 0
            for k in old { insert(k) }
        }
        var s = Self.slot(key, mask)
        while used[s] {
            if slots[s] == key { return }
            s = (s + 1) & mask
        }
        slots[s] = key
        used[s] = true
        count += 1
    }

    /// Inlinable, so a test in another module is a few instructions, not a call.
    @inlinable @inline(__always)
    public func contains(_ key: UInt64) -> Bool {
        var s = Self.slot(key, mask)
        while used[s] {
            if slots[s] == key { return true }
            s = (s + 1) & mask
        }
        return false
    }
}
