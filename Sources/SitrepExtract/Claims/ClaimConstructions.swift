import SitrepAnnotate
import SitrepText

// The constructions a reporting verb heads: X said (that) CONTENT, "QUOTE," said X, CONTENT – a
// claim denied by X, according to X, passives (see ClaimExtractor's documentation).
extension ClaimExtractor.Run {
    mutating func claim(_ verb: ClaimExtractor.Verb, _ vr: Range<Int>, sentence s: Int, lo: Int, hi: Int) {
        let v = vr.lowerBound
        if cover[v] >= 0 && verb.frame != .according { return }
        // negation: "did not say", "has not disclosed", "declined to confirm"
        if negators.endsAt(tokens, v, floor: lo) { return }
        if v - 1 >= lo && adverbs.contains(tokens[v - 1].key) && negators.endsAt(tokens, v - 1, floor: lo) { return }
        // a negated subject: "No injuries were reported", "no one claimed responsibility"
        // (no closure here: one capturing `self` in this mutating method copies the whole state)
        let keyComma = x.keyComma, keySemicolon = x.keySemicolon
        var k = v - 1
        while k >= lo {
            let key = tokens[k].key
            if key == keyComma || key == keySemicolon { break }
            if negators.contains(key) { return }
            k -= 1
        }
        let verbSpan = doc.span(of: vr)
        let e = vr.upperBound

        switch verb.frame {
        case .according:
            accordingTo(verb, vr, sentence: s, lo: lo, hi: hi)
            return
        case .passive:
            var claimant = Claimant(source: .unnamed, span: verbSpan, first: v, plural: true)
            if e + 1 < hi && tokens[e].key == x.keyBy, let a = mention(startingAt: e + 1, hi: hi),
                let c = self.claimant(mention: a)
            {
                claimant = c
            }
            let content: Span
            if e < hi && complementizers.contains(tokens[e].key) {
                content = trimmed(e + 1, hi)
            } else {
                content = trimmed(lo, hi)
            }
            add(Claim(claimant: ref(claimant.source), claimantSpan: claimant.span, verb: verbText(verb, vr), verbSpan: verbSpan,
                      stance: verb.stance, content: content, rule: verb.rule(.passive)),
                sentence: s, plural: claimant.plural)
            return
        default:
            break
        }
        // a noun, not a verb: "a claim", "the reports"
        if v - 1 >= lo && determiners.contains(tokens[v - 1].key) && !isPronoun(v - 1) { return }

        // CONTENT – a claim denied by X / reported by X
        if e + 1 < hi && tokens[e].key == x.keyBy {
            guard let a = mention(startingAt: e + 1, hi: hi), let c = claimant(mention: a) else { return }
            byAgent(verb, vr, c, sentence: s, lo: lo, hi: hi)
            return
        }

        var who = subject(before: v, sentence: s, lo: lo, frame: verb.frame)
        // the rule's suffixes, joined once at the end: "+inverted" or "+participle", then at most
        // one of the content constructions
        var first = ClaimExtractor.Verb.Suffix.none
        var suffix = ClaimExtractor.Verb.Suffix.none
        var content: Span?
        // "QUOTE," said X / CONTENT, said X
        // (not a participle: in "..., saying X", X is what is said, not who says it)
        if who == nil && (verb.frame == .say || verb.frame == .sayClause), !isParticiple(vr), v - 1 >= lo,
            tokens[v - 1].key == x.keyComma || isQuoteMark(v - 1),
            let a = mention(startingAt: e, hi: hi), let c = claimant(mention: a)
        {
            who = c
            content = backwardContent(lo: lo, before: v)
            first = .inverted
        }
        // "The ministry issued a statement, saying ...": the subject of the main clause
        if who == nil && isParticiple(vr) {
            var j = lo
            while j < v && who == nil {
                if startAt[j] >= 0, let c = claimant(mention: Int(startAt[j])) {
                    who = c
                    first = .participle
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
                suffix = .quoteBefore
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
                    suffix = .clauseFinal
                } else if who.first == lo, s > 0, let q = quoteEndingSentence(s - 1) {
                    // "QUOTE." X said.
                    content = inner(q)
                    suffix = .quotePreviousSentence
                } else if who.first - 1 > lo, let back = backwardContent(lo: lo, before: who.first) {
                    // "... '' he said." (quotation marks the tokenizer does not pair)
                    content = back
                    suffix = .clauseFinal
                } else {
                    content = Span(verbSpan.end, verbSpan.end)
                }
            } else {
                // verbs that also take plain objects need a clause: "maintained that", not "maintained a moratorium"
                if verb.frame == .sayClause && p == contentStartPlain(after: e, hi: hi) && !isQuoteMark(p)
                    && tokens[p].key != x.keyColon && !(p > e && complementizers.contains(tokens[p - 1].key))
                {
                    return
                }
                content = forwardContent(from: p, hi: hi)
                if tokens[p].key == x.keyQuote { suffix = .quoteAfter }
            }
        }
        let rule = first == .none ? verb.rule(suffix) : suffix == .none ? verb.rule(first) : verb.rule(first) + suffix.text
        let whoRef = ref(who.source)
        var claim = Claim(claimant: whoRef, claimantSpan: who.span, verb: verbText(verb, vr), verbSpan: verbSpan,
                          stance: verb.stance, content: content ?? Span(verbSpan.end, verbSpan.end), rule: rule)
        if verb.stance == "denies" {
            claim.denies = deniedClaim(by: whoRef, sentence: s)
        }
        add(consume claim, sentence: s, plural: who.plural)  // moved into the list, not copied
    }

