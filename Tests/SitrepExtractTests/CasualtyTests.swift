import Testing
import SitrepAnnotate
import SitrepIngest
import SitrepLanguage
import SitrepText
@testable import SitrepExtract

/// Casualty figures and the traps that are not figures, on articles written for these tests.
@Suite struct CasualtyTests {
    func casualties(_ text: String, published: String? = "2021-03-14") throws -> [Casualty] {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: published)).casualties
    }

    func summary(_ c: Casualty) -> String {
        "\(c.outcome) \(c.low)/\(c.best)/\(c.high.map(String.init) ?? "open") \(c.qualifier) \(c.victims) \(c.scope)"
    }

    @Test func incidentFigures() throws {
        let cs = try casualties(
            "Shelling hit the market on Monday, killing a teenager and wounding thirty-seven people, "
                + "while two children were injured in a nearby village.")
        #expect(cs.map(summary) == [
            "killed 1/1/1 exact children incident",
            "wounded 37/37/37 exact people incident",
            "wounded 2/2/2 exact children incident",
        ])
    }

    @Test func qualifiedAndVagueFigures() throws {
        let cs = try casualties("More than 60 civilians died and about 300 were hurt in the raid.")
        #expect(cs.map(summary) == [
            "killed 61/61/open more-than civilians incident",
            "wounded 270/300/330 about people incident",
        ])
        let d = try casualties("Dozens of soldiers died in the ambush.")
        #expect(d.map(summary) == ["killed 12/12/99 vague military incident"])
    }

    @Test func cumulativeTollsWithPeriod() throws {
        let cs = try casualties(
            "Officials said 540 of their soldiers have been killed, along with 21 civilians. "
                + "At least 900 people have died in the five weeks of fighting.")
        #expect(cs.map(summary) == [
            "killed 540/540/540 exact military cumulative",
            "killed 21/21/21 exact civilians cumulative",
            "killed 900/900/open at-least people cumulative",
        ])
        #expect(cs.last?.period?.start == CalendarDate(year: 2021, month: 2, day: 7))
        #expect(cs.last?.period?.end == CalendarDate(year: 2021, month: 3, day: 14))
        let toll = try casualties("The death toll from the war has risen to nearly 3,000, the ministry said.")
        #expect(toll.map(summary) == ["killed 2700/3000/3000 nearly people cumulative"])
    }

    @Test func agesAreNotCounts() throws {
        let cs = try casualties("A 13-year-old boy died of his wounds in hospital on Sunday.")
        #expect(cs.map(summary) == ["killed 1/1/1 exact children incident"])
    }

    @Test func yearsDatesAndModelsAreNotCounts() throws {
        #expect(try casualties("The town has been shelled since the war ended in 1994.").isEmpty)
        #expect(try casualties("Rockets fired from BM-21 launchers killed no one on 12 March.").isEmpty)
        #expect(try casualties("On 4 May 2021 the shelling resumed, officials said.").isEmpty)
    }

    @Test func peopleWithoutAnOutcomeAreNotCasualties() throws {
        #expect(try casualties("Around 80 journalists are trapped in the city and 200 residents were evacuated.").isEmpty)
        #expect(try casualties("Three ceasefires have collapsed in four weeks.").isEmpty)
        #expect(try casualties("Two reporters said the city was shelled all day.").isEmpty)
    }

    @Test func possiblyManyMoreIsOpenEnded() throws {
        let cs = try casualties("At least 400 people, and possibly many more, have lost their lives since the war began.")
        #expect(cs.map(summary) == ["killed 400/400/open at-least people cumulative"])
    }

    @Test func everyFigureHasProvenanceAndSpan() throws {
        for c in try casualties("Gunmen killed five villagers and wounded two police officers.") {
            #expect(!c.rule.isEmpty)
            #expect(!c.span.isEmpty)
            #expect(c.span.contains(c.figureSpan))
        }
    }
}

/// Figures inside other figures: subsets never add to an incident's deaths; running totals replace.
@Suite struct CasualtyPartsTests {
    func analyze(_ text: String) throws -> Analysis {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2021-03-14"))
    }

    @Test func subsetsAreNotAdded() throws {
        let a = try analyze("Airstrikes on the market killed 25 civilians, including seven children and six women.")
        #expect(a.casualties.count == 3)
        #expect(a.casualties.filter { $0.rule.hasPrefix("subset:") }.count == 2)
        #expect(a.events.first?.fatalities?.best == 25)
    }

    @Test func runningTotalReplacesEarlierFigures() throws {
        let a = try analyze(
            "A roadside bomb exploded near the bus station on Monday. Two more people died of their wounds "
                + "on Tuesday, bringing the total to five people killed.")
        #expect(a.events.first?.fatalities?.best == 5)
    }

    /// The inline scope-cue filter (`scopeMayStart`) never rejects a token where the cues' trie
    /// finds a cue: every row of the lexicon, in a sentence of its own.
    @Test func scopeFilterPassesEveryCue() throws {
        let extractor = try TestSupport.extractor.get()
        let x = extractor.casualties
        let rows = try LanguageResources.lexicon("en/casualties/scope.tsv", required: ["phrase"]).rows
        #expect(rows.count > 10)
        var found = 0
        for row in rows {
            let doc = extractor.text.document("Officials said that \(row["phrase"]) 5 people were killed.")
            let tokens = doc.tokens
            let end = tokens.count
            tokens.withUnsafeBufferPointer { tp in
            x.startMarks.withUnsafeBufferPointer { marks in
            x.scopePairs.withUnsafeBufferPointer { pairs in
                for i in 0..<end where x.scope.longestFirstIndex(tokens, at: i, limit: end) != nil {
                    found += 1
                    #expect(CasualtyExtractor.scopeMayStart(tp, i, end: end, marks: marks, pairs: pairs), "\(row["phrase"])")
                }
            }
            }
            }
        }
        #expect(found >= rows.count)
    }
}
