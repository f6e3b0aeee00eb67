import SitrepAnnotate
import SitrepText

// One figure: its head, outcome, scope, part, claimant and side, and its provenance.
extension CasualtyExtractor {
    /// Appends the casualty a quantity reports to `out`; nothing when it is a trap, a count of
    /// things, or has no outcome.
    func figure(
        _ doc: Document, _ annotations: Annotations, _ claims: [Claim], _ q: Quantity, sentence: Range<Int>,
        sentenceIndex: Int,
        outcomes: ArraySlice<(start: Int, end: Int, o: Outcome)>, convention: [Int: String],
        scope sentenceScope: inout SentenceScope?, sentenceClaim: inout Int, into out: inout [Casualty]
    ) {
        let tokens = doc.tokens
        // the head noun: skip modifiers, capitalized words, hyphen compounds and ages
        var j = q.tokens.upperBound
        var victims: String?
        var victimRule: String?
        var headEnd = j
        var possessive = false
        var steps = 0
        var unknownSkipped: Int?
        while j < sentence.upperBound && steps < 6 {
            let t = tokens[j]
            if let m = victimNouns.longestFirst(tokens, at: j, limit: sentence.upperBound) {
                victims = m.value.victims
                victimRule = m.value.rule
                headEnd = m.end
                break
            }
            if keyPossessives.contains(t.key) { possessive = true }
            let joined = !t.has(.spaceBefore) && j > q.tokens.upperBound
            if modifiers.contains(t.key) || joined || (t.isCapitalized && t.isWord) || t.kind == .number {
                j += 1
                steps += 1
                continue
            }
            // one unknown word may stand before the noun ("two tribal elders"), never an outcome
            if unknownSkipped == nil && t.isWord && self.outcomes.longestEnd(tokens, at: j, limit: sentence.upperBound) == nil
                && !aux.contains(t.key)
            {
                unknownSkipped = j
                j += 1
                steps += 1
                continue
            }
            break
        }
        // "29 Houthis were killed": capitalized names stood for the people
        if victims == nil && j > q.tokens.upperBound && j < sentence.upperBound
            && (aux.contains(tokens[j].key) || self.outcomes.longestEnd(tokens, at: j, limit: sentence.upperBound) != nil)
            && tokens[j - 1].isCapitalized
        {
            victims = "people"
            headEnd = j
        }
        let qEnd = q.tokens.upperBound
        let isConvention = q.kind != .vague && convention[q.tokens.lowerBound] != nil
            || (q.kind != .vague && qEnd + 1 < sentence.upperBound && keyFatalities.contains(tokens[qEnd].key)
                && self.conventions.longestEnd(tokens, at: qEnd + 1, limit: sentence.upperBound) != nil)
        // traps are never figures; a year-like number is one only with a person noun ("2000 soldiers")
        if let trap = q.trap, victims == nil || trap != "year" || isConvention { return }
        if q.kind == .article && victims == nil { return }
        // "and possibly many more": a comparative, not a second count
        if victims == nil, q.tokens.upperBound < sentence.upperBound, tokens[q.tokens.upperBound].key == keyMore {
            return
        }
        if q.best == 0 { return }
        let next = victims != nil ? headEnd : q.tokens.upperBound
        // the outcome: an adjacent left phrase, else the nearest to the right, else the nearest left
        // (by index: no outcome is copied while looking)
        var chosenIndex: Int?
        for x in outcomes.indices where outcomes[x].o.left && outcomes[x].end <= q.tokens.lowerBound
            && onlyQuotes(tokens, outcomes[x].end, q.tokens.lowerBound)
        {
            chosenIndex = x
        }
        if chosenIndex == nil {
            for x in outcomes.indices where outcomes[x].o.right && outcomes[x].start >= next
                && outcomes[x].start - next <= outcomes[x].o.reach
            {
                var blocked = false
                for k in next..<outcomes[x].start where isClauseEdge(tokens, k) || negations.contains(tokens[k].key) {
                    blocked = true
                    break
                }
                if !blocked { chosenIndex = x; break }
            }
        }
        if chosenIndex == nil {
            for x in outcomes.indices.reversed() where outcomes[x].o.left && outcomes[x].end <= q.tokens.lowerBound
                && q.tokens.lowerBound - outcomes[x].end <= outcomes[x].o.reach
            {
                var blocked = false
                for k in outcomes[x].end..<q.tokens.lowerBound where isClauseEdge(tokens, k) { blocked = true; break }
                if !blocked { chosenIndex = x; break }
            }
        }
        let chosen = chosenIndex.map { outcomes[$0] }
        var head: String
        var outcome: String
        if isConvention {
            outcome = "killed"
            head = "convention:" + (convention[q.tokens.lowerBound] ?? "coded")
        } else if let c = chosen {
            // a headless figure needs its outcome right next to it ("5 killed", "killing 5", "5 were killed")
            if victims == nil {
                let adjacentLeft = c.end <= q.tokens.lowerBound && onlyQuotes(tokens, c.end, q.tokens.lowerBound)
                let nextIsVerb = next < sentence.upperBound && (aux.contains(tokens[next].key) || next == c.start)
                let farLeftNoun = c.o.reach >= 12  // "death toll ... N"
                if !(adjacentLeft || nextIsVerb || farLeftNoun) { return }
            }
            outcome = outcomeNames[Int(c.o.outcome)]
            head = outcomeRules[Int(c.o.rule)]
        } else {
            return
        }
        // scope and period
        // the same for every figure of the sentence: read once
        let sentenceScopeValue: SentenceScope
        if let known = sentenceScope {
            sentenceScopeValue = known
        } else {
            sentenceScopeValue = scopeOf(doc, annotations, sentence: sentence)
            sentenceScope = sentenceScopeValue
        }
        let scope = sentenceScopeValue.cumulative ? "cumulative" : "incident"
        let period = sentenceScopeValue.period
        let scopeRule: String? = sentenceScopeValue.rule >= 0 ? self.scope[sentenceScopeValue.rule].rule : nil
        // part of another figure: "including 13 children" (subset), "bringing the total to 3" (total)
        let part = partOf(tokens, q.tokens.lowerBound, sentence: sentence)
        // provenance, written once into a buffer of its final size:
        // [kind:part+]outcome[+scope]+quantity[+victims]
        var size = head.utf8.count + 1 + numbers.ruleUTF8Count(of: q)
        if let scopeRule { size += 1 + scopeRule.utf8.count }
        if let part { size += part.kind.utf8.count + part.rule.utf8.count + 2 }
        if let victimRule { size += 1 + victimRule.utf8.count }
        // the bytes copied straight into the string's own storage (one allocation, no appends)
        let rule = String(unsafeUninitializedCapacity: size) { buffer in
            var n = 0
            if let part {
                Self.put(part.kind, buffer, &n)
                Self.put(":", buffer, &n)
                Self.put(part.rule, buffer, &n)
                Self.put("+", buffer, &n)
            }
            Self.put(head, buffer, &n)
            if let scopeRule {
                Self.put("+", buffer, &n)
                Self.put(scopeRule, buffer, &n)
            }
            Self.put("+", buffer, &n)
            for k in 0..<q.rules.count {
                if k > 0 { Self.put("+", buffer, &n) }
                Self.put(numbers.ruleNames[Int(q.rules[k])], buffer, &n)
            }
            if let victimRule {
                Self.put("+", buffer, &n)
                Self.put(victimRule, buffer, &n)
            }
            return n
        }
        var lo = q.tokens.lowerBound, hi = Swift.max(q.tokens.upperBound, headEnd)
        if let c = chosen {
            lo = Swift.min(lo, c.start)
            hi = Swift.max(hi, c.end)
        }
        let span = doc.span(of: lo..<hi)
        let figureSpan = doc.span(of: q.tokens)
        // claimant: the claim whose content holds the figure, else a claim of the same sentence
        // (claims read in place through an unsafe view: no claim is copied while looking)
        var claimIndex = claims.withUnsafeBufferPointer { list -> Int in
            for k in 0..<list.count where list[k].content.contains(figureSpan) { return k }
            return -1
        }
        if claimIndex < 0 {
            if sentenceClaim == -2 {
                let sentenceSpan = doc.span(of: sentence)
                sentenceClaim = claims.withUnsafeBufferPointer { list -> Int in
                    for k in 0..<list.count
                    where sentenceSpan.overlaps(list[k].claimantSpan) || sentenceSpan.overlaps(list[k].verbSpan) {
                        return k
                    }
                    return -1
                }
            }
            claimIndex = sentenceClaim
        }
        let claimant: ActorRef? = claimIndex >= 0 ? claims[claimIndex].claimant : nil
        // side: "963 of their troops" → the claimant's side; "Azerbaijani soldiers" → that actor
        var side: String?
        if possessive, let c = claimant { side = c.id }
        let headSpan = doc.span(of: q.tokens.lowerBound..<Swift.max(q.tokens.upperBound, headEnd))
        if side == nil {
            // (the quantity lies in sentence `sentenceIndex`: no search for it)
            let sentenceSpan = doc.sentences[sentenceIndex].span
            // by index: only a mention over the head is read (`inside` would copy each one)
            let actors = annotations.actors
            var a = actors.firstIndex(startingAtOrAfter: sentenceSpan.start)
            while a < actors.count && actors[a].span.start < sentenceSpan.end {
                let mspan = actors[a].span
                if sentenceSpan.contains(mspan) && mspan.overlaps(headSpan), let country = actors[a].actor?.country {
                    side = country
                    break
                }
                a += 1
            }
        }
        out.append(Casualty(
            outcome: outcome, low: q.low, best: q.best, high: q.high, qualifier: q.qualifier,
            victims: victims ?? "people", side: side, scope: scope, period: period, claimant: claimant,
            span: span, figureSpan: figureSpan, rule: rule))
    }

    /// Copies `text`'s UTF-8 into `buffer` at `n` (the caller sized the buffer).
    @inline(__always)
    static func put(_ text: String, _ buffer: UnsafeMutableBufferPointer<UInt8>, _ n: inout Int) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, let to = buffer.baseAddress, bytes.count <= buffer.count - n else { return }
            (to + n).update(from: base, count: bytes.count)
            n += bytes.count
        }
    }

    /// A subset or total cue ending right before the figure (up to two tokens between: "including
    /// at least", "including two").
    func partOf(_ tokens: [Token], _ start: Int, sentence: Range<Int>) -> (kind: String, rule: String)? {
        var i = Swift.max(sentence.lowerBound, start - 9)
        var found: (kind: String, rule: String)?
        while i < start {
            if let m = parts.longestFirst(tokens, at: i, limit: start) {
                let v = m.value
                // right before the figure, or a coordinated second part: "including 7 children and 6 women"
                let coordinated = v.kind == "subset" && start - m.end <= 5 && start > 0
                    && (tokens[start - 1].key == keyAnd || tokens[start - 1].key == keyComma)
                if start - m.end <= 1 || coordinated { found = v }
            }
            i += 1
        }
        return found
    }
}
