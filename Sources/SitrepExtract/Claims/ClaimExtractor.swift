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

    /// A reporting verb's reading: one shared object (passing it on costs one retain, not two
    /// string copies); `stance` is a string literal ("asserts", "denies": no reference counting).
    final class Verb: Sendable {
        let stance: String
        let frame: Frame
        let provenance: String
        /// `provenance` with each construction's suffix, made once when the table loads (a claim's
        /// rule is then one retain, not a string built per claim); index: `Suffix.rawValue`.
        let rules: [String]
        /// The verb phrase as the lexicon writes it, and its UTF-8 bytes (what a claim's `verb`
        /// is when the document writes it the same way).
        let surface: String
        let surfaceBytes: [UInt8]

        /// The construction a claim's rule names after the verb's row ("+inverted", ...).
        enum Suffix: Int, CaseIterable {
            case none, inverted, participle, quoteBefore, clauseFinal, quotePreviousSentence, quoteAfter, passive,
                byAgent, sourceFirst, sourceLast

            var text: String {
                switch self {
                case .none: ""
                case .inverted: "+inverted"
                case .participle: "+participle"
                case .quoteBefore: "+quote-before"
                case .clauseFinal: "+clause-final"
                case .quotePreviousSentence: "+quote-previous-sentence"
                case .quoteAfter: "+quote-after"
                case .passive: "+passive"
                case .byAgent: "+by-agent"
                case .sourceFirst: "+source-first"
                case .sourceLast: "+source-last"
                }
            }
        }

        init(stance: String, frame: Frame, provenance: String, surface: String = "") {
            self.surface = surface
            self.surfaceBytes = Array(surface.utf8)
            self.stance = stance
            self.frame = frame
            self.provenance = provenance
            self.rules = Suffix.allCases.map { provenance + $0.text }
        }

        /// The rule of a claim read by construction `suffix`.
        @inline(__always)
        func rule(_ suffix: Suffix) -> String { rules[suffix.rawValue] }
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
    /// The two verb filters by filter slot, one byte each (`store.marks`): `markForward`,
    /// `markForwardCapital`, `markPassive`, `markPassiveCapital`; a capitalized token tests all four
    /// bits, any other the two uncased ones (`caseMask`). One load per token tests both filters.
    static let markForward: UInt8 = 1, markForwardCapital: UInt8 = 2, markPassive: UInt8 = 4, markPassiveCapital: UInt8 = 8
    let negators: WordSet
    let adverbs: WordSet
    let adjuncts: WordSet
    let complementizers: WordSet
    let determiners: WordSet
    let denialObjects: WordSet
    let pronounSg: WordSet
    let pronounPl: WordSet
    let pronounPerson: WordSet
    let pluralHeads: WordSet
    let sourceNouns: WordSet
    let boundaries: WordSet
    let recipients: WordSet
    /// Where the word sets and the forward verbs' filter words live (`WordSet`; `forwardFilter.any`
    /// and `.capital` as `store.filter(0)` and `store.filter(1)`).
    let store: WordStore
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
            let verb = Verb(stance: row["stance"] == "denies" ? "denies" : "asserts", frame: frame, provenance: row.provenance,
                            surface: row["verb"])
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
        let roles = ["negator", "adverb", "adjunct", "complementizer", "determiner", "denial-object", "pronoun-sg",
                     "pronoun-pl", "pronoun-person", "plural-head", "source-noun", "boundary", "recipient"]
        let store = WordStore(
            members: roles.map { r in words.rows(where: "role", is: r).map { $0["word"] } },
            filterWords: [forwardFilter.any, forwardFilter.capital],
            marks: Self.marks(forward: forwardFilter, passive: passiveFilter))
        self.store = store
        negators = store.wordSet(0)
        adverbs = store.wordSet(1)
        adjuncts = store.wordSet(2)
        complementizers = store.wordSet(3)
        determiners = store.wordSet(4)
        denialObjects = store.wordSet(5)
        pronounSg = store.wordSet(6)
        pronounPl = store.wordSet(7)
        pronounPerson = store.wordSet(8)
        pluralHeads = store.wordSet(9)
        sourceNouns = store.wordSet(10)
        boundaries = store.wordSet(11)
        recipients = store.wordSet(12)
    }

    public static func english() throws -> ClaimExtractor {
        try ClaimExtractor(
            verbs: LanguageResources.lexicon("en/claims/verbs.tsv", required: ["verb", "stance", "frame"]),
            words: LanguageResources.lexicon("en/claims/words.tsv", required: ["word", "role"]))
    }

    /// The claimant nobody names (passive and impersonal reports), this extractor's own: the
    /// claims of its documents hold this one, so the reference counting their copies cost stays
    /// with the thread using this extractor (`sitrep extract --jobs` gives each job its own
    /// extractor) instead of writing one object both jobs' threads write.
    let unnamedSource = ActorRef(id: "UNID.SOURCES", name: "unnamed sources", country: nil, kind: .unidentifiedSources)

    /// `store.marks` from the forward and passive verbs' filters.
    static func marks(forward: TokenFilter, passive: TokenFilter) -> [UInt8] {
        var marks = [UInt8](repeating: 0, count: 1 << 16)
        for (flag, words) in [(markForward, forward.any), (markForwardCapital, forward.capital),
                              (markPassive, passive.any), (markPassiveCapital, passive.capital)] {
            for h in marks.indices where h >> 6 < words.count && words[h >> 6] & (1 << UInt64(h & 63)) != 0 {
                marks[h] |= flag
            }
        }
        return marks
    }

    /// The filter slot of a key (the bits `PhraseIndex.mayStart` tests).
    @inline(__always)
    static func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key ^ (key >> 29)) & 0xFFFF) }

    /// The mark bits a token of these flags may use: the cased ones only when it is capitalized.
    @inline(__always)
    static func caseMask(_ flags: TokenFlags) -> UInt8 {
        flags.contains(.capitalized) ? 0x0F : markForward | markPassive
    }

    public func extract(_ doc: Document, _ annotations: Annotations) -> [Claim] {
        // find the sentences with a possible reporting verb before setting anything up
        let tokens = doc.tokens
        let marks = store.marks
        /// (sentence, its first token that may belong to a reporting phrase)
        var candidates: [(Int, Int)] = []
        candidates.reserveCapacity(doc.sentences.count)
        // the scan reads tokens through an unsafe view (no bounds checks per token); the filters
        // are one byte per slot (`marks`: 65,536 bytes, any slot in bounds)
        tokens.withUnsafeBufferPointer { tokens in
        for (s, sentence) in doc.sentences.enumerated() {
            let lo = sentence.tokens.lowerBound, hi = sentence.tokens.upperBound
            guard lo < hi, !tokens[lo].has(.boilerplate) else { continue }
            var i = lo
            while i < hi {
                if marks[Self.slot(tokens[i].key)] & Self.caseMask(tokens[i].flags) != 0 {
                    candidates.append((s, i))
                    break
                }
                i += 1
            }
        }
        }
        guard !candidates.isEmpty else { return [] }
        let tables = TokenTables.current
        var run = Run.make(doc: doc, actors: annotations.actors, x: self, tables: tables)
        // the thread's token tables go back to all -1 for the next document
        defer { tables.reset(run.ranges) }
        // (a candidate sentence often holds two claims: room for two each, so the list of claims,
        // each some twenty words, is seldom moved to a larger buffer)
        let room = 2 * candidates.count + 8
        run.claims.reserveCapacity(room)
        run.claimSentence.reserveCapacity(room)
        run.claimPlural.reserveCapacity(room)
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
                let m = marks[Self.slot(t.key)] & Self.caseMask(t.flags)
                let forward = m & (Self.markForward | Self.markForwardCapital) != 0
                    ? verbs.longest(tokens, at: i, limit: hi) : nil
                let passive = m & (Self.markPassive | Self.markPassiveCapital) != 0
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
        /// Per token: the actor mention ending at it / starting at it / covering it (-1: none):
        /// the thread's `TokenTables` (at least one entry per token), set back by `extract`.
        let endAt: UnsafeMutablePointer<Int32>
        let startAt: UnsafeMutablePointer<Int32>
        let cover: UnsafeMutablePointer<Int32>
        /// Quotations as token ranges including the quote marks, found on first use
        /// (`readQuotes`): most documents never ask, their claims having no quote mark at an edge.
        var quotes: [Range<Int>] = []
        var quotesRead = false
        var claims: [Claim] = []
        var claimSentence: [Int] = []
        var claimPlural: [Bool] = []
        /// The extractor's word sets, held by the per-document state: read in place on the hot
        /// paths (a set read through the class reference is copied, its buffers retained, per test).
        let determiners: WordSet, adverbs: WordSet, negators: WordSet, complementizers: WordSet
        let pronounSg: WordSet, pronounPl: WordSet, pronounPerson: WordSet, sourceNouns: WordSet
        let adjuncts: WordSet, recipients: WordSet, pluralHeads: WordSet, boundaries: WordSet
        /// The reporting verbs' first-token filter words (what `x.verbs.mayStart` tests).
        let verbAny: UnsafePointer<UInt64>, verbCapital: UnsafePointer<UInt64>

        /// The state of a document (made with the memberwise initializer: an explicit one built
        /// the state aside and copied it, its document and word sets retained and released).
        static func make(doc: Document, actors: [Mention], x: ClaimExtractor, tables: TokenTables) -> Run {
            let n = doc.tokens.count
            let (endAt, startAt, cover) = tables.tables(n)
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(actors.count)
            // the mentions come sorted by span: their first tokens are found by walking forward
            // (what `doc.tokenRange(of:)` finds by binary search), searching again only when a
            // mention starts before the previous one; read through unsafe views, no mention copied
            doc.tokens.withUnsafeBufferPointer { tokens in
            actors.withUnsafeBufferPointer { actors in
                var t = 0
                var previousStart = Int.min
                for a in 0..<actors.count {
                    let start = actors[a].span.start, end = actors[a].span.end
                    if start < previousStart {
                        t = doc.tokenIndex(atOrAfter: start)
                    } else if t < n && Int(tokens[t].start) < start {
                        // the first token from `t` on starting at or after `start`
                        t = doc.tokenIndex(atOrAfter: start, from: t)
                    }
                    previousStart = start
                    var upper = t
                    while upper < n && Int(tokens[upper].end) <= end { upper += 1 }
                    ranges.append(t..<upper)
                    guard t < upper else { continue }
                    endAt[upper - 1] = Int32(a)
                    if startAt[t] < 0 { startAt[t] = Int32(a) }
                    for k in t..<upper { cover[k] = Int32(a) }
                }
            }
            }
            return Run(
                doc: doc, tokens: doc.tokens, actors: actors, x: x, ranges: ranges, endAt: endAt, startAt: startAt,
                cover: cover, determiners: x.determiners, adverbs: x.adverbs, negators: x.negators,
                complementizers: x.complementizers, pronounSg: x.pronounSg, pronounPl: x.pronounPl,
                pronounPerson: x.pronounPerson, sourceNouns: x.sourceNouns, adjuncts: x.adjuncts, recipients: x.recipients,
                pluralHeads: x.pluralHeads, boundaries: x.boundaries, verbAny: x.store.filter(0),
                verbCapital: x.store.filter(1))
        }
    }
}
