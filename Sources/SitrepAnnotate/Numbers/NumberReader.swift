import SitrepLanguage
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

    mutating func append(_ other: QuantityRules) {
        for k in 0..<other.count { append(other[k]) }
    }

    public subscript(_ k: Int) -> UInt16 {
        if k < 4 { return UInt16(truncatingIfNeeded: low >> UInt64(16 * k)) }
        if k < 8 { return UInt16(truncatingIfNeeded: high >> UInt64(16 * (k - 4))) }
        return extra?[k - 8] ?? 0
    }
}

/// Reads numbers in digits and words, vague quantities and their qualifiers from tokens.
/// All matching is by token key (tries and hash sets); no string work on the hot path.
public struct NumberReader: Sendable {
    struct Word: Sendable {
        enum Kind: String, Sendable { case unit, tens, scale, dozen, vague, article }
        let value: Int
        let kind: Kind
        let low: Int
        let best: Int
        let high: Int?
        let rule: UInt16
    }

    struct Qualifier: Sendable {
        let qualifier: Quantity.Qualifier
        let rule: UInt16
    }

    struct Trap: Sendable, Hashable {
        let position: String
        let trap: Quantity.Trap
    }

    var words = Lookup<Word>()
    var before = Lookup<Qualifier>()
    var after = Lookup<Qualifier>()
    var traps: [UInt64: [Trap]] = [:]
    /// The provenance of every rule id (`QuantityRules`); id 0 is digits.
    public private(set) var ruleNames: [String] = ["number:digits"]
    static let digitsRule: UInt16 = 0
    /// The keys of `traps`: most neighbours of a number are rejected here without hashing.
    var trapKeys = KeySet()
    /// The union of the starter filters of number words and qualifiers before a number.
    @usableFromInline var startFilter: [UInt64] = []
    let keyAnd = Fold.key("and")
    let keyOr = Fold.key("or")
    let keyTo = Fold.key("to")
    let keyDash = Fold.key("-")
    let keyComma = Fold.key(",")
    let keyEven = Fold.key("even")
    let keyMore = Fold.key("more")
    let keyMany = Fold.key("many")
    @usableFromInline let keyBetween = Fold.key("between")
    let keyOld = Fold.key("old")
    let keyYear = Fold.key("year")
    let keyYears = Fold.key("years")
    let possibility = KeySet([Fold.key("perhaps"), Fold.key("possibly"), Fold.key("maybe"), Fold.key("probably")])

    public init(words: Lexicon, qualifiers: Lexicon, traps: Lexicon) throws {
        func ruleID(_ provenance: String, _ file: String, _ line: Int) throws -> UInt16 {
            guard ruleNames.count < Int(UInt16.max) else {
                throw LanguageDataError(file: file, line: line, reason: "too many number rules")
            }
            ruleNames.append(provenance)
            return UInt16(ruleNames.count - 1)
        }
        for row in words.rows {
            guard let kind = Word.Kind(rawValue: row["kind"]), let value = Int(row["value"]) else {
                throw LanguageDataError(file: words.name, line: row.line, reason: "bad kind or value")
            }
            let low = Int(row["low"]) ?? value
            let best = Int(row["best"]) ?? value
            let high = kind == .vague ? Int(row["high"]) : value
            self.words.insert(
                row["word"], value: Word(
                    value: value, kind: kind, low: low, best: best, high: high,
                    rule: try ruleID(row.provenance, words.name, row.line)))
        }
        for row in qualifiers.rows {
            guard let kind = Quantity.Qualifier(rawValue: row["qualifier"]) else {
                throw LanguageDataError(file: qualifiers.name, line: row.line, reason: "unknown qualifier")
            }
            let q = Qualifier(qualifier: kind, rule: try ruleID(row.provenance, qualifiers.name, row.line))
            if row["position"] == "after" {
                after.insert(row["phrase"], value: q)
            } else {
                before.insert(row["phrase"], value: q)
            }
        }
        var trapLists: [UInt64: [Trap]] = [:]
        for row in traps.rows {
            for key in TokenTrie<Int>.keys(of: row["word"]).prefix(1) {
                guard let kind = Quantity.Trap(rawValue: row["trap"]) else {
                    throw LanguageDataError(file: traps.name, line: row.line, reason: "unknown trap")
                }
                trapLists[key, default: []].append(Trap(position: row["position"], trap: kind))
            }
        }
        self.traps = trapLists
        self.trapKeys = KeySet(trapLists.keys)
        self.words.finish()
        self.before.finish()
        self.after.finish()
        var filter = self.words.starterWords
        let beforeWords = self.before.starterWords
        for k in filter.indices where k < beforeWords.count { filter[k] |= beforeWords[k] }
        startFilter = filter
    }

