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
    /// The first filter of `neighbours`, parallel to `keys` (see `NearKey`).
    var near: [NearKey] = []
    /// Each slot's canonical position without its report (see `OrderKey`).
    var order: [OrderKey] = []
    /// The store's event row id of each slot (0 when the caller gave none).
    var rowOf: [Int64] = []
    var fineFlag: [Bool] = []
    var incidentOf: [String?] = []
    var slotOf: [String: Int32] = [:]
    var articleSlots: [String: [Int32]] = [:]
    var free: [Int32] = []
    /// Slots freed by the current `apply`: reusable only from the next one, since its work lists
    /// (seeds, coarse reports to re-attach) may still name them.
    var freedNow: [Int32] = []
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
    /// Work counters (cumulative).
    public var stats = MergeStats()
    /// Re-clusters every touched fine component whole (the algorithm before the ninth session),
    /// instead of only the reports a change can affect: the reference the tests compare with.
    public var reference = false

    /// Grid cell size in degrees.
    static let cell = 0.5

    public init() {}

    /// An engine that re-clusters whole components (`reference`).
    public init(reference: Bool) {
        self.reference = reference
    }

    public var count: Int { slotOf.count }

    public func report(_ key: String) -> Report? {
        slotOf[key].flatMap { slots[Int($0)] }
    }

    public func incident(ofReport key: String) -> String? {
        slotOf[key].flatMap { incidentOf[Int($0)] }
    }

    /// Incident id for a founding report key.
    public static func incidentID(founder: String) -> String {
        StableHash.hex(StableHash.fnv64(utf8Of: founder, seed: 7), prefix: "INC-")
    }

    public static func isFine(_ r: Report) -> Bool {
        Linking.linkable(r) && r.precision == "day" && r.place?.precision == "settlement" && !r.dateFromPublished
    }

    // MARK: - restore

    /// Restores a report with its stored incident id, without re-clustering; call `finishRestore`
    /// after the last one.
    public mutating func restore(_ report: consuming Report, incident: String?, row: Int64 = 0) {
        let s = insert(report, row: row)
        incidentOf[Int(s)] = incident.map { restoringIDs($0) }
    }

    public mutating func finishRestore() {
        restoringIDs = StringPool()
        fine = [:]
        coarse = [:]
        for (i, id) in incidentOf.enumerated() {
            guard let id, holds(Int32(i)) else { continue }
            if fineFlag[i] { fine[id, default: []].append(Int32(i)) } else { coarse[id, default: []].append(Int32(i)) }
        }
        // The canonical order (`precedes`) from the slots' `OrderKey`s, computed as they were
        // inserted (comparing the held reports themselves copied two of them per comparison).
        let ranks = self.order, held = slots
        let order = { (x: Int32, y: Int32) -> Bool in Self.canonical(ranks, held, x, y) }
        // Sorted in place through `values` (assigning by key while iterating the table copied it
        // and hashed every id again).
        for i in fine.values.indices where fine.values[i].count > 1 { fine.values[i].sort(by: order) }
        for i in coarse.values.indices where coarse.values[i].count > 1 { coarse.values[i].sort(by: order) }
    }

    /// Room for `n` held reports (restoring a database's reports without regrowing every table).
    public mutating func reserveCapacity(_ n: Int) {
        slots.reserveCapacity(n)
        keys.reserveCapacity(n)
        near.reserveCapacity(n)
        order.reserveCapacity(n)
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
        if reference { reclusterFine(&work) } else { reclusterFineLocal(&work) }
        reattachCoarse(&work)
        if reference { reclusterLeftovers(&work) } else { reclusterLeftoversLocal(&work) }
        free += freedNow
        freedNow.removeAll()

        var delta = MergeDelta()
        for id in work.changed.union(work.old).sorted() {
            if let c = cluster(id) {
                if work.changed.contains(id) {
                    stats.upserts += 1
                    stats.upsertMembers += c.members.count
                    delta.upserts.append(c)
                }
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
        /// Fine incidents that lost a member outside re-clustering (removals), still standing.
        var fineLost = Set<String>()
        /// Coarse-only incidents that lost a member (detached), still standing.
        var coarseLost = Set<String>()
    }

    /// The incident with an id, built for output; nil when it no longer exists.
    func cluster(_ id: String) -> IncidentCluster? {
        let f = fine[id] ?? []
        let c = coarse[id] ?? []
        guard let founderSlot = f.first ?? c.first, let founder = slots[Int(founderSlot)],
            let founderKey = keys[Int(founderSlot)]
        else { return nil }
        var members: [Report] = []
        var rows: [Int64] = []
        var evidence: [String: LinkEvidence] = [:]
        members.reserveCapacity(f.count + c.count)
        rows.reserveCapacity(f.count + c.count)
        evidence.reserveCapacity(f.count + c.count)
        for s in f + c {
            guard let r = slots[Int(s)] else { continue }
            rows.append(rowOf[Int(s)])
            if s != founderSlot, let k = keys[Int(s)], let e = Linking.compatible(r, founder, k, founderKey) {
                evidence[r.key] = e
            }
            members.append(r)  // the copy's last use: moved into the array, not copied again
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
            w.fineLost.insert(id)
            if fine[id]?.isEmpty == true {
                // The incident dissolves: its coarse members look for a new home.
                fine[id] = nil
                releaseCoarse(of: id, &w)
            }
        } else {
            coarse[id]?.removeAll { $0 == s }
            if fine[id] == nil {
                // A coarse-only incident: its other members are re-clustered.
                for c in coarse[id] ?? [] { w.leftoverSeeds.insert(c) }
                w.coarseLost.insert(id)
            }
            if coarse[id]?.isEmpty == true { coarse[id] = nil }
        }
    }
}
