import Foundation
import Testing
import SitrepAnnotate
import SitrepIngest
@testable import SitrepExtract

/// The acceptance reading of the two seed articles (read from `../shared/seeds` at test
/// time, never copied). Skipped when `../shared` is not beside the project.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestSupport.seeds)))
struct EventSeedTests {
    func analyses() throws -> [Analysis] {
        let extractor = try TestSupport.extractor.get()
        var out: [Analysis] = []
        InputReader().read([TestSupport.seeds]) { item in
            if case .article(let article, _) = item { out.append(extractor.analyze(article)) }
        }
        return out
    }

    func figures(_ a: Analysis) -> [String] {
        a.casualties.map {
            "\($0.outcome) \($0.low)/\($0.best)/\($0.high.map(String.init) ?? "open") \($0.qualifier) \($0.victims) \($0.scope)"
        }
    }

    @Test func seed000TollsAndTraps() throws {
        let a = try analyses()[0]
        let f = figures(a)
        // the teenager in Terter and the 13-year-old in Ganja: one child each, never 13
        #expect(f.filter { $0 == "killed 1/1/1 exact children incident" }.count == 2)
        #expect(!a.casualties.contains { $0.best == 13 })
        // cumulative tolls
        #expect(f.contains("killed 963/963/963 exact military cumulative"))
        #expect(f.contains("killed 37/37/37 exact civilians cumulative"))
        #expect(f.contains("killed 61/61/open more-than civilians cumulative"))
        #expect(f.contains("wounded 270/300/330 about people cumulative"))
        #expect(f.contains("killed 4500/5000/5000 nearly people cumulative"))
        #expect(a.casualties.contains { $0.best == 100 && $0.high != nil && $0.scope == "cumulative" })
        // "since 27 September" and "in the four weeks of fighting" give periods
        #expect(a.casualties.contains { $0.period?.start == CalendarDate(year: 2020, month: 9, day: 27) })
        #expect(a.casualties.contains { $0.period?.start == CalendarDate(year: 2020, month: 9, day: 26) })
        // events: shelling, never a battle from the cumulative toll or 1994 background
        #expect(!a.events.isEmpty)
        #expect(a.events.allSatisfy { $0.subtype == "Shelling/artillery/missile attack" })
        // no event carries a cumulative toll
        #expect(a.events.allSatisfy { ($0.fatalities?.best ?? 0) <= 2 })
    }

    @Test func seed002AgreementDenialAndTraps() throws {
        let a = try analyses()[1]
        let f = figures(a)
        #expect(f == ["killed 1000/1000/open at-least people cumulative"])  // not the 80 journalists
        #expect(a.casualties.first?.period?.start == CalendarDate(year: 2020, month: 9, day: 27))
        #expect(a.events.first?.subtype == "Shelling/artillery/missile attack")
        #expect(a.events.contains { $0.stance == "denied" })
        let agreement = a.events.first { $0.subtype == "Agreement" }
        #expect(agreement != nil)
        #expect(agreement?.date?.start == CalendarDate(year: 2020, month: 10, day: 30))
        #expect(!a.events.contains { $0.type == "Violence against civilians" })
    }
}
