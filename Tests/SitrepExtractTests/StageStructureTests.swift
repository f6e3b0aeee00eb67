import SitrepAnnotate
import SitrepText
import Testing

@testable import SitrepExtract

/// The flat structures the event and casualty stages use for speed answer exactly what the plain
/// structures they replace answer, on random inputs.
@Suite struct StageStructureTests {
    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int { Int(word() % UInt64(n)) }
        mutating func word() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func sentenceListsKeepEachSentencesEntriesInTheOrderAdded() {
        var r = Random(state: 11)
        for round in 0..<50 {
            let sentences = r.next(40)
            var pairs: [(sentence: Int, index: Int)] = []
            var naive = [[Int]](repeating: [], count: sentences)
            if sentences > 0 {
                for index in 0..<r.next(120) {
                    let s = r.next(sentences)
                    pairs.append((s, index))
                    naive[s].append(index)
                }
            }
            let lists = SentenceLists(sentences: sentences, pairs: pairs)
            #expect(lists.count == sentences, "round \(round)")
            for s in 0..<sentences {
                #expect(Array(lists[s]) == naive[s], "round \(round), sentence \(s)")
                #expect(lists.isEmpty(s) == naive[s].isEmpty)
            }
        }
    }

    /// The walked searches (from an earlier answer) find what the binary searches find.
    @Test func walkedTokenAndSentenceIndicesAgreeWithTheSearches() throws {
        let doc = try TestSupport.extractor.get().text.document(
            "Shelling hit the town on Monday. Two people were killed, officials said.\n\n"
                + "\"We saw it,\" a witness told reporters. The army denied it; the rebels said 12 fighters died.")
        #expect(doc.sentences.count >= 4)
        var r = Random(state: 41)
        let end = doc.bytes.count
        for round in 0..<300 {
            // ascending offsets (some past the end), each searched from the previous answer
            let offsets = (0..<(1 + r.next(12))).map { _ in r.next(end + 3) }.sorted()
            var token = round % 2 == 0 ? 0 : doc.tokenIndex(atOrAfter: offsets[0])
            var sentence = 0
            for o in offsets {
                let t = doc.tokenIndex(atOrAfter: o)
                token = doc.tokenIndex(atOrAfter: o, from: token)
                #expect(token == t, "offset \(o)")
                sentence = doc.sentenceIndex(ofToken: token, from: sentence)
                #expect(sentence == doc.sentenceIndex(ofToken: t), "offset \(o)")
            }
            // a start past the answer's sentence is searched afresh
            let any = r.next(doc.tokens.count)
            #expect(doc.sentenceIndex(ofToken: any, from: doc.sentences.count - 1) == doc.sentenceIndex(ofToken: any))
        }
    }

    /// Claims linked to the events noted while the events are made are linked as testing every
    /// claim against every event's evidence links them.
    @Test func claimsLinkToTheEventsTheEvidenceSearchFinds() throws {
        let x = try TestSupport.extractor.get()
        let texts = [
            "Azerbaijan's defence ministry said Armenian forces shelled Tartar on Monday, killing two civilians. "
                + "Armenia denied the claim. According to local officials, 12 soldiers were killed in fighting near Shusha.",
            "Police said a car bomb exploded in the market, killing five people. \"We heard a blast,\" a shopkeeper "
                + "said.\n\nThe group claimed the attack in a statement, officials said. Rebels said they captured a village.",
        ]
        for text in texts {
            let doc = x.text.document(text)
            let annotations = x.annotator.annotate(doc, context: ArticleContext(published: CalendarDate(year: 2021, month: 3, day: 14)))
            let claims = x.claims.extract(doc, annotations)
            let casualties = x.casualties.extract(doc, annotations, claims: claims)
            var linked = claims
            let events = x.events.extract(doc, annotations, casualties: casualties, claims: &linked)
            #expect(!events.isEmpty && !claims.isEmpty)
            var searched = claims
            var again = events
            x.events.linkClaims(doc, &searched, events: &again, casualties: casualties)
            #expect(linked.map(\.about) == searched.map(\.about))
            #expect(linked.contains { $0.about != nil })
            #expect(again.map(\.stance) == events.map(\.stance))
        }
    }

