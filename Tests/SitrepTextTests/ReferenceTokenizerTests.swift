import Testing
@testable import SitrepText

/// The tokenizer against a plain reference: one character at a time, every character classified
/// by `Tokenizer.peek`, the rules written out once with no fast path (no eight-byte runs, no
/// byte table, no rescanning). Every token — range, key, kind, flags — must agree on any text.
@Suite struct ReferenceTokenizerTests {
    static func reference(_ bytes: [UInt8]) -> [Token] {
        bytes.withUnsafeBufferPointer { buffer -> [Token] in
            guard let p = buffer.baseAddress, buffer.count > 0 else { return [] }
            let n = buffer.count
            let basis = Fold.basis
            func mix(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* Fold.prime }
            func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
            var out: [Token] = []
            var pending: TokenFlags = [.spaceBefore]
            var i = 0
            while i < n {
                let (cls, v, len) = Tokenizer.peek(p, n, i)
                switch cls {
                case .space:
                    pending.insert(.spaceBefore)
                    i += len
                case .newline:
                    pending.formUnion([.spaceBefore, .newlineBefore])
                    i += len
                case .lower, .upper, .digit:
                    let start = i
                    var h = basis
                    var seen: UInt8 = 0  // 1 lowercase, 2 uppercase, 4 digit, 8 other letter
                    var extra: TokenFlags = []
                    var dotted = false
                    word: while i < n {
                        let c = p[i]
                        if c >= 0x80 {
                            let (sv, slen) = Tokenizer.decode(p, n, i)
                            if sv >= 0x300 && sv <= 0x36F {
                                i += slen
                                continue
                            }
                            let sc = Tokenizer.classify(sv)
                            if sc == .lower || sc == .upper {
                                extra.insert(.nonASCII)
                                if sc == .upper {
                                    if seen & 11 == 0 { extra.insert(.capitalized) }
                                    seen |= 2
                                } else {
                                    seen |= 8
                                }
                                h = Fold.hashed(scalar: sv, h)
                                i += slen
                                continue
                            }
                            if sc == .apostrophe, seen & 11 != 0, i + slen < n, !Tokenizer.possessiveS(p, n, i + slen),
                                Tokenizer.isWordClass(Tokenizer.peek(p, n, i + slen).0)
                            {
                                h = mix(h, 0x27)
                                i += slen
                                continue
                            }
                            break word
                        }
                        if c >= 97 && c <= 122 {
                            seen |= 1
                            h = mix(h, c)
                            i += 1
                            continue
                        }
                        if c >= 65 && c <= 90 {
                            if seen & 11 == 0 { extra.insert(.capitalized) }
                            seen |= 2
                            h = mix(h, c | 0x20)
                            i += 1
                            continue
                        }
                        if isDigit(c) {
                            seen |= 4
                            h = mix(h, c)
                            i += 1
                            continue
                        }
                        let allDigits = seen == 4
                        if c == 0x2E {
                            if allDigits, i + 1 < n, isDigit(p[i + 1]) {
                                h = mix(h, c)
                                i += 1
                                continue
                            }
                            if i - start == 1, seen & 3 != 0, i + 2 < n, Tokenizer.isASCIILetter(p[i + 1]), p[i + 2] == 0x2E {
                                var j = start
                                var hh = basis
                                while j + 1 < n, Tokenizer.isASCIILetter(p[j]), p[j + 1] == 0x2E {
                                    hh = mix(mix(hh, p[j] | 0x20), 0x2E)
                                    j += 2
                                    if j < n, Tokenizer.isLetterOrDigit(p[j]), !(j + 1 < n && p[j + 1] == 0x2E) { break }
                                }
                                h = hh
                                i = j
                                dotted = true
                            }
                            break word
                        }
                        if c == 0x2C, allDigits, i + 3 < n, isDigit(p[i + 1]), isDigit(p[i + 2]), isDigit(p[i + 3]),
                            i + 4 >= n || !isDigit(p[i + 4])
                        {
                            h = mix(h, c)
                            i += 1
                            continue
                        }
                        if c == 0x27, seen & 11 != 0, i + 1 < n, !Tokenizer.possessiveS(p, n, i + 1),
                            Tokenizer.isWordClass(Tokenizer.peek(p, n, i + 1).0)
                        {
                            h = mix(h, 0x27)
                            i += 1
                            continue
                        }
                        break word
                    }
                    var kind = TokenKind.word
                    if dotted {
                        extra = [.dottedAbbreviation]
                        if p[start] >= 65 && p[start] <= 90 { extra.insert(.capitalized) }
                    } else {
                        if seen & 4 != 0 { extra.insert(.hasDigit) }
                        if seen & 9 == 0, seen & 2 != 0, Tokenizer.upperLetterCount(p, start, i) >= 2 { extra.insert(.allCaps) }
                        if seen == 4 { kind = .number }
                    }
                    out.append(Token(start: Int32(start), end: Int32(i), key: h, kind: kind, flags: pending.union(extra)))
                    pending = []
                case .apostrophe:
                    if !pending.contains(.spaceBefore), Tokenizer.possessiveS(p, n, i + len) {
                        out.append(Token(start: Int32(i), end: Int32(i + len + 1), key: mix(mix(basis, 0x27), 0x73),
                                         kind: .word, flags: pending))
                        i += len + 1
                    } else {
                        out.append(Token(start: Int32(i), end: Int32(i + len), key: Fold.hashed(scalar: v, basis),
                                         kind: .punct, flags: pending))
                        i += len
                    }
                    pending = []
                case .period:
                    var j = i + 1
                    var h = mix(basis, 0x2E)
                    while j < n && p[j] == 0x2E {
                        h = mix(h, 0x2E)
                        j += 1
                    }
                    out.append(Token(start: Int32(i), end: Int32(j), key: h, kind: .punct, flags: pending))
                    pending = []
                    i = j
                case .punct, .nonASCII, .symbol:
                    var f = pending
                    if v >= 0x80 { f.insert(.nonASCII) }
                    out.append(Token(start: Int32(i), end: Int32(i + len), key: Fold.hashed(scalar: v, basis),
                                     kind: cls == .symbol ? .symbol : .punct, flags: f))
                    pending = []
                    i += len
                }
            }
            return out
        }
    }

