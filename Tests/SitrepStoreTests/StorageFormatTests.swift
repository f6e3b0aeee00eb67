import Foundation
import GRDB
import SitrepExtract
import SitrepMerge
@testable import SitrepStore
import Testing

@Suite struct StorageFormatTests {
    typealias F = Fixture

    @Test func deflateRoundTrips() throws {
        let samples: [[UInt8]] = [
            [], Array("{}".utf8), Array(String(repeating: "shelling struck the town; ", count: 2000).utf8),
            (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) },
        ]
        for s in samples {
            let c = try #require(Deflate.compress(s))
            #expect(Deflate.decompress(c) == s)
        }
        // Damaged or foreign bytes give nil, never a crash.
        #expect(Deflate.decompress([1, 2]) == nil)
        #expect(Deflate.decompress([9, 0, 0, 0, 1, 2, 3]) == nil)
        // A damaged length (here 4 GB − 1 for an 8-byte blob) is refused before any allocation.
        #expect(Deflate.decompress([255, 255, 255, 255, 120, 1, 3, 0]) == nil)
        // A stream that stops short of the length it declares is damaged too.
        let whole = try #require(Deflate.compress(Array(String(repeating: "a shell hit a school. ", count: 500).utf8)))
        #expect(Deflate.decompress(Array(whole.prefix(whole.count / 2))) == nil)
    }

    @Test func lz4RoundTripsAndReadsZstdAndDeflate() throws {
        let samples: [[UInt8]] = [
            [], Array("{}".utf8), Array(String(repeating: "shelling struck the town; ", count: 2000).utf8),
            (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) },
            [UInt8](repeating: 7, count: 100_000),
        ]
        for s in samples {
            let c = try #require(StoredBlob.compress(s))
            #expect(StoredBlob.isLZ4(c) && !StoredBlob.isZstd(c))
            #expect(StoredBlob.decompress(c) == s)
            // Records written from `v5-zstd` until `v6-lz4` are zstd frames: they read the same.
            let z = try #require(StoredBlob.zstd(s))
            #expect(!StoredBlob.isLZ4(z))
            #expect(StoredBlob.decompress(z) == s)
            // A deflated record (before `v5-zstd`) is in neither newer format.
            let d = try #require(Deflate.compress(s))
            #expect(!StoredBlob.isLZ4(d) && !StoredBlob.isZstd(d))
        }
        // Damaged or foreign bytes give nil, never a crash.
        #expect(StoredBlob.decompress([0x53, 0x4C, 0x5A, 0x34, 1]) == nil)
        #expect(StoredBlob.decompress([0x53, 0x4C, 0x5A, 0x34, 1, 5, 0, 0, 0, 0x50, 1, 2]) == nil)
        let text = Array(String(repeating: "a shell hit a school. ", count: 500).utf8)
        let whole = try #require(StoredBlob.compress(text))
        #expect(StoredBlob.decompress(Array(whole.prefix(whole.count / 2))) == nil)
        for i in stride(from: LZ4Blob.headerSize, to: whole.count, by: 7) {
            var flipped = whole
            flipped[i] ^= 0xFF
            #expect(StoredBlob.decompress(flipped).map { $0.count == text.count } ?? true)
        }
        // A header declaring far more than the block could expand to is refused before allocating.
        #expect(StoredBlob.decompress([0x53, 0x4C, 0x5A, 0x34, 1, 0, 0, 0, 0x40, 0, 1, 2, 3]) == nil)
        // A record holds its own bytes, not the compression bound (≈ the input's size): a batch
        // of prepared articles kept ≈ 5× their compressed bytes alive (regression).
        let runs = try #require(StoredBlob.compress([UInt8](repeating: 7, count: 100_000)))
        #expect(runs.count < 1_000 && runs.capacity < 2 * runs.count + 64)
        // The version byte is never a zlib header's first byte (low nibble 8), so a deflated
        // record whose length happened to spell `SLZ4` would still not read as LZ4.
        #expect(LZ4Blob.version & 0x0F != 8)
    }

    @Test func zstdRoundTripsAndReadsDeflate() throws {
        let samples: [[UInt8]] = [
            [], Array("{}".utf8), Array(String(repeating: "shelling struck the town; ", count: 2000).utf8),
            (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) },
        ]
        for s in samples {
            let z = try #require(StoredBlob.zstd(s))
            #expect(StoredBlob.isZstd(z))
            #expect(StoredBlob.decompress(z) == s)
            // Records written before `v5-zstd` are deflated: they read the same.
            let d = try #require(Deflate.compress(s))
            #expect(!StoredBlob.isZstd(d))
            #expect(StoredBlob.decompress(d) == s)
        }
        // Damaged or foreign bytes give nil, never a crash.
        #expect(StoredBlob.decompress([0x28, 0xB5, 0x2F, 0xFD]) == nil)
        #expect(StoredBlob.decompress([0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3, 4, 5]) == nil)
        let whole = try #require(StoredBlob.zstd(Array(String(repeating: "a shell hit a school. ", count: 500).utf8)))
        #expect(StoredBlob.decompress(Array(whole.prefix(whole.count / 2))) == nil)
        var flipped = whole
        flipped[flipped.count / 2] ^= 0xFF
        #expect(StoredBlob.decompress(flipped).map { $0.count == 11_000 } ?? true)
        // A header declaring far more than the frame could hold is refused before allocating:
        // single-segment frame, 8-byte content size of 2^40.
        #expect(StoredBlob.decompress([0x28, 0xB5, 0x2F, 0xFD, 0xE0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0]) == nil)
    }

    /// Rewrites every stored record of `column` in `table` (keyed by `key`) in an earlier
    /// version's format: `encode` applied to the record's JSON text.
    static func rewriteRecords(
        _ db: Database, table: String, key: String, column: String, as encode: ([UInt8]) -> [UInt8]?
    ) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT \(key), sitrep_text(\(column)) FROM \(table)")
        #expect(!rows.isEmpty)
        for row in rows {
            let text: String = row[1]
            let blob = encode(Array(text.utf8)) ?? []
            try db.execute(sql: "UPDATE \(table) SET \(column) = ? WHERE \(key) = ?", arguments: [Data(blob), row[0] as Int64])
        }
    }

    @Test func rowsDeflatedByEarlierVersionsStillRead() throws {
        // Before `v5-zstd` ingest deflated the analysis, claims and casualties: such rows give the
        // same JSON through `sitrep_analysis`/`sitrep_text`, and the same canonical dump.
        let s = try SQLiteStore(path: F.tempDB())
        _ = try F.ingest(s, Articles.all)
        let hash = PreparedArticle.contentHash(Articles.a2.article)
        let before = try s.canonicalDump()
        let json = try #require(try s.analysis(ofArticle: hash))
        let deflated = try #require(Deflate.compress(Array(json.utf8)))
        try s.pool.write { db in
            try db.execute(sql: "UPDATE articles SET analysis = ? WHERE hash = ?", arguments: [Data(deflated), hash])
            for table in ["claims", "casualties"] {
                try Self.rewriteRecords(db, table: table, key: "article", column: "rows", as: Deflate.compress)
            }
        }
        #expect(try s.integer("SELECT COUNT(*) FROM articles WHERE typeof(analysis) = 'blob' AND hex(substr(analysis, 1, 4)) NOT IN ('28B52FFD', '534C5A34')") == 1)
        #expect(try s.analysis(ofArticle: hash) == json)
        #expect(try s.canonicalDump() == before)
    }

    @Test func rowsWrittenAsZstdByEarlierVersionsStillRead() throws {
        // From `v5-zstd` until `v6-lz4` ingest wrote zstd frames: a database holding them (every
        // record rewritten as one here) gives the same JSON and the same canonical dump.
        let s = try SQLiteStore(path: F.tempDB())
        _ = try F.ingest(s, Articles.all)
        let before = try s.canonicalDump()
        try s.pool.write { db in
            for (table, key, column) in [("articles", "id", "analysis"), ("claims", "article", "rows"), ("casualties", "article", "rows")] {
                try Self.rewriteRecords(db, table: table, key: key, column: column, as: StoredBlob.zstd)
            }
        }
        #expect(try s.integer("SELECT COUNT(*) FROM articles WHERE hex(substr(analysis, 1, 4)) <> '28B52FFD'") == 0)
        #expect(try s.integer("SELECT COUNT(*) FROM claims WHERE hex(substr(rows, 1, 4)) <> '28B52FFD'") == 0)
        #expect(try s.canonicalDump() == before)
    }

    @Test func storedAnalysisReadsBackAsTheContractLine() throws {
        let s = try SQLiteStore(path: F.tempDB())
        let a = Articles.a2
        _ = try F.ingest(s, [a])
        var stripped = a
        stripped.article.text = ""
        var line = AnalysisJSON.line(stripped)
        if line.last == 0x0A { line.removeLast() }
        let hash = PreparedArticle.contentHash(a.article)
        #expect(try s.analysis(ofArticle: hash) == String(decoding: line, as: UTF8.self))
        // Stored compressed, far smaller than the JSON.
        let size = try s.integer("SELECT length(analysis) FROM articles WHERE hash = ? AND typeof(analysis) = 'blob'", hash)
        #expect((size ?? .max) < line.count)
    }

    @Test func analysisWrittenAsTextByEarlierVersionsStillReads() throws {
        let s = try SQLiteStore(path: F.tempDB())
        _ = try F.ingest(s, [Articles.a2])
        let hash = PreparedArticle.contentHash(Articles.a2.article)
        let before = try s.canonicalDump()
        let json = try #require(try s.analysis(ofArticle: hash))
        try s.execute("UPDATE articles SET analysis = ? WHERE hash = ?", json, hash)
        #expect(try s.analysis(ofArticle: hash) == json)
        #expect(try s.canonicalDump() == before)
    }

    @Test func recordsRebuiltFromTheirLinkedReportsEqualTheMergeEngines() throws {
        // The store keeps no copy of incident records: `record` rebuilds each from its linked
        // reports and their evidence, in the engine's member order.
        let s = try SQLiteStore(path: F.tempDB())
        for a in Articles.all { _ = try F.ingest(s, [a]) }
        let engine = try #require(s.engine)
        let clusters = engine.allIncidents()
        #expect(clusters.count >= 2)
        #expect(clusters.contains { $0.members.count > 2 })
        for c in clusters {
            let held = JSONOut.string { JSONOut.incident(IncidentRecord(c), &$0) }
            let rebuilt = try #require(try s.record(c.id))
            #expect(JSONOut.string { JSONOut.incident(rebuilt, &$0) } == held)
        }
        #expect(try s.record("INC-0000000000000000") == nil)
    }
}
