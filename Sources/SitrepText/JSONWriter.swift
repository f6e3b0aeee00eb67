/// A minimal streaming JSON writer with fields in the order written (the contract's order), so
/// output is byte-for-byte deterministic. Appends to a byte buffer; no intermediate objects.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    var nesting = JSONNesting()
    var afterKey = false

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    mutating func separator() {
        if afterKey {
            afterKey = false
            return
        }
        if nesting.markElement() { bytes.append(0x2C) }
    }

    public mutating func beginObject() {
        separator()
        bytes.append(0x7B)
        nesting.push()
    }

    public mutating func endObject() {
        bytes.append(0x7D)
        nesting.pop()
    }

    public mutating func beginArray() {
        separator()
        bytes.append(0x5B)
        nesting.push()
    }

    public mutating func endArray() {
        bytes.append(0x5D)
        nesting.pop()
    }

    /// A coordinate in degrees with at most five decimals (about a metre), trailing zeros
    /// dropped: 39.85, -98.5, 46.75279. No String is made.
    public mutating func coordinate(_ v: Double) {
        guard v.isFinite, abs(v) < 1e9 else { return double(v) }
        separator()
        let scaled = (abs(v) * 100_000).rounded()
        var whole = Int(scaled) / 100_000
        var fraction = Int(scaled) % 100_000
        if v < 0 && (whole != 0 || fraction != 0) { bytes.append(0x2D) }
        appendDigits(whole)
        guard fraction != 0 else { return }
        bytes.append(0x2E)
        var width = 5
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        whole = fraction
        while divisor > 0 {
            bytes.append(UInt8(48 + whole / divisor))
            whole %= divisor
            divisor /= 10
        }
    }

    public mutating func key(_ k: String) {
        separator()
        appendString(k)
        bytes.append(0x3A)
        afterKey = true
    }

    public mutating func string(_ s: String) {
        separator()
        appendString(s)
    }

    public mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    public mutating func int(_ v: Int) {
        separator()
        appendDigits(v)
    }

    /// Decimal digits without allocating a String.
    mutating func appendDigits(_ v: Int) {
        if v < 0 {
            bytes.append(0x2D)
            if v == Int.min {
                bytes.append(contentsOf: String(v).utf8.dropFirst())
                return
            }
        }
        var n = v < 0 ? -v : v
        if n < 10 {
            bytes.append(UInt8(48 + n))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while n > 0 {
                buffer[19 - count] = UInt8(48 + n % 10)
                n /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// Writes UTF-8 bytes (a slice of a document) as a JSON string, without making a String.
    public mutating func string(utf8 slice: ArraySlice<UInt8>) {
        separator()
        slice.withUnsafeBufferPointer { appendEscaped($0) }
    }

    public mutating func int(_ v: Int?) {
        if let v { int(v) } else { null() }
    }

    public mutating func double(_ v: Double) {
        separator()
        if v.isFinite {
            if v == v.rounded() && abs(v) < 1e15 {
                bytes.append(contentsOf: String(Int(v)).utf8)
            } else {
                bytes.append(contentsOf: String(v).utf8)
            }
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    public mutating func bool(_ v: Bool) {
        separator()
        bytes.append(contentsOf: (v ? "true" : "false").utf8)
    }

    public mutating func null() {
        separator()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes `"key": value` pairs in one go.
    public mutating func field(_ k: String, _ v: String?) { key(k); string(v) }
    public mutating func field(_ k: String, _ v: Int?) { key(k); int(v) }
    public mutating func field(_ k: String, _ v: Double) { key(k); double(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func appendString(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) {
            return done
        }
        var copy = s
        copy.withUTF8 { appendEscaped($0) }
    }

    /// True when one of the eight bytes of `x` needs a JSON escape: below 0x20, `"` or `\`.
    /// (The SWAR tests are exact for "any byte"; only the per-byte flags may be false positives.)
    @inlinable @inline(__always)
    public static func needsEscape(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (x &- ones &* 0x20) & ~x & highs
        let q = x ^ (ones &* 0x22)
        let quote = (q &- ones) & ~q & highs
        let b = x ^ (ones &* 0x5C)
        let backslash = (b &- ones) & ~b & highs
        return control | quote | backslash != 0
    }

    /// Appends `"…"` with JSON escapes; clean runs are found eight bytes at a time and copied in one go.
    mutating func appendEscaped(_ p: UnsafeBufferPointer<UInt8>) {
        Self.appendEscaped(p, to: &bytes)
    }

    /// Appends `"…"` with JSON escapes to `bytes`; clean runs are found eight bytes at a time and
    /// copied in one go. `shortControlEscapes`: U+0008 and U+000C as `\b` and `\f`, as
    /// Foundation's encoders write them (otherwise `\u0008` and `\u000c`).
    public static func appendEscaped(_ p: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8],
                                     shortControlEscapes: Bool = false) {
        bytes.append(0x22)
        if let base = p.baseAddress {
            let n = p.count
            var runStart = 0
            var k = 0
            while k < n {
                while k + 8 <= n && !needsEscape(UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)) {
                    k += 8
                }
                let stop = Swift.min(n, k + 8)
                while k < stop {
                    let b = base[k]
                    if b >= 0x20 && b != 0x22 && b != 0x5C {
                        k += 1
                        continue
                    }
                    if k > runStart { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: k - runStart)) }
                    runStart = k + 1
                    k += 1
                    bytes.append(0x5C)
                    switch b {
                    case 0x22: bytes.append(0x22)
                    case 0x5C: bytes.append(0x5C)
                    case 0x08 where shortControlEscapes: bytes.append(0x62)
                    case 0x0C where shortControlEscapes: bytes.append(0x66)
                    case 0x0A: bytes.append(0x6E)
                    case 0x0D: bytes.append(0x72)
                    case 0x09: bytes.append(0x74)
                    default:
                        bytes.append(0x75)
                        bytes.append(0x30)
                        bytes.append(0x30)
                        bytes.append(hex[Int(b >> 4)])
                        bytes.append(hex[Int(b & 0xF)])
                    }
                }
            }
            if n > runStart { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: n - runStart)) }
        }
        bytes.append(0x22)
    }

    /// Appends a newline (JSONL) and returns the bytes, leaving the writer empty (the buffer is
    /// handed over, not copied).
    public mutating func takeLine() -> [UInt8] {
        bytes.append(0x0A)
        var line: [UInt8] = []
        swap(&line, &bytes)
        nesting.reset()
        afterKey = false
        return line
    }
}
