import Foundation
import SitrepGazetteer
import SitrepLanguage
import SitrepText

// Resolution: which record each recognized name means, from priors and the document's context.
extension PlaceTagger {
    // MARK: - resolution

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

    /// Per surface name (numbered in order of first mention): its first candidate, mentions, the
    /// votes it cast (ranges of the per-document vote lists), its context-free record scores (a
    /// range of the per-document score list) and the resolution shared by its plain mentions.
    struct NameState {
        var first: Int
        var mentions = 0.0
        /// Mentions its votes stand for (0 when its records carry no weight: it cast no votes).
        var voted = 0.0
        var countryLo = 0, countryHi = 0
        var admin1Lo = 0, admin1Hi = 0
        var scored = false
        var base = 0
        var dominant = 0.0
        var plain = false
        var plainRecord = -1
        var plainWhy = Why.prior
        var plainSupported = false
        var plainShare = 0.0
    }

    /// The context-free part of one record's score under a name, and its proximity bonus.
    struct RecordScore {
        var score: Double
        var why: Why
        var top: Double
        var supported: Bool
        var share: Double
        var proximity = 0.0
    }

    /// Per candidate: its name, alias group, and whether a container follows it ("X, Y").
    struct CandidateState {
        var name = 0
        var group = -1
        var hint = false
    }

    func resolve(_ doc: Document, _ cands: inout [Candidate], pool: [Reading], actorVotes: [Int] = []) {
        var scratch = PlaceScratch()
        resolve(doc, &cands, pool: pool, actorVotes: actorVotes, &scratch)
    }

    /// `scratch`: the document's working storage (its maps are emptied here).
    func resolve(_ doc: Document, _ cands: inout [Candidate], pool: [Reading], actorVotes: [Int],
                 _ scratch: inout PlaceScratch) {
        pool.withUnsafeBufferPointer { pool in
            doc.tokens.withUnsafeBufferPointer { tokens in
                // (the candidates written through one buffer: no uniqueness check per field set)
                cands.withUnsafeMutableBufferPointer { cands in
                    resolve(tokens, cands, pool, actorVotes, names: &scratch.names, admin1: &scratch.admin1,
                            anchors: &scratch.anchors, buffers: &scratch.resolveBuffers)
                }
            }
        }
    }

