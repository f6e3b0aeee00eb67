/// A JSON line of a fixed shape written straight into memory it owns: precomputed fragments
/// (`,"start":`) and values, with no separator bookkeeping and no intermediate Strings. The
/// caller writes the structure (commas, brackets) in its fragments. Noncopyable: it owns its
/// buffer, and `finish()` hands the line over as an array.
public struct JSONLine: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int
    /// False while writing into memory lent by `JSONLine.build` (not freed here).
    @usableFromInline var owned = true

    public init(capacity: Int) {
        self.capacity = Swift.max(64, capacity)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    /// Writes into `buffer` (not owned) until it is full, then into memory of its own.
    init(lent buffer: UnsafeMutableBufferPointer<UInt8>, fallback: Int) {
        if let b = buffer.baseAddress, buffer.count > 0 {
            base = b
            capacity = buffer.count
            owned = false
        } else {
            capacity = Swift.max(64, fallback)
            base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        }
    }

    deinit { if owned { base.deallocate() } }

    /// A line written by `body` (which writes no newline) and its newline, as an array: written
    /// straight into the array's memory, `capacity` bytes reserved up front, so no copy is made
    /// unless the line outgrows them.
    public static func build(capacity: Int, _ body: (inout JSONLine) -> Void) -> [UInt8] {
        var overflow: [UInt8]?
        let line = [UInt8](unsafeUninitializedCapacity: Swift.max(64, capacity)) { buffer, initialized in
            var w = JSONLine(lent: buffer, fallback: capacity)
            body(&w)
            w.raw(byte: 0x0A)
            if w.owned {
                overflow = [UInt8](UnsafeBufferPointer(start: w.base, count: w.count))
                initialized = 0
            } else {
                initialized = w.count
            }
        }
        return overflow ?? line
    }

    /// Room for `n` more bytes.
    @inlinable @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(n) }
    }

    @usableFromInline
    mutating func grow(_ n: Int) {
        let newCapacity = Swift.max(capacity * 2, count + n)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        if owned { base.deallocate() }
        owned = true
        base = newBase
        capacity = newCapacity
    }

    /// Appends a precomputed fragment verbatim, e.g. `,"kind":`.
    @inlinable @inline(__always)
    public mutating func raw(_ fragment: StaticString) {
        fragment.withUTF8Buffer { p in
            let n = p.count
            reserve(n)
            if let src = p.baseAddress { (base + count).update(from: src, count: n) }
            count += n
        }
    }

    /// Appends one byte verbatim (`{`, `}`, `,`, `[`, `]`).
    @inlinable @inline(__always)
    public mutating func raw(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends a quoted, escaped string. `withUTF8` on a copy reads a native string in place and
    /// a small (inline) one from a stack copy of its 16 bytes: no fallback, no allocation.
    ///
    /// The bytes are read in place through `utf8.withContiguousStorageIfAvailable` (a native
    /// string's storage, a small string's stack copy): no copy of the String, so no reference
    /// counting; the `withUTF8` fallback only for strings without contiguous UTF-8.
    @inlinable
    public mutating func string(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) { return done }
        var s = s
        s.withUTF8 { appendEscaped($0) }
    }

    /// Appends a quoted, escaped string, or `null`.
    public mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// Appends UTF-8 bytes as a quoted, escaped string.
    public mutating func string(utf8 p: UnsafeBufferPointer<UInt8>) {
        appendEscaped(p)
    }

    /// Appends UTF-8 bytes (a slice of a document) as a quoted, escaped string.
    public mutating func string(utf8 slice: ArraySlice<UInt8>) {
        slice.withUnsafeBufferPointer { appendEscaped($0) }
    }

    /// Appends `"…"` with JSON escapes (as `JSONWriter` writes them). Strings of up to 32 bytes
    /// (nearly every string of a record but the text) are tested and copied whole with two to
    /// four overlapping word loads and stores, without a loop; longer ones (and any string with
    /// an escape) take the run loop: clean runs found sixteen bytes at a time and copied in one go.
    @usableFromInline
    mutating func appendEscaped(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        // at most six bytes per input byte (\u00XX), plus the quotes
        reserve(n &* 6 &+ 2)
        let out = base + count
        out.pointee = 0x22
        guard let src = p.baseAddress else {
            out[1] = 0x22
            count &+= 2
            return
        }
        if n <= 32 {
            if Self.copyClean(src, n, out + 1) {
                out[n &+ 1] = 0x22
                count &+= n &+ 2
                return
            }
        } else if n <= 512 && Self.isClean(src, n) {
            // a longer clean string (a compound rule, a long name): tested sixteen bytes a step,
            // then copied in one go
            (out + 1).update(from: src, count: n)
            out[n &+ 1] = 0x22
            count &+= n &+ 2
            return
        }
        count = Self.appendEscapedRuns(src, n, out + 1) - base
    }

    /// Copies `n` ≤ 32 bytes to `dst` when none needs an escape (then true); writes nothing and
    /// returns false otherwise. Every load and store stays inside the `n` bytes: short lengths
    /// are covered by two overlapping loads (first and last word, half-word or byte).
    @inline(__always)
    static func copyClean(_ src: UnsafePointer<UInt8>, _ n: Int, _ dst: UnsafeMutablePointer<UInt8>) -> Bool {
        let s = UnsafeRawPointer(src)
        let d = UnsafeMutableRawPointer(dst)
        if n >= 8 {
            let a = s.loadUnaligned(as: UInt64.self)
            let b = s.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            if n <= 16 {
                if escapeBits(a) | escapeBits(b) != 0 { return false }
                d.storeBytes(of: a, as: UInt64.self)
                d.storeBytes(of: b, toByteOffset: n &- 8, as: UInt64.self)
                return true
            }
            let c = s.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let e = s.loadUnaligned(fromByteOffset: n &- 16, as: UInt64.self)
            if escapeBits(a) | escapeBits(b) | escapeBits(c) | escapeBits(e) != 0 { return false }
            d.storeBytes(of: a, as: UInt64.self)
            d.storeBytes(of: c, toByteOffset: 8, as: UInt64.self)
            d.storeBytes(of: e, toByteOffset: n &- 16, as: UInt64.self)
            d.storeBytes(of: b, toByteOffset: n &- 8, as: UInt64.self)
            return true
        }
        if n >= 4 {
            let a = s.loadUnaligned(as: UInt32.self)
            let b = s.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            if escapeBits(UInt64(a) | UInt64(b) << 32) != 0 { return false }
            d.storeBytes(of: a, as: UInt32.self)
            d.storeBytes(of: b, toByteOffset: n &- 4, as: UInt32.self)
            return true
        }
        if n == 0 { return true }
        // one to three bytes: first, middle and last (some the same byte)
        let x = src[0], y = src[n >> 1], z = src[n &- 1]
        if escapeBits(UInt64(x) | UInt64(y) << 8 | UInt64(z) << 16 | 0x4141_4141_4100_0000) != 0 { return false }
        dst[0] = x
        dst[n >> 1] = y
        dst[n &- 1] = z
        return true
    }

    /// True when none of the `n` ≥ 16 bytes at `src` needs an escape: sixteen bytes a step, the
    /// last (partial) step as the final sixteen bytes.
    @inline(__always)
    static func isClean(_ src: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var k = 0
        while k &+ 16 <= n {
            if needsEscape16(UnsafeRawPointer(src + k)) { return false }
            k &+= 16
        }
        return k == n || !needsEscape16(UnsafeRawPointer(src + (n &- 16)))
    }

    /// The high bit of every byte of `x` set when that byte needs a JSON escape (below 0x20, `"`
    /// or `\`), possibly also of bytes after such a byte (borrows); zero exactly when none does.
    @inline(__always)
    static func escapeBits(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let q = x ^ (ones &* 0x22)
        let b = x ^ (ones &* 0x5C)
        return (((x &- ones &* 0x20) & ~x) | ((q &- ones) & ~q) | ((b &- ones) & ~b)) & 0x8080_8080_8080_8080
    }

    /// The general escaper: writes the escaped bytes of `src` and the closing quote from `out`,
    /// returns the end.
    @inline(never)
    static func appendEscapedRuns(_ src: UnsafePointer<UInt8>, _ n: Int, _ start: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        var out = start
        var k = 0
        while true {
            let j = Self.firstEscape(src, from: k, count: n)
            if j > k {
                Self.copy(src + k, to: out, count: j - k)
                out += j - k
            }
            if j >= n { break }
            let b = src[j]
            out[0] = 0x5C
            switch b {
            case 0x22: out[1] = 0x22; out += 2
            case 0x5C: out[1] = 0x5C; out += 2
            case 0x0A: out[1] = 0x6E; out += 2
            case 0x0D: out[1] = 0x72; out += 2
            case 0x09: out[1] = 0x74; out += 2
            default:
                out[1] = 0x75
                out[2] = 0x30
                out[3] = 0x30
                out[4] = Self.hexDigit(b >> 4)
                out[5] = Self.hexDigit(b & 0xF)
                out += 6
            }
            k = j + 1
        }
        out.pointee = 0x22
        return out + 1
    }

    /// `0`–`9`, `a`–`f`.
    @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? 0x30 &+ v : 0x57 &+ v
    }

    /// Copies `n` bytes between non-overlapping buffers: up to 32 bytes with (overlapping) word,
    /// half-word or byte moves, longer runs with `memmove`.
    @inline(__always)
    static func copy(_ src: UnsafePointer<UInt8>, to dst: UnsafeMutablePointer<UInt8>, count n: Int) {
        let s = UnsafeRawPointer(src)
        let d = UnsafeMutableRawPointer(dst)
        if n >= 8 {
            if n > 32 {
                dst.update(from: src, count: n)
                return
            }
            var i = 0
            while i + 8 <= n {
                d.storeBytes(of: s.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
                i += 8
            }
            if i < n {
                d.storeBytes(of: s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
            }
        } else if n >= 4 {
            let head = s.loadUnaligned(as: UInt32.self)
            let tail = s.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            d.storeBytes(of: head, as: UInt32.self)
            d.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
        } else {
            for i in 0..<n { dst[i] = src[i] }
        }
    }

    /// True when one of the sixteen bytes at `p` needs a JSON escape (below 0x20, `"` or `\`):
    /// the SWAR test of `JSONWriter.needsEscape` on two words at once, one branch.
    @inline(__always)
    static func needsEscape16(_ p: UnsafeRawPointer) -> Bool {
        let x = p.loadUnaligned(as: UInt64.self)
        let y = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let qx = x ^ (ones &* 0x22), qy = y ^ (ones &* 0x22)
        let bx = x ^ (ones &* 0x5C), by = y ^ (ones &* 0x5C)
        let fx = ((x &- ones &* 0x20) & ~x) | ((qx &- ones) & ~qx) | ((bx &- ones) & ~bx)
        let fy = ((y &- ones &* 0x20) & ~y) | ((qy &- ones) & ~qy) | ((by &- ones) & ~by)
        return (fx | fy) & highs != 0
    }

    /// The index of the first byte at or after `k` that needs an escape, or `n`.
    @inline(__always)
    static func firstEscape(_ src: UnsafePointer<UInt8>, from start: Int, count n: Int) -> Int {
        var k = start
        while k + 16 <= n && !needsEscape16(UnsafeRawPointer(src + k)) {
            k += 16
        }
        while k + 8 <= n {
            if JSONWriter.needsEscape(UnsafeRawPointer(src + k).loadUnaligned(as: UInt64.self)) { break }
            k += 8
        }
        // the tail of a long string: the last eight bytes (overlapping checked ones) in one test
        if k + 8 > n && k < n && n >= 8 && !JSONWriter.needsEscape(UnsafeRawPointer(src + n - 8).loadUnaligned(as: UInt64.self)) {
            return n
        }
        while k < n {
            let b = src[k]
            if b < 0x20 || b == 0x22 || b == 0x5C { return k }
            k += 1
        }
        return n
    }

    /// The number of bytes written so far (an offset for `repeatBytes`).
    @inlinable
    public var byteCount: Int { count }

    /// Appends a copy of bytes already written at `start..<end` (an object written before in
    /// this line, e.g. the same actor mentioned again).
    @inlinable
    public mutating func repeatBytes(_ start: Int, _ end: Int) {
        guard start >= 0, start <= end, end <= count else { return }
        let n = end - start
        reserve(n)
        (base + count).update(from: base + start, count: n)
        count += n
    }

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
        let out = base + count
        if v < 10 {
            out[0] = UInt8(truncatingIfNeeded: 48 &+ v)
            count &+= 1
            return
        }
        let pairs = Self.digitPairs.utf8Start
        if v < 100 {
            out[0] = pairs[v &* 2]
            out[1] = pairs[v &* 2 &+ 1]
            count &+= 2
            return
        }
        let q = v / 100
        let r = (v &- q &* 100) &* 2
        if q < 10 {
            out[0] = UInt8(truncatingIfNeeded: 48 &+ q)
            out[1] = pairs[r]
            out[2] = pairs[r &+ 1]
            count &+= 3
        } else {
            out[0] = pairs[q &* 2]
            out[1] = pairs[q &* 2 &+ 1]
            out[2] = pairs[r]
            out[3] = pairs[r &+ 1]
            count &+= 4
        }
    }

    /// Appends any integer: its width from a comparison chain, then two digits per division.
    @usableFromInline
    mutating func intSlow(_ v: Int) {
        // a minus sign and at most 19 digits
        reserve(20)
        if v < 0 {
            base[count] = 0x2D
            count += 1
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
        var k = count + width
        while n >= 100 {
            let q = n / 100
            let r = Int(truncatingIfNeeded: n &- q &* 100) &* 2
            k -= 2
            base[k] = pairs[r]
            base[k + 1] = pairs[r + 1]
            n = q
        }
        if n >= 10 {
            let r = Int(truncatingIfNeeded: n) &* 2
            base[k - 2] = pairs[r]
            base[k - 1] = pairs[r + 1]
        } else {
            base[k - 1] = UInt8(truncatingIfNeeded: 48 &+ n)
        }
        count += width
    }

    /// Appends an integer, or `null`.
    public mutating func int(_ v: Int?) {
        if let v { int(v) } else { null() }
    }

    /// Appends `null`.
    public mutating func null() {
        raw("null")
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

    /// Appends bytes verbatim (e.g. an object rendered earlier).
    @inlinable
    public mutating func append(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        reserve(n)
        if let src = p.baseAddress { (base + count).update(from: src, count: n) }
        count += n
    }

    /// Appends the bytes written at `start..<end` to `array`.
    public func copyBytes(_ start: Int, _ end: Int, into array: inout [UInt8]) {
        guard start >= 0, start <= end, end <= count else { return }
        array.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
    }

    /// Appends a newline and hands the line over.
    public consuming func finish() -> [UInt8] {
        raw(byte: 0x0A)
        let n = count
        let src = base
        return [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            if let dst = buffer.baseAddress { dst.update(from: src, count: n) }
            initialized = n
        }
    }
}
