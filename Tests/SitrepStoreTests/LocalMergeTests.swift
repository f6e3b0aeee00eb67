import Foundation
import SitrepMerge
import Testing

/// The merge engine re-clusters only the reports a change can reach (`MergeEngine+Local.swift`);
/// these compare it with the whole-component re-clustering it replaced (`reference`) on dense
/// random reports: many reports per place and day, so components are large and a change ripples.
@Suite struct LocalMergeTests {
    /// Dense reports: a few towns within 25 km of each other, four days, mostly day-precise.
    static func denseReports(_ n: Int, seed: UInt64) -> [Report] {
        var rng = SplitMix(seed: seed)
        let towns: [(Double, Double)] = [(39.8153, 46.7519), (39.7581, 46.7484), (39.90, 46.80), (39.70, 46.95),
                                         (39.85, 46.60), (40.0, 46.9)]
        let base = DayNumber.from(year: 2021, month: 3, day: 1)
        let sides = ["AZE.MIL", "ARM.MIL", "NKR.AUTH", "RUS.MIL", nil, nil]
        let types = ["Explosions/Remote violence", "Battles", "Violence against civilians", "Protests"]
        return (0..<n).map { i in
            let t = towns[Int(rng.next() % UInt64(towns.count))]
            let kind = rng.next() % 10  // 0: admin2, 1: week, 2: from publication, else fine
            let start = base + Int(rng.next() % 4)
            let a1 = sides[Int(rng.next() % UInt64(sides.count))]
            let a2 = rng.next() % 3 == 0 ? sides[Int(rng.next() % UInt64(sides.count))] : nil
            let jitter = Double(rng.next() % 100) / 1000
            let admin2 = kind == 0
            let place = PlaceKey(name: admin2 ? "District" : "Town", geonameid: admin2 ? 900 : Int(rng.next() % 3) + 10,
                                 country: "AZ", admin1: "NK", lat: t.0 + jitter, lon: t.1 - jitter,
                                 precision: admin2 ? "admin2" : "settlement")
            return Report(
                key: String(format: "%016llx#%d", rng.next(), i % 3), article: "art\(i)", eventIndex: i % 3,
                source: "Outlet \(i % 4)", published: DayNumber.iso(start + 1), dupGroup: "g\(i % 9)",
                type: types[Int(rng.next() % UInt64(types.count))], subtype: "x",
                actor1: a1.map { ActorKey(id: $0, name: $0) }, actor2: a2.map { ActorKey(id: $0, name: $0) },
                dayStart: kind == 1 ? start - 3 : start, dayEnd: kind == 1 ? start + 3 : start,
                precision: kind == 1 ? "week" : "day", dateFromPublished: kind == 2, place: place)
        }
    }

    static func state(_ e: MergeEngine, _ reports: [Report]) -> [String] {
        MergeTests.signature(e.allIncidents()) + MergeTests.assignments(e, reports)
    }

    /// Incidents as a store would hold them after applying every delta in turn.
    static func replay(_ live: inout [String: [String]], _ d: MergeDelta) {
        for id in d.deleted { live[id] = nil }
        for c in d.upserts { live[c.id] = c.members.map(\.key) }
    }

