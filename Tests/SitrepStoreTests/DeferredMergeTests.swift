import Foundation
import SitrepExtract
import SitrepMerge
import Testing

@testable import SitrepStore

/// The pipelined ingest (`DeferredMerge.swift`): batch k's incidents are written in batch k + 1's
/// transaction, and a run killed in between is finished by the next one.
@Suite struct DeferredMergeTests {
    typealias F = Fixture

    /// The test articles, then a new version of the first one (at its URL, later that day), one
    /// article per batch.
    static var batches: [[PreparedArticle]] {
        (Articles.all + [Articles.a1Updated]).map { [PreparedArticle($0, origin: $0.article.id)] }
    }

    /// The database of the one-transaction ingest, batch by batch.
    static func reference() throws -> String {
        let s = try SQLiteStore(path: F.tempDB())
        for b in batches { _ = try s.ingest(b) }
        return try s.canonicalDump()
    }

    /// Pipelined ingest of `batches` into `s`, the last merge left unwritten (a run killed after its
    /// last commit): waited for, so that a new store on the file is the only one working.
    static func pipelined(_ s: SQLiteStore, _ batches: [[PreparedArticle]]) throws {
        for b in batches { _ = try s.ingestPipelined(b) }
        _ = try s.outcome(s.outstanding)?.get()
    }

    static func marked(_ s: SQLiteStore) throws -> Bool {
        try s.pool.read { try SQLiteStore.pendingRegroups($0) } != nil
    }

    @Test func pipelinedIngestStoresWhatOneTransactionPerBatchStores() throws {
        let s = try SQLiteStore(path: F.tempDB())
        try Self.pipelined(s, Self.batches)
        // Before the last write, the last batch is stored but not merged, and marked so.
        #expect(try Self.marked(s))
        #expect(try s.canonicalDump() != Self.reference())
        let summary = try s.finishPipelined()
        #expect(summary.incidentsWritten > 0)
        #expect(try !Self.marked(s))
        #expect(try s.canonicalDump() == Self.reference())
        // Nothing is left to finish.
        #expect(try s.finishPipelined().incidentsWritten == 0)
    }

    /// Killed after each batch in turn (its merge never written): a new store on the file finishes
    /// the job, either with the next batches or, when none comes, by itself.
    @Test(arguments: [1, 2, 5, 8])
    func aRunKilledBeforeItsLastMergeIsFinishedByTheNext(killedAfter k: Int) throws {
        let all = Self.batches
        let reference = try Self.reference()
        for rest in [true, false] {
            let path = F.tempDB()
            let killed = try SQLiteStore(path: path)
            try Self.pipelined(killed, Array(all.prefix(k)))
            #expect(try Self.marked(killed))
            let resumed = try SQLiteStore(path: path)
            if rest {
                // the rerun: every batch again (the stored ones change nothing)
                for b in all { _ = try resumed.ingestPipelined(b) }
                _ = try resumed.finishPipelined()
                #expect(try resumed.canonicalDump() == reference)
            } else {
                _ = try resumed.finishPipelined()
                #expect(try !Self.marked(resumed))
                let whole = try SQLiteStore(path: F.tempDB())
                for b in all.prefix(k) { _ = try whole.ingest(b) }
                #expect(try resumed.canonicalDump() == whole.canonicalDump())
            }
        }
    }

