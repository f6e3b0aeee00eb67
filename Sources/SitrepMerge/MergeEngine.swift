import Foundation

/// An incident as merging sees it: its reports in canonical order and the evidence of each link.
public struct IncidentCluster: Sendable {
    public var id: String
    /// Members: the founder first, then the other day-precise reports, then attached coarse ones.
    public var members: [Report]
    /// Per member key: the evidence linking it to the founding report (none for the founder).
    public var evidence: [String: LinkEvidence]
    /// The members' event row ids in the store, parallel to `members` (empty when not known).
    public var rows: [Int64]

    public init(id: String, members: [Report], evidence: [String: LinkEvidence], rows: [Int64] = []) {
        self.id = id
        self.members = members
        self.evidence = evidence
        self.rows = rows
    }
}

/// What one `apply` changed: incidents to write (whole) and incident ids that no longer exist.
public struct MergeDelta: Sendable {
    public var upserts: [IncidentCluster] = []
    public var deleted: [String] = []

    public init(upserts: [IncidentCluster] = [], deleted: [String] = []) {
        self.upserts = upserts
        self.deleted = deleted
    }
}

/// Merges reports into incidents, incrementally and order-independently.
///
/// Two tiers. **Fine** reports (day precision, a settlement, a date from the text) link when
/// `Linking` says they are compatible; since they are all day-precise, a connected component of
/// that graph lies within one day. Every component a change touches is re-clustered from scratch
/// in canonical order (earliest day, then key), each report joining the first incident whose every
/// member it is compatible with (complete linkage). **Coarse** reports (a week, a district, a date
/// taken from publication) never bridge fine incidents: each attaches to the fine incident it is
/// compatible with throughout whose founder is nearest (then earliest, then smallest id); coarse
/// reports that fit no fine incident cluster among themselves the same canonical way.
/// Every step is a function of the set of reports, so the incidents never depend on the order in
/// which articles arrived, and the work per change stays within one day's neighbourhood instead
/// of a whole war's chain of daily shellings. Incident ids derive from the founder's key.
public struct MergeEngine: Sendable {
    var slots: [Report?] = []
    var keys: [Linking.Key?] = []
    /// The store's event row id of each slot (0 when the caller gave none).
    var rowOf: [Int64] = []
    var fineFlag: [Bool] = []
    var incidentOf: [String?] = []
    var slotOf: [String: Int32] = [:]
    var articleSlots: [String: [Int32]] = [:]
    var free: [Int32] = []
    var grid: [Int64: [Int32]] = [:]
    /// Fine incidents: their fine members in canonical order.
    var fine: [String: [Int32]] = [:]
    /// Coarse members: attached to a fine incident, or forming a coarse-only incident.
    var coarse: [String: [Int32]] = [:]
    /// One copy of each repeated string the held reports use (see `insert`).
    var pool = StringPool()
    /// The article string of the last inserted report (an article's reports arrive together).
    var lastArticle = ""
    /// Incident ids while restoring: the members of one incident share one string.
    var restoringIDs = StringPool()

    /// Grid cell size in degrees.
    static let cell = 0.5

    public init() {}

    public var count: Int { slotOf.count }

    public func report(_ key: String) -> Report? {
        slotOf[key].flatMap { slots[Int($0)] }
    }

    public func incident(ofReport key: String) -> String? {
        slotOf[key].flatMap { incidentOf[Int($0)] }
    }

    /// Incident id for a founding report key.
    public static func incidentID(founder: String) -> String {
        "INC-" + StableHash.hex(StableHash.fnv64(founder.utf8, seed: 7))
    }

    public static func isFine(_ r: Report) -> Bool {
        Linking.linkable(r) && r.precision == "day" && r.place?.precision == "settlement" && !r.dateFromPublished
    }

    // MARK: - restore

