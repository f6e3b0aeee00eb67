import Foundation

// The held reports: slots, interning, the day × cell grid and neighbourhoods.
extension MergeEngine {
    @discardableResult
    mutating func insert(_ report: consuming Report, row: Int64 = 0) -> Int32 {
        // Merging and incident records never read a report's evidence sentence or rule list
        // (the store keeps them in the report's own row): held for every active report of the
        // database, they would be a third of the engine's memory.
        var r = consume report
        r.snippet = ""
        r.rules = []
        // Strings longer than 15 bytes live on the heap, one allocation per copy: reports decoded
        // from the database (restart) or built per article repeat the same outlets, actors, places,
        // types and rules thousands of times. Held once each, they stop growing with the reports.
        intern(&r)
        let s: Int32
        let k = Linking.Key(r)
        let o = OrderKey(r)
        let isFine = Self.isFine(r)
        let key = r.key, article = r.article
        // The report moves into its slot (held on and stored as a copy, it was retained and
        // released field by field).
        if let f = free.popLast() {
            s = f
            slots[Int(s)] = r
            keys[Int(s)] = k
            near[Int(s)] = NearKey(k)
            order[Int(s)] = o
            rowOf[Int(s)] = row
            fineFlag[Int(s)] = isFine
            incidentOf[Int(s)] = nil
        } else {
            s = Int32(slots.count)
            slots.append(r)
            keys.append(k)
            near.append(NearKey(k))
            order.append(o)
            rowOf.append(row)
            fineFlag.append(isFine)
            incidentOf.append(nil)
        }
        slotOf[key] = s
        articleSlots[article, default: []].append(s)
        for g in gridKeys(k, fine: fineFlag[Int(s)]) { grid[g, default: []].append(s) }
        return s
    }

    /// Whether a slot holds a report, read from its key: comparing the optional report itself
    /// with nil copied the whole report (a retain and a release of each of its strings).
    @inline(__always)
    func holds(_ s: Int32) -> Bool {
        keys[Int(s)] != nil
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
        for g in gridKeys(k, fine: fineFlag[Int(s)]) {
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
        freedNow.append(s)
    }

    static func cellIndex(_ deg: Double) -> Int64 { Int64((deg / cell).rounded(.down)) }

    /// A grid key: cell, day, type family (reports of two families never link) and tier (a
    /// fine report's neighbours among fine reports are one list per cell and day, without the
    /// coarse reports that week dates list under seven days each).
    static func pack(_ la: Int64, _ lo: Int64, _ day: Int, family: UInt64, fine: Bool) -> Int64 {
        ((la & 0x3FF) << 54) | ((lo & 0x7FF) << 43) | ((Int64(day) & 0x3F_FFFF_FFFF) << 5)
            | (Int64(family % 15) << 1) | (fine ? 1 : 0)
    }

    /// Keys a linkable report is indexed under: its cell, each day of its interval (at most 32).
    func gridKeys(_ k: Linking.Key, fine: Bool) -> [Int64] {
        guard k.linkable else { return [] }
        let la = Self.cellIndex(k.lat), lo = Self.cellIndex(k.lon)
        return (k.d0...Swift.min(k.d1, k.d0 + 31)).map { Self.pack(la, lo, $0, family: k.family, fine: fine) }
    }

    /// Compatible reports of a report (not itself), in slot order; `fineOnly` skips coarse ones.
    mutating func neighbours(_ k: Linking.Key, slot: Int32, fineOnly: Bool = false) -> [Int32] {
        var scanned = 0
        let out = neighbours(k, slot: slot, tiers: fineOnly ? [true] : [true, false], scanned: &scanned)
        stats.neighbourCalls += 1
        stats.scanned += scanned
        return out
    }

    /// `neighbours`, counting the grid entries it scans into `scanned`.
    /// `tiers`: the grid lists read, fine (`true`) and/or coarse (`false`).
    func neighbours(_ k: Linking.Key, slot: Int32, tiers: [Bool], scanned: inout Int) -> [Int32] {
        Self.neighbours(k, slot: slot, tiers: tiers, grid: grid, keys: keys, near: near, scanned: &scanned)
    }

    /// `neighbours` over a grid and keys given: a nested function of a mutating method that called
    /// the method on `self` copied the whole engine (a retain and a release of each of its tables).
    static func neighbours(_ k: Linking.Key, slot: Int32, tiers: [Bool], grid: [Int64: [Int32]], keys: [Linking.Key?],
                           near: [NearKey], scanned: inout Int) -> [Int32] {
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
                    for tier in tiers {
                        guard let list = grid[Self.pack(y, x, day, family: k.family, fine: tier)] else { continue }
                        scanned += list.count
                        for s in list where s != slot {
                            // Most entries of the cells around lie too far north or south: rejected
                            // from the compact array before the report's key is read (a cache miss).
                            if near[Int(s)].tooFar(k) { continue }
                            guard let other = keys[Int(s)] else { continue }
                            // A multi-day report sits under each of its days: count it on the first
                            // day both intervals share.
                            if day != Swift.max(k.d0, other.d0) { continue }
                            if Linking.check(k, other) { out.append(s) }
                        }
                    }
                }
            }
        }
        out.sort()
        return out
    }

    /// The connected component of `seed` among reports `include` admits (transitively compatible),
    /// counting the grid entries scanned into `scanned`.
    func component(from seed: Int32, tiers: [Bool], visited: inout Set<Int32>, scanned: inout Int,
                   _ include: (Int32) -> Bool) -> [Int32] {
        var out: [Int32] = []
        var stack = [seed]
        visited.insert(seed)
        while let s = stack.popLast() {
            out.append(s)
            guard let k = keys[Int(s)] else { continue }
            for n in neighbours(k, slot: s, tiers: tiers, scanned: &scanned) where include(n) && visited.insert(n).inserted { stack.append(n) }
        }
        return out
    }
}

/// What `Linking.check` reads first of a held report, in 12 bytes instead of the key's ≈ 100: held
/// in an array by slot, it rejects most of a neighbourhood's grid entries from a few cache lines.
struct NearKey: Sendable {
    var lat: Float
    var geo: Int32
    var settlement: Bool

    init(_ k: Linking.Key) {
        lat = Float(k.lat)
        // A geonameid that does not fit 32 bits never matches here (`tooFar` then reads the key).
        geo = k.geo >= 0 && k.geo <= Int(Int32.max) ? Int32(k.geo) : -2
        settlement = k.settlement
    }

    /// True only when `Linking.check(k, other)` is false for the report this was made of: not the
    /// same place, and farther apart in latitude than the limit (25 km between settlements, else
    /// 50) plus 1 km (`check`'s own reject) plus 1 km for the `Float` latitude (off by < 1e-5°).
    @inline(__always)
    func tooFar(_ k: Linking.Key) -> Bool {
        if geo == -2 || (k.geo >= 0 && k.geo == Int(geo)) { return false }
        let limit = k.settlement && settlement ? Linking.settlementKm : Linking.admin2Km
        return abs(Double(lat) - k.lat) * 111.0 > limit + 2
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
