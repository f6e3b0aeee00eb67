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
}