    /// The verb phrase as written: the verb's lexicon form (shared, no String built) when the
    /// document's bytes are exactly that form, else `doc.text(of: vr)`.
    mutating func verbText(_ verb: ClaimExtractor.Verb, _ vr: Range<Int>) -> String {
        guard !vr.isEmpty else { return doc.text(of: vr) }
        let start = Int(tokens[vr.lowerBound].start), end = Int(tokens[vr.upperBound - 1].end)
        let surface = verb.surfaceBytes
        let n = surface.count
        guard end - start == n, start >= 0 else { return doc.text(of: vr) }
        let same = doc.bytes.withUnsafeBufferPointer { bytes in
            surface.withUnsafeBufferPointer { form in
                guard end <= bytes.count else { return false }
                var k = 0
                while k < n && bytes[start &+ k] == form[k] { k &+= 1 }
                return k == n
            }
        }
        return same ? verb.surface : doc.text(of: vr)
    }

    /// A verb phrase ending in "-ing" ("saying", "claiming").
    mutating func isParticiple(_ vr: Range<Int>) -> Bool {
        let t = tokens[vr.upperBound - 1]
        let e = Int(t.end)
        guard t.length > 4 else { return false }
        let b = doc.bytes
        return b[e - 3] | 0x20 == 0x69 && b[e - 2] | 0x20 == 0x6E && b[e - 1] | 0x20 == 0x67
    }

    mutating func quoteEndingSentence(_ s: Int) -> Range<Int>? {
        let r = doc.sentences[s].tokens
        var k = r.upperBound - 1
        while k >= r.lowerBound && tokens[k].kind == .punct && !isQuoteMark(k) { k -= 1 }
        guard k >= r.lowerBound, isQuoteMark(k) else { return nil }
        return quote(closingAt: k)
    }

