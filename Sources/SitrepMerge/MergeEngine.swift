import Foundation

/// An incident as merging sees it: its reports in canonical order and the evidence of each link.
public struct IncidentCluster: Sendable {
    public var id: String
    /// Members in canonical order; the first founded the incident.
    public var members: [Report]
    /// Per member key: the evidence linking it to the founding report (nil for the founder).
    public var evidence: [String: LinkEvidence]

    public init(id: String, members: [Report], evidence: [String: LinkEvidence]) {
        self.id = id
        self.members = members
        self.evidence = evidence
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
/// Reports are nodes; two are neighbours when `Linking.compatible` holds. After every change the
/// connected components touching the change are re-clustered from scratch in canonical order
/// (finest date first, then earliest day, then key), each report joining the first incident whose
/// every member it is compatible with (complete linkage). Components and the canonical
/// clustering are functions of the set of reports, so the incidents never depend on the order in
/// which articles arrived. Incident ids derive from the founding report's key.
public struct MergeEngine: Sendable {
    var slots: [Report?] = []
    var incidentOf: [String?] = []
    var slotOf: [String: Int32] = [:]
    var articleSlots: [String: [Int32]] = [:]
    var free: [Int32] = []
    var grid: [Int64: [Int32]] = [:]

    /// Grid cell size in degrees.
    static let cell = 0.5

    public init() {}

    public var count: Int { slotOf.count }

    /// The report with a key, if present.
    public func report(_ key: String) -> Report? {
        slotOf[key].flatMap { slots[Int($0)] }
    }

    public func incident(ofReport key: String) -> String? {
        slotOf[key].flatMap { incidentOf[Int($0)] }
    }

    /// Restores state saved earlier (reports with their incident ids) without re-clustering.
    public mutating func restore(_ report: Report, incident: String?) {
        let s = insert(report)
        incidentOf[Int(s)] = incident
    }

    /// Incident id for a founding report key.
    public static func incidentID(founder: String) -> String {
        "INC-" + StableHash.hex(StableHash.fnv64(founder.utf8, seed: 7))
    }

    /// Adds and removes reports, moves articles to new near-duplicate groups, and re-clusters every
    /// component the change touches.
    public mutating func apply(adding: [Report], removing: [String] = [], regrouped: [String: String] = [:]) -> MergeDelta {
        var seeds: [Int32] = []
        var oldIncidents: Set<String> = []
        for key in removing {
            guard let s = slotOf[key], let r = slots[Int(s)] else { continue }
            for n in neighbours(of: r, slot: s) { seeds.append(n) }
            if let old = incidentOf[Int(s)] { oldIncidents.insert(old) }
            remove(slot: s)
        }
        for (article, group) in regrouped.sorted(by: { $0.key < $1.key }) {
            for s in articleSlots[article] ?? [] {
                slots[Int(s)]?.dupGroup = group
                seeds.append(s)
            }
        }
        for r in adding {
            if let s = slotOf[r.key] {
                if let old = incidentOf[Int(s)] { oldIncidents.insert(old) }
                if let prev = slots[Int(s)] { for n in neighbours(of: prev, slot: s) { seeds.append(n) } }
                remove(slot: s)
            }
            seeds.append(insert(r))
        }

        var delta = MergeDelta()
        var visited = Set<Int32>()
        var newIDs = Set<String>()
        for seed in seeds where slots[Int(seed)] != nil && !visited.contains(seed) {
            let component = self.component(from: seed, visited: &visited)
            for s in component { if let old = incidentOf[Int(s)] { oldIncidents.insert(old) } }
            for cluster in cluster(component) {
                newIDs.insert(cluster.id)
                for m in cluster.members { if let s = slotOf[m.key] { incidentOf[Int(s)] = cluster.id } }
                delta.upserts.append(cluster)
            }
        }
        delta.deleted = oldIncidents.subtracting(newIDs).sorted()
        delta.upserts.sort { $0.id < $1.id }
        return delta
    }

    /// Every current incident, re-clustered from scratch (for verification and tests).
    public func allIncidents() -> [IncidentCluster] {
        var visited = Set<Int32>()
        var out: [IncidentCluster] = []
        for (i, r) in slots.enumerated() where r != nil && !visited.contains(Int32(i)) {
            out.append(contentsOf: cluster(component(from: Int32(i), visited: &visited)))
        }
        return out.sorted { $0.id < $1.id }
    }

    // MARK: - internals

    @discardableResult
    mutating func insert(_ r: Report) -> Int32 {
        let s: Int32
        if let f = free.popLast() {
            s = f
            slots[Int(s)] = r
            incidentOf[Int(s)] = nil
        } else {
            s = Int32(slots.count)
            slots.append(r)
            incidentOf.append(nil)
        }
        slotOf[r.key] = s
        articleSlots[r.article, default: []].append(s)
        for k in gridKeys(r) { grid[k, default: []].append(s) }
        return s
    }

    mutating func remove(slot s: Int32) {
        guard let r = slots[Int(s)] else { return }
        for k in gridKeys(r) {
            if var list = grid[k] {
                list.removeAll { $0 == s }
                grid[k] = list.isEmpty ? nil : list
            }
        }
        if var list = articleSlots[r.article] {
            list.removeAll { $0 == s }
            articleSlots[r.article] = list.isEmpty ? nil : list
        }
        slotOf[r.key] = nil
        slots[Int(s)] = nil
        incidentOf[Int(s)] = nil
        free.append(s)
    }

    static func cellIndex(_ deg: Double) -> Int64 { Int64((deg / cell).rounded(.down)) }

    static func pack(_ la: Int64, _ lo: Int64, _ day: Int) -> Int64 {
        ((la & 0x3FF) << 50) | ((lo & 0x7FF) << 39) | (Int64(day) & 0x7F_FFFF_FFFF)
    }

    /// Keys a linkable report is indexed under: its cell, each day of its interval.
    func gridKeys(_ r: Report) -> [Int64] {
        guard Linking.linkable(r), let p = r.place, let a = r.dayStart, let b = r.dayEnd else { return [] }
        let la = Self.cellIndex(p.lat), lo = Self.cellIndex(p.lon)
        return (a...Swift.min(b, a + 31)).map { Self.pack(la, lo, $0) }
    }

    /// Compatible reports of `r` (not itself), in slot order.
    func neighbours(of r: Report, slot: Int32) -> [Int32] {
        guard Linking.linkable(r), let p = r.place, let a = r.dayStart, let b = r.dayEnd else { return [] }
        let la = Self.cellIndex(p.lat), lo = Self.cellIndex(p.lon)
        let km = Linking.admin2Km
        let dLat = Int64((km / 111.0 / Self.cell).rounded(.up))
        let cosLat = Swift.max(0.05, cos(p.lat * .pi / 180))
        let dLon = Swift.min(Int64(360 / Self.cell), Int64((km / (111.0 * cosLat) / Self.cell).rounded(.up)))
        var seen = Set<Int32>()
        var out: [Int32] = []
        for day in a...Swift.min(b, a + 31) {
            for y in (la - dLat)...(la + dLat) {
                for x in (lo - dLon)...(lo + dLon) {
                    guard let list = grid[Self.pack(y, x, day)] else { continue }
                    for s in list where s != slot && seen.insert(s).inserted {
                        if let other = slots[Int(s)], Linking.compatible(r, other) != nil { out.append(s) }
                    }
                }
            }
        }
        return out.sorted()
    }

    func component(from seed: Int32, visited: inout Set<Int32>) -> [Int32] {
        var out: [Int32] = []
        var stack = [seed]
        visited.insert(seed)
        while let s = stack.popLast() {
            out.append(s)
            guard let r = slots[Int(s)] else { continue }
            for n in neighbours(of: r, slot: s) where visited.insert(n).inserted { stack.append(n) }
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

    static func canonicalOrder(_ a: Report, _ b: Report) -> Bool {
        let pa = precisionRank(a.precision), pb = precisionRank(b.precision)
        if pa != pb { return pa < pb }
        let ga = a.place?.precision == "settlement" ? 0 : 1, gb = b.place?.precision == "settlement" ? 0 : 1
        if ga != gb { return ga < gb }
        if a.dateFromPublished != b.dateFromPublished { return !a.dateFromPublished }
        let da = a.dayStart ?? .max, db = b.dayStart ?? .max
        if da != db { return da < db }
        return a.key < b.key
    }

    /// Canonical complete-linkage clustering of one component.
    func cluster(_ component: [Int32]) -> [IncidentCluster] {
        let reports = component.compactMap { slots[Int($0)] }.sorted(by: Self.canonicalOrder)
        var clusters: [[Report]] = []
        var evidence: [[String: LinkEvidence]] = []
        outer: for r in reports {
            for c in clusters.indices {
                guard let first = Linking.compatible(r, clusters[c][0]) else { continue }
                var ok = true
                for m in clusters[c].dropFirst() where Linking.compatible(r, m) == nil {
                    ok = false
                    break
                }
                if ok {
                    clusters[c].append(r)
                    evidence[c][r.key] = first
                    continue outer
                }
            }
            clusters.append([r])
            evidence.append([:])
        }
        return clusters.indices.map { i in
            IncidentCluster(id: Self.incidentID(founder: clusters[i][0].key), members: clusters[i], evidence: evidence[i])
        }
    }
}
