import Foundation

// Re-clustering: the two tiers and the canonical order they use.
extension MergeEngine {
    mutating func reclusterFine(_ w: inout Work) {
        var visited = Set<Int32>()
        for seed in w.fineSeeds where holds(seed) && !visited.contains(seed) {
            var scanned = 0
            let comp = component(from: seed, tiers: [true], visited: &visited, scanned: &scanned) { self.fineFlag[Int($0)] }
            stats.neighbourCalls += comp.count
            stats.scanned += scanned
            stats.components += 1
            stats.componentReports += comp.count
            stats.largestComponent = Swift.max(stats.largestComponent, comp.count)
            var oldMembers: [String: Set<Int32>] = [:]
            for s in comp { if let id = incidentOf[Int(s)] { oldMembers[id, default: []].insert(s) } }
            let clusters = completeLinkage(comp)
            var monotone = !w.fineRemoved
            var newIDs = Set<String>()
            for (id, members) in clusters {
                newIDs.insert(id)
                guard let old = oldMembers[id], old.isSubset(of: members) else {
                    monotone = false
                    continue
                }
            }
            for id in oldMembers.keys where !newIDs.contains(id) {
                monotone = false
                w.old.insert(id)
                w.changed.insert(id)
                fine[id] = nil
                releaseCoarse(of: id, &w)
            }
            for (id, members) in clusters {
                if oldMembers[id] != nil { w.old.insert(id) }
                if fine[id] != members { w.changed.insert(id) }
                fine[id] = members
                for m in members { incidentOf[Int(m)] = id }
                recheckCoarse(of: id, members: members, &w)
            }
            if !monotone {
                // Incidents appeared, vanished or lost members: coarse neighbours may choose anew.
                for s in comp {
                    guard let k = keys[Int(s)] else { continue }
                    for n in neighbours(k, slot: s) where !fineFlag[Int(n)] { w.dirtyCoarse.insert(n) }
                }
            }
        }
    }

    /// The coarse reports attached to a dissolved incident look for a new home.
    mutating func releaseCoarse(of id: String, _ w: inout Work) {
        for c in coarse[id] ?? [] {
            incidentOf[Int(c)] = nil
            w.dirtyCoarse.insert(c)
        }
        coarse[id] = nil
    }

    /// Coarse reports attached to incident `id` must still fit every member: those that do not
    /// choose anew.
    func recheckCoarse(of id: String, members: [Int32], _ w: inout Work) {
        for c in coarse[id] ?? [] {
            guard let ck = keys[Int(c)] else { continue }
            if !members.allSatisfy({ m in keys[Int(m)].map { Linking.check(ck, $0) } ?? false }) {
                w.dirtyCoarse.insert(c)
            }
        }
    }

    mutating func reattachCoarse(_ w: inout Work) {
        for c in w.dirtyCoarse.sorted() where holds(c) {
            let target = bestAttachment(c)
            if let current = incidentOf[Int(c)], current == target, fine[current] != nil {
                continue  // still where it belongs
            }
            // Still a leftover: its coarse-only incident is the leftovers' business (re-decided
            // there only where a change reaches it).
            if target == nil && !reference && isLeftover(c) && incidentOf[Int(c)] != nil { continue }
            detach(c, &w)
            if let id = target {
                var list = coarse.removeValue(forKey: id) ?? []
                list.append(c)
                let order = self.order, held = slots
                list.sort { Self.canonical(order, held, $0, $1) }
                coarse[id] = list
                incidentOf[Int(c)] = id
                w.changed.insert(id)
            } else {
                w.leftoverSeeds.insert(c)
            }
        }
    }

    /// The fine incident a coarse report belongs to: compatible with all its members, founder
    /// nearest, then earliest, then smallest id.
    mutating func bestAttachment(_ c: Int32) -> String? {
        guard let ck = keys[Int(c)] else { return nil }
        stats.coarseChecked += 1
        var best: (Double, Int, String)?
        // Every incident it fits has a compatible founder: each is reached once, through its founder.
        for n in neighbours(ck, slot: c, fineOnly: true) {
            guard let id = incidentOf[Int(n)], let members = fine[id], members.first == n, let fk = keys[Int(n)]
            else { continue }
            guard members.allSatisfy({ m in keys[Int(m)].map { Linking.check(ck, $0) } ?? false }) else { continue }
            let cand = (Linking.distanceKm(ck.lat, ck.lon, fk.lat, fk.lon), fk.d0, id)
            if best.map({ cand < $0 }) ?? true { best = cand }
        }
        return best?.2
    }

