// JSON string escaping for `JSONLine`: short strings tested and copied whole, longer ones
// as clean runs between the bytes that need an escape.

extension JSONLine {
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

    /// `S,"end":E,"text":"…"`: a mention's scalar offsets (`start`, its key written by the
    /// caller) and its text, the commonest run of a record. Offsets below 10,000 and a clean text
    /// of up to 32 bytes (nearly every mention) are written with one capacity check, the
    /// fragments as word stores; anything else by the general writers, byte for byte the same.
    public mutating func offsetsAndText(_ start: Int, _ end: Int, _ text: UnsafeBufferPointer<UInt8>) {
        let n = text.count
        guard UInt(bitPattern: start) < 10_000, UInt(bitPattern: end) < 10_000, n <= 32, let src = text.baseAddress else {
            int(start)
            raw(",\"end\":")
            int(end)
            raw(",\"text\":")
            appendEscaped(text)
            return
        }
        // four digits, eight bytes of `,"end":`, four digits, `,"text":`, the quoted text
        reserve(4 &+ 8 &+ 4 &+ 8 &+ 34)
        var out = base + count
        out = Self.offsetFields(start, end, out)
        if Self.copyClean(src, n, out + 1) {
            out[n &+ 1] = 0x22
            count = out + n + 2 - base
            return
        }
        // an escape: the general escaper from the opening quote
        count = out - base
        appendEscaped(text)
    }

    /// Writes `S,"end":E,"text":"` at `out` (both offsets below 10,000, so at most 4 + 7 + 4 + 8 + 1
    /// bytes, within what the callers reserved) and returns the position of the opening quote.
    @inline(__always)
    static func offsetFields(_ start: Int, _ end: Int, _ at: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var out = at
        out += digits(start, out)
        // `,"end":` (the eighth byte stored is overwritten next)
        UnsafeMutableRawPointer(out).storeBytes(of: UInt64(0x003A_2264_6E65_222C).littleEndian, as: UInt64.self)
        out += 7
        out += digits(end, out)
        UnsafeMutableRawPointer(out).storeBytes(of: UInt64(0x3A22_7478_6574_222C).littleEndian, as: UInt64.self)
        out += 8
        out[0] = 0x22
        return out
    }

    /// `H` `S,"end":E,"text":"…"` `T`: a whole mention whose head `H` (`{"kind":…,"start":`) and
    /// tail `T` (its object and rule, rendered before) are known, with its scalar offsets and
    /// text between them: `offsetsAndText` and the two fragments with one capacity check and no
    /// call. Anything the fast path does not take is written by the general writers, byte for
    /// byte the same.
    public mutating func mention(
        _ head: StaticString, _ start: Int, _ end: Int, _ text: UnsafeBufferPointer<UInt8>, _ tail: UnsafeBufferPointer<UInt8>
    ) {
        let n = text.count
        let h = head.utf8CodeUnitCount
        guard UInt(bitPattern: start) < 10_000, UInt(bitPattern: end) < 10_000, n <= 32, h <= 32,
            head.hasPointerRepresentation, let src = text.baseAddress
        else {
            raw(head)
            offsetsAndText(start, end, text)
            append(tail)
            return
        }
        // the head, four digits, `,"end":`, four digits, `,"text":`, the quoted text, the tail
        reserve(h &+ 4 &+ 8 &+ 4 &+ 8 &+ 34 &+ tail.count)
        var out = base + count
        Self.copyShort(UnsafeRawPointer(head.utf8Start), h, UnsafeMutableRawPointer(out))
        out += h
        out = Self.offsetFields(start, end, out)
        guard Self.copyClean(src, n, out + 1) else {
            // an escape: the general escaper from the opening quote
            count = out - base
            appendEscaped(text)
            append(tail)
            return
        }
        out[n &+ 1] = 0x22
        out += n &+ 2
        let t = tail.count
        if let tp = tail.baseAddress {
            if t <= 32 {
                Self.copyShort(UnsafeRawPointer(tp), t, UnsafeMutableRawPointer(out))
            } else {
                UnsafeMutableRawPointer(out).copyMemory(from: tp, byteCount: t)
            }
        }
        count = out + t - base
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
    /// returns the end. Sixteen bytes a step are stored, then tested: a clean step (nearly
    /// every one) is kept whole; otherwise its clean prefix is kept and the first byte needing an
    /// escape is written escaped over the rest, and the next step starts after it. No run is
    /// copied again and no byte is looked at twice. (The caller reserved six bytes per input
    /// byte: a step's sixteen bytes always fit, written ahead of the output's end.)
    @inline(never)
    static func appendEscapedRuns(_ src: UnsafePointer<UInt8>, _ n: Int, _ start: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        var out = start
        var k = 0
        let s = UnsafeRawPointer(src)
        while k &+ 16 <= n {
            let x = s.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let y = s.loadUnaligned(fromByteOffset: k &+ 8, as: UInt64.self)
            let d = UnsafeMutableRawPointer(out)
            d.storeBytes(of: x, as: UInt64.self)
            d.storeBytes(of: y, toByteOffset: 8, as: UInt64.self)
            let fx = escapeBits(x)
            let fy = escapeBits(y)
            if fx | fy == 0 {
                out += 16
                k &+= 16
                continue
            }
            // the lowest flagged byte needs an escape (a borrow flags only bytes after such a one)
            let j = fx != 0 ? fx.trailingZeroBitCount &>> 3 : 8 &+ (fy.trailingZeroBitCount &>> 3)
            out = escape(src[k &+ j], out + j)
            k &+= j &+ 1
        }
        while k < n {
            let b = src[k]
            if b < 0x20 || b == 0x22 || b == 0x5C {
                out = escape(b, out)
            } else {
                out[0] = b
                out += 1
            }
            k &+= 1
        }
        out.pointee = 0x22
        return out + 1
    }

    /// Writes the JSON escape of `b` (a byte below 0x20, `"` or `\`) at `out`; returns its end.
    @inline(__always)
    static func escape(_ b: UInt8, _ out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = 0x5C
        switch b {
        case 0x22: out[1] = 0x22; return out + 2
        case 0x5C: out[1] = 0x5C; return out + 2
        case 0x0A: out[1] = 0x6E; return out + 2
        case 0x0D: out[1] = 0x72; return out + 2
        case 0x09: out[1] = 0x74; return out + 2
        default:
            out[1] = 0x75
            out[2] = 0x30
            out[3] = 0x30
            out[4] = Self.hexDigit(b >> 4)
            out[5] = Self.hexDigit(b & 0xF)
            return out + 6
        }
    }

    /// `0`–`9`, `a`–`f`.
    @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? 0x30 &+ v : 0x57 &+ v
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
}
