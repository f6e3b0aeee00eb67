import Foundation
import SitrepText

/// Pass 2: turns candidates into TIMEX3 values, in document order, keeping the reference time.
struct TimeResolver {
    static let actions: Set<String> = [
        "date", "month", "era", "decade", "season", "quarter", "half", "quarter-current", "relday", "weekday",
        "relunit", "shift", "anaphor", "duration", "clock", "set", "set-weekday", "ref", "cue", "holiday", "century",
    ]

    /// A reference time: a year, maybe a month, maybe a day.
    struct Ref {
        var y: Int
        var m: Int? = nil
        var d: Int? = nil

        var dayNumber: Int? {
            guard let m, let d else { return nil }
            return TimeCalendar.days(y, m, d)
        }
    }

    static let possessiveKey = TokenTrie<Int>.keys(of: "day's").last ?? 0
    let tagger: TimeTagger
    let doc: Document
    let published: CalendarDate?
    /// The date relative expressions resolve against: the publication date or its estimate.
    var anchor: CalendarDate?
    var anchorDay: Int?
    var estimate: PublishedEstimate?
    /// History-style text: deictic expressions follow the narrative's reference time.
    var narrative = false
    var ref: Ref?
    /// The last reference time known to the month, and its paragraph (narratives).
    var monthRef: (ref: Ref, paragraph: Int)?
    /// Every candidate of the document, and the index of the one being resolved.
    var cands: [TimeTagger.Candidate] = []
    /// The document's capture list (`Candidate.capLo ..< capHi`).
    var captures: [Capture] = []
    var position = 0
    /// The last quarter named, and the sentence it was named in ("a year earlier" compares with it).
    var lastQuarter: (y: Int, q: Int, sentence: Int)?
    /// The last quarter named by its ordinal ("its fourth quarter ended Sept. 30"): what a later
    /// "the quarter" refers to.
    var namedQuarter: (y: Int, q: Int)?

    init(tagger: TimeTagger, doc: Document, published: CalendarDate?) {
        self.tagger = tagger
        self.doc = doc
        self.published = published
        self.anchor = published
        self.anchorDay = published.map { TimeCalendar.days($0) }
    }

    @inline(__always)
    func cap(_ c: TimeTagger.Candidate, _ name: TimeGroup) -> Capture? {
        let g = tagger.groupIDs[name.rawValue]
        // (a rule whose patterns never name the group has no capture of it)
        guard g >= 0, tagger.ruleGroups[c.rule] & (UInt64(1) << UInt64(min(g, 63))) != 0 else { return nil }
        for k in c.capLo..<c.capHi where captures[k].group == g { return captures[k] }
        return nil
    }

    /// The lowercased text of a capture.
    func capText(_ cap: Capture) -> String {
        doc.string(doc.span(of: cap.lo..<cap.hi)).lowercased()
    }

    /// Whether a capture's text ends in "s" or "S" (`capText(cap).hasSuffix("s")`, read from
    /// its last byte: no string is made).
    func capEndsWithS(_ cap: Capture) -> Bool {
        let span = doc.span(of: cap.lo..<cap.hi)
        guard span.end > span.start, span.end <= doc.bytes.count else { return false }
        return doc.bytes[span.end - 1] | 0x20 == 0x73
    }

    func int(_ c: TimeTagger.Candidate, _ name: TimeGroup) -> Int? {
        cap(c, name).flatMap { tagger.tables.int(of: $0) }
    }

    /// The value of a group's capture (a table value, a number in digits, "" for a literal).
    func val(_ c: TimeTagger.Candidate, _ name: TimeGroup) -> String? {
        cap(c, name).map { tagger.tables.value(of: $0, in: doc) }
    }

    /// `rules[c.rule].params[name.key]`, read from its slot.
    @inline(__always)
    func param(_ c: TimeTagger.Candidate, _ name: TimeParam) -> String? {
        guard tagger.infos[c.rule].hasParams else { return nil }
        return tagger.paramSlots[c.rule * TimeTagger.paramStride + name.rawValue]
    }

    /// Month number from `m` (a month name) or `mo` (digits).
    func month(_ c: TimeTagger.Candidate) -> Int? {
        if let m = int(c, .m) { return m }
        if let m = int(c, .mo), (1...12).contains(m) { return m }
        return nil
    }

    // MARK: - document-level decisions

