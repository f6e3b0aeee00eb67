import Foundation
import SitrepLanguage
import SitrepText

/// The group names the resolver reads (pattern `name=` prefixes).
enum TimeGroup: Int, CaseIterable {
    case ampm, cy, d, dec, dir, edge, era, f, h, hol, m, mi, mo, n, o, pod, q, rel, s, tz, u, units, wd, when, y, yy
}

/// One `examples` entry of a rule: the text, its anchor date, the expected value and extent.
public struct TimeRuleExample: Sendable, Decodable {
    public var rule: String = ""
    public var text: String
    public var anchor: String
    public var value: String
    public var span: String?

    enum CodingKeys: String, CodingKey { case text, anchor, value, span }
}

struct TimeRuleFile: Decodable {
    struct Rule: Decodable {
        var id: String
        var pattern: String
        var type: String
        var action: String
        var params: [String: String]?
        var examples: [TimeRuleExample]?
    }

    var rules: [Rule]
}

/// Finds time expressions and normalizes them to TIMEX3 against the anchor date.
///
/// Two passes per document: (1) the rule automaton finds candidate expressions sentence by
/// sentence; (2) the resolver walks them in order, choosing the document mode (news or
/// narrative), estimating the publication date when it is missing, and keeping a reference time
/// for anaphoric expressions ("the next day", "that month").
public final class TimeTagger: Sendable {
    let tables: TimeTables
    let automaton: TimeAutomaton
    let rules: [TimeRule]
    /// `rules` in trivially copyable form, for the candidate filter and the matcher.
    let infos: [TimeRuleInfo]
    let numberTable: Int
    let modTable: Int
    /// Every rule's examples, for the test suite.
    public let examples: [TimeRuleExample]
    /// Automaton group id of each `TimeGroup` (-1 when no pattern uses it).
    let groupIDs: [Int]
    let pastTable: Int
    let futureTable: Int
    let intentTable: Int
    let deadlineTable: Int
    /// Words after a bare number that make it a quantity, not a year ("1994 troops").
    let notYearBefore: KeySet
    /// Words before a month name that make it a noun ("the March", "a march").
    let notMonthAfter: KeySet
    /// Words joining a year-less date to a dated one ("August and September 1914").
    let joinKeys: KeySet
    /// Month abbreviations that alone are names ("Jan Kavan"), not months.
    let monthAbbrBare: KeySet
    /// After "quarters of": words that keep the quarter a period, not a fraction.
    let periodAfterOf: KeySet
    /// Past-perfect auxiliaries: a deadline word in such a clause does not point ahead.
    let perfectKeys: KeySet
    /// A determiner before a month name makes it a noun ("the March of ...") only when a word in
    /// `monthNounNext` (or punctuation) follows; "the October slaying" is the month.
    let monthNounNext: KeySet
    /// Words before a month name that always make it a noun ("the annual March for Life").
    let notMonthAfterAlways: KeySet
    /// Rates ("$2 million a year", "10,000 units annually"): words right before the frequency that
    /// make it a period instead ("within a week", "in a year"), and quantity words.
    let rateStop: KeySet
    let rateQuantity: KeySet
    /// "52 years old": a word after a duration that makes it an age.
    let ageAfter: KeySet
    /// "in his 30s": possessives that make a decade an age.
    let agePossessive: KeySet
    /// "Now, ...": sentence-initial words that are discourse markers when a comma follows.
    let discourseComma: KeySet
    /// Bare plurals that are not an unspecified amount of time ("winter quarters", "in some quarters").
    let notBarePlural: KeySet
    /// "a year-earlier loss": words after a hyphen that make the unit part of a compound date.
    let hyphenCompound: KeySet
    /// "high noon": words before a clock word that make it an idiom.
    let notClockAfter: KeySet
    static let toWordKey = Fold.key("to")
    static let commaKey = Fold.key(",")
    /// Words before such a plural that keep it a period ("future quarters").
    let pluralTimeBefore: KeySet
    let ordinalTable: Int
    static let ofKey = Fold.key("of")
    static let oldKey = Fold.key("old")
    static let hyphenKey = Fold.key("-")
    static let fallKey = Fold.key("fall")
    static let articleKeys = KeySet([Fold.key("a"), Fold.key("an")])
    /// The first-key filter as start marks (`StartMarks.time`), for a tagger run on its own.
    let startMarks: StartMarks
    /// Working storage lent to each document (`TimeScratch`).
    let scratchPool = ScratchPool<TimeScratch>()
    /// Per table entry: its value is a point modifier (START, END, MID), not a quantity one.
    let modIsPoint: [Bool]
    /// Per table entry: its value is "Q" (a quarter), "FA" (the fall): what `accept` asks of a
    /// capture without making its value string.
    let entryIsQuarter: [Bool]
    let entryIsFall: [Bool]
    /// Per rule, `TimeParam.allCases.count` slots: `params[p.key]` (`TimeResolver.param`).
    let paramSlots: [String?]
    /// `TimeParam.allCases.count`, folded at compile time (a static `let` would cost a
    /// `swift_once` per read); `yearOffset` is the last case (pinned by a test).
    static var paramStride: Int { TimeParam.yearOffset.rawValue + 1 }
    /// Per rule: the automaton groups its patterns name (`TimeAutomaton.ruleGroups`).
    let ruleGroups: [UInt64]
    /// Single-token phrases of the number table whose value is a whole number ("three", not "a few").
    let numberIntKeys: KeySet

