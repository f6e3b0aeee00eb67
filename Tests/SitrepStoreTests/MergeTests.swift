import Foundation
import SitrepMerge
import Testing

@Suite struct MergeTests {
    static let towns: [(String, Double, Double)] = [
        ("Stepanakert", 39.8153, 46.7519), ("Shusha", 39.7581, 46.7484), ("Martuni", 39.7914, 47.1136),
        ("Terter", 40.3419, 47.1469), ("Ganja", 40.6828, 46.3606), ("Askeran", 39.9364, 46.8314),
    ]

    /// Random reports around a few nearby towns over ten days, with mixed precisions and actors.
    static func randomReports(_ n: Int, seed: UInt64) -> [Report] {
        var rng = SplitMix(seed: seed)
        let base = DayNumber.from(year: 2020, month: 10, day: 20)
        let sides = ["AZE.MIL", "ARM.MIL", "NKR.AUTH", nil]
        let types = ["Explosions/Remote violence", "Battles", "Violence against civilians", "Protests"]
        return (0..<n).map { i in
            let t = towns[Int(rng.next() % UInt64(towns.count))]
            let coarse = rng.next() % 8 == 0
            let week = rng.next() % 4 == 0
            let start = base + Int(rng.next() % 10)
            let a1 = sides[Int(rng.next() % UInt64(sides.count))]
            let a2 = sides[Int(rng.next() % UInt64(sides.count))]
            let place = PlaceKey(name: coarse ? "\(t.0) District" : t.0, geonameid: coarse ? 900 : Int(t.1 * 1000),
                                 country: "AZ", admin1: "NK", lat: t.1 + (coarse ? 0.1 : 0), lon: t.2, precision: coarse ? "admin2" : "settlement")
            let best = Int(rng.next() % 12)
            return Report(
                key: String(format: "%016llx#0", rng.next()), article: "art\(i)", eventIndex: 0, source: "Outlet \(i % 5)",
                published: DayNumber.iso(start + 1), dupGroup: "g\(i % 7)", type: types[Int(rng.next() % 4)],
                subtype: "x", actor1: a1.map { ActorKey(id: $0, name: $0) }, actor2: a2.map { ActorKey(id: $0, name: $0) },
                dayStart: start, dayEnd: week ? start + 6 : start, precision: week ? "week" : "day", place: place,
                stance: rng.next() % 10 == 0 ? "denied" : "reported",
                figures: [ReportFigure(outcome: "killed", victims: "civilians", low: best, best: best, high: best,
                                       qualifier: "exact", rule: "t")])
        }
    }

    static func signature(_ clusters: [IncidentCluster]) -> [String] {
        clusters.map { "\($0.id): " + $0.members.map(\.key).joined(separator: ",") }.sorted()
    }

