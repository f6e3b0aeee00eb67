import Foundation
@testable import SitrepStore
import Testing

/// The writer's CPU split by phase (`WriterPhases`, `SITREP_PHASES=1`).
@Suite struct WriterPhasesTests {
    typealias F = Fixture

    @Test func phasesAndCountsAreRecordedOnlyWhenEnabled() throws {
        let off = try SQLiteStore(path: F.tempDB())
        off.phases = WriterPhases(enabled: false)
        _ = try F.ingest(off, Articles.all)
        #expect(off.phases.seconds.allSatisfy { $0 == 0 })
        #expect(off.phases.counts.allSatisfy { $0 == 0 })
        #expect(off.phases.report(articles: 10).isEmpty)

        let on = try SQLiteStore(path: F.tempDB())
        on.phases = WriterPhases(enabled: true)
        _ = try F.ingest(on, Articles.all)
        #expect(on.phases.seconds.allSatisfy { $0 >= 0 })
        #expect(on.phases.seconds.reduce(0, +) > 0)
        let incidents = try on.incidents(IncidentQuery(limit: 0)).count
        #expect(incidents > 0)
        // Every incident was inserted once (the ingest started from an empty database).
        #expect(on.phases.counts[WriterPhases.Count.inserted.rawValue] >= incidents)
        #expect(on.phases.counts[WriterPhases.Count.upserts.rawValue] >= on.phases.counts[WriterPhases.Count.inserted.rawValue])
        #expect(on.phases.counts[WriterPhases.Count.linksWritten.rawValue] > 0)
        let lines = on.phases.report(articles: Articles.all.count)
        #expect(lines.count == WriterPhases.Phase.allCases.count + WriterPhases.Count.allCases.count)
        #expect(lines.first?.hasPrefix("hash/url look-ups: ") == true)
        // The one canonical dump: timing changes nothing.
        let plain = try SQLiteStore(path: F.tempDB())
        _ = try F.ingest(plain, Articles.all)
        #expect(try on.canonicalDump() == plain.canonicalDump())
    }

    @Test func fixedPointFormatting() {
        #expect(WriterPhases.fixed(0.5, 2) == "0.50")
        #expect(WriterPhases.fixed(1.23456, 4) == "1.2346")
        #expect(WriterPhases.fixed(12, 1) == "12.0")
    }
}