    public static let rulesFile = "en/time/rules.json"
    public static let tablesFile = "en/time/tables.tsv"

    public init(rules ruleFile: String = TimeTagger.rulesFile, tables tablesFile: String = TimeTagger.tablesFile) throws {
        let lexicon = try LanguageResources.lexicon(tablesFile, required: ["class", "phrase"])
        let tables = try TimeTables(lexicon: lexicon)
        func keys(_ tableClass: String) -> KeySet {
            KeySet(lexicon.rows.filter { $0["class"] == tableClass }.map { Fold.key($0["phrase"]) })
        }
        notYearBefore = keys("not-year-before")
        notMonthAfter = keys("not-month-after")
        joinKeys = keys("join")
        monthAbbrBare = keys("month-abbr-bare")
        periodAfterOf = keys("period-after-of")
        perfectKeys = keys("perfect")
        monthNounNext = keys("month-noun-next")
        notMonthAfterAlways = keys("not-month-after-always")
        rateStop = keys("rate-stop")
        rateQuantity = keys("rate-quantity")
        ageAfter = keys("age-after")
        agePossessive = keys("age-possessive")
        discourseComma = keys("discourse-comma")
        notBarePlural = keys("not-bare-plural")
        hyphenCompound = keys("hyphen-compound")
        notClockAfter = keys("not-clock-after")
        pluralTimeBefore = keys("plural-time-before")
        let file = try LanguageResources.json(TimeRuleFile.self, ruleFile)
        var automaton = TimeAutomaton()
        var rules: [TimeRule] = []
        var examples: [TimeRuleExample] = []
        var seen: Set<String> = []
        for (i, r) in file.rules.enumerated() {
            guard seen.insert(r.id).inserted else {
                throw LanguageDataError(file: ruleFile, reason: "duplicate rule id '\(r.id)'")
            }
            guard let type = TimexType(rawValue: r.type) else {
                throw LanguageDataError(file: ruleFile, reason: "rule '\(r.id)': unknown type '\(r.type)'")
            }
            guard TimeResolver.actions.contains(r.action) else {
                throw LanguageDataError(file: ruleFile, reason: "rule '\(r.id)': unknown action '\(r.action)'")
            }
            rules.append(TimeRule(
                id: r.id, provenance: "\(ruleFile)#\(r.id)", type: type, action: r.action,
                params: r.params ?? [:], priority: i,
                silent: r.params?["emit"] == "no", narrativeOnly: r.params?["mode"] == "narrative",
                notDeictic: r.params?["deictic"] == "no", durationBeforeEnd: r.params?["duration-before-end"]))
            // "a b; c d": alternative whole patterns of one rule.
            for p in r.pattern.split(separator: ";") {
                try automaton.add(pattern: p.trimmingCharacters(in: .whitespaces), rule: i, tables: tables,
                                  file: "\(ruleFile)#\(r.id)")
            }
            for var e in r.examples ?? [] {
                e.rule = r.id
                examples.append(e)
            }
        }
        automaton.finalize(tables: tables)
        var startMarks = StartMarks()
        startMarks.add(automaton.firstBits, bit: StartMarks.slotTime)
        self.startMarks = startMarks
        guard let numberTable = tables.index["number"], let modTable = tables.index["mod"] else {
            throw LanguageDataError(file: tablesFile, reason: "tables 'number' and 'mod' are required")
        }
        for name in automaton.groups where TimeGroup.allCases.first(where: { "\($0)" == name }) == nil {
            throw LanguageDataError(file: ruleFile, reason: "unknown group name '\(name)'")
        }
        self.groupIDs = TimeGroup.allCases.map { automaton.groupIndex["\($0)"] ?? -1 }
        guard let past = tables.index["past"], let future = tables.index["future"], let intent = tables.index["intent"]
        else {
            throw LanguageDataError(file: tablesFile, reason: "tables 'past', 'future' and 'intent' are required")
        }
        self.intentTable = intent
        guard let deadline = tables.index["deadline"] else {
            throw LanguageDataError(file: tablesFile, reason: "table 'deadline' is required")
        }
        self.deadlineTable = deadline
        guard let ordinal = tables.index["ordinal"] else {
            throw LanguageDataError(file: tablesFile, reason: "table 'ordinal' is required")
        }
        self.ordinalTable = ordinal
        self.pastTable = past
        self.futureTable = future
        self.tables = tables
        self.modIsPoint = tables.entries.map { ["START", "END", "MID"].contains($0.value) }
        self.entryIsQuarter = tables.entries.map { $0.value == "Q" }
        self.entryIsFall = tables.entries.map { $0.value == "FA" }
        self.paramSlots = rules.flatMap { r in TimeParam.allCases.map { r.params[$0.key] } }
        self.ruleGroups = rules.indices.map { $0 < automaton.ruleGroups.count ? automaton.ruleGroups[$0] : 0 }
        self.automaton = automaton
        self.rules = rules
        self.infos = rules.map(TimeRuleInfo.init)
        self.numberTable = numberTable
        self.numberIntKeys = KeySet(tables.single[numberTable].filter { Int($0.value) != nil }.keys)
        self.modTable = modTable
        self.examples = examples
    }

