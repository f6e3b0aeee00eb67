import Foundation
import SitrepGazetteer
import SitrepLanguage
import SitrepText

// Recognition: where the document names places (gazetteer probes, context filters).
extension PlaceTagger {
    func isCapitalizedWord(_ t: Token) -> Bool {
        t.kind == .word && (t.flags.contains(.capitalized) || t.flags.contains(.allCaps))
    }

    /// Recognizes place names; `votes` receives the country (index into the gazetteer's country
    /// codes) of every named actor with a country ("Houthi forces" → Yemen), as context.
    /// `pool` receives the candidates' readings (each candidate holds a range of it).
    func recognize(_ doc: Document, times: [Mention], votes: inout [Int], pool: inout [Reading]) -> [Candidate] {
        let tokens = doc.tokens
        let g = gazetteer
        let k = Self.k
        var out: [Candidate] = []
        var i = 0
        let n = tokens.count
        // (room for the usual share of names, so the lists rarely grow)
        out.reserveCapacity(n / 16 + 8)
        pool.reserveCapacity(n / 4 + 16)
        var timeIdx = 0
        var skeletons = SkeletonCache()
        var tops = TopPostings()
        while i < n {
            let t = tokens[i]
            guard isCapitalizedWord(t), !t.flags.contains(.boilerplate) else { i += 1; continue }
            // Stop phrases ("Jordan Peterson", "Georgia Tech").
            var h = Gazetteer.extend(Gazetteer.seed, t.key)
            // what the word may open (one probe; the tables are probed only where it may)
            let opens = firstWords[t.key] ?? 0
            if opens & FirstWord.stop != 0, stopPrefixes.contains(h) || stopPhrases.contains(h) {
                var sh = h, j = i + 1, stopEnd = stopPhrases.contains(h) ? i + 1 : -1
                while j < n, stopPrefixes.contains(sh) {
                    sh = Gazetteer.extend(sh, tokens[j].key)
                    j += 1
                    if stopPhrases.contains(sh) { stopEnd = j }
                }
                if stopEnd > i + 1 { i = stopEnd; continue }
            }
            // Named actors: their country is context; a name that ends in a place it is not
            // ("Ahrar al-Sham", "Tahrir al-Sham") is no place.
            if opens & FirstWord.actor != 0, actorPrefixes.contains(h) || actorIndex[h] != nil {
                var ah = h, j = i + 1
                var found: (end: Int, value: Int)? = actorIndex[h].map { (i + 1, $0) }
                while j < n, j - i < 8, actorPrefixes.contains(ah) {
                    ah = Gazetteer.extend(ah, tokens[j].key)
                    j += 1
                    if let v = actorIndex[ah] { found = (j, v) }
                }
                if let (end, v) = found {
                    let actor = actorList[v]
                    if actor.country >= 0 { votes.append(actor.country) }
                    if actor.masksPlace { i = end; continue }
                }
            }
            // Two-word demonyms first ("Sri Lankan", "Central American").
            if demonymsAsPlaces, opens & FirstWord.demonymPair != 0, i + 1 < n, tokens[i + 1].flags.contains(.spaceBefore),
                isCapitalizedWord(tokens[i + 1])
            {
                let k2 = Gazetteer.extend(Gazetteer.extend(Gazetteer.seed, t.key), tokens[i + 1].key)
                if let di = demonymIndex[k2] {
                    out.append(demonymCandidate(di, start: i, end: i + 2, key: k2, &pool))
                    i += 2
                    continue
                }
            }
            // "the outskirts of al-Bab": a name after a lower-case article joined by a dash is the
            // name with its article ("Al Bab"), when the gazetteer holds that
            if i >= 2, tokens[i - 1].key == k.dash, !t.flags.contains(.spaceBefore), !tokens[i - 1].flags.contains(.spaceBefore),
                tokens[i - 2].kind == .word, !isCapitalizedWord(tokens[i - 2]), k.articles.contains(tokens[i - 2].key),
                !tokens[i - 2].flags.contains(.boilerplate)
            {
                let ah = Gazetteer.extend(Gazetteer.extend(Gazetteer.seed, tokens[i - 2].key), t.key)
                if let e = g.entry(ah), g.hasPostings(e), !(i + 1 < n && tokens[i + 1].key == k.dash && !tokens[i + 1].flags.contains(.spaceBefore)) {
                    if !coveredByTime(doc, times, &timeIdx, (i - 2)..<(i + 1)) {
                        out.append(Candidate(start: i - 2, end: i + 1, key: ah, entry: e, readings: topPostings(e, &tops, &pool)))
                    }
                    i += 1
                    continue
                }
            }
            let demonym = demonymsAsPlaces && opens & FirstWord.demonym != 0 ? demonymIndex[t.key] : nil
            guard let first = g.entry(h) else {
                if let d = demonym {
                    out.append(demonymCandidate(d, start: i, end: i + 1, key: t.key, &pool))
                    i += 1
                } else if let f = fuzzyMatch(doc, at: i, longerThan: i, &skeletons, articles: k.articles), f.end > i + 1 || !stopWords.contains(t.key) {
                    if !coveredByTime(doc, times, &timeIdx, i..<f.end) {
                        out.append(Candidate(start: i, end: f.end, key: f.key, entry: f.entry,
                                             readings: topPostings(f.entry, &tops, &pool), fuzzy: true))
                    }
                    i = f.end
                } else {
                    i += 1
                }
                continue
            }
            // Extend while a longer name starts here.
            var best: (end: Int, entry: Int, key: UInt64)? = g.hasPostings(first) ? (i + 1, first, h) : nil
            var e = first, j = i + 1
            while g.hasLonger(e), j < n, j - i < 8 {
                let tj = tokens[j]
                if tj.flags.contains(.sentenceStart) { break }  // names never cross a sentence edge
                if tj.kind == .word && !isCapitalizedWord(tj) && !k.connectors.contains(tj.key) { break }
                h = Gazetteer.extend(h, tj.key)
                guard let next = g.entry(h) else { break }
                e = next
                j += 1
                if g.hasPostings(next), isCapitalizedWord(tokens[j - 1]) || tokens[j - 1].kind != .word {
                    if tokens[j - 1].kind == .word || tokens[j - 1].key == k.period { best = (j, next, h) }
                }
            }
            // A demonym beats a one-word namesake ("Canadian", Texas), not a longer name ("British Columbia").
            if let d = demonym, best.map({ $0.end == i + 1 }) ?? true {
                out.append(demonymCandidate(d, start: i, end: i + 1, key: t.key, &pool))
                i += 1
                continue
            }
            // A romanized name the exact index lacks ("Khan Shaykun", "Jisr ash-Shugur"): its spelling
            // skeleton, when that covers more than the exact match.
            // An exact name whose best record is a small place may be a namesake of a romanized name
            // spelled otherwise ("Shabwa": a village in Myanmar, or Shabwah in Yemen): the skeleton's
            // records compete with it in resolution.
            var weakExact = false
            if let m = best, let top = g.topRecord(m.entry) {
                let p = g.precision(top)
                weakExact = (p == .settlement || p == .admin2) && g.population(top) < 100_000
            }
            let fuzzyFloor = best.map { weakExact ? $0.end - 1 : $0.end } ?? i
            var alsoFuzzy = -1
            if let f = fuzzyMatch(doc, at: i, longerThan: fuzzyFloor, &skeletons, articles: k.articles), f.end > i + 1 || !stopWords.contains(t.key) {
                if let m = best, f.end == m.end {
                    if f.entry != m.entry { alsoFuzzy = f.entry }
                } else if !coveredByTime(doc, times, &timeIdx, i..<f.end) {
                    out.append(Candidate(start: i, end: f.end, key: f.key, entry: f.entry,
                                         readings: topPostings(f.entry, &tops, &pool), fuzzy: true))
                    i = f.end
                    continue
                } else {
                    i = f.end
                    continue
                }
            }
            guard let m = best else { i += 1; continue }
            if m.end == i + 1 && stopWords.contains(t.key) { i += 1; continue }
            // Skip what a time expression already covers ("May", "March").
            if coveredByTime(doc, times, &timeIdx, i..<m.end) { i = m.end; continue }
            // The best few records suffice for filtering (postings are sorted by prior).
            out.append(Candidate(start: i, end: m.end, key: m.key, entry: m.entry, readings: topPostings(m.entry, &tops, &pool),
                                 alsoEntry: alsoFuzzy))
            i = m.end
        }
        var kept = filter(doc, out, pool)
        // Every record of each entry kept, ranked (up to 24), read once per entry: a range of the pool.
        var rankedSlot = GrowingIndexMap(capacity: kept.count)
        for ci in kept.indices where kept[ci].entry >= 0 {
            let e = kept[ci].entry
            var lo: Int, count: Int
            if let packed = rankedSlot[UInt64(e)] {
                lo = packed >> 5
                count = packed & 31
            } else {
                lo = pool.count
                for p in gazetteer.postingRange(e, limit: 24) {
                    let rk = gazetteer.posting(at: p)
                    pool.append(Reading(record: rk.record, kind: rk.kind, prior: prior(rk.record, rk.kind)))
                }
                count = pool.count - lo
                rankedSlot.insert(UInt64(e), lo << 5 | count)
            }
            if kept[ci].alsoEntry >= 0 {
                // Skeleton records after the exact ones, weighed as alternate names (the
                // candidate's own copy of the ranked readings, extended).
                let from = pool.count
                for j in lo..<(lo + count) { pool.append(pool[j]) }
                kept[ci].extraFrom = count
                for p in gazetteer.postingRange(kept[ci].alsoEntry, limit: 8) {
                    let rk = gazetteer.posting(at: p)
                    var known = false
                    for j in from..<pool.count where pool[j].record == rk.record {
                        known = true
                        break
                    }
                    if !known { pool.append(Reading(record: rk.record, kind: .alternate, prior: prior(rk.record, .alternate))) }
                }
                lo = from
                count = pool.count - from
            }
            kept[ci].lo = lo
            kept[ci].count = count
        }
        return kept
    }

