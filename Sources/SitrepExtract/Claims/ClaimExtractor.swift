import SitrepAnnotate
import SitrepLanguage
import SitrepText

/// Finds attributed statements: who says what, with which verb, asserting or denying.
///
/// Verbs and function words come from `en/claims/` (`verbs.tsv`, `words.tsv`); the code holds the
/// constructions (see docs/actors-claims.md): X VERB (that) CONTENT; CONTENT, X VERB; "QUOTE," X
/// VERB / VERB X; X VERB: "QUOTE"; X told Y (that) CONTENT; X called on/for CONTENT; according to
/// X, CONTENT / CONTENT, according to X; passive and anonymous (it was reported, were said to,
/// reportedly); CONTENT – a claim denied by X; elided subjects ("... but said that ...");
/// pronouns and "the ministry" resolved to the nearest compatible actor; denials linked to the
/// claim they deny.
public final class ClaimExtractor: Sendable {
    enum Frame: String, Sendable {
        case say, sayClause = "say-clause", tell, call, deny, accuse, according, passive
    }

    struct Verb: Sendable {
        let stance: String
        let frame: Frame
        let provenance: String
    }

    /// Reporting verbs: a non-generic index (fast across modules) and its entries.
    let verbs: PhraseIndex
    let verbList: [Verb]
    /// Passive and impersonal phrases, indexed last word first.
    let passives: PhraseIndex
    let passiveList: [Verb]
    let verbFilter: TokenFilter
    let forwardFilter: TokenFilter
    let passiveFilter: TokenFilter
    let negators: PhraseSet
    let adverbs: PhraseSet
    let adjuncts: PhraseSet
    let complementizers: PhraseSet
    let determiners: PhraseSet
    let denialObjects: PhraseSet
    let pronounSg: PhraseSet
    let pronounPl: PhraseSet
    let pronounPerson: PhraseSet
    let pluralHeads: PhraseSet
    let sourceNouns: PhraseSet
    let boundaries: PhraseSet
    let recipients: PhraseSet
    let keyComma = Fold.key(",")
    let keySemicolon = Fold.key(";")
    let keyColon = Fold.key(":")
    let keyBy = Fold.key("by")
    let keyThat = Fold.key("that")
    let keyQuote = Fold.key("\"")
    let keyHyphen = Fold.key("-")
    let keyParenOpen = Fold.key("(")
    let keyParenClose = Fold.key(")")
    let keyAnd = Fold.key("and")
    let keyBut = Fold.key("but")
    let keyPossessive = Fold.key("'s")
    let keyDash = Fold.key("—")
    let keyIt = Fold.key("it")
    /// Old newswire opens quotations with two backticks (``like this'').
    let keyBacktick = Fold.key("`")

    package init(verbs verbLex: Lexicon, words: Lexicon) throws {
        var index = PhraseIndex(), passiveIndex = PhraseIndex()
        var list: [Verb] = [], passiveList: [Verb] = []
        for row in verbLex.rows {
            guard let frame = Frame(rawValue: row["frame"]), ["asserts", "denies"].contains(row["stance"]) else {
                throw LanguageDataError(file: verbLex.name, line: row.line, reason: "unknown frame or stance")
            }
            let verb = Verb(stance: row["stance"], frame: frame, provenance: row.provenance)
            // passive phrases are found from their last word ("it was reported" at "reported"),
            // so common auxiliaries never start a lookup
            if frame == .passive {
                guard passiveIndex.insert(row["verb"], reversed: true) != nil else {
                    throw LanguageDataError(file: verbLex.name, line: row.line, reason: "empty verb")
                }
                passiveList.append(verb)
            } else {
                guard index.insert(row["verb"]) != nil else {
                    throw LanguageDataError(file: verbLex.name, line: row.line, reason: "empty verb")
                }
                list.append(verb)
            }
        }
        verbs = index
        verbList = list
        passives = passiveIndex
        self.passiveList = passiveList
        forwardFilter = index.tokenFilter
        passiveFilter = passiveIndex.tokenFilter
        var filter = index.tokenFilter
        filter.formUnion(passiveIndex.tokenFilter)
        verbFilter = filter
        func role(_ r: String) -> PhraseSet { PhraseSet(words.rows(where: "role", is: r).map { $0["word"] }) }
        negators = role("negator")
        adverbs = role("adverb")
        adjuncts = role("adjunct")
        complementizers = role("complementizer")
        determiners = role("determiner")
        denialObjects = role("denial-object")
        pronounSg = role("pronoun-sg")
        pronounPl = role("pronoun-pl")
        pronounPerson = role("pronoun-person")
        pluralHeads = role("plural-head")
        sourceNouns = role("source-noun")
        boundaries = role("boundary")
        recipients = role("recipient")
    }

