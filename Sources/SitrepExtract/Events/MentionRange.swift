import Foundation
import SitrepAnnotate
import SitrepText

extension Array where Element == Mention {
    /// The mentions inside `span`, found by binary search (the taggers' lists are sorted by span)
    /// and walked in place: no array is built.
    func inside(_ span: Span) -> MentionsInside {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].span.start < span.start { lo = mid + 1 } else { hi = mid }
        }
        return MentionsInside(list: self, span: span, index: lo)
    }
}

extension Array where Element == Mention {
    /// The index of the first mention starting at or after byte `start` (binary search, as
    /// `inside` does): walk on from it by index to read mentions in place.
    func firstIndex(startingAtOrAfter start: Int) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].span.start < start { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// The mentions of a sorted list that lie inside a span, in list order.
struct MentionsInside: Sequence, IteratorProtocol {
    let list: [Mention]
    let span: Span
    var index: Int

    mutating func next() -> Mention? {
        while index < list.count && list[index].span.start < span.end {
            let i = index
            index += 1
            if span.contains(list[i].span) { return list[i] }
        }
        return nil
    }
}

extension Mention {
    /// True when the rule was read by the place tagger's spelling-skeleton match: a byte search
    /// of the rule text (Foundation's `contains` is a locale-aware search, slow on a hot path).
    var isSkeletonMatch: Bool {
        Self.ruleContains(rule, Self.skeletonMarker)
    }

    static let skeletonMarker = Array(";match:spelling-skeleton".utf8)

    /// True when `needle`'s bytes occur in `text`'s UTF-8 (its first byte found by `memchr`, the
    /// rest compared by `memcmp`: a rule's text is passed over in a few machine words).
    static func ruleContains(_ text: String, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var text = text
        return text.withUTF8 { hay in
            needle.withUnsafeBufferPointer { nd in
                let n = nd.count
                guard hay.count >= n, let base = hay.baseAddress, let nb = nd.baseAddress else { return false }
                let last = hay.count - n
                var from = 0
                while from <= last, let hit = memchr(base + from, Int32(first), last - from + 1) {
                    let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                    if memcmp(base + at, nb, n) == 0 { return true }
                    from = at + 1
                }
                return false
            }
        }
    }
}

extension Document {
    /// `tokenIndex(atOrAfter: offset)` when the answer is known to be at or after token `from`
    /// (the answer for an offset no larger): galloping steps from `from`, then a binary search
    /// between the last two steps; the same answer, as tokens start in order. (Inlined: the
    /// claims' actor walk calls it per mention, and a call cost more than the search.)
    @inline(__always)
    func tokenIndex(atOrAfter offset: Int, from: Int) -> Int {
        tokens.withUnsafeBufferPointer { tokens in
            let n = tokens.count
            let t = Swift.min(Swift.max(from, 0), n)
            guard t < n && Int(tokens[t].start) < offset else { return t }
            var lo = t, step = 1, hi = Swift.min(n, t + 1)
            while hi < n && Int(tokens[hi].start) < offset {
                lo = hi
                step *= 2
                hi = Swift.min(n, lo + step)
            }
            // tokens[lo] starts before `offset`; tokens[hi] (if any) at or after it
            return Self.firstToken(atOrAfter: offset, tokens, lo + 1, hi)
        }
    }

    /// `sentenceIndex(ofToken: i)` when the answer is known to be at or after sentence `from`
    /// (the answer for a token no later): walked to from `from`, the same answer as sentences
    /// start in order.
    func sentenceIndex(ofToken i: Int, from: Int) -> Int {
        guard from >= 0 && from < sentences.count && sentences[from].tokens.lowerBound <= i else {
            return sentenceIndex(ofToken: i)
        }
        var s = from
        while s + 1 < sentences.count && sentences[s + 1].tokens.lowerBound <= i { s += 1 }
        return s
    }

    /// `tokenIndex(atOrAfter: offset)` for an offset inside the bytes of tokens `range`: the same
    /// answer (tokens are sorted by start), searched among the range's tokens only
    /// (`range.upperBound` when none of them starts at or after `offset`).
    func tokenIndex(atOrAfter offset: Int, in range: Range<Int>) -> Int {
        tokens.withUnsafeBufferPointer { Self.firstToken(atOrAfter: offset, $0, range.lowerBound, range.upperBound) }
    }

    /// The first of `tokens[lo..<hi]` that starts at or after byte `offset` (`hi` when none does):
    /// a binary search, as tokens start in order.
    @inline(__always)
    static func firstToken(atOrAfter offset: Int, _ tokens: UnsafeBufferPointer<Token>, _ lo: Int, _ hi: Int) -> Int {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(tokens[mid].start) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