    /// A demonym's candidate: its one reading (the country or region, as a curated name).
    func demonymCandidate(_ d: Int, start: Int, end: Int, key: UInt64, _ pool: inout [Reading]) -> Candidate {
        let record = demonymList[d].record
        pool.append(Reading(record: record, kind: .curated, prior: prior(record, .curated)))
        return Candidate(start: start, end: end, key: key, lo: pool.count - 1, count: 1, demonym: d)
    }

    /// Per document: the best four records of each index entry named (names repeat; one range
    /// of the pool each, packed as `lo << 3 | count`).
    struct TopPostings {
        var slot = GrowingIndexMap(capacity: 32)
    }

    /// `gazetteer.postings(entry, limit: 4)` as a range of the pool, read once per entry and document.
    func topPostings(_ entry: Int, _ cache: inout TopPostings, _ pool: inout [Reading]) -> Range<Int> {
        if let packed = cache.slot[UInt64(entry)] { return (packed >> 3)..<((packed >> 3) + (packed & 7)) }
        let lo = pool.count
        for p in gazetteer.postingRange(entry, limit: 4) {
            let rk = gazetteer.posting(at: p)
            pool.append(Reading(record: rk.record, kind: rk.kind, prior: 0))
        }
        cache.slot.insert(UInt64(entry), lo << 3 | (pool.count - lo))
        return lo..<pool.count
    }

