import SitrepText

/// A count read from the text as an interval: "at least 1,000" → 1000…open, "about 300" →
/// 270…330, "dozens" → 12 (ACLED's convention for the best value) …99.
public struct Quantity: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// Written in digits: "963", "1,000", "3.5 million".
        case digits
        /// Written in words: "thirty-seven", "a dozen", "two hundred".
        case words
        /// A vague quantity word: "dozens", "hundreds", "several".
        case vague
        /// "a"/"an"/"single" before a noun: one, when the noun is a person.
        case article
    }

    /// Every token of the phrase, qualifiers included.
    public var tokens: Range<Int>
    /// The tokens of the number itself.
    public var number: Range<Int>
    public var low: Int
    public var best: Int
    /// nil when open-ended.
    public var high: Int?
    /// The qualifier as a value (no String stored per quantity).
    public var qualifierKind: Qualifier
    public var kind: Kind
    /// Why this number is not a count of people, as a value (no String stored per quantity).
    public var trapKind: Trap?

    /// Why a number is not a count of people; the traps lexicon's `trap` column must name one.
    public enum Trap: String, Sendable, Hashable, CaseIterable {
        case year, age, date, clock, duration, measure, money, percent, label, model
    }

    /// Why this number is not a count of people (`age`, `date`, `model`, `measure`, ...), or nil.
    public var trap: String? { trapKind?.rawValue }
    /// Provenance: ids of the lexicon rows that read it, in reading order. The text
    /// (`NumberReader.rule(of:)`) is built only for a figure that is emitted.
    public var rules: QuantityRules

    /// The contract's qualifier values; the lexicon's `qualifier` column must name one of them.
    public enum Qualifier: String, Sendable, Hashable, CaseIterable {
        case exact
        case atLeast = "at-least"
        case moreThan = "more-than"
        case about
        case upTo = "up-to"
        case nearly
        case vague
    }

    /// `exact`, `at-least`, `more-than`, `about`, `up-to`, `nearly`, `vague`.
    public var qualifier: String { qualifierKind.rawValue }

    public init(tokens: Range<Int>, number: Range<Int>, low: Int, best: Int, high: Int?, qualifier: Qualifier,
                kind: Kind, trap: Trap? = nil, rules: QuantityRules) {
        self.tokens = tokens
        self.number = number
        self.low = low
        self.best = best
        self.high = high
        self.qualifierKind = qualifier
        self.kind = kind
        self.trapKind = trap
        self.rules = rules
    }
}

/// Rule ids joined in reading order, stored inline (eight ids in two words; more spill into an
/// array, which a real number phrase never needs): reading a quantity allocates nothing.
public struct QuantityRules: Sendable, Hashable {
    @usableFromInline var low: UInt64 = 0
    @usableFromInline var high: UInt64 = 0
    public private(set) var count = 0
    /// nil until a ninth id: an absent array costs nothing to copy or destroy.
    @usableFromInline var extra: [UInt16]? = nil

    public init() {}

    @inline(__always)
    mutating func append(_ id: UInt16) {
        if count < 4 {
            low |= UInt64(id) << UInt64(16 * count)
        } else if count < 8 {
            high |= UInt64(id) << UInt64(16 * (count - 4))
        } else {
            extra = (extra ?? []) + [id]
        }
        count += 1
    }

    @inline(__always)
    mutating func append(_ other: QuantityRules) {
        // both inline and their sum too (every real phrase): `other`'s two words shifted in at
        // bit 16 * count of this 128-bit pair (its ids past `other.count` are 0; shifts past 63
        // give 0)
        if count + other.count <= 8 {
            let shift = UInt64(16 * count)
            low |= other.low << shift
            high |= shift < 64 ? other.low >> (64 - shift) | other.high << shift : other.low << (shift - 64)
            count += other.count
            return
        }
        for k in 0..<other.count { append(other[k]) }
    }

    public subscript(_ k: Int) -> UInt16 {
        if k < 4 { return UInt16(truncatingIfNeeded: low >> UInt64(16 * k)) }
        if k < 8 { return UInt16(truncatingIfNeeded: high >> UInt64(16 * (k - 4))) }
        return extra?[k - 8] ?? 0
    }
}
