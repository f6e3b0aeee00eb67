import SitrepLanguage

/// Marks boilerplate; never deletes. Rules are language data in `en/clean/boilerplate.tsv`
/// (columns `phrase`, `reason`, `scope`):
/// - `paragraph`: a short paragraph (≤ `shortParagraph` bytes) containing the phrase is marked
///   whole; in a longer one only the sentence holding it;
/// - `sentence`: the sentence holding the phrase;
/// - `paragraph-start`: a short paragraph that starts with the phrase ("Photo:");
/// - `exact`: a paragraph that is the phrase and nothing else, bar punctuation
///   ("(With input from agencies)").
/// Two rules are built in because they are shapes, not phrases: a repeated paragraph (every
/// copy after the first is `duplicate`), and a trailing credit at the end of a paragraph
/// (" /Reuters", " /@handle": `photo-credit`, `social-handle`).
public struct Cleaner: Sendable {
    enum Scope: String, Sendable {
        case paragraph, sentence, paragraphStart = "paragraph-start", exact
    }

    struct Rule: Sendable {
        let reason: String
        let scope: Scope
        let length: Int
        let provenance: String
    }

    var trie = TokenTrie<Rule>()
    /// The trie's first-key filter as one byte (0 or 1) per filter bit: the per-token loop of
    /// `find` adds a byte instead of extracting a bit from a word.
    var starters: [UInt8] = []
    /// Paragraphs up to this many bytes are marked whole by a `paragraph` rule.
    public var shortParagraph = 600

    public init(lexicon: Lexicon) throws {
        for row in lexicon.rows {
            guard let scope = Scope(rawValue: row["scope"]) else {
                throw LanguageDataError(file: lexicon.name, line: row.line, reason: "unknown scope '\(row["scope"])'")
            }
            let keys = TokenTrie<Rule>.keys(of: row["phrase"])
            trie.insert(keys: keys, value: Rule(reason: row["reason"], scope: scope, length: keys.count, provenance: row.provenance))
        }
        let bits = trie.starterBits
        starters = (0..<bits.count * 64).map { UInt8(truncatingIfNeeded: bits[$0 >> 6] >> UInt64($0 & 63) & 1) }
    }

    public static func english() throws -> Cleaner {
        try Cleaner(lexicon: LanguageResources.lexicon("en/clean/boilerplate.tsv", required: ["phrase", "reason", "scope"]))
    }

    let keySlash = Fold.key("/")
    let keyAt = Fold.key("@")

