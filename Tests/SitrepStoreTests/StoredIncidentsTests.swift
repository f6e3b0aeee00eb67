import Foundation
import GRDB
import GRDBSQLite
@testable import SitrepMerge
@testable import SitrepStore
import Testing

/// The writer's in-memory copy of the stored incidents (`StoredIncidents`).
@Suite struct StoredIncidentsTests {
    typealias F = Fixture

    @Test func incidentIDsParseToTheirValueAndNothingElseDoes() {
        for founder in ["a#0", "b#1", "0123456789abcdef#12", ""] {
            let id = MergeEngine.incidentID(founder: founder)
            let v = StoredIncidents.parseID(id)
            #expect(v == StableHash.fnv64(utf8Of: founder, seed: 7))
            #expect(v.map { StableHash.hex($0, prefix: "INC-") } == id)
        }
        for bad in ["", "INC-", "INC-0123456789abcde", "INC-0123456789abcdef0", "INC-0123456789ABCDEF",
                    "inc-0123456789abcdef", "INC_0123456789abcdef", "INC-0123456789abcdeg", "XINC-0123456789abcde"] {
            #expect(StoredIncidents.parseID(bad) == nil, "\(bad)")
        }
    }

    @Test func evidenceHashesTellNullFromTextAndTextsApart() throws {
        #expect(StoredIncidents.evidenceHash(nil) == 0)
        #expect(StoredIncidents.evidenceHash("") != 0)
        #expect(StoredIncidents.evidenceHash("{\"a\":1}") == StoredIncidents.evidenceHash(String("{\"a\":1}".reversed().reversed())))
        #expect(StoredIncidents.evidenceHash("{\"a\":1}") != StoredIncidents.evidenceHash("{\"a\":2}"))
        // The stored evidence, hashed where SQLite holds it, hashes as the string written.
        let q = try DatabaseQueue()
        let stored = ["{\"d\":\"Ganja – 5 km\"}", "", "x"]
        let hashes: [UInt64] = try q.read { db in
            var out: [UInt64] = []
            let st = try db.makeStatement(sql: "SELECT ?1 UNION ALL SELECT ?2 UNION ALL SELECT ?3 UNION ALL SELECT NULL")
            try st.setArguments(StatementArguments(stored))
            let h = st.sqliteStatement
            while sqlite3_step(h) == SQLITE_ROW { out.append(StoredIncidents.evidenceHash(h, 0)) }
            return out
        }
        #expect(hashes == stored.map { StoredIncidents.evidenceHash($0) } + [0])
        // A bridged or sliced string hashes as the native one.
        #expect(StoredIncidents.evidenceHash(String(Substring("ab{\"a\":1}").dropFirst(2))) == StoredIncidents.evidenceHash("{\"a\":1}"))
    }