    /// Restores a report with its stored incident id, without re-clustering; call `finishRestore`
    /// after the last one.
    public mutating func restore(_ report: Report, incident: String?, row: Int64 = 0) {
        let s = insert(report, row: row)
        incidentOf[Int(s)] = incident.map { restoringIDs($0) }
    }

    public mutating func finishRestore() {
        restoringIDs = StringPool()
        fine = [:]
        coarse = [:]
        for (i, id) in incidentOf.enumerated() {
            guard let id, slots[i] != nil else { continue }
            if fineFlag[i] { fine[id, default: []].append(Int32(i)) } else { coarse[id, default: []].append(Int32(i)) }
        }
        // The canonical order (`precedes`) from precomputed ranks: comparing the held reports
        // themselves copied two of them per comparison.
        var ranks: [(Int, Int, Int, Int)] = []
        ranks.reserveCapacity(slots.count)
        for r in slots {
            guard let r else {
                ranks.append((0, 0, 0, 0))
                continue
            }
            ranks.append((Self.precisionRank(r.precision), r.place?.precision == "settlement" ? 0 : 1,
                          r.dateFromPublished ? 1 : 0, r.dayStart ?? .max))
        }
        let held = slots
        let order = { (x: Int32, y: Int32) -> Bool in
            let a = ranks[Int(x)], b = ranks[Int(y)]
            if a != b { return a < b }
            return (held[Int(x)]?.key ?? "") < (held[Int(y)]?.key ?? "")
        }
        for (id, list) in fine where list.count > 1 { fine[id] = list.sorted(by: order) }
        for (id, list) in coarse where list.count > 1 { coarse[id] = list.sorted(by: order) }
    }

    /// Room for `n` held reports (restoring a database's reports without regrowing every table).
    public mutating func reserveCapacity(_ n: Int) {
        slots.reserveCapacity(n)
        keys.reserveCapacity(n)
        rowOf.reserveCapacity(n)
        fineFlag.reserveCapacity(n)
        incidentOf.reserveCapacity(n)
        slotOf.reserveCapacity(n)
    }

    // MARK: - apply

    /// Adds and removes reports, moves articles to new near-duplicate groups, and re-merges every
    /// neighbourhood the change touches.
    /// `rows`, when given, are the store's event row ids of `adding` (parallel); clusters carry
    /// them for their members.
    public mutating func apply(adding: [Report], rows: [Int64] = [], removing: [String] = [],
                               regrouped: [String: String] = [:]) -> MergeDelta {
        var work = Work()
        for key in removing {
            guard let s = slotOf[key] else { continue }
            retire(s, &work)
        }
        for (article, group) in regrouped.sorted(by: { $0.key < $1.key }) {
            for s in articleSlots[article] ?? [] {
                slots[Int(s)]?.dupGroup = group
                if let id = incidentOf[Int(s)] { work.changed.insert(id) }
            }
        }
        for (i, r) in adding.enumerated() {
            if let s = slotOf[r.key] { retire(s, &work) }
            let s = insert(r, row: i < rows.count ? rows[i] : 0)
            if fineFlag[Int(s)] { work.fineSeeds.append(s) } else { work.dirtyCoarse.insert(s) }
        }
        reclusterFine(&work)
        reattachCoarse(&work)
        reclusterLeftovers(&work)

        var delta = MergeDelta()
        for id in work.changed.union(work.old).sorted() {
            if let c = cluster(id) {
                if work.changed.contains(id) { delta.upserts.append(c) }
            } else {
                delta.deleted.append(id)
            }
        }
        return delta
    }

    /// Every current incident.
    public func allIncidents() -> [IncidentCluster] {
        Set(fine.keys).union(coarse.keys).sorted().compactMap { cluster($0) }
    }

    // MARK: - internals

    struct Work {
        var old = Set<String>()
        var changed = Set<String>()
        var fineSeeds: [Int32] = []
        var dirtyCoarse = Set<Int32>()
        var leftoverSeeds = Set<Int32>()
        var fineRemoved = false
    }

