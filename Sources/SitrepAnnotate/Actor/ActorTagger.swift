import SitrepLanguage
import SitrepText

/// Recognizes actors: states and their forces, governments and organs, de facto authorities,
/// armed groups, organizations, media, people with roles, victim groups, unidentified sources.
///
/// Everything is lexicon-driven (`en/actors/`); the code holds only the patterns:
/// POLITY ('s)? ORGAN (TITLE NAME?)?, POLITY ('s)? TITLE NAME?, ORGAN of/in POLITY, TITLE of POLITY,
/// POLITY ('s)? WEAPON (the polity's forces), POLITY-made, named actors and people, QUANTIFIER GROUP,
/// "the ORGAN" (refers back), short names of people named in full earlier, and Capitalized ... HEAD
/// for organizations no lexicon lists ("the Xyz Brigade").
public struct ActorTagger: Sendable {
    let lex: ActorLexicon
    let weapons: WeaponLexicon
    let reportingVerbs: PhraseSet
    let sourceNouns: PhraseSet
    let notNames: PhraseSet
    let possessive: PhraseSet
    let link: PhraseSet
    let made: PhraseSet
    let prepositions: PhraseSet
    let determiners: PhraseSet
    let coordinators: PhraseSet
    let nameParticles: PhraseSet
    let keyOf = Fold.key("of")
    let keyIn = Fold.key("in")
    let keyAccording = Fold.key("according")
    let keyTo = Fold.key("to")
    let keyHyphen = Fold.key("-")
    let keyA = Fold.key("a")
    let keyAn = Fold.key("an")
    /// Tokens where a lexicon phrase may start, and quantifiers ("three sources").
    let startFilter: TokenFilter
    let quantifierFilter: TokenFilter
    /// Per lexicon rule (`lex.rules`): the rule with the suffix a polity reading appends, built
    /// once instead of per match; per polity: its armed forces.
    let ruleMade: [String], ruleWeapon: [String], ruleState: [String]
    let forces: [ActorRef]
    /// The start and quantifier filters as start marks, for a tagger run on its own.
    let startMarks: StartMarks
    /// The scratch storage lent to each document, one pool per loaded tagger (shared by its
    /// copies): the jobs of a parallel run, each with a tagger of its own, do not meet on one
    /// pool's lock. `ActorScratch.owner` still keeps one tagger's readings from another's.
    let scratchPool = ScratchPool<ActorScratch>()

    package init(lexicon: ActorLexicon, weapons: WeaponLexicon, joiners: Lexicon, notNames: Lexicon,
                 claimVerbs: Lexicon, claimWords: Lexicon) {
        self.lex = lexicon
        self.weapons = weapons
        func role(_ r: String) -> PhraseSet { PhraseSet(joiners.rows(where: "role", is: r).map { $0["word"] }) }
        // possessive 's is a token only after a word: key it as written
        var poss = PhraseSet()
        for row in joiners.rows(where: "role", is: "possessive") { poss.insert(key: Fold.key(row["word"])) }
        possessive = poss
        link = role("link")
        made = role("made")
        prepositions = role("preposition")
        determiners = role("determiner")
        coordinators = role("coordinator")
        nameParticles = role("name-particle")
        self.notNames = PhraseSet(notNames.rows.map { $0["word"] })
        reportingVerbs = PhraseSet(
            claimVerbs.rows.filter { ["say", "say-clause", "deny", "accuse", "tell", "call"].contains($0["frame"]) }
                .map { $0["verb"] }.filter { !$0.contains(" ") })
        sourceNouns = PhraseSet(claimWords.rows(where: "role", is: "source-noun").map { $0["word"] })
        startFilter = lexicon.table.index.tokenFilter
        quantifierFilter = lexicon.quantifiers.tokenFilter
        ruleMade = lexicon.rules.map { $0 + "+made" }
        ruleWeapon = lexicon.rules.map { $0 + "+weapon" }
        ruleState = lexicon.rules.map { $0 + "+state" }
        forces = lexicon.polities.map(Self.forcesRef(of:))
        var marks = StartMarks()
        marks.add(startFilter.any, bit: StartMarks.slotActorAny)
        marks.add(startFilter.capital, bit: StartMarks.slotActorCapital)
        marks.add(quantifierFilter.any, bit: StartMarks.slotQuantifier)
        startMarks = marks
    }