    /// What `prepare` reads from the candidates before it decides.
    struct Census {
        var far = 0, near = 0, deictic = 0
        /// Each full date's day number and its candidate (whose text is read only for the latest).
        var fullDates: [(day: Int, cand: Int)] = []
        var partialDays: [(m: Int, d: Int)] = []
        var years: [Int] = []
        var cue: (ordinal: Int, unit: String)?
    }

    /// Chooses the mode and, without a publication date, estimates it.
    mutating func prepare(_ cands: [TimeTagger.Candidate]) {
        // (read by a non-mutating method: the helpers it calls borrow the resolver in place,
        // where a call from a mutating method first copies the whole struct)
        var census = census(cands)
        if published == nil {
            estimatePublication(cands, fullDates: census.fullDates, partialDays: census.partialDays,
                                years: census.years, cue: census.cue)
            if let a = anchor {
                census.far = census.years.filter { a.year - $0 >= 3 }.count
                census.near = census.years.count - census.far
            } else {
                census.far = census.years.count
            }
        }
        // History-style text: many explicit years, few of them recent or few deictic words.
        let explicitYears = census.far + census.near
        narrative = explicitYears >= 3 && census.deictic * 8 <= explicitYears
        if let a = anchor, !narrative { ref = Ref(y: a.year, m: a.month, d: a.day) }
    }

    /// The dates, years and deictic words of the candidates (`prepare`).
    func census(_ cands: [TimeTagger.Candidate]) -> Census {
        var far = 0, near = 0, deictic = 0
        var fullDates: [(day: Int, cand: Int)] = []
        var partialDays: [(m: Int, d: Int)] = []
        var years: [Int] = []
        years.reserveCapacity(cands.count)  // (one allocation, not one per doubling)
        var cue: (ordinal: Int, unit: String)?
        for (ci, c) in cands.enumerated() {
            let rule = tagger.infos[c.rule]
            switch rule.action {
            case .date, .season, .quarter, .half, .era:
                var y = int(c, .y)
                if rule.action == .era, val(c, .era) == "BC" { y = -(y ?? 0) }
                guard let year = y else {
                    if rule.action == .date, let m = month(c), let d = int(c, .d) { partialDays.append((m, d)) }
                    continue
                }
                years.append(year)
                if let a = anchor, a.year - year >= 3 { far += 1 } else { near += 1 }
                if rule.action == .date, let m = month(c), let d = int(c, .d), TimeCalendar.isValid(year, m, d) {
                    fullDates.append((TimeCalendar.days(year, m, d), ci))
                }
            case .relday, .weekday, .relunit:
                // "for the year" follows the narrative as well as the news: not a deictic cue.
                if !rule.notDeictic { deictic += 1 }
            case .cue:
                if let o = int(c, .o), let u = val(c, .u) { cue = (o, u) }
            default:
                break
            }
        }
        return Census(far: far, near: near, deictic: deictic, fullDates: fullDates, partialDays: partialDays,
                      years: years, cue: cue)
    }

