import GRDB
import GRDBSQLite
import SitrepMerge

extension SQLiteStore {
    /// Writes what a merge changed: `removed` are the event row ids of reports that left the engine.
    func write(_ delta: MergeDelta, removed: [Int64], _ stored: inout StoredIncidents, _ db: Database) throws {
        let out = MergeOutput(upserts: try delta.upserts.map { try prepare($0) }, deleted: delta.deleted, removedRows: removed)
        try write(out, &stored, db)
    }

    /// Writes what a merge changed (`MergeOutput`). What the database holds of the incidents comes
    /// from `stored` when it holds them (else from the database), and `stored` is kept in step with
    /// every row written.
    func write(_ delta: MergeOutput, _ stored: inout StoredIncidents, _ db: Database) throws {
        var deleteIncident = RowWriter(try db.cachedStatement(sql: "DELETE FROM incidents WHERE rid = ?"))
        var deleteLinks = RowWriter(try db.cachedStatement(sql: "DELETE FROM incident_links WHERE incident = ?"))
        var deleteLink = RowWriter(try db.cachedStatement(sql: "DELETE FROM incident_links WHERE event = ?"))
        // An incident that exists is updated in place: only when a column of an index changes are
        // that row's index entries rewritten (a REPLACE deleted and re-inserted the row and its five
        // index entries at random places of each index), and only its links that changed are written.
        var existing = RowWriter(try db.cachedStatement(sql: "SELECT rid, long, day_start, day_end, type, country, lat FROM incidents WHERE id = ?"))
        let insert = RowWriter(try db.cachedStatement(sql: """
            INSERT INTO incidents (date_start, date_end, precision, subtype, actor1, actor1_id, actor2, actor2_id,
              admin1, location, lon, geo_precision, fatalities_low, fatalities_best, fatalities_high,
              fatalities_conservative, claimants, contested, sources, n_sources, n_reports,
              id, long, day_start, day_end, type, country, lat) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """))
        let updateSmall = RowWriter(try db.cachedStatement(sql: """
            UPDATE incidents SET date_start = ?, date_end = ?, precision = ?, subtype = ?, actor1 = ?, actor1_id = ?,
              actor2 = ?, actor2_id = ?, admin1 = ?, location = ?, lon = ?, geo_precision = ?, fatalities_low = ?,
              fatalities_best = ?, fatalities_high = ?, fatalities_conservative = ?, claimants = ?, contested = ?,
              sources = ?, n_sources = ?, n_reports = ? WHERE rid = ?
            """))
        let updateAll = RowWriter(try db.cachedStatement(sql: """
            UPDATE incidents SET date_start = ?, date_end = ?, precision = ?, subtype = ?, actor1 = ?, actor1_id = ?,
              actor2 = ?, actor2_id = ?, admin1 = ?, location = ?, lon = ?, geo_precision = ?, fatalities_low = ?,
              fatalities_best = ?, fatalities_high = ?, fatalities_conservative = ?, claimants = ?, contested = ?,
              sources = ?, n_sources = ?, n_reports = ?, id = ?, long = ?, day_start = ?, day_end = ?, type = ?,
              country = ?, lat = ? WHERE rid = ?
            """))
        var oldLinks = RowWriter(try db.cachedStatement(sql: "SELECT event, evidence FROM incident_links WHERE incident = ?"))
        var unlink = RowWriter(try db.cachedStatement(sql: "DELETE FROM incident_links WHERE event = ? AND incident = ?"))
        var link = RowWriter(try db.cachedStatement(sql: "INSERT OR REPLACE INTO incident_links (event, incident, evidence) VALUES (?,?,?)"))

        /// The stored row of incident `id`: its row id, indexed values and id value (nil when `id`
        /// has not the engine's form), from memory when held.
        func find(_ id: String) throws -> (rid: Int64, indexed: StoredIncidents.Indexed)? {
            if stored.held {
                if let v = StoredIncidents.parseID(id) { return stored.stored(v) }
                stored.drop()  // an id memory cannot hold: read the database from here on
            }
            var found: (rid: Int64, indexed: StoredIncidents.Indexed)?
            existing.text(id)
            try existing.query { h in
                let lat: Double? = sqlite3_column_type(h, 6) == SQLITE_NULL ? nil : sqlite3_column_double(h, 6)
                found = (sqlite3_column_int64(h, 0),
                         .init(long: sqlite3_column_int64(h, 1) != 0, dayStart: sqlite3_column_int64(h, 2),
                               dayEnd: sqlite3_column_int64(h, 3), type: stored.code(Self.text(h, 4)),
                               country: stored.code(Self.text(h, 5)), lat: lat))
                return false
            }
            return found
        }

        for id in delta.deleted {
            guard let rid = try find(id)?.rid else { continue }
            deleteIncident.int64(rid)
            try deleteIncident.run()
            deleteLinks.int64(rid)
            try deleteLinks.run()
            if stored.held, let v = StoredIncidents.parseID(id) { stored.remove(rid: rid, id: v) }
        }
        for event in delta.removedRows {
            deleteLink.int64(event)
            try deleteLink.run()
            if stored.held { stored.unlink(event: event) }
        }
        var old: [(event: Int64, evidence: UInt64)] = []
        var oldEvidence: [Int64: UInt64] = [:]
        var kept = Set<Int64>()
        for c in delta.upserts {
            let r = c.record
            let range = r.fatalities?.range
            let country = r.place?.country
            let lat = r.place?.lat
            let now = StoredIncidents.Indexed(long: r.dayEnd - r.dayStart > SQLiteStore.shortSpanDays,
                                              dayStart: Int64(r.dayStart), dayEnd: Int64(r.dayEnd),
                                              type: stored.code(r.type), country: stored.code(country), lat: lat)
            let found = try find(r.id)
            let rid = found?.rid
            let sameIndexed = found?.indexed == now
            var w = rid == nil ? insert : sameIndexed ? updateSmall : updateAll
            w.text(r.dateStart); w.text(r.dateEnd); w.text(r.precision); w.text(r.subtype)
            w.text(r.actor1?.name); w.text(r.actor1?.id); w.text(r.actor2?.name); w.text(r.actor2?.id)
            w.text(r.place?.admin1); w.text(r.place?.name); w.real(r.place?.lon); w.text(r.place?.precision)
            w.int(range?.low); w.int(range?.best); w.int(range?.high); w.int(r.fatalities?.conservative.best)
            w.text(r.claimants.joined(separator: "; ")); w.bool(r.contested)
            w.text(r.sources.joined(separator: "; ")); w.int(r.independentSources); w.int(r.reports.count)
            if rid == nil || !sameIndexed {
                w.text(r.id); w.bool(now.long); w.int64(now.dayStart); w.int64(now.dayEnd); w.text(r.type); w.text(country); w.real(lat)
            }
            if let rid { w.int64(rid) }
            try w.run()
            let incident = rid ?? db.lastInsertedRowID
            phases.count(.upserts)
            if rid == nil { phases.count(.inserted) }
            var changes = 0
            if stored.held && !sameIndexed {
                // held: `find` parsed the id
                if let v = StoredIncidents.parseID(r.id) { stored.set(rid: incident, id: v, now) } else { stored.drop() }
            }

            old.removeAll(keepingCapacity: true)
            if rid != nil {
                if stored.held {
                    stored.links(incident, into: &old)
                } else {
                    oldLinks.int64(incident)
                    try oldLinks.query { h in
                        old.append((sqlite3_column_int64(h, 0), StoredIncidents.evidenceHash(h, 1)))
                        return true
                    }
                }
            }
            oldEvidence.removeAll(keepingCapacity: true)
            for o in old { oldEvidence[o.event] = o.evidence }
            kept.removeAll(keepingCapacity: true)
            for (i, event) in c.rows.enumerated() {
                let evidence = c.evidence[i]
                let hash = c.hashes[i]
                kept.insert(event)
                if let o = oldEvidence[event], o == hash { continue }
                link.int64(event); link.int64(incident); link.text(evidence)
                try link.run()
                changes += 1
                phases.count(.linksWritten)
                if stored.held { stored.link(event: event, rid: incident, evidence: hash) }
            }
            for event in oldEvidence.keys.sorted() where !kept.contains(event) {
                unlink.int64(event); unlink.int64(incident)
                try unlink.run()
                changes += 1
                phases.count(.unlinks)
                if stored.held { stored.unlink(event: event, from: incident) }
            }
            if changes == 0 { phases.count(.unchangedLinks) }
        }
    }
}