    /// State of an engine as the store would persist it: report → incident.
    static func assignments(_ e: MergeEngine, _ reports: [Report]) -> [String] {
        reports.map { "\($0.key)=\(e.incident(ofReport: $0.key) ?? "-")" }.sorted()
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func orderIndependentIncrementalMerge(seed: UInt64) {
        let reports = Self.randomReports(60, seed: seed)
        var reference = MergeEngine()
        _ = reference.apply(adding: reports)
        let expected = Self.signature(reference.allIncidents())
        let expectedAssign = Self.assignments(reference, reports)
        var rng = SplitMix(seed: seed &* 77)
        for _ in 0..<4 {
            var e = MergeEngine()
            // One report at a time, in a random order.
            for r in reports.shuffled(using: &rng) { _ = e.apply(adding: [r]) }
            #expect(Self.signature(e.allIncidents()) == expected)
            #expect(Self.assignments(e, reports) == expectedAssign)
        }
    }

    @Test func removalRestoresTheSmallerSet() {
        let reports = Self.randomReports(50, seed: 9)
        var all = MergeEngine()
        _ = all.apply(adding: reports)
        _ = all.apply(adding: [], removing: reports.suffix(15).map(\.key))
        var fewer = MergeEngine()
        _ = fewer.apply(adding: Array(reports.prefix(35)))
        #expect(Self.signature(all.allIncidents()) == Self.signature(fewer.allIncidents()))
        #expect(Self.assignments(all, Array(reports.prefix(35))) == Self.assignments(fewer, Array(reports.prefix(35))))
    }

    @Test func deltaNamesEveryChangedIncident() {
        let reports = Self.randomReports(40, seed: 11)
        var e = MergeEngine()
        var live: [String: [String]] = [:]
        for r in reports {
            let d = e.apply(adding: [r])
            for id in d.deleted { live[id] = nil }
            for c in d.upserts { live[c.id] = c.members.map(\.key) }
        }
        // Applying deltas one by one gives exactly the from-scratch incidents.
        let fromDeltas = live.map { "\($0.key): " + $0.value.joined(separator: ",") }.sorted()
        #expect(fromDeltas == Self.signature(e.allIncidents()))
    }

    @Test func linkingRules() {
        func rep(_ key: String, _ lat: Double, _ lon: Double, day: Int, week: Bool = false, precision: String = "settlement",
                 type: String = "Explosions/Remote violence", a1: String? = "AZE.MIL", a2: String? = nil) -> Report {
            Report(key: key, article: key, eventIndex: 0, source: nil, published: nil, dupGroup: key, type: type,
                   subtype: "", actor1: a1.map { ActorKey(id: $0, name: $0) }, actor2: a2.map { ActorKey(id: $0, name: $0) },
                   dayStart: day, dayEnd: week ? day + 6 : day, precision: week ? "week" : "day",
                   place: PlaceKey(name: key, geonameid: nil, country: "AZ", admin1: "NK", lat: lat, lon: lon, precision: precision))
        }
        let d = 18_560
        let a = rep("a", 39.8153, 46.7519, day: d)
        #expect(Linking.compatible(a, rep("b", 39.7581, 46.7484, day: d)) != nil)          // 6 km
        #expect(Linking.compatible(a, rep("c", 39.7914, 47.1136, day: d)) == nil)          // 31 km
        #expect(Linking.compatible(a, rep("d", 39.8153, 46.7519, day: d + 1)) == nil)      // next day
        #expect(Linking.compatible(a, rep("e", 39.8153, 46.7519, day: d - 3, week: true)) != nil) // week contains the day
        #expect(Linking.compatible(a, rep("f", 39.8153, 46.7519, day: d, type: "Protests")) == nil)
        #expect(Linking.compatible(a, rep("g", 39.8153, 46.7519, day: d, type: "Battles")) != nil) // same family
        #expect(Linking.compatible(a, rep("h", 39.8153, 46.7519, day: d, a1: "ARM.MIL")) == nil)
        #expect(Linking.compatible(a, rep("i", 39.8153, 46.7519, day: d, a1: "AZE.GOV.MOD")) != nil) // same side
        #expect(Linking.compatible(a, rep("j", 39.8153, 46.7519, day: d, a1: nil)) != nil)
        // Coarse (admin2) place: within 50 km in the same admin1.
        #expect(Linking.compatible(a, rep("k", 40.0, 47.0, day: d, precision: "admin2")) != nil)
        #expect(Linking.compatible(a, rep("l", 39.8153, 46.7519, day: d, precision: "admin1")) == nil)
        // Battles: the two sides may be named the other way round.
        let b1 = rep("m", 39.8153, 46.7519, day: d, type: "Battles", a1: "AZE.MIL", a2: "ARM.MIL")
        let b2 = rep("n", 39.8153, 46.7519, day: d, type: "Battles", a1: "ARM.MIL", a2: "AZE.MIL")
        #expect(Linking.compatible(b1, b2)?.actors == "sides swapped (battle)")
    }

    @Test func minHashFindsCopiesNotNeighbours() {
        func keys(_ s: String) -> [UInt64] { s.split(separator: " ").map { StableHash.fnv64($0.utf8) } }
        let base = (0..<120).map { "w\($0 % 97)x\($0)" }.joined(separator: " ")
        let copy = base + " reprinted with permission"
        let other = (0..<120).map { "v\($0)" }.joined(separator: " ")
        let a = MinHash.signature(keys: keys(base)), b = MinHash.signature(keys: keys(copy)), c = MinHash.signature(keys: keys(other))
        #expect(MinHash.similarity(a, b) >= MinHash.threshold)
        #expect(MinHash.similarity(a, c) < 0.2)
        #expect(!Set(MinHash.bandKeys(a)).isDisjoint(with: MinHash.bandKeys(b)))
        #expect(MinHash.decode(MinHash.encode(a)) == a)
    }

    @Test func dayNumbersRoundTrip() {
        for z in stride(from: -1000, to: 40000, by: 37) {
            let (y, m, d) = DayNumber.civil(z)
            #expect(DayNumber.from(year: y, month: m, day: d) == z)
        }
        #expect(DayNumber.iso(DayNumber.from(year: 2020, month: 2, day: 29) + 1) == "2020-03-01")
        #expect(DayNumber.parse("2020-10-24T10:00:00Z") == DayNumber.from(year: 2020, month: 10, day: 24))
        #expect(DayNumber.parse("2020-13-01") == nil)
    }
}

@Suite struct TierTests {
    static func rep(_ key: String, day: Int, week: Bool = false, lat: Double = 39.8153, lon: Double = 46.7519) -> Report {
        Report(key: key, article: key, eventIndex: 0, source: nil, published: nil, dupGroup: key,
               type: "Explosions/Remote violence", subtype: "", actor1: ActorKey(id: "AZE.MIL", name: "Azerbaijani forces"),
               dayStart: day, dayEnd: week ? day + 6 : day, precision: week ? "week" : "day",
               place: PlaceKey(name: key, geonameid: nil, country: "AZ", admin1: "NK", lat: lat, lon: lon, precision: "settlement"))
    }

