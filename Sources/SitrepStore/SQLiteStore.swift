import Foundation
import GRDB
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
    let decoder = JSONDecoder()

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError(path: path, reason: "cannot open database: \(error)")
        }
    }

    // MARK: - ingest

    public func ingest(_ batch: [PreparedArticle]) throws -> IngestSummary {
        do {
            return try pool.write { db in
                do {
                    return try ingest(batch, db)
                } catch {
                    engine = nil  // rolled back: reload the merge state from the database
                    throw error
                }
            }
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(path: path, reason: "ingest failed: \(error)")
        }
    }

    func loadEngine(_ db: Database) throws -> MergeEngine {
        var e = MergeEngine()
        let rows = try Row.fetchCursor(db, sql: """
            SELECT e.report, a.dup_group, l.incident FROM events e JOIN articles a ON a.id = e.article
            LEFT JOIN incident_links l ON l.event_key = e.key WHERE e.active = 1 ORDER BY e.id
            """)
        while let row = try rows.next() {
            let text: String = row[0]
            var r = try decoder.decode(Report.self, from: Data(text.utf8))
            r.dupGroup = row[1]
            e.restore(r, incident: row[2])
        }
        e.finishRestore()
        return e
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
        var engine = try held ?? loadEngine(db)
        defer { self.engine = engine }
        var summary = IngestSummary()
        var adding: [Report] = []
        var removing: [String] = []
        var relabel: [String: String] = [:]
        var regroupedArticles: [String: String] = [:]

        let exists = try db.cachedStatement(sql: "SELECT 1 FROM articles WHERE hash = ?")
        let byURL = try db.cachedStatement(sql: "SELECT id, hash, published, version FROM articles WHERE url = ? AND superseded_by IS NULL")
        let band = try db.cachedStatement(sql: "SELECT article FROM minhash_bands WHERE band = ? ORDER BY article DESC LIMIT \(Self.bandCandidates)")
        let candidate = try db.cachedStatement(sql: "SELECT hash, dup_group, minhash FROM articles WHERE id = ?")
        let insertArticle = try db.cachedStatement(sql: """
            INSERT INTO articles (hash, source, url, published, title, text, analysis, origin, dup_group, dup_of,
              similarity, minhash, superseded_by, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        let insertFTS = try db.cachedStatement(sql: "INSERT INTO articles_fts (rowid, title, text) VALUES (?,?,?)")
        let insertBand = try db.cachedStatement(sql: "INSERT INTO minhash_bands (band, article) VALUES (?,?)")
        let insertEvent = try db.cachedStatement(sql: """
            INSERT INTO events (key, article, idx, type, subtype, actor1, actor2, date_start, date_end, precision,
              location, country, lat, lon, fatalities_low, fatalities_best, fatalities_high, claimant, stance,
              active, report) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        let insertCasualty = try db.cachedStatement(sql: """
            INSERT INTO casualties (article, idx, outcome, low, best, high, qualifier, victims, side, scope,
              period_start, period_end, claimant_id, claimant, snippet, figure, rule)
              VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        let insertClaim = try db.cachedStatement(sql: """
            INSERT INTO claims (article, idx, claimant_id, claimant, verb, stance, content, about_event,
              about_casualty, denies, rule) VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """)
        let insertToll = try db.cachedStatement(sql: """
            INSERT INTO toll_observations (article, idx, claimant_id, claimant, outcome, victims, as_of, low, best,
              high, qualifier, source, snippet, rule, active) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)

        func resolve(_ g: String) -> String {
            var x = g
            while let y = relabel[x], y != x { x = y }
            return x
        }

        for p in batch {
            if try Bool.fetchOne(exists, arguments: [p.hash]) == true {
                summary.unchanged += 1
                continue
            }
            let a = p.article
            // Versions at the same URL.
            var version = 1
            var supersededBy: String?
            var replaces: Int64?
            if let url = a.url, !url.isEmpty, let old = try Row.fetchOne(byURL, arguments: [url]) {
                let oldPublished: String? = old[2]
                let oldVersion: Int = old[3]
                if Self.later(a.published, than: oldPublished) {
                    replaces = old[0]
                    version = oldVersion + 1
                    summary.newVersions += 1
                } else {
                    supersededBy = old[1]
                    version = oldVersion - 1
                    summary.lateOldVersions += 1
                }
            }
            // Near-duplicates.
            // Candidates: articles sharing two bands, or one band few articles share (a copy at
            // Jaccard 0.8 shares two of the 8 bands with p ≈ 0.9, at 0.9 with p ≈ 0.997).
            var hits: [Int64: Int] = [:]
            for b in p.bands {
                let ids = try Int64.fetchAll(band, arguments: [b])
                for id in ids { hits[id, default: 0] += ids.count <= 4 ? 2 : 1 }
            }
            var groups = Set<String>()
            var dupOf: String?
            var bestSim = 0.0
            for c in hits.filter({ $0.value >= 2 }).keys.sorted() {
                guard let row = try Row.fetchOne(candidate, arguments: [c]) else { continue }
                let blob: Data = row[2] ?? Data()
                let sim = MinHash.similarity(p.signature, MinHash.decode([UInt8](blob)))
                guard sim >= MinHash.threshold else { continue }
                let h: String = row[0]
                groups.insert(resolve(row[1]))
                if sim > bestSim || (sim == bestSim && h < (dupOf ?? "~")) {
                    bestSim = sim
                    dupOf = h
                }
            }
            let group = groups.min() ?? p.hash
            if groups.count > 1 {
                for g in groups where g != group {
                    let hashes = try String.fetchAll(db, sql: "SELECT hash FROM articles WHERE dup_group = ?", arguments: [g])
                    try db.execute(sql: "UPDATE articles SET dup_group = ? WHERE dup_group = ?", arguments: [group, g])
                    for h in hashes { regroupedArticles[h] = group }
                    relabel[g] = group
                }
            }
            if dupOf != nil { summary.nearDuplicates += 1 }

            try insertArticle.execute(arguments: [
                p.hash, a.source, a.url, a.published, a.title, a.text, p.analysisJSON, p.origin, group, dupOf,
                dupOf == nil ? nil : bestSim, Data(MinHash.encode(p.signature)), supersededBy, version,
            ])
            let id = db.lastInsertedRowID
            try insertFTS.execute(arguments: [id, a.title ?? "", a.text])
            for b in Set(p.bands).sorted() { try insertBand.execute(arguments: [b, id]) }

            if let old = replaces {
                try db.execute(sql: "UPDATE articles SET superseded_by = ? WHERE id = ?", arguments: [p.hash, old])
                removing += try String.fetchAll(db, sql: "SELECT key FROM events WHERE article = ? AND active = 1", arguments: [old])
                try db.execute(sql: "UPDATE events SET active = 0 WHERE article = ?", arguments: [old])
                try db.execute(sql: "UPDATE toll_observations SET active = 0 WHERE article = ?", arguments: [old])
            }
            let active = supersededBy == nil
            for var r in p.reports {
                r.dupGroup = group
                let f = r.figures.first { $0.outcome == "killed" }
                try insertEvent.execute(arguments: [
                    r.key, id, r.eventIndex, r.type, r.subtype, r.actor1?.name, r.actor2?.name,
                    r.dayStart.map(DayNumber.iso), r.dayEnd.map(DayNumber.iso), r.precision,
                    r.place?.name, r.place?.country, r.place?.lat, r.place?.lon, f?.low, f?.best, f?.high,
                    r.claimant?.name, r.stance, active ? 1 : 0, JSONOut.string { JSONOut.report(r, &$0) },
                ])
                if active { adding.append(r) }
                summary.reports += 1
            }
            for (i, c) in p.casualties.enumerated() {
                try insertCasualty.execute(arguments: [
                    id, i, c.outcome, c.low, c.best, c.high, c.qualifier, c.victims, c.side, c.scope,
                    c.periodStart, c.periodEnd, c.claimantID, c.claimant, c.snippet, c.figure, c.rule,
                ])
            }
            for (i, c) in p.claims.enumerated() {
                try insertClaim.execute(arguments: [
                    id, i, c.claimantID, c.claimant, c.verb, c.stance, c.content, c.aboutEvent, c.aboutCasualty,
                    c.denies, c.rule,
                ])
            }
            for t in p.tolls {
                try insertToll.execute(arguments: [
                    id, t.casualty, t.claimantID, t.claimantName, t.outcome, t.victims, t.asOf, t.low, t.best,
                    t.high, t.qualifier, t.source, t.snippet, t.rule, active ? 1 : 0,
                ])
            }
            summary.added += 1
        }

        for i in adding.indices { adding[i].dupGroup = resolve(adding[i].dupGroup) }
        var regrouped: [String: String] = [:]
        for (h, g) in regroupedArticles { regrouped[h] = resolve(g) }
        guard !adding.isEmpty || !removing.isEmpty || !regrouped.isEmpty else { return summary }
        let delta = engine.apply(adding: adding, removing: removing, regrouped: regrouped)
        try write(delta, removed: removing, db)
        summary.incidentsWritten += delta.upserts.count
        summary.incidentsDeleted += delta.deleted.count
        return summary
    }

    func write(_ delta: MergeDelta, removed: [String], _ db: Database) throws {
        let deleteIncident = try db.cachedStatement(sql: "DELETE FROM incidents WHERE id = ?")
        let deleteLinks = try db.cachedStatement(sql: "DELETE FROM incident_links WHERE incident = ?")
        let deleteLink = try db.cachedStatement(sql: "DELETE FROM incident_links WHERE event_key = ?")
        let upsert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO incidents (id, day_start, day_end, date_start, date_end, precision, type, subtype,
              actor1, actor1_id, actor2, actor2_id, country, admin1, location, lat, lon, geo_precision,
              fatalities_low, fatalities_best, fatalities_high, fatalities_conservative, claimants, contested,
              sources, n_sources, n_reports, long) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        let upsertRecord = try db.cachedStatement(sql: "INSERT OR REPLACE INTO incident_records (id, record) VALUES (?,?)")
        let deleteRecord = try db.cachedStatement(sql: "DELETE FROM incident_records WHERE id = ?")
        let link = try db.cachedStatement(sql: "INSERT OR REPLACE INTO incident_links (event_key, incident, evidence) VALUES (?,?,?)")
        for id in delta.deleted {
            try deleteIncident.execute(arguments: [id])
            try deleteRecord.execute(arguments: [id])
            try deleteLinks.execute(arguments: [id])
        }
        for key in removed { try deleteLink.execute(arguments: [key]) }
        for c in delta.upserts {
            let r = IncidentRecord(c)
            let range = r.fatalities?.range
            try upsert.execute(arguments: [
                r.id, r.dayStart, r.dayEnd, r.dateStart, r.dateEnd, r.precision, r.type, r.subtype,
                r.actor1?.name, r.actor1?.id, r.actor2?.name, r.actor2?.id, r.place?.country, r.place?.admin1,
                r.place?.name, r.place?.lat, r.place?.lon, r.place?.precision, range?.low, range?.best, range?.high,
                r.fatalities?.conservative.best, r.claimants.joined(separator: "; "), r.contested ? 1 : 0,
                r.sources.joined(separator: "; "), r.independentSources, r.reports.count,
                r.dayEnd - r.dayStart > SQLiteStore.shortSpanDays ? 1 : 0,
            ])
            try upsertRecord.execute(arguments: [r.id, JSONOut.string { JSONOut.incident(r, &$0) }])
            try deleteLinks.execute(arguments: [r.id])
            for m in c.members {
                try link.execute(arguments: [m.key, r.id, c.evidence[m.key].map { e in JSONOut.string { JSONOut.evidence(e, &$0) } }])
            }
        }
    }
}