    static func links(_ s: StoredIncidents, _ rid: Int64) -> [Int64: UInt64] {
        var out: [(event: Int64, evidence: UInt64)] = []
        s.links(rid, into: &out)
        return Dictionary(out.map { ($0.event, $0.evidence) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func linksMoveBetweenIncidentsAndLeaveWithThem() {
        var s = StoredIncidents(held: true)
        let x = StoredIncidents.Indexed(long: false, dayStart: 10, dayEnd: 10, type: s.code("Battles"), country: s.code(nil), lat: 1.5)
        s.set(rid: 1, id: 11, x)
        s.set(rid: 3, id: 33, x)
        for e: Int64 in [5, 2, 9] { s.link(event: e, rid: 1, evidence: UInt64(e)) }
        s.link(event: 7, rid: 3, evidence: 70)
        #expect(Self.links(s, 1) == [5: 5, 2: 2, 9: 9])
        // INSERT OR REPLACE moves a link; the evidence changes in place.
        s.link(event: 2, rid: 3, evidence: 20)
        s.link(event: 9, rid: 1, evidence: 90)
        #expect(Self.links(s, 1) == [5: 5, 9: 90])
        #expect(Self.links(s, 3) == [7: 70, 2: 20])
        // Unlinking from another incident than its own changes nothing.
        s.unlink(event: 2, from: 1)
        #expect(Self.links(s, 3) == [7: 70, 2: 20])
        s.unlink(event: 7, from: 3)
        s.unlink(event: 5)
        #expect(Self.links(s, 1) == [9: 90])
        #expect(Self.links(s, 3) == [2: 20])
        s.remove(rid: 3, id: 33)
        #expect(s.stored(33) == nil)
        #expect(Self.links(s, 3).isEmpty)
        // The removed incident's event can join another.
        s.link(event: 2, rid: 1, evidence: 21)
        #expect(Self.links(s, 1) == [9: 90, 2: 21])
        #expect(s.stored(11)?.rid == 1 && s.stored(11)?.indexed == x)
        #expect(s.code("Battles") == x.type && s.code("Battles") != s.code("Riots") && s.code(nil) == -1)
        // A placeholder event (not a row id) gives up holding.
        s.link(event: -4, rid: 1, evidence: 0)
        #expect(!s.held && s.stored(11) == nil)
    }

    /// Whether `stored` says what the database holds: every incident's row id and indexed values,
    /// every link's incident and evidence.
    static func matchesDatabase(_ store: SQLiteStore, _ stored: StoredIncidents) throws -> Bool {
        var copy = stored
        return try store.pool.read { db in
            var links: [Int64: [Int64: UInt64]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT event, incident, evidence FROM incident_links") {
                links[row[1], default: [:]][row[0]] = StoredIncidents.evidenceHash(row[2])
            }
            let rows = try Row.fetchAll(db, sql: "SELECT rid, id, long, day_start, day_end, type, country, lat FROM incidents")
            for row in rows {
                let rid: Int64 = row[0]
                let x = StoredIncidents.Indexed(long: row[2], dayStart: row[3], dayEnd: row[4], type: copy.code(row[5]),
                                                country: copy.code(row[6]), lat: row[7])
                guard let v = StoredIncidents.parseID(row[1]), let s = copy.stored(v), s.rid == rid, s.indexed == x,
                    Self.links(copy, rid) == links[rid] ?? [:]
                else { return false }
            }
            return rows.count > 0
        }
    }

    @Test func aReopenedStoreHoldsWhatItsDatabaseHoldsAndWritesTheSame() throws {
        let all = Articles.all
        let whole = try SQLiteStore(path: F.tempDB())
        for a in all { _ = try F.ingest(whole, [a]) }
        #expect(try whole.storedIncidents.map { try Self.matchesDatabase(whole, $0) } == true)

        // Half, then a new store on the same file: it loads what the first one wrote.
        let path = F.tempDB()
        let first = try SQLiteStore(path: path)
        for a in all.prefix(3) { _ = try F.ingest(first, [a]) }
        let second = try SQLiteStore(path: path)
        for a in all.dropFirst(3) {
            _ = try F.ingest(second, [a])
            let stored = try #require(second.storedIncidents)
            #expect(stored.held)
            #expect(try Self.matchesDatabase(second, stored))
        }
        #expect(try second.canonicalDump() == whole.canonicalDump())

        // Reading the database instead (nothing held) writes the same.
        let reading = try SQLiteStore(path: F.tempDB())
        for a in all {
            _ = try F.ingest(reading, [a])
            reading.storedIncidents = StoredIncidents(held: false)
        }
        #expect(try reading.canonicalDump() == whole.canonicalDump())
    }

    @Test func aLinkToAMissingIncidentMakesTheWriterReadTheDatabase() throws {
        let all = Articles.all
        let whole = try SQLiteStore(path: F.tempDB())
        for a in all { _ = try F.ingest(whole, [a]) }

        let path = F.tempDB()
        let first = try SQLiteStore(path: path)
        for a in all.prefix(3) { _ = try F.ingest(first, [a]) }
        // A stray link (an event row id no report has, to an incident that does not exist).
        try first.pool.write { db in
            try db.execute(sql: "INSERT INTO incident_links (event, incident, evidence) VALUES (999999, 999999, NULL)")
        }
        let second = try SQLiteStore(path: path)
        for a in all.dropFirst(3) { _ = try F.ingest(second, [a]) }
        #expect(second.storedIncidents?.held == false)
        try second.pool.write { db in try db.execute(sql: "DELETE FROM incident_links WHERE event = 999999") }
        #expect(try second.canonicalDump() == whole.canonicalDump())
    }
}
