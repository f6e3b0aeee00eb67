import Foundation
import GRDB
@testable import SitrepStore
import Testing

/// Background checkpoints (`Checkpointer`) and the in-memory band index (`BandIndex`).
@Suite struct CheckpointTests {
    typealias F = Fixture

    /// Articles in the database file alone (a copy without its WAL): what checkpoints copied.
    static func articlesInMainFile(_ path: String) throws -> Int {
        let copy = F.tempDB("main-only")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let q = try DatabaseQueue(path: copy)
        defer { try? q.close() }
        return try q.read { db in
            // Without a checkpoint the file may not even hold the schema yet.
            guard try db.tableExists("articles") else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM articles") ?? -1
        }
    }

    static func autocheckpoint(_ s: SQLiteStore) throws -> Int {
        try s.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? -1 }
    }

    @Test func backgroundCheckpointsCopyTheWALAndChangeNoRow() throws {
        let plain = try SQLiteStore(path: F.tempDB())
        for a in Articles.all { _ = try F.ingest(plain, [a]) }
        // A small database never reaches the writer's own checkpoint: its file alone is empty.
        #expect(try Self.articlesInMainFile(plain.path) == 0)

        let s = try SQLiteStore(path: F.tempDB())
        try s.startBackgroundCheckpoints()
        try s.startBackgroundCheckpoints()  // a second start changes nothing
        #expect(try Self.autocheckpoint(s) == s.walPages * Checkpointer.backstopFactor)
        let checkpointer = try #require(s.checkpointer)
        for a in Articles.all { _ = try F.ingest(s, [a]) }
        try s.stopBackgroundCheckpoints()
        #expect(checkpointer.runs >= 1)
        #expect(s.checkpointer == nil)
        #expect(try Self.autocheckpoint(s) == s.walPages)
        // Every committed batch was copied into the database file by the last checkpoint.
        #expect(try Self.articlesInMainFile(s.path) == Articles.all.count)
        #expect(try s.canonicalDump() == plain.canonicalDump())
        // Stopping again is harmless; ingest goes on without the checkpointer.
        try s.stopBackgroundCheckpoints()
        _ = try F.ingest(s, Articles.all)
        #expect(try s.canonicalDump() == plain.canonicalDump())
    }

    @Test func bandIndexKeepsTheNewestArticlesPerBand() {
        var index = BandIndex()
        // Enough keys to grow the table several times; every key shared by `k % 5 + 1` articles.
        var expected: [Int64: [Int64]] = [:]
        var article: Int64 = 1
        for round in 0..<5 {
            for k in 0..<3_000 where k % 5 >= round {
                let key = Int64(bitPattern: UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
                let added = index.insert(band: key, article: article)
                #expect(added)
                expected[key, default: []].insert(article, at: 0)
                article += 1
            }
        }
        #expect(index.count == expected.values.reduce(0) { $0 + $1.count })
        for (key, articles) in expected {
            var out: [Int64] = []
            index.newest(key, limit: 3, into: &out)
            #expect(out == Array(articles.prefix(3)))
        }
        var none: [Int64] = []
        index.newest(12_345, limit: 32, into: &none)
        #expect(none.isEmpty)
    }

    @Test func bandKeysRoundTrip() {
        let keys: [Int64] = [0, 1, -1, .min, .max, 0x0102_0304_0506_0708]
        let bytes = BandIndex.encode(keys)
        #expect(bytes.count == keys.count * 8)
        #expect(Array(bytes[40..<48]) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(bytes.withUnsafeBytes { BandIndex.decode($0) } == keys)
        // A length that is not a whole number of keys is damage, not a shorter list.
        #expect(Array(bytes.dropLast()).withUnsafeBytes { BandIndex.decode($0) } == nil)
    }

    @Test func damagedBandRowsStopTheWriterWithAClearError() throws {
        let s = try SQLiteStore(path: F.tempDB())
        _ = try F.ingest(s, [Articles.a1])
        #expect(try s.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article_bands") } == 1)
        try s.pool.write { db in try db.execute(sql: "UPDATE article_bands SET bands = x'0102'") }
        let reopened = try SQLiteStore(path: s.path)
        #expect(throws: StoreError.self) { try F.ingest(reopened, [Articles.a2]) }
    }
}

/// A large ingest's settings (`LargeIngest`).
@Suite struct LargeIngestTests {
    typealias F = Fixture

    static func pragma(_ s: SQLiteStore, _ name: String) throws -> Int {
        try s.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA \(name)") ?? 0 }
    }

    @Test func batchSizeFollowsTheIngestUnlessGiven() {
        #expect(LargeIngest.batchSize(explicit: nil, large: false) == 512)
        #expect(LargeIngest.batchSize(explicit: nil, large: true) == LargeIngest.batch)
        #expect(LargeIngest.batch(memory: 8 << 30) == 4_096)
        #expect(LargeIngest.batch(memory: 23 << 30) == 16_384)
        #expect(LargeIngest.batchSize(explicit: 50, large: true) == 50)
        #expect(LargeIngest.batchSize(explicit: 0, large: false) == 1)
    }

    @Test func batchesRampUpToTheirSize() {
        func sizes(_ size: Int, _ n: Int) -> [Int] {
            var ramp = LargeIngest.Ramp(size: size)
            return (0..<n).map { _ in ramp.next() }
        }
        #expect(sizes(16_384, 7) == [512, 1_024, 2_048, 4_096, 8_192, 16_384, 16_384])
        #expect(sizes(4_096, 5) == [512, 1_024, 2_048, 4_096, 4_096])
        #expect(sizes(3_000, 4) == [512, 1_024, 2_048, 3_000])
        #expect(sizes(512, 2) == [512, 512])
        #expect(sizes(50, 2) == [50, 50])
        #expect(sizes(0, 2) == [1, 1])
        var ramp = LargeIngest.Ramp(size: 2_000)
        #expect(ramp.upcoming == 512)
        _ = ramp.next()
        #expect(ramp.upcoming == 1_024)
    }

    @Test func largeIngestScalesTheWALAndTheWritersCacheUntilStopped() throws {
        let mb = LargeIngest.writerCacheMB()
        #expect(mb >= SQLiteStore.defaultCacheMB || ProcessInfo.processInfo.environment["SITREP_CACHE_MB"] != nil)
        #expect(mb <= LargeIngest.maxCacheMB || ProcessInfo.processInfo.environment["SITREP_CACHE_MB"] != nil)
        let s = try SQLiteStore(path: F.tempDB())
        #expect(try Self.pragma(s, "cache_size") == -s.cacheMB * 1024)
        try s.startBackgroundCheckpoints(large: true)
        #expect(try Self.pragma(s, "wal_autocheckpoint")
            == s.walPages * Checkpointer.backstopFactor * LargeIngest.walFactor)
        #expect(try Self.pragma(s, "cache_size") == -mb * 1024)
        _ = try F.ingest(s, Articles.all)
        try s.stopBackgroundCheckpoints()
        #expect(try Self.pragma(s, "wal_autocheckpoint") == s.walPages)
        #expect(try Self.pragma(s, "cache_size") == -s.cacheMB * 1024)
        let plain = try SQLiteStore(path: F.tempDB())
        _ = try F.ingest(plain, Articles.all)
        #expect(try s.canonicalDump() == plain.canonicalDump())
    }
}
