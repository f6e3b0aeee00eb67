/// Antecedent tests on integers. "The ministry" refers back to the nearest earlier actor whose id
/// is, or ends with ".", one of the organ's suffixes ("GOV.MFA"): an id matches a suffix of `p`
/// dot-separated parts exactly when the id's last `p` parts are the suffix. The ids of the readings
/// found are hashed once (their last one, two and three parts); a query then compares integers,
/// and compares strings only when the hashes agree (or for a suffix of more than three parts).
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

    /// Writes the hashes of the last one, two and three parts of `id` to `out[at ..< at + 3]`
    /// (`reversedHash` of each; 0 for parts it lacks), in one pass from its end.
    static func write(_ id: String, to out: inout [UInt64], at: Int) {
        var h = seed
        var found = 0
        for c in id.utf8.reversed() {
            if c == 0x2E {
                out[at + found] = h | 1
                found += 1
                if found == depth { return }
            }
            h = (h ^ UInt64(c)) &* prime
        }
        out[at + found] = h | 1
        found += 1
        while found < depth {
            out[at + found] = 0
            found += 1
        }
    }
}