    public static func english() throws -> NumberReader {
        try NumberReader(
            words: LanguageResources.lexicon("en/numbers/words.tsv", required: ["word", "value", "kind"]),
            qualifiers: LanguageResources.lexicon("en/numbers/qualifiers.tsv", required: ["phrase", "position", "qualifier"]),
            traps: LanguageResources.lexicon("en/numbers/traps.tsv", required: ["word", "position", "trap"]))
    }

    /// True when token `i` could start a quantity (a number, a number word or a qualifier).
    /// Inlinable: a caller in another module tests the filter in place, with no call and no
    /// copy of the reader.
    @inlinable @inline(__always)
    public func mayStart(_ tokens: [Token], at i: Int) -> Bool {
        let t = tokens[i]
        let bit = PhraseTrie.starterBit(t.key)
        return t.kind == .number || startFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 || t.key == keyBetween
    }

    /// All quantities in a token range, left to right, not overlapping.
    public func quantities(_ doc: Document, in range: Range<Int>) -> [Quantity] {
        var out: [Quantity] = []
        quantities(doc, in: range, into: &out)
        return out
    }

    /// `quantities(doc, in: range)` appended to `out`: a caller reading many sentences reuses one
    /// buffer instead of growing a new array per sentence.
    public func quantities(_ doc: Document, in range: Range<Int>, into out: inout [Quantity]) {
        let tokens = doc.tokens
        var i = range.lowerBound
        while i < range.upperBound {
            if mayStart(tokens, at: i), let q = read(doc, at: i, limit: range.upperBound) {
                i = q.tokens.upperBound
                out.append(q)
            } else {
                i += 1
            }
        }
    }

    /// The quantity starting at token `i` (with its qualifiers), or nil.
    public func read(_ doc: Document, at i: Int, limit: Int) -> Quantity? {
        let tokens = doc.tokens
        var j = i
        var qualifier = Quantity.Qualifier.exact
        var rules = QuantityRules()
        var between = false
        // qualifiers before: up to two ("possibly more than"); the last decides the interval
        for _ in 0..<2 {
            if tokens[j].key == keyBetween, j + 1 < limit {
                between = true
                j += 1
                continue
            }
            if let m = before.longestFirst(tokens, at: j, limit: limit), m.end < limit {
                let q = m.value
                // "some"/"over"/"about" only qualify when a number follows
                if core(doc, at: m.end, limit: limit) == nil && before.longestEnd(tokens, at: m.end, limit: limit) == nil {
                    break
                }
                if q.qualifier != .vague || qualifier == .exact { qualifier = q.qualifier }
                rules.append(q.rule)
                j = m.end
            } else {
                break
            }
        }
        guard var c = core(doc, at: j, limit: limit) else { return nil }
        var end = c.end
        rules.append(c.rule)
        // ranges: "10-15", "two or three", "10 to 15", "between 10 and 15"
        if end + 1 < limit {
            let k = tokens[end].key
            let joinedDash = k == keyDash && !tokens[end + 1].has(.spaceBefore) && !tokens[end].has(.spaceBefore)
            if joinedDash || k == keyOr || k == keyTo || (between && k == keyAnd),
                let d = core(doc, at: end + 1, limit: limit), d.kind != .article, d.best > c.best
            {
                c = Core(c.number, c.low, c.best, d.high, c.kind, d.end, c.rule)
                end = d.end
                if qualifier == .exact { qualifier = .about }
                rules.append(d.rule)
            }
        }
        var low = c.low, best = c.best, high = c.high
        let n = c.best
        switch qualifier {
        case .atLeast: high = nil
        case .moreThan:
            low = (c.high ?? c.low) + (c.kind == .vague ? 0 : 1)
            best = Swift.max(best, low)
            high = nil
        case .about:
            if c.kind != .vague && c.high == c.low {
                let d = Swift.max(1, n / 10)
                low = Swift.max(0, n - d)
                high = n + d
            }
        case .nearly:
            let d = Swift.max(1, n / 10)
            low = Swift.max(0, n - d)
            high = n
        case .upTo:
            low = Swift.min(1, n)
            high = c.high ?? n
        default: break
        }
        // after: "or more", ", perhaps even thousands", "and possibly many more"
        if end < limit, let m = after.longestFirst(tokens, at: end, limit: limit) {
            let q = m.value
            if q.qualifier == .atLeast { high = nil; if qualifier == .exact { qualifier = .atLeast } }
            rules.append(q.rule)
            end = m.end
        } else if end < limit {
            var k = end
            if k < limit && (tokens[k].key == keyComma || tokens[k].key == keyAnd || tokens[k].key == keyOr) { k += 1 }
            if k < limit && possibility.contains(tokens[k].key) {
                k += 1
                if k < limit && tokens[k].key == keyEven { k += 1 }
                if k < limit && (tokens[k].key == keyMore || tokens[k].key == keyMany) {
                    // "and possibly (many) more"
                    while k < limit && (tokens[k].key == keyMore || tokens[k].key == keyMany) { k += 1 }
                    high = nil
                    end = k
                    if qualifier == .exact { qualifier = .vague }
                } else if let d = core(doc, at: k, limit: limit), d.kind != .article, d.best > best {
                    high = d.high
                    end = d.end
                    if qualifier == .exact { qualifier = .vague }
                    rules.append(d.rule)
                }
            }
        }
        if c.kind == .vague && qualifier == .exact { qualifier = .vague }
        if let h = high, h < best { high = best }
        if low > best { low = best }
        let trap = trapOf(doc, number: c.number, end: end)
        return Quantity(
            tokens: i..<end, number: c.number, low: low, best: best, high: high, qualifier: qualifier,
            kind: c.kind, trap: trap, rules: rules)
    }

