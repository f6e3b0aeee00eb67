import Foundation
@testable import SitrepMerge
import Testing

/// `NearKey`, the first filter of the merge engine's neighbourhood scan, may only reject pairs
/// `Linking.check` rejects; and the neighbours the engine finds are exactly the compatible reports.
@Suite struct NearKeyTests {
    /// Reports around one point, settlements and districts, near the limits of 25 and 50 km in
    /// latitude, some sharing geonameids: at other coordinates when `scattered` (which the grid,
    /// searching 50 km around, cannot see; places from the gazetteer share their coordinates).
    static func reports(_ n: Int, seed: UInt64, scattered: Bool) -> [Report] {
        var rng = SplitMix(seed: seed)
        let base = DayNumber.from(year: 2022, month: 5, day: 1)
        return (0..<n).map { i in
            let dLat = (Double(rng.next() % 2_000) - 1_000) / 1_000 * 0.6  // ±0.6° ≈ ±67 km
            let dLon = (Double(rng.next() % 2_000) - 1_000) / 1_000 * 0.3
            let admin2 = rng.next() % 4 == 0
            let geo: Int? = rng.next() % 3 == 0 ? Int(rng.next() % 4) + 100 : nil
            let start = base + Int(rng.next() % 2)
            return Report(key: String(format: "%016llx#0", rng.next()), article: "a\(i)", eventIndex: 0, source: nil,
                          published: nil, dupGroup: "a\(i)", type: "Battles", subtype: "",
                          dayStart: start, dayEnd: start, precision: "day",
                          place: PlaceKey(name: "p", geonameid: geo, country: "UA", admin1: "D",
                                          lat: 48.0 + (geo != nil && !scattered ? Double((geo ?? 100) - 100) / 10 : dLat),
                                          lon: 37.5 + (geo != nil && !scattered ? 0 : dLon),
                                          precision: admin2 ? "admin2" : "settlement"))
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func tooFarOnlyWhereCheckRejects(seed: UInt64) {
        let keys = Self.reports(300, seed: seed, scattered: true).map(Linking.Key.init)
        var rejected = 0
        for a in keys {
            for b in keys where NearKey(b).tooFar(a) {
                rejected += 1
                #expect(!Linking.check(a, b))
            }
        }
        #expect(rejected > 0)  // the filter does reject (else the test could not fail)
    }

    @Test(arguments: [4, 5] as [UInt64])
    func neighboursAreTheCompatibleReports(seed: UInt64) {
        let reports = Self.reports(250, seed: seed, scattered: false)
        var e = MergeEngine()
        _ = e.apply(adding: reports)
        for r in reports {
            guard let s = e.slotOf[r.key], let k = e.keys[Int(s)] else {
                Issue.record("\(r.key) not held")
                continue
            }
            let found = e.neighbours(k, slot: s)
            let expected = (0..<Int32(e.keys.count)).filter { t in
                t != s && e.keys[Int(t)].map { Linking.check(k, $0) } == true
            }
            #expect(found == expected)
        }
    }
}
