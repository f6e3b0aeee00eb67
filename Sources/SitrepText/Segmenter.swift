import SitrepLanguage

/// Splits a token stream into paragraphs (blank lines) and sentences. Abbreviations come from
/// `en/segment/abbreviations.tsv` (columns `abbreviation`, `kind`):
/// - `title` ("Mr", "Gen"): a following period never ends the sentence;
/// - `number` ("No", "Art"): not before a number;
/// - `general` ("etc", "Inc", "Jan"): not before a lowercase word or a number;
/// - `starter` ("The", "He"): after a dotted abbreviation ("U.S."), these start a new sentence.
public struct Segmenter: Sendable {
    var titles: Set<UInt64> = []
    var numberPrefixes: Set<UInt64> = []
    var general: Set<UInt64> = []
    var starters: Set<UInt64> = []

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

    static let keyPeriod = Fold.key(".")
    static let keyBang = Fold.key("!")
    static let keyQuestion = Fold.key("?")
    static let keyEllipsis = Fold.key("…")
    static let keyDots = Fold.key("...")
    static let closers: Set<UInt64> = Set(["\"", "'", "”", "’", ")", "]", "}", "»"].map(Fold.key))

    /// Computes paragraphs and sentences, and marks `.sentenceStart` on tokens.
    public func segment(
        bytes p: UnsafeBufferPointer<UInt8>, tokens: inout [Token]
    ) -> (paragraphs: [Paragraph], sentences: [Sentence]) {
        var paragraphs: [Paragraph] = []
        var sentences: [Sentence] = []
        let n = tokens.count
        guard n > 0 else { return ([], []) }

        var paraStart = 0
        var sentStart = 0

        func closeSentence(_ end: Int) {
            guard end > sentStart else { return }
            tokens[sentStart].flags.insert(.sentenceStart)
            sentences.append(Sentence(
                span: Span(Int(tokens[sentStart].start), Int(tokens[end - 1].end)),
                tokens: sentStart..<end, paragraph: paragraphs.count))
            sentStart = end
        }
        func closeParagraph(_ end: Int) {
            guard end > paraStart else { return }
            let firstSentence = paragraphs.last?.sentences.upperBound ?? 0
            paragraphs.append(Paragraph(
                span: Span(Int(tokens[paraStart].start), Int(tokens[end - 1].end)),
                tokens: paraStart..<end, sentences: firstSentence..<sentences.count))
            paraStart = end
        }

        var i = 0
        while i < n {
            // Paragraph break before token i: two or more newlines in the gap.
            if i > 0, tokens[i].flags.contains(.newlineBefore),
                Self.newlineCount(p, from: Int(tokens[i - 1].end), to: Int(tokens[i].start)) >= 2
            {
                closeSentence(i)
                closeParagraph(i)
            } else if i > 0, tokens[i].flags.contains(.newlineBefore), lineBreakEndsSentence(p, tokens, i) {
                closeSentence(i)
            }
            let t = tokens[i]
            var boundaryAfter = -1
            if t.kind == .punct, t.key == Self.keyPeriod || t.key == Self.keyBang || t.key == Self.keyQuestion
                || t.key == Self.keyEllipsis || t.key == Self.keyDots
            {
                var j = i + 1
                while j < n, !tokens[j].flags.contains(.spaceBefore), Self.closers.contains(tokens[j].key) { j += 1 }
                if j >= n || tokens[j].flags.contains(.spaceBefore) {
                    if isBoundary(period: t.key == Self.keyPeriod, at: i, next: j, tokens) { boundaryAfter = j }
                }
            } else if t.flags.contains(.dottedAbbreviation), i + 1 < n, tokens[i + 1].flags.contains(.spaceBefore),
                starters.contains(tokens[i + 1].key), tokens[i + 1].isCapitalized
            {
                boundaryAfter = i + 1
            }
            if boundaryAfter > 0 {
                closeSentence(boundaryAfter)
                i = boundaryAfter
                continue
            }
            i += 1
        }
        closeSentence(n)
        closeParagraph(n)
        return (paragraphs, sentences)
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
    func lineBreakEndsSentence(_ p: UnsafeBufferPointer<UInt8>, _ tokens: [Token], _ i: Int) -> Bool {
        let prev = tokens[i - 1]
        let last = p[Int(prev.end) - 1]
        if last == 0x2C || last == 0x2D || last == 0x3B || last == 0x3A { return false }  // , - ; :
        let next = tokens[i]
        if next.kind == .word, !next.isCapitalized, !next.has(.hasDigit) { return false }
        // a line ending in a short function word ("in", "of", "the") is a wrapped line
        if prev.kind == .word, !prev.isCapitalized, prev.length <= 3 { return false }
        return true
    }

    func isBoundary(period: Bool, at i: Int, next j: Int, _ tokens: [Token]) -> Bool {
        guard j < tokens.count else { return true }
        let next = tokens[j]
        let nextLower = next.kind == .word && !next.isCapitalized && !next.flags.contains(.hasDigit)
        if nextLower { return false }
        guard period, i > 0, !tokens[i].flags.contains(.spaceBefore) else { return true }
        let prev = tokens[i - 1]
        if prev.kind == .word {
            if titles.contains(prev.key) { return false }
            if numberPrefixes.contains(prev.key) && next.kind == .number { return false }
            if general.contains(prev.key) && (next.kind == .number) { return false }
            // an initial: "J. Smith"
            if prev.length == 1 && prev.isCapitalized && next.isCapitalized { return false }
        }
        return true
    }
}
