import SitrepText

/// One attribution read twice is one claim. Two constructions of a sentence can attribute the
/// same content to the same speaker: two passive cues ("X was also said to have ... and had
/// reportedly ..."), or a verb with the speaker's own source inside ("Putin said that according
/// to Moscow's information, the toll was ..."). A later claim is a duplicate of an earlier one
/// when both have the same claimant and stance and
/// - the same content, or
/// - one is the speaker's own source (the construction marked `+speaker-source`) inside the
///   other's content, read from the same speaker mention.
/// Other claims inside a claim's content stay: a second verb of the same speaker ("said two
/// civilians were killed, and blamed Armenian forces") is a second speech act, and a speaker
/// mention of its own ("the agency called for the release of workers who it says are held") a
/// claim of its own.
enum DuplicateClaims {
    static let speakerSource = "+speaker-source"

    /// A bucket key for (claimant id, stance, span): the span and the two strings' lengths (every
    /// bucket is checked field by field, so a shared key only costs a comparison).
    static func key(_ id: String, _ stance: String, _ span: Span) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        h = (h ^ UInt64(id.utf8.count)) &* 0x100_0000_01b3
        h = (h ^ UInt64(stance.utf8.count)) &* 0x100_0000_01b3
        h = (h ^ UInt64(UInt(bitPattern: span.start))) &* 0x100_0000_01b3
        h = (h ^ UInt64(UInt(bitPattern: span.end))) &* 0x100_0000_01b3
        return h
    }

    static func duplicate(_ later: Claim, of earlier: Claim) -> Bool {
        guard later.claimant.id == earlier.claimant.id, later.stance == earlier.stance else { return false }
        if later.content == earlier.content { return true }
        guard later.claimantSpan == earlier.claimantSpan else { return false }
        if later.rule.contains(speakerSource) { return earlier.content.contains(later.content) }
        if earlier.rule.contains(speakerSource) { return later.content.contains(earlier.content) }
        return false
    }

    /// Drops duplicates (the first reading stays, taking the dropped one's `about` when it has
    /// none) and remaps `denies`. Up to `pairwiseLimit` claims every pair is compared in place;
    /// more take `mergeHashed` (linear), which gives the same result.
    static func merge(_ claims: inout [Claim]) {
        let n = claims.count
        guard n > 1 else { return }
        if n > pairwiseLimit {
            mergeHashed(&claims)
            return
        }
        // Few claims (the usual case): every kept earlier claim is tested in index order, two
        // integer span tests first; no dictionary, no claim copied. The earliest kept claim that
        // `duplicate` accepts is what the hashed path finds (its two chains hold exactly the kept
        // claims with the same content, or the same speaker mention, that `duplicate` needs).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { keptAs in
            var dropped = 0
            claims.withUnsafeBufferPointer { c in
                for i in 0..<n {
                    keptAs[i] = i
                    let content = c[i].content, speaker = c[i].claimantSpan
                    var k = 0
                    while k < i {
                        if keptAs[k] == k && (c[k].content == content || c[k].claimantSpan == speaker)
                            && duplicate(c, i, of: k)
                        {
                            keptAs[i] = k
                            dropped += 1
                            break
                        }
                        k += 1
                    }
                }
            }
            guard dropped > 0 else { return }
            // the first reading takes a dropped one's `about` when it has none, in index order
            // (a dropped claim's own `about` is never changed)
            for i in 0..<n where keptAs[i] != i {
                let k = keptAs[i]
                if claims[k].about == nil { claims[k].about = claims[i].about }
            }
            var newIndex = [Int](repeating: -1, count: n)
            var kept: [Int] = []
            kept.reserveCapacity(n - dropped)
            for i in 0..<n where keptAs[i] == i {
                newIndex[i] = kept.count
                kept.append(i)
            }
            claims = kept.map { i in
                var c = claims[i]
                c.denies = c.denies.map { newIndex[keptAs[$0]] }
                return c
            }
        }
    }

    /// Up to this many claims `merge` compares pairs; above it, it buckets by hash (linear).
    static let pairwiseLimit = 64

    /// `duplicate(c[later], of: c[earlier])`, read in place (no claim copied).
    static func duplicate(_ c: UnsafeBufferPointer<Claim>, _ later: Int, of earlier: Int) -> Bool {
        guard c[later].stance == c[earlier].stance, c[later].claimant.id == c[earlier].claimant.id else { return false }
        if c[later].content == c[earlier].content { return true }
        guard c[later].claimantSpan == c[earlier].claimantSpan else { return false }
        if c[later].rule.contains(speakerSource) { return c[earlier].content.contains(c[later].content) }
        if c[earlier].rule.contains(speakerSource) { return c[later].content.contains(c[earlier].content) }
        return false
    }

    /// `merge` for many claims: earlier readings are found by hash (same content, or same
    /// speaker mention), not by comparing every pair.
    static func mergeHashed(_ claims: inout [Claim]) {
        guard claims.count > 1 else { return }
        // Keys are FNV hashes of (claimant id, stance, span), each bucket checked field by field
        // (hashing an 8-byte key, not two strings and a span, per look-up).
        func same(_ k: Int, _ id: String, _ stance: String, _ span: Span, content: Bool) -> Bool {
            (content ? claims[k].content : claims[k].claimantSpan) == span && claims[k].claimant.id == id
                && claims[k].stance == stance
        }
        // Buckets as chains in insertion order: key → (first, last) claim, `next*[i]` the claim
        // after i in its bucket (-1: none). No array per bucket.
        var byContent: [UInt64: (first: Int, last: Int)] = Dictionary(minimumCapacity: claims.count)
        var bySpeaker: [UInt64: (first: Int, last: Int)] = Dictionary(minimumCapacity: claims.count)
        var nextContent = [Int](repeating: -1, count: claims.count)
        var nextSpeaker = [Int](repeating: -1, count: claims.count)
        var keptAs = [Int](repeating: -1, count: claims.count)
        var kept: [Int] = []
        for i in claims.indices {
            let c = claims[i]
            let contentKey = key(c.claimant.id, c.stance, c.content)
            let speakerKey = key(c.claimant.id, c.stance, c.claimantSpan)
            var earliest: Int?
            var k = byContent[contentKey]?.first ?? -1
            while k >= 0 {
                if same(k, c.claimant.id, c.stance, c.content, content: true) {
                    earliest = k
                    break
                }
                k = nextContent[k]
            }
            k = bySpeaker[speakerKey]?.first ?? -1
            while k >= 0 {
                if k < (earliest ?? Int.max) && same(k, c.claimant.id, c.stance, c.claimantSpan, content: false)
                    && duplicate(c, of: claims[k])
                {
                    earliest = k
                    break
                }
                k = nextSpeaker[k]
            }
            if let k = earliest {
                keptAs[i] = k
                if claims[k].about == nil { claims[k].about = c.about }
            } else {
                keptAs[i] = i
                kept.append(i)
                if let b = byContent[contentKey] {
                    nextContent[b.last] = i
                    byContent[contentKey] = (b.first, i)
                } else {
                    byContent[contentKey] = (i, i)
                }
                if let b = bySpeaker[speakerKey] {
                    nextSpeaker[b.last] = i
                    bySpeaker[speakerKey] = (b.first, i)
                } else {
                    bySpeaker[speakerKey] = (i, i)
                }
            }
        }
        guard kept.count < claims.count else { return }
        var newIndex = [Int](repeating: -1, count: claims.count)
        for (n, i) in kept.enumerated() { newIndex[i] = n }
        claims = kept.map { i in
            var c = claims[i]
            c.denies = c.denies.map { newIndex[keptAs[$0]] }
            return c
        }
    }
}
