import SitrepAnnotate
import SitrepText

// Sentences grouped into incidents, and each incident made an event (the stage's entry point).
extension EventExtractor {
    /// What one sentence contributes.
    struct SentenceReading {
        var sentence: Int
        var scores = CodeScores()
        var families = FamilySet()
        /// The rule ids read, in `ruleStore[0..<ruleCount]` (a buffer kept from sentence to
        /// sentence: emptying it sets the count, with no call into the array's generic code).
        var ruleStore: [Int32] = []
        var ruleCount = 0
        /// The token of the strongest trigger.
        var anchorToken: Int = 0
        var anchorWeight = -1
        var denial = false
        var zero = false
        var location: PlaceRef?
        var date: EventDate?

        /// The rule ids read.
        var rules: ArraySlice<Int32> { ruleStore[0..<ruleCount] }

        mutating func addRule(_ rule: Int32) {
            if ruleCount < ruleStore.count { ruleStore[ruleCount] = rule } else { ruleStore.append(rule) }
            ruleCount += 1
        }
    }

    struct Incident {
        /// Its sentences and rules: ranges of the document's flat lists (`IncidentLists`; only the
        /// last incident grows, so its ranges end the lists).
        var sentences: Range<Int> = 0..<0
        var paragraph: Int
        var scores = CodeScores()
        var families = FamilySet()
        var rules: Range<Int> = 0..<0
        var location: PlaceRef?
        var date: EventDate?
        var anchorSentence: Int
        var anchorToken: Int
        var denial = false
        var zero = false
        var casualties: [Int] = []
    }

