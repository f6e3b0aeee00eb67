import Foundation
import SitrepMerge

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
