import Foundation

/// A held report's canonical position (`MergeEngine.precedes`) in three integers: rank (date
/// precision, settlement, text date), first day, and the key's first eight bytes big-endian.
/// Two keys whose prefixes differ and are ASCII compare as their prefixes do (for ASCII,
/// `String`'s order is the bytes' order); otherwise the keys themselves are compared.
struct OrderKey: Sendable {
    var rank: Int
    var day: Int
    var prefix: UInt64
    var ascii: Bool

    init(_ r: Report) {
        rank = MergeEngine.precisionRank(r.precision) * 4 + (r.place?.precision == "settlement" ? 0 : 2)
            + (r.dateFromPublished ? 1 : 0)
        day = r.dayStart ?? .max
        var p: UInt64 = 0
        var n = 0
        var ascii = true
        for b in r.key.utf8 {
            if n == 8 { break }
            if b >= 0x80 { ascii = false }
            p = p << 8 | UInt64(b)
            n += 1
        }
        prefix = n < 8 ? p << UInt64(8 * (8 - n)) : p
        self.ascii = ascii
    }
}

extension MergeEngine {
    /// Inserts `s` into `list` (sorted by `less`) at its place: after the members that precede it.
    static func insertSorted(_ s: Int32, into list: inout [Int32], _ less: (Int32, Int32) -> Bool) {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if less(list[mid], s) { lo = mid + 1 } else { hi = mid }
        }
        list.insert(s, at: lo)
    }
}

/// Slots in canonical order, smallest first (a binary heap).
struct SlotHeap {
    var items: [Int32] = []

    mutating func push(_ s: Int32, _ less: (Int32, Int32) -> Bool) {
        items.append(s)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop(_ less: (Int32, Int32) -> Bool) -> Int32? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return top }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && less(items[l], items[m]) { m = l }
            if r < items.count && less(items[r], items[m]) { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}

// The fine tier, re-clustered only where a change can reach.
//
// Complete linkage in canonical order is a sequence of decisions: each report, in turn, joins the
// first incident (in its founder's canonical order) all of whose earlier members it is compatible
// with, or founds one. A change — a report added, or one leaving its incident — can alter the
// decision of a later report y only through an incident whose membership differs from before:
//
// - y was a member of that incident and does not fit the report that joined it, or the incident
//   lost its founder and with it its id: those later members decide again (a member that fits
//   the newcomer still fits, and one that stays after another member left still fits);
// - the incident is new (its founder decided differently): it can take y only when y is
//   compatible with its founder, so the founder's later neighbours decide again;
// - the incident lost a member y was not compatible with: it can now take y only when y is
//   compatible with its founder, so the founder's later neighbours that do not fit the member
//   that left decide again.
//
// An incident that only gained members can never newly take a report, and one whose membership
// did not change looks the same to every later report. Reports are decided in canonical order
// from a heap, so each sees exactly the incidents the whole-component pass would have built by
// its turn; a report that decides as before changes nothing. The outcome is therefore the one
// `completeLinkage` gives over the whole component (`reference`), which `LocalMergeTests`
// compares on random reports, additions and removals in random orders.
//
// The same argument holds for the coarse reports that fit no fine incident (the leftovers): they
// are clustered the same canonical way among themselves, and a report entering the set (no fine
// incident takes it any longer) is an addition, one leaving it (attached, or removed) a member
// lost. `relinkLocal(leftovers: true)` re-decides only what such a change can reach, instead of
// re-clustering the whole connected component of week-long reports each time (which grows with
// the density of reports per place and week).
extension MergeEngine {
    mutating func reclusterFineLocal(_ w: inout Work) {
        var scanned = 0, calls = 0
        let grew = relinkLocal(leftovers: false, seeds: w.fineSeeds, lost: w.fineLost, &w, scanned: &scanned, calls: &calls)

        // Coarse reports: those attached to a changed incident must still fit it; where an incident
        // is new or lost members, its coarse neighbours may choose anew; a dissolved incident's
        // coarse members look for a new home.
        for (id, onlyGrew) in grew.sorted(by: { $0.key < $1.key }) {
            guard let members = fine[id], !members.isEmpty else {
                releaseCoarse(of: id, &w)
                continue
            }
            recheckCoarse(of: id, members: members, &w)
            // A coarse report that can now attach here (or prefer this incident to its own) must fit
            // every member, the founder among them: the founder's coarse neighbours are all it can take.
            if !onlyGrew, let f = members.first, let k = keys[Int(f)] {
                calls += 1
                for n in neighbours(k, slot: f, tiers: [false], scanned: &scanned) {
                    w.dirtyCoarse.insert(n)
                }
            }
        }
        stats.neighbourCalls += calls
        stats.scanned += scanned
    }

    /// The leftovers (coarse reports no fine incident takes) re-decided where a change reaches them.
    mutating func reclusterLeftoversLocal(_ w: inout Work) {
        var scanned = 0, calls = 0
        _ = relinkLocal(leftovers: true, seeds: w.leftoverSeeds.sorted(), lost: w.coarseLost, &w, scanned: &scanned, calls: &calls)
        stats.neighbourCalls += calls
        stats.scanned += scanned
    }

    /// Whether a slot is a leftover: a coarse report in no incident or in a coarse-only one.
    @inline(__always)
    func isLeftover(_ s: Int32) -> Bool {
        guard !fineFlag[Int(s)] else { return false }
        guard let id = incidentOf[Int(s)] else { return true }
        return fine[id] == nil
    }

