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
        return doc.tokens.withUnsafeBufferPointer { tokens in
            doc.bytes.withUnsafeBufferPointer { bytes in
                fuzzyMatch(tokens, bytes, at: i, longerThan: minEnd, &cache, articles: Self.k.articles)
            }
        }
    }

    /// Per document: the skeleton of each word met first in a run (by token key: the same folded
    /// text gives the same skeleton), with the index entry it names (-1: none), or nil when the
    /// word does not fold to ASCII letters. Names repeat; their letters are read once. Likewise
    /// each word fed after others (by the state before it and its key): a run read again
    /// ("Khan Shaykhun" named twice) is not read letter by letter again.
    struct SkeletonCache {
        var slot = GrowingIndexMap(capacity: 32)
        /// (plain data: the builder holds no reference)
        var words: [(builder: NameSkeleton.Builder?, entry: Int)]
        /// Continuations: a hash of (state, word key) → index into `steps`, which holds the state
        /// and word it was made from (compared on a hit) and the state after it with its entry.
        var next = GrowingIndexMap(capacity: 32)
        var steps: [(from: NameSkeleton.Builder, word: UInt64, builder: NameSkeleton.Builder?, entry: Int)]

        init() {
            words = []
            words.reserveCapacity(32)
            steps = []
            steps.reserveCapacity(32)
        }

        mutating func add(_ key: UInt64, _ builder: NameSkeleton.Builder?, _ entry: Int) {
            slot.insert(key, words.count)
            words.append((builder, entry))
        }

        @inline(__always)
        static func stepKey(_ from: NameSkeleton.Builder, _ word: UInt64) -> UInt64 {
            Gazetteer.extend(Gazetteer.extend(from.hash, from.state), word)
        }
    }

    /// The dash's token key (a plain value: no copy of the key tables).
    static let dashKey = Fold.key("-")

    /// How a run of words read for a spelling skeleton (starting at `i`) treats token `j`:
    /// passed over (a joining dash, an article), read, or the run's end.
    enum RunStep { case skip, word, stop }

    @inline(__always)
    func runStep(_ tokens: UnsafeBufferPointer<Token>, from i: Int, at j: Int, dash: UInt64, articles: KeySet) -> RunStep {
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

    /// (`articles`: `Self.k.articles`, passed in by the caller, which reads the key tables once
    /// per document, not once per call)
    func fuzzyMatch(_ tokens: UnsafeBufferPointer<Token>, _ bytes: UnsafeBufferPointer<UInt8>, at i: Int,
                    longerThan minEnd: Int, _ cache: inout SkeletonCache, articles: KeySet)
        -> (end: Int, entry: Int, key: UInt64)?
    {
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
                } else if let known = skeletonWords.word(t.key) {
                    // read in an earlier document
                    cache.add(t.key, known.builder, known.entry)
                    guard let b = known.builder else { break }
                    builder = b
                    entry = known.entry
                } else {
                    if !builder.feed(word: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])) {
                        cache.add(t.key, nil, -1)
                        skeletonWords.addWord(t.key, nil, -1)
                        break
                    }
                    entry = skeletonEntry(builder)
                    cache.add(t.key, builder, entry)
                    skeletonWords.addWord(t.key, builder, entry)
                }
                j += 1
                if j > minEnd, entry >= 0 { best = (j, entry, builder.key) }
                continue
            }
            // a later word: the state after it, read once per (state, word)
            let stepKey = SkeletonCache.stepKey(builder, t.key)
            var entry = -1
            if let s = cache.next[stepKey], cache.steps[s].from.hash == builder.hash, cache.steps[s].from.state == builder.state, cache.steps[s].word == t.key {
                guard let b = cache.steps[s].builder else { break }
                builder = b
                entry = cache.steps[s].entry
            } else {
                let from = builder
                var fed: NameSkeleton.Builder?
                if let known = skeletonWords.step(stepKey, from: from, word: t.key) {
                    // read in an earlier document
                    fed = known.builder
                    entry = known.entry
                } else {
                    fed = builder.feed(word: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])) ? builder : nil
                    entry = fed.map { skeletonEntry($0) } ?? -1
                    skeletonWords.addStep(stepKey, from: from, word: t.key, fed, entry)
                }
                if cache.next[stepKey] == nil {
                    cache.next.insert(stepKey, cache.steps.count)
                    cache.steps.append((from, t.key, fed, entry))
                }
                guard let b = fed else { break }
                builder = b
            }
            j += 1
            if j > minEnd, entry >= 0 { best = (j, entry, builder.key) }
        }
        return best
    }
}

/// The skeletons of words read in earlier documents (first words by token key; later words by
/// the state before them and their key), shared by all documents and copies of the tagger:
/// the names of a news stream repeat from one report to the next. Thread-safe; full at `limit`
/// entries a table (then new ones are read and not kept).
final class SkeletonWordTable: @unchecked Sendable {
    typealias Read = (builder: NameSkeleton.Builder?, entry: Int)
    private let lock = NSLock()
    private var words: [UInt64: Read] = [:]
    private var steps: [UInt64: (from: NameSkeleton.Builder, word: UInt64, read: Read)] = [:]
    static let limit = 1 << 18

    func word(_ key: UInt64) -> Read? {
        lock.lock()
        defer { lock.unlock() }
        return words[key]
    }

    func addWord(_ key: UInt64, _ builder: NameSkeleton.Builder?, _ entry: Int) {
        lock.lock()
        defer { lock.unlock() }
        if words.count < Self.limit { words[key] = (builder, entry) }
    }

    /// The state after `word` fed to `from` (nil when not kept, or the key names another step).
    func step(_ key: UInt64, from: NameSkeleton.Builder, word: UInt64) -> Read? {
        lock.lock()
        defer { lock.unlock() }
        guard let s = steps[key], s.word == word, s.from.hash == from.hash, s.from.state == from.state else { return nil }
        return s.read
    }

    func addStep(_ key: UInt64, from: NameSkeleton.Builder, word: UInt64, _ builder: NameSkeleton.Builder?, _ entry: Int) {
        lock.lock()
        defer { lock.unlock() }
        if steps.count < Self.limit, steps[key] == nil { steps[key] = (from, word, (builder, entry)) }
    }
}
