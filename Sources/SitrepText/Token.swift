/// A half-open range of UTF-8 byte offsets into a document's text.
public struct Span: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    @inlinable public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    @inlinable public var length: Int { end - start }
    @inlinable public var isEmpty: Bool { end <= start }
    @inlinable public func contains(_ other: Span) -> Bool { start <= other.start && other.end <= end }
    @inlinable public func overlaps(_ other: Span) -> Bool { start < other.end && other.start < end }
    @inlinable public func union(_ other: Span) -> Span { Span(Swift.min(start, other.start), Swift.max(end, other.end)) }

    public static func < (a: Span, b: Span) -> Bool {
        a.start != b.start ? a.start < b.start : a.end < b.end
    }

    public var description: String { "\(start)..<\(end)" }
}

public enum TokenKind: UInt8, Sendable {
    /// Letters (and letters mixed with digits: "27th", "1990s", "TB2").
    case word
    /// Digits, possibly with internal separators: "963", "1,000", "3.5".
    case number
    /// Punctuation: . , ; : ! ? quotes, brackets, dashes, slashes.
    case punct
    /// Anything else: symbols, emoji, currency signs.
    case symbol
}

/// Per-token facts computed once during segmentation.
public struct TokenFlags: OptionSet, Sendable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Whitespace separates this token from the previous one (or it starts the text).
    @inlinable public static var spaceBefore: TokenFlags { TokenFlags(rawValue: 1 << 0) }
    /// A line break separates this token from the previous one.
    @inlinable public static var newlineBefore: TokenFlags { TokenFlags(rawValue: 1 << 1) }
    /// The first letter is uppercase.
    @inlinable public static var capitalized: TokenFlags { TokenFlags(rawValue: 1 << 2) }
    /// Every letter is uppercase (and there are at least two).
    @inlinable public static var allCaps: TokenFlags { TokenFlags(rawValue: 1 << 3) }
    /// Contains a digit.
    @inlinable public static var hasDigit: TokenFlags { TokenFlags(rawValue: 1 << 4) }
    /// Contains a non-ASCII byte.
    @inlinable public static var nonASCII: TokenFlags { TokenFlags(rawValue: 1 << 5) }
    /// First token of its sentence.
    @inlinable public static var sentenceStart: TokenFlags { TokenFlags(rawValue: 1 << 6) }
    /// Inside a range marked as boilerplate by cleaning.
    @inlinable public static var boilerplate: TokenFlags { TokenFlags(rawValue: 1 << 7) }
    /// A dotted abbreviation kept whole: "U.S.", "a.m.".
    @inlinable public static var dottedAbbreviation: TokenFlags { TokenFlags(rawValue: 1 << 8) }
    /// Inside quotation marks.
    @inlinable public static var quoted: TokenFlags { TokenFlags(rawValue: 1 << 9) }
}

/// A token: its byte range, kind, flags and folded key (see `Fold`).
public struct Token: Sendable {
    public var start: Int32
    public var end: Int32
    /// `Fold.hash` of the folded token text: compare tokens with lexicon entries by key.
    public var key: UInt64
    public var kind: TokenKind
    public var flags: TokenFlags

    @inlinable public var span: Span { Span(Int(start), Int(end)) }
    @inlinable public var length: Int { Int(end - start) }
    @inlinable public func has(_ flag: TokenFlags) -> Bool { flags.contains(flag) }
    @inlinable public var isWord: Bool { kind == .word }
    @inlinable public var isNumber: Bool { kind == .number }
    @inlinable public var isCapitalized: Bool { flags.contains(.capitalized) }
}

/// A sentence: a range of tokens and the bytes they cover.
public struct Sentence: Sendable {
    public var span: Span
    /// Token indices `tokens.lowerBound ..< tokens.upperBound`.
    public var tokens: Range<Int>
    public var paragraph: Int
}

/// A paragraph: text between blank lines.
public struct Paragraph: Sendable {
    public var span: Span
    public var tokens: Range<Int>
    public var sentences: Range<Int>
}

/// A range that cleaning marked as not part of the article proper, with the reason.
public struct Boilerplate: Sendable, Hashable {
    public var span: Span
    /// `donation-appeal`, `subscription`, `share-prompt`, `social-handle`, `photo-credit`,
    /// `agency-footer`, `duplicate`, ...
    public var reason: String
    /// The lexicon row (or built-in rule) that marked it.
    public var rule: String

    public init(span: Span, reason: String, rule: String) {
        self.span = span
        self.reason = reason
        self.rule = rule
    }
}