    public static func english() throws -> ActorTagger {
        try ActorTagger(
            lexicon: .english(), weapons: .english(),
            joiners: LanguageResources.lexicon("en/actors/joiners.tsv", required: ["word", "role"]),
            notNames: LanguageResources.lexicon("en/actors/not-names.tsv", required: ["word"]),
            claimVerbs: LanguageResources.lexicon("en/claims/verbs.tsv", required: ["verb", "stance", "frame"]),
            claimWords: LanguageResources.lexicon("en/claims/words.tsv", required: ["word", "role"]))
    }

    /// One recognized actor before it becomes a mention.
    struct Found {
        var start: Int
        var end: Int
        /// Where scanning resumes (may differ from `end`, e.g. after "Turkish-made").
        var resume: Int
        /// The reference and rule share one immutable box: the matcher copies readings while it
        /// compares them, and a copy retains one object instead of four strings.
        private(set) var payload: Payload

        final class Payload: Sendable {
            let ref: ActorRef
            let rule: String
            /// The id's tail hashes, for antecedent queries (`IdTails`).
            let tails: IdTails.Triple

            init(ref: ActorRef, rule: String) {
                self.ref = ref
                self.rule = rule
                tails = IdTails.of(ref.id)
            }

            init(ref: ActorRef, rule: String, tails: IdTails.Triple) {
                self.ref = ref
                self.rule = rule
                self.tails = tails
            }
        }

        init(start: Int, end: Int, resume: Int, ref: ActorRef, rule: String) {
            self.start = start
            self.end = end
            self.resume = resume
            payload = Payload(ref: ref, rule: rule)
        }

        /// A reading whose reference and rule are already boxed (shared, immutable).
        init(start: Int, end: Int, resume: Int, payload: Payload) {
            self.start = start
            self.end = end
            self.resume = resume
            self.payload = payload
        }

        var ref: ActorRef {
            get { payload.ref }
            set { payload = Payload(ref: newValue, rule: payload.rule) }
        }

        var rule: String {
            get { payload.rule }
            set { payload = Payload(ref: payload.ref, rule: newValue, tails: payload.tails) }
        }
    }

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {
        tag(doc, context: context, into: &annotations, marks: startMarks.marks(doc.tokens))
    }

