/// The tokenizer's byte and scalar classification, decoding and hashing helpers: small
/// always-inlined functions the scanner in `Tokenizer.swift` is built from.
extension Tokenizer {
    enum Class: UInt8 {
        case space, newline, lower, upper, digit, punct, symbol, apostrophe, period, nonASCII
    }

    /// Class of an ASCII byte (compiled to range tests, no table look-up).
    @inline(__always)
    static func asciiClass(_ b: UInt8) -> Class {
        switch b {
        case 97...122: return .lower
        case 65...90: return .upper
        case 48...57: return .digit
        case 32, 9, 11, 12, 13: return .space
        case 10: return .newline
        case 39: return .apostrophe
        case 46: return .period
        case 33, 34, 40, 41, 44, 45, 47, 58, 59, 63, 91, 93, 123, 125: return .punct
        case 0...31, 127: return .space  // other control characters separate tokens
        case 128...255: return .nonASCII
        default: return .symbol  // # $ % & * + < = > @ \ ^ _ ` | ~
        }
    }

    /// Length (0...8) of the run of `a`...`z` bytes that `w` (eight text bytes, first byte lowest)
    /// starts with.
    @inline(__always)
    static func lowercaseRun(_ w: UInt64) -> Int {
        let low = w & 0x7F7F_7F7F_7F7F_7F7F
        // + 0x1F sets a byte's high bit from 'a' (0x61) up, + 0x05 from '{' (0x7B) up; `~w` drops
        // bytes at or above 0x80
        let lower = (low &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(low &+ 0x0505_0505_0505_0505) & ~w
        return (~lower & 0x8080_8080_8080_8080).trailingZeroBitCount &>> 3
    }

    /// `h` extended (FNV-1a) by the `count` (0...8) bytes at `p + j`: one jump into a straight
    /// run of load, xor and multiply steps (read from memory: taken out of a loaded word, each
    /// byte would cost a shift and a mask more). Case `c` hashes byte `count - c` of the run,
    /// addressed from `j + count - 8` by a constant, so the cases fall through in text order.
    @inline(__always)
    static func hashed(_ p: UnsafePointer<UInt8>, _ j: Int, _ count: Int, _ h: UInt64) -> UInt64 {
        let prime = Fold.prime
        var h = h
        let b = j &+ count &- 8
        switch count {
        case 8:
            h = (h ^ UInt64(p[b])) &* prime
            fallthrough
        case 7:
            h = (h ^ UInt64(p[b &+ 1])) &* prime
            fallthrough
        case 6:
            h = (h ^ UInt64(p[b &+ 2])) &* prime
            fallthrough
        case 5:
            h = (h ^ UInt64(p[b &+ 3])) &* prime
            fallthrough
        case 4:
            h = (h ^ UInt64(p[b &+ 4])) &* prime
            fallthrough
        case 3:
            h = (h ^ UInt64(p[b &+ 5])) &* prime
            fallthrough
        case 2:
            h = (h ^ UInt64(p[b &+ 6])) &* prime
            fallthrough
        case 1:
            h = (h ^ UInt64(p[b &+ 7])) &* prime
        default:
            break
        }
        return h
    }

    @inline(__always)
    static func isLetterOrDigit(_ b: UInt8) -> Bool {
        (b &- 97) < 26 || (b &- 65) < 26 || (b &- 48) < 10
    }

    @inline(__always)
    static func isASCIILetter(_ b: UInt8) -> Bool {
        (b &- 97) < 26 || (b &- 65) < 26
    }

    /// Classification of a non-ASCII scalar.
    @inline(__always)
    static func classify(_ v: UInt32) -> Class {
        switch v {
        case 0x85, 0x2028, 0x2029: return .newline
        case 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000, 0xFEFF, 0x200E, 0x200F: return .space
        case 0x2018, 0x2019, 0x02BC: return .apostrophe
        case 0xAA, 0xB5, 0xBA: return .lower
        case 0xA1...0xBF, 0xD7, 0xF7: return .punct
        case 0x2010...0x2027, 0x2030...0x205E, 0x3001...0x3003, 0x300C...0x300F, 0xFF01...0xFF0F: return .punct
        case 0x20A0...0x20CF, 0x2100...0x214F, 0x2190...0x2BFF, 0x1F000...0x1FAFF, 0xFE00...0xFE0F:
            return .symbol
        default:
            return isUpper(v) ? .upper : .lower
        }
    }

    /// Approximate uppercase test for the scripts news in Latin, Greek, Cyrillic and Armenian use.
    @inline(__always)
    static func isUpper(_ v: UInt32) -> Bool {
        switch v {
        case 0xC0...0xDE: return v != 0xD7
        case 0x100...0x137: return v & 1 == 0
        case 0x139...0x148: return v & 1 == 1
        case 0x14A...0x177: return v & 1 == 0
        case 0x178, 0x179, 0x17B, 0x17D, 0x18F: return true
        case 0x391...0x3A9, 0x400...0x42F, 0x531...0x556: return true
        default: return false
        }
    }

    /// Decodes the scalar starting at `i` (a non-ASCII lead byte). Documents hold valid UTF-8,
    /// but a stray byte decodes as U+FFFD of length 1 rather than trapping.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        if b0 & 0xE0 == 0xC0, i + 1 < n {
            return (((b0 & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F), 2)
        }
        if b0 & 0xF0 == 0xE0, i + 2 < n {
            return (((b0 & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F), 3)
        }
        if b0 & 0xF8 == 0xF0, i + 3 < n {
            let v = ((b0 & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12)
                | ((UInt32(p[i + 2]) & 0x3F) << 6) | (UInt32(p[i + 3]) & 0x3F)
            return (v, 4)
        }
        return (0xFFFD, 1)
    }

    /// Class, scalar and length of the character at `i`.
    @inline(__always)
    static func peek(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> (Class, UInt32, Int) {
        let b = p[i]
        if b < 0x80 { return (asciiClass(b), UInt32(b), 1) }
        let (v, len) = decode(p, n, i)
        if v >= 0x300 && v <= 0x36F { return (.lower, v, len) }  // combining mark: part of a word
        return (classify(v), v, len)
    }

    @inline(__always)
    static func isWordClass(_ c: Class) -> Bool {
        c == .lower || c == .upper || c == .digit
    }

    /// Whether the bytes at `i` are a possessive `s` closing a word ("'s" then a non-letter).
    @inline(__always)
    static func possessiveS(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> Bool {
        guard i < n, p[i] | 0x20 == 0x73 else { return false }
        return i + 1 >= n || !isWordClass(peek(p, n, i + 1).0)
    }

    /// Uppercase letters in a word (only asked when it has no lowercase letter).
    static func upperLetterCount(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var count = 0
        var k = start
        while k < end {
            let (c, _, len) = peek(p, end, k)
            if c == .upper { count += 1 }
            k += len
        }
        return count
    }
}
