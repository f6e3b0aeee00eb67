/// Byte-level tokenizer. One pass over the UTF-8 bytes; non-ASCII scalars are decoded only where
/// they occur. Words split at hyphens and slashes ("13-year-old" → 13 - year - old, with
/// `spaceBefore` unset so matchers can rejoin them); a possessive "'s" is its own token;
/// dotted abbreviations ("U.S.", "a.m.") and numbers with separators ("1,000", "3.5") stay whole.
/// The hot loop uses no closures and no lazily initialized statics: it is the pipeline's floor.
public enum Tokenizer {
    /// Tokenizes `buffer`, appending to `tokens`.
    public static func tokenize(_ buffer: UnsafeBufferPointer<UInt8>, into tokens: inout [Token]) {
        var breaks: [Int32] = []
        tokenize(buffer, into: &tokens, breaks: &breaks)
    }

    /// Whether the segmenter must look at a token: punctuation (a sentence may end there), a
    /// dotted abbreviation (a sentence may start after it) or the first token of a line.
    @inline(__always)
    static func isBreakCandidate(_ t: Token) -> Bool {
        t.kind == .punct || t.flags.contains(.dottedAbbreviation) || t.flags.contains(.newlineBefore)
    }

    /// Tokenizes `buffer`, appending to `tokens`, and appends to `breaks` the index of every
    /// token `isBreakCandidate` holds for, in order: the segmenter then visits those alone.
    public static func tokenize(_ buffer: UnsafeBufferPointer<UInt8>, into tokens: inout [Token], breaks: inout [Int32]) {
        var leads: [Int32] = []
        _ = tokenize(buffer, into: &tokens, breaks: &breaks, leads: &leads)
    }

    /// `tokenize(_:into:breaks:)`, also setting `leads` to the offsets of the text's non-ASCII
    /// lead bytes, ascending, and returning how far the text was read (bytes from there on were
    /// not looked at): `ScalarOffsets` is built from them without a scan of its own. The scanner
    /// meets every such byte at its cursor and no continuation byte there (on valid UTF-8, as a
    /// `String`'s bytes are): every path that moves the cursor over bytes it has not classified
    /// moves it over ASCII bytes only (letter runs, digits, `.`, `,`, `'`, `s`, one space), a
    /// byte at or above 0x80 at the cursor is classified by `peek` or `decode`, where it is
    /// noted, and the cursor then moves past the whole scalar. (A byte met twice, by the word
    /// loop and then the dispatch, is noted once.)
    static func tokenize(
        _ buffer: UnsafeBufferPointer<UInt8>, into tokens: inout [Token], breaks: inout [Int32], leads: inout [Int32]
    ) -> Int {
        guard let p = buffer.baseAddress, buffer.count > 0 else { return 0 }
        // token offsets are Int32: a text is read up to 2 GiB (an article is a few kB; the
        // readers refuse lines over 16 MiB)
        let n = Swift.min(buffer.count, Int(Int32.max))
        // Tokens are written straight into storage sized up front, with no per-token capacity or
        // uniqueness check. A token every three bytes is generous for prose; a denser text is
        // tokenized again with room for one token per byte, which always suffices.
        var capacity = n / 3 + 16
        while true {
            var tc = 0
            var bc = 0
            leads.removeAll(keepingCapacity: true)
            var done = false
            var b: [Int32] = []
            let t = [Token](unsafeUninitializedCapacity: capacity) { tb, tcount in
                b = [Int32](unsafeUninitializedCapacity: capacity) { bb, bcount in
                    if let tp = tb.baseAddress, let bp = bb.baseAddress {
                        done = scan(p, n, tp, bp, capacity, &tc, &bc, &leads)
                    }
                    bcount = done ? bc : 0
                }
                tcount = done ? tc : 0
            }
            guard done else {
                capacity = n + 1
                continue
            }
            let base = Int32(tokens.count)
            if base == 0 && breaks.isEmpty { breaks = b } else { breaks.append(contentsOf: b.lazy.map { $0 + base }) }
            if tokens.isEmpty { tokens = t } else { tokens.append(contentsOf: t) }
            return n
        }
    }

    /// Notes a non-ASCII byte met at the cursor (once: the word loop and then the dispatch may
    /// both meet the byte that ends a word).
    @inline(never)
    static func note(_ i: Int, _ leads: inout [Int32]) {
        let at = Int32(truncatingIfNeeded: i)
        if leads.last != at { leads.append(at) }
    }

