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

    /// The English name of a country code (ICU: the writers cache it per code).
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

    /// The old CSV cell of a value (the reference the fast path must equal; used for the cells
    /// the fast path does not take: text with non-ASCII or a carriage return).
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

    /// Appends a CSV cell: quoted (inner quotes doubled) when it holds a comma, a quote or a line
    /// break. ASCII text without a carriage return takes a byte loop; other text the `Character`
    /// rules of `csvCell` (where "\r\n" is one character, neither "\n" nor "\r").
    public static func appendCSVCell(_ s: String, to out: inout [UInt8]) {
        var ascii = true
        var quote = false
        for b in s.utf8 {
            if b >= 0x80 || b == 0x0D {
                ascii = false
                break
            }
            if b == 0x2C || b == 0x22 || b == 0x0A { quote = true }
        }
        guard ascii else {
            out.append(contentsOf: csvCell(s).utf8)
            return
        }
        guard quote else {
            out.append(contentsOf: s.utf8)
            return
        }
        out.append(0x22)
        for b in s.utf8 {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }

    public static func csvHeader() -> String { columns.joined(separator: ",") + "\r\n" }

    public static func csvLine(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
        one(.csv, r, policy: policy)
    }

    /// One record written alone in a format whose records are lines (CSV, JSONL).
    static func one(_ format: IncidentWriter.Format, _ r: IncidentRecord, policy: ReconcilePolicy) -> String {
        var w = IncidentWriter(format: format, policy: policy)
        w.add(r)
        return String(decoding: w.out.bytes, as: UTF8.self)
    }

    public static func csv(_ records: [IncidentRecord], policy: ReconcilePolicy) -> String {
        whole(.csv, records, policy: policy)
    }

    public static func feature(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
        var w = IncidentWriter(format: .geojson, policy: policy)
        w.feature(r)
        return String(decoding: w.out.bytes, as: UTF8.self)
    }

    public static func geojson(_ records: [IncidentRecord], policy: ReconcilePolicy) -> String {
        whole(.geojson, records, policy: policy)
    }

    /// One JSON object per line: the export fields plus the full record (figures with provenance,
    /// link evidence).
    public static func jsonLine(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
        one(.jsonl, r, policy: policy)
    }

    /// A whole export as one string (tests, small outputs; the CLI streams with `IncidentWriter`).
    public static func whole(_ format: IncidentWriter.Format, _ records: [IncidentRecord], policy: ReconcilePolicy) -> String {
        var w = IncidentWriter(format: format, policy: policy)
        w.begin()
        for r in records { w.add(r) }
        w.end()
        return String(decoding: w.out.bytes, as: UTF8.self)
    }
}
