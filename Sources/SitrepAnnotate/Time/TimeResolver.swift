import SitrepText

/// Pass 2: turns candidates into TIMEX3 values, in document order, keeping the reference time.
struct TimeResolver {
    static let actions: Set<String> = [
        "date", "month", "era", "decade", "season", "quarter", "half", "quarter-current", "relday", "weekday",
        "relunit", "shift", "anaphor", "duration", "clock", "set", "set-weekday", "ref", "cue",
    ]

    /// A reference time: a year, maybe a month, maybe a day.
    struct Ref {
        var y: Int
        var m: Int?
        var d: Int?

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
    /// The last quarter named, and the sentence it was named in ("a year earlier" compares with it).
    var lastQuarter: (y: Int, q: Int, sentence: Int)?

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
        guard g >= 0 else { return nil }
        for cap in c.captures where cap.group == g { return cap }
        return nil
    }

    /// The lowercased text of a capture.
    func capText(_ cap: Capture) -> String {
        doc.string(doc.span(of: cap.lo..<cap.hi)).lowercased()
    }

    func int(_ c: TimeTagger.Candidate, _ name: TimeGroup) -> Int? {
        cap(c, name).flatMap { Int($0.value) }
    }

    func param(_ c: TimeTagger.Candidate, _ name: String) -> String? {
        tagger.rules[c.rule].params[name]
    }

    /// Month number from `m` (a month name) or `mo` (digits).
    func month(_ c: TimeTagger.Candidate) -> Int? {
        if let m = int(c, .m) { return m }
        if let m = int(c, .mo), (1...12).contains(m) { return m }
        return nil
    }

    // MARK: - document-level decisions

    /// Chooses the mode and, without a publication date, estimates it.
    mutating func prepare(_ cands: [TimeTagger.Candidate]) {
        var far = 0, near = 0, deictic = 0
        var fullDates: [(day: Int, text: String)] = []
        var partialDays: [(m: Int, d: Int)] = []
        var years: [Int] = []
        var cue: (ordinal: Int, unit: String)?
        for c in cands {
            let rule = tagger.rules[c.rule]
            switch rule.action {
            case "date", "season", "quarter", "half", "era":
                var y = int(c, .y)
                if rule.action == "era", cap(c, .era)?.value == "BC" { y = -(y ?? 0) }
                guard let year = y else {
                    if rule.action == "date", let m = month(c), let d = int(c, .d) { partialDays.append((m, d)) }
                    continue
                }
                years.append(year)
                if let a = anchor, a.year - year >= 3 { far += 1 } else { near += 1 }
                if rule.action == "date", let m = month(c), let d = int(c, .d), TimeCalendar.isValid(year, m, d) {
                    fullDates.append((TimeCalendar.days(year, m, d), doc.string(doc.span(of: c.lo..<c.hi))))
                }
            case "relday", "weekday", "relunit":
                deictic += 1
            case "cue":
                if let o = int(c, .o), let u = cap(c, .u)?.value { cue = (o, u) }
            default:
                break
            }
        }
        if published == nil {
            estimatePublication(fullDates: fullDates, partialDays: partialDays, years: years, cue: cue)
            if let a = anchor {
                far = years.filter { a.year - $0 >= 3 }.count
                near = years.count - far
            } else {
                far = years.count
            }
        }
        // History-style text: many explicit years, few of them recent or few deictic words.
        let explicitYears = far + near
        narrative = explicitYears >= 3 && deictic * 8 <= explicitYears
        if let a = anchor, !narrative { ref = Ref(y: a.year, m: a.month, d: a.day) }
    }

