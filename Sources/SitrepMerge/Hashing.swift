/// Stable, fast hashes (not cryptographic): content ids, incident ids, MinHash seeds.
public enum StableHash {
    /// FNV-1a 64 over bytes, with a seed mixed into the offset basis.
    @inlinable
    public static func fnv64<C: Sequence>(_ bytes: C, seed: UInt64 = 0) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15)
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// A 64-bit finalizer (splitmix64): spreads bits of a key.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 16 lowercase hex digits.
    public static func hex(_ v: UInt64) -> String {
        hex(v, prefix: "")
    }

    /// `prefix` (ASCII) then 16 lowercase hex digits, written straight into the string's storage
    /// (the digit table and the digits as arrays, then the concatenation, were three allocations).
    public static func hex(_ v: UInt64, prefix: StaticString) -> String {
        let n = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: n + 16) { out in
            // `out` holds at least n + 16 bytes: the prefix, then the digits at n..<n+16.
            prefix.withUTF8Buffer { p in
                for i in 0..<n { out[i] = p[i] }
            }
            var x = v
            for i in stride(from: n + 15, through: n, by: -1) {
                let d = UInt8(truncatingIfNeeded: x & 0xF)
                out[i] = d < 10 ? 0x30 + d : 0x57 + d
                x >>= 4
            }
            return n + 16
        }
    }

    /// `fnv64(s.utf8, seed:)`, over the string's bytes in place when it has them contiguous
    /// (iterating `utf8` element by element cost ≈ 4× as much per byte).
    @inlinable
    public static func fnv64(utf8Of s: String, seed: UInt64 = 0) -> UInt64 {
        fnv64(continuing: fnv64([UInt8](), seed: seed), utf8Of: s)
    }

    /// An FNV-1a 64 hash `h` continued over a string's bytes: `fnv64((a + b).utf8)` is
    /// `fnv64(continuing: fnv64(a.utf8), utf8Of: b)`.
    @inlinable
    public static func fnv64(continuing h: UInt64, utf8Of s: String) -> UInt64 {
        s.utf8.withContiguousStorageIfAvailable { fnv64(continuing: h, $0) } ?? fnv64(continuing: h, s.utf8)
    }

    /// An FNV-1a 64 hash `h` continued over more bytes.
    @inlinable
    public static func fnv64<C: Sequence>(continuing h: UInt64, _ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h = h
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// A 128-bit content hash as 32 hex digits: two independent FNV-1a passes, mixed.
    public static func content(_ parts: [String?]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x84222325cbf29ce4
        // Both passes over one buffer of bytes: native strings lend theirs in place (iterating
        // `utf8` element by element cost ≈ 4× as much per byte).
        func pass(_ bytes: UnsafeBufferPointer<UInt8>) {
            var x = a
            var y = b
            for byte in bytes {
                x ^= UInt64(byte); x = x &* 0x0000_0100_0000_01B3
                y = (y ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37
            }
            a = x
            b = y
        }
        for part in parts {
            if var part {
                if part.utf8.withContiguousStorageIfAvailable(pass) == nil {
                    part.makeContiguousUTF8()
                    if part.utf8.withContiguousStorageIfAvailable(pass) == nil { Array(part.utf8).withUnsafeBufferPointer(pass) }
                }
                a ^= 0x1F; a = a &* 0x0000_0100_0000_01B3
            } else {
                a ^= 0x1E; a = a &* 0x0000_0100_0000_01B3
                b ^= 0x1E; b = b &* 0x0000_0100_0000_01B3
            }
            b ^= 0x1F; b = b &* 0x0000_0100_0000_01B3
        }
        return hex(mix(a)) + hex(mix(b ^ a))
    }
}

/// Civil dates as day numbers (days since 1970-01-01), for interval arithmetic.
public enum DayNumber {
    public static func from(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// `YYYY-MM-DD` of a day number.
    public static func iso(_ day: Int) -> String {
        let (y, m, d) = civil(day)
        // Years 0–9999 (every date a text gives): the ten bytes written straight into the string
        // (padding each part as a string, then interpolating, cost ≈ 2,700 instructions).
        if (0...9999).contains(y), (0...99).contains(m), (0...99).contains(d) {
            return String(unsafeUninitializedCapacity: 10) { out in
                // `out` holds at least 10 bytes: YYYY-MM-DD.
                func digits(_ v: Int, _ at: Int, _ width: Int) {
                    var v = v
                    for i in stride(from: at + width - 1, through: at, by: -1) {
                        out[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                        v /= 10
                    }
                }
                digits(y, 0, 4)
                out[4] = 0x2D
                digits(m, 5, 2)
                out[7] = 0x2D
                digits(d, 8, 2)
                return 10
            }
        }
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: Swift.max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Parses the date part of `YYYY-MM-DD` (or an ISO date-time) without Foundation.
    public static func parse(_ s: String?) -> Int? {
        guard let s else { return nil }
        let b = Array(s.utf8.prefix(10))
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return from(year: y, month: m, day: d)
    }
}
