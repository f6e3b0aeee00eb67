import SitrepAnnotate
import SitrepText

// An incident's arguments: its date, its actors, its deaths, and the claims about it.
extension EventExtractor {
    /// The latest end of the sentence's dated time expressions.
    func newestDate(_ doc: Document, _ annotations: Annotations, _ range: Range<Int>) -> CalendarDate? {
        var newest: CalendarDate?
        // the mentions inside the sentence (what `inside` walks), read in place by index: only a
        // time's timex is bound, no mention copied
        let span = doc.span(of: range)
        let times = annotations.times
        var i = times.firstIndex(startingAtOrAfter: span.start)
        while i < times.count && times[i].span.start < span.end {
            defer { i += 1 }
            guard span.contains(times[i].span), case .time(let t) = times[i].payload, let r = t.range else { continue }
            if newest == nil || r.upperBound > (newest ?? r.upperBound) { newest = r.upperBound }
        }
        return newest
    }

    /// The time expression nearest before the trigger in the sentence, else the nearest after it
    /// (a DATE or TIME with a calendar range).
    func date(_ doc: Document, _ annotations: Annotations, _ range: Range<Int>, near token: Int) -> EventDate? {
        let span = doc.span(of: range)
        let at = Int(doc.tokens[Swift.min(Swift.max(token, range.lowerBound), range.upperBound - 1)].start)
        var best: (Int, EventDate)?
        // a date that opens the sentence ("On 16 March, ...") governs its main clause
        let opening = Int(doc.tokens[Swift.min(range.lowerBound + 4, range.upperBound - 1)].start)
        // the mentions inside the sentence (what `inside` walks), read in place by index
        let times = annotations.times
        var i = times.firstIndex(startingAtOrAfter: span.start)
        while i < times.count && times[i].span.start < span.end {
            defer { i += 1 }
            let mspan = times[i].span
            guard span.contains(mspan), case .time(let t) = times[i].payload, t.type == .date || t.type == .time,
                let r = t.range
            else { continue }
            if mspan.start <= opening {
                return EventDate(start: r.lowerBound, end: r.upperBound, precision: t.precision)
            }
            // the time expression governing the trigger usually precedes it ("On 12 May, ... protested")
            let d = mspan.start <= at ? at - mspan.start : (mspan.start - at) + 1_000_000
            if best == nil || d < (best?.0 ?? Int.max) {
                best = (d, EventDate(start: r.lowerBound, end: r.upperBound, precision: t.precision))
            }
        }
        return best?.1
    }

