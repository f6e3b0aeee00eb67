/// An article's text with its segmentation and cleaning. Owns the text; every annotation is a
/// `Span` of UTF-8 byte offsets into `bytes`, converted to scalar offsets only on output.
public struct Document: Sendable {
    public let text: String
    public let bytes: [UInt8]
    public let tokens: [Token]
    public let sentences: [Sentence]
    public let paragraphs: [Paragraph]
    /// Ranges cleaning marked as not part of the article proper, sorted.
    public let boilerplate: [Boilerplate]
    public let offsets: ScalarOffsets

    init(text: String, bytes: [UInt8], tokens: [Token], sentences: [Sentence], paragraphs: [Paragraph],
         boilerplate: [Boilerplate], offsets: ScalarOffsets) {
        self.text = text
        self.bytes = bytes
        self.tokens = tokens
        self.sentences = sentences
        self.paragraphs = paragraphs
        self.boilerplate = boilerplate
        self.offsets = offsets
    }

    /// The text of a byte span.
    public func string(_ span: Span) -> String {
        let lo = Swift.max(0, Swift.min(span.start, bytes.count))
        let hi = Swift.max(lo, Swift.min(span.end, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// The text of token `i` as written.
    public func text(of i: Int) -> String {
        string(tokens[i].span)
    }

    /// The text of tokens `range` as written (including the whitespace between them).
    public func text(of range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        return string(Span(Int(tokens[range.lowerBound].start), Int(tokens[range.upperBound - 1].end)))
    }

    /// The byte span covering tokens `range`.
    @inlinable public func span(of range: Range<Int>) -> Span {
        guard !range.isEmpty else {
            let at = range.lowerBound < tokens.count ? Int(tokens[range.lowerBound].start) : bytes.count
            return Span(at, at)
        }
        return Span(Int(tokens[range.lowerBound].start), Int(tokens[range.upperBound - 1].end))
    }

    /// Index of the sentence containing token `i`. (Inlinable, like the other small look-ups
    /// here: the taggers and extractors call them per mention, where a cross-module call costs
    /// more than the look-up.)
    @inlinable public func sentenceIndex(ofToken i: Int) -> Int {
        var lo = 0, hi = sentences.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if sentences[mid].tokens.lowerBound <= i { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Index of the first token that starts at or after byte `offset`.
    @inlinable public func tokenIndex(atOrAfter offset: Int) -> Int {
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(tokens[mid].start) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Token indices covered by a byte span.
    public func tokenRange(of span: Span) -> Range<Int> {
        let lo = tokenIndex(atOrAfter: span.start)
        var hi = lo
        while hi < tokens.count && Int(tokens[hi].end) <= span.end { hi += 1 }
        return lo..<hi
    }

    /// The number value of a number token ("1,000" → 1000, "3.5" → 3.5), or nil.
    public func numberValue(ofToken i: Int) -> Double? {
        let t = tokens[i]
        guard t.kind == .number else { return nil }
        var digits: [UInt8] = []
        for b in bytes[Int(t.start)..<Int(t.end)] where b != 0x2C { digits.append(b) }
        return Double(String(decoding: digits, as: UTF8.self))
    }

    /// Whether a span overlaps any boilerplate range.
    public func isBoilerplate(_ span: Span) -> Bool {
        boilerplate.contains { $0.span.overlaps(span) }
    }
}

/// Builds documents: tokenize, segment, clean. Load once, use from many threads.
public struct TextProcessor: Sendable {
    public let segmenter: Segmenter
    public let cleaner: Cleaner

    public init(segmenter: Segmenter, cleaner: Cleaner) {
        self.segmenter = segmenter
        self.cleaner = cleaner
    }

    /// The bundled English data.
    public static func english() throws -> TextProcessor {
        try TextProcessor(segmenter: .english(), cleaner: .english())
    }

    public func document(_ text: String) -> Document {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p in
            var tokens: [Token] = []
            var breaks: [Int32] = []
            var leads: [Int32] = []
            let read = Tokenizer.tokenize(p, into: &tokens, breaks: &breaks, leads: &leads)
            let (paragraphs, sentences) = segmenter.segment(bytes: p, tokens: &tokens, breaks: breaks)
            let boilerplate = cleaner.mark(bytes: p, tokens: &tokens, paragraphs: paragraphs, sentences: sentences)
            return Document(
                text: text, bytes: bytes, tokens: tokens, sentences: sentences, paragraphs: paragraphs,
                boilerplate: boilerplate, offsets: ScalarOffsets(p, leads: leads, scannedTo: read))
        }
    }
}
