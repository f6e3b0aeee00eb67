import SitrepLanguage
import SitrepText

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
        /// Where the word stands (the traps lexicon's `position` column), as a value: compared per
        /// neighbour of a number without a string comparison.
        enum Position: String, Sendable, Hashable {
            case before, after
            case joinedBefore = "joined-before", joinedAfter = "joined-after"
        }

        let position: Position
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
                guard let position = Trap.Position(rawValue: row["position"]) else {
                    throw LanguageDataError(file: traps.name, line: row.line, reason: "unknown position")
                }
                trapLists[key, default: []].append(Trap(position: position, trap: kind))
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
        // (a range reaching past the tokens is read up to their end)
        let upper = Swift.min(range.upperBound, tokens.count)
        var i = Swift.max(0, range.lowerBound)
        // the tokens no quantity starts at are passed in a tight loop (`mayStart` through unsafe
        // views: `i` stays within the tokens, a filter bit below 0x4000 within its 256 words)
        tokens.withUnsafeBufferPointer { tp in
        startFilter.withUnsafeBufferPointer { filter in
            while i < upper {
                let t = tp[i]
                let bit = PhraseTrie.starterBit(t.key)
                if t.kind == .number || filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 || t.key == keyBetween,
                    let q = read(doc, at: i, limit: upper)
                {
                    i = q.tokens.upperBound
                    out.append(q)
                } else {
                    i += 1
                }
            }
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
        // `c` is never reassigned: a range changes only its high end and its end (a `var c`
        // given a new core was copied and destroyed whole, its rule ids' array with it)
        guard let c = core(doc, at: j, limit: limit) else { return nil }
        var end = c.end
        var cHigh = c.high
        rules.append(c.rule)
        // ranges: "10-15", "two or three", "10 to 15", "between 10 and 15"
        if end + 1 < limit {
            let k = tokens[end].key
            let joinedDash = k == keyDash && !tokens[end + 1].has(.spaceBefore) && !tokens[end].has(.spaceBefore)
            if joinedDash || k == keyOr || k == keyTo || (between && k == keyAnd),
                let d = core(doc, at: end + 1, limit: limit), d.kind != .article, d.best > c.best
            {
                cHigh = d.high
                end = d.end
                if qualifier == .exact { qualifier = .about }
                rules.append(d.rule)
            }
        }
        var low = c.low, best = c.best, high = cHigh
        let n = c.best
        switch qualifier {
        case .atLeast: high = nil
        case .moreThan:
            low = (cHigh ?? c.low) + (c.kind == .vague ? 0 : 1)
            best = Swift.max(best, low)
            high = nil
        case .about:
            if c.kind != .vague && cHigh == c.low {
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
            high = cHigh ?? n
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
