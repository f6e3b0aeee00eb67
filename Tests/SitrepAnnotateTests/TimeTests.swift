import Testing
import SitrepText
@testable import SitrepAnnotate

/// Shared loaded data: the tagger and the text processor.
enum TimeFixture {
    static let tagger: TimeTagger? = try? TimeTagger.english()
    static let processor: TextProcessor? = try? TextProcessor.english()

    struct Found {
        var text: String
        var value: String
        var type: TimexType
        var mod: String?
        var timex: Timex
    }

    static func tag(_ text: String, published: String?) -> (found: [Found], annotations: Annotations) {
        guard let tagger, let processor else { return ([], Annotations()) }
        let doc = processor.document(text)
        var a = Annotations()
        tagger.tag(doc, context: ArticleContext(published: published.flatMap { CalendarDate(iso: $0) }), into: &a)
        let found = a.times.compactMap { m -> Found? in
            guard let t = m.timex else { return nil }
            return Found(text: doc.string(m.span), value: t.value, type: t.type, mod: t.mod, timex: t)
        }
        return (found, a)
    }

    static func value(_ phrase: String, in text: String, published: String?) -> String? {
        tag(text, published: published).found.first { $0.text == phrase }?.value
    }
}

@Suite struct TimeRuleExamples {
    @Test func dataLoads() throws {
        let tagger = try TimeTagger.english()
        #expect(tagger.examples.count > 50)
    }

