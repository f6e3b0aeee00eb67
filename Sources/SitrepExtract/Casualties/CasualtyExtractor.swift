import SitrepAnnotate
import SitrepLanguage
import SitrepText

/// Reads every casualty figure as an interval with qualifier, outcome, victims, scope, claimant.
///
/// A figure is a quantity (NumberReader) whose head is a person noun ("civilians", "a teenager")
/// or nothing ("killing 5"), with an outcome phrase in its clause: to its right ("60 civilians
/// were killed") or to its left ("killing a teenager", "the death toll ... nearing 5,000").
/// Traps (ages, years, dates, model numbers, measures) and quantities of things ("three
/// ceasefires", "four weeks") are never figures; nor are people with no outcome ("80 journalists
/// trapped"). The clause's scope cues decide incident vs cumulative (docs/events-casualties.md).
public struct CasualtyExtractor: Sendable {
    /// An outcome phrase's row; its outcome and rule are indices into `outcomeNames` and
    /// `outcomeRules`, so the per-sentence list of outcome phrases holds no reference to count.
    struct Outcome: Sendable {
        let outcome: Int32
        let left: Bool
        let right: Bool
        let reach: Int
        let rule: Int32
    }

    struct ScopeCue: Sendable {
        let cumulative: Bool
        let strong: Bool
        let period: String
        let rule: String
    }

    let numbers: NumberReader
    var outcomes = Lookup<Outcome>()
    var outcomeNames: [String] = []
    var outcomeRules: [String] = []
    var victimNouns = Lookup<(victims: String, rule: String)>()
    var modifiers = KeySet([])
    var aux = KeySet([])
    var scope = Lookup<ScopeCue>()
    var conventions = Lookup<String>()
    /// "including" (subset) and "bringing the total to" (total) cues, by the token after them.
    var parts = Lookup<(kind: String, rule: String)>()
    let keySemicolon = Fold.key(";")
    let keyPossessives = KeySet([Fold.key("their"), Fold.key("our"), Fold.key("its")])
    let keyFatalities = KeySet([
        Fold.key("fatalities"), Fold.key("fatality"), Fold.key("deaths"), Fold.key("dead"), Fold.key("killed"),
    ])
    let keyDash = Fold.key("-")
    let keyMore = Fold.key("more")
    let keyAnd = Fold.key("and")
    let keyComma = Fold.key(",")
    let keyQuote = Fold.key("\"")
    let negations = KeySet([Fold.key("no"), Fold.key("not"), Fold.key("neither"), Fold.key("nor"), Fold.key("without")])
    let durationUnits = KeyMap<Int>([
        (Fold.key("days"), 1), (Fold.key("day"), 1), (Fold.key("weeks"), 7), (Fold.key("week"), 7),
        (Fold.key("months"), 30), (Fold.key("month"), 30), (Fold.key("years"), 365), (Fold.key("year"), 365),
    ])

    public init(numbers: NumberReader, outcomes: Lexicon, victims: Lexicon, scope: Lexicon, conventions: Lexicon,
                parts: Lexicon) throws {
        self.numbers = numbers
        for row in outcomes.rows {
            let side = row["side"]
            guard let reach = Int(row["reach"]) else {
                throw LanguageDataError(file: outcomes.name, line: row.line, reason: "reach is not a number")
            }
            let name = row["outcome"]
            let nameID = outcomeNames.firstIndex(of: name) ?? outcomeNames.count
            if nameID == outcomeNames.count { outcomeNames.append(name) }
            outcomeRules.append(row.provenance)
            self.outcomes.insert(
                row["phrase"],
                value: Outcome(
                    outcome: Int32(nameID), left: side == "left" || side == "both",
                    right: side == "right" || side == "both", reach: reach, rule: Int32(outcomeRules.count - 1)))
        }
        var modifierKeys: [UInt64] = [], auxKeys: [UInt64] = []
        for row in victims.rows {
            switch row["kind"] {
            case "noun": victimNouns.insert(row["word"], value: (row["victims"], row.provenance))
            case "modifier": modifierKeys += TokenTrie<Int>.keys(of: row["word"])
            case "aux": auxKeys += TokenTrie<Int>.keys(of: row["word"])
            default:
                throw LanguageDataError(file: victims.name, line: row.line, reason: "unknown kind '\(row["kind"])'")
            }
        }
        modifiers = KeySet(modifierKeys)
        aux = KeySet(auxKeys)
        for row in scope.rows {
            self.scope.insert(
                row["phrase"],
                value: ScopeCue(
                    cumulative: row["scope"] == "cumulative", strong: row["strength"] == "strong",
                    period: row["period"], rule: row.provenance))
        }
        for row in conventions.rows {
            self.conventions.insert(row["phrase"], value: row.provenance)
        }
        for row in parts.rows { self.parts.insert(row["phrase"], value: (row["kind"], row.provenance)) }
        self.parts.finish()
        self.outcomes.finish()
        victimNouns.finish()
        self.scope.finish()
        self.conventions.finish()
    }

