import Testing
import SitrepText
@testable import SitrepAnnotate

/// The candidate filter reads rule facts resolved once at load; they must agree with the rule file.
@Suite struct TimeRuleInfoTests {
    @Test func everyKnownActionHasItsOwnCase() {
        for action in TimeResolver.actions {
            #expect(TimeAction(action) != .other, "action '\(action)' falls through to .other")
        }
        #expect(TimeAction("no-such-action") == .other)
    }

    @Test func infosMirrorTheLoadedRules() throws {
        let tagger = try TimeTagger.english()
        #expect(tagger.infos.count == tagger.rules.count)
        for (rule, info) in zip(tagger.rules, tagger.infos) {
            #expect(info.action == TimeAction(rule.action))
            #expect(info.type == rule.type)
            #expect(info.priority == rule.priority)
            #expect(info.silent == rule.silent)
            #expect(info.notDeictic == rule.notDeictic)
            #expect(info.dateYear == (rule.id == "date-year"))
            #expect(info.dateMonth == (rule.id == "date-month"))
            #expect(info.unspecifiedCount == (rule.params["n"] == "X"))
            #expect(info.refLike == rule.action.hasPrefix("ref"))
        }
    }

    @Test func filtersStillRejectAgesFractionsAndIdioms() throws {
        let tagger = try TimeTagger.english()
        let processor = try TextProcessor.english()
        func times(_ text: String) -> [String] {
            let doc = processor.document(text)
            var annotations = Annotations()
            tagger.tag(doc, context: ArticleContext(published: CalendarDate(year: 2021, month: 6, day: 2)), into: &annotations)
            return annotations.times.map { doc.string($0.span) }
        }
        // "13-year-old" is an age, "a quarter of" a fraction: neither is a time.
        #expect(times("A 13-year-old boy was hurt on Monday.") == ["Monday"])
        #expect(!times("Rebels hold a quarter of the province.").contains("a quarter"))
        // A month with its year stays one date expression.
        #expect(times("The talks resumed in March 2021.").contains { $0.contains("March 2021") })
    }
}
