import Testing
import SitrepAnnotate
import SitrepText
@testable import SitrepExtract

/// The shortcuts of the event stage (flags read once per casualty, rule names sorted in a stack
/// buffer) answer as the code they replace.
struct EventShortcutTests {
    /// The rule-prefix bits of `CasualtyFacts` equal the prefix tests on the rule strings.
    @Test func casualtyFactsReadTheRulePrefixes() {
        let rules = ["subset:en/x#1+en/y#2", "convention:en/c#3", "total:en/t#4", "en/casualties/outcomes.tsv#5",
                     "subsetx", "total", "", "convention", "coded"]
        let list = rules.map {
            Casualty(outcome: "killed", low: 1, best: 1, high: 1, qualifier: "exact", victims: "people",
                     scope: "incident", span: Span(0, 1), figureSpan: Span(0, 1), rule: $0)
        }
        let facts = CasualtyFacts(list)
        for k in list.indices {
            #expect(facts.subset(k) == rules[k].hasPrefix("subset:"))
            #expect(facts.convention(k) == rules[k].hasPrefix("convention:"))
            #expect(facts.total(k) == rules[k].hasPrefix("total:"))
        }
    }

    /// An incident's rule list is its rules' distinct names in sorted order, for short lists (sorted
    /// in a stack buffer) and long ones alike.
    @Test func ruleStringsAreTheSortedDistinctNames() throws {
        let events = try TestSupport.extractor.get().events
        let n = events.ruleNames.count
        #expect(n > 1)
        var x: UInt64 = 7
        for length in [0, 1, 2, 5, 31, 32, 33, 80] {
            var ids: [Int32] = []
            for _ in 0..<length {
                x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                ids.append(Int32(Int(x >> 33) % n))
            }
            let expected = Array(Set(ids.map { events.ruleNames[Int($0)] })).sorted()
            #expect(events.ruleStrings(ids) == expected, "\(length) rules")
        }
    }

    /// The apostrophe pre-check finds every character `Fold` reads as an apostrophe (so no token
    /// with an apostrophe key is passed over), and nothing in plain text.
    @Test func apostrophePrecheckFindsEveryApostrophe() {
        func check(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return EventExtractor.mayHoldApostrophe(bytes, Span(0, bytes.count))
        }
        for mark in ["'", "\u{2018}", "\u{2019}", "\u{2032}", "\u{02BC}", "\u{00B4}"] {
            #expect(check("Shelling hit Sa\(mark)ada town."), "\(mark)")
            #expect(check("\(mark)"), "\(mark) alone")
            #expect(Fold.key(mark) == Fold.key("'"))
        }
        for plain in ["Shelling hit Saada town.", "", "\u{201C}Quoted\u{201D} \u{2014} dash, caf\u{00E9} \u{00A0}space"] {
            #expect(!check(plain), "\(plain)")
        }
        // only the span is searched
        let bytes = Array("it's here".utf8)
        #expect(!EventExtractor.mayHoldApostrophe(bytes, Span(5, 9)))
        #expect(EventExtractor.mayHoldApostrophe(bytes, Span(0, 5)))
    }
}

/// The claim extractor's word sets, held as pointers into its store, answer as the phrase sets
/// they were made from.
struct ClaimWordSetTests {
    @Test func wordSetsAnswerAsTheirPhraseSets() throws {
        let words = ["said", "according to", "the", "in a statement", "in a", "said", "a statement", "to the"]
        let set = PhraseSet(words)
        let store = WordStore(members: [["x"], words], filterWords: [[1, 2, 3]])
        let w = store.wordSet(1)
        let doc = try TextProcessor.english().document(
            "The army said in a statement, according to the said report. In a statement to the press, a statement")
        let n = doc.tokens.count
        for i in doc.tokens.indices {
            #expect(w.contains(doc.tokens[i].key) == set.contains(doc.tokens[i].key))
            for limit in [i, i + 1, i + 2, n] where limit <= n {
                #expect(w.match(doc.tokens, at: i, limit: limit) == set.match(doc.tokens, at: i, limit: limit))
            }
            for floor in [0, i - 1, i] where floor >= 0 {
                #expect(w.endsAt(doc.tokens, i + 1, floor: floor) == set.endsAt(doc.tokens, i + 1, floor: floor))
            }
        }
        #expect(store.filter(0)[2] == 3)
        #expect(!store.wordSet(0).contains(Fold.key("said")))
        #expect(store.wordSet(0).contains(Fold.key("x")))
    }
}