    /// The incident with an id, built for output; nil when it no longer exists.
    func cluster(_ id: String) -> IncidentCluster? {
        let f = fine[id] ?? []
        let c = coarse[id] ?? []
        guard let founderSlot = f.first ?? c.first, let founder = slots[Int(founderSlot)] else { return nil }
        var members: [Report] = []
        var rows: [Int64] = []
        var evidence: [String: LinkEvidence] = [:]
        members.reserveCapacity(f.count + c.count)
        rows.reserveCapacity(f.count + c.count)
        for s in f + c {
            guard let r = slots[Int(s)] else { continue }
            members.append(r)
            rows.append(rowOf[Int(s)])
            if s != founderSlot, let e = Linking.compatible(r, founder) { evidence[r.key] = e }
        }
        return IncidentCluster(id: id, members: members, evidence: evidence, rows: rows)
    }

    /// Takes a report out of the engine (removal, or replacement by a report with the same key).
    mutating func retire(_ s: Int32, _ w: inout Work) {
        guard let key = keys[Int(s)] else { return }
        if fineFlag[Int(s)] {
            w.fineRemoved = true
            for n in neighbours(key, slot: s) {
                if fineFlag[Int(n)] { w.fineSeeds.append(n) } else { w.dirtyCoarse.insert(n) }
            }
        }
        detach(s, &w)
        remove(slot: s)
    }

    /// Removes a report from its incident's member lists.
    mutating func detach(_ s: Int32, _ w: inout Work) {
        guard let id = incidentOf[Int(s)] else { return }
        w.old.insert(id)
        w.changed.insert(id)
        incidentOf[Int(s)] = nil
        if fineFlag[Int(s)] {
            fine[id]?.removeAll { $0 == s }
            if fine[id]?.isEmpty == true {
                // The incident dissolves: its coarse members look for a new home.
                fine[id] = nil
                for c in coarse[id] ?? [] {
                    incidentOf[Int(c)] = nil
                    w.dirtyCoarse.insert(c)
                }
                coarse[id] = nil
            }
        } else {
            coarse[id]?.removeAll { $0 == s }
            if fine[id] == nil {
                // A coarse-only incident: its other members are re-clustered.
                for c in coarse[id] ?? [] { w.leftoverSeeds.insert(c) }
            }
            if coarse[id]?.isEmpty == true { coarse[id] = nil }
        }
    }