    /// The batch left unmerged held a new version of an article whose reports the batch before had
    /// linked: they are retired on resume, and the one-transaction ingest finishes the job too.
    @Test func aNewVersionStoredButNotMergedRetiresTheOldOnResume() throws {
        let all = Self.batches
        let path = F.tempDB()
        let killed = try SQLiteStore(path: path)
        try Self.pipelined(killed, all)
        // The old version's reports are inactive and still linked (its retirement not written).
        let stale = try killed.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident_links l JOIN events e ON e.id = l.event WHERE e.active = 0")
        }
        #expect(stale == 1)
        let resumed = try SQLiteStore(path: path)
        _ = try resumed.ingest([])
        #expect(try !Self.marked(resumed))
        #expect(try resumed.canonicalDump() == Self.reference())
        let left = try resumed.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident_links l JOIN events e ON e.id = l.event WHERE e.active = 0")
        }
        #expect(left == 0)
    }

    /// A batch that fails (storing its articles, or writing the previous merge's incidents) rolls
    /// back whole; the merges under way end before the writer's state is dropped, and the next
    /// ingest loads it again from the database.
    @Test(arguments: ["articles", "incident_links"])
    func aFailedBatchRollsBackAndTheNextIngestStartsFromTheDatabase(failing table: String) throws {
        let s = try SQLiteStore(path: F.tempDB())
        let all = Self.batches
        for b in all.prefix(2) { _ = try s.ingestPipelined(b) }
        // (a temporary trigger belongs to the writer's connection, which `pool.write` uses)
        try s.pool.write { db in
            try db.execute(sql: "CREATE TEMP TRIGGER fail BEFORE INSERT ON \(table) BEGIN SELECT RAISE(ABORT, 'injected'); END")
        }
        #expect(throws: StoreError.self) { _ = try s.ingestPipelined(all[2]) }
        #expect(!s.loaded && s.engine == nil && s.outstanding == nil)
        try s.pool.write { db in try db.execute(sql: "DROP TRIGGER fail") }
        for b in all.dropFirst(2) { _ = try s.ingestPipelined(b) }
        _ = try s.finishPipelined()
        #expect(try s.canonicalDump() == Self.reference())
    }

    /// A report of the same shelling in three outlets' words: `swap` replaces words (by position)
    /// of one common text. The first two differ in two words each (estimated similarity under 0.8:
    /// two near-duplicate groups); the third, the common text, is a near-duplicate of both and
    /// joins their groups into one (positions found by trying: MinHash estimates from 32 hashes).
    /// Without `reports`, the article yields no report: only the regrouping changes an incident.
    static func outlet(_ id: String, swap: [Int: String], reports: Bool = true) -> PreparedArticle {
        var words = """
            Artillery fire struck the northern districts of the town overnight, damaging a school, a bakery and \
            two apartment buildings near the main square, according to the local administration. Emergency crews \
            worked through the morning to clear debris from the roads leading to the hospital, which lost power \
            for several hours before generators were brought in from the regional capital. Residents who spent the \
            night in basements described hearing at least a dozen explosions between midnight and dawn. The \
            administration said water supplies to three neighbourhoods had been cut and that repair teams would \
            need several days to restore them. Schools across the district will stay closed until the end of the \
            week while engineers inspect the buildings for structural damage. Aid groups delivered blankets, \
            bottled water and food parcels to families whose homes were no longer safe to live in.
            """.split(separator: " ").map(String.init)
        for (i, w) in swap { words[i] = w }
        let a = F.analysis(id: id, text: words.joined(separator: " "), published: "2020-10-12", source: "outlet-\(id)",
                           url: "https://outlet-\(id).example/town-shelled", title: "Town shelled overnight",
                           events: reports ? [F.EventSpec(date: F.day("2020-10-11"), place: F.martuni,
                                                          evidence: "Artillery fire struck the northern districts of the town")] : [])
        return PreparedArticle(a, origin: id)
    }

    @Test func aRegroupingStoredButNotMergedIsMergedOnResume() throws {
        let batches = [[Self.outlet("a", swap: [34: "eastern", 16: "clinic"])],
                       [Self.outlet("b", swap: [65: "shop", 30: "three"])],
                       [Self.outlet("c", swap: [:], reports: false)]]
        let reference = try SQLiteStore(path: F.tempDB())
        for b in batches { _ = try reference.ingest(b) }
        let groups = try reference.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT dup_group) FROM articles") }
        #expect(groups == 1)

        let path = F.tempDB()
        let killed = try SQLiteStore(path: path)
        for b in batches.prefix(2) { _ = try killed.ingestPipelined(b) }
        try Self.pipelined(killed, [batches[2]])
        // The third batch joined the two groups: the marker names the regrouped article, and only
        // the regrouping changes the incident (the third article has no report).
        let regrouped = try killed.pool.read { try SQLiteStore.pendingRegroups($0) }
        #expect(regrouped?.isEmpty == false)
        let resumed = try SQLiteStore(path: path)
        _ = try resumed.finishPipelined()
        #expect(try resumed.canonicalDump() == reference.canonicalDump())
        #expect(try resumed.incidents(IncidentQuery()).first?.independentSources == 1)
    }
}