    /// Finds boilerplate, flags its tokens, and returns the ranges sorted by position.
    public func mark(
        bytes p: UnsafeBufferPointer<UInt8>, tokens: inout [Token], paragraphs: [Paragraph], sentences: [Sentence]
    ) -> [Boilerplate] {
        // read through a buffer: the per-token loops stay free of bounds and uniqueness checks;
        // no copy of `tokens` outlives the search, so flagging below does not copy the array
        var found = tokens.withUnsafeBufferPointer { find($0, paragraphs: paragraphs, sentences: sentences) }
        if found.count > 1 { found.sort { $0.span < $1.span } }
        // flag tokens
        for b in found {
            // first token ending after the range's start (binary search: ranges are few, tokens many)
            var lo = 0, hi = tokens.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if Int(tokens[mid].end) <= b.span.start { lo = mid + 1 } else { hi = mid }
            }
            var j = lo
            while j < tokens.count && Int(tokens[j].start) < b.span.end {
                tokens[j].flags.insert(.boilerplate)
                j += 1
            }
        }
        return found
    }

    /// The boilerplate ranges of every paragraph, in paragraph order.
    func find(_ tb: UnsafeBufferPointer<Token>, paragraphs: [Paragraph], sentences: [Sentence]) -> [Boilerplate] {
        var found: [Boilerplate] = []
        // paragraph hashes seen so far: most documents have tens of paragraphs, where a scan
        // beats hashing; long ones switch to a hash set so the check stays linear
        var seen: [UInt64] = []
        // one bit per hash seen (its top six bits): a paragraph whose bit is clear is new, and
        // most are, so the scan or look-up below runs only when the bit is set
        var seenBits: UInt64 = 0
        let useSet = paragraphs.count > 256
        // (nil for most documents, which hash few paragraphs: no set of their own, and no shared
        // empty one whose reference count two threads would write)
        var seenSet: KeySet? = useSet ? KeySet() : nil
        if !useSet { seen.reserveCapacity(paragraphs.count) }
        // token indices of the paragraph whose key passes the trie's first-key filter, written by
        // the same pass that hashes the paragraph: one read of every token, not two, and no branch
        // (every index is stored, the count advances only on a hit)
        let starts = UnsafeMutablePointer<Int32>.allocate(capacity: tb.count + 1)
        defer { starts.deallocate() }
        starters.withUnsafeBufferPointer { filter in
            for paragraph in paragraphs {
                let range = paragraph.tokens
                var m = 0
                var h = Fold.basis
                var k = range.lowerBound
                while k < range.upperBound {
                    let key = tb[k].key
                    h = (h ^ key) &* Fold.prime
                    let bit = TokenTrie<Rule>.starterBit(key)
                    starts[m] = Int32(truncatingIfNeeded: k)
                    // `starterBit` is below 2^14, the filter's length (one byte per bit of 256 words)
                    m &+= Int(filter[bit])
                    k &+= 1
                }
                // 1. repeated paragraph
                if range.count >= 5 {
                    let bit: UInt64 = 1 &<< (h &>> 58)
                    if seenBits & bit != 0, seenSet.map({ $0.contains(h) }) ?? seen.contains(h) {
                        found.append(Boilerplate(span: paragraph.span, reason: "duplicate", rule: "builtin:duplicate-paragraph"))
                        continue
                    }
                    seenBits |= bit
                    if seenSet != nil { seenSet?.insert(h) } else { seen.append(h) }
                }
                // 2. phrase rules, tried at the filtered tokens only
                if m > 0, phrases(tb, paragraph, UnsafeBufferPointer(start: starts, count: m), sentences, &found) { continue }
                // 3. trailing credit: "... 2020. /Reuters", "... civilians. /@RSF_inter"
                if let credit = trailingCredit(tb, range) {
                    found.append(credit)
                }
            }
        }
        return found
    }

    /// The phrase rules of one paragraph, tried at `starts` (ascending token indices that pass the
    /// first-key filter); true when a rule marked the paragraph whole.
    func phrases(
        _ tb: UnsafeBufferPointer<Token>, _ paragraph: Paragraph, _ starts: UnsafeBufferPointer<Int32>,
        _ sentences: [Sentence], _ found: inout [Boilerplate]
    ) -> Bool {
        let range = paragraph.tokens
        // the next token a phrase may start at: after a match, the search resumes at its end
        var i = range.lowerBound
        for s in starts {
            let start = Int(s)
            guard start >= i else { continue }
            i = start
            // the longest phrase from token i (`TokenTrie.longestMatch`, walked over the buffer)
            var node = trie.child(0, tb[i].key)
            guard node >= 0 else { continue }
            var bestNode: Int32 = -1
            var bestEnd = i
            var j = i + 1
            while node >= 0 {
                if !trie.values[Int(node)].isEmpty {
                    bestNode = node
                    bestEnd = j
                }
                guard j < range.upperBound else { break }
                node = trie.child(node, tb[j].key)
                j += 1
            }
            guard bestNode >= 0, let rule = trie.values[Int(bestNode)].first else {
                i += 1
                continue
            }
            switch rule.scope {
            case .paragraph:
                if paragraph.span.length <= shortParagraph {
                    found.append(Boilerplate(span: paragraph.span, reason: rule.reason, rule: rule.provenance))
                    return true
                }
                let sentence = sentences[sentenceIndex(sentences, i)]
                found.append(Boilerplate(span: sentence.span, reason: rule.reason, rule: rule.provenance))
            case .sentence:
                let sentence = sentences[sentenceIndex(sentences, i)]
                found.append(Boilerplate(span: sentence.span, reason: rule.reason, rule: rule.provenance))
            case .paragraphStart:
                if i == range.lowerBound && paragraph.span.length <= 300 {
                    found.append(Boilerplate(span: paragraph.span, reason: rule.reason, rule: rule.provenance))
                    return true
                }
            case .exact:
                let before = (range.lowerBound..<i).allSatisfy { tb[$0].kind == .punct }
                let after = (bestEnd..<range.upperBound).allSatisfy { tb[$0].kind == .punct }
                if before && after {
                    found.append(Boilerplate(span: paragraph.span, reason: rule.reason, rule: rule.provenance))
                    return true
                }
            }
            i = bestEnd
        }
        return false
    }

    func sentenceIndex(_ sentences: [Sentence], _ token: Int) -> Int {
        var lo = 0, hi = sentences.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if sentences[mid].tokens.lowerBound <= token { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// A credit after the paragraph's last sentence: a slash with space before it, followed only
    /// by an @handle or at most four capitalized words.
    func trailingCredit(_ tokens: UnsafeBufferPointer<Token>, _ range: Range<Int>) -> Boilerplate? {
        guard range.count >= 3 else { return nil }
        var i = range.upperBound - 1
        let stop = Swift.max(range.lowerBound + 1, range.upperBound - 8)
        while i >= stop {
            let t = tokens[i]
            if t.key == keySlash && t.has(.spaceBefore) {
                guard i + 1 < range.upperBound, !tokens[i + 1].has(.spaceBefore) else { return nil }
                let first = tokens[i + 1]
                let end = Int(tokens[range.upperBound - 1].end)
                if first.key == keyAt {
                    return Boilerplate(span: Span(Int(t.start), end), reason: "social-handle", rule: "builtin:trailing-handle")
                }
                var words = 0
                var capitalized = true
                for k in (i + 1)..<range.upperBound where tokens[k].kind == .word {
                    words += 1
                    if !tokens[k].isCapitalized { capitalized = false }
                }
                if words > 0, words <= 4, capitalized {
                    return Boilerplate(span: Span(Int(t.start), end), reason: "photo-credit", rule: "builtin:trailing-credit")
                }
                return nil
            }
            i -= 1
        }
        return nil
    }
}
