/// Antecedent tests on integers. "The ministry" refers back to the nearest earlier actor whose id
/// is, or ends with ".", one of the organ's suffixes ("GOV.MFA"): an id matches a suffix of `p`
/// dot-separated parts exactly when the id's last `p` parts are the suffix. Each reading's id is
/// hashed when its boxed payload is made (its last one, two and three parts; payloads are made
/// once and shared); a query then compares integers, and compares strings only when the hashes
/// agree (or for a suffix of more than three parts).
struct IdSuffixKey: Sendable {
    /// The suffix's hash (never 0).
    let hash: UInt64
    /// Its dot-separated parts (1 ... 3); 0: longer, compared as strings.
    let parts: Int

    init(_ suffix: String) {
        var dots = 0
        for c in suffix.utf8 where c == 0x2E { dots += 1 }
        hash = IdTails.reversedHash(suffix)
        parts = dots + 1 <= IdTails.depth ? dots + 1 : 0
    }
}

enum IdTails {
    /// How many trailing parts of an id are hashed.
    static let depth = 3

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a of a text's bytes read from its end, never 0 (0 marks "not read" or "the id has
    /// fewer parts").
    static func reversedHash(_ text: String) -> UInt64 {
        var h = seed
        for c in text.utf8.reversed() { h = (h ^ UInt64(c)) &* prime }
        return h | 1
    }

    /// The hashes of the last one, two and three parts of `id` (`reversedHash` of each; 0 for
    /// parts it lacks), in one pass from its end.
    static func of(_ id: String) -> Triple {
        var out = Triple()
        var h = seed
        var found = 0
        for c in id.utf8.reversed() {
            if c == 0x2E {
                out[found] = h | 1
                found += 1
                if found == depth { return out }
            }
            h = (h ^ UInt64(c)) &* prime
        }
        out[found] = h | 1
        return out
    }

    /// An id's three tail hashes (`of`), kept with the reading that carries the id.
    struct Triple: Sendable {
        var one: UInt64 = 0, two: UInt64 = 0, three: UInt64 = 0

        /// The hash of the last `parts + 1` parts.
        @inline(__always)
        subscript(_ parts: Int) -> UInt64 {
            get { parts == 0 ? one : parts == 1 ? two : three }
            set {
                if parts == 0 { one = newValue } else if parts == 1 { two = newValue } else { three = newValue }
            }
        }
    }
}