    public static func english() throws -> CasualtyExtractor {
        try CasualtyExtractor(
            numbers: .english(),
            outcomes: LanguageResources.lexicon("en/casualties/outcomes.tsv", required: ["phrase", "outcome", "side", "reach"]),
            victims: LanguageResources.lexicon("en/casualties/victims.tsv", required: ["word", "kind"]),
            scope: LanguageResources.lexicon("en/casualties/scope.tsv", required: ["phrase", "scope", "strength", "period"]),
            conventions: LanguageResources.lexicon("en/casualties/conventions.tsv", required: ["phrase"]),
            parts: LanguageResources.lexicon("en/casualties/parts.tsv", required: ["phrase", "kind"]))
    }

    public func extract(_ doc: Document, _ annotations: Annotations, claims: [Claim]) -> [Casualty] {
        var out: [Casualty] = []
        let tokens = doc.tokens
        // the tables this loop tests per token, bound once per document (a large struct's member
        // used in place may be copied at every use)
        let numbers = self.numbers
        let outcomes = self.outcomes
        // outcome phrases of a sentence, by start token (one buffer for the document)
        var outcomeAt: [(start: Int, end: Int, o: Outcome)] = []
        outcomeAt.reserveCapacity(Swift.max(16, tokens.count / 16))
        // the quantities of one sentence (one buffer for the document)
        var quantities: [Quantity] = []
        quantities.reserveCapacity(16)
        for sentence in doc.sentences {
            let range = sentence.tokens
            guard !range.isEmpty, !tokens[range.lowerBound].has(.boilerplate) else { continue }
            // quick reject: a sentence with no number-ish token has no figure
            var any = false
            for i in range where numbers.mayStart(tokens, at: i) { any = true; break }
            if !any { continue }
            // this sentence's phrases start at `outcomeBase` (the buffer is never cleared)
            let outcomeBase = outcomeAt.count
            var i = range.lowerBound
            while i < range.upperBound {
                if outcomes.mayStart(tokens[i].key),
                    let m = outcomes.longestFirst(tokens, at: i, limit: range.upperBound)
                {
                    outcomeAt.append((i, m.end, m.value))
                    i = m.end
                } else {
                    i += 1
                }
            }
            // convention phrases need a fatalities word, itself an outcome phrase
            if outcomeAt.count == outcomeBase { continue }
            let convention = conventionStarts(doc, range)
            if !quantities.isEmpty { quantities.removeAll(keepingCapacity: true) }
            numbers.quantities(doc, in: range, into: &quantities)
            var scopeCache: SentenceScope?
            // the claim of the sentence's own words (-2: not looked for yet), the same for every figure
            var sentenceClaim = -2
            // by index: each quantity is read in place, not copied out of the list
            for qi in quantities.indices {
                figure(doc, annotations, claims, quantities[qi], sentence: range, outcomes: outcomeAt[outcomeBase...],
                       convention: convention, scope: &scopeCache, sentenceClaim: &sentenceClaim, into: &out)
            }
        }
        return out
    }

