import Foundation
import SitrepGazetteer
import SitrepLanguage
import SitrepText

// Resolution: which record each recognized name means, from priors and the document's context.
extension PlaceTagger {
    // MARK: - resolution

    /// The records of an index entry, best prior first (the gazetteer stores postings sorted),
    /// at most 24 (the long tail of namesakes never wins), with their priors.
    func ranked(_ entry: Int) -> (records: [(record: Int, kind: NameKind)], priors: [Double]) {
        let records = gazetteer.postings(entry, limit: 24)
        return (records, records.map { prior($0.record, $0.kind) })
    }

    /// `Gazetteer.prior`, with the feature bonus looked up by index.
    func prior(_ r: Int, _ kind: NameKind) -> Double {
        let g = gazetteer
        var s = log10(Double(g.population(r)) + 10)
        switch g.precision(r) {
        case .country: s += 3
        case .region: s = max(s, 6) + 2
        case .admin1: s -= 0.5
        case .admin2: s += 0.2
        case .settlement: s += featureBonus[g.featureSlot(r)]
        }
        if kind == .alternate && g.population(r) < 1_000_000 { s -= 2.5 }
        return s
    }

    /// Evidence one surface name contributes: votes for countries and for first-level divisions.
    struct Evidence {
        var country: [(Int, Double)] = []
        var admin1: [(Int, Double)] = []
        var mentions = 0.0

        func vote(country c: Int) -> Double {
            var v = 0.0
            for (k, w) in country where k == c { v += w }
            return v
        }

        func vote(admin1 a: Int) -> Double {
            var v = 0.0
            for (k, w) in admin1 where k == a { v += w }
            return v
        }
    }

