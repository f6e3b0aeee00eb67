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
        let past = pastTable, future = futureTable, intent = intentTable
        let range = doc.sentences[sentence].tokens
        // "by May", "until January": a deadline lies ahead.
        // Not in a past-perfect clause ("had filed their reports by Wednesday").
        if lo > range.lowerBound, tables.singleKeys[deadlineTable].contains(doc.tokens[lo - 1].key),
            !range.contains(where: { perfectKeys.contains(doc.tokens[$0].key) }) { return .future }
        var best: (distance: Int, tense: Tense)?
        func consider(_ j: Int, _ distance: Int) {
            let t = doc.tokens[j]
            guard t.kind == .word else { return }
            var found: Tense?
            if j + 1 < range.upperBound, doc.tokens[j + 1].key == TimeTagger.toKey,
                tables.singleKeys[intent].contains(t.key)
            {
                found = .future
            } else if tables.singleKeys[future].contains(t.key) {
                found = .future
            } else if j > 0 && TimeTagger.participleCue.contains(doc.tokens[j - 1].key) {
                // A participle after "be"/"been"/"to" ("will be held") says nothing about tense.
            } else if tables.singleKeys[past].contains(t.key) {
                found = .past
            } else if t.length >= 5, !t.isCapitalized || t.has(.sentenceStart) {
                let e = Int(t.end)
                if doc.bytes[e - 1] == 100, doc.bytes[e - 2] == 101 { found = .past }  // "-ed"
            }
            if let f = found, best.map({ distance < $0.distance }) ?? true { best = (distance, f) }
        }
        var d = 1
        while best == nil || d < (best?.distance ?? 0) {
            let left = lo - d
            let right = hi - 1 + d
            if left < range.lowerBound && right >= range.upperBound { break }
            if left >= range.lowerBound { consider(left, d) }
            if right < range.upperBound { consider(right, d) }
            d += 1
        }
        return best?.tense ?? .none
    }
}