    public static func english() throws -> TimeTagger {
        try TimeTagger()
    }

    /// A candidate expression found by the automaton.
    struct Candidate {
        var lo: Int
        var hi: Int
        var rule: Int
        /// Its captures: `capLo ..< capHi` of the document's capture list (one list per document,
        /// not an array per candidate).
        var capLo: Int
        var capHi: Int
        /// The modifier before the expression ("early", "nearly"): its entry in `tables.entries`
        /// (-1: none). An index, not the value string: a candidate is then trivially copyable.
        var mod: Int32 = -1
        var sentence: Int
        /// A frequency after a quantity ("$2 million a year"): a rate, not a period.
        var rate = false
        /// A duration before "old" ("52 years old"): an age.
        var age = false
    }

    /// Pass 1: candidates in document order; their captures are appended to `all`.
    /// `marks`: the document's start marks (`StartMarks`), one per token.
    /// `out`: emptied, then the candidates.
    func candidates(_ doc: Document, captures all: inout [Capture], marks: [UInt8], into out: inout [Candidate]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(doc.tokens.count / 32 + 8)
        let first = automaton.firstFollow
        let numeric = automaton.numericStart
        let digitFollow = automaton.digitFollow
        let digitAcceptKinds = automaton.digitAcceptKinds
        let want = StartMarks.time | (numeric ? StartMarks.digit : 0)
        let matcher = TimeMatcher(tagger: self)
        var caps: [Capture] = []
        caps.reserveCapacity(16)
        var bestCaps: [Capture] = []
        bestCaps.reserveCapacity(16)
        let infos = self.infos
        infos.withUnsafeBufferPointer { infoBuf in
        automaton.follows.withUnsafeBufferPointer { follows in
        marks.withUnsafeBufferPointer { marks in
        matcher.withHot(doc, infos: infoBuf) { hot in
                var h = hot
                let tokens = h.tokens
                for (si, sentence) in doc.sentences.enumerated() {
                    h.limit = sentence.tokens.upperBound
                    var i = sentence.tokens.lowerBound
                    while i < sentence.tokens.upperBound {
                        // the start marks (the 64 Ki-bit filter of first keys, digits) skip most
                        // tokens, eight at a time, before the map lookup
                        i = StartMarks.next(marks, from: i, to: sentence.tokens.upperBound, want: want)
                        if i >= sentence.tokens.upperBound { break }
                        let mark = marks[i]
                        // a first key, or a number, whose next token may continue a pattern
                        // (`TimeAutomaton.Follow`): most tokens that may start one start none
                        var start = false
                        if mark & StartMarks.time != 0, let f = first[tokens[i].key] {
                            start = TimeMatcher.mayContinue(follows[Int(f)], h, at: i)
                        }
                        if !start && numeric && mark & StartMarks.digit != 0 {
                            start = TimeMatcher.mayContinue(digitFollow, h, at: i)
                                || digitAcceptKinds.contains { matcher.number($0, h, at: i) != nil }
                        }
                        guard start, let m = matcher.match(h, at: i, caps: &caps, bestCaps: &bestCaps)
                        else {
                            i += 1
                            continue
                        }
                        let floor = max(sentence.tokens.lowerBound, out.last.map { $0.sentence == si ? $0.hi : 0 } ?? 0)
                        // An optional comma before an optional part that is absent ("10:35 a.m., the"): not in the extent.
                        var end = m.end
                        while end - 1 > i, tokens[end - 1].kind == .punct, tokens[end - 1].key == TimeTagger.commaKey { end -= 1 }
                        let capLo = all.count
                        for cap in bestCaps { all.append(cap) }
                        var c = Candidate(lo: i, hi: end, rule: m.rule, capLo: capLo, capHi: all.count, sentence: si)
                        if accept(doc, &c, all, floor: floor, info: infoBuf[m.rule]) {
                            out.append(c)
                            // A cue ("its sixth week") is never emitted: what it covers may still be
                            // an expression ("its fourth quarter").
                            i = infoBuf[m.rule].silent ? i + 1 : m.end
                        } else {
                            all.removeSubrange(capLo...)
                            i += 1
                        }
                    }
                }
        }
        }
        }
        }
    }