    /// `fullDates`: day numbers and their candidates in `cands`.
    mutating func estimatePublication(_ cands: [TimeTagger.Candidate], fullDates: [(day: Int, cand: Int)],
                                      partialDays: [(m: Int, d: Int)], years: [Int],
                                      cue: (ordinal: Int, unit: String)?) {
        guard let latest = fullDates.max(by: { $0.day < $1.day }) else {
            if let y = years.filter({ $0 > 0 }).max() {
                anchor = CalendarDate(year: y, month: 12, day: 31)
                anchorDay = TimeCalendar.days(y, 12, 31)
                estimate = PublishedEstimate(value: String(y), precision: .year,
                                             basis: "latest year in text: \(y)")
            }
            return
        }
        var lo = latest.day
        var hi = latest.day
        let latestCand = cands[latest.cand]
        var basis = "latest full date in text: \(doc.string(doc.span(of: latestCand.lo..<latestCand.hi)))"
        var precision = DatePrecision.week
        if let cue, cue.ordinal >= 1, cue.ordinal <= 60 {
            // "now in its sixth week": counted from the earliest date of the text.
            let latestYear = TimeCalendar.date(latest.day).year
            var starts = fullDates.map(\.day)
            for p in partialDays {
                var y = latestYear
                if TimeCalendar.isValid(y, p.m, p.d), TimeCalendar.days(y, p.m, p.d) > latest.day { y -= 1 }
                if TimeCalendar.isValid(y, p.m, p.d) { starts.append(TimeCalendar.days(y, p.m, p.d)) }
            }
            if let start = starts.min(), start < latest.day {
                let unitDays = ["D": 1, "W": 7, "M": 30, "Y": 365][cue.unit] ?? 0
                if unitDays > 0 {
                    let wlo = start + (cue.ordinal - 1) * unitDays
                    let whi = start + cue.ordinal * unitDays - 1
                    if whi >= latest.day {
                        lo = max(latest.day, wlo)
                        hi = whi
                        let unitName = ["D": "day", "W": "week", "M": "month", "Y": "year"][cue.unit] ?? cue.unit
                        basis += "; the text counts its week \(cue.ordinal) since \(TimeCalendar.dayValue(start))"
                            .replacingOccurrences(of: "week", with: unitName)
                    }
                }
            }
        }
        let value: String
        if lo == hi {
            value = TimeCalendar.dayValue(lo)
            precision = .week
        } else if TimeCalendar.isoWeek(lo) == TimeCalendar.isoWeek(hi) {
            value = TimeCalendar.weekValue(lo)
        } else {
            value = TimeCalendar.dayValue(lo)
        }
        anchor = TimeCalendar.date(hi)
        anchorDay = hi
        estimate = PublishedEstimate(value: value, precision: precision, basis: basis)
    }

    // MARK: - values

    /// A candidate's value and what it tells the resolver about the text's reference time.
    struct Reading {
        var timex: Timex
        /// A date that sets the reference time (`updateRef`), its precision and paragraph.
        var refDate: (date: CalendarDate, precision: DatePrecision, paragraph: Int)?
        /// A year (BC) that sets the reference time.
        var refYear: Int?
        var lastQuarter: (y: Int, q: Int, sentence: Int)?
        var namedQuarter: (y: Int, q: Int)?
    }

    /// Records what a reading tells about the reference time (a candidate is resolved by
    /// `reading(_:)`, then `apply(_:)`).
    mutating func apply(_ r: Reading) {
        if let d = r.refDate { updateRef(d.date, d.precision, paragraph: d.paragraph) }
        if let y = r.refYear { ref = Ref(y: y, m: nil, d: nil) }
        if let q = r.lastQuarter { lastQuarter = q }
        if let q = r.namedQuarter { namedQuarter = q }
    }

