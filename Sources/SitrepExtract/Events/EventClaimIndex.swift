import SitrepAnnotate
import SitrepText

// Claims by sentence, and the small shared helpers of the event stage.
extension EventExtractor {
    /// For each sentence, in list order, the claims whose content overlaps it or whose reporting
    /// verb lies inside it: found per claim by binary search over the sentences, so an article of
    /// many sentences and many claims costs their sum, not their product.
    static func claimsBySentence(_ doc: Document, _ claims: [Claim]) -> [[Int]] {
        let index = claimIndex(doc, claims)
        return (0..<index.count).map { Array(index[$0]) }
    }

    /// `claimsBySentence` in one flat buffer (what `extract` uses).
    static func claimIndex(_ doc: Document, _ claims: [Claim]) -> SentenceLists {
        var pairs: [(sentence: Int, index: Int)] = []
        pairs.reserveCapacity(claims.count + claims.count / 2)
        let n = doc.sentences.count
        // (sentences read through an unsafe view: no bounds check per step of the walks)
        doc.sentences.withUnsafeBufferPointer { sentences in
        /// The first sentence ending after byte `b`, walked to from `hint` (the answer for the
        /// previous claim: claims come in text order, so the walk is short); sentences end in
        /// order, so this is the sentence a binary search finds.
        func firstEnding(after b: Int, from hint: Int) -> Int {
            var s = Swift.min(Swift.max(hint, 0), n)
            while s > 0 && sentences[s - 1].span.end > b { s -= 1 }
            while s < n && sentences[s].span.end <= b { s += 1 }
            return s
        }
        var contentHint = 0, verbHint = 0
        // per claim, the sentences near its content, then those near its verb: a sentence of the
        // second walk that the first walk tested already was taken then if at all (the test is
        // the same), so it is skipped; no sentence is listed twice
        for ci in claims.indices {
            let content = claims[ci].content, verbSpan = claims[ci].verbSpan
            var s = firstEnding(after: content.start, from: contentHint)
            contentHint = s
            let first = s
            while s < n && sentences[s].span.start <= content.end {
                let span = sentences[s].span
                if content.overlaps(span) || span.contains(verbSpan) { pairs.append((s, ci)) }
                s += 1
            }
            let firstEnd = s
            s = firstEnding(after: verbSpan.start, from: verbHint)
            verbHint = s
            while s < n && sentences[s].span.start <= verbSpan.end {
                if s < first || s >= firstEnd {
                    let span = sentences[s].span
                    if content.overlaps(span) || span.contains(verbSpan) { pairs.append((s, ci)) }
                }
                s += 1
            }
        }
        }
        return SentenceLists(sentences: n, pairs: pairs)
    }
}

/// A place tagger held by reference (read in place, never copied).
final class PlaceBox: Sendable {
    let tagger: PlaceTagger

    init(_ tagger: PlaceTagger) { self.tagger = tagger }
}

/// Assigns small integer ids to names in first-seen order.
struct Interner {
    private(set) var names: [String] = []
    private var ids: [String: Int] = [:]

    mutating func id(_ name: String) -> Int {
        if let id = ids[name] { return id }
        let id = names.count
        names.append(name)
        ids[name] = id
        return id
    }
}
