import Foundation
import SitrepGazetteer
import SitrepLanguage
import SitrepText

// Recognition by spelling skeleton: romanized names the exact index lacks.
extension PlaceTagger {
    /// The longest name run from token `i` (capitalized words joined by Arabic article words and
    /// hyphens: "Deir-ez-Zor", "Jisr ash-Shugur", "Khan Shaykun") ending after `minEnd` whose
    /// spelling skeleton the gazetteer indexes (romanized countries only, see `NameSkeleton`).
    /// One pass over the tokens' bytes, no allocation (a letter that does not fold to ASCII ends the run).
    func fuzzyMatch(_ doc: Document, at i: Int, longerThan minEnd: Int) -> (end: Int, entry: Int, key: UInt64)? {
        var cache = SkeletonCache()
        return fuzzyMatch(doc, at: i, longerThan: minEnd, &cache, articles: Self.k.articles)
    }

    /// Per document: the skeleton of each word met first in a run (by token key: the same folded
    /// text gives the same skeleton), with the index entry it names (-1: none), or nil when the
    /// word does not fold to ASCII letters. Names repeat; their letters are read once.
    struct SkeletonCache {
        var slot = GrowingIndexMap(capacity: 32)
        /// (plain data: the builder holds no reference)
        var words: [(builder: NameSkeleton.Builder?, entry: Int)]

        init() {
            words = []
            words.reserveCapacity(32)
        }

        mutating func add(_ key: UInt64, _ builder: NameSkeleton.Builder?, _ entry: Int) {
            slot.insert(key, words.count)
            words.append((builder, entry))
        }
    }

    /// The dash's token key (a plain value: no copy of the key tables).
    static let dashKey = Fold.key("-")

    /// How a run of words read for a spelling skeleton (starting at `i`) treats token `j`:
    /// passed over (a joining dash, an article), read, or the run's end.
    enum RunStep { case skip, word, stop }

    @inline(__always)
    func runStep(_ tokens: [Token], from i: Int, at j: Int, dash: UInt64, articles: KeySet) -> RunStep {
        let t = tokens[j]
        guard j > i else { return articles.contains(t.key) ? .skip : .word }
        if t.flags.contains(.sentenceStart) || t.flags.contains(.boilerplate) { return .stop }
        if t.key == dash, !t.flags.contains(.spaceBefore) { return .skip }
        if t.kind == .word, articles.contains(t.key) { return .skip }
        guard isCapitalizedWord(t), t.flags.contains(.spaceBefore) || tokens[j - 1].key == dash else { return .stop }
        return .word
    }

    /// (`articles`: `Self.k.articles`, passed in by the caller, which reads the key tables once
    /// per document, not once per call)
    func fuzzyMatch(_ doc: Document, at i: Int, longerThan minEnd: Int, _ cache: inout SkeletonCache, articles: KeySet)
        -> (end: Int, entry: Int, key: UInt64)?
    {
        let tokens = doc.tokens
        let n = tokens.count
        let dash = Self.dashKey
        // Acronyms ("HTS", "YPG") are no romanized names; a short word alone cannot reach the
        // skeleton's minimum length (each letter gives at most one character).
        let first = tokens[i]
        if first.flags.contains(.allCaps) && first.length <= 5 { return nil }
        if first.length < NameSkeleton.minimumLength, i + 1 >= n || tokens[i + 1].flags.contains(.sentenceStart)
            || !(tokens[i + 1].key == dash || isCapitalizedWord(tokens[i + 1])
                || (tokens[i + 1].kind == .word && articles.contains(tokens[i + 1].key)))
        {
            return nil
        }
        // Where the run of words could end at most (the same steps as below, no letters read): a
        // run that cannot pass `minEnd` cannot give a longer name (a known name already covers it).
        if minEnd > i {
            var j = i
            while j < n, j - i < 7, runStep(tokens, from: i, at: j, dash: dash, articles: articles) != .stop { j += 1 }
            if j <= minEnd { return nil }
        }
        var builder = NameSkeleton.Builder()
        var best: (end: Int, entry: Int, key: UInt64)?
        var j = i
        doc.bytes.withUnsafeBufferPointer { bytes in
            while j < n, j - i < 7 {
                // a leading article ("Al-Zakah") and joining dashes are no part of the skeleton
                let step = runStep(tokens, from: i, at: j, dash: dash, articles: articles)
                if step == .stop { break }
                if step == .skip {
                    j += 1
                    continue
                }
                let t = tokens[j]
                let span = t.span
                guard span.start >= 0, span.end <= bytes.count else { break }
                if j == i {
                    // the run's first word: from a fresh builder, so its skeleton is the word's own
                    var entry = -1
                    if let s = cache.slot[t.key] {
                        guard let b = cache.words[s].builder else { break }
                        builder = b
                        entry = cache.words[s].entry
                    } else {
                        if !builder.feed(word: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])) {
                            cache.add(t.key, nil, -1)
                            break
                        }
                        if builder.count >= NameSkeleton.minimumLength, let e = gazetteer.entry(builder.key),
                            gazetteer.hasPostings(e)
                        {
                            entry = e
                        }
                        cache.add(t.key, builder, entry)
                    }
                    j += 1
                    if j > minEnd, entry >= 0 { best = (j, entry, builder.key) }
                    continue
                }
                if !builder.feed(word: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])) { break }
                j += 1
                if j > minEnd, builder.count >= NameSkeleton.minimumLength, let e = gazetteer.entry(builder.key),
                    gazetteer.hasPostings(e)
                {
                    best = (j, e, builder.key)
                }
            }
        }
        return best
    }
}
