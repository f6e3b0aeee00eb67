import Foundation
import SitrepGazetteer
import SitrepLanguage
import SitrepText

// Recognition's context filters: which found names are places here.
extension PlaceTagger {
    /// Context filters: stop words, lower-case uses, sentence starts, surname and title positions.
    func filter(_ doc: Document, _ cands: [Candidate], _ pool: [Reading]) -> [Candidate] {
        doc.tokens.withUnsafeBufferPointer { tokens in
            var singles = GrowingIndexMap(capacity: cands.count)
            var out: [Candidate] = []
            pool.withUnsafeBufferPointer { pool in filter(tokens, cands, pool, singles: &singles, into: &out) }
            return out
        }
    }

    /// What the document does with a one-word name elsewhere (bits of the `singles` map's values).
    static let lowercaseUse = 1, capitalizedInside = 2, person = 4

    /// `singles`: the document's scratch map (emptied here). `out` receives the names kept.
    func filter(_ tokens: UnsafeBufferPointer<Token>, _ cands: [Candidate], _ pool: UnsafeBufferPointer<Reading>,
                singles: inout GrowingIndexMap, into out: inout [Candidate])
    {
        let k = Self.k
        let g = gazetteer
        // Single-word names, each with what the document does with the word elsewhere: used in
        // lower case, capitalized inside a sentence, used as a surname (after a given name or a
        // title, or before "said"). One concrete map, its values bit sets.
        singles.reset(capacity: cands.count)
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
        out.reserveCapacity(cands.count)
        for var c in cands {
            let single = c.end - c.start == 1
            let t = tokens[c.start]
            if c.demonym >= 0 { out.append(c); continue }
            let records = UnsafeBufferPointer(rebasing: pool[c.range])
            c.signal = hasSignal(tokens, start: c.start, end: c.end, k)
            let strong = isStrong(records)
            // what the document does with a one-word name elsewhere
            let uses = single ? singles[t.key] ?? 0 : 0
            // (a spelling-skeleton match, a name known only as another place's alternate name, an
            // acronym or a surname needs a cue of its own: "between Israel and Hamas", "near Jil,
            // Karmir, in", "between Hungary and NATO", "in Korea, and Kennedy faced")
            // (the adjacency to a cued name first: most names follow none)
            if !c.signal, let prev = out.last, prev.signal, prev.end < c.start, c.start - prev.end <= 2, !c.fuzzy,
                uses & person == 0, !t.flags.contains(.allCaps), !records.allSatisfy({ $0.kind == .alternate })
            {
                c.signal = continuesCuedList(tokens, after: out.last, start: c.start, end: c.end, k)
            }
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

    /// Whether the name `start..<end` continues a list the cue before its first item governs: "in
    /// the villages of X, Y and Z", "near X and Y" (the kept name `prev` had a cue and ends right
    /// before a comma, "and", "or" or ", and" that leads to this name, and the name is the whole
    /// item: no capitalized word follows it, as in "Ali Baski"; after a comma, the list goes on).
    func continuesCuedList(_ tokens: UnsafeBufferPointer<Token>, after prev: Candidate?, start: Int, end: Int,
                           _ k: Keys) -> Bool {
        guard let prev, prev.signal, prev.demonym < 0, prev.end < start, start - prev.end <= 2 else { return false }
        if end < tokens.count, isCapitalizedWord(tokens[end]), !tokens[end].flags.contains(.sentenceStart) { return false }
        let first = tokens[prev.end].key
        if start - prev.end == 1 {
            if first == k.and || first == k.or { return true }
            // "X, Y" alone may be a town and its division ("near Jil, Karmir"): after a comma, only
            // where the list goes on ("X, Y, Z", "X, Y and Z")
            guard first == k.comma else { return false }
            return listEndsWithConjunction(tokens, from: end, k)
        }
        let second = tokens[prev.end + 1].key
        return first == k.comma && (second == k.and || second == k.or)
    }

    /// Whether the words from `from` on go on with a list that "and" or "or" closes: ", Z and W",
    /// " and Z" (only names, commas and joining marks before the conjunction, within 16 tokens).
    func listEndsWithConjunction(_ tokens: UnsafeBufferPointer<Token>, from: Int, _ k: Keys) -> Bool {
        var i = from
        while i < tokens.count, i < from + 16 {
            let t = tokens[i]
            if t.key == k.and || t.key == k.or { return true }
            guard t.key == k.comma || t.key == k.dash || k.articles.contains(t.key)
                || (isCapitalizedWord(t) && !t.flags.contains(.sentenceStart))
            else { return false }
            i += 1
        }
        return false
    }

    /// A cue word right before the name ("in X", "the town of X"; "the" and direction words may
    /// come between: "in the Midi desert", "in southern Idleb") or right after it ("X countryside").
    func hasSignal(_ doc: Document, _ c: Candidate) -> Bool {
        doc.tokens.withUnsafeBufferPointer { hasSignal($0, start: c.start, end: c.end, Self.k) }
    }

    /// (`k`: `Self.k`, passed in by the caller, which reads the key tables once per document)
    func hasSignal(_ tokens: UnsafeBufferPointer<Token>, start cStart: Int, end cEnd: Int, _ k: Keys) -> Bool {
        if cEnd < tokens.count, cuesAfter.contains(tokens[cEnd].key) { return true }
        var start = cStart
        var skipped = 0
        while start > 0, skipped < 2, tokens[start - 1].key == k.the || k.directions.contains(tokens[start - 1].key) {
            start -= 1
            skipped += 1
        }
        // "the town of al-Qardaha": a lower-case article joined to the name by a hyphen
        if start >= 2, tokens[start - 1].key == k.dash, k.articles.contains(tokens[start - 2].key),
            !tokens[start - 2].flags.contains(.capitalized)
        {
            start -= 2
        }
        // only cues ending in the word before can match
        guard start > 0, let group = cueGroupIndex[tokens[start - 1].key] else { return false }
        return cueWords.withUnsafeBufferPointer { words in
            guard let w = words.baseAddress, let tp = tokens.baseAddress else { return false }
            var p = cueGroups[group].lowerBound
            let end = cueGroups[group].upperBound
            // (unchecked arithmetic: the group is a range of `cueWords`, each cue its length then
            // that many keys, so `p + j` stays below `end`; a cue is compared only when
            // `count <= start`, so its tokens `start - count ..< start` are in `tokens`)
            while p < end {
                let count = Int(truncatingIfNeeded: w[p])
                p &+= 1
                if count <= start {
                    let from = start &- count
                    var j = 0
                    while j < count && tp[from &+ j].key == w[p &+ j] { j &+= 1 }
                    if j == count { return true }
                }
                p &+= count
            }
            return false
        }
    }
}
