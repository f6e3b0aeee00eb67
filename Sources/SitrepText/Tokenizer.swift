/// Byte-level tokenizer. One pass over the UTF-8 bytes; non-ASCII scalars are decoded only where
/// they occur. Words split at hyphens and slashes ("13-year-old" → 13 - year - old, with
/// `spaceBefore` unset so matchers can rejoin them); a possessive "'s" is its own token;
/// dotted abbreviations ("U.S.", "a.m.") and numbers with separators ("1,000", "3.5") stay whole.
public enum Tokenizer {
    enum Class: UInt8 {
        case other = 0, space, newline, lower, upper, digit, punct, symbol, apostrophe, period, nonASCII
    }

    static let asciiClass: [Class] = {
        var t = [Class](repeating: .nonASCII, count: 256)
        for b in 0..<128 {
            let c = UInt8(b)
            switch c {
            case 9, 11, 12, 13, 32: t[b] = .space
            case 10: t[b] = .newline
            case 97...122: t[b] = .lower
            case 65...90: t[b] = .upper
            case 48...57: t[b] = .digit
            case 39: t[b] = .apostrophe
            case 46: t[b] = .period
            case 33, 34, 40, 41, 44, 45, 47, 58, 59, 63, 91, 93, 123, 125: t[b] = .punct
            case 0...8, 14...31, 127: t[b] = .space  // control characters act as separators
            default: t[b] = .symbol  // # $ % & * + < = > @ \ ^ _ ` | ~
            }
        }
        return t
    }()

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
        case 0x20A0...0x20CF, 0x2100...0x214F, 0x2190...0x2BFF, 0x1F000...0x1FAFF, 0xFE00...0xFE0F, 0x2600...0x27BF:
            return .symbol
        default:
            return isUpper(v) ? .upper : .lower
        }
    }

    /// Approximate uppercase test for the scripts news in Latin, Greek and Cyrillic use.
    @inline(__always)
    static func isUpper(_ v: UInt32) -> Bool {
        switch v {
        case 0xC0...0xDE: return v != 0xD7
        case 0x100...0x137: return v & 1 == 0
        case 0x139...0x148: return v & 1 == 1
        case 0x14A...0x177: return v & 1 == 0
        case 0x178, 0x179, 0x17B, 0x17D, 0x18F: return true
        case 0x391...0x3A9, 0x410...0x42F, 0x400...0x40F, 0x531...0x556: return true
        default: return false
        }
    }

    /// Decodes the scalar starting at `i` (which holds a non-ASCII lead byte). Invalid sequences
    /// cannot occur: documents hold valid UTF-8 (Swift `String`), but a stray byte decodes as
    /// U+FFFD of length 1 rather than trapping.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        let n = p.count
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

    /// Class and length of the character at `i`.
    @inline(__always)
    static func peek(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ table: UnsafePointer<Class>) -> (Class, UInt32, Int) {
        let b = p[i]
        if b < 0x80 { return (table[Int(b)], UInt32(b), 1) }
        let (v, len) = decode(p, i)
        if v >= 0x300 && v <= 0x36F { return (.lower, v, len) }  // combining mark: part of a word
        return (classify(v), v, len)
    }

    /// Appends one token; the pending `flags` (space/newline before) go to it and are reset.
    @inline(__always)
    static func emit(
        _ tokens: inout [Token], _ flags: inout TokenFlags,
        _ start: Int, _ end: Int, _ kind: TokenKind, _ extra: TokenFlags, _ key: UInt64
    ) {
        tokens.append(Token(start: Int32(start), end: Int32(end), key: key, kind: kind, flags: flags.union(extra)))
        flags = []
    }

    /// Tokenizes `p`, appending to `tokens`.
    public static func tokenize(_ p: UnsafeBufferPointer<UInt8>, into tokens: inout [Token]) {
        // the class table is read through a pointer: indexing the global array in the loop cost
        // a lazy-initialization check and a bounds check per byte
        asciiClass.withUnsafeBufferPointer { table in
            guard let t = table.baseAddress else { return }
            tokenize(p, into: &tokens, table: t)
        }
    }

    static func tokenize(_ p: UnsafeBufferPointer<UInt8>, into tokens: inout [Token], table: UnsafePointer<Class>) {
        let asciiClass = table
        let n = p.count
        var i = 0
        var flags: TokenFlags = [.spaceBefore]
        tokens.reserveCapacity(tokens.count + n / 5)

        while i < n {
            let (cls, v, len) = peek(p, i, asciiClass)
            switch cls {
            case .space:
                flags.insert(.spaceBefore)
                i += len
            case .newline:
                flags.formUnion([.spaceBefore, .newlineBefore])
                i += len
            case .lower, .upper, .digit:
                i = scanWord(p, i, asciiClass, tokens: &tokens, flags: &flags)
            case .apostrophe:
                // possessive 's / ’s as its own token when it follows a word
                if !flags.contains(.spaceBefore), i + len < n, p[i + len] | 0x20 == 0x73,
                    i + len + 1 >= n || !isWordClass(peek(p, i + len + 1, asciiClass).0)
                {
                    var h = Fold.basis
                    h = (h ^ 0x27) &* Fold.prime
                    h = (h ^ 0x73) &* Fold.prime
                    emit(&tokens, &flags, i, i + len + 1, .word, [], h)
                    i += len + 1
                } else {
                    var h = Fold.basis
                    Fold.hash(scalar: v, into: &h)
                    emit(&tokens, &flags, i, i + len, .punct, [], h)
                    i += len
                }
            case .period:
                // "..." as one token
                var j = i + 1
                while j < n && p[j] == 0x2E { j += 1 }
                var h = Fold.basis
                for _ in i..<j { h = (h ^ 0x2E) &* Fold.prime }
                emit(&tokens, &flags, i, j, .punct, [], h)
                i = j
            case .punct, .other, .nonASCII:
                var h = Fold.basis
                Fold.hash(scalar: v, into: &h)
                emit(&tokens, &flags, i, i + len, .punct, v >= 0x80 ? .nonASCII : [], h)
                i += len
            case .symbol:
                var h = Fold.basis
                Fold.hash(scalar: v, into: &h)
                emit(&tokens, &flags, i, i + len, .symbol, v >= 0x80 ? .nonASCII : [], h)
                i += len
            }
        }
    }

    @inline(__always)
    static func isWordClass(_ c: Class) -> Bool {
        c == .lower || c == .upper || c == .digit
    }

    /// Scans a word or number starting at `start`; returns the index after it.
    @inline(__always)
    static func scanWord(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ asciiClass: UnsafePointer<Class>,
        tokens: inout [Token], flags: inout TokenFlags
    ) -> Int {
        let n = p.count
        var i = start
        var h = Fold.basis
        var letters = 0, uppers = 0, digits = 0
        var extra: TokenFlags = []
        var firstLetterSeen = false
        var allDigits = true
        while i < n {
            // fast path, same effect as `case .lower` below: a run of lowercase ASCII letters
            if p[i] &- 0x61 < 26 {
                repeat {
                    h = (h ^ UInt64(p[i])) &* Fold.prime
                    letters += 1
                    i += 1
                } while i < n && p[i] &- 0x61 < 26
                allDigits = false
                firstLetterSeen = true
                continue
            }
            let b = p[i]
            if b < 0x80 {
                let c = asciiClass[Int(b)]
                switch c {
                case .lower:
                    letters += 1
                    allDigits = false
                    firstLetterSeen = true
                    h = (h ^ UInt64(b)) &* Fold.prime
                    i += 1
                    continue
                case .upper:
                    letters += 1
                    uppers += 1
                    allDigits = false
                    if !firstLetterSeen { extra.insert(.capitalized); firstLetterSeen = true }
                    h = (h ^ UInt64(b | 0x20)) &* Fold.prime
                    i += 1
                    continue
                case .digit:
                    digits += 1
                    h = (h ^ UInt64(b)) &* Fold.prime
                    i += 1
                    continue
                case .period:
                    // decimal or thousands inside a number: 3.5
                    if allDigits && digits > 0, i + 1 < n, asciiClass[Int(p[i + 1])] == .digit {
                        h = (h ^ UInt64(b)) &* Fold.prime
                        i += 1
                        continue
                    }
                    // dotted abbreviation: U.S., a.m., U.K.
                    if letters == 1 && digits == 0 && i - start == 1, i + 2 < n,
                        asciiClass[Int(p[i + 1])] == .lower || asciiClass[Int(p[i + 1])] == .upper,
                        p[i + 2] == 0x2E
                    {
                        var j = start
                        var hh = Fold.basis
                        // consume (letter .)+
                        while j + 1 < n, asciiClass[Int(p[j])] == .lower || asciiClass[Int(p[j])] == .upper,
                            p[j + 1] == 0x2E
                        {
                            hh = (hh ^ UInt64(p[j] | 0x20)) &* Fold.prime
                            hh = (hh ^ 0x2E) &* Fold.prime
                            if asciiClass[Int(p[j])] == .upper { uppers += 1 }
                            j += 2
                            if j < n, isWordClass(asciiClass[Int(p[j])]), !(j + 1 < n && p[j + 1] == 0x2E) { break }
                        }
                        var f: TokenFlags = [.dottedAbbreviation]
                        if asciiClass[Int(p[start])] == .upper { f.insert(.capitalized) }
                        emit(&tokens, &flags, start, j, .word, f, hh)
                        return j
                    }
                default:
                    break
                }
                if b == 0x2C, allDigits && digits > 0, i + 3 < n,
                    asciiClass[Int(p[i + 1])] == .digit, asciiClass[Int(p[i + 2])] == .digit,
                    asciiClass[Int(p[i + 3])] == .digit, i + 4 >= n || asciiClass[Int(p[i + 4])] != .digit
                {
                    // thousands separator: 1,000 (exactly three digits follow)
                    h = (h ^ UInt64(b)) &* Fold.prime
                    i += 1
                    continue
                }
                if b == 0x27, letters > 0, i + 1 < n {
                    // inner apostrophe: O'Brien, Ma'arrat; but not the possessive 's
                    let nextIsS = p[i + 1] | 0x20 == 0x73 && (i + 2 >= n || !isWordClass(peek(p, i + 2, asciiClass).0))
                    if !nextIsS, isWordClass(peek(p, i + 1, asciiClass).0) {
                        h = (h ^ 0x27) &* Fold.prime
                        i += 1
                        continue
                    }
                }
                break
            }
            // non-ASCII
            let (v, len) = decode(p, i)
            if v >= 0x300 && v <= 0x36F {
                i += len  // combining mark: stays in the word, folds away
                continue
            }
            let c = classify(v)
            if c == .lower || c == .upper {
                letters += 1
                allDigits = false
                extra.insert(.nonASCII)
                if c == .upper {
                    uppers += 1
                    if !firstLetterSeen { extra.insert(.capitalized) }
                }
                firstLetterSeen = true
                Fold.hash(scalar: v, into: &h)
                i += len
                continue
            }
            if c == .apostrophe, letters > 0, i + len < n {
                let nextIsS = p[i + len] | 0x20 == 0x73 && (i + len + 1 >= n || !isWordClass(peek(p, i + len + 1, asciiClass).0))
                if !nextIsS, isWordClass(peek(p, i + len, asciiClass).0) {
                    h = (h ^ 0x27) &* Fold.prime
                    i += len
                    continue
                }
            }
            break
        }
        if digits > 0 { extra.insert(.hasDigit) }
        if uppers >= 2 && uppers == letters { extra.insert(.allCaps) }
        let kind: TokenKind = (allDigits && digits > 0) ? .number : .word
        emit(&tokens, &flags, start, i, kind, extra, h)
        return i
    }
}
