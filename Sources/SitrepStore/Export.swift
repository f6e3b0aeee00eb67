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

/// Writes incidents as CSV, GeoJSON, JSONL or a JSON array into `out.bytes`, byte for byte as
/// the Foundation-based writers did (keys in `JSONSerialization`'s sorted order; the JSONL
/// `record` as `JSONEncoder` wrote it and `JSONSerialization` read it back and wrote it again).
/// The caller drains `out.bytes` between records (`ChunkedOutput`), so memory stays bounded.
public struct IncidentWriter {
    public enum Format: Sendable {
        case csv, geojson, jsonl, json
    }

    public let format: Format
    public let policy: ReconcilePolicy
    public var out = FoundationJSON()
    var countries: [String: String] = [:]
    public private(set) var count = 0

    public init(format: Format, policy: ReconcilePolicy) {
        self.format = format
        self.policy = policy
    }

    /// What comes before the first record.
    public mutating func begin() {
        switch format {
        case .csv: out.bytes.append(contentsOf: Export.csvHeader().utf8)
        case .geojson: out.bytes.append(contentsOf: "{\"type\":\"FeatureCollection\",\"features\":[\n".utf8)
        case .json: out.bytes.append(contentsOf: "[\n".utf8)
        case .jsonl: break
        }
    }

    /// What comes after the last record.
    public mutating func end() {
        switch format {
        case .geojson: out.bytes.append(contentsOf: "\n]}\n".utf8)
        case .json: out.bytes.append(contentsOf: "\n]\n".utf8)
        case .csv, .jsonl: break
        }
    }

    public mutating func add(_ r: IncidentRecord) {
        switch format {
        case .csv:
            csvLine(r)
        case .geojson:
            if count > 0 { out.bytes.append(contentsOf: ",\n".utf8) }
            feature(r)
        case .jsonl:
            jsonObject(r)
            out.bytes.append(0x0A)
        case .json:
            if count > 0 { out.bytes.append(contentsOf: ",\n".utf8) }
            jsonObject(r)
        }
        count += 1
    }

    mutating func countryName(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "" }
        if let name = countries[code] { return name }
        let name = Export.countryName(code)
        countries[code] = name
        return name
    }

    /// The values of `Export.fields`, computed once per record.
    struct Values {
        var year: Int
        var country: String
        var admin2: String
        var lat: Double?
        var lon: Double?
        var sources: String
        var notes: String
        var fatalities: Reconciled?
        var claimants: String
    }

    mutating func values(_ r: IncidentRecord) -> Values {
        let p = r.place
        return Values(
            year: Int(r.dateStart.prefix(4)) ?? 0,
            country: countryName(p?.country),
            admin2: p?.precision == "admin2" ? (p?.name ?? "") : "",
            lat: p.map { Export.coordinate($0.lat) },
            lon: p.map { Export.coordinate($0.lon) },
            sources: r.sources.joined(separator: "; "),
            notes: r.notes(policy: policy),
            fatalities: r.fatalities?.under(policy),
            claimants: r.claimants.joined(separator: "; "))
    }

    mutating func csvLine(_ r: IncidentRecord) {
        let v = values(r)
        let p = r.place
        func cell(_ s: String, _ out: inout [UInt8]) {
            Export.appendCSVCell(s, to: &out)
            out.append(0x2C)
        }
        func number(_ i: Int, _ out: inout [UInt8]) {
            out.append(contentsOf: String(i).utf8)
            out.append(0x2C)
        }
        cell(r.id, &out.bytes)
        cell(r.dateStart, &out.bytes)
        number(v.year, &out.bytes)
        number(Export.timePrecision(r.precision), &out.bytes)
        cell(r.type, &out.bytes)
        cell(r.subtype, &out.bytes)
        cell(r.actor1?.name ?? "", &out.bytes)
        cell(r.actor2?.name ?? "", &out.bytes)
        cell(v.country, &out.bytes)
        cell(p?.admin1 ?? "", &out.bytes)
        cell(v.admin2, &out.bytes)
        cell(p?.name ?? "", &out.bytes)
        if let lat = v.lat { out.bytes.append(contentsOf: String(lat).utf8) }
        out.bytes.append(0x2C)
        if let lon = v.lon { out.bytes.append(contentsOf: String(lon).utf8) }
        out.bytes.append(0x2C)
        number(Export.geoPrecision(p?.precision), &out.bytes)
        cell(v.sources, &out.bytes)
        cell(v.notes, &out.bytes)
        number(v.fatalities?.best ?? 0, &out.bytes)
        if let f = v.fatalities { out.bytes.append(contentsOf: String(f.low).utf8) }
        out.bytes.append(0x2C)
        if let h = v.fatalities?.high { out.bytes.append(contentsOf: String(h).utf8) }
        out.bytes.append(0x2C)
        cell(v.claimants, &out.bytes)
        number(r.contested ? 1 : 0, &out.bytes)
        out.bytes.append(contentsOf: String(r.independentSources).utf8)
        out.bytes.append(contentsOf: "\r\n".utf8)
    }

    /// The export fields as an object's members, in `JSONSerialization`'s key order, with the
    /// full record under `record` when given.
    mutating func properties(_ r: IncidentRecord, record: Bool) {
        let v = values(r)
        let p = r.place
        out.field("actor1", r.actor1?.name ?? "")
        out.field("actor2", r.actor2?.name ?? "")
        out.field("admin1", p?.admin1 ?? "")
        out.field("admin2", v.admin2)
        out.field("claimants", v.claimants)
        out.field("contested", r.contested ? 1 : 0)
        out.field("country", v.country)
        out.field("event_date", r.dateStart)
        out.field("event_id_cnty", r.id)
        out.field("event_type", r.type)
        out.field("fatalities", v.fatalities?.best ?? 0)
        out.key("fatalities_high")
        if let h = v.fatalities?.high { out.int(h) } else { out.null() }
        out.key("fatalities_low")
        if let f = v.fatalities { out.int(f.low) } else { out.null() }
        out.field("geo_precision", Export.geoPrecision(p?.precision))
        out.key("latitude")
        if let lat = v.lat { out.serializedDouble(lat) } else { out.null() }
        out.field("location", p?.name ?? "")
        out.key("longitude")
        if let lon = v.lon { out.serializedDouble(lon) } else { out.null() }
        out.field("notes", v.notes)
        if record {
            out.key("record")
            RecordJSON.incident(r, style: .reparsed, &out)
        }
        out.field("source", v.sources)
        out.field("sources", r.independentSources)
        out.field("sub_event_type", r.subtype)
        out.field("time_precision", Export.timePrecision(r.precision))
        out.field("year", v.year)
    }

    mutating func feature(_ r: IncidentRecord) {
        out.beginObject()
        out.key("geometry")
        if let p = r.place {
            out.beginObject()
            out.key("coordinates")
            out.beginArray()
            out.serializedDouble(Export.coordinate(p.lon))
            out.serializedDouble(Export.coordinate(p.lat))
            out.endArray()
            out.field("type", "Point")
            out.endObject()
        } else {
            out.null()
        }
        out.field("id", r.id)
        out.key("properties")
        out.beginObject()
        properties(r, record: false)
        out.endObject()
        out.field("type", "Feature")
        out.endObject()
    }

    mutating func jsonObject(_ r: IncidentRecord) {
        out.beginObject()
        properties(r, record: true)
        out.endObject()
    }
}

