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
    /// Per named actor and per person of the lexicon: its reading, boxed once at load (a match
    /// then costs a retain, not an allocation and four string copies).
    let namedPayloads: [Found.Payload]
    let personPayloads: [Found.Payload]

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
        namedPayloads = lexicon.named.map { Found.Payload(ref: $0.ref, rule: $0.provenance) }
        personPayloads = lexicon.persons.map { Found.Payload(ref: $0.ref, rule: $0.provenance) }
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

            init(ref: ActorRef, rule: String) {
                self.ref = ref
                self.rule = rule
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
            set { payload = Payload(ref: payload.ref, rule: newValue) }
        }
    }

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {
        var state = State(doc: doc)
        // about one actor mention per 40 tokens (denser in some texts): the lists rarely grow
        state.mentions.reserveCapacity(doc.tokens.count / 16 + 16)
        state.found.reserveCapacity(doc.tokens.count / 16 + 16)
        let tokens = doc.tokens
        let capitalized = TokenFlags.capitalized  // read once, not through its accessor per token
        // the scan reads tokens and filter words through unsafe views (no bounds checks per token)
        tokens.withUnsafeBufferPointer { tokens in
        startFilter.any.withUnsafeBufferPointer { anyBits in
        startFilter.capital.withUnsafeBufferPointer { capitalBits in
        quantifierFilter.any.withUnsafeBufferPointer { quantifierBits in
        for sentence in doc.sentences {
            let lo = sentence.tokens.lowerBound, limit = sentence.tokens.upperBound
            var i = lo
            while i < limit {
                let t = tokens[i]
                // cheap rejection: nothing can start at this token (filterSlot inlined)
                let h = Int(truncatingIfNeeded: (t.key ^ (t.key >> 29)) & 0xFFFF)
                let bit = UInt64(1) << UInt64(h & 63)
                let capital = t.flags.contains(capitalized)
                var possible = t.kind == .word && (anyBits[h >> 6] & bit != 0 || (capital && capitalBits[h >> 6] & bit != 0))
                if !possible && capital && t.kind == .word && !state.shortNames.isEmpty {
                    possible = state.shortNames[t.key] != nil
                }
                if !possible && i + 1 < limit && (t.kind == .number || t.kind == .word && quantifierBits[h >> 6] & bit != 0) {
                    // "three sources", "37 civilians": only when a group can follow
                    let n = tokens[i + 1]
                    let h2 = Int(truncatingIfNeeded: (n.key ^ (n.key >> 29)) & 0xFFFF)
                    let bit2 = UInt64(1) << UInt64(h2 & 63)
                    possible = anyBits[h2 >> 6] & bit2 != 0 || (n.flags.contains(capitalized) && capitalBits[h2 >> 6] & bit2 != 0)
                        || quantifierBits[h2 >> 6] & bit2 != 0
                }
                guard possible else {
                    i += 1
                    continue
                }
                if let f = match(at: i, lo: lo, limit: limit, &state) {
                    state.emit(f)
                    i = Swift.max(f.resume, i + 1)
                } else {
                    i += 1
                }
            }
        }
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
        annotations.actors.sort { $0.span < $1.span }
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
        /// once per document: see `ActorTagger.payloadKey`.
        var payloads: [Int: Found.Payload] = [:]

        /// The boxed reading for `key`, made by `make` the first time.
        mutating func payload(_ key: Int, _ make: () -> (ActorRef, String)) -> Found.Payload {
            if let p = payloads[key] { return p }
            let (ref, rule) = make()
            let p = Found.Payload(ref: ref, rule: rule)
            payloads[key] = p
            return p
        }

        init(doc: Document) { self.doc = doc }

        mutating func emit(_ f: Found) {
            found.append(f)
            if !separatists && ActorTagger.isSeparatist(f.payload.ref.id) { separatists = true }
            mentions.append(Mention(span: doc.span(of: f.start..<f.end), payload: .actor(f.ref), rule: f.rule))
            lastEnd = f.end
        }

        /// The nearest earlier actor whose id is, or ends with, one of `suffixes`.
        /// `dotted`: the same suffixes with a leading dot.
        func antecedent(_ suffixes: [String], dotted: [String]) -> Found? {
            var k = found.count - 1
            while k >= 0 {
                let id = found[k].payload.ref.id  // the id alone, not a copy of the whole reference
                for (j, s) in suffixes.enumerated() where id == s || ActorTagger.utf8(id, endsWith: dotted[j]) {
                    return found[k]
                }
                k -= 1
            }
            return nil
        }
    }

    // MARK: - Patterns

    /// The longest reading wins; on a tie a lexicon name (`named`) beats a composition. A static
    /// function over an `inout` best (not a local closure over a captured variable, which is boxed
    /// and checked for exclusive access at every call); the candidate is moved in, not copied.
    @inline(__always)
    static func consider(_ best: inout Found?, _ f: consuming Found?, named: Bool = false) {
        guard let end = f?.end else { return }
        if let b = best?.end, !(end > b || (named && end == b)) { return }
        best = f
    }

    func match(at i: Int, lo: Int, limit: Int, _ state: inout State) -> Found? {
        let tokens = state.doc.tokens
        var best: Found?

        // QUANTIFIER GROUP: "three sources", "two journalists", "a teenager", "5 civilians"
        if let q = quantifierEnd(at: i, limit: limit, tokens), q < limit,
            let m = lex.table.longest(tokens, at: q, limit: limit)
        {
            for v in m.values {
                if case .named(let k) = v, lex.named[k].ref.kind == .civilians || lex.named[k].ref.kind == .unidentifiedSources {
                    Self.consider(&best, Found(start: i, end: m.end, resume: m.end, payload: namedPayloads[k]))
                    break
                }
            }
        }

        var heads: [(end: Int, kind: ActorRef.Kind, rule: String)] = []
        lex.table.index.forEachMatch(tokens, at: i, limit: limit) { end, ids in
            for id in ids {
                switch lex.table.values[Int(id)] {
                case .named(let k):
                    var f = Found(start: i, end: end, resume: end, payload: namedPayloads[k])
                    let kind = lex.named[k].ref.kind
                    if kind == .government || kind == .internationalOrg, let p = titled(f, at: end, limit: limit, &state) {
                        f = p
                    }
                    Self.consider(&best, f, named: true)
                case .person(let k):
                    Self.consider(&best, Found(start: i, end: end, resume: end, payload: personPayloads[k]), named: true)
                    rememberShortName(lex.persons[k].ref, rule: lex.persons[k].provenance, nameEnd: end, &state)
                case .country(let p, let r):
                    if state.deFactoNamed == nil && lex.polities[p].deFacto { state.deFactoNamed = p }
                    Self.consider(&best, afterPolity(p, start: i, end: end, demonym: false, rule: r, lo: lo,
                                                     limit: limit, &state))
                case .demonym(let p, let r):
                    Self.consider(&best, afterPolity(p, start: i, end: end, demonym: true, rule: r, lo: lo,
                                                     limit: limit, &state))
                case .capital(let p, let r):
                    Self.consider(&best, capital(p, start: i, end: end, rule: lex.rules[Int(r)], lo: lo, limit: limit, tokens))
                case .organ(let o):
                    Self.consider(&best, organFirst(o, start: i, end: end, lo: lo, limit: limit, &state))
                case .title(let t):
                    Self.consider(&best, titleFirst(t, start: i, end: end, lo: lo, limit: limit, &state))
                case .head(let kind, let r):
                    heads.append((end, kind, lex.rules[Int(r)]))
                }
            }
            return true
        }
        // an organization no lexicon knows only when nothing known reads as long
        for h in heads {
            Self.consider(&best, unknownOrganization(head: i, end: h.end, kind: h.kind, rule: h.rule, lo: lo, limit: limit, &state))
        }
        if best == nil, !state.shortNames.isEmpty, tokens[i].has(.capitalized),
            let (ref, rule) = state.shortNames[tokens[i].key]
        {
            best = Found(start: i, end: i + 1, resume: i + 1, ref: ref, rule: rule + "+short-name")
        }
        return best
    }

    func quantifierEnd(at i: Int, limit: Int, _ tokens: [Token]) -> Int? {
        if tokens[i].kind == .number { return i + 1 }
        return lex.quantifiers.match(tokens, at: i, limit: limit)
    }

    /// A polity name or demonym at `start..<end`, and what follows it.
    func afterPolity(_ p: Int, start: Int, end: Int, demonym: Bool, rule ruleIndex: Int32, lo: Int, limit: Int,
                     _ state: inout State) -> Found? {
        let rule = lex.rules[Int(ruleIndex)]
        let tokens = state.doc.tokens
        let polity = lex.polities[p]
        var k = end
        let hasPossessive = k < limit && possessive.contains(tokens[k].key) && tokens[k].kind == .word
        if hasPossessive { k += 1 }

        // POLITY-made / -backed: the polity alone, as a state
        if !hasPossessive, k + 1 < limit, tokens[k].key == keyHyphen, !tokens[k].has(.spaceBefore),
            made.contains(tokens[k + 1].key)
        {
            let payload = state.payload(Self.payloadKey(0, p, Int(ruleIndex))) { (stateRef(polity), ruleMade[Int(ruleIndex)]) }
            return Found(start: start, end: end, resume: k + 2, payload: payload)
        }
        // POLITY ('s)? ORGAN / TITLE
        if let f = composed(polity, p, polityRule: rule, ruleIndex, start: start, at: k, lo: lo, limit: limit, &state) {
            return f
        }
        // POLITY ('s)? WEAPON: the polity's forces ("Azerbaijan's Smerch", "Armenian shelling")
        if k < limit, weapons.phrases.index.longest(tokens, at: k, limit: limit) != nil {
            let payload = state.payload(Self.payloadKey(1, p, Int(ruleIndex))) { (forces[p], ruleWeapon[Int(ruleIndex)]) }
            return Found(start: start, end: end, resume: end, payload: payload)
        }
        // "Armenian and Azerbaijani foreign ministers": the organ of the second polity
        if !hasPossessive, end + 1 < limit, coordinators.contains(tokens[end].key),
            let second = lex.table.longest(tokens, at: end + 1, limit: limit)
        {
            for v in second.values {
                switch v {
                case .country, .demonym:
                    var k2 = second.end
                    if k2 < limit && possessive.contains(tokens[k2].key) { k2 += 1 }
                    if var f = composed(polity, p, polityRule: rule, ruleIndex, start: start, at: k2, lo: lo, limit: limit,
                                        &state) {
                        f.end = end
                        f.resume = end
                        f.rule += "+coordination"
                        return f
                    }
                default: continue
                }
            }
        }
        // a bare country name is the state acting, unless it is a place ("in Azerbaijan", "Ganja, Azerbaijan's city")
        guard !demonym, !polity.deFacto, !hasPossessive else { return nil }
        let afterPlace = start >= 2 && start - 1 == state.placeEnd + 1 && coordinators.contains(tokens[start - 1].key)
        if (start > lo && prepositions.contains(tokens[start - 1].key)) || afterPlace {
            state.placeEnd = end - 1
            return nil
        }
        let payload = state.payload(Self.payloadKey(2, p, Int(ruleIndex))) { (stateRef(polity), ruleState[Int(ruleIndex)]) }
        return Found(start: start, end: end, resume: end, payload: payload)
    }

    /// ORGAN or TITLE right after a polity (at token `k`).
    /// `p` is the polity's index, `ruleIndex` the index of `polityRule` in `lex.rules`.
    func composed(_ polity: ActorLexicon.Polity, _ p: Int, polityRule: String, _ ruleIndex: Int32, start: Int, at k: Int,
                  lo: Int, limit: Int, _ state: inout State) -> Found? {
        let tokens = state.doc.tokens
        guard k < limit, let m = lex.table.longest(tokens, at: k, limit: limit) else { return nil }
        for v in m.values {
            switch v {
            case .organ(let o):
                let organ = lex.organs[o]
                let end = m.end
                // "Armenian Ministry of Education": a ministry the lexicon does not list
                if organ.suffix == "GOV.MIN", end + 1 < limit, tokens[end].key == keyOf, tokens[end + 1].has(.capitalized),
                    tokens[k].has(.capitalized)
                {
                    var j = end + 1
                    while j < limit && tokens[j].kind == .word && tokens[j].has(.capitalized) && !notNames.contains(tokens[j].key) {
                        j += 1
                    }
                    let ref = ActorRef(id: polity.prefix + "." + Self.idWords(state.doc, k..<j),
                                       name: "\(polity.name) \(state.doc.text(of: k..<j))", country: polity.country,
                                       kind: .government)
                    let f = Found(start: start, end: j, resume: j, ref: ref, rule: polityRule + "+" + organ.provenance)
                    return titled(f, at: j, limit: limit, &state) ?? f
                }
                let payload = state.payload(Self.payloadKey(3, p, Int(ruleIndex), o)) {
                    (organRef(polity, organ), polityRule + "+" + organ.provenance)
                }
                let f = Found(start: start, end: end, resume: end, payload: payload)
                return titled(f, at: end, limit: limit, &state) ?? f
            case .title(let t):
                let title = lex.titles[t]
                let id = polity.prefix + "." + (title.organ ? "GOV." : "") + title.suffix
                let base = ActorRef(id: id, name: "\(polity.name) \(title.name)", country: polity.country, kind: .person)
                return person(base, start: start, titleEnd: m.end, rule: polityRule + "+" + title.provenance,
                              limit: limit, &state)
            default: continue
            }
        }
        return nil
    }

    /// An organ followed by a title for organs: "defence ministry spokesman Vagif Dargahli".
    func titled(_ organ: Found, at k: Int, limit: Int, _ state: inout State) -> Found? {
        let tokens = state.doc.tokens
        guard k < limit, let m = lex.table.longest(tokens, at: k, limit: limit) else { return nil }
        for v in m.values {
            guard case .title(let t) = v, lex.titles[t].organ else { continue }
            let title = lex.titles[t]
            let base = ActorRef(id: organ.ref.id + "." + title.suffix, name: "\(organ.ref.name) \(title.name)",
                                country: organ.ref.country, kind: .person)
            return person(base, start: organ.start, titleEnd: m.end, rule: organ.rule + "+" + title.provenance,
                          limit: limit, &state)
        }
        return nil
    }

    /// A person with a role: the role's id, the name captured after the title when there is one.
    func person(_ base: ActorRef, start: Int, titleEnd: Int, rule: String, limit: Int, _ state: inout State) -> Found {
        let nameEnd = captureName(at: titleEnd, limit: limit, state.doc.tokens)
        var ref = base
        if nameEnd > titleEnd {
            ref.name = state.doc.text(of: titleEnd..<nameEnd)
            rememberShortName(ref, rule: rule, nameEnd: nameEnd, &state)
        }
        return Found(start: start, end: nameEnd, resume: nameEnd, ref: ref, rule: rule)
    }

    /// Capitalized words after a title: "Vladimir Putin", "Bashar al-Assad".
    func captureName(at k: Int, limit: Int, _ tokens: [Token]) -> Int {
        var j = k
        var words = 0
        while j < limit && words < 5 {
            let t = tokens[j]
            if t.kind == .word && t.has(.capitalized) && !t.has(.allCaps) && !notNames.contains(t.key)
                && !possessive.contains(t.key)
            {
                j += 1
                words += 1
                continue
            }
            // joined pieces: al-Assad, Abd-Rabbu
            if words > 0 || nameParticles.contains(t.key), t.key == keyHyphen || nameParticles.contains(t.key),
                !(t.key == keyHyphen && t.has(.spaceBefore)), j + 1 < limit
            {
                let next = tokens[j + 1]
                if (next.kind == .word && next.has(.capitalized)) || (next.key == keyHyphen && !next.has(.spaceBefore)) {
                    j += 1
                    continue
                }
            }
            break
        }
        // never end on a joiner
        while j > k && (tokens[j - 1].key == keyHyphen || nameParticles.contains(tokens[j - 1].key)) { j -= 1 }
        return words > 0 ? j : k
    }

    func rememberShortName(_ ref: ActorRef, rule: String, nameEnd: Int, _ state: inout State) {
        let tokens = state.doc.tokens
        guard nameEnd >= 2, tokens[nameEnd - 1].kind == .word, tokens[nameEnd - 2].kind == .word else { return }
        state.shortNames[tokens[nameEnd - 1].key] = (ref, rule)
    }

    /// Capital as metonym for the government: "Baku said", "according to Moscow's information".
    func capital(_ p: Int, start: Int, end: Int, rule: String, lo: Int, limit: Int, _ tokens: [Token]) -> Found? {
        let polity = lex.polities[p]
        var ok = false
        if end < limit && reportingVerbs.contains(tokens[end].key) { ok = true }
        if end + 1 < limit && possessive.contains(tokens[end].key) && sourceNouns.contains(tokens[end + 1].key) { ok = true }
        if start - 2 >= lo && tokens[start - 2].key == keyAccording && tokens[start - 1].key == keyTo { ok = true }
        guard ok else { return nil }
        let id = polity.deFacto ? (polity.authority ?? polity.prefix + ".GOV") : polity.prefix + ".GOV"
        let ref = ActorRef(id: id, name: "\(polity.name) government", country: polity.country,
                           kind: polity.deFacto ? .deFactoAuthority : .government)
        return Found(start: start, end: end, resume: end, ref: ref, rule: rule + "+capital")
    }

    /// An organ with no polity before it: "the Ministry of Defence of Azerbaijan", "officials in
    /// Azerbaijan", "the ministry" (an earlier ministry), "officials" (country unknown).
    func organFirst(_ o: Int, start: Int, end: Int, lo: Int, limit: Int, _ state: inout State) -> Found? {
        let tokens = state.doc.tokens
        let organ = lex.organs[o]
        if end + 1 < limit, link.contains(tokens[end].key),
            tokens[end].key == keyOf || organ.kind == .government
        {
            var k = end + 1
            if k < limit && determiners.contains(tokens[k].key) { k += 1 }
            if let m = lex.table.longest(tokens, at: k, limit: limit) {
                for v in m.values {
                    guard case .country(let p, let r) = v else { continue }
                    let payload = state.payload(Self.payloadKey(4, p, Int(r), o)) {
                        (organRef(lex.polities[p], organ), organ.provenance + "+" + lex.rules[Int(r)])
                    }
                    let f = Found(start: start, end: m.end, resume: m.end, payload: payload)
                    return titled(f, at: m.end, limit: limit, &state) ?? f
                }
            }
        }
        // "the ministry" refers back; so does a bare ministry ("Interior Ministry spokesman")
        let definite = start > lo && determiners.contains(tokens[start - 1].key)
        if definite || organ.suffix.hasPrefix("GOV.M"), let a = state.antecedent(organ.refers, dotted: organ.refersDotted) {
            let f = Found(start: start, end: end, resume: end, ref: a.ref, rule: organ.provenance + "+refers-back")
            return titled(f, at: end, limit: limit, &state) ?? f
        }
        let payload = state.payload(Self.payloadKey(5, o, 0)) {
            (ActorRef(id: organ.suffix, name: organ.name, country: nil, kind: organ.kind), organ.provenance + "+bare")
        }
        let f = Found(start: start, end: end, resume: end, payload: payload)
        if let t = titled(f, at: end, limit: limit, &state) { return t }
        return organ.bare ? f : nil
    }

    /// A title with no polity before it: "President Ilham Aliyev", "the President of Azerbaijan",
    /// "the president" (an earlier president).
    func titleFirst(_ t: Int, start: Int, end: Int, lo: Int, limit: Int, _ state: inout State) -> Found? {
        let tokens = state.doc.tokens
        let title = lex.titles[t]
        if end + 1 < limit, tokens[end].key == keyOf {
            var k = end + 1
            if k < limit && determiners.contains(tokens[k].key) { k += 1 }
            if let m = lex.table.longest(tokens, at: k, limit: limit) {
                for v in m.values {
                    guard case .country(let p, let r) = v else { continue }
                    let rule = lex.rules[Int(r)]
                    let polity = lex.polities[p]
                    let id = polity.prefix + "." + (title.organ ? "GOV." : "") + title.suffix
                    let base = ActorRef(id: id, name: "\(polity.name) \(title.name)", country: polity.country, kind: .person)
                    return person(base, start: start, titleEnd: m.end, rule: title.provenance + "+" + rule,
                                  limit: limit, &state)
                }
            }
        }
        let nameEnd = captureName(at: end, limit: limit, tokens)
        if nameEnd > end {
            // a known person keeps their id; otherwise a generated one
            if let m = lex.table.longest(tokens, at: end, limit: limit), m.end == nameEnd {
                for v in m.values {
                    guard case .person(let k) = v else { continue }
                    let p = lex.persons[k]
                    rememberShortName(p.ref, rule: p.provenance, nameEnd: nameEnd, &state)
                    return Found(start: start, end: nameEnd, resume: nameEnd, ref: p.ref,
                                 rule: title.provenance + "+" + p.provenance)
                }
            }
            let name = state.doc.text(of: end..<nameEnd)
            let ref = ActorRef(id: "PER." + Self.idWords(state.doc, end..<nameEnd), name: name, country: nil, kind: .person)
            rememberShortName(ref, rule: title.provenance, nameEnd: nameEnd, &state)
            return Found(start: start, end: nameEnd, resume: nameEnd, ref: ref, rule: title.provenance + "+name")
        }
        if start > lo, determiners.contains(tokens[start - 1].key), let a = state.antecedent([title.suffix], dotted: ["." + title.suffix]) {
            return Found(start: start, end: end, resume: end, ref: a.ref, rule: title.provenance + "+refers-back")
        }
        return nil
    }

    /// Capitalized words ending in an organization head noun: "the Xyz Brigade" → X.XYZ_BRIGADE,
    /// "the Ministry of Agriculture of Georgia" → GEO.MINISTRY_OF_AGRICULTURE.
    func unknownOrganization(head: Int, end: Int, kind: ActorRef.Kind, rule: String, lo: Int, limit: Int,
                             _ state: inout State) -> Found? {
        let tokens = state.doc.tokens
        guard tokens[head].has(.capitalized) else { return nil }
        var start = head
        let floor = Swift.max(lo, state.lastEnd)
        while start - 1 >= floor {
            let t = tokens[start - 1]
            guard t.kind == .word, t.has(.capitalized), !determiners.contains(t.key), !notNames.contains(t.key),
                !possessive.contains(t.key)
            else { break }
            start -= 1
        }
        var stop = end
        // "Ministry of Agriculture", "Army of Islam": of + capitalized words
        if stop + 1 < limit, tokens[stop].key == keyOf, tokens[stop + 1].has(.capitalized),
            !isPolityAt(stop + 1, limit: limit, tokens)
        {
            var j = stop + 1
            while j < limit && tokens[j].kind == .word && tokens[j].has(.capitalized) && !notNames.contains(tokens[j].key) {
                j += 1
            }
            stop = j
        }
        // more heads: "Revolutionary Guard Corps"
        while stop < limit, let m = lex.table.longest(tokens, at: stop, limit: limit), tokens[stop].has(.capitalized),
            m.values.contains(where: { if case .head = $0 { true } else { false } })
        {
            stop = m.end
        }
        guard start < head || stop > end else { return nil }
        // a sentence-initial single word before the head is too weak ("Later Army units")
        if start == lo && head - start == 1 && stop == end { return nil }
        var prefix = "X"
        var country: String?
        var resume = stop
        if stop + 1 < limit, tokens[stop].key == keyOf {
            var k = stop + 1
            if k < limit && determiners.contains(tokens[k].key) { k += 1 }
            if let m = lex.table.longest(tokens, at: k, limit: limit) {
                for v in m.values {
                    guard case .country(let p, _) = v else { continue }
                    prefix = lex.polities[p].prefix
                    country = lex.polities[p].country
                    resume = m.end
                    break
                }
            }
        }
        let ref = ActorRef(id: prefix + "." + Self.idWords(state.doc, start..<stop), name: state.doc.text(of: start..<stop),
                           country: country, kind: kind)
        return Found(start: start, end: resume, resume: resume, ref: ref, rule: rule + "+unknown-organization")
    }

    func isPolityAt(_ k: Int, limit: Int, _ tokens: [Token]) -> Bool {
        guard let m = lex.table.longest(tokens, at: k, limit: limit) else { return false }
        return m.values.contains { if case .country = $0 { true } else { false } }
    }

    // MARK: - Refs

    /// The `State.payloads` key of a reading made of lexicon entries only: what it is (`kind`)
    /// and the indices it is made of (each below 2^20).
    @inline(__always)
    static func payloadKey(_ kind: Int, _ a: Int, _ b: Int, _ c: Int = 0) -> Int {
        kind << 60 | a << 40 | b << 20 | c
    }

    /// "SEPARATIST.AUTH", "SEPARATIST.MIL": placeholders for the article's de facto polity.
    static func isSeparatist(_ id: String) -> Bool {
        // most ids are short ("AZE.MIL"): the length test rejects them before any byte is read
        id.utf8.count >= 11 && id.utf8.first == 0x53 && id.utf8.starts(with: "SEPARATIST.".utf8)
    }

    /// A byte-wise suffix test (ids are ASCII; `String.hasSuffix` compares by grapheme and costs
    /// far more on this path).
    static func utf8(_ s: String, endsWith suffix: String) -> Bool {
        let bytewise = s.utf8.withContiguousStorageIfAvailable { a in
            suffix.utf8.withContiguousStorageIfAvailable { b in
                a.count >= b.count && UnsafeBufferPointer(rebasing: a[(a.count - b.count)...]).elementsEqual(b)
            }
        }
        return bytewise.flatMap { $0 } ?? s.hasSuffix(suffix)
    }

    func stateRef(_ polity: ActorLexicon.Polity) -> ActorRef {
        ActorRef(id: polity.prefix, name: polity.name, country: polity.country,
                 kind: polity.deFacto ? .deFactoAuthority : .government)
    }

    func forcesRef(_ polity: ActorLexicon.Polity) -> ActorRef {
        Self.forcesRef(of: polity)
    }

    static func forcesRef(of polity: ActorLexicon.Polity) -> ActorRef {
        ActorRef(id: polity.prefix + ".MIL", name: "\(polity.name) armed forces", country: polity.country,
                 kind: polity.deFacto ? .deFactoAuthority : .stateMilitary)
    }

    func organRef(_ polity: ActorLexicon.Polity, _ organ: ActorLexicon.Organ) -> ActorRef {
        var id = polity.prefix + "." + organ.suffix
        var kind = organ.kind
        if polity.deFacto {
            if organ.suffix == "GOV", let a = polity.authority { id = a }
            if kind == .government || kind == .stateMilitary { kind = .deFactoAuthority }
        }
        return ActorRef(id: id, name: "\(polity.name) \(organ.name)", country: polity.country, kind: kind)
    }

    /// Folded words of a token range as an id part: "Xyz Brigade" → "XYZ_BRIGADE".
    static func idWords(_ doc: Document, _ range: Range<Int>) -> String {
        var out: [UInt8] = []
        for i in range where doc.tokens[i].kind == .word || doc.tokens[i].kind == .number {
            if !out.isEmpty { out.append(0x5F) }
            for b in Fold.fold(doc.text(of: i)).utf8 {
                if b >= 0x61 && b <= 0x7A { out.append(b - 0x20) } else if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) {
                    out.append(b)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
