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
    /// Merge state (reports of active articles, their incidents), loaded on first ingest.
    /// Only touched inside the pool's write closure (serialized).
    var engine: MergeEngine?
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
        do {
            defer { checkpointer?.request() }
            let summary = try pool.write { db in
                do {
                    return try ingest(batch, db)
                } catch {
                    engine = nil  // rolled back: reload the merge state from the database
                    bandIndex = nil
                    storedIncidents = nil
                    throw error
                }
            }
            phases.lap(.commit)
            return summary
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(path: path, reason: "ingest failed: \(error)")
        }
    }

    /// The merge state of the database's active reports, and what it holds of their incidents.
    func loadEngine(_ db: Database) throws -> (MergeEngine, StoredIncidents) {
        var e = MergeEngine()
        var stored = try StoredIncidents.Loader(db)
        // Room for the reports an ingest adds as well: reserved exactly, the engine's arrays were
        // full when loaded, and the first report the ingest added copied each whole into one twice
        // as large (at 200,000 articles ≈ 1.3 s of a 10,000-article ingest's writer, page faults
        // on the new buffers besides). Pages reserved and never written cost no memory.
        let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE active = 1") ?? 0
        e.reserveCapacity(held + held / 2 + 4096)
        // Read through the C interface: one row per active report of the database.
        var rows = RowWriter(try db.makeStatement(sql: """
            SELECT e.id, e.idx, e.report, a.hash, a.dup_group, e.article, l.incident,
              i.id, i.long, i.day_start, i.day_end, i.type, i.country, i.lat, l.evidence FROM events e
            JOIN articles a ON a.id = e.article LEFT JOIN incident_links l ON l.event = e.id
            LEFT JOIN incidents i ON i.rid = l.incident WHERE e.active = 1 ORDER BY e.id
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
                let r = try self.storedReport(h, 2, article: hash, index: Int(sqlite3_column_int64(h, 1)), group: group)
                e.restore(r, incident: incident, row: id)
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        e.finishRestore()
        return (e, try stored.finish(db))
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

    func ingest(_ batch: [PreparedArticle], _ db: Database) throws -> IngestSummary {
        // Taken out (not copied) so mutating it never copies the whole merge state.
        let held = self.engine
        self.engine = nil
        let t0: Double? = held == nil || self.bandIndex == nil ? threadCPUSeconds() : nil
        // Without a merge state, both load; with one but nothing held of the incidents, the
        // writer reads them from the database.
        var stored = self.storedIncidents ?? StoredIncidents(held: false)
        self.storedIncidents = nil
        var engine: MergeEngine
        if let held {
            engine = held
        } else {
            (engine, stored) = try loadEngine(db)
        }
        defer {
            self.engine = engine
            self.storedIncidents = stored
        }
        var bands = try self.bandIndex ?? BandIndex.load(db, path: path)
        self.bandIndex = nil
        defer { self.bandIndex = bands }
        if let t0 { loadCPUSeconds += threadCPUSeconds() - t0 }
        phases.start()
        var summary = IngestSummary()
        var adding: [Report] = []
        var addingRows: [Int64] = []
        var removing: [String] = []
        var removedRows: [Int64] = []
        var relabel: [String: String] = [:]
        var regroupedArticles: [String: String] = [:]

        var exists = RowWriter(try db.cachedStatement(sql: "SELECT 1 FROM articles WHERE hash = ?"))
        var byURL = RowWriter(try db.cachedStatement(sql: "SELECT id, hash, published, version FROM articles WHERE url = ? AND superseded_by IS NULL"))
        var ids: [Int64] = []
        var hits: [Int64: Int] = [:]
        // Read through the C interface: at 200,000 stored articles an article has several candidates,
        // and GRDB's `Row` boxed every value of each; the strings are made only for a near-duplicate.
        var candidate = RowWriter(try db.cachedStatement(sql: "SELECT minhash, hash, dup_group FROM articles WHERE id = ?"))
        let insertArticle = RowWriter(try db.cachedStatement(sql: """
            INSERT INTO articles (hash, source, url, published, title, text, analysis, origin, dup_group, dup_of,
              similarity, minhash, superseded_by, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """))
        var insertFTS = RowWriter(try db.cachedStatement(sql: "INSERT INTO articles_fts (rowid, title, text) VALUES (?,?,?)"))
        var insertBands = RowWriter(try db.cachedStatement(sql: "INSERT INTO article_bands (article, bands) VALUES (?,?)"))
        var insertEvent = RowWriter(try db.cachedStatement(sql: "INSERT INTO events (article, idx, active, report) VALUES (?,?,?,?)"))
        var insertCasualties = RowWriter(try db.cachedStatement(sql: "INSERT INTO casualties (article, rows) VALUES (?,?)"))
        var insertClaims = RowWriter(try db.cachedStatement(sql: "INSERT INTO claims (article, rows) VALUES (?,?)"))
        let insertToll = RowWriter(try db.cachedStatement(sql: """
            INSERT INTO toll_observations (article, idx, claimant_id, claimant, outcome, victims, as_of, low, best,
              high, qualifier, source, snippet, rule, active) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """))

        func resolve(_ g: String) -> String {
            var x = g
            while let y = relabel[x], y != x { x = y }
            return x
        }

        for p in batch {
            var stored = false
            exists.text(p.hash)
            try exists.query { _ in
                stored = true
                return false
            }
            if stored {
                summary.unchanged += 1
                phases.lap(.lookup)
                continue
            }
            let a = p.article
            // Versions at the same URL.
            var version = 1
            var supersededBy: String?
            var replaces: (id: Int64, hash: String)?
            var old: (id: Int64, hash: String, published: String?, version: Int)?
            if let url = a.url, !url.isEmpty {
                // Read through the C interface: nearly every article has a URL and nearly none is
                // a new version, so this lookup (GRDB's Row boxed every value) runs once per article.
                byURL.text(url)
                try byURL.query { h in
                    func text(_ i: Int32) -> String? {
                        sqlite3_column_type(h, i) == SQLITE_NULL ? nil : sqlite3_column_text(h, i).map { String(cString: $0) }
                    }
                    old = (sqlite3_column_int64(h, 0), text(1) ?? "", text(2), Int(sqlite3_column_int64(h, 3)))
                    return false
                }
            }
            if let old {
                if Self.later(a.published, than: old.published) {
                    replaces = (old.id, old.hash)
                    version = old.version + 1
                    summary.newVersions += 1
                } else {
                    supersededBy = old.hash
                    version = old.version - 1
                    summary.lateOldVersions += 1
                }
            }
            phases.lap(.lookup)
            // Near-duplicates.
            // Candidates: articles sharing two bands, or one band few articles share (a copy at
            // Jaccard 0.8 shares two of the 8 bands with p ≈ 0.9, at 0.9 with p ≈ 0.997).
            hits.removeAll(keepingCapacity: true)
            for b in p.bands {
                ids.removeAll(keepingCapacity: true)
                bands.newest(b, limit: Self.bandCandidates, into: &ids)
                for id in ids { hits[id, default: 0] += ids.count <= 4 ? 2 : 1 }
            }
            var groups = Set<String>()
            var dupOf: String?
            var bestSim = 0.0
            for c in hits.filter({ $0.value >= 2 }).keys.sorted() {
                var sim = 0.0
                var near: (hash: String, group: String)?
                candidate.int64(c)
                try candidate.query { h in
                    // The blob first, then its size (SQLite's order); NULL reads as no signature.
                    let blob = sqlite3_column_blob(h, 0)
                    let size = Int(sqlite3_column_bytes(h, 0))
                    let bytes = blob.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
                    sim = MinHash.similarity(p.signature, MinHash.decode(bytes))
                    if sim >= MinHash.threshold { near = (Self.text(h, 1) ?? "", Self.text(h, 2) ?? "") }
                    return false
                }
                guard let near else { continue }
                let h = near.hash
                groups.insert(resolve(near.group))
                if sim > bestSim || (sim == bestSim && h < (dupOf ?? "~")) {
                    bestSim = sim
                    dupOf = h
                }
            }
            let group = groups.min() ?? p.hash
            if groups.count > 1 {
                for g in groups where g != group {
                    // The group's members: those that joined it (the partial index `articles_group`)
                    // and the article that founded it (by hash).
                    let hashes = try String.fetchAll(db, sql: """
                        SELECT hash FROM articles WHERE dup_group = ?1 AND dup_group <> hash
                        UNION ALL SELECT hash FROM articles WHERE hash = ?1 AND dup_group = ?1
                        """, arguments: [g])
                    try db.execute(sql: "UPDATE articles SET dup_group = ?1 WHERE dup_group = ?2 AND dup_group <> hash", arguments: [group, g])
                    try db.execute(sql: "UPDATE articles SET dup_group = ?1 WHERE hash = ?2 AND dup_group = ?2", arguments: [group, g])
                    for h in hashes { regroupedArticles[h] = group }
                    relabel[g] = group
                }
            }
            if dupOf != nil { summary.nearDuplicates += 1 }
            phases.lap(.nearDuplicates)

            var w = insertArticle
            w.text(p.hash); w.text(a.source); w.text(a.url); w.text(a.published); w.text(a.title); w.text(a.text)
            w.blob(p.analysis); w.text(p.origin); w.text(group); w.text(dupOf); w.real(dupOf == nil ? nil : bestSim)
            w.blob(p.minhash); w.text(supersededBy); w.int(version)
            try w.run()
            let id = db.lastInsertedRowID
            phases.lap(.articleRow)
            insertFTS.int64(id); insertFTS.text(a.title ?? ""); insertFTS.text(a.text)
            try insertFTS.run()
            phases.lap(.fullText)
            if !p.storedBands.isEmpty {
                insertBands.int64(id); insertBands.blob(BandIndex.encode(p.storedBands))
                try insertBands.run()
                for b in p.storedBands where !bands.insert(band: b, article: id) {
                    throw BandIndex.full(path)
                }
            }
            phases.lap(.bandRow)

            if let old = replaces {
                try db.execute(sql: "UPDATE articles SET superseded_by = ? WHERE id = ?", arguments: [p.hash, old.id])
                for row in try Row.fetchAll(db, sql: "SELECT id, idx FROM events WHERE article = ? AND active = 1", arguments: [old.id]) {
                    removedRows.append(row[0])
                    removing.append(Report.key(article: old.hash, event: row[1]))
                }
                try db.execute(sql: "UPDATE events SET active = 0 WHERE article = ?", arguments: [old.id])
                try db.execute(sql: "UPDATE toll_observations SET active = 0 WHERE article = ?", arguments: [old.id])
            }
            let active = supersededBy == nil
            for (i, var r) in p.reports.enumerated() {
                r.dupGroup = group
                insertEvent.int64(id); insertEvent.int(r.eventIndex); insertEvent.bool(active); insertEvent.blob(p.reportBlobs[i])
                try insertEvent.run()
                if active {
                    adding.append(r)
                    addingRows.append(db.lastInsertedRowID)
                }
                summary.reports += 1
            }
            if !p.casualtiesJSON.isEmpty {
                insertCasualties.int64(id); insertCasualties.blob(p.casualtiesJSON)
                try insertCasualties.run()
            }
            if !p.claimsJSON.isEmpty {
                insertClaims.int64(id); insertClaims.blob(p.claimsJSON)
                try insertClaims.run()
            }
            for t in p.tolls {
                var w = insertToll
                w.int64(id); w.int(t.casualty); w.text(t.claimantID); w.text(t.claimantName); w.text(t.outcome)
                w.text(t.victims); w.text(t.asOf); w.int(t.low); w.int(t.best); w.int(t.high); w.text(t.qualifier)
                w.text(t.source); w.text(t.snippet); w.text(t.rule); w.bool(active)
                try w.run()
            }
            summary.added += 1
            phases.lap(.reportRows)
        }

        for i in adding.indices { adding[i].dupGroup = resolve(adding[i].dupGroup) }
        var regrouped: [String: String] = [:]
        for (h, g) in regroupedArticles { regrouped[h] = resolve(g) }
        guard !adding.isEmpty || !removing.isEmpty || !regrouped.isEmpty else { return summary }
        let delta = engine.apply(adding: adding, rows: addingRows, removing: removing, regrouped: regrouped)
        phases.lap(.merge)
        try write(delta, removed: removedRows, &stored, db)
        phases.lap(.incidents)
        summary.incidentsWritten += delta.upserts.count
        summary.incidentsDeleted += delta.deleted.count
        return summary
    }
}