    /// actor1: who acts — the actor after "by" in a passive, else the last actor before the
    /// trigger (civilians only for protests and riots); actor2: the first other actor after the
    /// trigger in its clause, else another actor before it.
    func actors(_ doc: Document, _ annotations: Annotations, _ claimantSpans: [Span], anchorSentence: Int,
                anchorToken: Int, type: String) -> (ActorRef?, ActorRef?)
    {
        let sentence = doc.sentences[anchorSentence]
        let span = sentence.span
        var list: [(Span, ActorRef)] = []
        let mentions = annotations.actors
        // the sentence's mentions by index (binary search for the first, as `inside` does): no
        // mention is copied unless it is an actor kept for the list
        var lo = 0, hi = mentions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if mentions[mid].span.start < span.start { lo = mid + 1 } else { hi = mid }
        }
        var mi = lo
        while mi < mentions.count && mentions[mi].span.start < span.end {
            let mspan = mentions[mi].span
            defer { mi += 1 }
            guard span.contains(mspan), case .actor(let a) = mentions[mi].payload else { continue }
            if claimantSpans.contains(where: { $0.overlaps(mspan) }) { continue }
            list.append((mspan, a))
        }
        guard !list.isEmpty else { return (nil, nil) }
        let crowd = type == "Protests" || type == "Riots"
        let triggerAt = Int(doc.tokens[anchorToken].start)
        // the trigger's clause ends at the next clause edge
        var clauseEnd = span.end
        var k = anchorToken + 1
        while k < sentence.tokens.upperBound {
            let key = doc.tokens[k].key
            if key == kComma || key == kSemicolon || key == kColon || key == kWhile { clauseEnd = Int(doc.tokens[k].start); break }
            k += 1
        }
        var actor1: ActorRef?
        for (s, a) in list where s.start > triggerAt && s.start < clauseEnd {
            let t = doc.tokenIndex(atOrAfter: s.start)
            if t > 0 && doc.tokens[t - 1].key == keyBy && (crowd || a.kind != .civilians) { actor1 = a; break }
        }
        if actor1 == nil {
            actor1 = list.last(where: { $0.0.start < triggerAt && (crowd || $0.1.kind != .civilians) })?.1
        }
        let actor2 = list.first(where: { $0.0.start > triggerAt && $0.0.start < clauseEnd && $0.1.id != actor1?.id })?.1
            ?? list.last(where: { $0.0.start < triggerAt && $0.1.id != actor1?.id && ($0.1.kind == .civilians || actor1 != nil) })?.1
        return (actor1, actor2)
    }

    /// Deaths in this incident: within a paragraph figures add up, across paragraphs the largest
    /// account wins (headline, lead and body retell the same deaths). Coders' conventions replace
    /// the rest.
    /// (`sentenceOf[k].sentence` is casualty `k`'s sentence.)
    func fatalities(_ list: [Int], zero: Bool, _ casualties: [Casualty], _ facts: CasualtyFacts, _ doc: Document,
                    sentenceOf: [(sentence: Int, index: Int)]) -> Figure? {
        let killed = list.filter { facts.killed($0) && facts.incident($0) && !facts.subset($0) }
        let convention = killed.filter { facts.convention($0) }
        var use = convention.isEmpty ? killed : convention
        guard !use.isEmpty else { return zero ? Figure(low: 0, best: 0, high: 0) : nil }
        func paragraph(_ k: Int) -> Int { doc.sentences[sentenceOf[k].sentence].paragraph }
        // a running total replaces the figures before it in its paragraph; the last one wins
        var lastTotal: [Int: Int] = [:]
        for k in use where facts.total(k) { lastTotal[paragraph(k)] = k }
        if !lastTotal.isEmpty {
            use = use.filter { k in
                guard let t = lastTotal[paragraph(k)] else { return true }
                return k == t || casualties[k].figureSpan.start > casualties[t].figureSpan.start
            }
        }
        // per paragraph (a short list, not a dictionary), then in paragraph order
        var byParagraph: [(paragraph: Int, figure: Figure)] = []
        for k in use {
            let p = paragraph(k)
            let low = casualties[k].low, best = casualties[k].best, high = casualties[k].high
            if let x = byParagraph.firstIndex(where: { $0.paragraph == p }) {
                byParagraph[x].figure.low += low
                byParagraph[x].figure.best += best
                byParagraph[x].figure.high = byParagraph[x].figure.high.flatMap { h in high.map { h + $0 } }
            } else {
                byParagraph.append((p, Figure(low: low, best: best, high: high)))
            }
        }
        byParagraph.sort { $0.paragraph < $1.paragraph }
        return byParagraph.lazy.map(\.figure).max { $0.best < $1.best }
    }

    /// Fills `claims[i].about`: the casualty figure its content holds, else the event it speaks
    /// of; a claim denying another claim marks that claim's event denied. `firstEvent` (when
    /// given, one entry per claim) is each claim's first event with evidence overlapping its
    /// content, -1 for none, found by the caller; else the evidence of every event is searched.
    func linkClaims(_ doc: Document, _ claims: inout [Claim], events: inout [Event], casualties: [Casualty],
                    firstEvent: [Int]? = nil) {
        if !claims.isEmpty {
            // every event's evidence in one flat list, in event order (read per claim without
            // retaining each event's list), unless the first events are known
            var evidence: [(span: Span, event: Int)] = []
            let known = firstEvent.map { $0.count == claims.count } ?? false
            if !known {
                evidence.reserveCapacity(events.count * 2)
                for e in events.indices {
                    events[e].evidence.withUnsafeBufferPointer { list in
                        for span in list { evidence.append((span, e)) }
                    }
                }
            }
            for i in claims.indices {
                if claims[i].about != nil { continue }
                // read once: the closures below then test a local, not the inout array
                let content = claims[i].content
                // (by index, fields read in place: no casualty or event is copied)
                var casualty = -1
                for k in casualties.indices where content.contains(casualties[k].figureSpan) {
                    casualty = k
                    break
                }
                if casualty >= 0 {
                    claims[i].about = .casualty(casualty)
                    continue
                }
                // the first event (in order) with evidence overlapping the content
                var event = -1
                if known, let firstEvent {
                    event = firstEvent[i]
                } else {
                    for x in evidence.indices where evidence[x].span.overlaps(content) {
                        event = evidence[x].event
                        break
                    }
                }
                if event >= 0 { claims[i].about = .event(event) }
            }
        }
        for i in claims.indices where claims[i].stance == "denies" {
            if let d = claims[i].denies, d >= 0, d < claims.count, case .event(let e)? = claims[d].about, e < events.count {
                events[e].stance = "denied"
            }
            if case .event(let e)? = claims[i].about, e < events.count { events[e].stance = "denied" }
        }
    }
}