    mutating func estimatePublication(fullDates: [(day: Int, text: String)], partialDays: [(m: Int, d: Int)],
                                      years: [Int], cue: (ordinal: Int, unit: String)?) {
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
        var basis = "latest full date in text: \(latest.text)"
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
                        basis += "; the text counts the \(cue.ordinal)th \(cue.unit) since \(TimeCalendar.dayValue(start))"
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

    mutating func resolve(_ c: TimeTagger.Candidate) -> Timex? {
        let rule = tagger.rules[c.rule]
        if rule.silent { return nil }
        if rule.narrativeOnly && !narrative { return nil }
        var usedAnchor = false
        var explicit = false
        var type = rule.type
        var value: String?
        switch rule.action {
        case "ref":
            value = param(c, "value")
        case "date":
            explicit = int(c, .y) != nil
            value = date(c, usedAnchor: &usedAnchor)
        case "month":
            guard let m = month(c) else { return nil }
            let y = monthYear(c, m, usedAnchor: &usedAnchor)
            value = y.map { TimeCalendar.monthValue($0, m) } ?? "XXXX-\(TimeCalendar.pad(m, 2))"
        case "era":
            guard let y = int(c, .y) else { return nil }
            explicit = true
            value = TimeCalendar.yearString(cap(c, .era)?.value == "BC" ? -y : y)
        case "decade":
            guard let d = int(c, .dec) else { return nil }
            explicit = true
            value = "\(d)X"
        case "season":
            value = season(c, usedAnchor: &usedAnchor)
            explicit = int(c, .y) != nil
        case "quarter", "half":
            guard let q = int(c, .q), q >= 1, q <= (rule.action == "half" ? 2 : 4) else { return nil }
            let y = int(c, .y) ?? base(usedAnchor: &usedAnchor).map { $0.y + (int(c, .rel) ?? 0) }
            explicit = int(c, .y) != nil
            let letter = rule.action == "half" ? "H" : "Q"
            value = "\(y.map { TimeCalendar.yearString($0) } ?? "XXXX")-\(letter)\(q)"
        case "quarter-current":
            guard let a = anchorDay else { value = "XXXX-QX"; break }
            usedAnchor = true
            let d = TimeCalendar.date(a - 45)
            var q = (d.month - 1) / 3 + 1
            var y = int(c, .y) ?? (d.year + (int(c, .rel) ?? 0))
            if let s = param(c, "shift").flatMap({ Int($0) }) {
                let t = y * 4 + (q - 1) + s
                y = t >= 0 ? t / 4 : (t - 3) / 4
                q = t - y * 4 + 1
            }
            value = "\(TimeCalendar.yearString(y))-Q\(q)"
        case "relday":
            let text = cap(c, .d).map { capText($0) } ?? ""
            let offset = param(c, "offset").flatMap { Int($0) }
                ?? (text == "yesterday" ? -1 : text == "tomorrow" ? 1 : 0)
            let pod = cap(c, .pod)?.value ?? param(c, "pod")
            guard let a = anchorDay, !(narrative && offset == 0 && pod == nil) else {
                value = offset == 0 && pod == nil ? "PRESENT_REF" : "XXXX-XX-XX" + (pod.map { "T" + $0 } ?? "")
                break
            }
            usedAnchor = true
            value = TimeCalendar.dayValue(a + offset) + (pod.map { "T" + $0 } ?? "")
        case "weekday":
            value = weekday(c, usedAnchor: &usedAnchor)
        case "relunit":
            value = relunit(c, usedAnchor: &usedAnchor)
        case "shift":
            value = shift(c, usedAnchor: &usedAnchor)
        case "anaphor":
            let r = anaphor(c)
            value = r.value
            if r.time { type = .time }
        case "duration":
            value = duration(c)
        case "clock":
            value = clock(c, usedAnchor: &usedAnchor)
        case "set":
            if let f = cap(c, .f)?.value {
                value = f
            } else {
                let n = cap(c, .n).flatMap { Int($0.value) } ?? 1
                value = period(n: String(n), unit: cap(c, .u)?.value ?? cap(c, .units)?.value ?? "D")
            }
        case "set-weekday":
            guard let wd = int(c, .wd) else { return nil }
            value = "XXXX-WXX-\(wd)"
        default:
            return nil
        }
        guard let v = value, !v.isEmpty else { return nil }
        var timex = Timex(type: type, value: v, mod: c.mod ?? param(c, "mod") ?? edgeMod(c))
        if type == .date || type == .time {
            let datePart = v.split(separator: "T", maxSplits: 1).first.map(String.init) ?? v
            if let (range, precision) = TimeCalendar.range(of: datePart) {
                timex.range = range
                timex.precision = precision
                if usedAnchor, let e = estimate, e.precision > precision { timex.precision = e.precision }
                if type == .date && (explicit || narrative) {
                    updateRef(range.lowerBound, precision)
                }
                if precision == .quarter { lastQuarter = (range.lowerBound.year, (range.lowerBound.month - 1) / 3 + 1, c.sentence) }
            } else if v.hasPrefix("BC"), let y = Int(v.dropFirst(2).prefix(4)) {
                if explicit || narrative { ref = Ref(y: -y, m: nil, d: nil) }
            }
        }
        return timex
    }

    func edgeMod(_ c: TimeTagger.Candidate) -> String? {
        switch cap(c, .edge).map({ capText($0) }) {
        case "end": "END"
        case "beginning", "start": "START"
        case "middle": "MID"
        default: nil
        }
    }

    mutating func updateRef(_ d: CalendarDate, _ p: DatePrecision) {
        switch p {
        case .day: ref = Ref(y: d.year, m: d.month, d: d.day)
        case .month, .week: ref = Ref(y: d.year, m: d.month, d: p == .week ? d.day : nil)
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

    func tense(_ c: TimeTagger.Candidate) -> Tense {
        tagger.tense(doc, lo: c.lo, hi: c.hi, sentence: c.sentence)
    }

    func date(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let v = dateCore(c, usedAnchor: &usedAnchor) else { return nil }
        if let pod = cap(c, .pod)?.value { return v + "T" + pod }
        return v
    }

    func dateCore(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        var y = int(c, .y)
        if y == nil, param(c, "refyear") == "1" {
            y = ref?.y ?? anchor?.year
        }
        if y == nil, let rel = int(c, .rel), let a = anchor {
            usedAnchor = true
            y = a.year + rel
        }
        let m = month(c)
        let d = int(c, .d)
        guard let m else {
            return y.map { TimeCalendar.yearString($0) }
        }
        guard let d else {
            return y.map { TimeCalendar.monthValue($0, m) }
        }
        if let y {
            guard TimeCalendar.isValid(y, m, d) else { return nil }
            return TimeCalendar.dayValue(TimeCalendar.days(y, m, d))
        }
        // Day and month without a year.
        if narrative, let r = ref {
            // A narrative stays in the year of its reference time.
            let y = r.y
            guard TimeCalendar.isValid(y, m, d) || (m == 2 && d == 29) else { return nil }
            return "\(TimeCalendar.yearString(y))-\(TimeCalendar.pad(m, 2))-\(TimeCalendar.pad(d, 2))"
        }
        guard let a = anchorDay, let anchor else {
            return "XXXX-\(TimeCalendar.pad(m, 2))-\(TimeCalendar.pad(d, 2))"
        }
        usedAnchor = true
        // Nearest to the anchor; a date on the wrong side of it for the tense costs 90 days.
        let t = tense(c)
        var best: (n: Int, cost: Int)?
        for y in [anchor.year - 1, anchor.year, anchor.year + 1] where TimeCalendar.isValid(y, m, d) {
            let n = TimeCalendar.days(y, m, d)
            var cost = abs(n - a)
            if (t == .past && n > a) || (t == .future && n < a) { cost += 90 }
            if best.map({ cost < $0.cost }) ?? true { best = (n, cost) }
        }
        return best.map { TimeCalendar.dayValue($0.n) }
    }

    /// The year of a month named without one ("in March", "last July").
    func monthYear(_ c: TimeTagger.Candidate, _ m: Int, usedAnchor: inout Bool) -> Int? {
        let rel = int(c, .rel)
        if narrative, let r = ref {
            guard let rm = r.m else { return r.y }
            guard let rel else { return r.y }
            if rel < 0 { return m < rm ? r.y : r.y - 1 }
            if rel > 0 { return m > rm ? r.y : r.y + 1 }
            return r.y
        }
        guard let a = anchor else { return ref?.y }
        usedAnchor = true
        if let rel {
            if rel < 0 { return m < a.month ? a.year : a.year - 1 }
            if rel > 0 { return m > a.month ? a.year : a.year + 1 }
            return a.year
        }
        // Nearest month to the anchor's; the wrong side for the tense costs eight months.
        let t = tense(c)
        var best: (y: Int, cost: Int)?
        for y in [a.year - 1, a.year, a.year + 1] {
            let diff = (y * 12 + m) - (a.year * 12 + a.month)
            var cost = abs(diff)
            if (t == .past && diff > 0) || (t == .future && diff < 0) { cost += 8 }
            if best.map({ cost < $0.cost }) ?? true { best = (y, cost) }
        }
        return best?.y ?? a.year
    }

    func season(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let s = cap(c, .s)?.value, let idx = ["SP", "SU", "FA", "WI"].firstIndex(of: s) else { return nil }
        if let y = int(c, .y) { return "\(TimeCalendar.yearString(y))-\(s)" }
        guard let b = base(usedAnchor: &usedAnchor) else { return "XXXX-\(s)" }
        if narrative {
            return "\(TimeCalendar.yearString(b.y))-\(s)"
        }
        let bm = b.m ?? 6
        let cur: Int = switch bm {
        case 3...5: b.y * 4
        case 6...8: b.y * 4 + 1
        case 9...11: b.y * 4 + 2
        case 12: b.y * 4 + 3
        default: (b.y - 1) * 4 + 3
        }
        let rel = int(c, .rel)
        let t = rel == nil ? tense(c) : .none
        var k = b.y * 4 + idx
        if let rel, rel < 0 {
            while k >= cur { k -= 4 }
        } else if let rel, rel > 0 {
            while k <= cur { k += 4 }
        } else if rel == nil {
            if t == .past { while k > cur { k -= 4 } }
            if t == .future { while k < cur { k += 4 } }
        }
        let y = k >= 0 ? k / 4 : (k - 3) / 4
        return "\(TimeCalendar.yearString(y))-\(s)"
    }

    func weekday(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let wd = int(c, .wd) else { return nil }
        let pod = cap(c, .pod).map { "T" + $0.value } ?? ""
        var day: Int?
        if narrative {
            day = ref?.dayNumber
        } else if let a = anchorDay {
            day = a
            usedAnchor = true
        }
        guard let r = day else { return "XXXX-WXX-\(wd)" + pod }
        let rwd = TimeCalendar.weekday(r)
        let back = (rwd - wd + 7) % 7
        let fwd = (wd - rwd + 7) % 7
        let n: Int
        switch int(c, .rel) {
        case .some(let rel) where rel < 0: n = r - (back == 0 ? 7 : back)
        case .some(let rel) where rel > 0: n = r + (fwd == 0 ? 7 : fwd)
        case .some: n = r - (rwd - 1) + (wd - 1)
        case .none:
            // "Wednesday's ruling": a possessive weekday names a day already past.
            let possessive = c.hi < doc.tokens.count && doc.tokens[c.hi].key == TimeResolver.possessiveKey
            switch possessive ? .past : tense(c) {
            case .future: n = r + fwd
            case .past: n = r - back
            case .none: n = back <= 3 ? r - back : r + fwd
            }
        }
        return TimeCalendar.dayValue(n) + pod
    }

    func relunit(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let u = cap(c, .u)?.value ?? param(c, "u") else { return nil }
        guard let b = base(usedAnchor: &usedAnchor), let bm = b.m else {
            return ["W": "XXXX-WXX", "M": "XXXX-XX", "Y": "XXXX", "Q": "XXXX-QX", "WE": "XXXX-WXX-WE"][u]
        }
        let bd = TimeCalendar.days(b.y, bm, b.d ?? 15)
        var off = int(c, .rel) ?? param(c, "offset").flatMap { Int($0) } ?? 0
        if param(c, "offset") == "tense" {
            let wd = TimeCalendar.weekday(bd)
            off = tense(c) == .future || wd >= 6 ? 0 : -1
        }
        return unitValue(day: bd, unit: u, offset: off)
    }

    /// The calendar period of `unit` containing `day`, moved by `offset` periods.
    func unitValue(day: Int, unit: String, offset: Int) -> String? {
        let d = TimeCalendar.date(day)
        switch unit {
        case "D": return TimeCalendar.dayValue(day + offset)
        case "W", "2W": return TimeCalendar.weekValue(day + 7 * offset)
        case "WE": return TimeCalendar.weekValue(day + 7 * offset) + "-WE"
        case "M":
            let (y, m) = TimeCalendar.addMonths(d.year, d.month, offset)
            return TimeCalendar.monthValue(y, m)
        case "Y": return TimeCalendar.yearString(d.year + offset)
        case "Q":
            let t = d.year * 4 + (d.month - 1) / 3 + offset
            let y = t >= 0 ? t / 4 : (t - 3) / 4
            return "\(TimeCalendar.yearString(y))-Q\(t - y * 4 + 1)"
        case "DE":
            let dec = (d.year >= 0 ? d.year / 10 : (d.year - 9) / 10) + offset
            return "\(dec)X"
        case "CE":
            let cen = (d.year >= 0 ? d.year / 100 : (d.year - 99) / 100) + offset
            return "\(cen)XX"
        case "H", "MIN", "S": return TimeCalendar.dayValue(day)
        case "NI", "MO", "EV", "AF": return TimeCalendar.dayValue(day + offset) + "T" + unit
        default: return nil
        }
    }

    func shift(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let u = cap(c, .u)?.value ?? param(c, "u") else { return nil }
        let nText = cap(c, .n)?.value ?? param(c, "n") ?? "1"
        let dirCap = cap(c, .dir)
        let dirWord = dirCap.map { doc.string(doc.span(of: $0.lo..<$0.hi)).lowercased() } ?? ""
        let dirText = dirCap?.value ?? param(c, "dir") ?? "-1"
        let dir: Int = Int(dirText) ?? (["later", "afterwards", "afterward", "after"].contains(dirText) ? 1 : -1)
        let anaphoric = param(c, "anaphoric") == "1" || ["later", "earlier", "afterwards", "afterward"].contains(dirWord)
        guard let n = Int(nText) else {
            return dir < 0 ? "PAST_REF" : "FUTURE_REF"
        }
        var b: Ref?
        if anaphoric || narrative {
            b = ref ?? anchor.map { Ref(y: $0.year, m: $0.month, d: $0.day) }
        } else if let a = anchor {
            b = Ref(y: a.year, m: a.month, d: a.day)
            usedAnchor = true
        }
        guard let base = b else { return nil }
        // "a year earlier" next to a quarter: the same quarter a year before.
        if u == "Y", let q = lastQuarter, c.sentence - q.sentence <= 1, dir < 0 {
            return "\(TimeCalendar.yearString(q.y - n))-Q\(q.q)"
        }
        // Granularity follows the unit, bounded by what the base knows.
        guard let bm = base.m else {
            switch u {
            case "Y": return TimeCalendar.yearString(base.y + dir * n)
            case "DE": return "\((base.y + dir * n * 10) / 10)X"
            case "CE": return "\((base.y + dir * n * 100) / 100)XX"
            default: return TimeCalendar.yearString(base.y)
            }
        }
        let day = TimeCalendar.days(base.y, bm, base.d ?? 15)
        switch u {
        case "D":
            guard base.d != nil else { return TimeCalendar.monthValue(base.y, bm) }
            return TimeCalendar.dayValue(day + dir * n)
        case "W": return TimeCalendar.weekValue(day + dir * n * 7)
        case "2W": return TimeCalendar.weekValue(day + dir * n * 14)
        case "M":
            let (y, m) = TimeCalendar.addMonths(base.y, bm, dir * n)
            return TimeCalendar.monthValue(y, m)
        case "Y": return TimeCalendar.yearString(base.y + dir * n)
        case "Q": return unitValue(day: day, unit: "Q", offset: dir * n)
        case "DE": return "\((base.y + dir * n * 10) / 10)X"
        case "CE": return "\((base.y + dir * n * 100) / 100)XX"
        case "H", "MIN", "S": return base.d != nil ? TimeCalendar.dayValue(day) : TimeCalendar.monthValue(base.y, bm)
        default: return nil
        }
    }

    func anaphor(_ c: TimeTagger.Candidate) -> (value: String?, time: Bool) {
        guard let u = cap(c, .u)?.value else { return (nil, false) }
        let off = int(c, .rel) ?? param(c, "offset").flatMap { Int($0) } ?? 0
        let time = ["NI", "MO", "EV", "AF"].contains(u)
        let base = ref ?? anchor.map { Ref(y: $0.year, m: $0.month, d: $0.day) }
        guard let b = base else { return (nil, time) }
        guard let bm = b.m else {
            switch u {
            case "Y": return (TimeCalendar.yearString(b.y + off), false)
            case "DE", "CE": return (unitValue(day: TimeCalendar.days(b.y, 6, 15), unit: u, offset: off), false)
            default: return (off == 0 ? TimeCalendar.yearString(b.y) : nil, time)
            }
        }
        if b.d == nil && (u == "D" || u == "W" || time) {
            return (off == 0 ? TimeCalendar.monthValue(b.y, bm) : nil, time)
        }
        let day = TimeCalendar.days(b.y, bm, b.d ?? 15)
        return (unitValue(day: day, unit: u, offset: off), time)
    }

    func period(n: String, unit: String) -> String? {
        switch unit {
        case "H": return "PT\(n)H"
        case "MIN": return "PT\(n)M"
        case "S": return "PT\(n)S"
        case "2W":
            if let k = Int(n) { return "P\(2 * k)W" }
            return "PXW"
        case "NI", "MO", "EV", "AF": return "P1D"
        default: return "P\(n)\(unit)"
        }
    }

    func duration(_ c: TimeTagger.Candidate) -> String? {
        guard let u = cap(c, .u)?.value ?? cap(c, .units)?.value ?? param(c, "u") else { return nil }
        let n = cap(c, .n)?.value ?? param(c, "n") ?? "1"
        return period(n: n, unit: u)
    }

    func clock(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard var h = int(c, .h) ?? param(c, "h").flatMap({ Int($0) }) else { return nil }
        let mi = int(c, .mi) ?? 0
        switch cap(c, .ampm)?.value {
        case "PM": if h < 12 { h += 12 }
        case "AM": if h == 12 { h = 0 }
        default: break
        }
        guard h <= 24, mi <= 59 else { return nil }
        if cap(c, .mi) == nil && cap(c, .ampm) == nil && param(c, "h") == nil { return nil }
        var datePart: String
        if cap(c, .wd) != nil, let v = weekday(c, usedAnchor: &usedAnchor) {
            datePart = v
        } else if month(c) != nil, let v = dateCore(c, usedAnchor: &usedAnchor) {
            datePart = v
        } else if let b = base(usedAnchor: &usedAnchor), let m = b.m, let d = b.d {
            datePart = TimeCalendar.dayValue(TimeCalendar.days(b.y, m, d))
        } else {
            datePart = "XXXX-XX-XX"
        }
        return "\(datePart)T\(TimeCalendar.pad(h, 2)):\(TimeCalendar.pad(mi, 2))"
    }
}