    /// A candidate's value, read without changing the resolver (`apply` records the rest): the
    /// helpers it calls borrow the resolver in place, where a call from a mutating method would
    /// first copy the whole struct.
    func reading(_ c: TimeTagger.Candidate) -> Reading? {
        let rule = tagger.infos[c.rule]
        if rule.silent { return nil }
        if rule.narrativeOnly && !narrative { return nil }
        // News does not tag rates ("$2 million a year") or ages ("52 years old") as times; history
        // narratives (WikiWars-style TIMEX3) do, a rate as a SET.
        if (c.rate || c.age) && !narrative { return nil }
        var usedAnchor = false
        var explicit = false
        var type = rule.type
        var value: String?
        switch rule.action {
        case .ref:
            value = param(c, .value)
        case .date:
            explicit = int(c, .y) != nil || param(c, .spelled) == "1"
            value = date(c, usedAnchor: &usedAnchor)
        case .month:
            guard let m = month(c) else { return nil }
            let y = monthYear(c, m, usedAnchor: &usedAnchor)
            value = y.map { TimeCalendar.monthValue($0, m) } ?? "XXXX-\(TimeCalendar.pad(m, 2))"
        case .era:
            guard let y = int(c, .y) else { return nil }
            explicit = true
            value = TimeCalendar.yearString(val(c, .era) == "BC" ? -y : y)
        case .century:
            // "the 20th century" → 19, "the 4th century BC" → BC03 (TIMEX3: the first two digits).
            guard let n = int(c, .o), n >= 1, n <= 30 else { return nil }
            value = (val(c, .era) == "BC" ? "BC" : "") + TimeCalendar.pad(n - 1, 2)
        case .decade:
            guard let d = int(c, .dec) else { return nil }
            explicit = true
            value = TimeCalendar.decadeValue(d)
        case .season:
            value = season(c, usedAnchor: &usedAnchor)
            explicit = int(c, .y) != nil
        case .quarter, .half:
            guard let q = int(c, .q) ?? param(c, .q).flatMap({ Int($0) }), q >= 1, q <= (rule.action == .half ? 2 : 4)
            else { return nil }
            // "the year-ago third quarter": `offset` years from the base.
            let shiftYears = param(c, .yearOffset).flatMap { Int($0) } ?? 0
            let y = int(c, .y) ?? base(usedAnchor: &usedAnchor).map { $0.y + (int(c, .rel) ?? 0) + shiftYears }
            explicit = int(c, .y) != nil
            let letter = rule.action == .half ? "H" : "Q"
            value = "\(y.map { TimeCalendar.yearString($0) } ?? "XXXX")-\(letter)\(q)"
        case .quarterCurrent:
            // "the quarter", "the latest period": the quarter the report is about, when one was named.
            if param(c, .anaphoric) == "1", let q = namedQuarter {
                value = "\(TimeCalendar.yearString(q.y))-Q\(q.q)"
                break
            }
            guard let a = anchorDay else { value = "XXXX-QX"; break }
            usedAnchor = true
            // The quarter being reported: the one before the anchor's in its first weeks.
            let d = TimeCalendar.date(param(c, .current) == "1" ? a : a - 45)
            var q = (d.month - 1) / 3 + 1
            var y = int(c, .y) ?? (d.year + (int(c, .rel) ?? 0))
            if let s = param(c, .shift).flatMap({ Int($0) }) {
                let t = y * 4 + (q - 1) + s
                y = t >= 0 ? t / 4 : (t - 3) / 4
                q = t - y * 4 + 1
            }
            value = "\(TimeCalendar.yearString(y))-Q\(q)"
        case .relday:
            let text = cap(c, .d).map { capText($0) } ?? ""
            let offset = param(c, .offset).flatMap { Int($0) }
                ?? (text == "yesterday" ? -1 : text == "tomorrow" ? 1 : 0)
            let pod = val(c, .pod) ?? param(c, .pod)
            guard let a = anchorDay, !(narrative && offset == 0 && pod == nil) else {
                value = offset == 0 && pod == nil ? "PRESENT_REF" : "XXXX-XX-XX" + (pod.map { "T" + $0 } ?? "")
                break
            }
            usedAnchor = true
            value = TimeCalendar.dayValue(a + offset) + (pod.map { "T" + $0 } ?? "")
        case .holiday:
            explicit = int(c, .y) != nil
            value = holiday(c, usedAnchor: &usedAnchor)
        case .weekday:
            value = weekday(c, usedAnchor: &usedAnchor)
        case .relunit:
            value = relunit(c, usedAnchor: &usedAnchor)
        case .shift:
            value = shift(c, usedAnchor: &usedAnchor)
        case .anaphor:
            let r = anaphor(c)
            value = r.value
            if r.time { type = .time }
        case .duration:
            value = duration(c)
        case .clock:
            value = clock(c, usedAnchor: &usedAnchor)
        case .set:
            if let f = val(c, .f) {
                value = f
            } else if let m = month(c) {
                // "each July"
                value = "XXXX-\(TimeCalendar.pad(m, 2))"
            } else {
                let n = int(c, .n) ?? 1
                value = period(n: String(n), unit: val(c, .u) ?? val(c, .units) ?? "D")
            }
        case .setWeekday:
            guard let wd = int(c, .wd) else { return nil }
            value = "XXXX-WXX-\(wd)" + (val(c, .pod).map { "T" + $0 } ?? "")
        default:
            return nil
        }
        // "the year ended March 31": a period ending on a date is a length of time.
        if let d = tagger.rules[c.rule].durationBeforeEnd, c.hi < doc.tokens.count,
            tagger.tables.lookup("period-end", key: doc.tokens[c.hi].key) != nil
        {
            type = .duration
            value = d
        }
        guard let v = value, !v.isEmpty else { return nil }
        if c.rate { type = .set }
        let mod = (c.mod >= 0 ? tagger.tables.entries[Int(c.mod)].value : nil) ?? param(c, .mod) ?? edgeMod(c)
        // (the timex is made once its range and precision are known: its fields are one shared box)
        var timexRange: ClosedRange<CalendarDate>?
        var timexPrecision = DatePrecision.unknown
        var refDate: (date: CalendarDate, precision: DatePrecision, paragraph: Int)?
        var refYear: Int?
        var lastQuarter: (y: Int, q: Int, sentence: Int)?
        var namedQuarter: (y: Int, q: Int)?
        if type == .date || type == .time {
            if let (range, precision) = TimeCalendar.range(of: v) {
                timexRange = range
                timexPrecision = precision
                // An estimated publication date makes what leans on it as coarse as the estimate,
                // except a written month and day, which borrow only the year: "October 30" stays
                // a day unless the estimate is coarser than a month.
                if usedAnchor, let e = estimate, e.precision > precision,
                    !(month(c) != nil && int(c, .d) != nil && e.precision <= .month)
                {
                    timexPrecision = e.precision
                }
                if type == .date && (explicit || narrative) {
                    refDate = (range.lowerBound, precision, paragraph(c))
                }
                // The quarter being reported, not one reached by "a year earlier" (no chains of shifts).
                if precision == .quarter, rule.action != .shift, param(c, .shift) == nil, param(c, .yearOffset) == nil { lastQuarter = (range.lowerBound.year, (range.lowerBound.month - 1) / 3 + 1, c.sentence) }
                if precision == .quarter, rule.action == .quarter, param(c, .yearOffset) == nil {
                    namedQuarter = (range.lowerBound.year, (range.lowerBound.month - 1) / 3 + 1)
                }
            } else if v.hasPrefix("BC"), rule.action != .century, let y = Int(v.dropFirst(2).prefix(4)) {
                if explicit || narrative { refYear = -y }
            }
        }
        return Reading(timex: Timex(type: type, value: v, mod: mod, range: timexRange, precision: timexPrecision),
                       refDate: refDate, refYear: refYear, lastQuarter: lastQuarter, namedQuarter: namedQuarter)
    }

