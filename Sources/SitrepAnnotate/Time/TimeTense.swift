import SitrepText

/// Grammatical time of the clause around an expression, from the nearest tense marker.
enum Tense {
    case past, future, none
}

extension TimeTagger {
    static let toKey = TokenTrie<Int>.keys(of: "to").first ?? 0

    /// Words after which an "-ed" form is a participle, not a past tense.
    static let participleCue = KeySet(["be", "been", "being", "to", "get", "got"].compactMap { TokenTrie<Int>.keys(of: $0).first })

    /// The tense nearest to tokens `lo..<hi` inside their sentence: the closest future marker
    /// ("will", "plans", "expected") or past marker ("said", "was", an "-ed" verb) wins.
    func tense(_ doc: Document, lo: Int, hi: Int, sentence: Int) -> Tense {
        guard sentence < doc.sentences.count else { return .none }
        let range = doc.sentences[sentence].tokens
        // "by May", "until January": a deadline lies ahead.
        // Not in a past-perfect clause ("had filed their reports by Wednesday").
        if lo > range.lowerBound, tables.singleKeys[deadlineTable].contains(doc.tokens[lo - 1].key),
            !range.contains(where: { perfectKeys.contains(doc.tokens[$0].key) }) { return .future }
        // (the tables and static keys read once, not once per token looked at)
        let past = tables.singleKeys[pastTable], future = tables.singleKeys[futureTable]
        let intent = tables.singleKeys[intentTable]
        let toKey = TimeTagger.toKey, participleCue = TimeTagger.participleCue
        let tokens = doc.tokens, bytes = doc.bytes
        /// The tense token `j` marks, if any.
        func marker(_ j: Int) -> Tense? {
            let t = tokens[j]
            guard t.kind == .word else { return nil }
            if j + 1 < range.upperBound, tokens[j + 1].key == toKey, intent.contains(t.key) { return .future }
            if future.contains(t.key) { return .future }
            // A participle after "be"/"been"/"to" ("will be held") says nothing about tense.
            if j > 0 && participleCue.contains(tokens[j - 1].key) { return nil }
            if past.contains(t.key) { return .past }
            if t.length >= 5, !t.isCapitalized || t.has(.sentenceStart) {
                let e = Int(t.end)
                if bytes[e - 1] == 100, bytes[e - 2] == 101 { return .past }  // "-ed"
            }
            return nil
        }
        // The closest marker wins; at equal distance, the one on the left.
        var d = 1
        while true {
            let left = lo - d
            let right = hi - 1 + d
            if left < range.lowerBound && right >= range.upperBound { break }
            if left >= range.lowerBound, let f = marker(left) { return f }
            if right < range.upperBound, let f = marker(right) { return f }
            d += 1
        }
        return .none
    }
}
