import SitrepLanguage

/// Splits a token stream into paragraphs (blank lines) and sentences. Abbreviations come from
/// `en/segment/abbreviations.tsv` (columns `abbreviation`, `kind`):
/// - `title` ("Mr", "Gen"): a following period never ends the sentence;
/// - `number` ("No", "Art"): not before a number;
/// - `general` ("etc", "Inc", "Jan"): not before a lowercase word or a number;
/// - `starter` ("The", "He"): after a dotted abbreviation ("U.S."), these start a new sentence.
public struct Segmenter: Sendable {
    var titles = KeySet()
    var numberPrefixes = KeySet()
    var general = KeySet()
    var starters = KeySet()

    public init(lexicon: Lexicon) throws {
        for row in lexicon.rows {
            let key = Fold.key(row["abbreviation"])
            switch row["kind"] {
            case "title": titles.insert(key)
            case "number": numberPrefixes.insert(key)
            case "general": general.insert(key)
            case "starter": starters.insert(key)
            default:
                throw LanguageDataError(file: lexicon.name, line: row.line, reason: "unknown kind '\(row["kind"])'")
            }
        }
    }

    /// Loads the bundled English abbreviations.
    public static func english() throws -> Segmenter {
        try Segmenter(lexicon: LanguageResources.lexicon("en/segment/abbreviations.tsv", required: ["abbreviation", "kind"]))
    }

    let keyPeriod = Fold.key(".")
    let keyBang = Fold.key("!")
    let keyQuestion = Fold.key("?")
    let keyEllipsis = Fold.key("…")
    let keyDots = Fold.key("...")
    let closers = KeySet(["\"", "'", "”", "’", ")", "]", "}", "»"].map(Fold.key))

    /// Computes paragraphs and sentences, and marks `.sentenceStart` on tokens.
    public func segment(
        bytes p: UnsafeBufferPointer<UInt8>, tokens: inout [Token]
    ) -> (paragraphs: [Paragraph], sentences: [Sentence]) {
        var breaks: [Int32] = []
        for (i, t) in tokens.enumerated() where Tokenizer.isBreakCandidate(t) { breaks.append(Int32(i)) }
        return segment(bytes: p, tokens: &tokens, breaks: breaks)
    }

    /// The same, given the tokenizer's break candidates (`Tokenizer.tokenize(_:into:breaks:)`):
    /// only those tokens are visited.
    public func segment(
        bytes p: UnsafeBufferPointer<UInt8>, tokens: inout [Token], breaks: [Int32]
    ) -> (paragraphs: [Paragraph], sentences: [Sentence]) {
        guard !tokens.isEmpty else { return ([], []) }
        let ends = tokens.withUnsafeBufferPointer { t in breaks.withUnsafeBufferPointer { boundaries(p, t, $0) } }

        // sentences and paragraphs from the boundaries
        var sentences: [Sentence] = []
        var paragraphs: [Paragraph] = []
        sentences.reserveCapacity(ends.count)
        var paragraphCount = 0
        for (_, closesParagraph) in ends where closesParagraph { paragraphCount &+= 1 }
        paragraphs.reserveCapacity(paragraphCount)
        // flags written through one buffer: no uniqueness check per sentence
        tokens.withUnsafeMutableBufferPointer { tb in
            var sentStart = 0
            var paraStart = 0
            var paraFirstSentence = 0
            for (end, closesParagraph) in ends where end > sentStart {
                tb[sentStart].flags.insert(.sentenceStart)
                sentences.append(Sentence(
                    span: Span(Int(tb[sentStart].start), Int(tb[end - 1].end)),
                    tokens: sentStart..<end, paragraph: paragraphs.count))
                sentStart = end
                if closesParagraph {
                    paragraphs.append(Paragraph(
                        span: Span(Int(tb[paraStart].start), Int(tb[end - 1].end)),
                        tokens: paraStart..<end, sentences: paraFirstSentence..<sentences.count))
                    paraStart = end
                    paraFirstSentence = sentences.count
                }
            }
        }
        return (paragraphs, sentences)
    }