    /// `tag` with the document's start marks already read (`Annotator` reads them once for all
    /// taggers).
    func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations, marks: [UInt8]) {
        var scratch = scratchPool.take()
        scratch.lend(to: self)
        var state = State(doc: doc)
        swap(&state.found, &scratch.found)
        swap(&state.payloadSlot, &scratch.payloadSlot)
        swap(&state.payloadList, &scratch.payloadList)
        swap(&state.entrySlots, &scratch.entrySlots)
        tag(doc, into: &annotations, marks: marks, &state)
        swap(&state.found, &scratch.found)
        swap(&state.payloadSlot, &scratch.payloadSlot)
        swap(&state.payloadList, &scratch.payloadList)
        swap(&state.entrySlots, &scratch.entrySlots)
        scratchPool.give(consume scratch)  // (moved back, not copied)
    }

    /// The scan, with the document's state (its lists lent by a scratch).
    func tag(_ doc: Document, into annotations: inout Annotations, marks: [UInt8], _ state: inout State) {
        // about one actor mention per 40 tokens (denser in some texts): the lists rarely grow
        state.mentions.reserveCapacity(doc.tokens.count / 16 + 16)
        state.found.reserveCapacity(doc.tokens.count / 16 + 16)
        let tokens = doc.tokens
        let startable = StartMarks.actor | StartMarks.quantifier
        let startableName = startable | StartMarks.capitalWord
        let index = lex.table.index
        // the scan reads the start marks through an unsafe view (no bounds checks per token)
        marks.withUnsafeBufferPointer { marks in
        for sentence in doc.sentences {
            let lo = sentence.tokens.lowerBound, limit = sentence.tokens.upperBound
            var i = lo
            while i < limit {
                // cheap rejection: nothing can start at these tokens (marks skipped eight at a time)
                i = StartMarks.next(marks, from: i, to: limit, want: state.shortNames.isEmpty ? startable : startableName)
                if i >= limit { break }
                let mark = marks[i]
                // a lexicon phrase starts here only where the trie goes on with this token and the
                // next (many a token the marks let through, "the", "a", opens phrases only with
                // other words; a token that may open a quantifier group goes to `match` as before)
                var possible = mark & StartMarks.actor != 0
                    && (mark & StartMarks.quantifier != 0 || index.mayMatch(tokens, at: i, limit: limit))
                if !possible && mark & StartMarks.capitalWord != 0 && !state.shortNames.isEmpty {
                    possible = state.shortNames[tokens[i].key] != nil
                }
                if !possible && i + 1 < limit && mark & StartMarks.quantifier != 0 {
                    // "three sources", "37 civilians": only when a group can follow
                    possible = marks[i + 1] & StartMarks.follower != 0
                }
                guard possible else {
                    i += 1
                    continue
                }
                if let f = match(at: i, lo: lo, limit: limit, quantifier: mark & StartMarks.quantifier != 0, tokens, &state) {
                    state.emit(f)
                    i = Swift.max(f.resume, i + 1)
                } else {
                    i += 1
                }
            }
        }
        }
        if state.separatists { resolveSeparatists(&state.mentions, named: state.deFactoNamed) }
        if annotations.actors.isEmpty {
            swap(&annotations.actors, &state.mentions)  // handed over, not copied mention by mention
        } else {
            annotations.actors.append(contentsOf: state.mentions)
        }
        annotations.actors.sortBySpan()
    }

    /// "separatists" are those of the de facto polity the article names first (NKR, DNR, ...).
    func resolveSeparatists(_ mentions: inout [Mention], named: Int?) {
        var polity: ActorLexicon.Polity? = named.map { lex.polities[$0] }
        outer: for m in mentions where polity == nil {
            guard let id = m.actor?.id else { continue }
            for p in lex.polities where p.deFacto && (id == p.prefix || id.hasPrefix(p.prefix + ".")) {
                polity = p
                break outer
            }
        }
        guard let p = polity else { return }
        for k in mentions.indices {
            guard let old = mentions[k].actor, Self.isSeparatist(old.id) else { continue }
            let id = old.id == "SEPARATIST.AUTH" ? (p.authority ?? p.prefix + ".AUTH") : p.prefix + ".MIL"
            let ref = ActorRef(id: id, name: "\(p.name) \(id.hasSuffix(".MIL") ? "forces" : "authorities")",
                               country: p.country, kind: old.kind)
            mentions[k].payload = .actor(ref)
            mentions[k].rule += "+separatists-of-\(p.prefix)"
        }
    }

    struct State {
        let doc: Document
        var mentions: [Mention] = []
        var found: [Found] = []
        /// Surname key → the person named in full earlier.
        var shortNames: [UInt64: (ActorRef, String)] = [:]
        /// End of a country name skipped as a place (for "from Armenia and Azerbaijan").
        var placeEnd = -1
        /// End of the last emitted mention (unknown-organization lookback stops there).
        var lastEnd = 0
        /// The first de facto polity the text names, even as a place.
        var deFactoNamed: Int?
        /// Whether some mention is a SEPARATIST.* placeholder (resolved once the text is read).
        var separatists = false
        /// Readings composed from lexicon entries alone (a polity's state, forces, organs), boxed
        /// once (kept across documents by the scratch that lends them): `ActorTagger.payloadKey`
        /// → index into `payloadList`.
        var payloadSlot = GrowingIndexMap.placeholder
        var payloadList: [Found.Payload] = []
        /// Per named actor, then per person of the lexicon: the index of its boxed reading in
        /// `payloadList`, -1 until made (an array, not `payloadSlot`: these are most readings).
        var entrySlots: [Int32] = []

        /// The boxed reading for `key`, made by `make` the first time.
        ///
        /// The box, its reference and its strings are the scratch's own (`ActorRef.detached`),
        /// not the lexicon's: a scratch stays with one thread (`ScratchPool.take`), so the
        /// retains and releases every copy of the reading costs downstream hit objects no other
        /// thread touches, instead of bouncing one shared reference count between cores.
        /// (inlined: a closure not inlined with it takes a copy of the whole tagger it captures)
        @inline(__always)
        mutating func payload(_ key: Int, _ make: () -> (ActorRef, String)) -> Found.Payload {
            if let p = cachedPayload(key) { return p }
            let (ref, rule) = make()
            return storePayload(key, ref: ref, rule: rule)
        }

        /// The boxed reading for `key`, if made before.
        @inline(__always)
        func cachedPayload(_ key: Int) -> Found.Payload? {
            payloadSlot[UInt64(bitPattern: Int64(key))].map { payloadList[$0] }
        }

        /// Boxes the reading for `key` (not made before), in copies of the state's own.
        mutating func storePayload(_ key: Int, ref: ActorRef, rule: String) -> Found.Payload {
            payloadSlot.insert(UInt64(bitPattern: Int64(key)), payloadList.count)
            return appendPayload(ref: ref, rule: rule)
        }

        /// Boxes a reading in copies of the state's own and appends it to `payloadList`.
        mutating func appendPayload(ref: ActorRef, rule: String) -> Found.Payload {
            let p = Found.Payload(ref: ref.detached(), rule: ActorRef.detached(rule))
            payloadList.append(p)
            return p
        }

        init(doc: Document) { self.doc = doc }

        mutating func emit(_ f: Found) {
            found.append(f)
            if !separatists && ActorTagger.isSeparatist(f.payload.ref.id) { separatists = true }
            mentions.append(Mention(span: doc.span(of: f.start..<f.end), payload: .actor(f.ref), rule: f.rule))
            lastEnd = f.end
        }

        /// Per antecedent query: how many readings of `found` it has scanned, and the index of
        /// the nearest match among them (-1: none). `found` only grows: a later query scans only
        /// the readings added since, newest first, and keeps the old match when none of them fits.
        /// (a list: a document asks a few distinct queries, and a linear search of a few entries
        /// costs less than hashing into a dictionary)
        var antecedents: [(query: Int, scanned: Int, hit: Int)] = []

        /// The nearest earlier actor whose id is, or ends with, one of `suffixes`.
        /// `dotted`: the same suffixes with a leading dot; `keys`: their `IdSuffixKey`s. `query`
        /// names the suffix list (the same query always passes the same suffixes).
        mutating func antecedent(_ suffixes: [String], dotted: [String], keys: [IdSuffixKey], query: Int) -> Found? {
            let slot = antecedents.firstIndex { $0.query == query }
            let floor = slot.map { antecedents[$0].scanned } ?? 0
            var hit = slot.map { antecedents[$0].hit } ?? -1
            var k = found.count - 1
            scan: while k >= floor {
                let tails = found[k].payload.tails
                for j in keys.indices {
                    let key = keys[j]
                    if key.parts > 0 && tails[key.parts - 1] != key.hash { continue }
                    let id = found[k].payload.ref.id  // the id alone, not a copy of the whole reference
                    if id == suffixes[j] || ActorTagger.utf8(id, endsWith: dotted[j]) {
                        hit = k
                        break scan
                    }
                }
                k -= 1
            }
            if let slot { antecedents[slot] = (query, found.count, hit) } else { antecedents.append((query, found.count, hit)) }
            return hit >= 0 ? found[hit] : nil
        }
    }
}

