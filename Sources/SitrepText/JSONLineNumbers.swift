// Numbers and dates for `JSONLine`: integers from a digit-pair table, coordinates, dates.

extension JSONLine {
    /// "00" "01" ... "99": two digits per table look-up.
    @usableFromInline
    static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// Appends an integer. Offsets and counts (below 10,000: nearly all) are written inline from
    /// the digit-pair table; larger and negative ones by `intSlow`.
    @inlinable @inline(__always)
    public mutating func int(_ v: Int) {
        guard UInt(bitPattern: v) < 10_000 else { return intSlow(v) }
        reserve(4)
        count &+= Self.digits(v, base + count)
    }

    /// Writes `v` (0 ≤ v < 10,000) in decimal at `out`; returns the number of digits.
    @inlinable @inline(__always)
    static func digits(_ v: Int, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        if v < 10 {
            out[0] = UInt8(truncatingIfNeeded: 48 &+ v)
            return 1
        }
        let pairs = digitPairs.utf8Start
        if v < 100 {
            out[0] = pairs[v &* 2]
            out[1] = pairs[v &* 2 &+ 1]
            return 2
        }
        let q = v / 100
        let r = (v &- q &* 100) &* 2
        if q < 10 {
            out[0] = UInt8(truncatingIfNeeded: 48 &+ q)
            out[1] = pairs[r]
            out[2] = pairs[r &+ 1]
            return 3
        }
        out[0] = pairs[q &* 2]
        out[1] = pairs[q &* 2 &+ 1]
        out[2] = pairs[r]
        out[3] = pairs[r &+ 1]
        return 4
    }

    /// Appends any integer.
    @usableFromInline
    mutating func intSlow(_ v: Int) {
        // a minus sign and at most 19 digits
        reserve(20)
        count = Self.writeInt(v, base + count) - base
    }

    /// Writes any integer at `out` (at most 20 bytes: a minus sign and 19 digits), its width from
    /// a comparison chain, then two digits per division; returns the end.
    @usableFromInline
    static func writeInt(_ v: Int, _ out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var o = out
        if v < 0 {
            o[0] = 0x2D
            o += 1
        }
        var n = v.magnitude
        var width: Int
        if n < 10 { width = 1 } else if n < 100 { width = 2 } else if n < 1000 { width = 3 } else if n < 10_000 {
            width = 4
        } else if n < 100_000 { width = 5 } else if n < 1_000_000 { width = 6 } else {
            width = 7
            var t = n / 10_000_000
            while t > 0 {
                t /= 10
                width += 1
            }
        }
        let pairs = Self.digitPairs.utf8Start
        var k = width
        while n >= 100 {
            let q = n / 100
            let r = Int(truncatingIfNeeded: n &- q &* 100) &* 2
            k -= 2
            o[k] = pairs[r]
            o[k + 1] = pairs[r + 1]
            n = q
        }
        if n >= 10 {
            let r = Int(truncatingIfNeeded: n) &* 2
            o[k - 2] = pairs[r]
            o[k - 1] = pairs[r + 1]
        } else {
            o[k - 1] = UInt8(truncatingIfNeeded: 48 &+ n)
        }
        return o + width
    }

    /// Appends an integer, or `null`.
    @inlinable @inline(__always)
    public mutating func int(_ v: Int?) {
        if let v { int(v) } else { null() }
    }

    /// Appends a coordinate exactly as `JSONWriter.coordinate` writes it.
    public mutating func coordinate(_ v: Double) {
        guard v.isFinite, abs(v) < 1e9 else {
            var w = JSONWriter(capacity: 32)
            w.coordinate(v)
            w.bytes.withUnsafeBufferPointer { p in
                reserve(p.count)
                if let src = p.baseAddress { (base + count).update(from: src, count: p.count) }
                count += p.count
            }
            return
        }
        let scaled = (abs(v) * 100_000).rounded()
        let whole = Int(scaled) / 100_000
        var fraction = Int(scaled) % 100_000
        if v < 0 && (whole != 0 || fraction != 0) { raw(byte: 0x2D) }
        int(whole)
        guard fraction != 0 else { return }
        var width = 5
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        reserve(width + 1)
        base[count] = 0x2E
        var k = count + width
        for _ in 0..<width {
            base[k] = UInt8(48 + fraction % 10)
            fraction /= 10
            k -= 1
        }
        count += width + 1
    }

    /// Appends a calendar date `YYYY-MM-DD` (as `CalendarDate.description` writes it: the year
    /// zero-padded to four digits, a minus sign before a negative part) as a quoted string.
    public mutating func date(year: Int, month: Int, day: Int) {
        // the usual date: four, two and two digits straight from the pair table
        if year >= 0 && year < 10_000 && month >= 0 && month < 100 && day >= 0 && day < 100 {
            reserve(12)
            let pairs = Self.digitPairs.utf8Start
            let out = base + count
            let y = year / 100
            let yy = (year &- y &* 100) &* 2
            out[0] = 0x22
            out[1] = pairs[y &* 2]
            out[2] = pairs[y &* 2 &+ 1]
            out[3] = pairs[yy]
            out[4] = pairs[yy &+ 1]
            out[5] = 0x2D
            out[6] = pairs[month &* 2]
            out[7] = pairs[month &* 2 &+ 1]
            out[8] = 0x2D
            out[9] = pairs[day &* 2]
            out[10] = pairs[day &* 2 &+ 1]
            out[11] = 0x22
            count += 12
            return
        }
        raw(byte: 0x22)
        padded(year, 4)
        raw(byte: 0x2D)
        padded(month, 2)
        raw(byte: 0x2D)
        padded(day, 2)
        raw(byte: 0x22)
    }

    mutating func padded(_ v: Int, _ width: Int) {
        if v < 0 { raw(byte: 0x2D) }
        let m = v.magnitude
        var digits = 1
        var t = m
        while t >= 10 {
            t /= 10
            digits += 1
        }
        for _ in digits..<Swift.max(digits, width) { raw(byte: 0x30) }
        if m <= UInt(Int.max) {
            int(Int(m))
        } else {
            for d in String(m).utf8 { raw(byte: d) }
        }
    }
}