    /// `cands`: the document's candidates, indexed below `cands.count` only.
    func resolve(_ tokens: UnsafeBufferPointer<Token>, _ cands: UnsafeMutableBufferPointer<Candidate>,
                 _ pool: UnsafeBufferPointer<Reading>,
                 _ actorVotes: [Int], names nameIndex: inout GrowingIndexMap, admin1 admin1Slot: inout GrowingIndexMap,
                 anchors seenAnchor: inout GrowingIndexMap, buffers: inout ResolveBuffers)
    {
        let g = gazetteer
        let k = Self.k
        // Each surface name spreads one vote per mention over its candidates' countries (and
        // divisions) by prior; votes are kept per name so a name never counts as evidence for itself.
        // Names are numbered in order of first mention (`state[ci].name`: each candidate's name);
        // per-name tables are arrays over those numbers, not hashed dictionaries.
        nameIndex.reset(capacity: cands.count)
        // (the lists are the scratch's, lent for the document: emptied, not reallocated)
        var state: [CandidateState] = [], nameList: [NameState] = []
        var countryVotes: [(Int, Double)] = [], admin1Votes: [(Int, Double)] = []
        var countryTotals: [Double] = [], allAdmin1: [Double] = [], weights: [Double] = []
        var placeCountries: [Int] = [], placeVoted: [(country: Int, votes: Double)] = []
        var scores: [RecordScore] = [], anchors: [(lat: Double, lon: Double, cosLat: Double, key: UInt64)] = []
        swap(&state, &buffers.state)
        swap(&nameList, &buffers.nameList)
        swap(&countryVotes, &buffers.countryVotes)
        swap(&admin1Votes, &buffers.admin1Votes)
        swap(&countryTotals, &buffers.countryTotals)
        swap(&allAdmin1, &buffers.allAdmin1)
        swap(&weights, &buffers.weights)
        swap(&placeCountries, &buffers.placeCountries)
        swap(&placeVoted, &buffers.placeVoted)
        swap(&scores, &buffers.scores)
        swap(&anchors, &buffers.anchors)
        let countrySlots = g.countryCodes.count + 1
        defer {
            // `countryTotals` goes back zeroed: only the slots the votes touched are cleared
            // (the third part, a name's own votes, is cleared after each name)
            for (country, _) in countryVotes {
                countryTotals[country] = 0
                countryTotals[countrySlots + country] = 0
            }
            for c in actorVotes where c < countrySlots { countryTotals[c] = 0 }
            swap(&state, &buffers.state)
            swap(&nameList, &buffers.nameList)
            swap(&countryVotes, &buffers.countryVotes)
            swap(&admin1Votes, &buffers.admin1Votes)
            swap(&countryTotals, &buffers.countryTotals)
            swap(&allAdmin1, &buffers.allAdmin1)
            swap(&weights, &buffers.weights)
            swap(&placeCountries, &buffers.placeCountries)
            swap(&placeVoted, &buffers.placeVoted)
            swap(&scores, &buffers.scores)
            swap(&anchors, &buffers.anchors)
        }
        state.removeAll(keepingCapacity: true)
        state.append(contentsOf: repeatElement(CandidateState(), count: cands.count))
        nameList.removeAll(keepingCapacity: true)
        for ci in cands.indices {
            let key = cands[ci].key
            if let id = nameIndex[key] {
                state[ci].name = id
                nameList[id].mentions += 1
            } else {
                nameIndex.insert(key, nameList.count)
                state[ci].name = nameList.count
                nameList.append(NameState(first: ci, mentions: 1))
            }
        }
        let names = nameList.count
        // The votes each name cast, in order: (country, weight) and (division, weight).
        // (at most one vote per reading: room for all, no growth)
        countryVotes.removeAll(keepingCapacity: true)
        admin1Votes.removeAll(keepingCapacity: true)
        countryVotes.reserveCapacity(pool.count)
        admin1Votes.reserveCapacity(pool.count)
        // All names' country votes, then (from `countrySlots` on) the same votes from exactly
        // matched place names only (no demonyms, actors or spelling skeletons): which country the
        // document's places are in.
        // (and from `2 * countrySlots` on, scratch: one name's own votes per country, see below)
        if countryTotals.count != 3 * countrySlots {
            countryTotals = [Double](repeating: 0, count: 3 * countrySlots)
        }
        var placeMentions = 0.0
        // All names' division votes, summed per division in the order they are cast (the same sums
        // as adding up a list of them).
        admin1Slot.reset(capacity: 8)
        allAdmin1.removeAll(keepingCapacity: true)
        var allMentions = 0.0
        // Names in order of first mention: the floating-point votes are summed in that order
        // (deterministic output).
        // Named actors with a country vote for it, one vote a mention ("Houthi forces" → Yemen).
        for c in actorVotes where c < countrySlots {
            countryTotals[c] += 1
            allMentions += 1
        }
        weights.removeAll(keepingCapacity: true)
        // The countries exactly matched place names voted for, as first voted for (few: the
        // dominance test below reads them, not every country).
        placeCountries.removeAll(keepingCapacity: true)
        for name in 0..<names {
            let c = cands[nameList[name].first]
            let n = nameList[name].mentions
            var sum = 0.0
            weights.removeAll(keepingCapacity: true)
            for i in c.range { weights.append(pow(10, pool[i].prior / 2)) }
            // Skeleton records added to an exact name do not vote (they are doubtful readings).
            for i in weights.indices where i >= c.extraFrom { weights[i] = 0 }
            for w in weights { sum += w }
            guard sum > 0 else { continue }
            for i in weights.indices { weights[i] *= n / sum }
            // "the U.S.-led coalition", "Iran-backed militias": a country name joined to a
            // participle is a modifier, like a demonym: no vote on where the document's places are
            let modifier = c.end + 1 < tokens.count && tokens[c.end].key == k.dash
                && !tokens[c.end].flags.contains(.spaceBefore) && tokens[c.end + 1].kind == .word
                && !isCapitalizedWord(tokens[c.end + 1]) && (c.count > 0 && g.precision(pool[c.lo].record) == .country)
            let place = c.demonym < 0 && !c.fuzzy && !modifier
            nameList[name].countryLo = countryVotes.count
            nameList[name].admin1Lo = admin1Votes.count
            for i in 0..<c.count {
                let r = pool[c.lo + i].record
                let v = weights[i]
                let country = min(g.country(r), countrySlots - 1)
                countryVotes.append((country, v))
                countryTotals[country] += v
                if place {
                    let before = countryTotals[countrySlots + country]
                    countryTotals[countrySlots + country] += v
                    if before == 0 && v > 0 { placeCountries.append(country) }
                }
                if g.precision(r) == .admin1 {
                    let a = g.admin1(r)
                    admin1Votes.append((a, v))
                    if let slot = admin1Slot[UInt64(a)] {
                        allAdmin1[slot] += v
                    } else {
                        admin1Slot.insert(UInt64(a), allAdmin1.count)
                        allAdmin1.append(0 + v)
                    }
                }
            }
            nameList[name].countryHi = countryVotes.count
            nameList[name].admin1Hi = admin1Votes.count
            nameList[name].voted = n
            allMentions += n
            if place { placeMentions += n }
        }
        // The countries exact place names voted for (few), for the dominance test below.
        placeVoted.removeAll(keepingCapacity: true)
        if placeMentions > 0 {
            placeCountries.sort()
            for country in placeCountries where countryTotals[countrySlots + country] > 0 {
                placeVoted.append((country, countryTotals[countrySlots + country]))
            }
        }
        // "X, Y": containers (divisions, countries) named right after a name.
        for ci in 0..<cands.count - 1 where cands[ci].end < tokens.count && tokens[cands[ci].end].key == k.comma
            && cands[ci + 1].start == cands[ci].end + 1
        {
            for j in cands[ci + 1].range {
                let p = g.precision(pool[j].record)
                if p == .admin1 || p == .country {
                    state[ci].hint = true
                    break
                }
            }
        }
        // Alias groups: "A or B", "A, known as B", "A (B)", "A, called B by ...".
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
                var shares = false
                for ia in a.range {
                    for ib in b.range where pool[ib].record == pool[ia].record {
                        shares = true
                        break
                    }
                    if shares { break }
                }
                guard shares else { continue }
                let gid = state[ci].group >= 0 ? state[ci].group : ci
                state[ci].group = gid
                state[cj].group = gid
                break
            }
        }
        // Context-free part of each record's score, once per surface name.
        scores.removeAll(keepingCapacity: true)
        scores.reserveCapacity(pool.count)
        // A name's own votes per country (`Self.vote` for every country at once: each sum is
        // accumulated in the order the votes were cast, so it is the same number), zeroed after.
        let own = 2 * countrySlots
        for name in 0..<names {
            let c = cands[nameList[name].first]
            guard c.demonym < 0 else { continue }
            let votesLo = nameList[name].countryLo, votesHi = nameList[name].countryHi
            for j in votesLo..<votesHi { countryTotals[own + countryVotes[j].0] += countryVotes[j].1 }
            defer { for j in votesLo..<votesHi { countryTotals[own + countryVotes[j].0] = 0 } }
            let ownMentions = nameList[name].voted
            let others = allMentions - ownMentions
            let otherPlaces = placeMentions - (c.fuzzy ? 0 : ownMentions)
            var dominant = 0.0
            if otherPlaces > 0 {
                for (country, v) in placeVoted {
                    dominant = max(dominant, (v - (c.fuzzy ? 0 : countryTotals[own + country])) / otherPlaces)
                }
            }
            let base = scores.count
            var exactShare = 0.0
            for i in 0..<c.count {
                let r = pool[c.lo + i].record
                var s = pool[c.lo + i].prior
                var why = Why.prior
                var top = 0.0
                var supported = false
                let country = min(g.country(r), countrySlots - 1)
                let share = others > 0 ? (countryTotals[country] - countryTotals[own + country]) / others : 0
                let cv = 4 * share
                s += cv
                if cv > top { top = cv; why = .country }
                if share >= 0.3 { supported = true }
                let p = g.precision(r)
                if p == .settlement || p == .admin2 {
                    let a1 = g.admin1(r)
                    let allVote = admin1Slot[UInt64(a1)].map({ allAdmin1[$0] }) ?? 0
                    if allVote - Self.vote(admin1Votes, nameList[name].admin1Lo, nameList[name].admin1Hi, a1) >= 0.5 {
                        supported = true
                        s += 2.5
                        if 2.5 > top { top = 2.5; why = .admin1 }
                    }
                }
                // A skeleton reading of an exact name wins only where the document is in its country.
                // (and only where no exact reading is in a supported country)
                if i < c.extraFrom { exactShare = max(exactShare, share) }
                if i >= c.extraFrom { s = share >= 0.3 && exactShare < 0.3 ? s - 1 : -1e9 }
                scores.append(RecordScore(score: s, why: why, top: top, supported: supported, share: share))
            }
            // A city of half a million or more that shares its name with its own division is the
            // city ("New York", "Moscow", "Baku"): the division's summed population overstates it.
            for i in 0..<c.count {
                let rec = pool[c.lo + i].record
                guard g.precision(rec) == .settlement && g.population(rec) >= 500_000 else { continue }
                let a1 = g.admin1(rec)
                for j in c.range where g.precision(pool[j].record) == .admin1 && g.admin1(pool[j].record) == a1 {
                    scores[base + i].score += 1.0
                    break
                }
            }
            nameList[name].base = base
            nameList[name].dominant = dominant
            nameList[name].scored = true
        }
        // Two rounds: the second adds proximity to the places the first resolved.
        for round in 0..<2 {
            if round > 0 {
                anchors.removeAll(keepingCapacity: true)
                seenAnchor.reset(capacity: 16)
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
                for name in 0..<names where nameList[name].scored {
                    let c = cands[nameList[name].first]
                    let key = c.key
                    let base = nameList[name].base
                    for i in 0..<c.count {
                        let r = pool[c.lo + i].record
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
                        scores[base + i].proximity = near < 100 ? 2.0 : near < 300 ? 1.0 : 0
                    }
                }
            }
            for name in 0..<names { nameList[name].plain = false }
            for ci in 0..<cands.count {
                let name = state[ci].name
                if cands[ci].demonym >= 0 {
                    cands[ci].chosen = pool[cands[ci].lo].record
                    continue
                }
                let group = state[ci].group
                let special = group >= 0 || state[ci].hint
                if !special, nameList[name].plain {
                    let done = nameList[name]
                    cands[ci].chosen = done.plainRecord
                    cands[ci].why = done.plainWhy
                    cands[ci].aliasGroup = false
                    cands[ci].supported = done.plainSupported
                    cands[ci].share = done.plainShare
                    cands[ci].dominantShare = done.scored ? done.dominant : 0
                    continue
                }
                guard nameList[name].scored else { continue }
                let base = nameList[name].base
                let c = cands[ci]
                var pick: [Int] = []  // empty: every record
                if group >= 0 {
                    // Only records every name of the group shares.
                    var shared = Array(0..<c.count)
                    for cj in 0..<cands.count where state[cj].group == group && cj != ci {
                        let other = cands[cj].range
                        shared.removeAll { i in !other.contains { pool[$0].record == pool[c.lo + i].record } }
                    }
                    if !shared.isEmpty { pick = shared }
                }
                var best = -1, bestScore = -Double.infinity, bestWhy = Why.prior, bestSupported = false, bestShare = 0.0
                for p in 0..<(pick.isEmpty ? c.count : pick.count) {
                    let i = pick.isEmpty ? p : pick[p]
                    let r = pool[c.lo + i].record
                    let ns = scores[base + i]
                    var s = ns.score + ns.proximity
                    var why = ns.why
                    var top = ns.top
                    var supported = ns.supported || group >= 0 || ns.proximity > 0
                    if ns.proximity > top { top = ns.proximity; why = .proximity }
                    if state[ci].hint, holds(cands[ci + 1].range, r, pool) {
                        s += 8
                        supported = true
                        if 8 > top { top = 8; why = .comma }
                    }
                    if s > bestScore || (s == bestScore && r < best) {
                        best = r
                        bestScore = s
                        bestWhy = why
                        bestSupported = supported
                        bestShare = ns.share
                    }
                }
                cands[ci].chosen = best
                cands[ci].why = bestWhy
                cands[ci].aliasGroup = group >= 0
                cands[ci].supported = bestSupported
                cands[ci].share = bestShare
                cands[ci].dominantShare = nameList[name].dominant
                cands[ci].group = group
                if !special {
                    nameList[name].plain = true
                    nameList[name].plainRecord = best
                    nameList[name].plainWhy = bestWhy
                    nameList[name].plainSupported = bestSupported
                    nameList[name].plainShare = bestShare
                }
            }
        }
    }

    /// What a name voted for a country or division (`key`): its votes `list[lo..<hi]` for it,
    /// summed in the order cast.
    static func vote(_ list: [(Int, Double)], _ lo: Int, _ hi: Int, _ key: Int) -> Double {
        var v = 0.0
        for j in lo..<hi where list[j].0 == key { v += list[j].1 }
        return v
    }

    /// Whether a container named after a name ("X, Y": the readings `range`) holds record `r`:
    /// one of its readings is `r`'s division or country.
    func holds(_ range: Range<Int>, _ r: Int, _ pool: UnsafeBufferPointer<Reading>) -> Bool {
        let g = gazetteer
        let a1 = g.admin1(r), country = g.country(r)
        for j in range {
            let r2 = pool[j].record
            switch g.precision(r2) {
            case .admin1: if g.admin1(r2) == a1 { return true }
            case .country: if g.country(r2) == country { return true }
            default: break
            }
        }
        return false
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