    /// Filters a match by its context and attaches a preceding modifier ("early", "nearly").
    /// `info` is `infos[c.rule]`. Token texts are compared only after their keys agree.
    /// `c` is updated in place (no copies of the candidate); false: rejected (`c` is then garbage).
    /// `all` is the document's capture list.
    func accept(_ doc: Document, _ c: inout Candidate, _ all: [Capture], floor: Int, info rule: TimeRuleInfo) -> Bool {
        let tokens = doc.tokens
        func text(_ j: Int) -> String { doc.string(tokens[j].span).lowercased() }
        switch rule.action {
        case .duration, .set:
            // "13-year-old": an age, not a duration.
            if c.hi + 1 < tokens.count, tokens[c.hi].kind == .punct, !tokens[c.hi].has(.spaceBefore),
                tokens[c.hi + 1].key == TimeTagger.oldKey, text(c.hi + 1) == "old" { return false }
            // "three-quarters of its food", "a quarter of the market": a fraction, not a period.
            if all[c.capLo..<c.capHi].contains(where: { $0.kind == .entry && entryIsQuarter[$0.n] }), c.hi + 1 < tokens.count,
                tokens[c.hi].key == TimeTagger.ofKey, tokens[c.hi + 1].kind != .number,
                !periodAfterOf.contains(tokens[c.hi + 1].key) { return false }
            // "a year-earlier loss": "year-earlier" is the date, not "a year".
            if rule.action == .duration, c.hi + 1 < tokens.count, tokens[c.hi].kind == .punct,
                !tokens[c.hi].has(.spaceBefore), tokens[c.hi].key == TimeTagger.hyphenKey, text(c.hi) == "-", hyphenCompound.contains(tokens[c.hi + 1].key) { return false }
            // "entered winter quarters": lodgings, not an unspecified number of quarters.
            // "future quarters", "the second and fourth quarters" stay periods.
            if rule.unspecifiedCount, c.hi - c.lo == 1, notBarePlural.contains(tokens[c.lo].key),
                !(c.lo > 0 && (pluralTimeBefore.contains(tokens[c.lo - 1].key)
                    || tables.single[ordinalTable][tokens[c.lo - 1].key] != nil)) { return false }
            c.rate = isRate(doc, c, action: rule.action)
            if rule.action == .duration, c.hi < tokens.count, ageAfter.contains(tokens[c.hi].key) { c.age = true }
        case .decade:
            // "in his 30s": an age, not a decade.
            if c.lo > 0, agePossessive.contains(tokens[c.lo - 1].key) { return false }
        case .ref:
            // "Now, the question is ...": a discourse marker, not the present.
            if c.hi - c.lo == 1, tokens[c.lo].has(.sentenceStart), c.hi < tokens.count,
                tokens[c.hi].key == TimeTagger.commaKey, text(c.hi) == ",",
                discourseComma.contains(tokens[c.lo].key) { return false }
        case .date:
            // A bare year: not money, percentages, quantities or counts.
            if rule.dateYear {
                if c.lo > 0 && tokens[c.lo - 1].kind == .symbol { return false }
                if c.hi < tokens.count {
                    let n = tokens[c.hi]
                    if n.kind == .symbol || n.kind == .number || notYearBefore.contains(n.key) { return false }
                }
            }
        case .relunit:
            // "the year-ago quarter" (a compound), "Constitution of the Year III" (a name).
            if rule.notDeictic, c.hi < tokens.count {
                let n = tokens[c.hi]
                if n.kind == .punct && !n.has(.spaceBefore) && n.key == TimeTagger.hyphenKey && text(c.hi) == "-" { return false }
                if tokens[c.hi - 1].isCapitalized && !tokens[c.hi - 1].has(.sentenceStart) { return false }
            }
        case .clock:
            // "high noon": an idiom.
            if c.lo > 0, notClockAfter.contains(tokens[c.lo - 1].key) { return false }
        case .season:
            // "the fall of the city": a noun, not the season.
            if let sc = all[c.capLo..<c.capHi].first(where: { $0.kind == .entry && entryIsFall[$0.n] }), tokens[sc.lo].key == TimeTagger.fallKey,
                text(sc.lo) == "fall", c.hi < tokens.count, tokens[c.hi].key == TimeTagger.ofKey,
                text(c.hi) == "of" { return false }
        case .month:
            // "the March", "a march": not the month.
            if rule.dateMonth, c.lo > 0 {
                let before = tokens[c.lo - 1].key
                if notMonthAfterAlways.contains(before) { return false }
                // "the March to the sea" is a march; "the October slaying", "a June agreement" the month.
                if notMonthAfter.contains(before) {
                    let end = doc.sentences[c.sentence].tokens.upperBound
                    if c.hi >= end || tokens[c.hi].kind == .punct || tokens[c.hi].kind == .symbol
                        || monthNounNext.contains(tokens[c.hi].key) { return false }
                }
            }
            // "Foreign Minister Jan Kavan": a bare abbreviation is a name.
            if rule.dateMonth, c.hi - c.lo == 1, monthAbbrBare.contains(tokens[c.lo].key) { return false }
        default:
            break
        }
        // "quarter-to-quarter", "day-to-day": a compound adjective, not a time.
        if c.hi + 1 < tokens.count, tokens[c.hi].kind == .punct, !tokens[c.hi].has(.spaceBefore),
            tokens[c.hi + 1].key == TimeTagger.toWordKey, !tokens[c.hi + 1].has(.spaceBefore),
            tokens[c.hi].key == TimeTagger.hyphenKey, text(c.hi) == "-" { return false }
        // Modifier before the expression (extent includes it).
        let back = min(4, c.lo - floor)
        if back > 0 {
            var k = back
            while k >= 1 {
                let start = c.lo - k
                if let list = tables.hotRange(modTable, startingWith: tokens[start].key),
                    let entry = modEntry(list, tokens, at: start, end: c.lo)
                {
                    let ok = modIsPoint[entry] ? (rule.type == .date && !rule.refLike)
                        : (rule.type == .duration || rule.action == .shift)
                    if ok {
                        c.lo = start
                        c.mod = Int32(entry)
                    }
                    break
                }
                k -= 1
            }
        }
        return true
    }

