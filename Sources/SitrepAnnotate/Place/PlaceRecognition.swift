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
    /// `scratch`: the document's working storage (`scratch.votes` and `scratch.pool` hold the
    /// votes and readings after).
    /// `marks`: the document's start marks (names start only at `StartMarks.placeWord` tokens).
    /// The list returned is the scratch's `kept` storage: the caller hands it back (`scratch.kept`).
    func recognize(_ doc: Document, times: [Mention], marks: UnsafeBufferPointer<UInt8>, _ scratch: inout PlaceScratch)
        -> [Candidate]
    {
        // (the candidate lists lent by the scratch: no allocation per document)
        var found: [Candidate] = [], kept: [Candidate] = []
        swap(&found, &scratch.found)
        swap(&kept, &scratch.kept)
        found.removeAll(keepingCapacity: true)
        kept.removeAll(keepingCapacity: true)
        // (the tokens and bytes as buffers for the whole pass: no bounds checks or reference
        // counting per token, and the skeleton matcher reads them in place)
        doc.tokens.withUnsafeBufferPointer { tokens in
            doc.bytes.withUnsafeBufferPointer { bytes in
                recognize(doc, tokens, bytes, marks, times: times, votes: &scratch.votes, pool: &scratch.pool,
                          skeletons: &scratch.skeletons, tops: &scratch.tops, singles: &scratch.singles,
                          ranked: &scratch.ranked, priors: &scratch.priors, found: &found, kept: &kept)
            }
        }
        swap(&found, &scratch.found)
        return kept
    }

    func recognize(_ doc: Document, _ tokens: UnsafeBufferPointer<Token>, _ bytes: UnsafeBufferPointer<UInt8>,
                   _ marks: UnsafeBufferPointer<UInt8>, times: [Mention], votes: inout [Int], pool: inout [Reading], skeletons: inout SkeletonTable,
                   tops: inout GrowingIndexMap, singles: inout GrowingIndexMap, ranked rankedSlot: inout GrowingIndexMap,
                   priors: inout PriorCache, found out: inout [Candidate], kept: inout [Candidate])
    {
        let g = gazetteer
        let k = Self.k
        var i = 0
        let n = tokens.count
        // (room for the usual share of names, so the lists rarely grow)
        out.reserveCapacity(n / 16 + 8)
        var timeIdx = 0
        while i < n {
            // the next capitalized or all-caps word outside boilerplate (marks skipped eight at a time)
            i = StartMarks.next(marks, from: i, to: n, want: StartMarks.placeWord)
            if i >= n { break }
            let t = tokens[i]
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
                } else if let f = fuzzyMatch(tokens, bytes, at: i, longerThan: i, &skeletons, articles: k.articleKeys, dash: k.dash), f.end > i + 1 || !stopWords.contains(t.key) {
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
            if let f = fuzzyMatch(tokens, bytes, at: i, longerThan: fuzzyFloor, &skeletons, articles: k.articleKeys, dash: k.dash), f.end > i + 1 || !stopWords.contains(t.key) {
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
        pool.withUnsafeBufferPointer { filter(tokens, out, $0, singles: &singles, into: &kept) }
        // Every record of each entry kept, ranked (up to 24), read once per entry: a range of the pool.
        rankedSlot.reset(capacity: kept.count)
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
                    pool.append(Reading(record: rk.record, kind: rk.kind, prior: priors.prior(rk.record, rk.kind, self)))
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
                    if !known {
                        pool.append(Reading(record: rk.record, kind: .alternate, prior: priors.prior(rk.record, .alternate, self)))
                    }
                }
                lo = from
                count = pool.count - from
            }
            kept[ci].lo = lo
            kept[ci].count = count
        }
    }

    /// A demonym's candidate: its one reading (the country or region, as a curated name).
    func demonymCandidate(_ d: Int, start: Int, end: Int, key: UInt64, _ pool: inout [Reading]) -> Candidate {
        let record = demonymList[d].record
        pool.append(Reading(record: record, kind: .curated, prior: prior(record, .curated)))
        return Candidate(start: start, end: end, key: key, lo: pool.count - 1, count: 1, demonym: d)
    }

    /// `gazetteer.postings(entry, limit: 4)` as a range of the pool, read once per entry and document.
    /// `cache`: per document, the best four records of each index entry named (names repeat; one
    /// range of the pool each, packed as `lo << 3 | count`).
    func topPostings(_ entry: Int, _ cache: inout GrowingIndexMap, _ pool: inout [Reading]) -> Range<Int> {
        if let packed = cache[UInt64(entry)] { return (packed >> 3)..<((packed >> 3) + (packed & 7)) }
        let lo = pool.count
        for p in gazetteer.postingRange(entry, limit: 4) {
            let rk = gazetteer.posting(at: p)
            pool.append(Reading(record: rk.record, kind: rk.kind, prior: 0))
        }
        cache.insert(UInt64(entry), lo << 3 | (pool.count - lo))
        return lo..<pool.count
    }

    /// Whether a time expression already covers these tokens ("May", "March"); `timeIdx` walks
    /// the (sorted) times forward.
    func coveredByTime(_ doc: Document, _ times: [Mention], _ timeIdx: inout Int, _ range: Range<Int>) -> Bool {
        let span = doc.span(of: range)
        while timeIdx < times.count && times[timeIdx].span.end <= span.start { timeIdx += 1 }
        return timeIdx < times.count && times[timeIdx].span.overlaps(span)
    }
}

extension PlaceTagger.Candidate {
    /// A name found at tokens `start..<end`, its readings a range of the document's pool.
    init(start: Int, end: Int, key: UInt64, entry: Int, readings: Range<Int>, fuzzy: Bool = false, alsoEntry: Int = -1) {
        self.init(start: start, end: end, key: key, entry: entry, lo: readings.lowerBound, count: readings.count,
                  fuzzy: fuzzy, alsoEntry: alsoEntry)
    }
}
