import SitrepLanguage
import SitrepText

/// The patterns: what may follow or precede a lexicon phrase, and the reading it makes.
extension ActorTagger {
    /// The longest reading wins; on a tie a lexicon name (`named`) beats a composition. A static
    /// function over an `inout` best (not a local closure over a captured variable, which is boxed
    /// and checked for exclusive access at every call); the candidate is moved in, not copied.
    @inline(__always)
    static func consider(_ best: inout Found?, _ f: consuming Found?, named: Bool = false) {
        guard let end = f?.end else { return }
        if let b = best?.end, !(end > b || (named && end == b)) { return }
        best = f
    }

    /// `quantifier`: the token's start mark has `StartMarks.quantifier` (a number, or a word a
    /// quantifier may start with); without it no quantifier group starts here. `tokens`: the
    /// document's tokens, passed borrowed by the scan (read from `state` they are retained and
    /// released per call).
    func match(at i: Int, lo: Int, limit: Int, quantifier: Bool, _ tokens: [Token], _ state: inout State) -> Found? {
        var best: Found?

        // QUANTIFIER GROUP: "three sources", "two journalists", "a teenager", "5 civilians"
        if quantifier, let q = quantifierEnd(at: i, limit: limit, tokens), q < limit,
            let m = lex.table.longest(tokens, at: q, limit: limit)
        {
            for v in m.values {
                if case .named(let k) = v, lex.named[k].ref.kind == .civilians || lex.named[k].ref.kind == .unidentifiedSources {
                    Self.consider(&best, Found(start: i, end: m.end, resume: m.end, payload: namedPayload(k, &state)))
                    break
                }
            }
        }

        // heads are rare (about one call in 75): no list, not even an empty one, until one is found
        var heads: [(end: Int, kind: ActorRef.Kind, rule: String)]?
        lex.table.index.forEachMatch(tokens, at: i, limit: limit) { end, id in
            switch lex.table.values[Int(id)] {
            case .named(let k):
                var f = Found(start: i, end: end, resume: end, payload: namedPayload(k, &state))
                let kind = lex.named[k].ref.kind
                if kind == .government || kind == .internationalOrg, let p = titled(f, at: end, limit: limit, &state) {
                    f = p
                }
                Self.consider(&best, f, named: true)
            case .person(let k):
                let payload = personPayload(k, &state)
                Self.consider(&best, Found(start: i, end: end, resume: end, payload: payload), named: true)
                rememberShortName(payload.ref, rule: payload.rule, nameEnd: end, &state)
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
                let head = (end: end, kind: kind, rule: lex.rules[Int(r)])
                if heads == nil { heads = [head] } else { heads?.append(head) }
            }
            return true
        }
        // an organization no lexicon knows only when nothing known reads as long
        if let heads {
            for h in heads {
                Self.consider(&best, unknownOrganization(head: i, end: h.end, kind: h.kind, rule: h.rule, lo: lo, limit: limit, &state))
            }
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
        if definite || organ.ministry,
            let a = state.antecedent(organ.refers, dotted: organ.refersDotted, keys: organ.refersKeys, query: o)
        {
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
                    let p = personPayload(k, &state)
                    rememberShortName(p.ref, rule: p.rule, nameEnd: nameEnd, &state)
                    return Found(start: start, end: nameEnd, resume: nameEnd, ref: p.ref,
                                 rule: title.provenance + "+" + p.rule)
                }
            }
            let name = state.doc.text(of: end..<nameEnd)
            let ref = ActorRef(id: "PER." + Self.idWords(state.doc, end..<nameEnd), name: name, country: nil, kind: .person)
            rememberShortName(ref, rule: title.provenance, nameEnd: nameEnd, &state)
            return Found(start: start, end: nameEnd, resume: nameEnd, ref: ref, rule: title.provenance + "+name")
        }
        if start > lo, determiners.contains(tokens[start - 1].key),
            let a = state.antecedent(title.suffixes, dotted: title.dottedSuffixes, keys: title.suffixKeys, query: 1 << 32 | t)
        {
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
}
