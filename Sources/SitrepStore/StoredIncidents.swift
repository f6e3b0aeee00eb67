import GRDB
import GRDBSQLite
import SitrepMerge

/// What the database holds of its incidents, in memory, for the writer: per incident its row id
/// and the values of its indexed columns, per link its incident and a hash of its evidence, so that
/// `write(_:removed:_:_:)` decides what changed without reading the database.
///
/// Before, each upserted incident took two look-ups: its row by `id` (a random page of the `id`
/// index, then of the table) and its links (the `incident` index, then one random page of
/// `incident_links` per link, since an incident's links were appended at different times). At
/// 200,000 articles those were ≈ 58,000 page-cache misses and ≈ 1 s of the writer's CPU per
/// 10,000 articles ingested, growing with the database.
///
/// Everything is kept in arrays indexed by row id (incidents' `rid`, events' `id`: dense integers),
/// not in maps of strings: ≈ 24 bytes per link and ≈ 80 per incident. Loaded with the merge state
/// (`loadEngine` reads the same rows), kept in step with every row the writer changes, and
/// discarded with the merge state when a batch rolls back. When the load did not see every
/// incident and link of the database (one no active report reaches), or an incident id does not
/// have the engine's form, `held` is false and the writer reads the database as before.
struct StoredIncidents {
    /// The stored values that decide between updating a row's indexed columns or not.
    struct Indexed: Equatable {
        var long: Bool
        var dayStart: Int64
        var dayEnd: Int64
        /// Codes of `type` and `country` (`code(_:)`), -1 for NULL.
        var type: Int32
        var country: Int32
        var lat: Double?
    }

    /// Whether memory holds every incident and link of the database.
    private(set) var held: Bool
    /// Incident id (its 64-bit value, `parseID`) → row id.
    private var ridOf: [UInt64: Int64] = [:]
    /// Row id → indexed values, nil where no incident is stored.
    private var indexed: [Indexed?] = []
    /// Row id → its newest link's event, 0 for none; the links of one incident are chained
    /// through `nextLink`.
    private var firstLink: [Int64] = []
    /// Event → the incident (row id) it is linked to, 0 for none.
    private var incidentOf: [Int64] = []
    /// Event → the next link of the same incident, 0 at the end.
    private var nextLink: [Int64] = []
    /// Event → `evidenceHash` of its link's evidence.
    private var evidenceOf: [UInt64] = []
    /// Interned `type` and `country` values.
    private var codes: [String: Int32] = [:]

    /// An empty store; `held: false` makes the writer read the database for every incident.
    init(held: Bool) {
        self.held = held
    }

    /// The 64-bit value of an incident id as `MergeEngine.incidentID` writes it (`INC-` and 16
    /// lowercase hex digits); nil for any other string. One value per id and one id per value.
    static func parseID(_ id: String) -> UInt64? {
        var id = id
        if let v = id.utf8.withContiguousStorageIfAvailable({ parseID($0) }) { return v }
        id.makeContiguousUTF8()
        return id.utf8.withContiguousStorageIfAvailable { parseID($0) } ?? nil
    }