    public func extract(
        _ doc: Document, _ annotations: Annotations, casualties: [Casualty], claims: inout [Claim]
    ) -> [Event] {
        let tokens = doc.tokens
        // casualties by sentence (one flat buffer); which sentences hold a cumulative toll
        let sentenceCount = doc.sentences.count
        var cumulativeSentence = [Bool](unsafeUninitializedCapacity: sentenceCount) { flags, initialized in
            flags.initialize(repeating: false)
            initialized = sentenceCount
        }
        var casualtyPairs: [(sentence: Int, index: Int)] = []
        casualtyPairs.reserveCapacity(casualties.count)
        // by index: no casualty is copied (each holds several strings); figures come in text
        // order, so each one's token and sentence are walked to from the previous one's (what
        // `sentenceIndex(ofToken: tokenIndex(atOrAfter:))` finds; searched afresh out of order)
        var token = 0, sentence = 0, previous = Int.min
        for k in casualties.indices {
            let start = casualties[k].figureSpan.start
            if start < previous {
                token = doc.tokenIndex(atOrAfter: start)
                sentence = doc.sentenceIndex(ofToken: token)
            } else {
                token = doc.tokenIndex(atOrAfter: start, from: token)
                sentence = doc.sentenceIndex(ofToken: token, from: sentence)
            }
            previous = start
            let s = sentence
            casualtyPairs.append((s, k))
            if casualties[k].scope == "cumulative" { cumulativeSentence[s] = true }
        }
        let casualtiesBySentence = SentenceLists(sentences: doc.sentences.count, pairs: casualtyPairs)
        // what the scoring asks of each casualty, read once from its strings
        let facts = CasualtyFacts(casualties)
        let anchorDays = annotations.anchor.map(CalendarArithmetic.daysFromCivil)
        var incidents: [Incident] = []
        // (room for a document's incidents made once, not grown from empty)
        incidents.reserveCapacity(8)
        var pendingDenial = false
        // the thread's scratch buffers, taken for this document and handed back at the end
        let scratchBox = ReadScratch.perThread.value
        var scratch = ReadScratch()
        swap(&scratch, &scratchBox.scratch)
        scratch.reset(tokens: tokens.count)
        defer { swap(&scratch, &scratchBox.scratch) }
        // one reading for every sentence: its buffers (scores, rules) are reused
        var reading = SentenceReading(sentence: 0)
        reading.ruleStore.reserveCapacity(16)
        // the document's evidence points for place readings, read at most once
        var evidence: [EvidencePoint]?
        for (si, sentence) in doc.sentences.enumerated() {
            let range = sentence.tokens
            guard !range.isEmpty, !tokens[range.lowerBound].has(.boilerplate) else { continue }
            read(doc, annotations, si, range, cumulativeSentence: cumulativeSentence[si], into: &reading, &scratch)
            // the sentence's casualties (most have none: then no slice of the shared list is made)
            let here: ArraySlice<Int> = casualtiesBySentence.isEmpty(si) ? [] : casualtiesBySentence[si]
            // background history: every date of the sentence lies over a year before the anchor
            if !reading.scores.isEmpty, let anchorDays, let newest = newestDate(doc, annotations, range),
                CalendarArithmetic.daysFromCivil(newest) < anchorDays - 366
            {
                reading.scores.removeAll()
            }
            let best = bestCode(
                reading.scores, families: reading.families, casualties: here,
                casualtyList: casualties, facts: facts)
            var hasEvent = best.map { $0.code != codeNone && $0.score >= 2 } ?? false
            // a weak sentence ("blamed Armenian forces for the attack") speaks of the incident
            // already reported nearby rather than of a new one
            var weakFollowUp = false
            if hasEvent, reading.anchorWeight <= weakFollowUpWeight, let last = incidents.indices.last,
                let lastSentence = scratch.lists.lastSentence(in: incidents[last].sentences),
                doc.sentences[lastSentence].paragraph + 2 >= sentence.paragraph
            {
                hasEvent = false
                weakFollowUp = true
            }
            if !hasEvent {
                // sentences without a trigger still lend casualties, zero statements and denials
                // to the incident of their paragraph
                if let last = incidents.indices.last, incidents[last].paragraph == sentence.paragraph || weakFollowUp {
                    scratch.lists.appendSentence(si, to: &incidents[last])
                    if reading.zero { incidents[last].zero = true }
                    if reading.denial { incidents[last].denial = true }
                    for k in here where facts.incident(k) {
                        incidents[last].casualties.append(k)
                    }
                } else if reading.denial {
                    pendingDenial = true
                }
                continue
            }
            // arguments only for sentences that report an incident
            reading.location = location(doc, annotations, range, evidence: &evidence, scenes: &scratch.scenes)
            reading.date = date(doc, annotations, range, near: reading.anchorToken)
            let code = best?.code ?? codeNone
            if let last = incidents.indices.last, compatible(incidents, last, reading, code: code, paragraph: sentence.paragraph) {
                absorb(reading, into: &incidents[last], &scratch.lists, casualties: here, facts)
            } else {
                // the new incident is filled in place in the list (one built aside is copied in)
                incidents.append(Incident(
                    paragraph: sentence.paragraph, anchorSentence: si, anchorToken: reading.anchorToken))
                Self.fill(&incidents[incidents.count - 1], &scratch.lists, si, reading, casualties: here, facts)
            }
        }
        if pendingDenial, !incidents.isEmpty { incidents[0].denial = true }
        // deaths reported with no trigger at all ("a truck burned out and its driver
        // died"): the first such sentence is an incident typed by who died
        if incidents.isEmpty, let k = casualties.indices.first(where: { facts.killed($0) && facts.incident($0) }),
            let code = fallbackCodes[casualties[k].victims] ?? fallbackCodes["*"],
            !outsideTaxonomy(doc, annotations, casualties[k].figureSpan, &scratch)
        {
            let si = casualtyPairs[k].sentence
            let range = doc.sentences[si].tokens
            var inc = Incident(paragraph: doc.sentences[si].paragraph, anchorSentence: si, anchorToken: range.lowerBound)
            scratch.lists.start(&inc)
            scratch.lists.appendSentence(si, to: &inc)
            inc.scores.add(code.code, 2)
            scratch.lists.appendRules(CollectionOfOne(code.rule), to: &inc)
            inc.location = location(doc, annotations, range, evidence: &evidence, scenes: &scratch.scenes)
            inc.date = date(doc, annotations, range, near: range.lowerBound)
            for s2 in si..<doc.sentences.count where doc.sentences[s2].paragraph == inc.paragraph {
                if s2 != si { scratch.lists.appendSentence(s2, to: &inc) }
                for k in casualtiesBySentence[s2] where facts.incident(k) { inc.casualties.append(k) }
            }
            incidents.append(inc)
        }

        // fallback location: the paragraph's, then the article's first place
        var events: [Event] = []
        events.reserveCapacity(incidents.count)
        let claimantSpans = claims.map(\.claimantSpan)
        let claimsBySentence = Self.claimIndex(doc, claims)
        // per claim, the first event with a sentence its content overlaps (-1: none), noted while
        // the events are made (their sentences' claims are read anyway): what `linkClaims` would
        // find testing every claim against every event's evidence
        var firstEvent = [Int](repeating: -1, count: claims.count)
        // by index, fields read in place: no incident is copied; each event is made in one piece
        // (every field a local first), so it is moved into the list, not copied
        for ii in incidents.indices {
            guard let best = bestCode(incidents[ii].scores, families: incidents[ii].families,
                                      casualties: incidents[ii].casualties[...], casualtyList: casualties, facts: facts),
                best.code != codeNone, let tax = taxonomy[best.code]
            else { continue }
            let sentences = scratch.lists.sentences[incidents[ii].sentences]
            var rules = ruleStrings(scratch.lists.rules[incidents[ii].rules])
            if !best.rules.isEmpty { rules.append(contentsOf: best.rules) }
            let evidence = sentences.map { doc.sentences[$0].span }
            let location = incidents[ii].location ?? fallbackLocation(doc, annotations, paragraph: incidents[ii].paragraph)
            // an undated sentence happened on the anchor day, as precise as the anchor: a day for
            // a published date, the estimate's precision (a week, a month) for an estimated one
            let anchorPrecision = annotations.publishedEstimate?.precision ?? .day
            let date = incidents[ii].date ?? annotations.anchor.map { EventDate(start: $0, end: $0, precision: anchorPrecision) }
            let (actor1, actor2) = actors(doc, annotations, claimantSpans, anchorSentence: incidents[ii].anchorSentence,
                                          anchorToken: incidents[ii].anchorToken, type: tax.type)
            var weapons: [WeaponRef] = []
            for s in sentences {
                let span = doc.sentences[s].span
                // (by index, in place: only a weapon's reference is bound, no mention copied)
                let list = annotations.weapons
                var i = list.firstIndex(startingAtOrAfter: span.start)
                while i < list.count && list[i].span.start < span.end {
                    if span.contains(list[i].span), case .weapon(let w) = list[i].payload, !weapons.contains(w) {
                        weapons.append(w)
                    }
                    i += 1
                }
            }
            let fatalities = fatalities(incidents[ii].casualties, zero: incidents[ii].zero, casualties, facts, doc,
                                        sentenceOf: casualtyPairs)
            // claimant and stance from the claims on its sentences
            var stance = "reported"
            var claimant: ActorRef?
            for s in sentences {
                let sentenceSpan = doc.sentences[s].span
                // (fields read in place: no claim is copied)
                for ci in claimsBySentence[s] {
                    // (every claim whose content overlaps the sentence is listed for it)
                    if firstEvent[ci] < 0 && claims[ci].content.overlaps(sentenceSpan) { firstEvent[ci] = events.count }
                    if claims[ci].stance == "denies" {
                        stance = "denied"
                    } else if claimant == nil {
                        claimant = claims[ci].claimant
                        if stance == "reported" { stance = "asserted" }
                    }
                }
            }
            if incidents[ii].denial { stance = "denied" }
            // made in the list's own slot, its fields moved in (by the memberwise initializer: the
            // public one builds the event aside and copies it in)
            events.append(Event(
                type: tax.type, subtype: tax.subtype, stance: stance, actor1: consume actor1, actor2: consume actor2,
                date: date, location: consume location, weapons: consume weapons, fatalities: fatalities,
                claimant: consume claimant, evidence: consume evidence, rules: consume rules,
                casualties: incidents[ii].casualties))
        }
        // claims denying another claim deny that claim's event
        linkClaims(doc, &claims, events: &events, casualties: casualties, firstEvent: firstEvent)
        return events
    }