    /// Whether a time expression already covers these tokens ("May", "March"); `timeIdx` walks
    /// the (sorted) times forward.
    func coveredByTime(_ doc: Document, _ times: [Mention], _ timeIdx: inout Int, _ range: Range<Int>) -> Bool {
        let span = doc.span(of: range)
        while timeIdx < times.count && times[timeIdx].span.end <= span.start { timeIdx += 1 }
        return timeIdx < times.count && times[timeIdx].span.overlaps(span)
    }

    /// The longest name run from token `i` (capitalized words joined by Arabic article words and
    /// hyphens: "Deir-ez-Zor", "Jisr ash-Shugur", "Khan Shaykun") ending after `minEnd` whose
    /// spelling skeleton the gazetteer indexes (romanized countries only, see `NameSkeleton`).
    /// One pass over the tokens' bytes, no allocation (a letter that does not fold to ASCII ends the run).
    func fuzzyMatch(_ doc: Document, at i: Int, longerThan minEnd: Int) -> (end: Int, entry: Int, key: UInt64)? {
        var cache = SkeletonCache()
        return fuzzyMatch(doc, at: i, longerThan: minEnd, &cache, articles: Self.k.articles)
    }

    /// Per document: the skeleton of each word met first in a run (by token key: the same folded
    /// text gives the same skeleton), with the index entry it names (-1: none), or nil when the
    /// word does not fold to ASCII letters. Names repeat; their letters are read once.
    struct SkeletonCache {
        var slot = GrowingIndexMap(capacity: 32)
        /// (plain data: the builder holds no reference)
        var words: [(builder: NameSkeleton.Builder?, entry: Int)]

