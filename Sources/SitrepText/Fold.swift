/// Folding: the lowercase, diacritic-free form under which tokens and lexicon entries are
/// compared. "Şuşa", "ŞUŞA" and "Susa" fold alike; "Xankəndi" folds to "xankendi"
/// (ə → e, the spelling English news uses). Letters outside the Latin ranges are kept as they are.
public enum Fold {
    /// FNV-1a 64-bit offset basis and prime.
    @usableFromInline static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    @usableFromInline static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Latin-1 supplement letters U+00C0...U+00FF folded to ASCII (0 = keep, handled specially).
    static let latin1: [UInt8] = Array("aaaaaa\u{0}ceeeeiiiidnooooo\u{0}ouuuuy\u{0}\u{0}aaaaaa\u{0}ceeeeiiiidnooooo\u{0}ouuuuy\u{0}y".utf8)
    /// Latin Extended-A U+0100...U+017F folded to ASCII (0 = ligature, handled specially).
    static let extendedA: [UInt8] = Array(
        ("aaaaaa" + "cccccccc" + "dddd" + "eeeeeeeeee" + "gggggggg" + "hhhh" + "iiiiiiiiii" + "\u{0}\u{0}"
            + "jj" + "kkk" + "llllllllll" + "nnnnnnnnn" + "oooooo" + "\u{0}\u{0}" + "rrrrrr" + "ssssssss"
            + "tttttt" + "uuuuuuuuuuuu" + "ww" + "yyy" + "zzzzzz" + "s").utf8)

    /// Appends the folded form of one Unicode scalar to `out` (as ASCII or the scalar's UTF-8).
    @inlinable
    public static func append(scalar v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            let b = UInt8(v)
            out.append(b >= 65 && b <= 90 ? b | 0x20 : b)
            return
        }
        let f = foldNonASCII(v)
        if f == keep {
            appendUTF8(v, to: &out)
        } else if f != drop {
            out.append(UInt8(f & 0xFF))
            if f > 0xFF { out.append(UInt8(f >> 8)) }
        }
    }

    /// Feeds the folded form of one scalar into a running hash.
    @inlinable
    /// `h` extended by the folded scalar. A value in and a value out: the tokenizer's running
    /// hash then stays in a register (an `inout` argument of a call that is not inlined pins it
    /// to memory, and the store-to-load round trip per byte halved the word loop's speed).
    @inline(never)
    public static func hashed(scalar v: UInt32, _ h: UInt64) -> UInt64 {
        var h = h
        hash(scalar: v, into: &h)
        return h
    }

    public static func hash(scalar v: UInt32, into h: inout UInt64) {
        if v < 0x80 {
            let b = UInt8(v)
            h = (h ^ UInt64(b >= 65 && b <= 90 ? b | 0x20 : b)) &* prime
            return
        }
        let f = foldNonASCII(v)
        if f == keep {
            @inline(__always) func mix(_ b: UInt32) { h = (h ^ UInt64(b & 0xFF)) &* prime }
            if v < 0x800 {
                mix(0xC0 | (v >> 6)); mix(0x80 | (v & 0x3F))
            } else if v < 0x10000 {
                mix(0xE0 | (v >> 12)); mix(0x80 | ((v >> 6) & 0x3F)); mix(0x80 | (v & 0x3F))
            } else {
                mix(0xF0 | (v >> 18)); mix(0x80 | ((v >> 12) & 0x3F))
                mix(0x80 | ((v >> 6) & 0x3F)); mix(0x80 | (v & 0x3F))
            }
        } else if f != drop {
            h = (h ^ UInt64(f & 0xFF)) &* prime
            if f > 0xFF { h = (h ^ UInt64(f >> 8)) &* prime }
        }
    }

    @usableFromInline static let keep: UInt16 = 0
    @usableFromInline static let drop: UInt16 = 0xFFFF

    @usableFromInline
    static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// The ASCII folding of a non-ASCII scalar: one or two ASCII bytes packed low byte first,
    /// `keep` to keep the scalar as it is, `drop` to drop it (combining marks).
    @usableFromInline
    static func foldNonASCII(_ v: UInt32) -> UInt16 {
        func pair(_ a: Character, _ b: Character) -> UInt16 {
            UInt16(a.asciiValue ?? 0) | UInt16(b.asciiValue ?? 0) << 8
        }
        switch v {
        case 0xC0...0xFF:
            let b = latin1[Int(v - 0xC0)]
            if b != 0 { return UInt16(b) }
            switch v {
            case 0xC6, 0xE6: return pair("a", "e")
            case 0xDE, 0xFE: return pair("t", "h")
            case 0xDF: return pair("s", "s")
            default: return keep  // × ÷
            }
        case 0x100...0x17F:
            let b = extendedA[Int(v - 0x100)]
            if b != 0 { return UInt16(b) }
            switch v {
            case 0x132, 0x133: return pair("i", "j")
            case 0x152, 0x153: return pair("o", "e")
            default: return keep
            }
        case 0x18F, 0x259: return 0x65  // Ə ə: English news writes e (Xankendi, Terter)
        case 0x1E6, 0x1E7: return 0x67  // Ǧ ǧ
        case 0x218, 0x219: return 0x73  // Ș ș
        case 0x21A, 0x21B: return 0x74  // Ț ț
        case 0x1A0, 0x1A1: return 0x6F  // Ơ ơ
        case 0x1AF, 0x1B0: return 0x75  // Ư ư
        case 0x2018, 0x2019, 0x02BC, 0x2032, 0x00B4: return 0x27  // apostrophes
        case 0x201C, 0x201D, 0x201E, 0x00AB, 0x00BB: return 0x22  // double quotes
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212: return 0x2D  // dashes
        case 0x0300...0x036F: return drop  // combining marks vanish
        default: return keep
        }
    }

    /// Folds a string (for lexicon entries and other slow paths).
    public static func fold(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars { append(scalar: scalar.value, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 64-bit key of already-folded bytes.
    @inlinable
    public static func hash<C: Collection>(folded bytes: C) -> UInt64 where C.Element == UInt8 {
        var h = basis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// The key of one token's text as written (folded, then hashed).
    public static func key(_ s: String) -> UInt64 {
        hash(folded: Array(fold(s).utf8))
    }
}
