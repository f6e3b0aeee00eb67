import Foundation
import GRDB
import SitrepMerge

/// Synthetic data for scale measurements (`sitrep store-bench`): never used by ingest.
public enum Synthetic {
    static let towns: [(String, Double, Double, String)] = [
        ("Stepanakert", 39.8153, 46.7519, "AZ"), ("Ganja", 40.6828, 46.3606, "AZ"), ("Aleppo", 36.2021, 37.1343, "SY"),
        ("Mariupol", 47.0971, 37.5434, "UA"), ("Kharkiv", 49.9935, 36.2304, "UA"), ("Gao", 16.2717, -0.0447, "ML"),
        ("Mogadishu", 2.0371, 45.3438, "SO"), ("Goma", -1.6792, 29.2228, "CD"), ("Sanaa", 15.3694, 44.191, "YE"),
        ("Maiduguri", 11.8464, 13.1603, "NG"), ("Kabul", 34.5553, 69.2075, "AF"), ("Mosul", 36.335, 43.1189, "IQ"),
    ]

    /// A deterministic report for benchmark article `n`, event `k`.
    public static func report(article: String, event k: Int, seed: UInt64, baseDay: Int, days: Int) -> Report {
        var x = StableHash.mix(seed &+ UInt64(k) &* 0x9E37)
        func next() -> UInt64 { x = StableHash.mix(x); return x }
        let t = towns[Int(next() % UInt64(towns.count))]
        // ±0.5°: about 16 distinct 25-km neighbourhoods per town, ~3–4 reports per incident
        // for 20,000 articles over two months.
        let jitterLat = Double(Int(next() % 1000) - 500) / 1000
        let jitterLon = Double(Int(next() % 1000) - 500) / 1000
        let day = baseDay + Int(next() % UInt64(Swift.max(1, days)))
        let week = next() % 5 == 0
        let killed = Int(next() % 30)
        let sides = ["GOV.MIL", "REB", "MIL.A", "MIL.B"]
        let a1 = "\(t.3).\(sides[Int(next() % 4)])"
        return Report(
            key: Report.key(article: article, event: k), article: article, eventIndex: k, source: "Synthetic",
            published: DayNumber.iso(day + 1), dupGroup: article,
            type: next() % 3 == 0 ? "Battles" : "Explosions/Remote violence", subtype: "Shelling/artillery/missile attack",
            actor1: ActorKey(id: a1, name: a1), actor2: nil, dayStart: day, dayEnd: week ? day + 6 : day,
            precision: week ? "week" : "day",
            place: PlaceKey(name: t.0, geonameid: nil, country: t.3, admin1: nil, lat: t.1 + jitterLat, lon: t.2 + jitterLon,
                            precision: "settlement"),
            figures: [ReportFigure(outcome: "killed", victims: "civilians", low: killed, best: killed, high: killed,
                                   qualifier: "exact", rule: "synthetic")])
    }
}

extension SQLiteStore {
    /// Writes `n` synthetic incidents (one report each) straight into the incidents table, over
    /// `days` days from `from`, in transactions of 10,000.
    public func fillSyntheticIncidents(_ n: Int, from: String, days: Int) throws {
        guard let base = DayNumber.parse(from) else { throw StoreError(path: path, reason: "bad date \(from)") }
        var i = 0
        while i < n {
            let end = Swift.min(n, i + 10_000)
            let clusters: [IncidentCluster] = (i..<end).map { k in
                let r = Synthetic.report(article: StableHash.hex(UInt64(k)), event: 0, seed: UInt64(k), baseDay: base, days: days)
                // No events are stored: the link's event row is a placeholder (negative, never a row id).
                return IncidentCluster(id: MergeEngine.incidentID(founder: r.key), members: [r], evidence: [:],
                                       rows: [-Int64(k) - 1])
            }
            try pool.write { db in
                // Nothing held: the writer reads the database (placeholder events are no row ids).
                var stored = StoredIncidents(held: false)
                try write(MergeDelta(upserts: clusters, deleted: []), removed: [], &stored, db)
                // What a loaded merge state holds of the incidents does not include these.
                storedIncidents = nil
            }
            i = end
        }
    }
}