    /// Every rule's `examples` entry: the expected extent is found with the expected value.
    @Test func everyRuleExample() throws {
        let tagger = try TimeTagger.english()
        var failures: [String] = []
        for e in tagger.examples {
            let (found, _) = TimeFixture.tag(e.text, published: e.anchor)
            let hit = found.first { e.span == nil || $0.text == e.span }
            if hit?.value != e.value {
                failures.append("\(e.rule): '\(e.text)' @\(e.anchor) → \(found.map { "\($0.text)=\($0.value)" }) expected \(e.span ?? "?")=\(e.value)")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}

@Suite struct TimeCalendarTests {
    @Test func dayNumbersRoundTrip() {
        for n in stride(from: -800_000, through: 200_000, by: 997) {
            let d = TimeCalendar.date(n)
            #expect(TimeCalendar.days(d) == n)
        }
        #expect(TimeCalendar.days(1970, 1, 1) == 0)
    }

    @Test func leapYears() {
        #expect(TimeCalendar.isValid(2020, 2, 29))
        #expect(!TimeCalendar.isValid(2021, 2, 29))
        #expect(!TimeCalendar.isValid(1900, 2, 29))
        #expect(TimeCalendar.isValid(2000, 2, 29))
        #expect(TimeCalendar.dayValue(TimeCalendar.days(2020, 2, 28) + 1) == "2020-02-29")
    }

    @Test func isoWeeks() {
        // 2020 has 53 ISO weeks; 2021-01-03 is still in 2020-W53.
        #expect(TimeCalendar.weekValue(TimeCalendar.days(2021, 1, 3)) == "2020-W53")
        #expect(TimeCalendar.weekValue(TimeCalendar.days(2021, 1, 4)) == "2021-W01")
        #expect(TimeCalendar.weekValue(TimeCalendar.days(2015, 12, 31)) == "2015-W53")
        #expect(TimeCalendar.weekValue(TimeCalendar.days(2019, 12, 30)) == "2020-W01")
        let r = TimeCalendar.range(of: "2020-W53")
        #expect(r?.0.lowerBound.description == "2020-12-28")
        #expect(r?.0.upperBound.description == "2021-01-03")
    }

    @Test func ranges() {
        #expect(TimeCalendar.range(of: "2020-02")?.0.upperBound.description == "2020-02-29")
        #expect(TimeCalendar.range(of: "199X")?.1 == .decade)
        #expect(TimeCalendar.range(of: "2020-Q3")?.0.lowerBound.description == "2020-07-01")
        #expect(TimeCalendar.range(of: "2020-WI")?.0.upperBound.description == "2021-02-28")
        #expect(TimeCalendar.range(of: "PRESENT_REF") == nil)
        #expect(TimeCalendar.range(of: "2021-02-29") == nil)
    }
}

@Suite struct TimeEdgeCases {
    @Test func lastWeekAcrossTheYearBoundary() {
        #expect(TimeFixture.value("last week", in: "Officials said last week that the talks had failed.", published: "2021-01-02") == "2020-W52")
        #expect(TimeFixture.value("this week", in: "Officials met this week.", published: "2021-01-02") == "2020-W53")
        #expect(TimeFixture.value("last year", in: "Prices rose last year.", published: "2021-01-02") == "2020")
        #expect(TimeFixture.value("yesterday", in: "The talks ended yesterday.", published: "2021-01-01") == "2020-12-31")
    }

    @Test func leapDayWithoutYear() {
        #expect(TimeFixture.value("29 February", in: "The attack happened on 29 February.", published: "2020-03-10") == "2020-02-29")
        // 2021 has no 29 February: the most recent one is 2020.
        #expect(TimeFixture.value("29 February", in: "The attack happened on 29 February.", published: "2021-03-10") == "2020-02-29")
    }

    @Test func dateRangeAndPrecision() {
        let (found, _) = TimeFixture.tag("Officials said last week that talks had failed.", published: "2020-10-24")
        let t = found.first?.timex
        #expect(t?.precision == .week)
        #expect(t?.range?.lowerBound.description == "2020-10-12")
        #expect(t?.range?.upperBound.description == "2020-10-18")
    }

    @Test func agesAreNotDurations() {
        let (found, _) = TimeFixture.tag("A 13-year-old boy died of his wounds.", published: "2020-10-24")
        #expect(found.isEmpty)
    }

    @Test func modifiersJoinTheExtent() {
        let (found, _) = TimeFixture.tag("Clashes resumed in mid-November and early December, after nearly three decades of calm.", published: "2020-12-24")
        #expect(found.map(\.text) == ["mid-November", "early December", "nearly three decades"])
        #expect(found.map { $0.mod ?? "" } == ["MID", "START", "APPROX"])
        #expect(found.last?.value == "P3DE")
    }

    @Test func anchorIsAlwaysSet() {
        let (_, a) = TimeFixture.tag("Nothing dated here.", published: "2020-10-24")
        #expect(a.anchor?.description == "2020-10-24")
    }
}

/// Golden documents written for these tests.
@Suite struct TimeGoldenDocuments {
    /// A news report with mixed tenses, anchored on its publication date (a Saturday).
    @Test func mixedTenseNews() {
        let text = """
            Artillery fire hit the outskirts of the town on Thursday, local officials said. \
            A spokesman said today that talks would resume on Monday. \
            The ceasefire agreed on 10 October collapsed within hours, and the fighting that began \
            on 27 September has now lasted four weeks. Foreign ministers will meet next week.
            """
        let (found, a) = TimeFixture.tag(text, published: "2020-10-24")
        let byText = Dictionary(found.map { ($0.text, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(byText["Thursday"] == "2020-10-22")
        #expect(byText["today"] == "2020-10-24")
        #expect(byText["Monday"] == "2020-10-26")
        #expect(byText["10 October"] == "2020-10-10")
        #expect(byText["27 September"] == "2020-09-27")
        #expect(byText["four weeks"] == "P4W")
        #expect(byText["next week"] == "2020-W44")
        #expect(a.publishedEstimate == nil)
    }

    /// A history narrative: relative expressions follow the last explicit date.
    @Test func narrative() {
        let text = """
            The offensive opened on 4 June 1916 along a wide front. The next day the first line fell. \
            In July the attackers reached the river, and two weeks later the defenders withdrew. \
            By the winter of 1916 the front had stabilised. In 1917 the army mutinied; \
            in March the government collapsed.
            """
        let (found, _) = TimeFixture.tag(text, published: "2009-12-19")
        let byText = Dictionary(found.map { ($0.text, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(byText["4 June 1916"] == "1916-06-04")
        #expect(byText["The next day"] == "1916-06-05")
        #expect(byText["July"] == "1916-07")
        #expect(byText["the winter of 1916"] == "1916-WI")
        #expect(byText["March"] == "1917-03")
    }

    /// An undated article: the publication date is estimated from a caption date and a count
    /// of weeks since the start of the fighting; weekdays resolve against the estimate.
    @Test func undatedArticle() {
        let text = """
            The regional capital came under heavy shelling on Thursday, two aid workers said.

            Scores of homes have burned since the clashes erupted on September 27.

            Smoke rises over the old town after overnight shelling, November 2, 2020. /Agency

            Now in its sixth week, the war shows no sign of easing.
            """
        let (found, a) = TimeFixture.tag(text, published: nil)
        #expect(a.publishedEstimate != nil)
        #expect(a.publishedEstimate?.value == "2020-W45")
        #expect(a.anchor.map { $0.year == 2020 && $0.month == 11 } == true)
        let thursday = found.first { $0.text == "Thursday" }
        #expect(thursday?.value == "2020-11-05")
        #expect(thursday?.timex.precision == .week)
        #expect(found.first { $0.text == "September 27" }?.value == "2020-09-27")
        // regression: a written month and day borrow only the year from the estimate, and stay
        // day-precise (they were given the estimate's week)
        #expect(found.first { $0.text == "September 27" }?.timex.precision == .day)
    }
}

/// Rule families added for TIMEX3 value conventions (news-style and history-style texts written for the tests).
@Suite struct TimeValueFamilies {
    /// A history-style text: three explicit years, no deictic words (narrative mode).
    static let narrative = """
        The rebellion began in March 1912 in the northern provinces. By 1913 the rebels held the coast. \
        The government counter-attack opened in December 1913 along the river.
        """

    @Test func decadesAreTimeMLDecades() {
        #expect(TimeFixture.value("the 1990s", in: "Prices fell sharply in the 1990s, officials said.", published: "2020-10-24") == "199")
        #expect(TimeFixture.value("the late 1970s", in: "The dam was built in the late 1970s.", published: "2020-10-24") == "197")
        #expect(TimeCalendar.range(of: "199")?.1 == .decade)
        #expect(TimeCalendar.decadeValue(TimeCalendar.decade(of: -481)) == "BC048")
    }

    @Test func coordinatedMonthTakesTheFollowingYear() {
        let text = Self.narrative + " Fighting spread in August and September 1914 to the mountain towns."
        #expect(TimeFixture.value("August", in: text, published: nil) == "1914-08")
        let news = "The ministry said output fell between March and April 2019, before recovering."
        #expect(TimeFixture.value("March", in: news, published: "2020-10-24") == "2019-03")
        let spring = "Both armies spent the spring and early summer of 1916 preparing new offensives."
        #expect(TimeFixture.value("the spring", in: Self.narrative + " " + spring, published: nil) == "1916-SP")
    }

    @Test func intentionWordsPointAhead() {
        // Published on a Friday: "were planning to march ... on Monday" is the coming Monday.
        let text = "Veterans were planning to march on the ministry on Monday."
        #expect(TimeFixture.value("Monday", in: text, published: "2020-10-23") == "2020-10-26")
        // A past-perfect clause: "by Wednesday" lies behind.
        let perfect = "Thirty countries had filed their reports by Wednesday, the agency said."
        #expect(TimeFixture.value("Wednesday", in: perfect, published: "2020-10-23") == "2020-10-21")
    }

    @Test func irregularPastVerbsSetThePast() {
        // "brought in" is past: the January before the publication date, not the next one.
        let text = "In January, the company brought in a new chief executive."
        #expect(TimeFixture.value("January", in: text, published: "2020-10-27") == "2020-01")
        let weekday = "The fund bought 500,000 shares from Sept. 14 to Thursday for $15 each."
        #expect(TimeFixture.value("Thursday", in: weekday, published: "2020-10-26") == "2020-10-22")
    }

    @Test func narrativeCrossesTheYearEnd() {
        // The reference time is December 1913: "In January" is January 1914, "in June" stays in 1913.
        let text = Self.narrative + " In January the rebels withdrew to the hills."
        #expect(TimeFixture.value("January", in: text, published: nil) == "1914-01")
        let back = Self.narrative + " The offensive had been planned in June."
        #expect(TimeFixture.value("June", in: back, published: nil) == "1913-06")
        let winter = Self.narrative + " Over the winter, thousands died of disease."
        #expect(TimeFixture.value("the winter", in: winter, published: nil) == "1914-WI")
    }
}

@Suite struct TimeQuarterComparisons {
    /// "a year earlier" a few sentences after the quarter reported compares with that quarter,
    /// and a shifted quarter does not become the next comparison's base.
    @Test func yearEarlierFollowsTheReportedQuarter() {
        let text = """
            The refiner said profit rose 12% in the third quarter. Sales were steady at $2.1 billion. \
            A year earlier, it had earned $40 million. Year-earlier sales were $1.9 billion.
            """
        let found = TimeFixture.tag(text, published: "2020-10-24").found
        #expect(found.first { $0.text == "A year earlier" }?.value == "2019-Q3")
        #expect(found.first { $0.text.lowercased() == "year-earlier" }?.value == "2019-Q3")
    }

    /// The cue rule "its <ordinal> <unit>" ("now in its sixth week") must not hide "its third quarter".
    @Test func cueDoesNotHideAQuarter() {
        let text = "Sales at the carmaker fell for its third quarter in a row, the company said."
        #expect(TimeFixture.value("third quarter", in: text, published: "2020-10-24") == "2020-Q3")
    }

    @Test func theYearAndTheYearEnded() {
        let text = "The airline lost $40 million in the fiscal year ended March 31. For the year, traffic fell 8%."
        let found = TimeFixture.tag(text, published: "2020-10-24").found
        #expect(found.first { $0.text == "the fiscal year" }?.value == "P1Y")
        #expect(found.first { $0.text == "the fiscal year" }?.type == .duration)
        #expect(found.first { $0.text == "the year" }?.value == "2020")
        let compound = TimeFixture.tag("Profit in the year-ago quarter was $3 million.", published: "2020-10-24").found
        #expect(!compound.contains { $0.text == "the year" })
    }

    /// Rates are not periods in news: "$2 million a year", "10,000 barrels annually". A frequency
    /// after a preposition stays a period ("within a week").
    @Test func ratesAreNotPeriodsInNews() {
        let text = """
            The blockade costs the port $2 million a year, and about 3,000 refugees a day cross the border. \
            Exports grew 8% annually before the war. Officials hope to reopen the road within a week.
            """
        let found = TimeFixture.tag(text, published: "2020-10-24").found
        #expect(found.map(\.text) == ["a week"])
        #expect(found.first?.value == "P1W")
    }

    /// In a history narrative a rate is a SET (WikiWars-style TIMEX3).
    @Test func ratesAreSetsInNarratives() {
        let text = """
            The siege began in 1870. By 1871 the garrison was losing 40 men a day. In 1872 the city fell \
            and in 1873 the treaty was signed.
            """
        let found = TimeFixture.tag(text, published: nil).found
        let rate = found.first { $0.text == "a day" }
        #expect(rate?.type == .set)
        #expect(rate?.value == "P1D")
    }

    /// Ages are not durations in news: "52 years old", "in his 30s".
    @Test func agesInNewsAreNotTimes() {
        let text = "The commander, 52 years old, and a driver in his 30s were killed on Tuesday."
        let found = TimeFixture.tag(text, published: "2020-10-24").found
        #expect(found.map(\.text) == ["Tuesday"])
    }

    /// "Now," opening a sentence is a discourse marker; "now" inside a clause is the present.
    @Test func nowWithACommaOpensADiscourse() {
        let text = "The army took the ridge in May. Now, the question is who holds the valley. The rebels now control the road."
        let found = TimeFixture.tag(text, published: "2020-10-24").found
        #expect(found.filter { $0.value == "PRESENT_REF" }.map(\.text) == ["now"])
    }

    /// A month after a determiner: the month when a noun follows ("the October offensive"), a
    /// march when a preposition follows ("the March to the capital").
    @Test func monthAfterADeterminer() {
        let text = "Survivors of the October offensive joined the March to the capital on Sunday."
        let found = TimeFixture.tag(text, published: "2020-11-24").found
        #expect(found.map(\.text) == ["October", "Sunday"])
        #expect(found.first?.value == "2020-10")
    }

    /// Ordinal centuries (TIMEX3: the first two digits) and halves of units.
    @Test func centuriesAndHalves() {
        let text = "The 14th-century citadel was shelled for 5 1/2 hours, and the siege lasted a year and a half."
        let found = TimeFixture.tag(text, published: "2020-10-24").found
        #expect(found.map(\.text) == ["14th-century", "5 1/2 hours", "a year and a half"])
        #expect(found.map(\.value) == ["13", "PT5H30M", "P1Y6M"])
    }

    /// "a year-earlier loss": the compound is the date (the reported quarter a year before), not
    /// the duration "a year"; "the year-ago third quarter" is that quarter a year before.
    @Test func yearEarlierCompounds() {
        let text = """
            The refinery reported a $4 million loss for the third quarter, down from a year-earlier loss of $9 million. \
            In the year-ago third quarter, it also cut jobs.
            """
        let found = TimeFixture.tag(text, published: "2020-10-24").found
        #expect(found.map(\.text) == ["the third quarter", "year-earlier", "the year-ago third quarter"])
        #expect(found.map(\.value) == ["2020-Q3", "2019-Q3", "2019-Q3"])
    }

    /// Idioms and compounds that are not times ("high noon", "day-to-day"), and a month after
    /// "each" is a SET.
    @Test func idiomsCompoundsAndMonthlySets() {
        let text = """
            For the rebels it was high noon. The day-to-day running of the camp fell to volunteers, \
            who hold a vigil each March.
            """
        let found = TimeFixture.tag(text, published: "2020-10-24").found
        #expect(found.map(\.text) == ["each March"])
        #expect(found.first?.type == .set)
        #expect(found.first?.value == "XXXX-03")
    }
}
