/// Proleptic Gregorian date arithmetic on plain integers (no Foundation calendars on the hot path).
enum TimeCalendar {
    /// Days since 1970-01-01 (negative before). Howard Hinnant's days-from-civil.
    static func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func days(_ date: CalendarDate) -> Int { days(date.year, date.month, date.day) }

    /// The date of a day number.
    static func date(_ z0: Int) -> CalendarDate {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return CalendarDate(year: m <= 2 ? y + 1 : y, month: m, day: d)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isValid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        (1...12).contains(m) && d >= 1 && d <= daysIn(y, m)
    }

    /// ISO weekday, Monday = 1 ... Sunday = 7.
    static func weekday(_ dayNumber: Int) -> Int {
        // 1970-01-01 was a Thursday (4).
        let r = ((dayNumber % 7) + 7) % 7
        return (r + 3) % 7 + 1
    }

    /// ISO week-numbering year and week of a day number.
    static func isoWeek(_ dayNumber: Int) -> (year: Int, week: Int) {
        let wd = weekday(dayNumber)
        let thursday = dayNumber - wd + 4
        let y = date(thursday).year
        let week = (thursday - days(y, 1, 1)) / 7 + 1
        return (y, week)
    }

    /// Day number of the Monday of ISO week `week` of `year`.
    static func mondayOf(isoYear: Int, week: Int) -> Int {
        let jan4 = days(isoYear, 1, 4)
        return jan4 - (weekday(jan4) - 1) + (week - 1) * 7
    }

    /// `v` in decimal digits, zero-padded to `width` digits, "-" before a negative number.
    static func pad(_ v: Int, _ width: Int) -> String {
        format { p in write(v, width, p, 0) }
    }

    /// A TIMEX3 year: `0480`, or `BC0480` for negative years (480 BC).
    static func yearString(_ y: Int) -> String {
        format { p in writeYear(y, p, 0) }
    }

    // Values are formatted into a stack buffer: a value of up to 15 bytes ("2024-03-05") becomes a
    // small string without any allocation, where string interpolation of padded parts allocates
    // and copies several times per value.

