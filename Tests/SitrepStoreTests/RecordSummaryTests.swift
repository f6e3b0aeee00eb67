import Foundation
@testable import SitrepMerge
import Testing

/// The incident record's summaries (most common value, distinct sorted lists, the range policy's
/// best figure) computed without hashing, against the dictionary and set forms they replaced.
@Suite struct RecordSummaryTests {
    /// What `mostCommon` computed before: counts in a dictionary, highest count first, ties to
    /// the smallest value.
    static func referenceMostCommon<T: Hashable & Comparable>(_ xs: [T]) -> T? {
        var counts: [T: Int] = [:]
        for x in xs { counts[x, default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.first?.key
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func mostCommonAndSortedUniqueMatchTheHashingForms(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let words = ["Battles", "Protests", "Riots", "Battles\u{1F}x", "b", "", "Éclat", "e\u{301}clat"]
        for _ in 0..<200 {
            let n = Int(rng.next() % 9)
            let xs = (0..<n).map { _ in words[Int(rng.next() % UInt64(words.count))] }
            #expect(IncidentRecord.mostCommon(xs) == Self.referenceMostCommon(xs))
            #expect(IncidentRecord.sortedUnique(xs) == Set(xs).sorted())
            let actors = (0..<n).map { _ in
                ActorKey(id: ["AZE.MIL", "ARM.MIL", "X"][Int(rng.next() % 3)], name: ["a", "b"][Int(rng.next() % 2)])
            }
            #expect(IncidentRecord.mostCommon(actors) == Self.referenceMostCommon(actors))
        }
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func rangeBestIsTheFigureMostGroupsSupport(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let base = MergeTests.randomReports(1, seed: seed)[0]
        for _ in 0..<200 {
            // Figures 1–5: none is ten times another's median, so every one is credible.
            let obs = (0..<(1 + Int(rng.next() % 7))).map { i -> Observation in
                var r = base
                r.key = "k\(i)"
                r.dupGroup = "g\(rng.next() % 3)"
                r.stance = "reported"
                let v = 1 + Int(rng.next() % 5)
                return Observation(low: v, best: v, high: v, qualifier: "exact", report: r, claimant: nil)
            }
            var support: [Int: Set<String>] = [:]
            for o in obs { support[o.best, default: []].insert(o.dupGroup) }
            let expected = support.sorted { a, b in
                a.value.count != b.value.count ? a.value.count > b.value.count : a.key < b.key
            }.first?.key
            let got = try #require(Reconcile.reconcile(obs))
            #expect(got.range.best == expected)
            #expect(got.conservative.best == obs.map(\.best).min())
        }
    }

    @Test func recordListsAreTheMembersDistinctValuesSorted() {
        let reports = MergeTests.randomReports(60, seed: 21)
        var engine = MergeEngine()
        _ = engine.apply(adding: reports)
        let incidents = engine.allIncidents()
        #expect(incidents.contains { $0.members.count > 2 })
        for c in incidents {
            let r = IncidentRecord(c)
            #expect(r.sources == Set(c.members.compactMap(\.source)).sorted())
            #expect(r.independentSources == Set(c.members.map(\.dupGroup)).count)
            let deniers = Set(c.members.flatMap(\.deniedBy)).union(c.members.compactMap {
                $0.stance == "denied" ? $0.claimant?.name : nil
            })
            #expect(r.deniedBy == deniers.sorted())
            #expect(r.contested == !deniers.isEmpty)
            #expect(r.weapons == Set(c.members.flatMap(\.weapons)).sorted())
            let pairs = c.members.map { "\($0.type)\u{1F}\($0.subtype)" }
            let common = Self.referenceMostCommon(pairs).flatMap { pairs.firstIndex(of: $0) }.map { c.members[$0] }
            #expect(r.type == common?.type)
            #expect(r.subtype == common?.subtype)
            #expect(r.actor1 == Self.referenceMostCommon(c.members.compactMap(\.actor1)))
        }
    }

    /// A reconciled figure without its sources and exclusion notes.
    static func numbersOnly(_ f: CategoryFigures?) -> CategoryFigures? {
        guard var f else { return nil }
        for p in ReconcilePolicy.allCases {
            var r = f.under(p)
            (r.lowFrom, r.bestFrom, r.highFrom, r.excluded) = ([], [], [], [])
            if p == .conservative { f.conservative = r } else { f.range = r }
        }
        return f
    }

    /// The writer's record (`figureSources: false`) equals the full record with the figures'
    /// sources and exclusion notes removed, field by field.
    @Test(arguments: [21, 22, 23] as [UInt64])
    func recordWithoutFigureSourcesIsTheFullRecordsNumbers(seed: UInt64) {
        var engine = MergeEngine()
        _ = engine.apply(adding: MergeTests.randomReports(80, seed: seed))
        var withSources = 0
        for c in engine.allIncidents() {
            for categories in [false, true] {
                let full = IncidentRecord(c, categories: categories)
                let lean = IncidentRecord(c, categories: categories, figureSources: false)
                if full.fatalities.map({ !$0.range.bestFrom.isEmpty }) == true { withSources += 1 }
                #expect(lean.fatalities == Self.numbersOnly(full.fatalities))
                #expect(lean.categories == full.categories.map { Self.numbersOnly($0) })
                #expect(lean.fatalities.map { $0.range.bestFrom.isEmpty && $0.conservative.excluded.isEmpty } != false)
                #expect(lean.id == full.id && lean.type == full.type && lean.subtype == full.subtype)
                #expect(lean.dayStart == full.dayStart && lean.dayEnd == full.dayEnd && lean.precision == full.precision)
                #expect(lean.actor1 == full.actor1 && lean.actor2 == full.actor2 && lean.place == full.place)
                #expect(lean.claimants == full.claimants && lean.sources == full.sources && lean.contested == full.contested)
                #expect(lean.independentSources == full.independentSources && lean.reports == full.reports)
                #expect(lean.deniedBy == full.deniedBy && lean.weapons == full.weapons && lean.evidence == full.evidence)
            }
        }
        #expect(withSources > 0)
    }

    /// Reconciling without sources gives the same numbers over figures that include denied, vague
    /// and outlying ones (the exclusions the full form notes).
    @Test(arguments: [31, 32, 33] as [UInt64])
    func reconcileWithoutSourcesKeepsTheNumbers(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let base = MergeTests.randomReports(1, seed: seed)[0]
        var excludedSeen = 0
        for _ in 0..<200 {
            let obs = (0..<(1 + Int(rng.next() % 7))).map { i -> Observation in
                var r = base
                r.key = "k\(i)"
                r.dupGroup = "g\(rng.next() % 3)"
                r.stance = rng.next() % 6 == 0 ? "denied" : "reported"
                let v = rng.next() % 8 == 0 ? 500 : 1 + Int(rng.next() % 5)
                let q = rng.next() % 7 == 0 ? "vague" : "exact"
                return Observation(low: v, best: v, high: rng.next() % 4 == 0 ? nil : v + 1, qualifier: q, report: r,
                                   claimant: nil)
            }
            let full = Reconcile.reconcile(obs)
            let lean = Reconcile.reconcile(obs, sources: false)
            #expect((full == nil) == (lean == nil))
            guard let full, let lean else { continue }
            if !full.conservative.excluded.isEmpty { excludedSeen += 1 }
            for (f, l) in [(full.conservative, lean.conservative), (full.range, lean.range)] {
                #expect(l.low == f.low && l.best == f.best && l.high == f.high)
                #expect(l.lowFrom.isEmpty && l.bestFrom.isEmpty && l.highFrom.isEmpty && l.excluded.isEmpty)
                #expect(!f.bestFrom.isEmpty)
            }
        }
        #expect(excludedSeen > 0)
    }
}