    /// The entry of the first phrase of hot range `list` (longest first) that starts at token
    /// `start` and ends exactly at `end`.
    func modEntry(_ list: Range<Int>, _ tokens: [Token], at start: Int, end: Int) -> Int? {
        for q in list {
            let p = tables.hot[q]
            var k = start + 1
            var ok = true
            for r in Int(p.restLo)..<Int(p.restLo + p.restCount) {
                guard k < end, tokens[k].key == tables.restKeys[r] else {
                    ok = false
                    break
                }
                k += 1
            }
            if ok && k == end { return Int(p.entry) }
        }
        return nil
    }

    /// "$2 million a year", "358,000 a month", "10,000 units annually": a frequency right after a
    /// quantity (a number, a symbol or a quantity word within three tokens, no preposition between).
    func isRate(_ doc: Document, _ c: Candidate, action: TimeAction) -> Bool {
        let tokens = doc.tokens
        let adverb = action == .set && c.hi - c.lo == 1
        let article = (action == .duration || action == .set) && c.hi - c.lo == 2 && TimeTagger.articleKeys.contains(tokens[c.lo].key)
        guard adverb || article else { return false }
        let start = doc.sentences[c.sentence].tokens.lowerBound
        guard c.lo > start else { return false }
        let prev = tokens[c.lo - 1]
        if rateStop.contains(prev.key) { return false }
        // "40 daily sorties": an adjective before its noun.
        if adverb && prev.kind == .number { return false }
        var j = c.lo - 1
        while j >= max(start, c.lo - 3) {
            let t = tokens[j]
            if t.kind == .number || t.kind == .symbol || t.has(.hasDigit) || rateQuantity.contains(t.key) { return true }
            if numberIntKeys.contains(t.key), !TimeTagger.articleKeys.contains(t.key) {
                return true
            }
            j -= 1
        }
        return false
    }

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {
        tag(doc, context: context, into: &annotations, marks: startMarks.marks(doc.tokens))
    }