    /// The scanner: writes tokens to `tp` and break candidates to `bp` (both `capacity` long),
    /// counting them in `tc` and `bc`, and appends to `leads` the offset of every byte at or above
    /// 0x80 it meets at its cursor, once; false when `tp` is full before the text ends.
    static func scan(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ tp: UnsafeMutablePointer<Token>, _ bp: UnsafeMutablePointer<Int32>,
        _ capacity: Int, _ tc: inout Int, _ bc: inout Int, _ leads: inout [Int32]
    ) -> Bool {
        let prime = Fold.prime
        let basis = Fold.basis
        var i = 0
        // the last offset with eight bytes from it in the text
        let last8 = n &- 8
        var pending: TokenFlags = [.spaceBefore]
        var count = 0
        var breaks = 0
        defer {
            tc = count
            bc = breaks
        }

        while i < n {
            let b = p[i]
            if ((b | 0x20) &- 97) < 26 {
                // The commonest token: ASCII letters, at most the first uppercase, ended by a byte
                // that cannot continue a word. Scanned here with no class dispatch; anything else
                // ("NATO", "O'Brien", "U.S.", "27th", "Şuşa") is scanned again from its start by
                // the general word loop below, which this path agrees with token for token.
                let start = i
                var h = basis
                var f = pending
                var j = i
                if (b &- 65) < 26 {
                    f.insert(.capitalized)
                    h = (h ^ UInt64(b | 0x20)) &* prime
                    j &+= 1
                }
                var c: UInt8
                while true {
                    if j <= last8 {
                        let w = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
                        let run = lowercaseRun(w)
                        h = hashed(p, j, run, h)
                        j &+= run
                        if run == 8 { continue }
                        c = UInt8(truncatingIfNeeded: w &>> UInt64(truncatingIfNeeded: run &* 8))
                        break
                    }
                    while j < n && (p[j] &- 97) < 26 {
                        h = (h ^ UInt64(p[j])) &* prime
                        j &+= 1
                    }
                    c = j < n ? p[j] : 0x20
                    break
                }
                // ends the word: ASCII, not a letter or digit, not an apostrophe (O'Brien, 's),
                // not the period of a one-letter dotted abbreviation
                if c == 0x20 || (c < 0x80 && ((c | 0x20) &- 97) >= 26 && (c &- 48) >= 10 && c != 0x27
                    && (c != 0x2E || j &- start > 1))
                {
                    guard count < capacity else { return false }
                    if f.contains(.newlineBefore) {
                        bp[breaks] = Int32(truncatingIfNeeded: count)
                        breaks &+= 1
                    }
                    tp[count] = Token(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: j),
                                      key: h, kind: .word, flags: f)
                    count &+= 1
                    i = j
                    if c == 0x20 && j < n {
                        pending = [.spaceBefore]
                        i &+= 1
                    } else {
                        pending = []
                    }
                    continue
                }
            }
            let cls: Class
            var v = UInt32(b)
            var len = 1
            if b < 0x80 {
                // the class of every ASCII byte, as a digit (`Class.rawValue`), by byte value
                let classes: StaticString = "00000000001000000000000000000000055666675566558544444444445566656333333333333333333333333335656662222222222222222222222222256560"
                cls = Class(rawValue: classes.utf8Start[Int(b)] &- 48) ?? .symbol
            } else {
                note(i, &leads)
                (cls, v, len) = peek(p, n, i)
            }
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
            // classes seen so far: 1 lowercase, 2 uppercase, 4 digit, 8 other letter
            var seen: UInt8 = 0
            var extra: TokenFlags = []
            var dotted = false
            scan: while i < n {
                var c = p[i]
                if (c &- 97) < 26 {
                    // a run of lowercase letters, most of every word: eight bytes at a time where
                    // eight remain (the run's length from a byte mask, its bytes hashed from the
                    // register without a loop), byte by byte near the end of the text
                    seen |= 1
                    if i &+ 8 <= n {
                        let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                        let run = lowercaseRun(w)
                        h = hashed(p, i, run, h)
                        i &+= run
                        if run == 8 { continue }
                        c = p[i]
                    } else {
                        repeat {
                            h = (h ^ UInt64(c)) &* prime
                            i &+= 1
                            guard i < n else { break scan }
                            c = p[i]
                        } while (c &- 97) < 26
                    }
                    // a space after the run ends the word (the commonest end: skip the tests below)
                    if c == 0x20 { break scan }
                }
                if (c &- 65) < 26 {
                    if seen & 11 == 0 { extra.insert(.capitalized) }
                    seen |= 2
                    h = (h ^ UInt64(c | 0x20)) &* prime
                    i += 1
                    continue
                }
                if (c &- 48) < 10 {
                    seen |= 4
                    h = (h ^ UInt64(c)) &* prime
                    i += 1
                    continue
                }
                if c < 0x80 {
                    let allDigits = seen == 4
                    if c == 0x2E {  // '.'
                        // decimal inside a number: 3.5
                        if allDigits, i + 1 < n, (p[i + 1] &- 48) < 10 {
                            h = (h ^ UInt64(c)) &* prime
                            i += 1
                            continue
                        }
                        // dotted abbreviation: U.S., a.m.
                        if i - start == 1, seen & 3 != 0, i + 2 < n, isASCIILetter(p[i + 1]),
                            p[i + 2] == 0x2E
                        {
                            var j = start
                            var hh = basis
                            while j + 1 < n, isASCIILetter(p[j]), p[j + 1] == 0x2E {
                                hh = (hh ^ UInt64(p[j] | 0x20)) &* prime
                                hh = (hh ^ 0x2E) &* prime
                                j += 2
                                if j < n, isLetterOrDigit(p[j]), !(j + 1 < n && p[j + 1] == 0x2E) { break }
                            }
                            h = hh
                            i = j
                            dotted = true
                            break scan
                        }
                        break scan
                    }
                    if c == 0x2C, allDigits, i + 3 < n, (p[i + 1] &- 48) < 10, (p[i + 2] &- 48) < 10,
                        (p[i + 3] &- 48) < 10, i + 4 >= n || (p[i + 4] &- 48) >= 10
                    {
                        // thousands separator: exactly three digits follow
                        h = (h ^ UInt64(c)) &* prime
                        i += 1
                        continue
                    }
                    if c == 0x27, seen & 11 != 0, i + 1 < n, !possessiveS(p, n, i + 1), isWordClass(peek(p, n, i + 1).0) {
                        // inner apostrophe: O'Brien, Ma'arrat
                        h = (h ^ 0x27) &* prime
                        i += 1
                        continue
                    }
                    break scan
                }
                // non-ASCII inside a word
                note(i, &leads)
                let (sv, slen) = decode(p, n, i)
                if sv >= 0x300 && sv <= 0x36F {
                    i += slen  // combining mark: stays in the word, folds away
                    continue
                }
                let sc = classify(sv)
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
                if sc == .apostrophe, seen & 11 != 0, i + slen < n, !possessiveS(p, n, i + slen),
                    isWordClass(peek(p, n, i + slen).0)
                {
                    h = (h ^ 0x27) &* prime
                    i += slen
                    continue
                }
                break scan
            }
            let kind: TokenKind
            if dotted {
                extra = [.dottedAbbreviation]
                if (p[start] &- 65) < 26 { extra.insert(.capitalized) }
                kind = .word
            } else {
                if seen & 4 != 0 { extra.insert(.hasDigit) }
                if seen & 9 == 0, seen & 2 != 0, upperLetterCount(p, start, i) >= 2 { extra.insert(.allCaps) }
                kind = seen == 4 ? .number : .word
            }
            guard count < capacity else { return false }
            if dotted || pending.contains(.newlineBefore) { bp[breaks] = Int32(count); breaks &+= 1 }
            tp[count] = Token(start: Int32(start), end: Int32(i), key: h, kind: kind, flags: pending.union(extra))
            count &+= 1
            // one plain space after a word is the commonest byte: skip the dispatch for it
            if i < n && p[i] == 0x20 {
                pending = [.spaceBefore]
                i &+= 1
            } else {
                pending = []
            }
            case .apostrophe:
                // possessive 's / ’s as its own token when it follows a word
                if !pending.contains(.spaceBefore), possessiveS(p, n, i + len) {
                    guard count < capacity else { return false }
                    if pending.contains(.newlineBefore) { bp[breaks] = Int32(count); breaks &+= 1 }
                    var h = basis
                    h = (h ^ 0x27) &* prime
                    h = (h ^ 0x73) &* prime
                    tp[count] = Token(start: Int32(i), end: Int32(i + len + 1), key: h, kind: .word, flags: pending)
                    count &+= 1
                    i += len + 1
                } else {
                    let h = Fold.hashed(scalar: v, basis)
                    guard count < capacity else { return false }
                    bp[breaks] = Int32(count)
                    breaks &+= 1
                    tp[count] = Token(start: Int32(i), end: Int32(i + len), key: h, kind: .punct, flags: pending)
                    count &+= 1
                    i += len
                }
                pending = []
            case .period:
                // "..." as one token
                var j = i + 1
                var h = (basis ^ 0x2E) &* prime
                while j < n && p[j] == 0x2E {
                    h = (h ^ 0x2E) &* prime
                    j += 1
                }
                guard count < capacity else { return false }
                bp[breaks] = Int32(count)
                breaks &+= 1
                tp[count] = Token(start: Int32(i), end: Int32(j), key: h, kind: .punct, flags: pending)
                count &+= 1
                i = j
                // a sentence's period and the space after it: skip the dispatch for the space
                if i < n && p[i] == 0x20 {
                    pending = [.spaceBefore]
                    i &+= 1
                } else {
                    pending = []
                }
            case .punct, .nonASCII, .symbol:
                // an ASCII sign folds to itself (no letter reaches here)
                let h = v < 0x80 ? (basis ^ UInt64(v)) &* prime : Fold.hashed(scalar: v, basis)
                var f = pending
                if v >= 0x80 { f.insert(.nonASCII) }
                guard count < capacity else { return false }
                if cls != .symbol || pending.contains(.newlineBefore) { bp[breaks] = Int32(count); breaks &+= 1 }
                tp[count] = Token(start: Int32(i), end: Int32(i + len), key: h, kind: cls == .symbol ? .symbol : .punct, flags: f)
                count &+= 1
                i += len
                if i < n && p[i] == 0x20 {
                    pending = [.spaceBefore]
                    i &+= 1
                } else {
                    pending = []
                }
            }
        }
        return true
    }
}
