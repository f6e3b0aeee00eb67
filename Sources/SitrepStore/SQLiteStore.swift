import Foundation
import GRDB
import GRDBSQLite
import SitrepMerge

/// A problem with the database, naming the file.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// The SQLite implementation (GRDB, WAL mode: readers work during ingest).
///
/// Ingest writes each batch in one transaction: an article, its reports and the incidents they
/// change are committed together or not at all, so a killed run leaves no partial rows and a
/// rerun skips what is stored (same content hash) and finishes the job.
public final class SQLiteStore: SitrepStore, @unchecked Sendable {
    public let path: String
    let pool: DatabasePool
    /// Merge state (reports of active articles, their incidents), loaded on first ingest; used by
    /// `merge` only (the merge thread of a pipelined ingest, `DeferredMerge.swift`).
    var engine: MergeEngine?
    /// Whether the writer holds the merge state, band index and stored incidents (`ensureLoaded`).
    /// This and the rest of the writer's state below are touched by the writing thread only.
    var loaded = false
    /// What a killed run stored but did not merge, found by the load: merged with the next batch.
    var pendingInput: MergeInput?
    /// The merge handed to the merge thread last, its incidents not written yet (a pipelined ingest).
    var outstanding: MergeTicket?
    /// The merge thread of a pipelined ingest (`DeferredMerge.swift`), and what it calls around a merge.
    let mergeQueue = DispatchQueue(label: "sitrep.merge")
    public var pipelineHooks = PipelineHooks()
    let mergeLock = NSLock()
    var mergeCPU = 0.0
    /// Whether the database's `merge_pending` marker is set (as far as this store wrote or read it).
    var pendingMarked = false
    /// The LSH bands of the stored articles (`BandIndex`), loaded with the merge state and kept
    /// the same way.
    var bandIndex: BandIndex?
    /// The stored incidents' row ids, indexed values and links (`StoredIncidents`), loaded with the
    /// merge state and kept the same way.
    var storedIncidents: StoredIncidents?
    let decoder = JSONDecoder()

    /// SQLite's page cache per connection (`SITREP_CACHE_MB` overrides): at 100,000 articles the
    /// pages an ingest revisits (the random-order indexes, the incidents the merge rewrites) no
    /// longer fitted the 64 MB of earlier versions, and every miss was a `pread`.
    static let defaultCacheMB = 256
    /// Checkpoint the WAL once it holds this many pages (`SITREP_WAL_PAGES` overrides; SQLite's
    /// default is 1,000, ≈ 4 MB): one ingest batch writes ≈ 10 MB, so the default checkpointed
    /// after every commit — copying every page, syncing twice — and a page the next batches change
    /// again (index and incident pages, FTS5 segments) was copied each time.
    static let defaultWALPages = 16_384

    /// The WAL size (pages) at which the writer checkpoints (`defaultWALPages`).
    let walPages: Int
    /// Every connection's page cache, MB (`defaultCacheMB`).
    let cacheMB: Int
    /// Background checkpoints (`Checkpointer`) between `startBackgroundCheckpoints` and
    /// `stopBackgroundCheckpoints`, which are called before the first and after the last ingest.
    var checkpointer: Checkpointer?
    /// CPU seconds the writer spent loading the merge state and the band index (once per store).
    public internal(set) var loadCPUSeconds = 0.0
    /// CPU seconds of background checkpoints that ended (`stopBackgroundCheckpoints`).
    public internal(set) var checkpointCPUSeconds = 0.0
    /// The writer's CPU by phase (`SITREP_PHASES=1`, `WriterPhases`).
    public internal(set) var phases = WriterPhases(enabled: ProcessInfo.processInfo.environment["SITREP_PHASES"] == "1")
    /// The merge's CPU by phase (the same switch): kept apart, the merge may run on its own thread.
    public internal(set) var mergePhases = WriterPhases(enabled: ProcessInfo.processInfo.environment["SITREP_PHASES"] == "1")

