import SitrepAnnotate
import SitrepText

// One figure: its head, outcome, scope, part, claimant and side, and its provenance.
extension CasualtyExtractor {
    /// Appends the casualty a quantity reports to `out`; nothing when it is a trap, a count of
    /// things, or has no outcome.
    func figure(
        _ doc: Document, _ annotations: Annotations, _ claims: [Claim], _ q: UnsafePointer<Quantity>, sentence: Range<Int>,
        sentenceIndex: Int,
        outcomes: ArraySlice<(start: Int, end: Int, o: Outcome)>, convention: [Int: Int32],
        scope sentenceScope: inout SentenceScope?, sentenceClaim: inout Int, into out: inout [Casualty]
    ) {
        let tokens = doc.tokens
        // the head noun: skip modifiers, capitalized words, hyphen compounds and ages
        var j = q.pointee.tokens.upperBound
        var victims: String?
        /// The victim noun's row (its index in `victimNouns`; -1: none).
        var victimRow: Int32 = -1
        var headEnd = j
        var possessive = false
        var steps = 0
        var unknownSkipped: Int?
        while j < sentence.upperBound && steps < 6 {
            let t = tokens[j]
            if let m = victimNouns.longestFirstIndex(tokens, at: j, limit: sentence.upperBound) {
                victims = victimNouns[m.index].victims
                victimRow = m.index
                headEnd = m.end
                break
            }
            if keyPossessives.contains(t.key) { possessive = true }
            let joined = !t.has(.spaceBefore) && j > q.pointee.tokens.upperBound
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
        if victims == nil && j > q.pointee.tokens.upperBound && j < sentence.upperBound
            && (aux.contains(tokens[j].key) || self.outcomes.longestEnd(tokens, at: j, limit: sentence.upperBound) != nil)
            && tokens[j - 1].isCapitalized
        {
            victims = "people"
            headEnd = j
        }
        let qEnd = q.pointee.tokens.upperBound
        let isConvention = q.pointee.kind != .vague && convention[q.pointee.tokens.lowerBound] != nil
            || (q.pointee.kind != .vague && qEnd + 1 < sentence.upperBound && keyFatalities.contains(tokens[qEnd].key)
                && self.conventions.longestEnd(tokens, at: qEnd + 1, limit: sentence.upperBound) != nil)
        // traps are never figures; a year-like number is one only with a person noun ("2000 soldiers")
        // (the trap as a value: no string made and compared per quantity)
        if let trap = q.pointee.trapKind, victims == nil || trap != .year || isConvention { return }
        if q.pointee.kind == .article && victims == nil { return }
        // "and possibly many more": a comparative, not a second count
        if victims == nil, q.pointee.tokens.upperBound < sentence.upperBound, tokens[q.pointee.tokens.upperBound].key == keyMore {
            return
        }
        if q.pointee.best == 0 { return }
        let next = victims != nil ? headEnd : q.pointee.tokens.upperBound
        // the outcome: an adjacent left phrase, else the nearest to the right, else the nearest left
        // (by index: no outcome is copied while looking)
        var chosenIndex: Int?
        for x in outcomes.indices where outcomes[x].o.left && outcomes[x].end <= q.pointee.tokens.lowerBound
            && onlyQuotes(tokens, outcomes[x].end, q.pointee.tokens.lowerBound)
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
            for x in outcomes.indices.reversed() where outcomes[x].o.left && outcomes[x].end <= q.pointee.tokens.lowerBound
                && q.pointee.tokens.lowerBound - outcomes[x].end <= outcomes[x].o.reach
            {
                var blocked = false
                for k in outcomes[x].end..<q.pointee.tokens.lowerBound where isClauseEdge(tokens, k) { blocked = true; break }
                if !blocked { chosenIndex = x; break }
            }
        }
        let chosen = chosenIndex.map { outcomes[$0] }
        // the rule's head: an outcome's row or a convention (ids into `ruleTable.strings`)
        let table = ruleTable
        let head: Int32
        var outcome: String
        if isConvention {
            outcome = "killed"
            // "coded" (the last convention head) when no phrase of its own stands before it
            head = convention[q.pointee.tokens.lowerBound].map { table.conventionBase + $0 } ?? table.codedHead
        } else if let c = chosen {
            // a headless figure needs its outcome right next to it ("5 killed", "killing 5", "5 were killed")
            if victims == nil {
                let adjacentLeft = c.end <= q.pointee.tokens.lowerBound && onlyQuotes(tokens, c.end, q.pointee.tokens.lowerBound)
                let nextIsVerb = next < sentence.upperBound && (aux.contains(tokens[next].key) || next == c.start)
                let farLeftNoun = c.o.reach >= 12  // "death toll ... N"
                if !(adjacentLeft || nextIsVerb || farLeftNoun) { return }
            }
            outcome = outcomeNames[Int(c.o.outcome)]
            head = table.outcomeBase + c.o.rule
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
        // part of another figure: "including 13 children" (subset), "bringing the total to 3" (total)
        let part = partOf(tokens, q.pointee.tokens.lowerBound, sentence: sentence)
        // provenance as row ids, joined only when read: [kind:part+]outcome[+scope]+quantity[+victims]
        // (a quantity of more than eight rows, which no number phrase has, is joined now)
        var provenance = CasualtyProvenance(
            table: table, partKind: part >= 0 ? table.partKindBase + part : -1,
            partRule: part >= 0 ? table.partRuleBase + part : -1, head: head,
            scope: sentenceScopeValue.rule >= 0 ? table.scopeBase + sentenceScopeValue.rule : -1,
            victim: victimRow >= 0 ? table.victimBase + victimRow : -1, quantity: q.pointee.rules)
        if q.pointee.rules.count > 8 {
            let first = CasualtyProvenance(
                table: table, partKind: provenance.partKind, partRule: provenance.partRule, head: head,
                scope: provenance.scope, victim: -1, quantity: q.pointee.rules)
            var text = first.string + Self.extraRules(q.pointee, numbers)
            if provenance.victim >= 0 { text += "+" + table.strings[Int(provenance.victim)] }
            provenance = CasualtyProvenance(text)
        }
        var lo = q.pointee.tokens.lowerBound, hi = Swift.max(q.pointee.tokens.upperBound, headEnd)
        if let c = chosen {
            lo = Swift.min(lo, c.start)
            hi = Swift.max(hi, c.end)
        }
        let span = doc.span(of: lo..<hi)
        let figureSpan = doc.span(of: q.pointee.tokens)
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
        let headSpan = doc.span(of: q.pointee.tokens.lowerBound..<Swift.max(q.pointee.tokens.upperBound, headEnd))
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
        // made in the list's own slot (a casualty made aside is copied in, strings and all)
        out.append(Casualty(
            outcome: consume outcome, low: q.pointee.low, best: q.pointee.best, high: q.pointee.high, qualifier: q.pointee.qualifier,
            victims: victims ?? "people", side: consume side, scope: scope, period: period, claimant: consume claimant,
            span: span, figureSpan: figureSpan, provenance: consume provenance))
    }

    /// The rows of a quantity after its eighth, each after a "+" (what a provenance of parts
    /// cannot hold).
    static func extraRules(_ q: Quantity, _ numbers: NumberReader) -> String {
        var text = ""
        for k in 8..<q.rules.count { text += "+" + numbers.ruleNames[Int(q.rules[k])] }
        return text
    }

    /// A subset or total cue ending right before the figure (up to two tokens between: "including
    /// at least", "including two"): its row (index in `parts`), or -1.
    func partOf(_ tokens: [Token], _ start: Int, sentence: Range<Int>) -> Int32 {
        var i = Swift.max(sentence.lowerBound, start - 9)
        var found: Int32 = -1
        while i < start {
            if let m = parts.longestFirstIndex(tokens, at: i, limit: start) {
                // right before the figure, or a coordinated second part: "including 7 children and 6 women"
                let coordinated = start - m.end <= 5 && start > 0
                    && (tokens[start - 1].key == keyAnd || tokens[start - 1].key == keyComma)
                    && parts[m.index].kind == "subset"
                if start - m.end <= 1 || coordinated { found = m.index }
            }
            i += 1
        }
        return found
    }
}
