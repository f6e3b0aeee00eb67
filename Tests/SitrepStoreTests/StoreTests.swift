import Foundation
import SitrepExtract
import SitrepMerge
import SitrepStore
import Testing

@Suite struct StoreTests {
    typealias F = Fixture

    func store() throws -> SQLiteStore { try SQLiteStore(path: F.tempDB()) }

    func incidentsDump(_ s: SQLiteStore) throws -> [String] {
        try s.incidents(IncidentQuery()).map { row in
            let reports = try s.reports(ofIncident: row.id).map { "\($0.report.key)<-\($0.evidence?.to ?? "founder")" }
            let rec = try s.record(row.id)
            return "\(row.id) \(row.dateStart) \(row.fatalitiesLow ?? -1)/\(row.fatalitiesBest ?? -1)/\(row.fatalitiesHigh ?? -1) "
                + "c\(row.fatalitiesConservative ?? -1) \(row.contested) \(row.independentSources) \(reports) \(rec?.notes(policy: .range) ?? "")"
        }
    }

    @Test func mergesOutletsIntoOneIncidentAndSeparatesLaterShelling() throws {
        let s = try store()
        let summary = try F.ingest(s, Articles.all)
        #expect(summary.added == 7)
        #expect(summary.nearDuplicates == 1)
        let rows = try s.incidents(IncidentQuery())
        #expect(rows.count == 2)
        let oct = try #require(rows.first { $0.dateStart == "2020-10-24" })
        let nov = try #require(rows.first { $0.dateStart == "2020-11-05" })
        #expect(oct.reports == 6)
        #expect(oct.independentSources == 5)
        #expect(oct.contested)
        #expect(nov.reports == 1)
        #expect(nov.fatalitiesBest == 1)
        #expect(!nov.contested)
        let reports = try s.reports(ofIncident: oct.id)
        // Every non-founding report carries the evidence of its link.
        #expect(reports.filter { $0.evidence == nil }.count == 1)
        let shusha = try #require(reports.first { $0.report.place?.name == "Shusha" })
        #expect(shusha.evidence?.place == "within 25 km")
        #expect(shusha.evidence?.date.hasPrefix("overlapping dates") == true)
    }

    @Test func reconciliationPolicies() throws {
        let s = try store()
        _ = try F.ingest(s, Articles.all)
        let oct = try #require(try s.incidents(IncidentQuery(from: "2020-10-20", to: "2020-10-30")).first)
        let rec = try #require(try s.record(oct.id))
        let f = try #require(rec.fatalities)
        // conservative (ACLED): the lowest credible figure.
        #expect(f.conservative.best == 2)
        #expect(f.conservative.low == 2 && f.conservative.high == 2)
        // range (UCDP): the wire copy of the "2" story does not count twice, so 3 (two independent
        // outlets) is the best estimate; the open-ended 40 is an outlier and excluded.
        #expect(f.range.low == 2)
        #expect(f.range.best == 3)
        #expect(f.range.high == 3)
        #expect(f.range.excluded.count == 1)
        #expect(f.range.excluded.first?.contains("outlier") == true)
        // Every number is traceable to reports and claimants.
        #expect(Set(f.range.bestFrom.compactMap(\.source)) == ["Yerevan Daily", "Highland News"])
        #expect(Set(f.range.bestFrom.compactMap(\.claimant)) == ["Armenia's defence ministry", "the region's human rights ombudsman"])
        #expect(Set(f.conservative.bestFrom.compactMap(\.source)) == ["Caucasus Wire", "Regional Herald"])
        #expect(rec.contested)
        #expect(rec.deniedBy == ["Azerbaijan's defence ministry"])
        let civ = try #require(rec.categories.first { $0.victims == "civilians" && $0.outcome == "killed" })
        #expect(civ.range.best == 3)
        #expect(rec.notes(policy: .conservative).contains("2 killed"))
        #expect(rec.notes(policy: .range).contains("contested by Azerbaijan's defence ministry"))
        let denials = try s.claims(incident: oct.id, claimant: nil, stance: "denies", limit: 0)
        #expect(denials.count == 1)
        #expect(denials.first?.claim.claimant == "Azerbaijan's defence ministry")
    }

