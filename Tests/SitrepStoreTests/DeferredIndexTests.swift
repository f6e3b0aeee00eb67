import Foundation
import SitrepStore
import Testing

/// A large ingest drops the query indexes and builds them at its end (`DeferredIndexes.swift`).
@Suite struct DeferredIndexTests {
    typealias F = Fixture

    @Test func deferredIngestGivesTheSameDatabaseAndSchema() throws {
        let plain = try SQLiteStore(path: F.tempDB())
        _ = try F.ingest(plain, Articles.all)

        let deferred = try SQLiteStore(path: F.tempDB())
        let schema = try deferred.indexDefinitions()
        try deferred.deferQueryIndexes()
        #expect(try deferred.deferredIndexes() == SQLiteStore.deferrableIndexes.sorted())
        for name in SQLiteStore.deferrableIndexes {
            #expect(try !deferred.indexDefinitions().contains { $0.hasPrefix(name + ":") })
        }
        // Deferring twice keeps the recorded SQL (the indexes are gone by then).
        try deferred.deferQueryIndexes()
        for a in Articles.all { _ = try F.ingest(deferred, [a]) }
        // Queries work while the indexes are deferred, with the same answers.
        #expect(try deferred.incidents(IncidentQuery(from: "2020-10-01", to: "2020-11-30")).map(\.id)
            == plain.incidents(IncidentQuery(from: "2020-10-01", to: "2020-11-30")).map(\.id))
        try deferred.restoreQueryIndexes()
        #expect(try deferred.deferredIndexes().isEmpty)
        #expect(try deferred.indexDefinitions() == schema)
        #expect(try deferred.canonicalDump() == plain.canonicalDump())
        // Restoring with nothing deferred changes nothing.
        try deferred.restoreQueryIndexes()
        #expect(try deferred.indexDefinitions() == schema)
    }

    @Test func indexesDeferredByAKilledRunAreRestoredOnReopen() throws {
        let path = F.tempDB()
        let first = try SQLiteStore(path: path)
        let schema = try first.indexDefinitions()
        try first.deferQueryIndexes()
        _ = try F.ingest(first, [Articles.a2])
        // A new process opens the file: the SQL it needs is in the database.
        let second = try SQLiteStore(path: path)
        #expect(try second.deferredIndexes() == SQLiteStore.deferrableIndexes.sorted())
        try second.restoreQueryIndexes()
        #expect(try second.indexDefinitions() == schema)
    }
}