    func resolve(_ doc: Document, _ cands: inout [Candidate], actorVotes: [Int] = []) {
        let g = gazetteer
        let tokens = doc.tokens
        let k = Self.k
        // Each surface name spreads one vote per mention over its candidates' countries (and
        // divisions) by prior; votes are kept per name so a name never counts as evidence for itself.
        // Names are numbered in order of first mention (`nameOf`: each candidate's name); per-name
        // tables are arrays over those numbers, not hashed dictionaries.
        var nameIndex = GrowingIndexMap(capacity: cands.count)
        var nameOf = [Int](repeating: 0, count: cands.count)
        var firstOf: [Int] = []  // name → its first candidate
        var mentionCount: [Double] = []
        for ci in cands.indices {
            let key = cands[ci].key
            if let id = nameIndex[key] {
                nameOf[ci] = id
                mentionCount[id] += 1
            } else {
                nameIndex.insert(key, firstOf.count)
                nameOf[ci] = firstOf.count
                firstOf.append(ci)
                mentionCount.append(1)
            }
        }
        let names = firstOf.count
        var byName = [Evidence](repeating: Evidence(), count: names)
        var allCountry = [Double](repeating: 0, count: g.countryCodes.count + 1)
        // The same votes from exactly matched place names only (no demonyms, actors or spelling
        // skeletons): which country the document's places are in.
        var placeCountry = [Double](repeating: 0, count: g.countryCodes.count + 1)
        var placeMentions = 0.0
        // All names' division votes, summed per division in the order they are cast (the same sums
        // as adding up a list of them).
        var admin1Slot = GrowingIndexMap(capacity: 8)
        var allAdmin1: [Double] = []
        var allMentions = 0.0
        // Names in order of first mention: the floating-point votes are summed in that order
        // (deterministic output).
        // Named actors with a country vote for it, one vote a mention ("Houthi forces" → Yemen).
        for c in actorVotes where c < allCountry.count {
            allCountry[c] += 1
            allMentions += 1
        }
        for name in 0..<names {
            let c = cands[firstOf[name]]
            let n = mentionCount[name]
            var sum = 0.0
            var weights = c.priors.map { pow(10, $0 / 2) }
            // Skeleton records added to an exact name do not vote (they are doubtful readings).
            for i in weights.indices where i >= c.extraFrom { weights[i] = 0 }
            for w in weights { sum += w }
            guard sum > 0 else { continue }
            for i in weights.indices { weights[i] *= n / sum }
            var ev = Evidence()
            // "the U.S.-led coalition", "Iran-backed militias": a country name joined to a
            // participle is a modifier, like a demonym: no vote on where the document's places are
            let modifier = c.end + 1 < tokens.count && tokens[c.end].key == k.dash
                && !tokens[c.end].flags.contains(.spaceBefore) && tokens[c.end + 1].kind == .word
                && !isCapitalizedWord(tokens[c.end + 1]) && c.records.first.map({ g.precision($0.record) == .country }) ?? false
            for (i, rk) in c.records.enumerated() {
                let r = rk.record
                let v = weights[i]
                let country = min(g.country(r), allCountry.count - 1)
                ev.country.append((country, v))
                allCountry[country] += v
                if c.demonym == nil && !c.fuzzy && !modifier { placeCountry[country] += v }
                if g.precision(r) == .admin1 {
                    let a = g.admin1(r)
                    ev.admin1.append((a, v))
                    if let slot = admin1Slot[UInt64(a)] {
                        allAdmin1[slot] += v
                    } else {
                        admin1Slot.insert(UInt64(a), allAdmin1.count)
                        allAdmin1.append(0 + v)
                    }
                }
            }
            ev.mentions = n
            allMentions += n
            if c.demonym == nil && !c.fuzzy && !modifier { placeMentions += n }
            byName[name] = ev
        }
        // The countries exact place names voted for (few), for the dominance test below.
        var placeVoted: [(country: Int, votes: Double)] = []
        if placeMentions > 0 {
            for (country, v) in placeCountry.enumerated() where v > 0 { placeVoted.append((country, v)) }
        }
        // "X, Y": containers named right after a name.
        var containerHint = [[Int]](repeating: [], count: cands.count)  // admin1 indices; countries as -index-1
        for ci in 0..<cands.count - 1 where cands[ci].end < tokens.count && tokens[cands[ci].end].key == k.comma
            && cands[ci + 1].start == cands[ci].end + 1
        {
            for (r, _) in cands[ci + 1].records {
                switch g.precision(r) {
                case .admin1: containerHint[ci].append(g.admin1(r))
                case .country: containerHint[ci].append(-g.country(r) - 1)
                default: break
                }
            }
        }
        // Alias groups: "A or B", "A, known as B", "A (B)", "A, called B by ...".
        var groupOf = [Int](repeating: -1, count: cands.count)
        for ci in 0..<cands.count - 1 {
            for cj in (ci + 1)..<min(ci + 3, cands.count) {
                let a = cands[ci], b = cands[cj]
                guard b.start > a.end, b.start - a.end <= 6, a.key != b.key else { continue }
                var joined = false
                for j in a.end..<b.start {
                    let key = tokens[j].key
                    if key == k.or || key == k.asKey || key == k.called || key == k.named || key == k.aka || key == k.openParen {
                        joined = true
                    }
                    if key == k.period { joined = false; break }
                }
                guard joined else { continue }
                guard a.records.contains(where: { ra in b.records.contains { $0.record == ra.record } }) else { continue }
                let gid = groupOf[ci] >= 0 ? groupOf[ci] : ci
                groupOf[ci] = gid
                groupOf[cj] = gid
                break
            }
        }
        // Context-free part of each record's score, once per surface name.
        struct NameScores {
            var score: [Double] = []
            var why: [Why] = []
            var top: [Double] = []
            var supported: [Bool] = []
            var share: [Double] = []
            /// The largest share any one country has of the other names' votes.
            var dominant = 0.0
            var proximity: [Double] = []
        }
        var scores = [NameScores](repeating: NameScores(), count: names)
        var scored = [Bool](repeating: false, count: names)
        for name in 0..<names {
            let c = cands[firstOf[name]]
            var ns = NameScores()
            guard c.demonym == nil else { continue }
            let own = byName[name]
            let others = allMentions - own.mentions
            let otherPlaces = placeMentions - (c.fuzzy ? 0 : own.mentions)
            if otherPlaces > 0 {
                for (country, v) in placeVoted {
                    ns.dominant = max(ns.dominant, (v - (c.fuzzy ? 0 : own.vote(country: country))) / otherPlaces)
                }
            }
            var exactShare = 0.0
            for (i, rk) in c.records.enumerated() {
                let r = rk.record
                var s = c.priors[i]
                var why = Why.prior
                var top = 0.0
                var supported = false
                let country = min(g.country(r), allCountry.count - 1)
                let share = others > 0 ? (allCountry[country] - own.vote(country: country)) / others : 0
                let cv = 4 * share
                s += cv
                if cv > top { top = cv; why = .country }
                if share >= 0.3 { supported = true }
                let p = g.precision(r)
                if p == .settlement || p == .admin2 {
                    let a1 = g.admin1(r)
                    let allVote = admin1Slot[UInt64(a1)].map({ allAdmin1[$0] }) ?? 0
                    if allVote - own.vote(admin1: a1) >= 0.5 {
                        supported = true
                        s += 2.5
                        if 2.5 > top { top = 2.5; why = .admin1 }
                    }
                }
                // A skeleton reading of an exact name wins only where the document is in its country.
                // (and only where no exact reading is in a supported country)
                if i < c.extraFrom { exactShare = max(exactShare, share) }
                if i >= c.extraFrom { s = share >= 0.3 && exactShare < 0.3 ? s - 1 : -1e9 }
                ns.score.append(s)
                ns.why.append(why)
                ns.top.append(top)
                ns.supported.append(supported)
                ns.share.append(share)
            }
            // A city of half a million or more that shares its name with its own division is the
            // city ("New York", "Moscow", "Baku"): the division's summed population overstates it.
            for (i, rk) in c.records.enumerated()
            where g.precision(rk.record) == .settlement && g.population(rk.record) >= 500_000 {
                let a1 = g.admin1(rk.record)
                if c.records.contains(where: { g.precision($0.record) == .admin1 && g.admin1($0.record) == a1 }) {
                    ns.score[i] += 1.0
                }
            }
            ns.proximity = [Double](repeating: 0, count: c.records.count)
            scores[name] = ns
            scored[name] = true
        }
        // Two rounds: the second adds proximity to the places the first resolved.
        for round in 0..<2 {
            if round > 0 {
                var anchors: [(lat: Double, lon: Double, cosLat: Double, key: UInt64)] = []
                var seenAnchor = GrowingIndexMap(capacity: 16)
                for ci in cands.indices where cands[ci].chosen >= 0 {
                    let chosen = cands[ci].chosen
                    if seenAnchor.contains(UInt64(chosen)) { continue }
                    seenAnchor.insert(UInt64(chosen))
                    let p = g.precision(chosen)
                    guard p == .settlement || p == .admin2 else { continue }
                    let lat = g.lat(chosen)
                    anchors.append((lat, g.lon(chosen), cos(lat * .pi / 180), cands[ci].key))
                }
                if anchors.isEmpty { break }
                for name in 0..<names where scored[name] {
                    let c = cands[firstOf[name]]
                    let key = c.key
                    for (i, rk) in c.records.enumerated() {
                        let r = rk.record
                        let p = g.precision(r)
                        guard p == .settlement || p == .admin2 else { continue }
                        // Equirectangular distance: exact enough for 100 / 300 km thresholds.
                        var near2 = Double.infinity
                        let rlat = g.lat(r), rlon = g.lon(r)
                        for a in anchors where a.key != key {
                            let dy = rlat - a.lat
                            var dx = abs(rlon - a.lon)
                            if dx > 180 { dx = 360 - dx }
                            dx *= a.cosLat
                            near2 = min(near2, dx * dx + dy * dy)
                        }
                        let near = near2.squareRoot() * 111.2
                        scores[name].proximity[i] = near < 100 ? 2.0 : near < 300 ? 1.0 : 0
                    }
                }
            }
            var plain = [(record: Int, rule: String, supported: Bool, share: Double)?](repeating: nil, count: names)
            for ci in 0..<cands.count {
                let name = nameOf[ci]
                if cands[ci].demonym != nil {
                    cands[ci].chosen = cands[ci].records[0].record
                    cands[ci].rule = "demonym"
                    continue
                }
                let special = groupOf[ci] >= 0 || !containerHint[ci].isEmpty
                if !special, let done = plain[name] {
                    cands[ci].chosen = done.record
                    cands[ci].rule = done.rule
                    cands[ci].supported = done.supported
                    cands[ci].share = done.share
                    cands[ci].dominantShare = scored[name] ? scores[name].dominant : 0
                    continue
                }
                guard scored[name] else { continue }
                let ns = scores[name]
                let c = cands[ci]
                var pool: [Int] = []  // empty: every record
                if groupOf[ci] >= 0 {
                    // Only records every name of the group shares.
                    var shared = Array(c.records.indices)
                    for cj in 0..<cands.count where groupOf[cj] == groupOf[ci] && cj != ci {
                        shared.removeAll { i in !cands[cj].records.contains { $0.record == c.records[i].record } }
                    }
                    if !shared.isEmpty { pool = shared }
                }
                var best = -1, bestScore = -Double.infinity, bestWhy = Why.prior, bestSupported = false, bestShare = 0.0
                for p in 0..<(pool.isEmpty ? c.records.count : pool.count) {
                    let i = pool.isEmpty ? p : pool[p]
                    let r = c.records[i].record
                    var s = ns.score[i] + ns.proximity[i]
                    var why = ns.why[i]
                    var top = ns.top[i]
                    var supported = ns.supported[i] || groupOf[ci] >= 0 || ns.proximity[i] > 0
                    if ns.proximity[i] > top { top = ns.proximity[i]; why = .proximity }
                    if !containerHint[ci].isEmpty,
                        containerHint[ci].contains(g.admin1(r)) || containerHint[ci].contains(-g.country(r) - 1)
                    {
                        s += 8
                        supported = true
                        if 8 > top { top = 8; why = .comma }
                    }
                    if s > bestScore || (s == bestScore && r < best) {
                        best = r
                        bestScore = s
                        bestWhy = why
                        bestSupported = supported
                        bestShare = ns.share[i]
                    }
                }
                let rule = (groupOf[ci] >= 0 ? "alias-group;" : "") + bestWhy.name
                cands[ci].chosen = best
                cands[ci].rule = rule
                cands[ci].supported = bestSupported
                cands[ci].share = bestShare
                cands[ci].dominantShare = ns.dominant
                cands[ci].group = groupOf[ci]
                if !special { plain[name] = (best, rule, bestSupported, bestShare) }
            }
        }
    }

    /// What decided a resolution (recorded in the mention's rule).
    enum Why: UInt8 {
        case prior, country, admin1, comma, proximity

        var name: String {
            switch self {
            case .prior: "prior"
            case .country: "document-country"
            case .admin1: "document-admin1"
            case .comma: "x-comma-y"
            case .proximity: "proximity"
            }
        }
    }
}
