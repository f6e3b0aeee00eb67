import Foundation
import SitrepMerge
import SitrepStore
import Testing

/// The exports and query outputs are written by hand (`IncidentWriter`, `RecordJSON`,
/// `FoundationJSON`); they must stay byte-identical to what the Foundation-based writers gave
/// (`JSONSerialization` with sorted keys, `JSONEncoder` sorted and pretty). `Legacy` below is that
/// old code, kept as the reference: random records with awkward text and numbers go through both.
@Suite struct ExportShapeTests {
    /// The old Foundation-based writers (reference only).
    enum Legacy {
        static func fields(_ r: IncidentRecord, policy: ReconcilePolicy) -> [(String, Any)] {
            let f = r.fatalities?.under(policy)
            let year = Int(r.dateStart.prefix(4)) ?? 0
            let p = r.place
            func countryName(_ code: String?) -> String {
                guard let code, !code.isEmpty else { return "" }
                return Locale(identifier: "en_US").localizedString(forRegionCode: code) ?? code
            }
            return [
                ("event_id_cnty", r.id), ("event_date", r.dateStart), ("year", year),
                ("time_precision", r.precision == "day" ? 1 : r.precision == "week" ? 2 : 3),
                ("event_type", r.type), ("sub_event_type", r.subtype),
                ("actor1", r.actor1?.name ?? ""), ("actor2", r.actor2?.name ?? ""),
                ("country", countryName(p?.country)), ("admin1", p?.admin1 ?? ""),
                ("admin2", p?.precision == "admin2" ? (p?.name ?? "") : ""), ("location", p?.name ?? ""),
                ("latitude", p.map { Export.coordinate($0.lat) as Any } ?? NSNull()),
                ("longitude", p.map { Export.coordinate($0.lon) as Any } ?? NSNull()),
                ("geo_precision", p?.precision == "settlement" ? 1 : p?.precision == "admin2" ? 2 : 3),
                ("source", r.sources.joined(separator: "; ")), ("notes", r.notes(policy: policy)),
                ("fatalities", f?.best ?? 0),
                ("fatalities_low", f.map { $0.low as Any } ?? NSNull()),
                ("fatalities_high", f.flatMap { $0.high }.map { $0 as Any } ?? NSNull()),
                ("claimants", r.claimants.joined(separator: "; ")), ("contested", r.contested ? 1 : 0),
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

        static func csvLine(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
            fields(r, policy: policy).map { csvCell($0.1) }.joined(separator: ",") + "\r\n"
        }

        static func properties(_ r: IncidentRecord, policy: ReconcilePolicy) -> [String: Any] {
            var d: [String: Any] = [:]
            for (k, v) in fields(r, policy: policy) { d[k] = v }
            return d
        }

        static func serialize(_ o: Any, pretty: Bool = false) -> String {
            var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            if pretty { options.insert(.prettyPrinted) }
            guard let data = try? JSONSerialization.data(withJSONObject: o, options: options) else { return "null" }
            return String(decoding: data, as: UTF8.self)
        }

        static func feature(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
            var f: [String: Any] = ["type": "Feature", "id": r.id, "properties": properties(r, policy: policy)]
            if let p = r.place {
                f["geometry"] = ["type": "Point", "coordinates": [Export.coordinate(p.lon), Export.coordinate(p.lat)]]
            } else {
                f["geometry"] = NSNull()
            }
            return serialize(f)
        }

        static func jsonLine(_ r: IncidentRecord, policy: ReconcilePolicy) -> String {
            var d = properties(r, policy: policy)
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? enc.encode(r), let obj = try? JSONSerialization.jsonObject(with: data) {
                d["record"] = obj
            }
            return serialize(d) + "\n"
        }

        static func encodePretty<T: Encodable>(_ v: T) -> String {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            guard let data = try? e.encode(v) else { return "null" }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Random record parts from the target's seeded generator (`SplitMix`, StoreTests.swift).
    struct Gen {
        var rng: SplitMix
        init(state: UInt64) { rng = SplitMix(seed: state) }
        mutating func next() -> UInt64 { rng.next() }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

        static let pieces = [
            "Stepanakert", "a, b", "say \"no\"", "line\nbreak", "cr\r\nlf", "lone\rcr", "tab\there", "back\\slash",
            "a/b", "ctl\u{1}\u{8}\u{c}\u{1f}", "Médecins", "Ganja ", "é\u{301}", ",\u{301}", "\"\u{301}", "日本",
            "emoji 🇦🇲", "", " ", "x#10", "0", "-", "…", "Nagorno-Karabakh officials", "\u{7f}del",
        ]

        mutating func text() -> String {
            (0..<(1 + int(3))).map { _ in Self.pieces[int(Self.pieces.count)] }.joined(separator: chance(50) ? " " : "")
        }

        mutating func maybe(_ s: String) -> String? { chance(70) ? s : nil }

        mutating func coordinate() -> Double {
            switch int(6) {
            case 0: 0
            case 1: -0.0
            case 2: Double(Float(Double(int(2_000_000)) / 1e9 - 0.001))
            case 3: Double(Float(Double(int(360_000_000)) / 1e6 - 180))
            case 4: Double(int(181)) - 90
            default: Double(Float(Double(int(180_000_000)) / 1e6 - 90))
            }
        }

        mutating func distance() -> Double {
            switch int(5) {
            case 0: 0
            case 1: Double(int(300)) / 10
            case 2: Double(int(1_000_000)) / 1e9
            case 3: -0.0
            default: Double(int(1 << 30)) / Double(1 + int(1000))
            }
        }

        mutating func key(_ article: String) -> String { "\(article)#\(int(15))" }

        mutating func article() -> String {
            let hex = Array("0123456789abcdef")
            return String((0..<8).map { _ in hex[int(16)] })
        }

        mutating func report(_ article: String, _ index: Int) -> Report {
            let outcomes = ["killed", "wounded"]
            let victims = ["civilians", "military", "people"]
            let figures = (0..<int(3)).map { _ -> ReportFigure in
                let best = int(40)
                return ReportFigure(outcome: outcomes[int(2)], victims: victims[int(3)], low: best - int(3), best: best,
                                    high: chance(50) ? best + int(5) : nil, qualifier: chance(50) ? "exact" : "at-least",
                                    claimantID: maybe("AZE.MIL"), claimantName: maybe(text()),
                                    casualty: chance(50) ? int(5) : nil, rule: "en/r.tsv#\(int(99))")
            }
            let place = chance(85) ? PlaceKey(name: text(), geonameid: chance(80) ? int(9_999_999) : nil,
                                              country: chance(80) ? ["AZ", "AM", "SY", "XK", "ZZ", ""][int(6)] : nil,
                                              admin1: maybe(text()), lat: coordinate(), lon: coordinate(),
                                              precision: ["settlement", "admin2", "admin1"][int(3)]) : nil
            let day = 18_000 + int(60)
            return Report(key: "\(article)#\(index)", article: article, eventIndex: index, source: maybe(text()),
                          published: maybe("2020-10-\(10 + int(19))"), dupGroup: article, type: ["Battles", "Riots"][int(2)],
                          subtype: chance(80) ? text() : "", actor1: chance(60) ? ActorKey(id: "AZE.MIL", name: text()) : nil,
                          actor2: chance(40) ? ActorKey(id: "ARM.MIL", name: text()) : nil,
                          dayStart: chance(90) ? day : nil, dayEnd: chance(90) ? day + int(8) : nil,
                          precision: ["day", "week", "month"][int(3)], dateFromPublished: chance(20), place: place,
                          claimant: chance(50) ? ActorKey(id: "NKR.AUTH", name: text()) : nil,
                          stance: ["reported", "denied", "asserted"][int(3)], deniedBy: chance(20) ? [text()] : [],
                          figures: figures, weapons: chance(30) ? [text(), text()] : [], snippet: text(),
                          rules: ["en/events.tsv#\(int(50))"])
        }

        mutating func record() -> (IncidentRecord, [Report]) {
            var members: [Report] = []
            var evidence: [String: LinkEvidence] = [:]
            for _ in 0..<(1 + int(5)) {
                let a = article()
                let r = report(a, int(15))
                guard !members.contains(where: { $0.key == r.key }) else { continue }
                if !members.isEmpty {
                    evidence[r.key] = LinkEvidence(to: members[0].key, family: "political violence", date: text(),
                                                   distanceKm: distance(), place: text(), actors: text())
                }
                members.append(r)
            }
            var record = IncidentRecord(IncidentCluster(id: "INC-\(article())", members: members, evidence: evidence))
            if chance(20) {
                // evidence keys that only the numeric comparison orders ("a#9" before "a#10")
                let a = article()
                for i in [1, 9, 10, 2, 11] {
                    record.evidence["\(a)#\(i)"] = LinkEvidence(to: a, family: "f", date: "d", distanceKm: distance(),
                                                                place: "p", actors: "x")
                }
            }
            return (record, members)
        }
    }

    @Test func exportsEqualTheFoundationWriters() {
        var g = Gen(state: 7)
        for _ in 0..<120 {
            let (r, _) = g.record()
            for policy in ReconcilePolicy.allCases {
                #expect(Export.csvLine(r, policy: policy) == Legacy.csvLine(r, policy: policy))
                #expect(Export.feature(r, policy: policy) == Legacy.feature(r, policy: policy))
                #expect(Export.jsonLine(r, policy: policy) == Legacy.jsonLine(r, policy: policy))
            }
        }
    }

    @Test func wholeExportsFrameTheRecords() {
        var g = Gen(state: 11)
        let records = (0..<5).map { _ in g.record().0 }
        for n in [0, 1, 5] {
            let rs = Array(records.prefix(n))
            #expect(Export.csv(rs, policy: .range) == Export.csvHeader() + rs.map { Legacy.csvLine($0, policy: .range) }.joined())
            #expect(Export.geojson(rs, policy: .range) == "{\"type\":\"FeatureCollection\",\"features\":[\n"
                + rs.map { Legacy.feature($0, policy: .range) }.joined(separator: ",\n") + "\n]}\n")
            #expect(Export.whole(.jsonl, rs, policy: .range) == rs.map { Legacy.jsonLine($0, policy: .range) }.joined())
            #expect(Export.whole(.json, rs, policy: .range)
                == "[\n" + rs.map { Legacy.jsonLine($0, policy: .range).dropLast() }.joined(separator: ",\n") + "\n]\n")
        }
    }

    @Test func recordsAndReportsEqualJSONEncoder() {
        var g = Gen(state: 3)
        for _ in 0..<200 {
            let (r, members) = g.record()
            var w = FoundationJSON(pretty: true)
            RecordJSON.incident(r, style: .encoded, &w)
            #expect(String(decoding: w.bytes, as: UTF8.self) == Legacy.encodePretty(r))
            for m in members {
                var v = FoundationJSON(pretty: true)
                RecordJSON.report(m, &v)
                #expect(String(decoding: v.bytes, as: UTF8.self) == Legacy.encodePretty(m))
            }
        }
    }

    @Test func tollSeriesEqualJSONEncoder() {
        var g = Gen(state: 5)
        var obs: [TollObservation] = []
        for i in 0..<60 {
            let best = g.int(900)
            obs.append(TollObservation(
                claimantID: ["AZE.MIL", "NKR.AUTH", "unattributed"][g.int(3)], claimantName: g.text(), outcome: "killed",
                victims: ["civilians", "military"][g.int(2)], asOf: "2020-10-\(10 + g.int(19))", low: best - g.int(4),
                best: best, high: g.chance(50) ? best + 3 : nil, qualifier: g.text(), article: g.article(), casualty: i,
                source: g.maybe(g.text()), snippet: g.text(), rule: "r"))
        }
        for series in [[], TollSeries.build(obs)] {
            var w = FoundationJSON(pretty: true)
            RecordJSON.tolls(series, &w)
            #expect(String(decoding: w.bytes, as: UTF8.self) == Legacy.encodePretty(series))
        }
    }

    /// The flat query outputs (`claims`, `sources`, `tolls --format json`): an array of
    /// string dictionaries as `JSONSerialization` wrote them, pretty and sorted.
    @Test func flatRowsEqualJSONSerialization() {
        var g = Gen(state: 9)
        let header = ["source", "articles", "incidents", "first", "last", "longest_gap_days", "gaps_over_7_days", "as_of", "x10", "x9"]
        for n in [0, 1, 4] {
            let rows = (0..<n).map { _ in header.map { _ in g.text() } }
            let order = FoundationJSON.serializationOrder(header)
            var w = FoundationJSON(pretty: true)
            w.beginArray()
            for r in rows {
                w.beginObject()
                for k in order { if let i = header.firstIndex(of: k) { w.field(k, r[i]) } }
                w.endObject()
            }
            w.endArray()
            let legacy = Legacy.serialize(rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }, pretty: true)
            #expect(String(decoding: w.bytes, as: UTF8.self) == legacy)
        }
    }