    /// A new incident's fields from its first sentence's reading.
    static func fill(_ inc: inout Incident, _ lists: inout IncidentLists, _ si: Int, _ reading: SentenceReading,
                     casualties here: ArraySlice<Int>, _ facts: CasualtyFacts) {
        lists.start(&inc)
        lists.appendSentence(si, to: &inc)
        inc.scores = reading.scores
        inc.families = reading.families
        lists.appendRules(reading.rules, to: &inc)
        inc.location = reading.location
        inc.date = reading.date
        inc.denial = reading.denial
        inc.zero = reading.zero
        for k in here where facts.incident(k) { inc.casualties.append(k) }
    }

    /// Adds a compatible sentence's reading to the incident, in place.
    func absorb(_ reading: SentenceReading, into inc: inout Incident, _ lists: inout IncidentLists,
                casualties here: ArraySlice<Int>, _ facts: CasualtyFacts) {
        lists.appendSentence(reading.sentence, to: &inc)
        inc.scores.add(reading.scores)
        var families = reading.families
        families.remove(familyEngagementFirst)
        inc.families.formUnion(families)
        lists.appendRules(reading.rules, to: &inc)
        if inc.location == nil || (reading.location.map { finer($0, than: inc.location) } ?? false) {
            inc.location = reading.location ?? inc.location
        }
        inc.date = inc.date ?? reading.date
        inc.denial = inc.denial || reading.denial
        inc.zero = inc.zero || reading.zero
        for k in here where facts.incident(k) { inc.casualties.append(k) }
    }