    @Test func weekReportNeverBridgesTwoDays() {
        let d = 18_560
        let reports = [Self.rep("mon", day: d), Self.rep("thu", day: d + 3), Self.rep("week", day: d, week: true),
                       Self.rep("thu2", day: d + 3, lat: 39.80)]
        var e = MergeEngine()
        _ = e.apply(adding: reports)
        let incidents = e.allIncidents()
        #expect(incidents.count == 2)
        // The week report joins the incident whose founder is nearest (both at the same place: the earliest).
        #expect(e.incident(ofReport: "week") == e.incident(ofReport: "mon"))
        #expect(e.incident(ofReport: "thu") == e.incident(ofReport: "thu2"))
        // Removing Monday's report moves the week report to Thursday's incident.
        let delta = e.apply(adding: [], removing: ["mon"])
        #expect(e.incident(ofReport: "week") == e.incident(ofReport: "thu"))
        #expect(delta.deleted == [MergeEngine.incidentID(founder: "mon")])
        #expect(e.allIncidents().count == 1)
    }

    @Test func coarseReportsWithoutDayReportsFormTheirOwnIncident() {
        let d = 18_560
        var e = MergeEngine()
        _ = e.apply(adding: [Self.rep("w1", day: d, week: true), Self.rep("w2", day: d + 2, week: true)])
        #expect(e.allIncidents().count == 1)
        _ = e.apply(adding: [Self.rep("day", day: d + 3)])
        // Both weeks contain day d+3: they attach to the day-precise incident.
        #expect(e.allIncidents().count == 1)
        #expect(e.incident(ofReport: "w1") == MergeEngine.incidentID(founder: "day"))
    }
}

@Suite struct JSONOutTests {
    @Test func recordsRoundTripThroughJSONDecoder() throws {
        var e = MergeEngine()
        let reports = MergeTests.randomReports(40, seed: 3)
        _ = e.apply(adding: reports)
        let dec = JSONDecoder()
        for r in reports {
            let text = JSONOut.string { JSONOut.report(r, &$0) }
            #expect(try dec.decode(Report.self, from: Data(text.utf8)) == r)
        }
        for c in e.allIncidents() {
            let rec = IncidentRecord(c)
            let text = JSONOut.string { JSONOut.incident(rec, &$0) }
            let back = try dec.decode(IncidentRecord.self, from: Data(text.utf8))
            #expect(JSONOut.string { JSONOut.incident(back, &$0) } == text)
            #expect(back.reports == rec.reports)
        }
    }
}