    /// Token indices right after a convention phrase ("coded as") in a clause about fatalities.
    func conventionStarts(_ doc: Document, _ range: Range<Int>) -> [Int: String] {
        let tokens = doc.tokens
        var hasFatal = false
        for i in range where keyFatalities.contains(tokens[i].key) { hasFatal = true; break }
        guard hasFatal else { return [:] }
        var out: [Int: String] = [:]
        for i in range where conventions.mayStart(tokens[i].key) {
            if let m = conventions.longestFirst(tokens, at: i, limit: range.upperBound) {
                out[m.end] = m.value
            }
        }
        return out
    }

    /// True when tokens `from..<to` are only quotation marks (or none): 'killed "dozens"'.
    func onlyQuotes(_ tokens: [Token], _ from: Int, _ to: Int) -> Bool {
        guard from <= to, to - from <= 2 else { return false }
        for k in from..<to where tokens[k].key != keyQuote { return false }
        return true
    }

    func isClauseEdge(_ tokens: [Token], _ i: Int) -> Bool {
        tokens[i].key == keySemicolon
    }

    /// Appends the casualty a quantity reports to `out`; nothing when it is a trap, a count of
    /// things, or has no outcome.
    func figure(
        _ doc: Document, _ annotations: Annotations, _ claims: [Claim], _ q: Quantity, sentence: Range<Int>,
        outcomes: ArraySlice<(start: Int, end: Int, o: Outcome)>, convention: [Int: String],
        scope sentenceScope: inout SentenceScope?, sentenceClaim: inout Int, into out: inout [Casualty]
    ) {
        let tokens = doc.tokens
        // the head noun: skip modifiers, capitalized words, hyphen compounds and ages
        var j = q.tokens.upperBound
        var victims: String?
        var victimRule: String?
        var headEnd = j
        var possessive = false
        var steps = 0
        var unknownSkipped: Int?
        while j < sentence.upperBound && steps < 6 {
            let t = tokens[j]
            if let m = victimNouns.longestFirst(tokens, at: j, limit: sentence.upperBound) {
                victims = m.value.victims
                victimRule = m.value.rule
                headEnd = m.end
                break
            }
            if keyPossessives.contains(t.key) { possessive = true }
            let joined = !t.has(.spaceBefore) && j > q.tokens.upperBound
            if modifiers.contains(t.key) || joined || (t.isCapitalized && t.isWord) || t.kind == .number {
                j += 1
                steps += 1
                continue
            }
            // one unknown word may stand before the noun ("two tribal elders"), never an outcome
            if unknownSkipped == nil && t.isWord && self.outcomes.longestEnd(tokens, at: j, limit: sentence.upperBound) == nil
                && !aux.contains(t.key)
            {
                unknownSkipped = j
                j += 1
                steps += 1
                continue
            }
            break
        }
        // "29 Houthis were killed": capitalized names stood for the people
        if victims == nil && j > q.tokens.upperBound && j < sentence.upperBound
            && (aux.contains(tokens[j].key) || self.outcomes.longestEnd(tokens, at: j, limit: sentence.upperBound) != nil)
            && tokens[j - 1].isCapitalized
        {
            victims = "people"
            headEnd = j
        }
        let qEnd = q.tokens.upperBound
        let isConvention = q.kind != .vague && convention[q.tokens.lowerBound] != nil
            || (q.kind != .vague && qEnd + 1 < sentence.upperBound && keyFatalities.contains(tokens[qEnd].key)
                && self.conventions.longestEnd(tokens, at: qEnd + 1, limit: sentence.upperBound) != nil)
        // traps are never figures; a year-like number is one only with a person noun ("2000 soldiers")
        if let trap = q.trap, victims == nil || trap != "year" || isConvention { return }
        if q.kind == .article && victims == nil { return }
        // "and possibly many more": a comparative, not a second count
        if victims == nil, q.tokens.upperBound < sentence.upperBound, tokens[q.tokens.upperBound].key == keyMore {
            return
        }
        if q.best == 0 { return }
        let next = victims != nil ? headEnd : q.tokens.upperBound
        // the outcome: an adjacent left phrase, else the nearest to the right, else the nearest left
        // (by index: no outcome is copied while looking)
        var chosenIndex: Int?
        for x in outcomes.indices where outcomes[x].o.left && outcomes[x].end <= q.tokens.lowerBound
            && onlyQuotes(tokens, outcomes[x].end, q.tokens.lowerBound)
        {
            chosenIndex = x
        }
        if chosenIndex == nil {
            for x in outcomes.indices where outcomes[x].o.right && outcomes[x].start >= next
                && outcomes[x].start - next <= outcomes[x].o.reach
            {
                var blocked = false
                for k in next..<outcomes[x].start where isClauseEdge(tokens, k) || negations.contains(tokens[k].key) {
                    blocked = true
                    break
                }
                if !blocked { chosenIndex = x; break }
            }
        }
        if chosenIndex == nil {
            for x in outcomes.indices.reversed() where outcomes[x].o.left && outcomes[x].end <= q.tokens.lowerBound
                && q.tokens.lowerBound - outcomes[x].end <= outcomes[x].o.reach
            {
                var blocked = false
                for k in outcomes[x].end..<q.tokens.lowerBound where isClauseEdge(tokens, k) { blocked = true; break }
                if !blocked { chosenIndex = x; break }
            }
        }
        let chosen = chosenIndex.map { outcomes[$0] }
        var head: String
        var outcome: String
        if isConvention {
            outcome = "killed"
            head = "convention:" + (convention[q.tokens.lowerBound] ?? "coded")
        } else if let c = chosen {
            // a headless figure needs its outcome right next to it ("5 killed", "killing 5", "5 were killed")
            if victims == nil {
                let adjacentLeft = c.end <= q.tokens.lowerBound && onlyQuotes(tokens, c.end, q.tokens.lowerBound)
                let nextIsVerb = next < sentence.upperBound && (aux.contains(tokens[next].key) || next == c.start)
                let farLeftNoun = c.o.reach >= 12  // "death toll ... N"
                if !(adjacentLeft || nextIsVerb || farLeftNoun) { return }
            }
            outcome = outcomeNames[Int(c.o.outcome)]
            head = outcomeRules[Int(c.o.rule)]
        } else {
            return
        }
        // scope and period
        // the same for every figure of the sentence: read once
        let sentenceScopeValue: SentenceScope
        if let known = sentenceScope {
            sentenceScopeValue = known
        } else {
            sentenceScopeValue = scopeOf(doc, annotations, sentence: sentence)
            sentenceScope = sentenceScopeValue
        }
        let scope = sentenceScopeValue.cumulative ? "cumulative" : "incident"
        let period = sentenceScopeValue.period
        let scopeRule: String? = sentenceScopeValue.rule >= 0 ? self.scope[sentenceScopeValue.rule].rule : nil
        // part of another figure: "including 13 children" (subset), "bringing the total to 3" (total)
        let part = partOf(tokens, q.tokens.lowerBound, sentence: sentence)
        // provenance, written once into a buffer of its final size:
        // [kind:part+]outcome[+scope]+quantity[+victims]
        var size = head.utf8.count + 1 + numbers.ruleUTF8Count(of: q)
        if let scopeRule { size += 1 + scopeRule.utf8.count }
        if let part { size += part.kind.utf8.count + part.rule.utf8.count + 2 }
        if let victimRule { size += 1 + victimRule.utf8.count }
        // the bytes copied straight into the string's own storage (one allocation, no appends)
        let rule = String(unsafeUninitializedCapacity: size) { buffer in
            var n = 0
            if let part {
                Self.put(part.kind, buffer, &n)
                Self.put(":", buffer, &n)
                Self.put(part.rule, buffer, &n)
                Self.put("+", buffer, &n)
            }
            Self.put(head, buffer, &n)
            if let scopeRule {
                Self.put("+", buffer, &n)
                Self.put(scopeRule, buffer, &n)
            }
            Self.put("+", buffer, &n)
            for k in 0..<q.rules.count {
                if k > 0 { Self.put("+", buffer, &n) }
                Self.put(numbers.ruleNames[Int(q.rules[k])], buffer, &n)
            }
            if let victimRule {
                Self.put("+", buffer, &n)
                Self.put(victimRule, buffer, &n)
            }
            return n
        }
        var lo = q.tokens.lowerBound, hi = Swift.max(q.tokens.upperBound, headEnd)
        if let c = chosen {
            lo = Swift.min(lo, c.start)
            hi = Swift.max(hi, c.end)
        }
        let span = doc.span(of: lo..<hi)
        let figureSpan = doc.span(of: q.tokens)
        // claimant: the claim whose content holds the figure, else a claim of the same sentence
        // (claims read in place through an unsafe view: no claim is copied while looking)
        var claimIndex = claims.withUnsafeBufferPointer { list -> Int in
            for k in 0..<list.count where list[k].content.contains(figureSpan) { return k }
            return -1
        }
        if claimIndex < 0 {
            if sentenceClaim == -2 {
                let sentenceSpan = doc.span(of: sentence)
                sentenceClaim = claims.withUnsafeBufferPointer { list -> Int in
                    for k in 0..<list.count
                    where sentenceSpan.overlaps(list[k].claimantSpan) || sentenceSpan.overlaps(list[k].verbSpan) {
                        return k
                    }
                    return -1
                }
            }
            claimIndex = sentenceClaim
        }
        let claimant: ActorRef? = claimIndex >= 0 ? claims[claimIndex].claimant : nil
        // side: "963 of their troops" → the claimant's side; "Azerbaijani soldiers" → that actor
        var side: String?
        if possessive, let c = claimant { side = c.id }
        let headSpan = doc.span(of: q.tokens.lowerBound..<Swift.max(q.tokens.upperBound, headEnd))
        if side == nil {
            let sentenceSpan = doc.sentences[doc.sentenceIndex(ofToken: q.tokens.lowerBound)].span
            // by index: only a mention over the head is read (`inside` would copy each one)
            let actors = annotations.actors
            var a = actors.firstIndex(startingAtOrAfter: sentenceSpan.start)
            while a < actors.count && actors[a].span.start < sentenceSpan.end {
                let mspan = actors[a].span
                if sentenceSpan.contains(mspan) && mspan.overlaps(headSpan), let country = actors[a].actor?.country {
                    side = country
                    break
                }
                a += 1
            }
        }
        out.append(Casualty(
            outcome: outcome, low: q.low, best: q.best, high: q.high, qualifier: q.qualifier,
            victims: victims ?? "people", side: side, scope: scope, period: period, claimant: claimant,
            span: span, figureSpan: figureSpan, rule: rule))
    }