    public init(path: String) throws {
        self.path = path
        let env = ProcessInfo.processInfo.environment
        let walPages = env["SITREP_WAL_PAGES"].flatMap { Int($0) } ?? SQLiteStore.defaultWALPages
        self.walPages = walPages
        let cacheMB = env["SITREP_CACHE_MB"].flatMap { Int($0) } ?? SQLiteStore.defaultCacheMB
        self.cacheMB = cacheMB
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Debian-built SQLite defaults to secure_delete = ON: every page freed (FTS5 merges free
            // whole segments) was zeroed and written through the WAL. FAST zeroes deleted content
            // only inside pages written anyway.
            try db.execute(sql: "PRAGMA secure_delete = FAST")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheMB * 1024)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(walPages)")
            if let mmapMB = env["SITREP_MMAP_MB"].flatMap({ Int($0) }) {
                try db.execute(sql: "PRAGMA mmap_size = \(mmapMB * 1_048_576)")
            }
            db.add(function: SQLiteStore.analysisFunction)
            db.add(function: SQLiteStore.textFunction)
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError(path: path, reason: "cannot open database: \(error)")
        }
    }

    /// `sitrep_analysis(analysis)`: the stored analysis as JSON text, whether the row holds it
    /// compressed (a BLOB, see `StoredBlob`: zstd, or deflate before `v5-zstd`) or as text (rows
    /// from before `v2-analysis-deflate`).
    static let analysisFunction = DatabaseFunction("sitrep_analysis", argumentCount: 1, pure: true) { inflated($0) }

    /// `sitrep_text(x)`: the same for the packed claims and casualties (`v4-claims-per-article`):
    /// compressed BLOBs from ingest, JSON text from the migration.
    static let textFunction = DatabaseFunction("sitrep_text", argumentCount: 1, pure: true) { inflated($0) }

    static func inflated(_ values: [DatabaseValue]) -> String? {
        guard let v = values.first else { return nil }
        switch v.storage {
        case .string(let s): return s
        case .blob(let d): return StoredBlob.decompress([UInt8](d)).map { String(decoding: $0, as: UTF8.self) }
        default: return nil
        }
    }

    // MARK: - ingest

    public func ingest(_ batch: [PreparedArticle]) throws -> IngestSummary {
        try transaction { db in
            var input = MergeInput()
            var summary = try storeArticles(batch, db, into: &input)
            if !input.isEmpty { summary += try writeMerged(try merge(input), db) }
            try markPending(nil, db)
            return summary
        }
    }

    /// Runs `body` in one write transaction, then asks for a checkpoint. When it fails, what the
    /// writer keeps of the database is dropped and loaded again by the next ingest.
    func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            defer { checkpointer?.request() }
            let result = try pool.write { db in
                do {
                    return try body(db)
                } catch {
                    unload()  // rolled back
                    throw error
                }
            }
            phases.lap(.commit)
            return result
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(path: path, reason: "ingest failed: \(error)")
        }
    }

    /// The merge state of the database's active reports, what it holds of their incidents, and
    /// what a killed pipelined run stored but did not merge (`DeferredMerge.swift`): active reports
    /// without a link are still to be added, linked reports of superseded articles still to be
    /// retired (restored first, so that their incidents change).
    func loadEngine(_ db: Database) throws -> (MergeEngine, StoredIncidents, MergeInput) {
        var e = MergeEngine()
        var stored = try StoredIncidents.Loader(db)
        // Room for the reports an ingest adds as well: reserved exactly, the engine's arrays were
        // full when loaded, and the first report the ingest added copied each whole into one twice
        // as large (at 200,000 articles ≈ 1.3 s of a 10,000-article ingest's writer, page faults
        // on the new buffers besides). Pages reserved and never written cost no memory.
        let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE active = 1") ?? 0
        e.reserveCapacity(held + held / 2 + 4096)
        var pending = MergeInput()
        // Read through the C interface: one row per active or linked report of the database.
        var rows = RowWriter(try db.makeStatement(sql: """
            SELECT e.id, e.idx, e.report, a.hash, a.dup_group, e.article, l.incident,
              i.id, i.long, i.day_start, i.day_end, i.type, i.country, i.lat, l.evidence, e.active FROM events e
            JOIN articles a ON a.id = e.article LEFT JOIN incident_links l ON l.event = e.id
            LEFT JOIN incidents i ON i.rid = l.incident WHERE e.active = 1 OR l.event IS NOT NULL ORDER BY e.id
            """))
        var failure: (any Error)?
        var article: Int64 = -1
        var hash = ""
        var group = ""
        var incidentRID: Int64 = -1
        var incident: String?
        try rows.query { h in
            let id = sqlite3_column_int64(h, 0)
            // Consecutive reports share their article's strings (and often their incident's).
            if sqlite3_column_int64(h, 5) != article {
                article = sqlite3_column_int64(h, 5)
                hash = Self.text(h, 3) ?? ""
                let g = Self.text(h, 4) ?? hash
                group = g == hash ? hash : g
            }
            if sqlite3_column_type(h, 6) == SQLITE_NULL {
                incidentRID = -1
                incident = nil
            } else if sqlite3_column_int64(h, 6) != incidentRID {
                incidentRID = sqlite3_column_int64(h, 6)
                incident = Self.text(h, 7)
            }
            stored.add(h, event: id, rid: incident == nil ? nil : incidentRID, first: 7)
            do {
                let index = Int(sqlite3_column_int64(h, 1))
                let r = try self.storedReport(h, 2, article: hash, index: index, group: group)
                if incident == nil {
                    pending.adding.append(r)  // active (the query's condition): not merged yet
                    pending.rows.append(id)
                } else {
                    if sqlite3_column_int64(h, 15) == 0 {
                        // superseded, still linked: retired by the next merge
                        pending.removing.append(Report.key(article: hash, event: index))
                        pending.removedRows.append(id)
                    }
                    e.restore(r, incident: incident, row: id)
                }
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        e.finishRestore()
        return (e, try stored.finish(db), pending)
    }

    /// Most recent articles checked per LSH band: a band shared by many articles is shared text
    /// (templates, boilerplate), and checking all of them would make ingest quadratic.
    static let bandCandidates = 32

    static func later(_ a: String?, than b: String?) -> Bool {
        // A version without a date never replaces a dated one; otherwise the later date (or the
        // later arrival at the same date) wins.
        switch (a, b) {
        case (nil, .some): return false
        case (.some(let x), .some(let y)): return x >= y
        default: return true
        }
    }
}
