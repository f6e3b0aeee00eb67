import Foundation
import GRDB
import SitrepExtract
import SitrepMerge
@testable import SitrepStore
import Testing

/// A database written before `v4-integer-keys` (text keys, JSON reports, claim and casualty rows)
/// opens, migrates and answers every query as a database written now.
@Suite struct MigrationTests {
    typealias F = Fixture

    static func copy(_ row: Row, _ table: String, _ db: Database) throws {
        let names = Array(row.columnNames)
        let values: [DatabaseValue] = names.map { row[$0] }
        try db.execute(sql: "INSERT INTO \(table) (\(names.joined(separator: ","))) VALUES (\(names.map { _ in "?" }.joined(separator: ",")))",
                       arguments: StatementArguments(values))
    }

    static func dv(_ row: Row, _ i: Int) -> DatabaseValue { row[i] }

    /// Copies a current store's content into a new file laid out as the v3 schema wrote it.
    static func v3Copy(of store: SQLiteStore) throws -> String {
        let path = F.tempDB("old")
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "v3-bands-without-rowid")
        try store.pool.read { src in
            try old.write { db in
                for row in try Row.fetchAll(src, sql: "SELECT * FROM articles ORDER BY id") { try copy(row, "articles", db) }
                try db.execute(sql: "INSERT INTO articles_fts (rowid, title, text) SELECT id, COALESCE(title, ''), text FROM articles")
                for row in try Row.fetchAll(src, sql: "SELECT article, bands FROM article_bands") {
                    let blob: Data = row[1]
                    for band in blob.withUnsafeBytes({ BandIndex.decode($0) }) ?? [] {
                        try db.execute(sql: "INSERT INTO minhash_bands (band, article) VALUES (?,?)", arguments: [band, dv(row, 0)])
                    }
                }
                for row in try Row.fetchAll(src, sql: """
                    SELECT e.id, e.article, e.idx, e.active, e.report, a.hash, a.dup_group FROM events e
                    JOIN articles a ON a.id = e.article ORDER BY e.id
                    """) {
                    let r = try store.storedReport(row[4], article: row[5], index: row[2], group: row[6])
                    try db.execute(sql: """
                        INSERT INTO events (id, key, article, idx, type, subtype, location, active, report)
                        VALUES (?,?,?,?,?,?,?,?,?)
                        """, arguments: [dv(row, 0), r.key, dv(row, 1), dv(row, 2), r.type, r.subtype, r.place?.name, dv(row, 3),
                                         JSONOut.string { JSONOut.report(r, &$0) }])
                }
                for row in try Row.fetchAll(src, sql: "SELECT * FROM incidents ORDER BY rid") { try copy(row, "incidents", db) }
                for row in try Row.fetchAll(src, sql: """
                    SELECT a.hash || '#' || e.idx, i.id, l.evidence FROM incident_links l JOIN events e ON e.id = l.event
                    JOIN articles a ON a.id = e.article JOIN incidents i ON i.rid = l.incident
                    """) {
                    try db.execute(sql: "INSERT INTO incident_links (event_key, incident, evidence) VALUES (?,?,?)",
                                   arguments: [dv(row, 0), dv(row, 1), dv(row, 2)])
                }
                for row in try Row.fetchAll(src, sql: "SELECT c.article, j.value FROM claims c, json_each(sitrep_text(c.rows)) j ORDER BY c.article, j.key") {
                    try db.execute(sql: """
                        INSERT INTO claims (article, idx, claimant_id, claimant, verb, stance, content, about_event,
                          about_casualty, denies, rule)
                        SELECT ?1, v ->> 0, v ->> 1, v ->> 2, v ->> 3, v ->> 4, v ->> 5, v ->> 6, v ->> 7, v ->> 8, v ->> 9
                        FROM (SELECT ?2 AS v)
                        """, arguments: [dv(row, 0), dv(row, 1)])
                }
                for row in try Row.fetchAll(src, sql: "SELECT c.article, j.value FROM casualties c, json_each(sitrep_text(c.rows)) j ORDER BY c.article, j.key") {
                    try db.execute(sql: """
                        INSERT INTO casualties (article, idx, outcome, low, best, high, qualifier, victims, side, scope,
                          period_start, period_end, claimant_id, claimant, snippet, figure, rule)
                        SELECT ?1, v ->> 0, v ->> 1, v ->> 2, v ->> 3, v ->> 4, v ->> 5, v ->> 6, v ->> 7, v ->> 8, v ->> 9,
                          v ->> 10, v ->> 11, v ->> 12, v ->> 13, v ->> 14, v ->> 15
                        FROM (SELECT ?2 AS v)
                        """, arguments: [dv(row, 0), dv(row, 1)])
                }
                for row in try Row.fetchAll(src, sql: "SELECT * FROM toll_observations") { try copy(row, "toll_observations", db) }
            }
        }
        try old.close()
        return path
    }

    /// Every query's answer, as text.
    static func answers(_ s: SQLiteStore) throws -> String {
        var out = ""
        let incidents = try s.incidents(IncidentQuery())
        out += "\(incidents)\n"
        for i in incidents {
            if let r = try s.record(i.id) { out += JSONOut.string { JSONOut.incident(r, &$0) } + "\n" }
            for d in try s.reports(ofIncident: i.id) {
                out += JSONOut.string { JSONOut.report(d.report, &$0) } + " \(String(describing: d.evidence)) \(d.active) \(d.title ?? "")\n"
            }
            out += "\(try s.claims(incident: i.id, claimant: nil, stance: nil, limit: 0))\n"
        }
        out += "\(try s.incidents(IncidentQuery(text: "Stepanakert")).map(\.id))\n"
        out += "\(try s.claims(incident: nil, claimant: nil, stance: nil, limit: 0))\n"
        out += "\(try s.claims(incident: nil, claimant: "ARM", stance: "denies", limit: 0))\n"
        out += "\(try s.tolls(claimant: nil, victims: nil, outcome: nil))\n"
        out += "\(try s.sources())\n"
        let counts = try s.counts()
        out += counts.keys.sorted().map { "\($0)=\(counts[$0] ?? -1)" }.joined(separator: " ") + "\n"
        return out
    }

    /// The article bands of `canonicalDump` (band, article hash), one per line.
    static func bandSection(_ s: SQLiteStore) throws -> String {
        let dump = try s.canonicalDump()
        guard let start = dump.range(of: "## article bands (band, hash)\n") else { return "" }
        let rest = dump[start.upperBound...]
        return String(rest[..<(rest.range(of: "## ")?.lowerBound ?? rest.endIndex)])
    }

    @Test func aV3DatabaseMigratesAndAnswersTheSame() throws {
        let current = try SQLiteStore(path: F.tempDB())
        for a in Articles.all { _ = try F.ingest(current, [a]) }
        let expected = try Self.answers(current)
        #expect(expected.contains("INC-"))
        let path = try Self.v3Copy(of: current)
        let migrated = try SQLiteStore(path: path)
        #expect(try Self.answers(migrated) == expected)
        // The bands moved from `minhash_bands` to `article_bands` (`v7-article-bands`) unchanged.
        let bands = try Self.bandSection(current)
        #expect(bands.split(separator: "\n").count > Articles.all.count)
        #expect(try Self.bandSection(migrated) == bands)
        // Old rows (JSON reports, migrated claims) and new ones live side by side: ingesting into the
        // migrated database gives what ingesting into the current one gives.
        let more = [Articles.a1, Articles.a2].map { a -> Analysis in
            var b = a
            b.article.text += "\n\nThe shelling resumed at dusk."
            b.article.url = nil
            return b
        }
        _ = try F.ingest(current, more)
        let reopened = try SQLiteStore(path: path)
        _ = try F.ingest(reopened, more)
        #expect(try Self.answers(reopened) == Self.answers(current))
    }
}