/// The merge records as JSON with sorted keys, as `JSONEncoder` (`.encoded`) wrote them, or as
/// `JSONSerialization` wrote them again after reading `JSONEncoder`'s output (`.reparsed`: the
/// JSONL `record`). The two differ only in the order of dynamic keys (report keys of `evidence`:
/// UTF-8 bytes versus a numeric locale comparison) and in doubles (a negative zero reads back as 0).
public enum RecordJSON {
    public enum Style: Sendable {
        case encoded, reparsed
    }

    static func double(_ v: Double, _ style: Style, _ w: inout FoundationJSON) {
        switch style {
        case .encoded: w.encodedDouble(v)
        case .reparsed: w.reparsedDouble(v)
        }
    }

    static func strings(_ k: String, _ xs: [String], _ w: inout FoundationJSON) {
        w.key(k)
        w.beginArray()
        for x in xs { w.string(x) }
        w.endArray()
    }

    public static func actor(_ a: ActorKey, _ w: inout FoundationJSON) {
        w.beginObject()
        w.field("id", a.id)
        w.field("name", a.name)
        w.endObject()
    }

    public static func place(_ p: PlaceKey, style: Style, _ w: inout FoundationJSON) {
        w.beginObject()
        if let a = p.admin1 { w.field("admin1", a) }
        if let c = p.country { w.field("country", c) }
        if let g = p.geonameid { w.field("geonameid", g) }
        w.key("lat")
        double(p.lat, style, &w)
        w.key("lon")
        double(p.lon, style, &w)
        w.field("name", p.name)
        w.field("precision", p.precision)
        w.endObject()
    }

    static func sources(_ k: String, _ xs: [FigureSource], _ w: inout FoundationJSON) {
        w.key(k)
        w.beginArray()
        for s in xs {
            w.beginObject()
            w.field("article", s.article)
            if let c = s.claimant { w.field("claimant", c) }
            w.field("qualifier", s.qualifier)
            w.field("report", s.report)
            if let x = s.source { w.field("source", x) }
            w.field("value", s.value)
            w.endObject()
        }
        w.endArray()
    }

    static func reconciled(_ r: Reconciled, _ w: inout FoundationJSON) {
        w.beginObject()
        w.field("best", r.best)
        sources("bestFrom", r.bestFrom, &w)
        strings("excluded", r.excluded, &w)
        if let h = r.high { w.field("high", h) }
        sources("highFrom", r.highFrom, &w)
        w.field("low", r.low)
        sources("lowFrom", r.lowFrom, &w)
        w.endObject()
    }