    /// The public initializers (in extensions, delegating to the memberwise ones the stages use)
    /// set every field from its own argument.
    @Test func publicInitializersSetEveryField() {
        let a = ActorRef(id: "A.MIL", name: "a", country: "AZ", kind: .stateMilitary)
        let b = ActorRef(id: "B.GOV", name: "b", country: nil, kind: .government)
        let w = WeaponRef(name: "drone", class: "drone")
        let date = EventDate(start: CalendarDate(year: 2020, month: 10, day: 1), end: CalendarDate(year: 2020, month: 10, day: 2),
                             precision: .day)
        let e = Event(type: "T", subtype: "S", actor1: a, actor2: b, date: date, location: nil, weapons: [w],
                      fatalities: Figure(low: 1, best: 2, high: nil), claimant: b, stance: "denied",
                      evidence: [Span(1, 2)], rules: ["r"], casualties: [3])
        #expect(e.type == "T" && e.subtype == "S" && e.stance == "denied")
        #expect(e.actor1 == a && e.actor2 == b && e.claimant == b && e.date == date && e.location == nil)
        #expect(e.weapons == [w] && e.fatalities == Figure(low: 1, best: 2, high: nil))
        #expect(e.evidence == [Span(1, 2)] && e.rules == ["r"] && e.casualties == [3])
        let d = Event(type: "T", subtype: "S")
        #expect(d.stance == "reported" && d.actor1 == nil && d.evidence.isEmpty && d.rules.isEmpty && d.casualties.isEmpty)
        let c = Casualty(outcome: "killed", low: 1, best: 2, high: 3, qualifier: "about", victims: "people", side: "AZ",
                         scope: "incident", period: date, claimant: a, span: Span(0, 5), figureSpan: Span(1, 2), rule: "x")
        #expect(c.outcome == "killed" && c.low == 1 && c.best == 2 && c.high == 3 && c.qualifier == "about")
        #expect(c.victims == "people" && c.side == "AZ" && c.scope == "incident" && c.period == date && c.claimant == a)
        #expect(c.span == Span(0, 5) && c.figureSpan == Span(1, 2) && c.rule == "x")
    }

    @Test func keySetsHoldExactlyTheirKeys() {
        var r = Random(state: 5)
        for size in [0, 1, 3, 8, 9, 40, 300] {
            let keys = (0..<size).map { _ in r.word() }
            let set = KeySet(keys + keys.prefix(size / 2))  // duplicates are one member
            for k in keys { #expect(set.contains(k)) }
            for _ in 0..<500 {
                let k = r.word()
                #expect(set.contains(k) == keys.contains(k))
            }
        }
        let words = KeySet(["killed", "dead"].map(Fold.key))
        #expect(words.contains(Fold.key("Killed")))
        #expect(!words.contains(Fold.key("wounded")))
    }

    @Test func claimMarksAgreeWithTheVerbFilters() throws {
        let claims = try TestSupport.extractor.get().claims
        var r = Random(state: 29)
        var keys = ["said", "Said", "told", "reported", "according", "denied", "the", "it"].map(Fold.key)
        for _ in 0..<5_000 { keys.append(r.word()) }
        func holds(_ words: [UInt64], _ h: Int) -> Bool { words[h >> 6] & (1 << UInt64(h & 63)) != 0 }
        for key in keys {
            let h = ClaimExtractor.slot(key)
            let m = claims.store.marks[h]
            for capital in [false, true] {
                let seen = m & ClaimExtractor.caseMask(capital ? [.capitalized] : [])
                let forward = holds(claims.forwardFilter.any, h) || capital && holds(claims.forwardFilter.capital, h)
                let passive = holds(claims.passiveFilter.any, h) || capital && holds(claims.passiveFilter.capital, h)
                #expect((seen & (ClaimExtractor.markForward | ClaimExtractor.markForwardCapital) != 0) == forward)
                #expect((seen & (ClaimExtractor.markPassive | ClaimExtractor.markPassiveCapital) != 0) == passive)
            }
        }
    }

    @Test func starterBytesAgreeWithEachTablesFilter() throws {
        let events = try TestSupport.extractor.get().events
        var r = Random(state: 23)
        var keys = ["no", "not", "killed", "attack", "the", "denied", "threatened", "shelling", "zero", "protest"]
            .map(Fold.key)
        for _ in 0..<5_000 { keys.append(r.word()) }
        for key in keys {
            let starts = events.startTables[PhraseTrie.starterBit(key)]
            #expect((starts & EventExtractor.startZero != 0) == events.zero.mayStart(key))
            #expect((starts & EventExtractor.startModality != 0) == events.modality.mayStart(key))
            #expect((starts & EventExtractor.startDenial != 0) == events.denial.mayStart(key))
            #expect((starts & EventExtractor.startTrigger != 0) == events.triggers.mayStart(key))
            let bit = PhraseTrie.starterBit(key)
            #expect((starts != 0) == (events.startFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0))
            // the one-token bit: exactly the union of the one-token-phrase filters
            let single = events.startSingle[bit >> 6] & (1 << UInt64(bit & 63)) != 0
            #expect((starts & EventExtractor.startOneToken != 0) == single)
            if single { #expect(starts & ~EventExtractor.startOneToken != 0) }
        }
    }
}