/// The actor tagger's working storage, reused from one document to the next: the list of
/// readings found (emptied per document) and the readings composed from lexicon entries alone
/// (`State.payload`), kept while documents of the same tagger borrow it.
struct ActorScratch: ScratchStorage {
    var found: [ActorTagger.Found] = []
    var payloadSlot = GrowingIndexMap(capacity: 64)
    var payloadList: [ActorTagger.Found.Payload] = []
    var entrySlots: [Int32] = []
    /// The tagger whose readings `payloadList` holds, told by its `ruleMade` list: one buffer
    /// per tagger (copies of a tagger share it), held here so no other tagger's takes its address.
    var owner: [String] = []
    static let limit = 1 << 12

    /// Readies the storage for a document of `tagger`: the composed readings stay when they
    /// were made by the same tagger (its frozen lexicon), else they go.
    mutating func lend(to tagger: ActorTagger) {
        found.removeAll(keepingCapacity: true)
        let same = !owner.isEmpty && owner.withUnsafeBufferPointer { a in
            tagger.ruleMade.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress && a.count == b.count }
        }
        let entries = tagger.lex.named.count + tagger.lex.persons.count
        if !same || payloadList.count >= Self.limit || entrySlots.count != entries {
            payloadSlot.reset(capacity: 64)
            payloadList.removeAll(keepingCapacity: true)
            entrySlots = Array(repeating: -1, count: entries)
            owner = tagger.ruleMade
        }
    }
}

