import Foundation
import GRDB
import SitrepMerge
import SitrepText

extension SQLiteStore {
    /// Incidents spanning more days than this are flagged `long` (see `incidents`).
    static let shortSpanDays = 31

    static let incidentColumns = """
        id, date_start, date_end, precision, type, subtype, actor1, actor2, country, admin1, location, lat, lon,
        geo_precision, fatalities_low, fatalities_best, fatalities_high, fatalities_conservative, claimants,
        contested, sources, n_sources, n_reports
        """

    static func incidentRow(_ r: Row) -> IncidentRow {
        IncidentRow(
            id: r[0], dateStart: r[1], dateEnd: r[2], precision: r[3] ?? "", type: r[4] ?? "", subtype: r[5] ?? "",
            actor1: r[6], actor2: r[7], country: r[8], admin1: r[9], location: r[10], lat: r[11], lon: r[12],
            geoPrecision: r[13], fatalitiesLow: r[14], fatalitiesBest: r[15], fatalitiesHigh: r[16],
            fatalitiesConservative: r[17], claimants: r[18] ?? "", contested: r[19] == 1, sources: r[20] ?? "",
            independentSources: r[21], reports: r[22])
    }

    public func incidents(_ q: IncidentQuery) throws -> [IncidentRow] {
        try pool.read { db in
            var rows: [IncidentRow] = []
            try eachIncident(q, db) { rows.append($0) }
            return rows
        }
    }

    /// Calls `body` with every incident of `q` (in `incidents(q)` order) and its record (nil when
    /// it has no linked report), in one read transaction: rows are read with a cursor and records
    /// rebuilt one at a time, so memory stays bounded for an export of any size.
    /// With `categories: false` the records leave the per-category figures empty and the totals
    /// without their sources and exclusion notes (CSV and GeoJSON show only the totals' numbers).
    public func forEachIncidentRecord(_ q: IncidentQuery, categories: Bool = true,
                                      _ body: (IncidentRow, IncidentRecord?) throws -> Void) throws {
        try pool.read { db in
            try eachIncident(q, db) { row in try body(row, try derivedRecord(row.id, db, categories: categories)) }
        }
    }

    /// The incidents of `q`, in order, to `body`: undated queries stream from a cursor; dated ones
    /// read their two index walks first (bounded by the date range) and merge them.
    func eachIncident(_ q: IncidentQuery, _ db: Database, _ body: (IncidentRow) throws -> Void) throws {
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        var from: Int?
        var to: Int?
        if let f = q.from {
            guard let d = DayNumber.parse(f) else { throw StoreError(path: path, reason: "--from: not a date: \(f)") }
            from = d
        }
        if let t = q.to {
            guard let d = DayNumber.parse(t) else { throw StoreError(path: path, reason: "--to: not a date: \(t)") }
            to = d
        }
        let dated = from != nil || to != nil
        let lo = from ?? -10_000_000
        let hi = to ?? 10_000_000
        if let c = q.country {
            clauses.append("country = ?")
            args.append(c.uppercased())
        }
        if let t = q.type {
            clauses.append("(type = ? OR subtype = ?)")
            args += [t, t]
        }
        if let a = q.actor {
            clauses.append("(actor1_id = ? OR actor2_id = ? OR actor1 LIKE ? OR actor2 LIKE ? OR actor1_id LIKE ? OR actor2_id LIKE ?)")
            args += [a, a, "%\(a)%", "%\(a)%", "\(a).%", "\(a).%"]
        }
        if let n = q.near {
            let dLat = n.km / 111.0
            let dLon = n.km / (111.0 * Swift.max(0.05, cos(n.lat * .pi / 180)))
            clauses.append("lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?")
            args += [n.lat - dLat, n.lat + dLat, n.lon - dLon, n.lon + dLon]
        }
        if let t = q.text {
            clauses.append("""
                rid IN (SELECT l.incident FROM articles_fts f JOIN events e ON e.article = f.rowid
                        JOIN incident_links l ON l.event = e.id WHERE articles_fts MATCH ?)
                """)
            args.append(Self.ftsQuery(t))
        }
        // --near filters exactly after the box, so the limit applies in Swift then.
        let limit = q.limit > 0 && q.near == nil ? " LIMIT \(q.limit)" : ""
        func select(_ extra: [String], _ extraArgs: [(any DatabaseValueConvertible)?]) -> (String, StatementArguments) {
            let all = extra + clauses
            var sql = "SELECT \(Self.incidentColumns) FROM incidents"
            if !all.isEmpty { sql += " WHERE " + all.joined(separator: " AND ") }
            return (sql + " ORDER BY day_start, id" + limit, StatementArguments(extraArgs + args))
        }
        var emitted = 0
        let center = q.near.map {
            PlaceKey(name: "", geonameid: nil, country: nil, admin1: nil, lat: $0.lat, lon: $0.lon, precision: "")
        }
        // --near: the exact distance after the box, and the limit after that. Returns false at the limit.
        func emit(_ r: IncidentRow) throws -> Bool {
            if let n = q.near, let center {
                guard let lat = r.lat, let lon = r.lon else { return true }
                let p = PlaceKey(name: "", geonameid: nil, country: nil, admin1: nil, lat: lat, lon: lon, precision: "")
                guard Linking.distanceKm(center, p) <= n.km else { return true }
                if q.limit > 0 && emitted >= q.limit { return false }
            }
            emitted += 1
            try body(r)
            return true
        }
        if dated {
            // Two index walks in (long, day_start, id, day_end) order, each stopping at the limit:
            // short incidents (≤ 31 days) from day_start ≥ from − 31, and the few long ones.
            let short = select(["long = 0", "day_start BETWEEN ? AND ?", "day_end >= ?"], [lo - Self.shortSpanDays, hi, lo])
            let long = select(["long = 1", "day_start <= ?", "day_end >= ?"], [hi, lo])
            let a = try Row.fetchAll(db, sql: short.0, arguments: short.1).map(Self.incidentRow)
            let b = try Row.fetchAll(db, sql: long.0, arguments: long.1).map(Self.incidentRow)
            var rows = b.isEmpty ? a : (a + b).sorted { ($0.dateStart, $0.id) < ($1.dateStart, $1.id) }
            if q.limit > 0 && q.near == nil && rows.count > q.limit { rows = Array(rows.prefix(q.limit)) }
            for r in rows {
                guard try emit(r) else { break }
            }
        } else {
            let all = select([], [])
            let cursor = try Row.fetchCursor(db, sql: all.0, arguments: all.1)
            while let r = try cursor.next() {
                guard try emit(Self.incidentRow(r)) else { break }
            }
        }
    }