    func edgeMod(_ c: TimeTagger.Candidate) -> String? {
        switch cap(c, .edge).map({ capText($0) }) {
        case "end": "END"
        case "beginning", "start": "START"
        case "middle": "MID"
        default: nil
        }
    }

    func paragraph(_ c: TimeTagger.Candidate) -> Int {
        c.sentence < doc.sentences.count ? doc.sentences[c.sentence].paragraph : 0
    }

    /// `paragraph`: the paragraph of the candidate that names `d`.
    mutating func updateRef(_ d: CalendarDate, _ p: DatePrecision, paragraph: Int) {
        switch p {
        case .day:
            ref = Ref(y: d.year, m: d.month, d: d.day)
            monthRef = (ref ?? Ref(y: d.year), paragraph)
        case .month, .week:
            ref = Ref(y: d.year, m: d.month, d: p == .week ? d.day : nil)
            monthRef = (ref ?? Ref(y: d.year), paragraph)
        case .year, .quarter, .season: ref = Ref(y: d.year, m: nil, d: nil)
        default: break
        }
    }

    /// The date deictic expressions count from: the anchor, or the reference time in narratives.
    func base(usedAnchor: inout Bool) -> Ref? {
        if narrative, let r = ref { return r }
        if let a = anchor {
            usedAnchor = true
            return Ref(y: a.year, m: a.month, d: a.day)
        }
        return ref
    }

    /// "in August and September 1914", "between March and April 1918": the year of a dated
    /// expression that follows, joined by "and", "to", "-" (a chain of joined dates may precede it).
    func coordinatedYear() -> Int? {
        var j = position
        while j + 1 < cands.count {
            let a = cands[j], b = cands[j + 1]
            guard b.sentence == a.sentence, b.lo > a.hi, b.lo - a.hi <= 2 else { return nil }
            for k in a.hi..<b.lo where !tagger.joinKeys.contains(doc.tokens[k].key) { return nil }
            if let y = int(b, .y) {
                switch tagger.infos[b.rule].action {
                case .date, .season, .month: return y
                case .era: return val(b, .era) == "BC" ? -y : y
                default: return nil
                }
            }
            j += 1
        }
        return nil
    }

    /// In a narrative, a month this far before the reference time's month is in the next year: the year end
    /// was crossed
    /// (narratives move forward: "December 1941 … In January" is January 1942).
    static let rolloverMonths = 9

    func tense(_ c: TimeTagger.Candidate) -> Tense {
        tagger.tense(doc, lo: c.lo, hi: c.hi, sentence: c.sentence)
    }
}