    /// Copies `text`'s UTF-8 into `buffer` at `n` (the caller sized the buffer).
    @inline(__always)
    static func put(_ text: String, _ buffer: UnsafeMutableBufferPointer<UInt8>, _ n: inout Int) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, let to = buffer.baseAddress, bytes.count <= buffer.count - n else { return }
            (to + n).update(from: base, count: bytes.count)
            n += bytes.count
        }
    }

    /// A subset or total cue ending right before the figure (up to two tokens between: "including
    /// at least", "including two").
    func partOf(_ tokens: [Token], _ start: Int, sentence: Range<Int>) -> (kind: String, rule: String)? {
        var i = Swift.max(sentence.lowerBound, start - 9)
        var found: (kind: String, rule: String)?
        while i < start {
            if let m = parts.longestFirst(tokens, at: i, limit: start) {
                let v = m.value
                // right before the figure, or a coordinated second part: "including 7 children and 6 women"
                let coordinated = v.kind == "subset" && start - m.end <= 5 && start > 0
                    && (tokens[start - 1].key == keyAnd || tokens[start - 1].key == keyComma)
                if start - m.end <= 1 || coordinated { found = v }
            }
            i += 1
        }
        return found
    }

    /// A sentence's scope, its toll's period and the scope rule (a struct: a tuple of these is
    /// copied and destroyed through the runtime's generic tuple witnesses).
    /// Plain values only (the rule is the cue's index in `scope`, -1 for none): copying or
    /// destroying one costs no reference counting.
    struct SentenceScope {
        var cumulative: Bool
        var period: EventDate?
        var rule: Int32

        init(cumulative: Bool, _ period: EventDate?, rule: Int32) {
            self.cumulative = cumulative
            self.period = period
            self.rule = rule
        }
    }

    /// Incident or cumulative, from the sentence's scope cues; the period of a cumulative toll.
    func scopeOf(_ doc: Document, _ annotations: Annotations, sentence: Range<Int>) -> SentenceScope {
        let tokens = doc.tokens
        // cues by payload index (-1: none) and token range: nothing is copied while scanning
        var strong: Int32 = -1, strongStart = 0, strongEnd = 0
        var weak: Int32 = -1, weakStart = 0, weakEnd = 0
        var incident: Int32 = -1
        let scope = self.scope
        var i = sentence.lowerBound
        while i < sentence.upperBound {
            if scope.mayStart(tokens[i].key),
                let m = scope.longestFirstIndex(tokens, at: i, limit: sentence.upperBound)
            {
                let cumulative = scope[m.index].cumulative
                if !cumulative {
                    if incident < 0 { incident = m.index }
                } else if scope[m.index].strong {
                    if strong < 0 { (strong, strongStart, strongEnd) = (m.index, i, m.end) }
                } else if weak < 0 {
                    (weak, weakStart, weakEnd) = (m.index, i, m.end)
                }
                i = m.end
            } else {
                i += 1
            }
        }
        let chosen: Int32, cueStart: Int, cueEnd: Int
        if strong >= 0 {
            (chosen, cueStart, cueEnd) = (strong, strongStart, strongEnd)
        } else if incident < 0 && weak >= 0 {
            (chosen, cueStart, cueEnd) = (weak, weakStart, weakEnd)
        } else {
            return SentenceScope(cumulative: false, nil, rule: incident)
        }
        let period = scope[chosen].period
        var toll: EventDate?
        let anchor = annotations.anchor
        switch period {
        case "since":
            // the first time expression after the cue, in the sentence
            let after = doc.span(of: cueEnd..<sentence.upperBound)
            for m in annotations.times.inside(after) {
                if let t = m.timex, let r = t.range {
                    let end = anchor.map { Swift.max($0, r.lowerBound) } ?? r.upperBound
                    toll = EventDate(start: r.lowerBound, end: end, precision: t.precision)
                    break
                }
            }
        case "duration":
            // "in the four weeks of fighting": the number and unit just before (or in) the cue
            if let anchor {
                var k = cueStart
                var unitDays: Int?
                if let d = durationUnits[tokens[cueStart].key] { unitDays = d; k = cueStart }
                var count: Int?
                var s = Swift.max(sentence.lowerBound, k - 3)
                while s < k {
                    if let q = numbers.read(doc, at: s, limit: k), q.tokens.upperBound == k { count = q.best; break }
                    s += 1
                }
                if unitDays == nil, cueEnd < sentence.upperBound, let d = durationUnits[tokens[cueEnd].key] {
                    unitDays = d
                    var s2 = cueEnd - 1
                    count = nil
                    while s2 >= cueStart {
                        if let q = numbers.read(doc, at: s2, limit: cueEnd), q.tokens.upperBound == cueEnd {
                            count = q.best
                            break
                        }
                        s2 -= 1
                    }
                }
                if let unitDays, let count {
                    toll = EventDate(
                        start: CalendarArithmetic.adding(days: -unitDays * count, to: anchor), end: anchor,
                        precision: unitDays >= 30 ? .month : (unitDays >= 7 ? .week : .day))
                }
            }
        default: break
        }
        return SentenceScope(cumulative: true, toll, rule: chosen)
    }
}

/// Day arithmetic on proleptic Gregorian dates (days from civil, Howard Hinnant's algorithm).
enum CalendarArithmetic {
    static func daysFromCivil(_ d: CalendarDate) -> Int {
        let y = d.month <= 2 ? d.year - 1 : d.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (d.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + d.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int) -> CalendarDate {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return CalendarDate(year: y, month: m, day: d)
    }

    static func adding(days: Int, to date: CalendarDate) -> CalendarDate {
        civil(fromDays: daysFromCivil(date) + days)
    }
}