    /// "CONTENT – a claim denied by X": the denial answers the claim just made.
    mutating func byAgent(_ verb: ClaimExtractor.Verb, _ vr: Range<Int>, _ who: Claimant, sentence s: Int, lo: Int, hi: Int) {
        let v = vr.lowerBound
        // the noun phrase before the verb ("a claim") starts after the last punctuation
        var np = v
        while np - 1 >= lo && tokens[np - 1].kind == .word { np -= 1 }
        let whoRef = ref(who.source)
        let denied = verb.stance == "denies" ? deniedClaim(by: whoRef, sentence: s) : nil
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
        var claim = Claim(claimant: whoRef, claimantSpan: who.span, verb: verbText(verb, vr), verbSpan: doc.span(of: vr),
                          stance: verb.stance, content: content, rule: verb.rule(.byAgent))
        claim.denies = denied
        add(consume claim, sentence: s, plural: who.plural)  // moved into the list, not copied
    }

    /// "according to X, CONTENT" / "CONTENT, according to X" / "citing X".
    mutating func accordingTo(_ verb: ClaimExtractor.Verb, _ vr: Range<Int>, sentence s: Int, lo: Int, hi: Int) {
        let e = vr.upperBound
        var who: Claimant
        // the actor of a `custom` claimant (an unnamed source named by its words)
        var custom = x.unnamedSource
        var srcEnd: Int
        if let a = mention(startingAt: e, hi: hi), let c = claimant(mention: a) {
            who = c
            srcEnd = ranges[a].upperBound
        } else {
            // an unnamed source: "according to a statement", "according to figures"
            var j = e
            while j < hi && tokens[j].kind == .word && j < e + 6 { j += 1 }
            guard j > e else { return }
            custom = ActorRef(id: "UNID.SOURCES", name: doc.text(of: e..<j), country: nil, kind: .unidentifiedSources)
            who = Claimant(source: .custom, span: doc.span(of: e..<j), first: e, plural: true)
            srcEnd = j
        }
        // "Moscow's information", "ministry figures"
        if srcEnd + 1 < hi && tokens[srcEnd].key == x.keyPossessive && sourceNouns.contains(tokens[srcEnd + 1].key) {
            srcEnd += 2
        } else if srcEnd < hi && sourceNouns.contains(tokens[srcEnd].key) {
            srcEnd += 1
        }
        who.span = doc.span(of: doc.tokenIndex(atOrAfter: who.span.start)..<srcEnd)
        var rule: String
        // after the source: "according to X, CONTENT"; else before: "CONTENT, according to X"
        var p = srcEnd
        if p < hi && tokens[p].key == x.keyComma { p += 1 }
        let content: Span
        if p < hi && !(p + 1 == hi && tokens[p].kind == .punct) && srcEnd < hi && tokens[srcEnd].key == x.keyComma {
            content = trimmed(p, hi)
            rule = verb.rule(.sourceFirst)
        } else {
            var end = vr.lowerBound
            if end - 1 >= lo && tokens[end - 1].key == x.keyComma { end -= 1 }
            // the clause it qualifies starts after a "that" or the start of the sentence
            var start = lo
            if let c = lastClaim(inSentence: s) {
                let cs = doc.tokenIndex(atOrAfter: claims[c].content.start)
                if cs < end { start = cs }
            }
            content = trimmed(start, end)
            rule = verb.rule(.sourceLast)
        }
        var whoRef = who.source == .custom ? custom : ref(who.source)
        // a speaker's own side as source ("Putin said that according to Moscow's information"):
        // the figure is the speaker's
        if let c = lastClaim(inSentence: s), claims[c].content.contains(doc.span(of: vr)),
            let a = claims[c].claimant.country, a == whoRef.country, claims[c].claimant.id != whoRef.id
        {
            who = Claimant(source: .claim(c), span: claims[c].claimantSpan, first: who.first, plural: claimPlural[c])
            whoRef = claims[c].claimant
            rule += "+speaker-source"
        }
        add(Claim(claimant: whoRef, claimantSpan: who.span, verb: verbText(verb, vr), verbSpan: doc.span(of: vr),
                  stance: verb.stance, content: content, rule: rule),
            sentence: s, plural: who.plural)
    }
}
