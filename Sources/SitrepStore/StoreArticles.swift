import Foundation
import GRDB
import GRDBSQLite
import SitrepMerge

extension SQLiteStore {
    /// Stores a batch's articles and their report rows (inside the caller's transaction) and adds
    /// what the merge must do with them to `input`: the reports to add (with their event rows), the
    /// reports their new versions retire, the articles whose near-duplicate group changed. Loads
    /// what the writer keeps of the database first when it is not held.
    func storeArticles(_ batch: [PreparedArticle], _ db: Database, into input: inout MergeInput) throws -> IngestSummary {
        try ensureLoaded(db)
        if let pending = pendingInput {
            // reports a killed run stored but did not merge (`DeferredMerge.swift`)
            input.append(pending)
            pendingInput = nil
        }
        guard var bands = self.bandIndex else { throw StoreError(path: path, reason: "the band index is not loaded") }
        self.bandIndex = nil
        defer { self.bandIndex = bands }
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
        input.append(MergeInput(adding: adding, rows: addingRows, removing: removing, removedRows: removedRows,
                                regrouped: regrouped))
        return summary
    }
}
