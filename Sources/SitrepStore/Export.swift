import Foundation
import SitrepMerge

/// Incident exports: ACLED-style CSV, GeoJSON FeatureCollection, JSONL.
public enum Export {
    /// ACLED's column names where ACLED has one, then ours.
    public static let columns = [
        "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
        "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "source", "notes",
        "fatalities", "fatalities_low", "fatalities_high", "claimants", "contested", "sources",
    ]

    /// ACLED time precision: 1 day, 2 week (or a few days), 3 month or coarser.
    /// A coordinate at five decimals (≈ 1 m), the precision the gazetteer stores: places are kept
    /// as Float32, whose widening to Double would print noise digits (40.342010498046875).
    public static func coordinate(_ v: Double) -> Double {
        (v * 100_000).rounded() / 100_000
    }

    static func timePrecision(_ p: String) -> Int {
        switch p {
        case "day": 1
        case "week": 2
        default: 3
        }
    }

    /// ACLED geo precision: 1 the town itself, 2 a district (admin2), 3 a province or coarser.
    static func geoPrecision(_ p: String?) -> Int {
        switch p {
        case "settlement": 1
        case "admin2": 2
        default: 3
        }
    }

    static func countryName(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "" }
        return Locale(identifier: "en_US").localizedString(forRegionCode: code) ?? code
    }

    /// One record's fields in `columns` order (values are String, Int, Double or NSNull).
    public static func fields(_ r: IncidentRecord, policy: ReconcilePolicy) -> [(String, Any)] {
        let f = r.fatalities?.under(policy)
        let year = Int(r.dateStart.prefix(4)) ?? 0
        let p = r.place
        return [
            ("event_id_cnty", r.id),
            ("event_date", r.dateStart),
            ("year", year),
            ("time_precision", timePrecision(r.precision)),
            ("event_type", r.type),
            ("sub_event_type", r.subtype),
            ("actor1", r.actor1?.name ?? ""),
            ("actor2", r.actor2?.name ?? ""),
            ("country", countryName(p?.country)),
            ("admin1", p?.admin1 ?? ""),
            ("admin2", p?.precision == "admin2" ? (p?.name ?? "") : ""),
            ("location", p?.name ?? ""),
            ("latitude", p.map { coordinate($0.lat) as Any } ?? NSNull()),
            ("longitude", p.map { coordinate($0.lon) as Any } ?? NSNull()),
            ("geo_precision", geoPrecision(p?.precision)),
            ("source", r.sources.joined(separator: "; ")),
            ("notes", r.notes(policy: policy)),
            ("fatalities", f?.best ?? 0),
            ("fatalities_low", f.map { $0.low as Any } ?? NSNull()),
            ("fatalities_high", f.flatMap { $0.high }.map { $0 as Any } ?? NSNull()),
            ("claimants", r.claimants.joined(separator: "; ")),
            ("contested", r.contested ? 1 : 0),
            ("sources", r.independentSources),
        ]
    }

    static func csvCell(_ v: Any) -> String {
        let s: String
        switch v {
        case is NSNull: return ""
        case let d as Double: s = String(d)
        case let i as Int: s = String(i)
        case let x as String: s = x
        default: s = "\(v)"
        }
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    public static func csvHeader() -> String { columns.joined(separator: ",") + "\r\n" }

    public static func csvLine(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
        fields(r, policy: policy).map { csvCell($0.1) }.joined(separator: ",") + "\r\n"
    }

    public static func csv(_ records: [IncidentRecord], policy: ReconcilePolicy) -> String {
        csvHeader() + records.map { csvLine($0, policy: policy) }.joined()
    }

    static func properties(_ r: IncidentRecord, policy: ReconcilePolicy) -> [String: Any] {
        var d: [String: Any] = [:]
        for (k, v) in fields(r, policy: policy) { d[k] = v }
        return d
    }

    static func serialize(_ o: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    public static func feature(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
        var f: [String: Any] = ["type": "Feature", "id": r.id, "properties": properties(r, policy: policy)]
        if let p = r.place {
            f["geometry"] = ["type": "Point", "coordinates": [coordinate(p.lon), coordinate(p.lat)]]
        } else {
            f["geometry"] = NSNull()
        }
        return serialize(f)
    }

    public static func geojson(_ records: [IncidentRecord], policy: ReconcilePolicy) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\n"
            + records.map { feature($0, policy: policy) }.joined(separator: ",\n") + "\n]}\n"
    }

    /// One JSON object per line: the export fields plus the full record (figures with provenance,
    /// link evidence).
    public static func jsonLine(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
        var d = properties(r, policy: policy)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? enc.encode(r), let obj = try? JSONSerialization.jsonObject(with: data) {
            d["record"] = obj
        }
        return serialize(d) + "\n"
    }
}
