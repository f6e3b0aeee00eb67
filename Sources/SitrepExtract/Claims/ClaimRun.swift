import SitrepAnnotate
import SitrepText

// The per-document state's readers: quotations, content spans, claimants, pronouns, subjects.
// Every reader is `mutating` though none writes: a mutating method takes the state by address,
// where a non-mutating one called out of line is handed a copy of the whole state (some fifty
// words, copied per call: about three copies per reporting verb read).
extension ClaimExtractor.Run {
    // MARK: quotes

    /// Finds the document's quotations the first time one is asked for.
    @inline(__always)
    mutating func readQuotes() {
        if quotesRead { return }
        quotesRead = true
        findQuotes()
    }

    mutating func findQuotes() {
        // read once, not through the extractor and the document per token; tokens and bytes
        // through unsafe views (no bounds checks per token), found quotations into a local list
        // (the closures below capture locals only: one capturing `self` would copy the whole state)
        let keyQuote = x.keyQuote
        var found = quotes
        quotes = []
        // (room for a document's quotations at once, not grown from empty one doubling at a time)
        found.reserveCapacity(32)
        let tokens = self.tokens, doc = self.doc
        tokens.withUnsafeBufferPointer { tokens in
        doc.bytes.withUnsafeBufferPointer { bytes in
        for p in doc.paragraphs {
            var open: Int?
            // the paragraph's quote marks: the tokens before one are passed over comparing keys
            // only (a paragraph's range lies within the tokens)
            let hi = Swift.min(p.tokens.upperBound, tokens.count)
            var next = p.tokens.lowerBound
            while next < hi {
                while next < hi && tokens[next].key != keyQuote { next += 1 }
                guard next < hi else { break }
                let k = next
                next += 1
                guard tokens[k].kind == .punct else { continue }
                let b = Int(tokens[k].start)
                var isOpen: Bool
                if bytes[b] == 0xE2 && b + 2 < bytes.count {
                    isOpen = bytes[b + 2] == 0x9C
                } else if bytes[b] == 0xC2 && b + 1 < bytes.count {
                    isOpen = bytes[b + 1] == 0xAB
                } else {
                    isOpen = open == nil
                }
                if open == nil && !isOpen { isOpen = tokens[k].has(.spaceBefore) || k == p.tokens.lowerBound }
                if let o = open, !isOpen || bytes[b] == 0x22 {
                    found.append(o..<(k + 1))
                    open = nil
                } else if open == nil && isOpen {
                    open = k
                }
            }
            if let o = open { found.append(o..<p.tokens.upperBound) }
        }
        }
        }
        quotes = found
    }

    mutating func isQuoteMark(_ k: Int) -> Bool { tokens[k].key == x.keyQuote && tokens[k].kind == .punct }

    /// The quotation that closes at token `k` (the closing mark).
    mutating func quote(closingAt k: Int) -> Range<Int>? {
        guard isQuoteMark(k) else { return nil }
        readQuotes()
        for q in quotes where q.upperBound == k + 1 { return q }
        return nil
    }

    /// The quotation that opens at token `k`.
    mutating func quote(openingAt k: Int) -> Range<Int>? {
        readQuotes()
        for q in quotes where q.lowerBound == k { return q }
        return nil
    }

    /// Inner bytes of a quotation (without the marks, without a trailing comma).
    mutating func inner(_ q: Range<Int>) -> Span {
        var lo = q.lowerBound + 1, hi = q.upperBound
        if hi > lo && isQuoteMark(hi - 1) && hi - 1 > q.lowerBound { hi -= 1 }
        while hi > lo && tokens[hi - 1].kind == .punct && tokens[hi - 1].key != x.keyParenClose { hi -= 1 }
        if lo > hi { lo = hi }
        return doc.span(of: lo..<hi)
    }

    // MARK: claims

    mutating func trimmed(_ lo: Int, _ hi: Int) -> Span {
        var a = lo, b = hi
        while a < b && (tokens[a].kind == .punct || tokens[a].key == x.keyBacktick) && tokens[a].key != x.keyQuote { a += 1 }
        while b > a && tokens[b - 1].kind == .punct && tokens[b - 1].key != x.keyQuote && tokens[b - 1].key != x.keyParenClose {
            b -= 1
        }
        // a quotation that is the whole content loses its marks
        if b - a >= 2 && isQuoteMark(a) && isQuoteMark(b - 1) { return inner(a..<b) }
        return doc.span(of: a..<b)
    }