    mutating func reclusterFine(_ w: inout Work) {
        var visited = Set<Int32>()
        for seed in w.fineSeeds where slots[Int(seed)] != nil && !visited.contains(seed) {
            let comp = component(from: seed, visited: &visited) { self.fineFlag[Int($0)] }
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
                for c in coarse[id] ?? [] {
                    incidentOf[Int(c)] = nil
                    w.dirtyCoarse.insert(c)
                }
                coarse[id] = nil
            }
            for (id, members) in clusters {
                if oldMembers[id] != nil { w.old.insert(id) }
                if fine[id] != members { w.changed.insert(id) }
                fine[id] = members
                for m in members { incidentOf[Int(m)] = id }
                // Attached coarse reports must still fit every member.
                for c in coarse[id] ?? [] {
                    guard let ck = keys[Int(c)] else { continue }
                    if !members.allSatisfy({ m in keys[Int(m)].map { Linking.check(ck, $0) } ?? false }) {
                        w.dirtyCoarse.insert(c)
                    }
                }
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

    mutating func reattachCoarse(_ w: inout Work) {
        for c in w.dirtyCoarse.sorted() where slots[Int(c)] != nil {
            let target = bestAttachment(c)
            if let current = incidentOf[Int(c)], current == target, fine[current] != nil {
                continue  // still where it belongs
            }
            detach(c, &w)
            if let id = target {
                var list = coarse.removeValue(forKey: id) ?? []
                list.append(c)
                list.sort { Self.canonical(slots, $0, $1) }
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
    func bestAttachment(_ c: Int32) -> String? {
        guard let ck = keys[Int(c)] else { return nil }
        var best: (Double, Int, String)?
        var seen = Set<String>()
        for n in neighbours(ck, slot: c, fineOnly: true) {
            guard let id = incidentOf[Int(n)], seen.insert(id).inserted, let members = fine[id],
                let f = members.first, let fk = keys[Int(f)]
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
        for seed in w.leftoverSeeds.sorted() where slots[Int(seed)] != nil && free(seed) && !visited.contains(seed) {
            let comp = component(from: seed, visited: &visited, free)
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

    @discardableResult
    mutating func insert(_ report: Report, row: Int64 = 0) -> Int32 {
        // Merging and incident records never read a report's evidence sentence or rule list
        // (the store keeps them in the report's own row): held for every active report of the
        // database, they would be a third of the engine's memory.
        var r = report
        r.snippet = ""
        r.rules = []
        // Strings longer than 15 bytes live on the heap, one allocation per copy: reports decoded
        // from the database (restart) or built per article repeat the same outlets, actors, places,
        // types and rules thousands of times. Held once each, they stop growing with the reports.
        intern(&r)
        let s: Int32
        let k = Linking.Key(r)
        if let f = free.popLast() {
            s = f
            slots[Int(s)] = r
            keys[Int(s)] = k
            rowOf[Int(s)] = row
            fineFlag[Int(s)] = Self.isFine(r)
            incidentOf[Int(s)] = nil
        } else {
            s = Int32(slots.count)
            slots.append(r)
            keys.append(k)
            rowOf.append(row)
            fineFlag.append(Self.isFine(r))
            incidentOf.append(nil)
        }
        slotOf[r.key] = s
        articleSlots[r.article, default: []].append(s)
        for g in gridKeys(k) { grid[g, default: []].append(s) }
        return s
    }

    mutating func intern(_ r: inout Report) {
        if r.article == lastArticle { r.article = lastArticle } else { lastArticle = r.article }
        if r.dupGroup == r.article { r.dupGroup = r.article }
        r.source = r.source.map { pool($0) }
        r.published = r.published.map { pool($0) }
        r.type = pool(r.type)
        r.subtype = pool(r.subtype)
        r.precision = pool(r.precision)
        r.stance = pool(r.stance)
        r.actor1 = r.actor1.map { pool($0) }
        r.actor2 = r.actor2.map { pool($0) }
        r.claimant = r.claimant.map { pool($0) }
        if var p = r.place {
            p.name = pool(p.name)
            p.country = p.country.map { pool($0) }
            p.admin1 = p.admin1.map { pool($0) }
            p.precision = pool(p.precision)
            r.place = p
        }
        for i in r.deniedBy.indices { r.deniedBy[i] = pool(r.deniedBy[i]) }
        for i in r.weapons.indices { r.weapons[i] = pool(r.weapons[i]) }
        for i in r.figures.indices {
            r.figures[i].outcome = pool(r.figures[i].outcome)
            r.figures[i].victims = pool(r.figures[i].victims)
            r.figures[i].qualifier = pool(r.figures[i].qualifier)
            r.figures[i].claimantID = r.figures[i].claimantID.map { pool($0) }
            r.figures[i].claimantName = r.figures[i].claimantName.map { pool($0) }
            r.figures[i].rule = pool(r.figures[i].rule)
        }
    }

    mutating func remove(slot s: Int32) {
        guard let r = slots[Int(s)], let k = keys[Int(s)] else { return }
        for g in gridKeys(k) {
            if var list = grid[g] {
                list.removeAll { $0 == s }
                grid[g] = list.isEmpty ? nil : list
            }
        }
        if var list = articleSlots[r.article] {
            list.removeAll { $0 == s }
            articleSlots[r.article] = list.isEmpty ? nil : list
        }
        slotOf[r.key] = nil
        slots[Int(s)] = nil
        keys[Int(s)] = nil
        incidentOf[Int(s)] = nil
        free.append(s)
    }

    static func cellIndex(_ deg: Double) -> Int64 { Int64((deg / cell).rounded(.down)) }

    static func pack(_ la: Int64, _ lo: Int64, _ day: Int) -> Int64 {
        ((la & 0x3FF) << 50) | ((lo & 0x7FF) << 39) | (Int64(day) & 0x7F_FFFF_FFFF)
    }

    /// Keys a linkable report is indexed under: its cell, each day of its interval (at most 32).
    func gridKeys(_ k: Linking.Key) -> [Int64] {
        guard k.linkable else { return [] }
        let la = Self.cellIndex(k.lat), lo = Self.cellIndex(k.lon)
        return (k.d0...Swift.min(k.d1, k.d0 + 31)).map { Self.pack(la, lo, $0) }
    }

    /// Compatible reports of a report (not itself), in slot order; `fineOnly` skips coarse ones.
    func neighbours(_ k: Linking.Key, slot: Int32, fineOnly: Bool = false) -> [Int32] {
        guard k.linkable else { return [] }
        let la = Self.cellIndex(k.lat), lo = Self.cellIndex(k.lon)
        let km = Linking.admin2Km
        let dLat = Int64((km / 111.0 / Self.cell).rounded(.up))
        let cosLat = Swift.max(0.05, cos(k.lat * .pi / 180))
        let dLon = Swift.min(Int64(360 / Self.cell), Int64((km / (111.0 * cosLat) / Self.cell).rounded(.up)))
        var out: [Int32] = []
        let last = Swift.min(k.d1, k.d0 + 31)
        for day in k.d0...last {
            for y in (la - dLat)...(la + dLat) {
                for x in (lo - dLon)...(lo + dLon) {
                    guard let list = grid[Self.pack(y, x, day)] else { continue }
                    for s in list where s != slot {
                        if fineOnly && !fineFlag[Int(s)] { continue }
                        guard let other = keys[Int(s)] else { continue }
                        // A multi-day report sits under each of its days: count it on the first
                        // day both intervals share.
                        if day != Swift.max(k.d0, other.d0) { continue }
                        if Linking.check(k, other) { out.append(s) }
                    }
                }
            }
        }
        out.sort()
        return out
    }

    func component(from seed: Int32, visited: inout Set<Int32>, _ include: (Int32) -> Bool) -> [Int32] {
        var out: [Int32] = []
        var stack = [seed]
        visited.insert(seed)
        while let s = stack.popLast() {
            out.append(s)
            guard let k = keys[Int(s)] else { continue }
            for n in neighbours(k, slot: s) where include(n) && visited.insert(n).inserted { stack.append(n) }
        }
        return out
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
        Self.canonical(slots, x, y)
    }

    /// The order as a closure holding only the reports (so mutating other state never copies it).
    var canonicalOrder: (Int32, Int32) -> Bool {
        let s = slots
        return { Self.canonical(s, $0, $1) }
    }

    static func canonical(_ slots: [Report?], _ x: Int32, _ y: Int32) -> Bool {
        guard let a = slots[Int(x)], let b = slots[Int(y)] else { return x < y }
        return precedes(a, b)
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

/// Shares one copy of each string longer than the inline limit (15 UTF-8 bytes); shorter strings
/// are stored inline and returned as they are.
struct StringPool: Sendable {
    var table: [String: String] = [:]

    mutating func callAsFunction(_ s: String) -> String {
        guard s.utf8.count > 15 else { return s }
        if let held = table[s] { return held }
        table[s] = s
        return s
    }

    mutating func callAsFunction(_ a: ActorKey) -> ActorKey {
        ActorKey(id: self(a.id), name: self(a.name))
    }
}