    /// The string of the ASCII bytes `body` writes (it returns their count, at most 96).
    @inline(__always)
    static func format(_ body: (UnsafeMutablePointer<UInt8>) -> Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 96) { buf in
            guard let p = buf.baseAddress else { return "" }
            return string(p, count: body(p))
        }
    }

    /// The string of `count` UTF-8 bytes at `p`. Up to 15 ASCII bytes are copied straight into a
    /// small string (`String(unsafeUninitializedCapacity:)` checks them with one mask, where
    /// `String(decoding:)` runs the general validator); longer or non-ASCII text is decoded.
    @inline(__always)
    static func string(_ p: UnsafePointer<UInt8>, count: Int) -> String {
        guard count <= 15 else { return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self) }
        return String(unsafeUninitializedCapacity: count) { out in
            // (`out` holds `count` bytes: the capacity asked for)
            guard let o = out.baseAddress else { return 0 }
            o.update(from: p, count: count)
            return count
        }
    }

    /// Writes `pad(v, width)` at `p + n`; returns the new end.
    @inline(__always)
    static func write(_ v: Int, _ width: Int, _ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> Int {
        var k = n
        if v < 0 {
            p[k] = 0x2D
            k += 1
        }
        var a = v.magnitude
        var len = 1
        var t = a
        while t >= 10 {
            t /= 10
            len += 1
        }
        var z = width - len
        while z > 0 {
            p[k] = 0x30
            k += 1
            z -= 1
        }
        var e = k + len - 1
        repeat {
            p[e] = UInt8(truncatingIfNeeded: 0x30 + a % 10)
            a /= 10
            e -= 1
        } while a > 0
        return k + len
    }

    /// Writes `yearString(y)` at `p + n`; returns the new end.
    @inline(__always)
    static func writeYear(_ y: Int, _ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> Int {
        guard y < 0 else { return write(y, 4, p, n) }
        p[n] = 0x42  // B
        p[n + 1] = 0x43  // C
        return write(-y, 4, p, n + 2)
    }

    /// The decade of a year, counted away from year 0: 1995 → 199, 490 BC (-490) and 499 BC → -49.
    static func decade(of y: Int) -> Int { y >= 0 ? y / 10 : -((-y) / 10) }

    /// TIMEX3 decade value (TimeML): 199 → "199" (the 1990s), -49 → "BC049" (the 490s BC).
    static func decadeValue(_ dec: Int) -> String { dec < 0 ? "BC" + pad(-dec, 3) : pad(dec, 3) }

    static func dayValue(_ n: Int) -> String {
        let d = date(n)
        return format { p in
            var k = writeYear(d.year, p, 0)
            p[k] = 0x2D
            k = write(d.month, 2, p, k + 1)
            p[k] = 0x2D
            return write(d.day, 2, p, k + 1)
        }
    }

    static func weekValue(_ n: Int) -> String {
        let w = isoWeek(n)
        return format { p in
            let k = write(w.year, 4, p, 0)
            p[k] = 0x2D
            p[k + 1] = 0x57  // W
            return write(w.week, 2, p, k + 2)
        }
    }

    static func monthValue(_ y: Int, _ m: Int) -> String {
        format { p in
            let k = writeYear(y, p, 0)
            p[k] = 0x2D
            return write(m, 2, p, k + 1)
        }
    }

    /// Adds months to (year, month).
    static func addMonths(_ y: Int, _ m: Int, _ k: Int) -> (Int, Int) {
        let t = y * 12 + (m - 1) + k
        let yy = t >= 0 ? t / 12 : (t - 11) / 12
        return (yy, t - yy * 12 + 1)
    }

    /// The inclusive calendar range and precision of a TIMEX3 DATE value, when it denotes one.
    static func range(of value: String) -> (ClosedRange<CalendarDate>, DatePrecision)? {
        var copy = value
        return copy.withUTF8 { range(utf8: $0) }
    }

    /// `range(of:)` over UTF-8 bytes; a `T…` time suffix is ignored.
    static func range(utf8 whole: UnsafeBufferPointer<UInt8>) -> (ClosedRange<CalendarDate>, DatePrecision)? {
        var length = whole.count
        if let t = whole.firstIndex(of: 84) { length = t }  // "T"
        let u = UnsafeBufferPointer(rebasing: whole[0..<length])
        func num(_ a: Int, _ b: Int) -> Int? {
            guard b <= u.count, a < b else { return nil }
            var v = 0
            for i in a..<b {
                let c = u[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        func r(_ a: Int, _ b: Int) -> ClosedRange<CalendarDate> { date(a)...date(b) }
        // A range of valid dates of a year 0 ... 9999 as written: the dates themselves (what
        // `date(days(y, m, d))` gives back, without the two conversions).
        func r(_ y0: Int, _ m0: Int, _ d0: Int, _ y1: Int, _ m1: Int, _ d1: Int) -> ClosedRange<CalendarDate> {
            CalendarDate(year: y0, month: m0, day: d0)...CalendarDate(year: y1, month: m1, day: d1)
        }
        guard u.count >= 3 else { return nil }
        // Century "19XX" / "19", decade "199" (TimeML) or "199X".
        if u.count == 3, let d = num(0, 3) {
            return (r(d * 10, 1, 1, d * 10 + 9, 12, 31), .decade)
        }
        if u.count == 4, let c = num(0, 2), u[2] == 88, u[3] == 88 {
            return (r(c * 100, 1, 1, c * 100 + 99, 12, 31), .century)
        }
        if u.count == 4, let d = num(0, 3), u[3] == 88 {
            return (r(d * 10, 1, 1, d * 10 + 9, 12, 31), .decade)
        }
        guard u.count >= 4, let y = num(0, 4) else { return nil }
        if u.count == 4 { return (r(y, 1, 1, y, 12, 31), .year) }
        guard u[4] == 45, u.count >= 7 else { return nil }
        if u[5] == 87, let w = num(6, 8) {  // W
            let mon = mondayOf(isoYear: y, week: w)
            if u.count == 8 { return (r(mon, mon + 6), .week) }
            if u.count == 11, u[9] == 87, u[10] == 69 { return (r(mon + 5, mon + 6), .week) }  // -WE
            return nil
        }
        if u[5] == 81, let q = num(6, 7), (1...4).contains(q) {  // Q
            let m0 = (q - 1) * 3 + 1
            return (r(y, m0, 1, y, m0 + 2, daysIn(y, m0 + 2)), .quarter)
        }
        if u[5] == 72, let h = num(6, 7), (1...2).contains(h) {  // H
            let m0 = h == 1 ? 1 : 7
            return (r(y, m0, 1, y, m0 + 5, daysIn(y, m0 + 5)), .quarter)
        }
        if u.count == 7 {
            switch (u[5], u[6]) {
            case (83, 80): return (r(y, 3, 1, y, 5, 31), .season)
            case (83, 85): return (r(y, 6, 1, y, 8, 31), .season)
            case (70, 65): return (r(y, 9, 1, y, 11, 30), .season)
            case (87, 73): return (r(y, 12, 1, y + 1, 2, isLeap(y + 1) ? 29 : 28), .season)
            default: break
            }
        }
        guard let m = num(5, 7), (1...12).contains(m) else { return nil }
        if u.count == 7 { return (r(y, m, 1, y, m, daysIn(y, m)), .month) }
        guard u.count >= 10, u[7] == 45, let d = num(8, 10), isValid(y, m, d) else { return nil }
        return (r(y, m, d, y, m, d), .day)
    }
}