    /// Quotes each word so user text never breaks FTS5 syntax.
    static func ftsQuery(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" })
            .map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: " ")
    }

    /// The stored analysis of an article (the extract contract line with an empty `text`), by
    /// content hash.
    public func analysis(ofArticle hash: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT sitrep_analysis(analysis) FROM articles WHERE hash = ?", arguments: [hash])
        }
    }

    /// The content hashes among `hashes` that are stored already (ingest skips analysing those).
    public func storedHashes(_ hashes: [String]) throws -> Set<String> {
        try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM articles WHERE hash = ?")
            var out = Set<String>()
            for h in hashes where try Bool.fetchOne(statement, arguments: [h]) == true { out.insert(h) }
            return out
        }
    }

    /// Raw SQL for tests and maintenance (module-internal).
    func integer(_ sql: String, _ args: String...) throws -> Int? {
        try pool.read { db in try Int.fetchOne(db, sql: sql, arguments: StatementArguments(args)) }
    }

    func execute(_ sql: String, _ args: String...) throws {
        try pool.write { db in try db.execute(sql: sql, arguments: StatementArguments(args)) }
    }

    /// An incident's record (figures with provenance, link evidence), rebuilt from its linked
    /// reports: the record is a function of its members (in the engine's canonical order) and their
    /// link evidence, so the store keeps no second copy of it (see `v3-derived-incident-records`).
    public func record(_ id: String) throws -> IncidentRecord? {
        try pool.read { db in try derivedRecord(id, db) }
    }

    public func records(_ ids: [String]) throws -> [IncidentRecord] {
        try pool.read { db in try ids.compactMap { try derivedRecord($0, db) } }
    }

    func derivedRecord(_ id: String, _ db: Database, categories: Bool = true) throws -> IncidentRecord? {
        let statement = try db.cachedStatement(sql: """
            SELECT e.report, a.dup_group, l.evidence, a.hash, e.idx FROM incident_links l JOIN events e ON e.id = l.event
            JOIN articles a ON a.id = e.article WHERE l.incident = (SELECT rid FROM incidents WHERE id = ?)
            """)
        var members: [Report] = []
        var evidence: [String: LinkEvidence] = [:]
        let rows = try Row.fetchCursor(statement, arguments: [id])
        while let row = try rows.next() {
            let r = try storedReport(row[0], article: row[3], index: row[4], group: row[1])
            if let e: String = row[2] { evidence[r.key] = try Self.linkEvidence(e, decoder) }
            members.append(r)
        }
        guard !members.isEmpty else { return nil }
        return IncidentRecord(IncidentCluster(id: id, members: MergeEngine.canonicalMembers(members), evidence: evidence),
                              categories: categories, figureSources: categories)
    }

    /// Stored link evidence: read by hand (what `JSONDecoder` gives, without its cost per link);
    /// text of another shape goes to `JSONDecoder` (and its error).
    static func linkEvidence(_ text: String, _ decoder: JSONDecoder) throws -> LinkEvidence {
        if let v = JSONValue.parse(text), let to = v["to"]?.string, let family = v["family"]?.string,
            let date = v["date"]?.string, let distance = v["distanceKm"]?.double, let place = v["place"]?.string,
            let actors = v["actors"]?.string {
            return LinkEvidence(to: to, family: family, date: date, distanceKm: distance, place: place, actors: actors)
        }
        return try decoder.decode(LinkEvidence.self, from: Data(text.utf8))
    }

    public func reports(ofIncident id: String) throws -> [ReportDetail] {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.report, l.evidence, a.title, a.url, e.active, a.dup_group, a.hash, e.idx FROM incident_links l
                JOIN events e ON e.id = l.event JOIN articles a ON a.id = e.article
                WHERE l.incident = (SELECT rid FROM incidents WHERE id = ?)
                """, arguments: [id])
        }
        // In report key order (`<hash>#<index>` as text), as before the keys became row ids.
        return try rows.map { row in
            let r = try storedReport(row[0], article: row[6], index: row[7], group: row[5])
            let ev: String? = row[1]
            let evidence = try ev.map { try Self.linkEvidence($0, decoder) }
            return ReportDetail(report: r, evidence: evidence, title: row[2], url: row[3], active: row[4] == 1)
        }.sorted { $0.report.key < $1.report.key }
    }

    public func claims(incident: String?, claimant: String?, stance: String?, limit: Int) throws -> [ClaimDetail] {
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let i = incident {
            clauses.append("c.article IN (SELECT e.article FROM incident_links l JOIN events e ON e.id = l.event WHERE l.incident = (SELECT rid FROM incidents WHERE id = ?))")
            args.append(i)
        }
        if let c = claimant {
            clauses.append("(j.value ->> 1 = ? OR j.value ->> 2 LIKE ?)")
            args += [c, "%\(c)%"]
        }
        if let s = stance {
            clauses.append("j.value ->> 4 = ?")
            args.append(s)
        }
        // One row per article, its claims a JSON array of arrays (`v4-claims-per-article`).
        var sql = """
            SELECT a.hash, a.source, a.published, j.value ->> 0 AS idx, j.value ->> 1, j.value ->> 2, j.value ->> 3,
              j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8, j.value ->> 9
            FROM claims c JOIN articles a ON a.id = c.article, json_each(sitrep_text(c.rows)) j
            """
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY a.published, a.hash, idx"
        if limit > 0 { sql += " LIMIT \(limit)" }
        let arguments = StatementArguments(args)
        // Through a cursor: `fetchAll` held every row as a GRDB `Row` besides its `ClaimDetail`.
        return try pool.read { db in
            var out: [ClaimDetail] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let r = try rows.next() {
                out.append(ClaimDetail(article: r[0], source: r[1], published: r[2], index: r[3], claim: ClaimRow(
                    claimantID: r[4] ?? "", claimant: r[5] ?? "", verb: r[6] ?? "", stance: r[7] ?? "",
                    content: r[8] ?? "", rule: r[12] ?? "", aboutEvent: r[9], aboutCasualty: r[10], denies: r[11])))
            }
            return out
        }
    }

    public func tolls(claimant: String?, victims: String?, outcome: String?) throws -> [TollSeries] {
        var clauses = ["t.active = 1"]
        var args: [(any DatabaseValueConvertible)?] = []
        if let c = claimant {
            clauses.append("(t.claimant_id = ? OR t.claimant LIKE ?)")
            args += [c, "%\(c)%"]
        }
        if let v = victims {
            clauses.append("t.victims = ?")
            args.append(v)
        }
        if let o = outcome {
            clauses.append("t.outcome = ?")
            args.append(o)
        }
        let sql = """
            SELECT t.claimant_id, t.claimant, t.outcome, t.victims, t.as_of, t.low, t.best, t.high, t.qualifier,
              a.hash, t.idx, t.source, t.snippet, t.rule FROM toll_observations t JOIN articles a ON a.id = t.article
            WHERE \(clauses.joined(separator: " AND "))
            """
        let arguments = StatementArguments(args)
        let obs = try pool.read { db in
            var out: [TollObservation] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let r = try rows.next() {
                out.append(TollObservation(claimantID: r[0], claimantName: r[1], outcome: r[2], victims: r[3], asOf: r[4],
                                           low: r[5] ?? 0, best: r[6] ?? 0, high: r[7], qualifier: r[8] ?? "", article: r[9],
                                           casualty: r[10], source: r[11], snippet: r[12] ?? "", rule: r[13] ?? ""))
            }
            return out
        }
        return TollSeries.build(obs)
    }

    public func sources() throws -> [SourceCoverage] {
        try pool.read { db in
            var incidentsBySource: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT COALESCE(a.source, '(unknown)'), COUNT(DISTINCT l.incident) FROM incident_links l
                JOIN events e ON e.id = l.event JOIN articles a ON a.id = e.article GROUP BY 1
                """) {
                incidentsBySource[r[0]] = r[1]
            }
            var out: [SourceCoverage] = []
            var current: SourceCoverage?
            var previousDay: Int?
            let rows = try Row.fetchCursor(db, sql: """
                SELECT COALESCE(source, '(unknown)') AS s, published FROM articles WHERE superseded_by IS NULL
                ORDER BY s, published
                """)
            while let r = try rows.next() {
                let s: String = r[0]
                let published: String? = r[1]
                if current?.source != s {
                    if let c = current { out.append(c) }
                    current = SourceCoverage(source: s, articles: 0, incidents: incidentsBySource[s] ?? 0, first: nil,
                                             last: nil, longestGapDays: 0, gaps: 0)
                    previousDay = nil
                }
                current?.articles += 1
                if let p = published, let day = DayNumber.parse(p) {
                    let iso = DayNumber.iso(day)
                    if current?.first == nil { current?.first = iso }
                    current?.last = iso
                    if let prev = previousDay {
                        let gap = day - prev
                        if gap > (current?.longestGapDays ?? 0) { current?.longestGapDays = gap }
                        if gap > 7 { current?.gaps += 1 }
                    }
                    previousDay = day
                }
            }
            if let c = current { out.append(c) }
            return out
        }
    }

    public func counts() throws -> [String: Int] {
        try pool.read { db in
            var out: [String: Int] = [:]
            for t in ["articles", "events", "claims", "incidents", "incident_links", "toll_observations"] {
                out[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t)") ?? 0
            }
            out["casualties"] = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(json_array_length(sitrep_text(rows))), 0) FROM casualties") ?? 0
            return out
        }
    }

    /// A canonical text dump of the database (every table, rows sorted by natural keys, no rowids):
    /// two runs that stored the same thing give the same dump.
    public func canonicalDump() throws -> String {
        try pool.read { db in
            var out = ""
            let queries = [
                "SELECT hash, source, url, published, title, text, sitrep_analysis(analysis), dup_group, dup_of, similarity, hex(minhash), superseded_by, version FROM articles ORDER BY hash",
                "SELECT a.hash || '#' || e.idx AS k, a.hash, e.active, typeof(e.report) FROM events e JOIN articles a ON a.id = e.article ORDER BY k",
                "SELECT a.hash, j.value FROM casualties c JOIN articles a ON a.id = c.article, json_each(sitrep_text(c.rows)) j ORDER BY a.hash, j.key",
                "SELECT a.hash, j.value FROM claims c JOIN articles a ON a.id = c.article, json_each(sitrep_text(c.rows)) j ORDER BY a.hash, j.key",
                "SELECT a.hash, t.* FROM toll_observations t JOIN articles a ON a.id = t.article ORDER BY a.hash, t.idx",
                "SELECT i.id, i.day_start, i.fatalities_best FROM incidents i ORDER BY i.id",
                "SELECT a.hash || '#' || e.idx AS k, i.id, l.evidence FROM incident_links l JOIN events e ON e.id = l.event JOIN articles a ON a.id = e.article JOIN incidents i ON i.rid = l.incident ORDER BY k",
            ]
            for q in queries {
                out += "## \(q)\n"
                for row in try Row.fetchAll(db, sql: q) {
                    out += row.databaseValues.map { $0.description }.joined(separator: "\u{1F}") + "\n"
                }
            }
            out += "## article bands (band, hash)\n"
            var bands: [(Int64, String)] = []
            for row in try Row.fetchAll(db, sql: "SELECT a.hash, b.bands FROM article_bands b JOIN articles a ON a.id = b.article") {
                let blob: Data = row[1]
                let keys = blob.withUnsafeBytes { BandIndex.decode($0) } ?? []
                for k in keys { bands.append((k, row[0])) }
            }
            for (k, h) in bands.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) { out += "\(k)\u{1F}\(h)\n" }
            out += "## reports\n"
            for row in try Row.fetchAll(db, sql: """
                SELECT e.report, a.hash, e.idx, a.dup_group FROM events e JOIN articles a ON a.id = e.article
                ORDER BY a.hash || '#' || e.idx
                """) {
                let r = try storedReport(row[0], article: row[1], index: row[2], group: row[3])
                out += JSONOut.string { JSONOut.report(r, &$0) } + "\n"
            }
            out += "## incident records\n"
            for id in try String.fetchAll(db, sql: "SELECT id FROM incidents ORDER BY id") {
                guard let r = try derivedRecord(id, db) else { continue }
                out += JSONOut.string { JSONOut.incident(r, &$0) } + "\n"
            }
            return out
        }
    }
}
