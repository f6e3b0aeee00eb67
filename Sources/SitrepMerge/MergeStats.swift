/// Work counters of a `MergeEngine` (cumulative; a caller subtracts two snapshots): what the merge
/// of each new report costs, for measuring how it grows with the corpus (`store-bench --replay`).
public struct MergeStats: Sendable {
    /// `neighbours` calls, and the grid entries they scanned.
    public var neighbourCalls = 0
    public var scanned = 0
    /// Fine components re-clustered, their reports in total, and the largest.
    public var components = 0
    public var componentReports = 0
    public var largestComponent = 0
    /// Coarse-only components re-clustered (reports in total).
    public var leftoverReports = 0
    /// Coarse reports whose attachment was recomputed.
    public var coarseChecked = 0
    /// Incidents written (upserts) and their members in total.
    public var upserts = 0
    public var upsertMembers = 0

    public init() {}

    public static func - (a: MergeStats, b: MergeStats) -> MergeStats {
        var d = MergeStats()
        d.neighbourCalls = a.neighbourCalls - b.neighbourCalls
        d.scanned = a.scanned - b.scanned
        d.components = a.components - b.components
        d.componentReports = a.componentReports - b.componentReports
        d.largestComponent = a.largestComponent
        d.coarseChecked = a.coarseChecked - b.coarseChecked
        d.leftoverReports = a.leftoverReports - b.leftoverReports
        d.upserts = a.upserts - b.upserts
        d.upsertMembers = a.upsertMembers - b.upsertMembers
        return d
    }
}

extension MergeEngine {
    /// The first inconsistency of the held state, or nil: every held report listed under exactly
    /// the incident `incidentOf` names (fine reports in `fine`, coarse ones in `coarse`), lists in
    /// canonical order, no list naming a free slot. For tests.
    public func inconsistency() -> String? {
        var listed: [Int32: String] = [:]
        for (tier, table) in [("fine", fine), ("coarse", coarse)] {
            for (id, list) in table {
                if list.isEmpty { return "\(tier) \(id): empty list" }
                for (i, s) in list.enumerated() {
                    guard let r = slots[Int(s)] else { return "\(tier) \(id): free slot \(s)" }
                    if let other = listed[s] { return "\(r.key): in \(other) and \(tier) \(id)" }
                    listed[s] = "\(tier) \(id)"
                    if incidentOf[Int(s)] != id { return "\(r.key): listed in \(tier) \(id), incidentOf \(incidentOf[Int(s)] ?? "nil")" }
                    if (tier == "fine") != fineFlag[Int(s)] { return "\(r.key): in the wrong tier's list" }
                    if i > 0 && !canonical(list[i - 1], s) { return "\(tier) \(id): not in canonical order" }
                }
            }
        }
        for (i, r) in slots.enumerated() {
            guard let r else { continue }
            if listed[Int32(i)] == nil && incidentOf[i] != nil { return "\(r.key): incidentOf \(incidentOf[i] ?? "") but listed nowhere" }
        }
        return nil
    }
}