    mutating func isPlural(_ a: Int) -> Bool {
        let r = ranges[a]
        for k in r where pluralHeads.contains(tokens[k].key) { return true }
        let kind = actors[a].actor?.kind
        if kind == .civilians || kind == .unidentifiedSources, let last = r.last {
            return doc.bytes[Int(tokens[last].end) - 1] == 0x73  // ends in s
        }
        return false
    }

    mutating func compatible(_ a: Int, pronoun: UInt64) -> Bool {
        guard let ref = actors[a].actor else { return false }
        return compatible(ref, plural: isPlural(a), pronoun: pronoun)
    }

    mutating func compatible(_ ref: ActorRef, plural: Bool, pronoun: UInt64) -> Bool {
        if pronounPerson.contains(pronoun) { return ref.kind == .person }
        if pronounPl.contains(pronoun) { return plural }
        switch ref.kind {
        case .person, .civilians, .unidentifiedSources: return false
        default: return !plural
        }
    }

    /// A pronoun at token `p` resolved: the latest compatible claimant of the last two
    /// sentences, else the nearest compatible actor mention before it (three sentences back).
    mutating func resolve(pronoun p: Int, sentence s: Int) -> Claimant.Source? {
        let key = tokens[p].key
        for c in claims.indices.reversed() {
            guard claimSentence[c] >= s - 2 else { break }
            if claims[c].claimant.kind == .unidentifiedSources && claims[c].claimant.id == x.unnamedSource.id {
                continue
            }
            if compatible(claims[c].claimant, plural: claimPlural[c], pronoun: key) { return .claim(c) }
        }
        let floor = doc.sentences[Swift.max(0, s - 3)].tokens.lowerBound
        var k = p - 1
        while k >= floor {
            let a = endAt[k]
            // (`compatible` holds only for a mention that has an actor)
            if a >= 0 && compatible(Int(a), pronoun: key) { return .mention(Int(a)) }
            k -= 1
        }
        return nil
    }

    /// Who makes a claim, as written. The actor is named by where it comes from and read only
    /// when a claim is made: a claimant is a plain value (no reference counting, no large copy
    /// while the constructions try their readings).
    struct Claimant {
        enum Source: Equatable {
            /// The actor of mention `actors[i]` (one that has an actor).
            case mention(Int)
            /// The claimant of `claims[i]`.
            case claim(Int)
            /// The extractor's `unnamedSource`.
            case unnamed
            /// An actor the caller holds itself (an unnamed source named by its words).
            case custom
        }

        var source: Source
        var span: Span
        var first: Int
        var plural: Bool
    }

    /// The actor of a claimant's source (`custom`: the caller's own; `unnamed` here).
    mutating func ref(_ source: Claimant.Source) -> ActorRef {
        switch source {
        case .mention(let a): actors[a].actor ?? x.unnamedSource
        case .claim(let c): claims[c].claimant
        case .unnamed, .custom: x.unnamedSource
        }
    }

    mutating func claimant(mention a: Int) -> Claimant? {
        guard actors[a].actor != nil else { return nil }
        // the claimant's noun phrase starts before its determiners ("the Armenian army")
        var first = ranges[a].lowerBound
        while first > 0 && determiners.contains(tokens[first - 1].key) && !isPronoun(first - 1) { first -= 1 }
        return Claimant(source: .mention(a), span: actors[a].span, first: first, plural: isPlural(a))
    }

    /// `x.verbs.mayStart(token)`, tested on the filter words held here (no call).
    @inline(__always)
    mutating func mayStartVerb(_ token: Token) -> Bool {
        let (w, bit) = filterSlot(token.key)
        return verbAny[w] & bit != 0 || (token.has(.capitalized) && verbCapital[w] & bit != 0)
    }

    mutating func isPronoun(_ k: Int) -> Bool {
        let key = tokens[k].key
        return pronounSg.contains(key) || pronounPl.contains(key) || pronounPerson.contains(key)
    }