    /// Doubles: `JSONSerialization` writes the description without ".0"; `JSONEncoder` never
    /// writes an exponent; a record read back by `JSONSerialization` turns -0 into 0.
    @Test func doublesAsFoundationWritesThem() throws {
        var g = Gen(state: 13)
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 1e-5, -7.2e-05, 1.5e-7, 1e16, 3.1e17, 123_456.789, 40, -98.5, 1e21, 1e-300]
        for _ in 0..<2000 { values.append(g.coordinate()) }
        for _ in 0..<500 { values.append(g.distance()) }
        for v in values {
            let direct = try JSONSerialization.data(withJSONObject: [v], options: [])
            var w = FoundationJSON()
            w.serializedDouble(v)
            #expect(w.bytes == Array(direct.dropFirst().dropLast()), "\(v)")
            let encoded = try JSONEncoder().encode([v])
            #expect(Array(FoundationJSON.encoderText(v).utf8) == Array(encoded.dropFirst().dropLast()), "\(v)")
            let reparsed = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: encoded))
            #expect(Array(FoundationJSON.reparsedText(v).utf8) == Array(reparsed.dropFirst().dropLast()), "\(v)")
        }
    }

    /// CSV cells: the byte path equals the `Character` rules ("\r\n" is one character).
    @Test func csvCellsAsBefore() {
        var g = Gen(state: 17)
        var texts = Gen.pieces
        for _ in 0..<500 { texts.append(g.text()) }
        for t in texts {
            var out: [UInt8] = []
            Export.appendCSVCell(t, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Legacy.csvCell(t), "\(t.debugDescription)")
        }
    }
}