    public static func english() throws -> ClaimExtractor {
        try ClaimExtractor(
            verbs: LanguageResources.lexicon("en/claims/verbs.tsv", required: ["verb", "stance", "frame"]),
            words: LanguageResources.lexicon("en/claims/words.tsv", required: ["word", "role"]))
    }

    /// The claimant nobody names: passive and impersonal reports.
    static let unnamed = ActorRef(id: "UNID.SOURCES", name: "unnamed sources", country: nil, kind: .unidentifiedSources)

    public func extract(_ doc: Document, _ annotations: Annotations) -> [Claim] {
        // find the sentences with a possible reporting verb before setting anything up
        let tokens = doc.tokens
        let anyBits = verbFilter.any, capitalBits = verbFilter.capital
        /// (sentence, its first token that may belong to a reporting phrase)
        var candidates: [(Int, Int)] = []
        for (s, sentence) in doc.sentences.enumerated() {
            let lo = sentence.tokens.lowerBound, hi = sentence.tokens.upperBound
            guard lo < hi, !tokens[lo].has(.boilerplate) else { continue }
            for i in lo..<hi {
                let t = tokens[i]
                // the verb filter, inlined (same bits as PhraseIndex.mayStart)
                let h = Int(truncatingIfNeeded: (t.key ^ (t.key >> 29)) & 0xFFFF)
                let bit = UInt64(1) << UInt64(h & 63)
                if anyBits[h >> 6] & bit != 0 || (t.has(.capitalized) && capitalBits[h >> 6] & bit != 0) {
                    candidates.append((s, i))
                    break
                }
            }
        }
        guard !candidates.isEmpty else { return [] }
        var run = Run(doc: doc, actors: annotations.actors, x: self)
        let forwardAny = forwardFilter.any, forwardCapital = forwardFilter.capital
        let passiveAny = passiveFilter.any, passiveCapital = passiveFilter.capital
        for (s, first) in candidates {
            let sentence = doc.sentences[s]
            let lo = sentence.tokens.lowerBound, hi = sentence.tokens.upperBound
            // nothing before `first` can start or end a reporting phrase
            var i = first
            var floor = lo
            while i < hi {
                let t = tokens[i]
                guard t.kind == .word else {
                    i += 1
                    continue
                }
                let h = Int(truncatingIfNeeded: (t.key ^ (t.key >> 29)) & 0xFFFF)
                let bit = UInt64(1) << UInt64(h & 63)
                let capital = t.has(.capitalized)
                let forward = forwardAny[h >> 6] & bit != 0 || capital && forwardCapital[h >> 6] & bit != 0
                    ? verbs.longest(tokens, at: i, limit: hi) : nil
                let passive = passiveAny[h >> 6] & bit != 0 || capital && passiveCapital[h >> 6] & bit != 0
                    ? passives.longestEnding(at: i, floor: floor, tokens) : nil
                if let p = passive, let id = p.ids.first, forward == nil || p.start < i {
                    run.claim(passiveList[Int(id)], p.start..<(i + 1), sentence: s, lo: lo, hi: hi)
                    i += 1
                } else if let m = forward, let id = m.ids.first {
                    run.claim(verbList[Int(id)], i..<m.end, sentence: s, lo: lo, hi: hi)
                    i = m.end
                } else {
                    i += 1
                    continue
                }
                floor = i
            }
        }
        return run.claims
    }