    /// The distinct rule provenances, sorted as strings.
    func ruleStrings(_ ids: [Int32]) -> [String] { ruleStrings(ids[...]) }

    /// The distinct rule provenances of a slice of rule ids, sorted as strings.
    func ruleStrings(_ ids: ArraySlice<Int32>) -> [String] {
        // ids are distinct exactly when names are: sort and deduplicate by the names' ranks
        // (an incident has a few rules: their ranks are sorted by insertion in a stack buffer)
        if ids.isEmpty { return [] }
        if ids.count <= 32 {
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: ids.count) { ranked in
                var n = 0
                for id in ids {
                    let r = ruleRank[Int(id)]
                    var j = n
                    while j > 0 && ranked[j - 1] > r {
                        ranked[j] = ranked[j - 1]
                        j -= 1
                    }
                    ranked[j] = r
                    n += 1
                }
                var out: [String] = []
                out.reserveCapacity(n)
                var previous = -1
                for k in 0..<n where ranked[k] != previous {
                    out.append(rankedRuleNames[ranked[k]])
                    previous = ranked[k]
                }
                return out
            }
        }
        var ranked = ids.map { ruleRank[Int($0)] }
        ranked.sort()
        var out: [String] = []
        out.reserveCapacity(ranked.count)
        var previous = -1
        for r in ranked where r != previous {
            out.append(rankedRuleNames[r])
            previous = r
        }
        return out
    }

    /// Whether the reading continues incident `i` of the list (read in place: no incident is copied).
    func compatible(_ incidents: [Incident], _ i: Int, _ r: SentenceReading, code: Int, paragraph: Int) -> Bool {
        if let a = incidents[i].location, let b = r.location, !sameOrContains(a, b) { return false }
        if let a = incidents[i].date, let b = r.date, b.end < a.start || a.end < b.start { return false }
        if incidents[i].paragraph == paragraph { return true }
        // across paragraphs only the same type of incident continues
        guard let mine = bestCode(incidents[i].scores, families: incidents[i].families, casualties: [], casualtyList: [],
                                  facts: CasualtyFacts())
        else { return false }
        let tm = typeIDs[mine.code], tr = typeIDs[code]
        return tm >= 0 && tr >= 0 && tm == tr
    }
}
