import Foundation
import SitrepText

/// Dates, months, seasons, holidays and weekdays.
extension TimeResolver {
    func date(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let v = dateCore(c, usedAnchor: &usedAnchor) else { return nil }
        // "the week of March 6": the ISO week containing the day.
        if param(c, .week) == "1" {
            let parts = v.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, TimeCalendar.isValid(parts[0], parts[1], parts[2]) else { return v }
            return TimeCalendar.weekValue(TimeCalendar.days(parts[0], parts[1], parts[2]))
        }
        if let pod = val(c, .pod) { return v + "T" + pod }
        return v
    }

    func dateCore(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        var y = int(c, .y)
        if param(c, .spelled) == "1" {
            // "nineteen ninety-six" → 1996; "the year two thousand" → 2000.
            guard let cy = int(c, .cy) else { y = 2000; return dateSpelled(c, y) }
            guard let yy = int(c, .yy), yy >= 10, yy <= 99 else { return nil }
            y = cy * 100 + yy
            return dateSpelled(c, y)
        }
        if y == nil, param(c, .refyear) == "1" {
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
        if let y = coordinatedYear(), TimeCalendar.isValid(y, m, d) {
            return TimeCalendar.dayValue(TimeCalendar.days(y, m, d))
        }
        if narrative, let r = ref {
            // A narrative stays in the year of its reference time, but a bare year mentioned in
            // passing does not move a date known to the month in the same paragraph.
            let known = monthRef.flatMap { $0.paragraph == paragraph(c) ? $0.ref : nil } ?? r
            var y = known.y
            if let rm = known.m, rm - m >= Self.rolloverMonths { y += 1 }
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

    func dateSpelled(_ c: TimeTagger.Candidate, _ y: Int?) -> String? {
        guard let y else { return nil }
        if let m = month(c) { return TimeCalendar.monthValue(y, m) }
        return TimeCalendar.yearString(y)
    }

    /// The day of a holiday in year `y`: "12-25", or "11-THU-4" (4th Thursday), "05-MON-L" (last Monday).
    static func holidayDay(_ spec: String, year y: Int) -> Int? {
        let parts = spec.split(separator: "-")
        guard let m = parts.first.flatMap({ Int($0) }), (1...12).contains(m) else { return nil }
        if parts.count == 2, let d = Int(parts[1]), TimeCalendar.isValid(y, m, d) { return TimeCalendar.days(y, m, d) }
        guard parts.count == 3,
            let wd = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"].firstIndex(of: String(parts[1])).map({ $0 + 1 })
        else { return nil }
        if parts[2] == "L" {
            let last = TimeCalendar.days(y, m, TimeCalendar.daysIn(y, m))
            return last - (TimeCalendar.weekday(last) - wd + 7) % 7
        }
        guard let k = Int(parts[2]) else { return nil }
        let first = TimeCalendar.days(y, m, 1)
        return first + (wd - TimeCalendar.weekday(first) + 7) % 7 + 7 * (k - 1)
    }

    func holiday(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let spec = val(c, .hol) else { return nil }
        if let y = int(c, .y) { return Self.holidayDay(spec, year: y).map { TimeCalendar.dayValue($0) } }
        if narrative, let r = ref { return Self.holidayDay(spec, year: r.y).map { TimeCalendar.dayValue($0) } }
        guard let a = anchorDay, let anchor else { return nil }
        usedAnchor = true
        // Nearest occurrence; "last"/"next" and the tense pick the side.
        let rel = int(c, .rel)
        let t = rel.map { $0 < 0 ? Tense.past : $0 > 0 ? .future : .none } ?? tense(c)
        var best: (n: Int, cost: Int)?
        for y in [anchor.year - 1, anchor.year, anchor.year + 1] {
            guard let n = Self.holidayDay(spec, year: y) else { continue }
            var cost = abs(n - a)
            if (t == .past && n > a) || (t == .future && n < a) { cost += rel == nil ? 90 : 1000 }
            if best.map({ cost < $0.cost }) ?? true { best = (n, cost) }
        }
        return best.map { TimeCalendar.dayValue($0.n) }
    }

    /// The year of a month named without one ("in March", "last July").
    func monthYear(_ c: TimeTagger.Candidate, _ m: Int, usedAnchor: inout Bool) -> Int? {
        let rel = int(c, .rel)
        if rel == nil, let y = coordinatedYear() { return y }
        if narrative, let r = ref {
            guard let rm = r.m else { return r.y }
            guard let rel else { return rm - m >= Self.rolloverMonths ? r.y + 1 : r.y }
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
        guard let s = val(c, .s), let idx = ["SP", "SU", "FA", "WI"].firstIndex(of: s) else { return nil }
        if let y = int(c, .y) { return "\(TimeCalendar.yearString(y))-\(s)" }
        if int(c, .rel) == nil, let y = coordinatedYear() { return "\(TimeCalendar.yearString(y))-\(s)" }
        guard let b = base(usedAnchor: &usedAnchor) else { return "XXXX-\(s)" }
        if narrative {
            // Winter is counted by its January; a season long before the reference month is next year's.
            let mid = [4, 7, 10, 1][idx]
            let y = b.m.map { $0 - mid >= Self.rolloverMonths } == true ? b.y + 1 : b.y
            return "\(TimeCalendar.yearString(y))-\(s)"
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
        let pod = val(c, .pod)
        var day: Int?
        if narrative {
            day = ref?.dayNumber
        } else if let a = anchorDay {
            day = a
            usedAnchor = true
        }
        guard let r = day else { return "XXXX-WXX-\(wd)" + (pod.map { "T" + $0 } ?? "") }
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
        let v = TimeCalendar.dayValue(n)
        return pod.map { v + "T" + $0 } ?? v
    }
}