    /// Per-document working state.
    struct Run {
        let doc: Document
        let tokens: [Token]
        let actors: [Mention]
        let x: ClaimExtractor
        /// Token range of each actor mention.
        var ranges: [Range<Int>] = []
        /// Per token: the actor mention ending at it / covering it (-1: none).
        var endAt: [Int32]
        var startAt: [Int32]
        var cover: [Int32]
        /// Quotations as token ranges including the quote marks.
        var quotes: [Range<Int>] = []
        var claims: [Claim] = []
        var claimSentence: [Int] = []
        var claimPlural: [Bool] = []

        init(doc: Document, actors: [Mention], x: ClaimExtractor) {
            self.doc = doc
            self.tokens = doc.tokens
            self.actors = actors
            self.x = x
            let n = doc.tokens.count
            endAt = [Int32](repeating: -1, count: n)
            startAt = [Int32](repeating: -1, count: n)
            cover = [Int32](repeating: -1, count: n)
            for (a, m) in actors.enumerated() {
                let r = doc.tokenRange(of: m.span)
                ranges.append(r)
                guard !r.isEmpty else { continue }
                endAt[r.upperBound - 1] = Int32(a)
                if startAt[r.lowerBound] < 0 { startAt[r.lowerBound] = Int32(a) }
                for k in r { cover[k] = Int32(a) }
            }
            findQuotes()
        }

        // MARK: quotes

        mutating func findQuotes() {
            for p in doc.paragraphs {
                var open: Int?
                for k in p.tokens where tokens[k].key == x.keyQuote && tokens[k].kind == .punct {
                    let b = tokens[k].start
                    let bytes = doc.bytes
                    var isOpen: Bool
                    if bytes[Int(b)] == 0xE2 && Int(b) + 2 < bytes.count {
                        isOpen = bytes[Int(b) + 2] == 0x9C
                    } else if bytes[Int(b)] == 0xC2 && Int(b) + 1 < bytes.count {
                        isOpen = bytes[Int(b) + 1] == 0xAB
                    } else {
                        isOpen = open == nil
                    }
                    if open == nil && !isOpen { isOpen = tokens[k].has(.spaceBefore) || k == p.tokens.lowerBound }
                    if let o = open, !isOpen || bytes[Int(b)] == 0x22 {
                        quotes.append(o..<(k + 1))
                        open = nil
                    } else if open == nil && isOpen {
                        open = k
                    }
                }
                if let o = open { quotes.append(o..<p.tokens.upperBound) }
            }
        }

        func isQuoteMark(_ k: Int) -> Bool { tokens[k].key == x.keyQuote && tokens[k].kind == .punct }

        /// The quotation that closes at token `k` (the closing mark).
        func quote(closingAt k: Int) -> Range<Int>? {
            guard isQuoteMark(k) else { return nil }
            for q in quotes where q.upperBound == k + 1 { return q }
            return nil
        }

        /// The quotation that opens at token `k`.
        func quote(openingAt k: Int) -> Range<Int>? {
            for q in quotes where q.lowerBound == k { return q }
            return nil
        }

        /// Inner bytes of a quotation (without the marks, without a trailing comma).
        func inner(_ q: Range<Int>) -> Span {
            var lo = q.lowerBound + 1, hi = q.upperBound
            if hi > lo && isQuoteMark(hi - 1) && hi - 1 > q.lowerBound { hi -= 1 }
            while hi > lo && tokens[hi - 1].kind == .punct && tokens[hi - 1].key != x.keyParenClose { hi -= 1 }
            if lo > hi { lo = hi }
            return doc.span(of: lo..<hi)
        }

        // MARK: claims