    mutating func pronounClaimant(_ k: Int, sentence s: Int) -> Claimant? {
        guard isPronoun(k), let source = resolve(pronoun: k, sentence: s) else { return nil }
        return Claimant(source: source, span: tokens[k].span, first: k, plural: pronounPl.contains(tokens[k].key))
    }

    /// An actor mention starting at `k` (after determiners).
    mutating func mention(startingAt k: Int, hi: Int) -> Int? {
        var j = k
        while j < hi && determiners.contains(tokens[j].key) && startAt[j] < 0 { j += 1 }
        guard j < hi, startAt[j] >= 0 else { return nil }
        return Int(startAt[j])
    }

    /// The subject of a reporting verb at `v`, searched leftwards within its clause.
    mutating func subject(before v: Int, sentence s: Int, lo: Int, frame: ClaimExtractor.Frame) -> Claimant? {
        var k = v - 1
        while k >= lo && adverbs.contains(tokens[k].key) { k -= 1 }
        guard k >= lo else { return nil }
        // "..., but said that": the subject of the clause before
        if tokens[k].key == x.keyAnd || tokens[k].key == x.keyBut {
            for c in claims.indices.reversed() where claimSentence[c] == s {
                return Claimant(source: .claim(c), span: claims[c].claimantSpan, first: k, plural: claimPlural[c])
            }
            var j = lo
            while j < k {
                if startAt[j] >= 0, let c = claimant(mention: Int(startAt[j])) { return c }
                if isPronoun(j), let c = pronounClaimant(j, sentence: s) { return c }
                j += 1
            }
            return nil
        }
        if let c = pronounClaimant(k, sentence: s) { return c }
        var j = k
        // "the aid agency, a charity, called on": skip an appositive;
        // "RSF (RSF), called for": the mention inside the brackets
        if tokens[j].key == x.keyComma {
            if j - 1 >= lo && endAt[j - 1] >= 0 { return claimant(mention: Int(endAt[j - 1])) }
            if j - 2 >= lo && tokens[j - 1].key == x.keyParenClose && endAt[j - 2] >= 0 {
                return claimant(mention: Int(endAt[j - 2]))
            }
            var c = j - 1
            while c > lo && c > j - 12 && tokens[c].key != x.keyComma { c -= 1 }
            guard c > lo, tokens[c].key == x.keyComma, c + 1 < j else { return nil }
            let opener = tokens[c + 1]
            let appositive = determiners.contains(opener.key) || opener.key == x.keyParenOpen
                || adverbs.contains(opener.key) || (opener.kind == .word && !opener.has(.capitalized))
            guard appositive else { return nil }
            j = c - 1
            if j >= lo && tokens[j].key == x.keyParenClose { j -= 1 }
        }
        var steps = 0
        while j >= lo && steps < 14 {
            if endAt[j] >= 0 { return claimant(mention: Int(endAt[j])) }
            let key = tokens[j].key
            if isQuoteMark(j) { return nil }
            if boundaries.contains(key) && key != x.keyAnd { return nil }
            if j != v && mayStartVerb(tokens[j]), x.verbs.longest(tokens, at: j, limit: v) != nil { return nil }
            j -= 1
            steps += 1
        }
        return nil
    }

    /// Where the content starts after the verb phrase ending at `e`.
    mutating func contentStart(after e: Int, hi: Int, frame: ClaimExtractor.Frame) -> Int {
        var p = contentStartPlain(after: e, hi: hi)
        if frame == .tell {
            if let a = mention(startingAt: p, hi: hi) {
                p = ranges[a].upperBound
            } else if let r = recipients.match(tokens, at: p, limit: hi) {
                p = r
            }
            // "told Europe 1 radio that ...": the recipient runs to a near "that"
            var q = p
            while q < hi && q < p + 6 && tokens[q].key != x.keyThat && tokens[q].kind != .punct { q += 1 }
            if q < hi && tokens[q].key == x.keyThat { p = q }
            while p < hi, let a = adjuncts.match(tokens, at: p, limit: hi) { p = a }
        }
        if p < hi && complementizers.contains(tokens[p].key) { p += 1 }
        if p < hi && tokens[p].key == x.keyColon { p += 1 }
        return p
    }