    /// The same from the id's UTF-8 bytes.
    static func parseID(_ id: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard id.count == 20, id[0] == 0x49, id[1] == 0x4E, id[2] == 0x43, id[3] == 0x2D else { return nil }  // "INC-"
        var v: UInt64 = 0
        for i in 4..<20 {
            let c = id[i]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x61...0x66: d = c - 0x57
            default: return nil
            }
            v = v << 4 | UInt64(d)
        }
        return v
    }

    /// The hash a link's evidence is compared by (0 for NULL, never 0 otherwise): its UTF-8 bytes
    /// through Swift's hasher (SipHash, seeded per process, never stored). Bytes, not the string:
    /// the stored evidence is hashed where SQLite holds it, without a `String` per link (a
    /// string's hash also normalizes it, ≈ 10 instructions a byte). A changed evidence is taken
    /// for unchanged only when two 63-bit hashes collide (p ≈ 1e-19).
    static func evidenceHash(_ evidence: String?) -> UInt64 {
        guard var evidence else { return 0 }
        if let h = evidence.utf8.withContiguousStorageIfAvailable({ evidenceHash(UnsafeRawBufferPointer($0)) }) { return h }
        evidence.makeContiguousUTF8()
        return evidence.utf8.withContiguousStorageIfAvailable { evidenceHash(UnsafeRawBufferPointer($0)) } ?? 0
    }

    /// The hash of an evidence's UTF-8 bytes (not NULL).
    static func evidenceHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = Hasher()
        h.combine(bytes: bytes)
        return UInt64(bitPattern: Int64(h.finalize())) | 1
    }

    /// The hash of the evidence in column `i` of the current row.
    static func evidenceHash(_ h: OpaquePointer, _ i: Int32) -> UInt64 {
        guard sqlite3_column_type(h, i) != SQLITE_NULL, let p = sqlite3_column_text(h, i) else { return 0 }
        // `p` holds the column's `n` bytes until the statement steps on.
        return evidenceHash(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, i))))
    }

    /// The code of a `type` or `country` value (-1 for nil), interned on first use.
    mutating func code(_ s: String?) -> Int32 {
        guard let s else { return -1 }
        if let c = codes[s] { return c }
        let c = Int32(codes.count)
        codes[s] = c
        return c
    }

    /// Gives up holding the database's incidents: from here on the writer reads them.
    mutating func drop() {
        let codes = self.codes  // codes already given stay valid
        self = StoredIncidents(held: false)
        self.codes = codes
    }

    /// The row id and indexed values of incident `id`, when held.
    func stored(_ id: UInt64) -> (rid: Int64, indexed: Indexed)? {
        guard let rid = ridOf[id], let x = indexed[Int(rid)] else { return nil }
        return (rid, x)
    }

    private static func grow<T>(_ a: inout [T], to index: Int64, _ fill: T) {
        if Int(index) >= a.count { a.append(contentsOf: repeatElement(fill, count: Swift.max(Int(index) + 1 - a.count, a.count / 2))) }
    }

    /// Records incident `rid` with id `id` and its indexed values (new, or updated).
    mutating func set(rid: Int64, id: UInt64, _ x: Indexed) {
        Self.grow(&indexed, to: rid, nil)
        Self.grow(&firstLink, to: rid, 0)
        indexed[Int(rid)] = x
        ridOf[id] = rid
    }

    /// The links of incident `rid`: (event, evidence hash), newest first.
    func links(_ rid: Int64, into out: inout [(event: Int64, evidence: UInt64)]) {
        guard Int(rid) < firstLink.count else { return }
        var e = firstLink[Int(rid)]
        while e != 0 {
            out.append((e, evidenceOf[Int(e)]))
            e = nextLink[Int(e)]
        }
    }

    /// Records `event` linked to `rid` (INSERT OR REPLACE: it leaves any other incident).
    /// Event row ids are positive; any other (`fillSyntheticIncidents`' placeholders) gives up
    /// holding.
    mutating func link(event: Int64, rid: Int64, evidence: UInt64) {
        guard event > 0, rid > 0 else { return drop() }
        unlink(event: event)
        Self.grow(&incidentOf, to: event, 0)
        Self.grow(&nextLink, to: event, 0)
        Self.grow(&evidenceOf, to: event, 0)
        Self.grow(&firstLink, to: rid, 0)
        incidentOf[Int(event)] = rid
        evidenceOf[Int(event)] = evidence
        nextLink[Int(event)] = firstLink[Int(rid)]
        firstLink[Int(rid)] = event
    }

    /// Forgets the link of `event`: whatever its incident, or only when it is to `incident`.
    mutating func unlink(event: Int64, from incident: Int64? = nil) {
        guard event > 0, Int(event) < incidentOf.count else { return }
        let rid = incidentOf[Int(event)]
        guard rid != 0, incident == nil || incident == rid else { return }
        incidentOf[Int(event)] = 0
        // The chain is short (an incident's reports): walk it to the event.
        var prev: Int64 = 0
        var e = firstLink[Int(rid)]
        while e != 0 && e != event {
            prev = e
            e = nextLink[Int(e)]
        }
        if e == event {
            if prev == 0 { firstLink[Int(rid)] = nextLink[Int(e)] } else { nextLink[Int(prev)] = nextLink[Int(e)] }
        }
        nextLink[Int(event)] = 0
    }

    /// Forgets incident `rid` and its links (its row and links were deleted).
    mutating func remove(rid: Int64, id: UInt64) {
        ridOf[id] = nil
        guard Int(rid) < indexed.count else { return }
        indexed[Int(rid)] = nil
        var e = firstLink[Int(rid)]
        firstLink[Int(rid)] = 0
        while e != 0 {
            let next = nextLink[Int(e)]
            incidentOf[Int(e)] = 0
            nextLink[Int(e)] = 0
            e = next
        }
    }

    /// Room for `incidents` row ids and `events` event ids before the arrays grow.
    mutating func reserve(incidents: Int64, events: Int64) {
        Self.grow(&indexed, to: incidents, nil)
        Self.grow(&firstLink, to: incidents, 0)
        Self.grow(&incidentOf, to: events, 0)
        Self.grow(&nextLink, to: events, 0)
        Self.grow(&evidenceOf, to: events, 0)
    }
}