    @Test func idempotentIngest() throws {
        let s = try store()
        _ = try F.ingest(s, Articles.all)
        let before = try s.canonicalDump()
        let again = try F.ingest(s, Articles.all)
        #expect(again.added == 0)
        #expect(again.unchanged == 7)
        #expect(try s.canonicalDump() == before)
        // And in a fresh process-like state (a new store object on the same file).
        let reopened = try SQLiteStore(path: s.path)
        let third = try F.ingest(reopened, [Articles.a2, Articles.a6])
        #expect(third.unchanged == 2)
        #expect(try reopened.canonicalDump() == before)
    }

    @Test func orderIndependentThroughTheStore() throws {
        let arts = Articles.all
        var dumps: [[String]] = []
        var rng = SplitMix(seed: 42)
        let orders: [[Int]] = [Array(0..<arts.count), Array((0..<arts.count).reversed()),
                               Array(0..<arts.count).shuffled(using: &rng), Array(0..<arts.count).shuffled(using: &rng)]
        for order in orders {
            let s = try store()
            // One article per transaction: every intermediate state is merged incrementally.
            for i in order { _ = try F.ingest(s, [arts[i]]) }
            dumps.append(try incidentsDump(s))
        }
        for d in dumps.dropFirst() { #expect(d == dumps[0]) }
        // And all at once.
        let s = try store()
        _ = try F.ingest(s, arts)
        #expect(try incidentsDump(s) == dumps[0])
    }

    @Test func updatedArticleSupersedesOldVersion() throws {
        let s = try store()
        _ = try F.ingest(s, [Articles.a1, Articles.a6])
        let first = try #require(try s.incidents(IncidentQuery(to: "2020-10-30")).first)
        #expect(first.fatalitiesBest == 2)
        // The same URL, updated later that day: the toll rose to four.
        let summary = try F.ingest(s, [Articles.a1Updated])
        #expect(summary.newVersions == 1)
        #expect(summary.nearDuplicates == 1)
        let rows = try s.incidents(IncidentQuery(to: "2020-10-30"))
        #expect(rows.count == 1)
        #expect(rows.first?.fatalitiesBest == 4)
        #expect(rows.first?.reports == 1)
        // The old version's toll observation is superseded too.
        #expect(try s.tolls(claimant: "NKR.AUTH", victims: nil, outcome: nil).first?.points.map(\.best) == [1166])
        // Re-ingesting the old version changes nothing.
        #expect(try F.ingest(s, [Articles.a1]).unchanged == 1)
    }

    @Test func olderVersionArrivingLateStaysSuperseded() throws {
        let s = try store()
        let text = Articles.a1Text.replacingOccurrences(of: "killing two civilians", with: "killing four civilians")
        let updated = Fixture.analysis(
            id: "a1-v2", text: text, published: "2020-10-25", source: "Caucasus Wire",
            url: "https://caucasus-wire.example/stepanakert-rockets",
            events: [F.EventSpec(date: F.day("2020-10-24"), place: F.stepanakert,
                                 deaths: [F.Deaths(best: 4, clause: "killing four civilians")],
                                 evidence: "Rockets slammed into residential streets of Stepanakert")])
        _ = try F.ingest(s, [updated])
        let summary = try F.ingest(s, [Articles.a1])
        #expect(summary.lateOldVersions == 1)
        let rows = try s.incidents(IncidentQuery())
        #expect(rows.count == 1)
        #expect(rows.first?.fatalitiesBest == 4)
    }

    @Test func tollHistoryPerClaimant() throws {
        let s = try store()
        _ = try F.ingest(s, Articles.all)
        let series = try s.tolls(claimant: nil, victims: nil, outcome: nil)
        let nk = try #require(series.first { $0.claimantID == "NKR.AUTH" && $0.victims == "military" })
        #expect(nk.points.map(\.asOf) == ["2020-10-24", "2020-11-05"])
        #expect(nk.points.map(\.best) == [963, 1166])
        // The wire copy gives the same point from two outlets, not a second point.
        #expect(nk.points[0].sources == ["Caucasus Wire", "Regional Herald"])
        let russia = try #require(series.first { $0.claimantID == "RUS.GOV.PRES" })
        #expect(russia.points.map(\.best) == [5000])
        #expect(russia.points.first?.qualifier == "nearly")
        let unattributed = try #require(series.first { $0.claimantID == "unattributed" })
        #expect(unattributed.points.map { "\($0.asOf) \($0.best) \($0.qualifier)" } == ["2020-11-05 1000 at-least"])
    }

    @Test func queriesFilter() throws {
        let s = try store()
        _ = try F.ingest(s, Articles.all)
        #expect(try s.incidents(IncidentQuery(from: "2020-11-01")).count == 1)
        #expect(try s.incidents(IncidentQuery(to: "2020-10-31")).count == 1)
        #expect(try s.incidents(IncidentQuery(from: "2020-12-01")).isEmpty)
        #expect(try s.incidents(IncidentQuery(country: "az")).count == 2)
        #expect(try s.incidents(IncidentQuery(country: "AM")).isEmpty)
        #expect(try s.incidents(IncidentQuery(near: (39.82, 46.75, 10))).count == 2)
        #expect(try s.incidents(IncidentQuery(near: (40.68, 46.36, 10))).isEmpty)
        #expect(try s.incidents(IncidentQuery(type: "Shelling/artillery/missile attack")).count == 2)
        #expect(try s.incidents(IncidentQuery(type: "Protests")).isEmpty)
        #expect(try s.incidents(IncidentQuery(actor: "AZE")).count == 2)
        #expect(try s.incidents(IncidentQuery(text: "ombudsman")).count == 1)
        #expect(try s.incidents(IncidentQuery(text: "emergency workers")).count == 1)
        #expect(try s.incidents(IncidentQuery(text: "\"unbalanced quote")).isEmpty)
        let sources = try s.sources()
        let wire = try #require(sources.first { $0.source == "Caucasus Wire" })
        #expect(wire.articles == 2)
        #expect(wire.incidents == 2)
        #expect(wire.first == "2020-10-24" && wire.last == "2020-11-05")
        #expect(wire.longestGapDays == 12)
        #expect(wire.gaps == 1)
    }

    @Test func exportsParse() throws {
        let s = try store()
        _ = try F.ingest(s, Articles.all)
        let records = try s.records(try s.incidents(IncidentQuery()).map(\.id))
        #expect(records.count == 2)
        let csv = Export.csv(records, policy: .range)
        let table = CSV.parse(csv)
        #expect(table.first == Export.columns)
        #expect(table.count == 3)
        for row in table { #expect(row.count == Export.columns.count) }
        let header = try #require(table.first)
        let oct = try #require(table.first { $0.contains("2020-10-24") })
        func col(_ name: String) -> String { header.firstIndex(of: name).map { oct[$0] } ?? "?" }
        #expect(col("fatalities") == "3")
        #expect(col("fatalities_low") == "2")
        #expect(col("fatalities_high") == "3")
        #expect(col("contested") == "1")
        #expect(col("sources") == "5")
        #expect(col("time_precision") == "1")
        #expect(col("location") == "Stepanakert")
        // regression: gazetteer coordinates are Float32; exports print them at five decimals, not
        // as the widened Double's noise (39.81529998779297)
        #expect(col("latitude") == "39.8153")
        #expect(col("longitude") == "46.7519")
        #expect(col("notes").hasSuffix("."))
        #expect(Export.csv(records, policy: .conservative).contains(",2,2,2,"))

        let geo = Export.geojson(records, policy: .range)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(geo.utf8)) as? [String: Any])
        #expect(obj["type"] as? String == "FeatureCollection")
        let features = try #require(obj["features"] as? [[String: Any]])
        #expect(features.count == 2)
        for f in features {
            let g = try #require(f["geometry"] as? [String: Any])
            #expect(g["type"] as? String == "Point")
            let c = try #require(g["coordinates"] as? [Double])
            #expect(c.count == 2 && abs(c[0] - 46.7519) < 1e-6)
        }
        for line in records.map({ Export.jsonLine($0, policy: .range) }) {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(o?["record"] != nil)
        }
    }
}

/// RFC 4180 parsing for the export test.
enum CSV {
    static func parse(_ s: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(s.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r" {
                continue
            } else if c == "\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

/// A seeded generator for reproducible shuffles.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