        func trimmed(_ lo: Int, _ hi: Int) -> Span {
            var a = lo, b = hi
            while a < b && (tokens[a].kind == .punct || tokens[a].key == x.keyBacktick) && tokens[a].key != x.keyQuote { a += 1 }
            while b > a && tokens[b - 1].kind == .punct && tokens[b - 1].key != x.keyQuote && tokens[b - 1].key != x.keyParenClose {
                b -= 1
            }
            // a quotation that is the whole content loses its marks
            if b - a >= 2 && isQuoteMark(a) && isQuoteMark(b - 1) { return inner(a..<b) }
            return doc.span(of: a..<b)
        }

        func isPlural(_ a: Int) -> Bool {
            let r = ranges[a]
            for k in r where x.pluralHeads.contains(tokens[k].key) { return true }
            let kind = actors[a].actor?.kind
            if kind == .civilians || kind == .unidentifiedSources, let last = r.last {
                return doc.bytes[Int(tokens[last].end) - 1] == 0x73  // ends in s
            }
            return false
        }

        func compatible(_ a: Int, pronoun: UInt64) -> Bool {
            guard let ref = actors[a].actor else { return false }
            return compatible(ref, plural: isPlural(a), pronoun: pronoun)
        }

        func compatible(_ ref: ActorRef, plural: Bool, pronoun: UInt64) -> Bool {
            if x.pronounPerson.contains(pronoun) { return ref.kind == .person }
            if x.pronounPl.contains(pronoun) { return plural }
            switch ref.kind {
            case .person, .civilians, .unidentifiedSources: return false
            default: return !plural
            }
        }

        /// A pronoun at token `p` resolved: the latest compatible claimant of the last two
        /// sentences, else the nearest compatible actor mention before it (three sentences back).
        func resolve(pronoun p: Int, sentence s: Int) -> ActorRef? {
            let key = tokens[p].key
            for c in claims.indices.reversed() {
                guard claimSentence[c] >= s - 2 else { break }
                if claims[c].claimant.kind == .unidentifiedSources && claims[c].claimant.id == ClaimExtractor.unnamed.id {
                    continue
                }
                if compatible(claims[c].claimant, plural: claimPlural[c], pronoun: key) { return claims[c].claimant }
            }
            let floor = doc.sentences[Swift.max(0, s - 3)].tokens.lowerBound
            var k = p - 1
            while k >= floor {
                let a = endAt[k]
                if a >= 0 && compatible(Int(a), pronoun: key) { return actors[Int(a)].actor }
                k -= 1
            }
            return nil
        }

        struct Claimant {
            var ref: ActorRef
            var span: Span
            var first: Int
            var plural: Bool
        }

        func claimant(mention a: Int) -> Claimant? {
            guard let ref = actors[a].actor else { return nil }
            // the claimant's noun phrase starts before its determiners ("the Armenian army")
            var first = ranges[a].lowerBound
            while first > 0 && x.determiners.contains(tokens[first - 1].key) && !isPronoun(first - 1) { first -= 1 }
            return Claimant(ref: ref, span: actors[a].span, first: first, plural: isPlural(a))
        }

        func isPronoun(_ k: Int) -> Bool {
            let key = tokens[k].key
            return x.pronounSg.contains(key) || x.pronounPl.contains(key) || x.pronounPerson.contains(key)
        }

        func pronounClaimant(_ k: Int, sentence s: Int) -> Claimant? {
            guard isPronoun(k), let ref = resolve(pronoun: k, sentence: s) else { return nil }
            return Claimant(ref: ref, span: tokens[k].span, first: k, plural: x.pronounPl.contains(tokens[k].key))
        }

        /// An actor mention starting at `k` (after determiners).
        func mention(startingAt k: Int, hi: Int) -> Int? {
            var j = k
            while j < hi && x.determiners.contains(tokens[j].key) && startAt[j] < 0 { j += 1 }
            guard j < hi, startAt[j] >= 0 else { return nil }
            return Int(startAt[j])
        }

