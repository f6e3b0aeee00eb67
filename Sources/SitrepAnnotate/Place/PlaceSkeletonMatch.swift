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
        var cache = SkeletonTable()
        return doc.tokens.withUnsafeBufferPointer { tokens in
            doc.bytes.withUnsafeBufferPointer { bytes in
                fuzzyMatch(tokens, bytes, at: i, longerThan: minEnd, &cache, articles: Self.k.articleKeys, dash: Self.k.dash)
            }
        }
    }

    /// The article words as a set behind a 64-bit filter (most words are rejected by one bit test
    /// before the set is probed: the run steps test every word they read).
    struct ArticleKeys: Sendable {
        let set: KeySet
        let bits: UInt64

        init(_ keys: [UInt64]) {
            set = KeySet(keys)
            var b: UInt64 = 0
            for k in keys { b |= 1 &<< (k & 63) }
            bits = b
        }

        @inline(__always)
        func contains(_ key: UInt64) -> Bool { bits & (1 &<< (key & 63)) != 0 && set.contains(key) }
    }

    /// How a run of words read for a spelling skeleton (starting at `i`) treats token `j`:
    /// passed over (a joining dash, an article), read, or the run's end.
    enum RunStep { case skip, word, stop }

    @inline(__always)
    func runStep(_ tokens: UnsafeBufferPointer<Token>, from i: Int, at j: Int, dash: UInt64, articles: ArticleKeys) -> RunStep {
        let t = tokens[j]
        guard j > i else { return articles.contains(t.key) ? .skip : .word }
        if t.flags.contains(.sentenceStart) || t.flags.contains(.boilerplate) { return .stop }
        if t.key == dash, !t.flags.contains(.spaceBefore) { return .skip }
        if t.kind == .word, articles.contains(t.key) { return .skip }
        guard isCapitalizedWord(t), t.flags.contains(.spaceBefore) || tokens[j - 1].key == dash else { return .stop }
        return .word
    }

    /// The index entry a skeleton names (-1: none, or too short to be probed).
    @inline(__always)
    func skeletonEntry(_ builder: NameSkeleton.Builder) -> Int {
        guard builder.count >= NameSkeleton.minimumLength, let e = gazetteer.entry(builder.key), gazetteer.hasPostings(e)
        else { return -1 }
        return e
    }

    /// (`articles`, `dash`: `Self.k.articles`, `Self.k.dash`, passed in by the caller, which reads
    /// the key tables once per document, not once per call)
    func fuzzyMatch(_ tokens: UnsafeBufferPointer<Token>, _ bytes: UnsafeBufferPointer<UInt8>, at i: Int,
                    longerThan minEnd: Int, _ cache: inout SkeletonTable, articles: ArticleKeys, dash: UInt64)
        -> (end: Int, entry: Int, key: UInt64)?
    {
        let n = tokens.count
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
                if let known = cache.word(t.key) {
                    guard let b = known.builder else { break }
                    builder = b
                    entry = known.entry
                } else {
                    if !builder.feed(word: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])) {
                        cache.addWord(t.key, nil, -1)
                        break
                    }
                    entry = skeletonEntry(builder)
                    cache.addWord(t.key, builder, entry)
                }
                j += 1
                if j > minEnd, entry >= 0 { best = (j, entry, builder.key) }
                continue
            }
            // a later word: the state after it, read once per (state, word)
            let stepKey = SkeletonTable.stepKey(builder, t.key)
            var entry = -1
            if let known = cache.step(stepKey, from: builder, word: t.key) {
                guard let b = known.builder else { break }
                builder = b
                entry = known.entry
            } else {
                let from = builder
                let fed: NameSkeleton.Builder? =
                    builder.feed(word: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])) ? builder : nil
                entry = fed.map { skeletonEntry($0) } ?? -1
                cache.addStep(stepKey, from: from, word: t.key, fed, entry)
                guard let b = fed else { break }
                builder = b
            }
            j += 1
            if j > minEnd, entry >= 0 { best = (j, entry, builder.key) }
        }
        return best
    }
}