    /// Where the content starts after adjuncts and adverbs only (no "that", no colon).
    mutating func contentStartPlain(after e: Int, hi: Int) -> Int {
        var p = e
        var moved = true
        while moved && p < hi {
            moved = false
            if let a = adjuncts.match(tokens, at: p, limit: hi) {
                p = a
                moved = true
            } else if adverbs.contains(tokens[p].key) {
                p += 1
                moved = true
            }
        }
        return p
    }

    /// Content from token `p` to the end of the sentence, or of the quotation opening at `p`.
    mutating func forwardContent(from p: Int, hi: Int) -> Span {
        if p < hi, isQuoteMark(p), let q = quote(openingAt: p) { return inner(q) }
        return trimmed(p, hi)
    }

    /// Content before a clause-final claimant: "CONTENT, X said" / "\"QUOTE,\" X said".
    mutating func backwardContent(lo: Int, before c: Int) -> Span? {
        var end = c
        if end - 1 >= lo && tokens[end - 1].key == x.keyComma { end -= 1 }
        if end - 1 >= lo && isQuoteMark(end - 1), let q = quote(closingAt: end - 1) { return inner(q) }
        if end - 1 >= lo && tokens[end - 1].key == x.keyComma { end -= 1 }
        guard end > lo else { return nil }
        return trimmed(lo, end)
    }

    /// The latest claim of sentence `s`, or nil. Claims are added sentence by sentence (their
    /// `claimSentence` never decreases), so the walk back stops at the first of an earlier sentence
    /// instead of reading every claim of the document.
    mutating func lastClaim(inSentence s: Int) -> Int? {
        var c = claimSentence.count - 1
        while c >= 0 && claimSentence[c] > s { c -= 1 }
        return c >= 0 && claimSentence[c] == s ? c : nil
    }

    mutating func add(_ claim: consuming Claim, sentence s: Int, plural: Bool) {
        claims.append(claim)
        claimSentence.append(s)
        claimPlural.append(plural)
    }

    /// The claim a denial by `denier` answers: the latest assertion of another side.
    mutating func deniedClaim(by denier: ActorRef, sentence s: Int) -> Int? {
        let denierID = denier.id
        for c in claims.indices.reversed() {
            guard claimSentence[c] >= s - 8 else { break }
            guard claims[c].stance == "asserts", !Self.sameSide(claims[c].claimant.id, denierID) else { continue }
            return c
        }
        return nil
    }

    /// `side(a) == side(b)` for ids `a` and `b`, compared as bytes when both sides are ASCII (no
    /// Substring made; a non-ASCII side is compared as `side` compares it).
    static func sameSide(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        let same: Bool? = a.withUTF8 { pa in
            b.withUTF8 { pb -> Bool? in
                let ra = sidePart(pa), rb = sidePart(pb)
                for i in ra where pa[i] >= 0x80 { return nil }
                for i in rb where pb[i] >= 0x80 { return nil }
                guard ra.count == rb.count else { return false }
                for k in 0..<ra.count where pa[ra.lowerBound + k] != pb[rb.lowerBound + k] { return false }
                return true
            }
        }
        if let same { return same }
        return side(a) == side(b)
    }

    /// The byte range of `side`'s part of an id.
    @inline(__always)
    static func sidePart(_ p: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0
        while start < p.count && p[start] == 0x2E { start += 1 }
        guard start < p.count else { return 0..<p.count }
        var end = start
        while end < p.count && p[end] != 0x2E { end += 1 }
        return start..<end
    }

    /// The first id component: the polity or family ("AZE", "NKR", "UNID").
    static func side(_ ref: ActorRef) -> Substring {
        side(ref.id)
    }

    /// The side of an actor id.
    static func side(_ id: String) -> Substring {
        // what `id.split(separator: ".", maxSplits: 1).first ?? Substring(id)` gives,
        // without building an array: the first non-empty part before a dot
        // over UTF-8 bytes, not Characters: a dot is one byte, so its index is a valid boundary
        let bytes = id.utf8
        guard let start = bytes.firstIndex(where: { $0 != 0x2E }) else { return Substring(id) }
        let end = bytes[start...].firstIndex(of: 0x2E) ?? bytes.endIndex
        return id[start..<end]
    }
}