        init() {
            words = []
            words.reserveCapacity(32)
        }

        mutating func add(_ key: UInt64, _ builder: NameSkeleton.Builder?, _ entry: Int) {
            slot.insert(key, words.count)
            words.append((builder, entry))
        }
    }

    /// The dash's token key (a plain value: no copy of the key tables).
    static let dashKey = Fold.key("-")

    /// How a run of words read for a spelling skeleton (starting at `i`) treats token `j`:
    /// passed over (a joining dash, an article), read, or the run's end.
    enum RunStep { case skip, word, stop }

    @inline(__always)
    func runStep(_ tokens: [Token], from i: Int, at j: Int, dash: UInt64, articles: KeySet) -> RunStep {
        let t = tokens[j]
        guard j > i else { return articles.contains(t.key) ? .skip : .word }
        if t.flags.contains(.sentenceStart) || t.flags.contains(.boilerplate) { return .stop }
        if t.key == dash, !t.flags.contains(.spaceBefore) { return .skip }
        if t.kind == .word, articles.contains(t.key) { return .skip }
        guard isCapitalizedWord(t), t.flags.contains(.spaceBefore) || tokens[j - 1].key == dash else { return .stop }
        return .word
    }

    /// (`articles`: `Self.k.articles`, passed in by the caller, which reads the key tables once
    /// per document, not once per call)
    func fuzzyMatch(_ doc: Document, at i: Int, longerThan minEnd: Int, _ cache: inout SkeletonCache, articles: KeySet)
        -> (end: Int, entry: Int, key: UInt64)?
    {
        let tokens = doc.tokens
        let n = tokens.count
        let dash = Self.dashKey
        // Acronyms ("HTS", "YPG") are no romanized names; a short word alone cannot reach the
        // skeleton's minimum length (each letter gives at most one character).
        let first = tokens[i]
        if first.flags.contains(.allCaps) && first.length <= 5 { return nil }
        if first.length < NameSkeleton.minimumLength, i + 1 >= n || tokens[i + 1].flags.contains(.sentenceStart)
            || !(tokens[i + 1].key == dash || isCapitalizedWord(tokens[i + 1])
                || (tokens[i + 1].kind == .word && articles.contains(tokens[i + 1].key)))
        {
            return nil
        }
        // Where the run of words could end at most (the same steps as below, no letters read): a
        // run that cannot pass `minEnd` cannot give a longer name (a known name already covers it).
        if minEnd > i {
            var j = i
            while j < n, j - i < 7, runStep(tokens, from: i, at: j, dash: dash, articles: articles) != .stop { j += 1 }
            if j <= minEnd { return nil }
        }
        var builder = NameSkeleton.Builder()
        var best: (end: Int, entry: Int, key: UInt64)?
        var j = i
        doc.bytes.withUnsafeBufferPointer { bytes in
            while j < n, j - i < 7 {
                // a leading article ("Al-Zakah") and joining dashes are no part of the skeleton
                let step = runStep(tokens, from: i, at: j, dash: dash, articles: articles)
                if step == .stop { break }
                if step == .skip {
                    j += 1
                    continue
                }
                let t = tokens[j]
                let span = t.span
                guard span.start >= 0, span.end <= bytes.count else { break }
                if j == i {
                    // the run's first word: from a fresh builder, so its skeleton is the word's own
                    var entry = -1
                    if let s = cache.slot[t.key] {
                        guard let b = cache.words[s].builder else { break }
                        builder = b
                        entry = cache.words[s].entry
                    } else {
                        if !builder.feed(word: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])) {
                            cache.add(t.key, nil, -1)
                            break
                        }
                        if builder.count >= NameSkeleton.minimumLength, let e = gazetteer.entry(builder.key),
                            gazetteer.hasPostings(e)
                        {
                            entry = e
                        }
                        cache.add(t.key, builder, entry)
                    }
                    j += 1
                    if j > minEnd, entry >= 0 { best = (j, entry, builder.key) }
                    continue
                }
                if !builder.feed(word: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])) { break }
                j += 1
                if j > minEnd, builder.count >= NameSkeleton.minimumLength, let e = gazetteer.entry(builder.key),
                    gazetteer.hasPostings(e)
                {
                    best = (j, e, builder.key)
                }
            }
        }
        return best
    }

    /// Context filters: stop words, lower-case uses, sentence starts, surname and title positions.
    func filter(_ doc: Document, _ cands: [Candidate], _ pool: [Reading]) -> [Candidate] {
        doc.tokens.withUnsafeBufferPointer { tokens in
            pool.withUnsafeBufferPointer { pool in filter(tokens, cands, pool) }
        }
    }

    /// What the document does with a one-word name elsewhere (bits of the `singles` map's values).
    static let lowercaseUse = 1, capitalizedInside = 2, person = 4

    func filter(_ tokens: UnsafeBufferPointer<Token>, _ cands: [Candidate], _ pool: UnsafeBufferPointer<Reading>)
        -> [Candidate]
    {
        let k = Self.k
        let g = gazetteer
        // Single-word names, each with what the document does with the word elsewhere: used in
        // lower case, capitalized inside a sentence, used as a surname (after a given name or a
        // title, or before "said"). One concrete map, its values bit sets.
        var singles = GrowingIndexMap(capacity: cands.count)
        for c in cands where c.end - c.start == 1 { singles.insert(tokens[c.start].key, 0) }
        let lowercaseUse = Self.lowercaseUse, capitalizedInside = Self.capitalizedInside, person = Self.person
        if singles.count > 0 {
            // A 1024-bit filter in front of the set: most tokens are not one of the names.
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { bits in
            bits.initialize(repeating: 0)
            for c in cands where c.end - c.start == 1 {
                let key = tokens[c.start].key
                bits[Int((key >> 7) & 15)] |= 1 << ((key >> 11) & 63)
            }
            for i in 0..<tokens.count {
                let t = tokens[i]
                guard t.kind == .word, bits[Int((t.key >> 7) & 15)] & (1 << ((t.key >> 11) & 63)) != 0,
                    singles.contains(t.key)
                else { continue }
                if !t.flags.contains(.capitalized) && !t.flags.contains(.allCaps) {
                    singles.formUnion(t.key, lowercaseUse)
                    continue
                }
                if !t.flags.contains(.sentenceStart) { singles.formUnion(t.key, capitalizedInside) }
                guard i > 0 else { continue }
                var p = i - 1
                if tokens[p].key == k.period, p > 0, !t.flags.contains(.sentenceStart) { p -= 1 }
                let tp = tokens[p]
                if tp.kind == .word && k.titles.contains(tp.key) && isCapitalizedWord(tp) {
                    singles.formUnion(t.key, person)
                } else if p == i - 1 && isCapitalizedWord(tp) && !t.flags.contains(.sentenceStart)
                    && t.flags.contains(.spaceBefore)
                    && (givenNames.contains(tp.key)
                        || (!tp.flags.contains(.sentenceStart) && tp.length > 2
                            && !stopWords.contains(tp.key) && !k.directions.contains(tp.key) && !k.titles.contains(tp.key)
                            && !isBigPlaceName(tp.key) && !isBigPlaceName(t.key)))
                {
                    // "Kelly Moore", "Conor McGregor": the second word is a surname in this document.
                    singles.formUnion(t.key, person)
                }
                // A middle initial before: "Gino D. Bassett" ("D" "." or "D." as one token).
                let p1 = tokens[i - 1]
                if t.flags.contains(.spaceBefore),
                    (p1.key == k.period && i >= 3 && tokens[i - 2].length == 1 && isCapitalizedWord(tokens[i - 2])
                        && isCapitalizedWord(tokens[i - 3]))
                        || (p1.flags.contains(.dottedAbbreviation) && p1.length <= 2 && isCapitalizedWord(p1)
                            && i >= 2 && isCapitalizedWord(tokens[i - 2]))
                {
                    singles.formUnion(t.key, person)
                }
                if givenNames.contains(t.key), i + 1 < tokens.count, isCapitalizedWord(tokens[i + 1]),
                    tokens[i + 1].flags.contains(.spaceBefore), !tokens[i + 1].flags.contains(.sentenceStart),
                    !placeNouns.contains(tokens[i + 1].key)
                {
                    singles.formUnion(t.key, person)  // "Barry Smith", then "Barry" alone
                }
            }
            }
        }
        var out: [Candidate] = []
        out.reserveCapacity(cands.count)
        for var c in cands {
            let single = c.end - c.start == 1
            let t = tokens[c.start]
            if c.demonym >= 0 { out.append(c); continue }
            c.signal = hasSignal(tokens, start: c.start, end: c.end)
            let records = UnsafeBufferPointer(rebasing: pool[c.range])
            let strong = isStrong(records)
            // what the document does with a one-word name elsewhere
            let uses = single ? singles[t.key] ?? 0 : 0
            // Abbreviations ending in a period ("Ga.", "W.Va.") only after "Town, ".
            if c.end - c.start > 1, tokens[c.end - 1].key == k.period,
                records.allSatisfy({ $0.kind == .curated })
            {
                guard c.start >= 2, tokens[c.start - 1].key == k.comma, let prev = out.last, prev.end == c.start - 1 else {
                    continue
                }
            }
            if single {
                if stopWords.contains(t.key) { continue }
                if uses & person != 0 && !c.signal && !strong { continue }
                if uses & person != 0 && givenNames.contains(tokens[max(0, c.start - 1)].key) { continue }
                if uses & lowercaseUse != 0 && !strong { continue }
                if t.flags.contains(.allCaps) && !records.contains(where: { $0.kind == .curated }) {
                    // All-caps words: curated abbreviations ("US", "EU"), or a dateline ("COLUMBUS, Ohio",
                    // "WASHINGTON -"), never acronyms ("NATO", "BA").
                    guard t.length > 3, c.end < tokens.count else { continue }
                    let nk = tokens[c.end].key
                    if !(nk == k.comma || tokens[c.end].kind == .punct || tokens[c.end].flags.contains(.newlineBefore)) { continue }
                }
                if t.flags.contains(.sentenceStart) && !c.signal && !strong && uses & capitalizedInside == 0 {
                    // A capitalized common word opening a sentence: only a known big place is trusted.
                    let big = hasPopulation(records, atLeast: 100_000, exactOnly: true)
                    if !big { continue }
                }
                // Only alternate names or a spelling skeleton: a weak match, keep it only with a signal
                // or as a big place.
                if c.fuzzy || records.allSatisfy({ $0.kind == .alternate }) {
                    let big = hasPopulation(records, atLeast: 200_000, exactOnly: false)
                    if !(c.signal || big) { continue }
                }
            }
            // Inside a longer romanized name the gazetteer lacks: "Suqour al-Sham", "Tahrir Al Sham",
            // "Tal al-Sha'ar" (a capitalized word, an article, then this name) is not the place "Sham";
            // nor is "Sawa" in "Beit Sawa" (a generic name head before it).
            if c.start >= 1, !strong, !t.flags.contains(.sentenceStart) {
                var p = c.start - 1
                // "as", "at", "an" … are English words too: only "al"/"el", or an article joined
                // by a hyphen, count
                var joined = false
                if k.articles.contains(t.key), c.end - c.start > 1 {
                    p = c.start  // the name itself opens with the article ("Al Sham", "Al-Sham")
                    joined = tokens[c.start + 1].key == k.dash
                } else if tokens[p].key == k.dash, !t.flags.contains(.spaceBefore), p >= 1 {
                    p -= 1
                    joined = true
                }
                let pk = tokens[p].key
                if tokens[p].kind == .word, k.articles.contains(pk), joined || pk == k.al || pk == k.el, p >= 1,
                    !tokens[p].flags.contains(.sentenceStart)
                {
                    var q = p - 1
                    if tokens[q].key == k.dash, q >= 1 { q -= 1 }
                    if isCapitalizedWord(tokens[q]), tokens[q].kind == .word, !k.directions.contains(tokens[q].key) { continue }
                }
                let before = tokens[c.start - 1]
                if isCapitalizedWord(before), nameHeads.contains(before.key), t.flags.contains(.spaceBefore)
                    || before.key == k.dash
                {
                    continue
                }
                if c.start >= 2, tokens[c.start - 1].key == k.dash, nameHeads.contains(tokens[c.start - 2].key),
                    isCapitalizedWord(tokens[c.start - 2])
                {
                    continue
                }
            }
            // A big place after a generic name head ("Abu Hama", "Kafr Aleppo", "Jisr Diyala"): the
            // place is the whole name, which the gazetteer lacks
            if c.start >= 1, !t.flags.contains(.sentenceStart), t.flags.contains(.spaceBefore) {
                let before = tokens[c.start - 1]
                if isCapitalizedWord(before), nameHeads.contains(before.key) { continue }
            }
            // A generic name head alone ("Tal", "Jisr", "Khan") followed by a name, or a small place
            // followed by an Arabic article and a name ("Sham al-Hawa"): the place is the whole name,
            // which the gazetteer lacks.
            // ("Al-Sa'an al-Aswad": a name opening with its article counts as one word here)
            let articleHead = k.articles.contains(t.key)
                && (c.end - c.start == 2 || (c.end - c.start == 3 && tokens[c.start + 1].key == k.dash))
            if single || articleHead, c.end + 1 < tokens.count {
                let next = tokens[c.end]
                let article = next.kind == .word && k.articles.contains(next.key)
                let joined = article && (next.key == k.al || next.key == k.el || tokens[c.end + 1].key == k.dash)
                // (a name known best as another place's alternate name is no size guarantee: "Sham al-Hawa")
                let alternateOnly = c.fuzzy || records.first?.kind == .alternate
                if nameHeads.contains(t.key) || (joined && (alternateOnly || (!strong && g.population(records[0].record) < 50_000))) {
                    var q = c.end
                    if next.key == k.dash || article { q += 1 }
                    if q < tokens.count, tokens[q].key == k.dash { q += 1 }
                    if q < tokens.count, isCapitalizedWord(tokens[q]), !tokens[q].flags.contains(.sentenceStart) { continue }
                }
            }
            // Title before ("Mr. Lincoln", "Gov. Perry"): a person.
            if c.start > 0 {
                var p = c.start - 1
                if tokens[p].key == k.period, p > 0 { p -= 1 }
                let tp = tokens[p]
                if tp.kind == .word && k.titles.contains(tp.key) && isCapitalizedWord(tp) { continue }
                // Given name right before: a surname ("Kelly Moore").
                if single && p == c.start - 1 && givenNames.contains(tp.key) && isCapitalizedWord(tp)
                    && !t.flags.contains(.sentenceStart) && !c.signal
                {
                    continue
                }
            }
            if c.end < tokens.count {
                let tn = tokens[c.end]
                let nextIsName = isCapitalizedWord(tn) && tn.flags.contains(.spaceBefore) && !tn.flags.contains(.sentenceStart)
                    && !stopWords.contains(tn.key)
                    && gazetteer.entry(Gazetteer.extend(Gazetteer.seed, tn.key)) == nil
                // A name followed by a place noun is part of a longer name ("Grants Town", "Trump Tower").
                if single && !strong && placeNouns.contains(tn.key) && isCapitalizedWord(tn) && tn.flags.contains(.spaceBefore) {
                    continue
                }
                // A given name used as one ("Jordan Peterson", "Virginia Woolf").
                if single && givenNames.contains(t.key) && isCapitalizedWord(tn) && tn.flags.contains(.spaceBefore)
                    && !tn.flags.contains(.sentenceStart) && !placeNouns.contains(tn.key) && !c.signal
                {
                    continue
                }
                // A small place name followed by another name: part of a person or organization name.
                if single && nextIsName && !strong && !c.signal && g.population(records[0].record) < 100_000 { continue }
                // A name known best as another place's alternate name (its likeliest record matches
                // by an alternate), before another name: an organization named after the place
                // ("Sham Corps", "Sham Legion"), whatever the cue.
                if single && nextIsName && !placeNouns.contains(tn.key) && records.first?.kind == .alternate { continue }
                // "X said": a person, unless X is a country, capital or big place (metonymy).
                if single && !strong && k.speech.contains(tn.key) && !c.signal { continue }
            }
            out.append(c)
        }
        return out
    }

    /// Whether a name's records (other than alternate names) include a country, region, big
    /// division or a city of a million. Loops over `gazetteer`'s fields (a closure would copy it).
    func isStrong(_ records: UnsafeBufferPointer<Reading>) -> Bool {
        for r in records where r.kind != .alternate {
            let p = gazetteer.precision(r.record)
            if p == .country || p == .region || (p == .admin1 && gazetteer.population(r.record) > 500_000)
                || gazetteer.population(r.record) >= 1_000_000
            {
                return true
            }
        }
        return false
    }

    /// Whether some record (`exactOnly`: other than by an alternate name) has this population.
    func hasPopulation(_ records: UnsafeBufferPointer<Reading>, atLeast floor: Int, exactOnly: Bool) -> Bool {
        for r in records where gazetteer.population(r.record) >= floor && !(exactOnly && r.kind == .alternate) {
            return true
        }
        return false
    }

    /// Whether a one-word name is a country, region, division or a place of 50,000 or more
    /// (so the word before a surname is not taken for a given name).
    func isBigPlaceName(_ tokenKey: UInt64) -> Bool {
        // field reads, not a copy of the gazetteer (a copy retains every table it holds)
        guard let e = gazetteer.entry(Gazetteer.extend(Gazetteer.seed, tokenKey)), let top = gazetteer.topRecord(e) else {
            return false
        }
        let p = gazetteer.precision(top)
        return p != .settlement || gazetteer.population(top) >= 50_000
    }

    /// A cue word right before the name ("in X", "the town of X"; "the" and direction words may
    /// come between: "in the Midi desert", "in southern Idleb") or right after it ("X countryside").
    func hasSignal(_ doc: Document, _ c: Candidate) -> Bool {
        doc.tokens.withUnsafeBufferPointer { hasSignal($0, start: c.start, end: c.end) }
    }

    func hasSignal(_ tokens: UnsafeBufferPointer<Token>, start cStart: Int, end cEnd: Int) -> Bool {
        if cEnd < tokens.count, cuesAfter.contains(tokens[cEnd].key) { return true }
        var start = cStart
        var skipped = 0
        let the = Self.k.the
        let directions = Self.k.directions
        while start > 0, skipped < 2, tokens[start - 1].key == the || directions.contains(tokens[start - 1].key) {
            start -= 1
            skipped += 1
        }
        // "the town of al-Qardaha": a lower-case article joined to the name by a hyphen
        if start >= 2, tokens[start - 1].key == Self.k.dash, Self.k.articles.contains(tokens[start - 2].key),
            !tokens[start - 2].flags.contains(.capitalized)
        {
            start -= 2
        }
        // only cues ending in the word before can match
        guard start > 0, let group = cueGroupIndex[tokens[start - 1].key] else { return false }
        for ci in cueGroups[group] where cuesBefore[ci].count <= start {
            let count = cuesBefore[ci].count
            var ok = true
            for j in 0..<count where tokens[start - count + j].key != cuesBefore[ci][j] {
                ok = false
                break
            }
            if ok { return true }
        }
        return false
    }
}

extension PlaceTagger.Candidate {
    /// A name found at tokens `start..<end`, its readings a range of the document's pool.
    init(start: Int, end: Int, key: UInt64, entry: Int, readings: Range<Int>, fuzzy: Bool = false, alsoEntry: Int = -1) {
        self.init(start: start, end: end, key: key, entry: entry, lo: readings.lowerBound, count: readings.count,
                  fuzzy: fuzzy, alsoEntry: alsoEntry)
    }
}
