import Foundation
import SitrepText

/// Anchored periods, offsets, anaphors, durations and clock times.
extension TimeResolver {
    /// "a year earlier", "last year" within this many sentences after a quarter compare with that quarter.
    static let quarterWindow = 3

    func relunit(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let u = val(c, .u) ?? param(c, .u) else { return nil }
        let off0 = int(c, .rel) ?? param(c, .offset).flatMap { Int($0) } ?? 0
        if u == "Y", let b = base(usedAnchor: &usedAnchor), b.m == nil { return TimeCalendar.yearString(b.y + off0) }
        guard let b = base(usedAnchor: &usedAnchor), let bm = b.m else {
            return ["W": "XXXX-WXX", "M": "XXXX-XX", "Y": "XXXX", "Q": "XXXX-QX", "WE": "XXXX-WXX-WE"][u]
        }
        let bd = TimeCalendar.days(b.y, bm, b.d ?? 15)
        var off = int(c, .rel) ?? param(c, .offset).flatMap { Int($0) } ?? 0
        if param(c, .offset) == "tense" {
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
            return TimeCalendar.decadeValue(TimeCalendar.decade(of: d.year) + offset)
        case "CE":
            let cen = (d.year >= 0 ? d.year / 100 : (d.year - 99) / 100) + offset
            return "\(cen)XX"
        case "H", "MIN", "S": return TimeCalendar.dayValue(day)
        case "NI", "MO", "EV", "AF": return TimeCalendar.dayValue(day + offset) + "T" + unit
        default: return nil
        }
    }

    func shift(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard let u = val(c, .u) ?? param(c, .u) else { return nil }
        let nText = val(c, .n) ?? param(c, .n) ?? "1"
        let dirCap = cap(c, .dir)
        let dirWord = dirCap.map { doc.string(doc.span(of: $0.lo..<$0.hi)).lowercased() } ?? ""
        let dirText = dirCap.map { tagger.tables.value(of: $0, in: doc) } ?? param(c, .dir) ?? "-1"
        let dir: Int = Int(dirText) ?? (["later", "afterwards", "afterward", "after"].contains(dirText) ? 1 : -1)
        let anaphoric = param(c, .anaphoric) == "1" || ["later", "earlier", "afterwards", "afterward"].contains(dirWord)
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
        if u == "Y", let q = lastQuarter, c.sentence - q.sentence <= Self.quarterWindow, dir < 0 {
            return "\(TimeCalendar.yearString(q.y - n))-Q\(q.q)"
        }
        // Granularity follows the unit, bounded by what the base knows.
        guard let bm = base.m else {
            switch u {
            case "Y": return TimeCalendar.yearString(base.y + dir * n)
            case "DE": return TimeCalendar.decadeValue(TimeCalendar.decade(of: base.y + dir * n * 10))
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
        case "DE": return TimeCalendar.decadeValue(TimeCalendar.decade(of: base.y + dir * n * 10))
        case "CE": return "\((base.y + dir * n * 100) / 100)XX"
        case "H", "MIN", "S": return base.d != nil ? TimeCalendar.dayValue(day) : TimeCalendar.monthValue(base.y, bm)
        default: return nil
        }
    }

    func anaphor(_ c: TimeTagger.Candidate) -> (value: String?, time: Bool) {
        guard let u = val(c, .u) else { return (nil, false) }
        let off = int(c, .rel) ?? param(c, .offset).flatMap { Int($0) } ?? 0
        let time = ["NI", "MO", "EV", "AF"].contains(u)
        let base = ref ?? anchor.map { Ref(y: $0.year, m: $0.month, d: $0.day) }
        guard let b = base else { return (nil, time) }
        // Finer than the reference time knows: keep the known part, X the rest.
        let unknown = ["D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX", "WE": "XXXX-WXX-WE"]
        guard let bm = b.m else {
            switch u {
            case "Y": return (TimeCalendar.yearString(b.y + off), false)
            case "DE", "CE": return (unitValue(day: TimeCalendar.days(b.y, 6, 15), unit: u, offset: off), false)
            default:
                if off == 0 { return (TimeCalendar.yearString(b.y), time) }
                return (time ? "XXXX-XX-XXT" + u : unknown[u], time)
            }
        }
        if b.d == nil && (u == "D" || u == "W" || time) {
            if off == 0 { return (TimeCalendar.monthValue(b.y, bm), time) }
            return (u == "D" ? TimeCalendar.monthValue(b.y, bm) + "-XX" : time ? "XXXX-XX-XXT" + u : unknown[u], time)
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
        guard let u = val(c, .u) ?? val(c, .units) ?? param(c, .u) else { return nil }
        // "the coming years": a plural unit without a number is an unspecified amount.
        let plural = cap(c, .u).map { capEndsWithS($0) } ?? false
        let n = val(c, .n) ?? param(c, .n) ?? (plural ? "X" : "1")
        if param(c, .half) == "1", let k = Int(n) { return halfPeriod(k, unit: u) }
        return period(n: n, unit: u)
    }

    /// "2 1/2 years", "a minute and a half": whole sub-units in news (P2Y6M, PT1M30S), the ISO 8601
    /// decimal fraction in narratives (P2.5Y).
    func halfPeriod(_ k: Int, unit u: String) -> String? {
        if !narrative {
            switch u {
            case "Y": return "P\(k)Y6M"
            case "D": return "P\(k)DT12H"
            case "H": return "PT\(k)H30M"
            case "MIN": return "PT\(k)M30S"
            case "DE": return "P\(k * 10 + 5)Y"
            case "CE": return "P\(k * 100 + 50)Y"
            default: break
            }
        }
        switch u {
        case "H": return "PT\(k).5H"
        case "MIN": return "PT\(k).5M"
        case "S": return "PT\(k).5S"
        case "2W": return "P\(2 * k + 1)W"
        default: return "P\(k).5\(u)"
        }
    }

    func clock(_ c: TimeTagger.Candidate, usedAnchor: inout Bool) -> String? {
        guard var h = int(c, .h) ?? param(c, .h).flatMap({ Int($0) }) else { return nil }
        let mi = int(c, .mi) ?? 0
        switch val(c, .ampm) {
        case "PM": if h < 12 { h += 12 }
        case "AM": if h == 12 { h = 0 }
        default: break
        }
        guard h <= 24, mi <= 59 else { return nil }
        if cap(c, .mi) == nil && cap(c, .ampm) == nil && param(c, .h) == nil { return nil }
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