    static func same(_ a: [Token], _ b: [Token]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.start == $1.start && $0.end == $1.end && $0.key == $1.key && $0.kind == $1.kind && $0.flags == $1.flags
        }
    }

    static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        bytes.withUnsafeBufferPointer { Tokenizer.tokenize($0, into: &tokens) }
        return tokens
    }

    /// Texts aimed at the fast paths: plain words of every length around the eight-byte loads,
    /// capitalized and uppercase words, every ASCII byte after a word, words at the end of the
    /// text (where fewer than eight bytes remain).
    static func texts() -> [String] {
        var out = TokenizerStoragePropertyTests.texts()
        let words = ["a", "of", "the", "said", "shell", "killed", "civilian", "Stepanakert", "reconnaissance",
                     "The", "A", "I", "NATO", "McDonald", "iPhone", "O'Brien", "Ma’arrat", "U.S.", "a.m.", "e.g.",
                     "27th", "1990s", "TB2", "3.5", "1,000", "x1,2345", "Şuşa", "ŞUŞA", "Xankəndi", "cafe\u{0301}",
                     "it's", "Azerbaijan's", "its’", "A.", "J. Smith", "No. 5", "etc.", "co-op", "and/or"]
        for w in words {
            for k in 0..<128 {
                let b = Character(Unicode.Scalar(UInt8(k)))
                out.append(w + String(b) + "x")
                out.append("\(w)\(b)")
            }
            for pad in 0..<10 {
                out.append(String(repeating: " ", count: pad) + w)
                out.append(String(repeating: "z", count: pad) + w + " tail")
            }
        }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for length in [3, 12, 60, 300] {
            for _ in 0..<40 {
                var s = ""
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    s += words[Int(state >> 33) % words.count]
                    switch state & 7 {
                    case 0: s += ", "
                    case 1: s += ". "
                    case 2: s += "\n"
                    case 3: break
                    default: s += " "
                    }
                }
                out.append(s)
            }
        }
        return out
    }

    @Test func tokenizerAgreesWithTheReference() {
        for text in Self.texts() {
            let bytes = Array(text.utf8)
            let got = Self.tokenize(bytes)
            let want = Self.reference(bytes)
            #expect(Self.same(got, want), "\(text.debugDescription)")
        }
    }

    @Test func tokenizerAgreesWithTheReferenceOnArbitraryBytes() {
        // not UTF-8 at all (documents always are, but the tokenizer must not depend on it)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in [1, 2, 7, 8, 9, 15, 16, 17, 64, 300] {
            for _ in 0..<60 {
                var bytes: [UInt8] = []
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let r = UInt8(truncatingIfNeeded: state >> 56)
                    // mostly letters and spaces, so that words of every length occur
                    bytes.append(r < 96 ? 97 + r % 26 : r < 128 ? 32 : r < 144 ? 65 + r % 26 : r)
                }
                #expect(Self.same(Self.tokenize(bytes), Self.reference(bytes)), "\(bytes)")
            }
        }
    }
}
