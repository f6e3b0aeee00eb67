import Testing
import SitrepAnnotate
import SitrepText
@testable import SitrepExtract

/// What the event stage reads once per casualty answers as the string tests it replaces.
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
}