    /// A bare number: a struct, not a tuple (a tuple of this shape is copied and destroyed through
    /// the runtime's generic tuple witnesses, hundreds of instructions each).
    struct Core {
        var number: Range<Int>
        var low: Int
        var best: Int
        var high: Int?
        var kind: Quantity.Kind
        var end: Int
        var rule: QuantityRules

        @inline(__always)
        init(_ number: Range<Int>, _ low: Int, _ best: Int, _ high: Int?, _ kind: Quantity.Kind, _ end: Int,
             _ rule: QuantityRules) {
            self.number = number
            self.low = low
            self.best = best
            self.high = high
            self.kind = kind
            self.end = end
            self.rule = rule
        }
    }

    /// The bare number at `j`: digits (with a scale word), number words, a vague word or an article.
    func core(_ doc: Document, at j: Int, limit: Int) -> Core? {
        let tokens = doc.tokens
        guard j < limit else { return nil }
        if tokens[j].kind == .number {
            guard let v = Self.numberValue(doc, ofToken: j), v >= 0, v < 1e12 else { return nil }
            var value = v
            var end = j + 1
            var rule = QuantityRules()
            rule.append(Self.digitsRule)
            if end < limit, let m = words.longestFirst(tokens, at: end, limit: limit), m.value.kind == .scale
            {
                value *= Double(m.value.value)
                end = m.end
                rule.append(m.value.rule)
            }
            guard value == value.rounded() || value >= 100 else { return nil }
            let n = Int(value.rounded())
            return Core(j..<end, n, n, n, .digits, end, rule)
        }
        guard let m = words.longestFirst(tokens, at: j, limit: limit) else { return nil }
        let w = m.value
        switch w.kind {
        case .vague:
            // "several hundred" etc. are rows of their own; "dozens" etc. stand alone
            return Core(j..<m.end, w.low, w.best, w.high, .vague, m.end, Self.rules(w.rule))
        case .article:
            // "a dozen", "a hundred", "a thousand"
            if m.end < limit, let n = words.longestFirst(tokens, at: m.end, limit: limit),
                n.value.kind == .scale || n.value.kind == .dozen
            {
                let x = n.value
                let v = x.kind == .dozen ? 12 : x.value
                var r = Self.rules(w.rule)
                r.append(x.rule)
                return Core(j..<n.end, v, v, v, .words, n.end, r)
            }
            return Core(j..<m.end, 1, 1, 1, .article, m.end, Self.rules(w.rule))
        case .unit, .tens, .scale, .dozen:
            var total = 0, current = 0
            var k = j
            var rules = QuantityRules()
            var last: Word.Kind?
            while k < limit {
                guard let mm = words.longestFirst(tokens, at: k, limit: limit) else {
                    // "one hundred and twenty", "thirty-seven"
                    if (tokens[k].key == keyAnd && last == .scale) || (tokens[k].key == keyDash && last == .tens
                        && !tokens[k].has(.spaceBefore)),
                        k + 1 < limit, let nx = words.longestFirst(tokens, at: k + 1, limit: limit)?.value,
                        nx.kind == .unit || nx.kind == .tens
                    {
                        k += 1
                        continue
                    }
                    break
                }
                let x = mm.value
                var accepted = true
                switch x.kind {
                case .unit:
                    if last == .unit { accepted = false } else { current += x.value }
                case .tens:
                    if last == .unit || last == .tens { accepted = false } else { current += x.value }
                case .scale:
                    if last == nil { accepted = false } else {
                        current = Swift.max(current, 1) * x.value
                        if x.value >= 1000 { total += current; current = 0 }
                    }
                case .dozen:
                    if last == .unit { current *= 12 } else { accepted = last == nil; current = 12 }
                case .vague, .article:
                    accepted = false
                }
                if !accepted { break }
                rules.append(x.rule)
                last = x.kind
                k = mm.end
            }
            guard k > j else { return nil }
            let n = total + current
            return Core(j..<k, n, n, n, .words, k, rules)
        }
    }