    static func category(_ c: CategoryFigures, _ w: inout FoundationJSON) {
        w.beginObject()
        w.key("conservative")
        reconciled(c.conservative, &w)
        w.field("outcome", c.outcome)
        w.key("range")
        reconciled(c.range, &w)
        w.field("victims", c.victims)
        w.endObject()
    }

    public static func evidence(_ e: LinkEvidence, style: Style, _ w: inout FoundationJSON) {
        w.beginObject()
        w.field("actors", e.actors)
        w.field("date", e.date)
        w.key("distanceKm")
        double(e.distanceKm, style, &w)
        w.field("family", e.family)
        w.field("place", e.place)
        w.field("to", e.to)
        w.endObject()
    }

    public static func incident(_ r: IncidentRecord, style: Style, _ w: inout FoundationJSON) {
        w.beginObject()
        if let a = r.actor1 {
            w.key("actor1")
            actor(a, &w)
        }
        if let a = r.actor2 {
            w.key("actor2")
            actor(a, &w)
        }
        w.key("categories")
        w.beginArray()
        for c in r.categories { category(c, &w) }
        w.endArray()
        strings("claimants", r.claimants, &w)
        w.field("contested", r.contested)
        w.field("dayEnd", r.dayEnd)
        w.field("dayStart", r.dayStart)
        strings("deniedBy", r.deniedBy, &w)
        w.key("evidence")
        w.beginObject()
        let keys = Array(r.evidence.keys)
        let ordered = style == .encoded ? FoundationJSON.encoderOrder(keys) : FoundationJSON.serializationOrder(keys)
        for k in ordered {
            guard let e = r.evidence[k] else { continue }
            w.key(k)
            evidence(e, style: style, &w)
        }
        w.endObject()
        if let f = r.fatalities {
            w.key("fatalities")
            category(f, &w)
        }
        w.field("id", r.id)
        w.field("independentSources", r.independentSources)
        if let p = r.place {
            w.key("place")
            place(p, style: style, &w)
        }
        w.field("precision", r.precision)
        strings("reports", r.reports, &w)
        strings("sources", r.sources, &w)
        w.field("subtype", r.subtype)
        w.field("type", r.type)
        strings("weapons", r.weapons, &w)
        w.endObject()
    }

    /// A report as `JSONEncoder` wrote it (keys in UTF-8 order, nil fields left out).
    public static func report(_ r: Report, _ w: inout FoundationJSON) {
        w.beginObject()
        if let a = r.actor1 {
            w.key("actor1")
            actor(a, &w)
        }
        if let a = r.actor2 {
            w.key("actor2")
            actor(a, &w)
        }
        w.field("article", r.article)
        if let c = r.claimant {
            w.key("claimant")
            actor(c, &w)
        }
        w.field("dateFromPublished", r.dateFromPublished)
        if let d = r.dayEnd { w.field("dayEnd", d) }
        if let d = r.dayStart { w.field("dayStart", d) }
        strings("deniedBy", r.deniedBy, &w)
        w.field("dupGroup", r.dupGroup)
        w.field("eventIndex", r.eventIndex)
        w.key("figures")
        w.beginArray()
        for f in r.figures {
            w.beginObject()
            w.field("best", f.best)
            if let c = f.casualty { w.field("casualty", c) }
            if let c = f.claimantID { w.field("claimantID", c) }
            if let c = f.claimantName { w.field("claimantName", c) }
            if let h = f.high { w.field("high", h) }
            w.field("low", f.low)
            w.field("outcome", f.outcome)
            w.field("qualifier", f.qualifier)
            w.field("rule", f.rule)
            w.field("victims", f.victims)
            w.endObject()
        }
        w.endArray()
        w.field("key", r.key)
        if let p = r.place {
            w.key("place")
            place(p, style: .encoded, &w)
        }
        w.field("precision", r.precision)
        if let p = r.published { w.field("published", p) }
        strings("rules", r.rules, &w)
        w.field("snippet", r.snippet)
        if let s = r.source { w.field("source", s) }
        w.field("stance", r.stance)
        w.field("subtype", r.subtype)
        w.field("type", r.type)
        strings("weapons", r.weapons, &w)
        w.endObject()
    }

    /// Toll series as `JSONEncoder` wrote them.
    public static func tolls(_ series: [TollSeries], _ w: inout FoundationJSON) {
        w.beginArray()
        for s in series {
            w.beginObject()
            w.field("claimantID", s.claimantID)
            w.field("claimantName", s.claimantName)
            w.field("outcome", s.outcome)
            w.key("points")
            w.beginArray()
            for p in s.points {
                w.beginObject()
                strings("articles", p.articles, &w)
                w.field("asOf", p.asOf)
                w.field("best", p.best)
                if let h = p.high { w.field("high", h) }
                w.field("low", p.low)
                w.field("qualifier", p.qualifier)
                strings("sources", p.sources, &w)
                w.endObject()
            }
            w.endArray()
            w.field("victims", s.victims)
            w.endObject()
        }
        w.endArray()
    }
}