        /// The subject of a reporting verb at `v`, searched leftwards within its clause.
        func subject(before v: Int, sentence s: Int, lo: Int, frame: Frame) -> Claimant? {
            var k = v - 1
            while k >= lo && x.adverbs.contains(tokens[k].key) { k -= 1 }
            guard k >= lo else { return nil }
            // "..., but said that": the subject of the clause before
            if tokens[k].key == x.keyAnd || tokens[k].key == x.keyBut {
                for c in claims.indices.reversed() where claimSentence[c] == s {
                    return Claimant(ref: claims[c].claimant, span: claims[c].claimantSpan, first: k, plural: claimPlural[c])
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
            // "Reporters Without Borders, a nonprofit group, called on": skip an appositive;
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
                let appositive = x.determiners.contains(opener.key) || opener.key == x.keyParenOpen
                    || x.adverbs.contains(opener.key) || (opener.kind == .word && !opener.has(.capitalized))
                guard appositive else { return nil }
                j = c - 1
                if j >= lo && tokens[j].key == x.keyParenClose { j -= 1 }
            }
            var steps = 0
            while j >= lo && steps < 14 {
                if endAt[j] >= 0 { return claimant(mention: Int(endAt[j])) }
                let key = tokens[j].key
                if isQuoteMark(j) { return nil }
                if x.boundaries.contains(key) && key != x.keyAnd { return nil }
                if j != v && x.verbs.mayStart(tokens[j]), x.verbs.longest(tokens, at: j, limit: v) != nil { return nil }
                j -= 1
                steps += 1
            }
            return nil
        }

        /// Where the content starts after the verb phrase ending at `e`.
        func contentStart(after e: Int, hi: Int, frame: Frame) -> Int {
            var p = e
            var moved = true
            while moved && p < hi {
                moved = false
                if let a = x.adjuncts.match(tokens, at: p, limit: hi) {
                    p = a
                    moved = true
                } else if x.adverbs.contains(tokens[p].key) {
                    p += 1
                    moved = true
                }
            }
            if frame == .tell {
                if let a = mention(startingAt: p, hi: hi) {
                    p = ranges[a].upperBound
                } else if let r = x.recipients.match(tokens, at: p, limit: hi) {
                    p = r
                }
                // "told Europe 1 radio that ...": the recipient runs to a near "that"
                var q = p
                while q < hi && q < p + 6 && tokens[q].key != x.keyThat && tokens[q].kind != .punct { q += 1 }
                if q < hi && tokens[q].key == x.keyThat { p = q }
                while p < hi, let a = x.adjuncts.match(tokens, at: p, limit: hi) { p = a }
            }
            if p < hi && x.complementizers.contains(tokens[p].key) { p += 1 }
            if p < hi && tokens[p].key == x.keyColon { p += 1 }
            return p
        }

        /// Where the content starts after adjuncts and adverbs only (no "that", no colon).
        func contentStartPlain(after e: Int, hi: Int) -> Int {
            var p = e
            var moved = true
            while moved && p < hi {
                moved = false
                if let a = x.adjuncts.match(tokens, at: p, limit: hi) {
                    p = a
                    moved = true
                } else if x.adverbs.contains(tokens[p].key) {
                    p += 1
                    moved = true
                }
            }
            return p
        }

        /// Content from token `p` to the end of the sentence, or of the quotation opening at `p`.
        func forwardContent(from p: Int, hi: Int) -> Span {
            if p < hi, isQuoteMark(p), let q = quote(openingAt: p) { return inner(q) }
            return trimmed(p, hi)
        }

        /// Content before a clause-final claimant: "CONTENT, X said" / "\"QUOTE,\" X said".
        func backwardContent(lo: Int, before c: Int) -> Span? {
            var end = c
            if end - 1 >= lo && tokens[end - 1].key == x.keyComma { end -= 1 }
            if end - 1 >= lo && isQuoteMark(end - 1), let q = quote(closingAt: end - 1) { return inner(q) }
            if end - 1 >= lo && tokens[end - 1].key == x.keyComma { end -= 1 }
            guard end > lo else { return nil }
            return trimmed(lo, end)
        }

        mutating func add(_ claim: Claim, sentence s: Int, plural: Bool) {
            claims.append(claim)
            claimSentence.append(s)
            claimPlural.append(plural)
        }

        /// The claim a denial by `denier` answers: the latest assertion of another side.
        func deniedClaim(by denier: ActorRef, sentence s: Int) -> Int? {
            let side = Self.side(denier)
            for c in claims.indices.reversed() {
                guard claimSentence[c] >= s - 8 else { break }
                guard claims[c].stance == "asserts", Self.side(claims[c].claimant) != side else { continue }
                return c
            }
            return nil
        }

        /// The first id component: the polity or family ("AZE", "NKR", "UNID").
        static func side(_ ref: ActorRef) -> Substring {
            ref.id.split(separator: ".", maxSplits: 1).first ?? Substring(ref.id)
        }

        mutating func claim(_ verb: Verb, _ vr: Range<Int>, sentence s: Int, lo: Int, hi: Int) {
            let v = vr.lowerBound
            if cover[v] >= 0 && verb.frame != .according { return }
            // negation: "did not say", "has not disclosed", "declined to confirm"
            if x.negators.endsAt(tokens, v, floor: lo) { return }
            if v - 1 >= lo && x.adverbs.contains(tokens[v - 1].key) && x.negators.endsAt(tokens, v - 1, floor: lo) { return }
            // a negated subject: "No injuries were reported", "no one claimed responsibility"
            var k = v - 1
            while k >= lo && tokens[k].key != x.keyComma && tokens[k].key != x.keySemicolon {
                if x.negators.contains(tokens[k].key) { return }
                k -= 1
            }
            let verbText = doc.text(of: vr)
            let verbSpan = doc.span(of: vr)
            let e = vr.upperBound

            switch verb.frame {
            case .according:
                accordingTo(verb, vr, sentence: s, lo: lo, hi: hi)
                return
            case .passive:
                var claimant = Claimant(ref: ClaimExtractor.unnamed, span: verbSpan, first: v, plural: true)
                if e + 1 < hi && tokens[e].key == x.keyBy, let a = mention(startingAt: e + 1, hi: hi),
                    let c = self.claimant(mention: a)
                {
                    claimant = c
                }
                let content: Span
                if e < hi && x.complementizers.contains(tokens[e].key) {
                    content = trimmed(e + 1, hi)
                } else {
                    content = trimmed(lo, hi)
                }
                add(Claim(claimant: claimant.ref, claimantSpan: claimant.span, verb: verbText, verbSpan: verbSpan,
                          stance: verb.stance, content: content, rule: verb.provenance + "+passive"),
                    sentence: s, plural: claimant.plural)
                return
            default:
                break
            }
            // a noun, not a verb: "a claim", "the reports"
            if v - 1 >= lo && x.determiners.contains(tokens[v - 1].key) && !isPronoun(v - 1) { return }

            // CONTENT – a claim denied by X / reported by X
            if e + 1 < hi && tokens[e].key == x.keyBy {
                guard let a = mention(startingAt: e + 1, hi: hi), let c = claimant(mention: a) else { return }
                byAgent(verb, vr, c, sentence: s, lo: lo, hi: hi)
                return
            }

            var who = subject(before: v, sentence: s, lo: lo, frame: verb.frame)
            var rule = verb.provenance
            var content: Span?
            // "QUOTE," said X / CONTENT, said X
            // (not a participle: in "..., saying X", X is what is said, not who says it)
            if who == nil && (verb.frame == .say || verb.frame == .sayClause), !isParticiple(vr), v - 1 >= lo,
                tokens[v - 1].key == x.keyComma || isQuoteMark(v - 1),
                let a = mention(startingAt: e, hi: hi), let c = claimant(mention: a)
            {
                who = c
                content = backwardContent(lo: lo, before: v)
                rule += "+inverted"
            }
            // "The ministry issued a statement, saying ...": the subject of the main clause
            if who == nil && isParticiple(vr) {
                var j = lo
                while j < v && who == nil {
                    if startAt[j] >= 0, let c = claimant(mention: Int(startAt[j])) {
                        who = c
                        rule += "+participle"
                    }
                    j += 1
                }
            }
            guard let who else { return }
            if content == nil {
                // "QUOTE," X said (in a tweet)
                if who.first - 1 >= lo, isQuoteMark(who.first - 1) || tokens[who.first - 1].key == x.keyComma
                    && who.first - 2 >= lo && isQuoteMark(who.first - 2),
                    let back = backwardContent(lo: lo, before: who.first)
                {
                    content = back
                    rule += "+quote-before"
                }
            }
            if content == nil {
                let p = contentStart(after: e, hi: hi, frame: verb.frame)
                let clauseEnd = p >= hi || tokens[p].key == x.keyComma || p + 1 == hi && tokens[p].kind == .punct
                if clauseEnd {
                    if who.first - 1 > lo, tokens[who.first - 1].key == x.keyComma,
                        let back = backwardContent(lo: lo, before: who.first)
                    {
                        // CONTENT, X said
                        content = back
                        rule += "+clause-final"
                    } else if who.first == lo, s > 0, let q = quoteEndingSentence(s - 1) {
                        // "QUOTE." X said.
                        content = inner(q)
                        rule += "+quote-previous-sentence"
                    } else if who.first - 1 > lo, let back = backwardContent(lo: lo, before: who.first) {
                        // "... '' he said." (quotation marks the tokenizer does not pair)
                        content = back
                        rule += "+clause-final"
                    } else {
                        content = Span(verbSpan.end, verbSpan.end)
                    }
                } else {
                    // verbs that also take plain objects need a clause: "maintained that", not "maintained a moratorium"
                    if verb.frame == .sayClause && p == contentStartPlain(after: e, hi: hi) && !isQuoteMark(p)
                        && tokens[p].key != x.keyColon && !(p > e && x.complementizers.contains(tokens[p - 1].key))
                    {
                        return
                    }
                    content = forwardContent(from: p, hi: hi)
                    if tokens[p].key == x.keyQuote { rule += "+quote-after" }
                }
            }
            var claim = Claim(claimant: who.ref, claimantSpan: who.span, verb: verbText, verbSpan: verbSpan,
                              stance: verb.stance, content: content ?? Span(verbSpan.end, verbSpan.end), rule: rule)
            if verb.stance == "denies" {
                claim.denies = deniedClaim(by: who.ref, sentence: s)
            }
            add(claim, sentence: s, plural: who.plural)
        }

        /// A verb phrase ending in "-ing" ("saying", "claiming").
        func isParticiple(_ vr: Range<Int>) -> Bool {
            let t = tokens[vr.upperBound - 1]
            let e = Int(t.end)
            guard t.length > 4 else { return false }
            let b = doc.bytes
            return b[e - 3] | 0x20 == 0x69 && b[e - 2] | 0x20 == 0x6E && b[e - 1] | 0x20 == 0x67
        }

        func quoteEndingSentence(_ s: Int) -> Range<Int>? {
            let r = doc.sentences[s].tokens
            var k = r.upperBound - 1
            while k >= r.lowerBound && tokens[k].kind == .punct && !isQuoteMark(k) { k -= 1 }
            guard k >= r.lowerBound, isQuoteMark(k) else { return nil }
            return quote(closingAt: k)
        }

        /// "CONTENT – a claim denied by X": the denial answers the claim just made.
        mutating func byAgent(_ verb: Verb, _ vr: Range<Int>, _ who: Claimant, sentence s: Int, lo: Int, hi: Int) {
            let v = vr.lowerBound
            // the noun phrase before the verb ("a claim") starts after the last punctuation
            var np = v
            while np - 1 >= lo && tokens[np - 1].kind == .word { np -= 1 }
            let denied = verb.stance == "denies" ? deniedClaim(by: who.ref, sentence: s) : nil
            // the earlier claim's content stops before the appositive
            let cut = Int(tokens[Swift.max(lo, np - 1)].start)
            for c in claims.indices where claimSentence[c] == s && claims[c].content.contains(Span(cut, cut)) {
                claims[c].content.end = Swift.max(claims[c].content.start, cut)
                while claims[c].content.end > claims[c].content.start
                    && [0x20, 0x2C].contains(doc.bytes[claims[c].content.end - 1])
                {
                    claims[c].content.end -= 1
                }
            }
            let content: Span
            if let d = denied, claimSentence[d] == s {
                content = claims[d].content
            } else {
                content = trimmed(lo, Swift.max(lo, np - 1))
            }
            var claim = Claim(claimant: who.ref, claimantSpan: who.span, verb: doc.text(of: vr), verbSpan: doc.span(of: vr),
                              stance: verb.stance, content: content, rule: verb.provenance + "+by-agent")
            claim.denies = denied
            add(claim, sentence: s, plural: who.plural)
        }

        /// "according to X, CONTENT" / "CONTENT, according to X" / "citing X".
        mutating func accordingTo(_ verb: Verb, _ vr: Range<Int>, sentence s: Int, lo: Int, hi: Int) {
            let e = vr.upperBound
            var who: Claimant
            var srcEnd: Int
            if let a = mention(startingAt: e, hi: hi), let c = claimant(mention: a) {
                who = c
                srcEnd = ranges[a].upperBound
            } else {
                // an unnamed source: "according to a statement", "according to figures"
                var j = e
                while j < hi && tokens[j].kind == .word && j < e + 6 { j += 1 }
                guard j > e else { return }
                who = Claimant(ref: ActorRef(id: "UNID.SOURCES", name: doc.text(of: e..<j), country: nil, kind: .unidentifiedSources),
                               span: doc.span(of: e..<j), first: e, plural: true)
                srcEnd = j
            }
            // "Moscow's information", "ministry figures"
            if srcEnd + 1 < hi && tokens[srcEnd].key == x.keyPossessive && x.sourceNouns.contains(tokens[srcEnd + 1].key) {
                srcEnd += 2
            } else if srcEnd < hi && x.sourceNouns.contains(tokens[srcEnd].key) {
                srcEnd += 1
            }
            who.span = doc.span(of: doc.tokenIndex(atOrAfter: who.span.start)..<srcEnd)
            var rule = verb.provenance
            // after the source: "according to X, CONTENT"; else before: "CONTENT, according to X"
            var p = srcEnd
            if p < hi && tokens[p].key == x.keyComma { p += 1 }
            let content: Span
            if p < hi && !(p + 1 == hi && tokens[p].kind == .punct) && srcEnd < hi && tokens[srcEnd].key == x.keyComma {
                content = trimmed(p, hi)
                rule += "+source-first"
            } else {
                var end = vr.lowerBound
                if end - 1 >= lo && tokens[end - 1].key == x.keyComma { end -= 1 }
                // the clause it qualifies starts after a "that" or the start of the sentence
                var start = lo
                for c in claims.indices.reversed() where claimSentence[c] == s {
                    let cs = doc.tokenIndex(atOrAfter: claims[c].content.start)
                    if cs < end { start = cs }
                    break
                }
                content = trimmed(start, end)
                rule += "+source-last"
            }
            // a speaker's own side as source ("Putin said that according to Moscow's information"):
            // the figure is the speaker's
            for c in claims.indices.reversed() where claimSentence[c] == s {
                if claims[c].content.contains(doc.span(of: vr)), let a = claims[c].claimant.country,
                    a == who.ref.country, claims[c].claimant.id != who.ref.id
                {
                    who = Claimant(ref: claims[c].claimant, span: claims[c].claimantSpan, first: who.first,
                                   plural: claimPlural[c])
                    rule += "+speaker-source"
                }
                break
            }
            add(Claim(claimant: who.ref, claimantSpan: who.span, verb: doc.text(of: vr), verbSpan: doc.span(of: vr),
                      stance: verb.stance, content: content, rule: rule),
                sentence: s, plural: who.plural)
        }
    }
}