    /// Re-decides, in canonical order, the reports of one tier (fine reports in `fine`, or leftovers
    /// in the coarse-only lists of `coarse`) that the `seeds` (reports new to the tier) and the
    /// incidents that `lost` members can reach. Returns the incidents it changed: true while they
    /// only gained members.
    mutating func relinkLocal(leftovers: Bool, seeds: [Int32], lost: Set<String>, _ w: inout Work,
                              scanned: inout Int, calls: inout Int) -> [String: Bool] {
        let order = self.order
        let held = slots
        let less = { (x: Int32, y: Int32) in Self.canonical(order, held, x, y) }
        let tiers = [!leftovers]
        var heap = SlotHeap()
        var queued = Set<Int32>()
        var grew: [String: Bool] = [:]  // changed incidents: true while they only gained members
        var cur: Int32 = -1

        func member(_ s: Int32) -> Bool { leftovers ? isLeftover(s) : fineFlag[Int(s)] }
        func list(_ id: String) -> [Int32]? { leftovers ? coarse[id] : fine[id] }
        func enqueue(_ s: Int32) {
            guard holds(s), member(s), cur < 0 || less(cur, s), queued.insert(s).inserted else { return }
            heap.push(s, less)
        }
        /// The members of an incident (all, or those incompatible with `unlike`).
        func enqueueMembers(_ id: String, incompatibleWith unlike: Linking.Key? = nil) {
            for m in list(id) ?? [] {
                if let unlike, let km = keys[Int(m)], Linking.check(km, unlike) { continue }
                enqueue(m)
            }
        }
        /// The compatible neighbours of a report (all, or those incompatible with `unlike`).
        // Neither changes while incidents are re-decided (no report comes or goes).
        let grid = self.grid, keys = self.keys, near = self.near
        func enqueueNeighbours(_ s: Int32, incompatibleWith unlike: Linking.Key? = nil) {
            guard let k = keys[Int(s)] else { return }
            calls += 1
            for n in Self.neighbours(k, slot: s, tiers: tiers, grid: grid, keys: keys, near: near, scanned: &scanned) {
                if let unlike, let kn = keys[Int(n)], Linking.check(kn, unlike) { continue }
                enqueue(n)
            }
        }

        for s in seeds { enqueue(s) }
        for id in lost.sorted() where !leftovers || fine[id] == nil {
            grew[id] = false
            enqueueMembers(id)
            if let f = list(id)?.first { enqueueNeighbours(f) }
        }
        var seen: [String] = []
        while let y = heap.pop(less) {
            cur = y
            guard member(y), let ky = keys[Int(y)] else { continue }
            // The first incident, by founder, that y's earlier compatible reports belong to and whose
            // every earlier member y is compatible with.
            var best: (founder: Int32, id: String)?
            seen.removeAll(keepingCapacity: true)
            calls += 1
            for n in neighbours(ky, slot: y, tiers: tiers, scanned: &scanned) where less(n, y) {
                guard let id = incidentOf[Int(n)], !seen.contains(id) else { continue }
                seen.append(id)
                // (A leftover's earlier neighbour attached to a fine incident is no leftover.)
                guard !leftovers || fine[id] == nil, let members = list(id), let f = members.first else { continue }
                if let b = best, !less(f, b.founder) { continue }
                var fits = true
                for m in members {
                    guard less(m, y) else { break }
                    guard let km = keys[Int(m)], Linking.check(ky, km) else {
                        fits = false
                        break
                    }
                }
                if fits { best = (f, id) }
            }
            // (The key read in place: `held[i]?.key` copied the whole report.)
            let newID = best?.id ?? held.withUnsafeBufferPointer { Self.incidentID(founder: $0[Int(y)]?.key ?? "") }
            let oldID = incidentOf[Int(y)]
            if oldID == newID { continue }
            if let oldID {
                let wasFounder = list(oldID)?.first == y
                if leftovers { coarse[oldID]?.removeAll { $0 == y } } else { fine[oldID]?.removeAll { $0 == y } }
                grew[oldID] = false
                w.old.insert(oldID)
                w.changed.insert(oldID)
                if list(oldID)?.isEmpty == true {
                    if leftovers { coarse[oldID] = nil } else { fine[oldID] = nil }
                } else if wasFounder {
                    enqueueMembers(oldID)  // the incident's id went with its founder
                } else if let f = list(oldID)?.first {
                    // Members still fit; reports y kept out may now fit (compatible with the founder).
                    enqueueNeighbours(f, incompatibleWith: ky)
                }
            }
            // The list updated in place (read out and stored back, it was copied on every insertion).
            let founded = list(newID)?.isEmpty ?? true
            if grew[newID] == nil { grew[newID] = !founded }
            if leftovers {
                Self.insertSorted(y, into: &coarse[newID, default: []], less)
            } else {
                Self.insertSorted(y, into: &fine[newID, default: []], less)
            }
            incidentOf[Int(y)] = newID
            w.changed.insert(newID)
            // A new incident may take y's later neighbours; a grown one may lose the later members
            // y does not fit (the others still fit it, and it can take no one new).
            if founded { enqueueNeighbours(y) } else { enqueueMembers(newID, incompatibleWith: ky) }
        }
        if leftovers {
            stats.leftoverReports += queued.count
        } else {
            stats.components += 1
            stats.componentReports += queued.count
            stats.largestComponent = Swift.max(stats.largestComponent, queued.count)
        }
        return grew
    }
}