    /// Sentence ends: token indices where a sentence ends (exclusive), and whether a paragraph
    /// ends there too; the last entry closes the document. Visits the break candidates only:
    /// no other token can end a sentence or start a line.
    func boundaries(
        _ p: UnsafeBufferPointer<UInt8>, _ tokens: UnsafeBufferPointer<Token>, _ breaks: UnsafeBufferPointer<Int32>
    ) -> [(Int, Bool)] {
        let n = tokens.count
        var ends: [(Int, Bool)] = []
        ends.reserveCapacity(n / 16 + 2)
        var pendingBoundary = boundaryAfter(0, tokens[0], tokens)
        for b in breaks {
            let i = Int(b)
            guard i > 0 else { continue }
            if pendingBoundary >= 0 && pendingBoundary < i {
                // the sentence after a boundary began at a token no break candidate marks
                ends.append((pendingBoundary, false))
                pendingBoundary = -1
            }
            let t = tokens[i]
            if pendingBoundary == i {
                ends.append((i, false))
                pendingBoundary = -1
            }
            if t.flags.contains(.newlineBefore) {
                if Self.newlineCount(p, from: Int(tokens[i - 1].end), to: Int(t.start)) >= 2 {
                    if ends.last?.0 == i { ends[ends.count - 1].1 = true } else { ends.append((i, true)) }
                } else if ends.last?.0 != i, lineBreakEndsSentence(p, tokens, i) {
                    ends.append((i, false))
                }
            }
            if pendingBoundary < 0 {
                let b = boundaryAfter(i, t, tokens)
                if b > 0 { pendingBoundary = b }
            }
        }
        if pendingBoundary > 0 && pendingBoundary < n { ends.append((pendingBoundary, false)) }
        ends.append((n, true))
        return ends
    }

    /// If token `i` ends a sentence, the index of the first token of the next one, else -1.
    @inline(__always)
    func boundaryAfter(_ i: Int, _ t: Token, _ tokens: UnsafeBufferPointer<Token>) -> Int {
        let n = tokens.count
        if t.kind == .punct, t.key == keyPeriod || t.key == keyBang || t.key == keyQuestion
            || t.key == keyEllipsis || t.key == keyDots
        {
            var j = i + 1
            while j < n, !tokens[j].flags.contains(.spaceBefore), closers.contains(tokens[j].key) { j += 1 }
            if j >= n || tokens[j].flags.contains(.spaceBefore) {
                if isBoundary(period: t.key == keyPeriod, at: i, next: j, tokens) { return j }
            }
        } else if t.flags.contains(.dottedAbbreviation), i + 1 < n, tokens[i + 1].flags.contains(.spaceBefore),
            starters.contains(tokens[i + 1].key), tokens[i + 1].isCapitalized
        {
            return i + 1
        }
        return -1
    }

    static func newlineCount(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var count = 0
        var k = from
        while k < to {
            if p[k] == 0x0A { count += 1 }
            k += 1
        }
        return count
    }

    /// A single line break ends a sentence unless the line before stops mid-sentence
    /// (a lowercase word, a comma, a hyphen: a wrapped line).
    func lineBreakEndsSentence(_ p: UnsafeBufferPointer<UInt8>, _ tokens: UnsafeBufferPointer<Token>, _ i: Int) -> Bool {
        let prev = tokens[i - 1]
        let last = p[Int(prev.end) - 1]
        if last == 0x2C || last == 0x2D || last == 0x3B || last == 0x3A { return false }  // , - ; :
        let next = tokens[i]
        if next.kind == .word, !next.isCapitalized, !next.has(.hasDigit) { return false }
        // a line ending in a short function word ("in", "of", "the") is a wrapped line
        if prev.kind == .word, !prev.isCapitalized, prev.length <= 3 { return false }
        return true
    }

    func isBoundary(period: Bool, at i: Int, next j: Int, _ tokens: UnsafeBufferPointer<Token>) -> Bool {
        guard j < tokens.count else { return true }
        let next = tokens[j]
        let nextLower = next.kind == .word && !next.isCapitalized && !next.flags.contains(.hasDigit)
        if nextLower { return false }
        guard period, i > 0, !tokens[i].flags.contains(.spaceBefore) else { return true }
        let prev = tokens[i - 1]
        if prev.kind == .word {
            if titles.contains(prev.key) { return false }
            // "No. 5", "Jan. 12": the cheap test first, the look-ups only before a number
            if next.kind == .number && (numberPrefixes.contains(prev.key) || general.contains(prev.key)) { return false }
            // an initial: "J. Smith"
            if prev.length == 1 && prev.isCapitalized && next.isCapitalized { return false }
        }
        return true
    }
}