    mutating func reclusterLeftovers(_ w: inout Work) {
        var visited = Set<Int32>()
        func free(_ s: Int32) -> Bool {
            guard !fineFlag[Int(s)] else { return false }
            guard let id = incidentOf[Int(s)] else { return true }
            return fine[id] == nil
        }
        for seed in w.leftoverSeeds.sorted() where holds(seed) && free(seed) && !visited.contains(seed) {
            var scanned = 0
            let comp = component(from: seed, tiers: [false], visited: &visited, scanned: &scanned, free)
            stats.leftoverReports += comp.count
            stats.neighbourCalls += comp.count
            stats.scanned += scanned
            for s in comp {
                if let id = incidentOf[Int(s)] {
                    w.old.insert(id)
                    w.changed.insert(id)
                    coarse[id] = nil
                    incidentOf[Int(s)] = nil
                }
            }
            for (id, members) in completeLinkage(comp) {
                coarse[id] = members
                for m in members { incidentOf[Int(m)] = id }
                w.changed.insert(id)
            }
        }
    }

    static func precisionRank(_ p: String) -> Int {
        switch p {
        case "day": 0
        case "week": 1
        case "month": 2
        default: 9
        }
    }

    /// Canonical order: finest date, settlements first, text dates first, earliest day, key.
    func canonical(_ x: Int32, _ y: Int32) -> Bool {
        Self.canonical(order, slots, x, y)
    }

    /// The canonical order of two held reports from their `OrderKey`s; only equal keys' prefixes
    /// read the reports' keys (`precedes` on the reports themselves copied two reports per call).
    static func canonical(_ order: [OrderKey], _ slots: [Report?], _ x: Int32, _ y: Int32) -> Bool {
        let a = order[Int(x)], b = order[Int(y)]
        if a.rank != b.rank { return a.rank < b.rank }
        if a.day != b.day { return a.day < b.day }
        if a.prefix != b.prefix && a.ascii && b.ascii { return a.prefix < b.prefix }
        // The keys read in place (`slots[i]?.key` copied the whole report).
        let (ka, kb) = slots.withUnsafeBufferPointer { ($0[Int(x)]?.key, $0[Int(y)]?.key) }
        guard let ka, let kb else { return x < y }
        return ka < kb
    }

    /// The members of an incident in the order `cluster` gives them (the founder first), from the
    /// reports alone: the fine (day-precise) reports in canonical order, then the coarse ones in
    /// canonical order. The store rebuilds incident records from their linked reports with this.
    public static func canonicalMembers(_ reports: [Report]) -> [Report] {
        var fine: [Report] = []
        var coarse: [Report] = []
        for r in reports {
            if isFine(r) { fine.append(r) } else { coarse.append(r) }
        }
        fine.sort(by: precedes)
        coarse.sort(by: precedes)
        return fine + coarse
    }

    /// Canonical order of two reports: finest date, settlements first, text dates first, earliest
    /// day, key.
    static func precedes(_ a: Report, _ b: Report) -> Bool {
        let pa = precisionRank(a.precision), pb = precisionRank(b.precision)
        if pa != pb { return pa < pb }
        let ga = a.place?.precision == "settlement" ? 0 : 1, gb = b.place?.precision == "settlement" ? 0 : 1
        if ga != gb { return ga < gb }
        if a.dateFromPublished != b.dateFromPublished { return !a.dateFromPublished }
        let da = a.dayStart ?? .max, db = b.dayStart ?? .max
        if da != db { return da < db }
        return a.key < b.key
    }

    /// Canonical complete-linkage clustering of one component: (incident id, members in order).
    func completeLinkage(_ component: [Int32]) -> [(String, [Int32])] {
        let order = component.sorted(by: canonical)
        var clusters: [[Int32]] = []
        outer: for s in order {
            guard let k = keys[Int(s)] else { continue }
            for c in clusters.indices where clusters[c].allSatisfy({ m in keys[Int(m)].map { Linking.check(k, $0) } ?? false }) {
                clusters[c].append(s)
                continue outer
            }
            clusters.append([s])
        }
        return clusters.compactMap { c in
            guard let f = c.first, let r = slots[Int(f)] else { return nil }
            return (Self.incidentID(founder: r.key), c)
        }
    }
}