    @Test(arguments: [21, 22, 23, 24, 25, 26] as [UInt64])
    func sameIncidentsAsWholeComponents(seed: UInt64) {
        let reports = Self.denseReports(400, seed: seed)
        var rng = SplitMix(seed: seed &* 31)
        var local = MergeEngine()
        var reference = MergeEngine(reference: true)
        var live: [String: [String]] = [:]
        var held: [Report] = []
        var pending = reports.shuffled(using: &rng)
        while !pending.isEmpty {
            // Batches of 1–24 reports, sometimes with removals of held ones.
            let n = Swift.min(pending.count, Int(rng.next() % 24) + 1)
            let adding = Array(pending.prefix(n))
            pending.removeFirst(n)
            var removing: [String] = []
            if rng.next() % 4 == 0, !held.isEmpty {
                for _ in 0..<Int(rng.next() % 4) + 1 {
                    let i = Int(rng.next() % UInt64(held.count))
                    removing.append(held[i].key)
                    pending.append(held[i])  // comes back later
                    held.remove(at: i)
                }
            }
            held += adding
            Self.replay(&live, local.apply(adding: adding, removing: removing))
            _ = reference.apply(adding: adding, removing: removing)
            #expect(local.inconsistency() == nil)
            #expect(reference.inconsistency() == nil)
            #expect(Self.state(local, held) == Self.state(reference, held))
        }
        #expect(live.map { "\($0.key): " + $0.value.joined(separator: ",") }.sorted()
            == MergeTests.signature(local.allIncidents()))
        // And the same as merging the whole set at once.
        var once = MergeEngine(reference: true)
        _ = once.apply(adding: reports)
        #expect(Self.state(local, reports) == Self.state(once, reports))
    }

    /// Regression: an `apply` that removed reports gave their slots to the reports it added while
    /// its work lists still named them, so a new day-precise report was handled as the coarse
    /// report it replaced (detached from its own incident and left in none; in larger cases a fine
    /// report ended up in a coarse list). Happens when an article's new version replaces the old.
    @Test func slotsFreedByAnApplyAreNotReusedByIt() {
        let d = 18_560
        for reference in [false, true] {
            var e = MergeEngine(reference: reference)
            _ = e.apply(adding: [TierTests.rep("f1", day: d), TierTests.rep("c1", day: d - 2, week: true)])
            #expect(e.incident(ofReport: "c1") == MergeEngine.incidentID(founder: "f1"))
            let delta = e.apply(adding: [TierTests.rep("f2", day: d + 10)], removing: ["f1", "c1"])
            #expect(e.incident(ofReport: "f2") == MergeEngine.incidentID(founder: "f2"))
            #expect(delta.upserts.map(\.id) == [MergeEngine.incidentID(founder: "f2")])
            #expect(e.inconsistency() == nil)
        }
    }

    @Test(arguments: [31, 32, 33] as [UInt64])
    func oneAtATimeInAnyOrder(seed: UInt64) {
        let reports = Self.denseReports(250, seed: seed)
        var once = MergeEngine(reference: true)
        _ = once.apply(adding: reports)
        let expected = Self.state(once, reports)
        var rng = SplitMix(seed: seed &* 7)
        for _ in 0..<3 {
            var e = MergeEngine()
            for r in reports.shuffled(using: &rng) { _ = e.apply(adding: [r]) }
            #expect(Self.state(e, reports) == expected)
        }
    }

    /// Coarse reports no fine incident takes (leftovers) are re-decided only where a change reaches
    /// them: a week report that founds its own incident next to a chain of week reports leaves the
    /// chain's incident alone (the whole component was re-clustered and every incident of it
    /// rewritten), and the outcome is the whole-component one.
    @Test func leftoversRewriteOnlyWhatChanged() {
        let d = 18_560
        var engines = [MergeEngine(), MergeEngine(reference: true)]
        for i in engines.indices {
            _ = engines[i].apply(adding: [TierTests.rep("w1", day: d, week: true), TierTests.rep("w2", day: d + 6, week: true)])
            #expect(engines[i].incident(ofReport: "w2") == MergeEngine.incidentID(founder: "w1"))
        }
        // w3 overlaps w2 (so one component) but not w1: it founds its own incident.
        let w3 = TierTests.rep("w3", day: d + 12, week: true)
        let local = engines[0].apply(adding: [w3])
        _ = engines[1].apply(adding: [w3])
        #expect(local.upserts.map(\.id) == [MergeEngine.incidentID(founder: "w3")])
        #expect(local.deleted.isEmpty)
        for e in engines {
            #expect(e.incident(ofReport: "w3") == MergeEngine.incidentID(founder: "w3"))
            #expect(e.incident(ofReport: "w2") == MergeEngine.incidentID(founder: "w1"))
            #expect(e.inconsistency() == nil)
        }
        // Without w1, w2 founds its own incident and w3, compatible with it, joins: both old ones go.
        let after = engines[0].apply(adding: [], removing: ["w1"])
        _ = engines[1].apply(adding: [], removing: ["w1"])
        for e in engines {
            #expect(e.incident(ofReport: "w2") == MergeEngine.incidentID(founder: "w2"))
            #expect(e.incident(ofReport: "w3") == MergeEngine.incidentID(founder: "w2"))
        }
        #expect(after.deleted.sorted() == [MergeEngine.incidentID(founder: "w1"), MergeEngine.incidentID(founder: "w3")].sorted())
        #expect(after.upserts.map(\.id) == [MergeEngine.incidentID(founder: "w2")])
    }
}
