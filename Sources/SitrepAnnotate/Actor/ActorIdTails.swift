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
        var s = suffix
        let (hash, parts) = s.withUTF8 { b -> (UInt64, Int) in
            var dots = 0
            for c in b where c == 0x2E { dots += 1 }
            return (IdTails.hash(b, from: 0), dots + 1)
        }
        self.hash = hash
        self.parts = parts <= IdTails.depth ? parts : 0
    }
}

enum IdTails {
    /// How many trailing parts of an id are hashed.
    static let depth = 3

    /// FNV-1a of `bytes[from...]`, never 0 (0 marks "the id has fewer parts").
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = from
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3
            i += 1
        }
        return h | 1
    }

    /// Appends the hashes of the last one, two and three parts of `id` (0 for parts it lacks).
    static func append(_ id: String, to out: inout [UInt64]) {
        var s = id
        s.withUTF8 { b in
            // the starts of the last parts: after the last dot, the one before it, ...
            var found = 0
            var i = b.count - 1
            while i >= 0 && found < depth {
                if b[i] == 0x2E {
                    out.append(hash(b, from: i + 1))
                    found += 1
                }
                i -= 1
            }
            // the whole id is the last part counted when fewer dots precede it
            if found < depth {
                out.append(hash(b, from: 0))
                found += 1
            }
            while found < depth {
                out.append(0)
                found += 1
            }
        }
    }
}