extension StoredIncidents {
    /// Collects the incidents and links that `loadEngine` reads with the active reports, then
    /// checks that they are all of the database's.
    struct Loader {
        var s = StoredIncidents(held: true)
        private var incidents = 0
        private var links = 0
        private var failed = false

        init(_ db: Database) throws {
            let maxRID = try Int64.fetchOne(db, sql: "SELECT MAX(rid) FROM incidents") ?? 0
            let maxEvent = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") ?? 0
            s.reserve(incidents: maxRID, events: maxEvent)
        }

        /// The current row's link (`event`, its incident `rid` or nil) and, from column `first`,
        /// the incident's `id, long, day_start, day_end, type, country, lat` and the link's evidence.
        mutating func add(_ h: OpaquePointer, event: Int64, rid: Int64?, first: Int32) {
            guard !failed, let rid else { return }
            guard rid > 0, sqlite3_column_type(h, first) != SQLITE_NULL else {
                failed = true  // a link to a missing incident
                return
            }
            if Int(rid) >= s.indexed.count || s.indexed[Int(rid)] == nil {
                // The id's bytes, read where SQLite holds them (valid until the statement steps on).
                let n = Int(sqlite3_column_bytes(h, first))
                guard let p = sqlite3_column_text(h, first),
                    let id = StoredIncidents.parseID(UnsafeBufferPointer(start: p, count: n))
                else {
                    failed = true  // an id of another form
                    return
                }
                let lat: Double? = sqlite3_column_type(h, first + 6) == SQLITE_NULL ? nil : sqlite3_column_double(h, first + 6)
                let x = Indexed(long: sqlite3_column_int64(h, first + 1) != 0, dayStart: sqlite3_column_int64(h, first + 2),
                                dayEnd: sqlite3_column_int64(h, first + 3), type: s.code(SQLiteStore.text(h, first + 4)),
                                country: s.code(SQLiteStore.text(h, first + 5)), lat: lat)
                s.set(rid: rid, id: id, x)
                incidents += 1
            }
            s.link(event: event, rid: rid, evidence: StoredIncidents.evidenceHash(h, first + 7))
            links += 1
        }

        /// The store, holding the database's incidents when every one and every link was seen.
        mutating func finish(_ db: Database) throws -> StoredIncidents {
            let allIncidents = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incidents") ?? 0
            let allLinks = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident_links") ?? 0
            if failed || !s.held || incidents != allIncidents || links != allLinks { s.drop() }
            return s
        }
    }
}