    /// Why the number at `number` is not a count (age, date, model, measure...), or nil.
    func trapOf(_ doc: Document, number: Range<Int>, end: Int) -> Quantity.Trap? {
        let tokens = doc.tokens
        let first = number.lowerBound
        let lastTok = number.upperBound - 1
        if number.count == 1 && tokens[first].kind == .number {
            // a year: four digits without separators, 1800...2100
            let t = tokens[first]
            if t.length == 4, let v = Self.numberValue(doc, ofToken: first), v >= 1800, v <= 2100 {
                return .year
            }
        }
        if first > 0 {
            let p = tokens[first - 1]
            for trap in trapKeys.contains(p.key) ? traps[p.key] ?? [] : [] {
                if trap.position == "before" { return trap.trap }
                if trap.position == "joined-before" && !tokens[first].has(.spaceBefore) && !p.has(.spaceBefore)
                    && first >= 2 && tokens[first - 2].kind == .word
                {
                    return trap.trap
                }
            }
        }
        if lastTok + 1 < tokens.count {
            let n = tokens[lastTok + 1]
            for trap in trapKeys.contains(n.key) ? traps[n.key] ?? [] : [] {
                if trap.position == "after" { return trap.trap }
                if trap.position == "joined-after" && !n.has(.spaceBefore) { return trap.trap }
            }
            // "13-year-old", "13 year old": the hyphen comes first
            if n.key == keyDash, lastTok + 2 < tokens.count {
                let nn = tokens[lastTok + 2]
                for trap in trapKeys.contains(nn.key) ? traps[nn.key] ?? [] : [] where trap.position == "joined-after" {
                    return trap.trap
                }
            }
            if (n.key == keyYear || n.key == keyYears), lastTok + 2 < tokens.count, tokens[lastTok + 2].key == keyOld {
                return .age
            }
        }
        return nil
    }

    /// `doc.numberValue(ofToken:)` without building a String: digits with thousands commas and
    /// at most one decimal point, read as an exact integer over a power of ten (one correctly
    /// rounded division, the same Double the String parser gives). Anything else is left to
    /// `Document.numberValue`.
    static func numberValue(_ doc: Document, ofToken i: Int) -> Double? {
        let t = doc.tokens[i]
        guard t.kind == .number else { return nil }
        var mantissa = 0
        var digits = 0
        var fraction = -1
        var ok = true
        doc.bytes.withUnsafeBufferPointer { p in
            // a leading point (".5") or sign is left to the String parser
            guard t.end > t.start, p[Int(t.start)] >= 0x30 && p[Int(t.start)] <= 0x39 else {
                ok = false
                return
            }
            for k in Int(t.start)..<Int(t.end) {
                let b = p[k]
                if b >= 0x30 && b <= 0x39 {
                    mantissa = mantissa * 10 + Int(b - 0x30)
                    digits += 1
                    if fraction >= 0 { fraction += 1 }
                } else if b == 0x2C {
                    continue
                } else if b == 0x2E && fraction < 0 {
                    fraction = 0
                } else {
                    ok = false
                    return
                }
                if digits > 15 {
                    ok = false
                    return
                }
            }
        }
        guard ok, digits > 0, fraction != 0 else { return doc.numberValue(ofToken: i) }
        guard fraction > 0 else { return Double(mantissa) }
        return Double(mantissa) / Self.powersOfTen[fraction]
    }

    static let powersOfTen: [Double] = (0...15).map { k in
        var v = 1.0
        for _ in 0..<k { v *= 10 }
        return v
    }
}

extension NumberReader {
    static func rules(_ id: UInt16) -> QuantityRules {
        var r = QuantityRules()
        r.append(id)
        return r
    }

    /// The provenance text of a quantity: its rows joined with "+".
    public func rule(of q: Quantity) -> String {
        var text = ""
        for k in 0..<q.rules.count {
            if k > 0 { text += "+" }
            text += ruleNames[Int(q.rules[k])]
        }
        return text
    }

    /// The UTF-8 length of `rule(of:)`.
    public func ruleUTF8Count(of q: Quantity) -> Int {
        var n = Swift.max(0, q.rules.count - 1)
        for k in 0..<q.rules.count { n += ruleNames[Int(q.rules[k])].utf8.count }
        return n
    }
}