    /// `tag` with the document's start marks already read (`Annotator` reads them once for all
    /// taggers).
    func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations, marks: [UInt8]) {
        var scratch = scratchPool.take()
        tag(doc, context: context, into: &annotations, marks: marks, &scratch)
        scratchPool.give(consume scratch)  // (moved back, not copied)
    }

    /// `scratch`: the document's capture and candidate lists (emptied here; the resolver reads
    /// them and is gone when this returns).
    func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations, marks: [UInt8],
             _ scratch: inout TimeScratch) {
        scratch.captures.removeAll(keepingCapacity: true)
        candidates(doc, captures: &scratch.captures, marks: marks, into: &scratch.cands)
        let cands = scratch.cands
        var resolver = TimeResolver(tagger: self, doc: doc, published: context.published)
        resolver.captures = scratch.captures
        resolver.prepare(cands)
        resolver.cands = cands
        annotations.anchor = resolver.anchor
        annotations.publishedEstimate = resolver.estimate ?? annotations.publishedEstimate
        var out: [Mention] = []
        out.reserveCapacity(cands.count)
        for (i, c) in cands.enumerated() {
            resolver.position = i
            // (`resolve` in two steps: the reading borrows the resolver, only `apply` changes it)
            guard let r = resolver.reading(c) else { continue }
            resolver.apply(r)
            out.append(Mention(span: doc.span(of: c.lo..<c.hi), payload: .time(r.timex), rule: rules[c.rule].provenance))
        }
        if annotations.times.isEmpty {
            annotations.times = out  // handed over, not copied mention by mention
        } else {
            annotations.times.append(contentsOf: out)
        }
        annotations.times.sortBySpan()
    }
}

/// The time tagger's working storage for one document, reused from one to the next.
struct TimeScratch: ScratchStorage {
    var captures: [Capture] = []
    var cands: [TimeTagger.Candidate] = []
}
