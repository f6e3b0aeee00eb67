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
            #expect(info.narrativeOnly == rule.narrativeOnly)
            #expect(info.hasParams == !rule.params.isEmpty)
        }
    }

    /// The stack-buffer formatters write what the string-building ones wrote.
    @Test func calendarValuesFormatLikeStringPadding() {
        func reference(_ v: Int, _ width: Int) -> String {
            let s = String(abs(v))
            let p = s.count < width ? String(repeating: "0", count: width - s.count) + s : s
            return v < 0 ? "-" + p : p
        }
        for v in [-123_456, -10_000, -1000, -999, -100, -45, -9, -1, 0, 1, 7, 9, 10, 42, 99, 100, 480, 999, 1000, 1999,
                  2024, 9999, 10_000, 123_456_789, Int.max] {
            for width in 1...5 { #expect(TimeCalendar.pad(v, width) == reference(v, width)) }
            let year = v < 0 ? "BC" + reference(-v, 4) : reference(v, 4)
            #expect(TimeCalendar.yearString(v) == year)
            #expect(TimeCalendar.monthValue(v, 3) == year + "-03")
        }
        #expect(TimeCalendar.dayValue(TimeCalendar.days(2021, 6, 2)) == "2021-06-02")
        #expect(TimeCalendar.dayValue(TimeCalendar.days(-480, 9, 23)) == "BC0480-09-23")
        #expect(TimeCalendar.dayValue(TimeCalendar.days(12, 12, 31)) == "0012-12-31")
        #expect(TimeCalendar.weekValue(TimeCalendar.days(2021, 1, 1)) == "2020-W53")
        #expect(TimeCalendar.weekValue(TimeCalendar.days(2021, 6, 2)) == "2021-W22")
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
