import Foundation
import SitrepGazetteer
import SitrepLanguage
import SitrepText

/// Recognizes place names and resolves them against the gazetteer in the document's context.
///
/// Recognition: at each capitalized word one hash probe into the gazetteer's phrase-key table;
/// a hit is extended token by token while a longer name starts with it. Context then drops
/// stop words and phrases (persons, organizations), names used elsewhere in lower case, doubtful
/// sentence-initial words, and surname positions. Resolution scores each candidate record: a
/// population prior, feature class and capital status, the countries and divisions the document
/// names, "X, Y" containment, proximity to the document's other places; two names joined by
/// "or" / "known as" / "called" / brackets resolve to one place and are reported as aliases.
public struct PlaceTagger: Sendable {
    public let gazetteer: Gazetteer
    /// Phrase keys of stop phrases (never places), with their token lengths.
    let stopPhrases: KeySet
    let stopPrefixes: KeySet
    /// Token keys of words never taken as a place on their own.
    let stopWords: KeySet
    /// Prior bonus per gazetteer feature code index (capitals and division seats).
    let featureBonus: [Double]
    /// Nouns that, after a name, make a longer name the gazetteer lacks ("Grants Town").
    let placeNouns: KeySet
    /// Token keys of common given names: the capitalized word after one is a surname.
    let givenNames: KeySet
    /// Cue phrases (as token-key sequences) that signal a place before / after a name.
    let cuesBefore: [[UInt64]]
    let cuesAfter: KeySet
    /// Demonym token key → country record (only when `demonymsAsPlaces`).
    /// Demonym key → index into `demonymList` (a concrete integer map: no generic dispatch or
    /// reference counting per probe).
    let demonymIndex: IndexMap
    let demonymList: [Demonym]
    /// Tag demonyms ("French") as mentions of their country. Off by default: in sitrep's output a
    /// demonym is an actor attribute, not a place (see docs/places.md).
    public var demonymsAsPlaces: Bool

    public init(gazetteer: Gazetteer, stop: Lexicon? = nil, signals: Lexicon? = nil, givenNames: Lexicon? = nil,
                demonyms: Lexicon? = nil, regionAdjectives: Lexicon? = nil, demonymsAsPlaces: Bool = false) {
        self.gazetteer = gazetteer
        featureBonus = gazetteer.featureCodes.map { ["PPLC": 1.5, "PPLA": 0.8, "PPLA2": 0.3][$0] ?? 0 }
        self.givenNames = KeySet((givenNames?.rows ?? []).map { Fold.key($0["name"]) })
        var phrases: [UInt64: Int] = [:]
        var prefixes = Set<UInt64>()
        var words = Set<UInt64>()
        var nouns = Set<UInt64>()
        for row in stop?.rows ?? [] {
            let keys = TokenTrie<Int>.keys(of: row["text"])
            guard !keys.isEmpty else { continue }
            if row["kind"] == "word" {
                words.insert(keys[0])
            } else if row["kind"] == "place-noun" {
                words.insert(keys[0])
                nouns.insert(keys[0])
            } else {
                var h = Gazetteer.seed
                for (j, k) in keys.enumerated() {
                    h = Gazetteer.extend(h, k)
                    if j < keys.count - 1 { prefixes.insert(h) }
                }
                phrases[h] = keys.count
            }
        }
        stopPhrases = KeySet(phrases.keys)
        stopPrefixes = KeySet(prefixes)
        stopWords = KeySet(words)
        placeNouns = KeySet(nouns)
        var before: [[UInt64]] = [], after = Set<UInt64>()
        for row in signals?.rows ?? [] {
            let keys = TokenTrie<Int>.keys(of: row["cue"])
            guard !keys.isEmpty else { continue }
            if row["position"] == "after" { after.insert(keys[0]) } else { before.append(keys) }
        }
        cuesBefore = before
        cuesAfter = KeySet(after)
        var dem: [UInt64: (record: Int, provenance: String)] = [:]
        if let demonyms {
            var byCode: [String: Int] = [:]
            for (i, cc) in gazetteer.countryCodes.enumerated() where gazetteer.countryRecord[i] >= 0 {
                byCode[cc] = Int(gazetteer.countryRecord[i])
            }
            let codeColumn = demonyms.columns.first { $0 != "demonym" && ($0.contains("iso") || $0.contains("country")) }
            let written = Set(demonyms.rows.map { $0["demonym"] })
            for row in demonyms.rows {
                // Plural nouns for people ("Armenians") are not modifiers of places: skipped.
                let d = row["demonym"]
                if d.hasSuffix("s"), written.contains(String(d.dropLast())) { continue }
                guard let key = Self.demonymKey(d), let col = codeColumn, let r = byCode[row[col].uppercased()] else {
                    continue
                }
                dem[key] = (r, row.provenance)
            }
        }
        for row in regionAdjectives?.rows ?? [] {
            guard let key = Self.demonymKey(row["adjective"]), dem[key] == nil else { continue }
            let region = gazetteer.lookup(row["region"]).first { gazetteer.precision($0.record) == .region }
            if let region { dem[key] = (region.record, row.provenance) }
        }
        let sortedDem = dem.sorted { $0.key < $1.key }
        demonymList = sortedDem.map { Demonym(record: $0.value.record, provenance: $0.value.provenance) }
        demonymIndex = IndexMap(sortedDem.enumerated().map { ($0.element.key, $0.offset) })
        self.demonymsAsPlaces = demonymsAsPlaces
    }

    /// One-word demonyms are keyed by their token key, two-word ones by their phrase key.
    static func demonymKey(_ text: String) -> UInt64? {
        let keys = TokenTrie<Int>.keys(of: text)
        switch keys.count {
        case 1: return keys[0]
        case 2: return Gazetteer.extend(Gazetteer.extend(Gazetteer.seed, keys[0]), keys[1])
        default: return nil
        }
    }

    static let shared: Result<PlaceTagger, any Error> = Result {
        let g = try Gazetteer.bundled()
        let stop = try LanguageResources.lexicon("en/places/stop.tsv", required: ["text", "kind"])
        let signals = try LanguageResources.lexicon("en/places/signals.tsv", required: ["cue", "position"])
        // The demonym lexicon belongs to the actor tagger; places use it only when it is present.
        let given = try LanguageResources.lexicon("en/places/given-names.tsv", required: ["name"])
        let demonyms = try? LanguageResources.lexicon("en/actors/demonyms.tsv")
        let regions = try LanguageResources.lexicon("en/places/region-adjectives.tsv", required: ["adjective", "region"])
        // Demonyms are tagged as country mentions (rule "demonym:…") unless SITREP_PLACE_DEMONYMS=0.
        let useDemonyms = ProcessInfo.processInfo.environment["SITREP_PLACE_DEMONYMS"] != "0"
        return PlaceTagger(gazetteer: g, stop: stop, signals: signals, givenNames: given, demonyms: demonyms,
                           regionAdjectives: regions,
                           demonymsAsPlaces: useDemonyms)
    }

    /// The bundled gazetteer and English place lexicons, loaded once per process and shared.
    public static func english() throws -> PlaceTagger {
        try shared.get()
    }

    struct Demonym: Sendable {
        let record: Int
        let provenance: String
    }

    // MARK: - per-document types

    struct Candidate {
        var start: Int  // token range
        var end: Int
        var key: UInt64
        /// Gazetteer index entry (-1 for demonyms).
        var entry = -1
        /// The best few records while filtering; all ranked records (up to 24) after.
        var records: [(record: Int, kind: NameKind)]
        var priors: [Double] = []
        var signal = false
        var demonym: String?  // provenance when this is a demonym
        var chosen = -1
        var rule = "prior"
        var group = -1
        /// Whether the document supports the chosen record beyond its prior.
        var supported = false
    }

    static let k = Keys()

    struct Keys {
        let comma = Fold.key(",")
        let or = Fold.key("or")
        let asKey = Fold.key("as")
        let called = Fold.key("called")
        let named = Fold.key("named")
        let aka = Fold.key("aka")
        let openParen = Fold.key("(")
        let close = Fold.key(")")
        let dash = Fold.key("-")
        let period = Fold.key(".")
        let apostropheS = Fold.key("'s")
        let speech = KeySet(
            ["said", "says", "told", "added", "wrote", "explained", "stated", "argued", "noted", "asked", "replied"]
                .map { Fold.key($0) })
        let connectors = KeySet(
            ["of", "de", "del", "la", "le", "du", "des", "the", "on", "upon", "al", "el", "am", "an", "der", "sur",
             "en", "and", "y", "-", "'", ".", "da", "do", "dos", "di", "au", "aux", "lès", "les", "sous", "im", "bei", "ad", "as", "ar", "at"]
                .map { Fold.key($0) })
        let titles = KeySet(
            ["mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "senator", "governor", "mayor", "judge",
             "sir", "lord", "lady", "gen", "general", "col", "capt", "sgt", "lt", "officer", "deputy", "coach",
             "pastor", "rev", "father", "sister", "brother", "miss", "prof", "professor", "minister", "pope", "imam",
             "rabbi", "bishop", "cardinal", "sheikh", "prince", "princess", "king", "queen", "chancellor", "secretary",
             "spokesman", "spokeswoman", "ambassador", "commander", "chief", "detective", "trooper", "councilman",
             "councilwoman", "commissioner", "superintendent", "principal", "dean", "uncle", "aunt", "manager",
             "director", "coach", "attorney", "lawyer", "doctor", "nurse", "reporter", "pastor", "chairman", "chairwoman"]
                .map { Fold.key($0) })
        let directions = KeySet(
            ["north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "greater",
             "upper", "lower", "downtown", "northeast", "northwest", "southeast", "southwest", "new", "old",
             "northeastern", "northwestern", "southeastern", "southwestern", "occupied", "rural", "suburban", "metro"]
                .map { Fold.key($0) })
    }

    // MARK: - tagging

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {
        var cands = recognize(doc, times: annotations.times)
        guard !cands.isEmpty else { return }
        resolve(doc, &cands)
        // A small place the document gives no support for (no signal word, no matching country,
        // division or neighbour) is more likely a name of something else ("Zara", "Li", "Shell").
        let g = gazetteer
        cands.removeAll { c in
            guard c.chosen >= 0, c.demonym == nil, !c.supported, !c.signal else { return false }
            let p = g.precision(c.chosen)
            return (p == .settlement || p == .admin2) && g.population(c.chosen) < 20_000
        }
        emit(doc, cands, into: &annotations)
    }

    func isCapitalizedWord(_ t: Token) -> Bool {
        t.kind == .word && (t.flags.contains(.capitalized) || t.flags.contains(.allCaps))
    }

    func recognize(_ doc: Document, times: [Mention]) -> [Candidate] {
        let tokens = doc.tokens
        let g = gazetteer
        let k = Self.k
        var out: [Candidate] = []
        var i = 0
        let n = tokens.count
        var timeIdx = 0
        while i < n {
            let t = tokens[i]
            guard isCapitalizedWord(t), !t.flags.contains(.boilerplate) else { i += 1; continue }
            // Stop phrases ("Jordan Peterson", "Georgia Tech").
            var h = Gazetteer.extend(Gazetteer.seed, t.key)
            if stopPrefixes.contains(h) || stopPhrases.contains(h) {
                var sh = h, j = i + 1, stopEnd = stopPhrases.contains(h) ? i + 1 : -1
                while j < n, stopPrefixes.contains(sh) {
                    sh = Gazetteer.extend(sh, tokens[j].key)
                    j += 1
                    if stopPhrases.contains(sh) { stopEnd = j }
                }
                if stopEnd > i + 1 { i = stopEnd; continue }
            }
            // Two-word demonyms first ("Sri Lankan", "Central American").
            if demonymsAsPlaces, i + 1 < n, tokens[i + 1].flags.contains(.spaceBefore), isCapitalizedWord(tokens[i + 1]) {
                let k2 = Gazetteer.extend(Gazetteer.extend(Gazetteer.seed, t.key), tokens[i + 1].key)
                if let di = demonymIndex[k2] {
                    let d = demonymList[di]
                    out.append(Candidate(start: i, end: i + 2, key: k2, records: [(d.record, .curated)],
                                         priors: [prior(d.record, .curated)], demonym: d.provenance))
                    i += 2
                    continue
                }
            }
            let demonym = demonymsAsPlaces ? demonymIndex[t.key].map { demonymList[$0] } : nil
            guard let first = g.entry(h) else {
                if let d = demonym {
                    out.append(Candidate(start: i, end: i + 1, key: t.key, records: [(d.record, .curated)], priors: [prior(d.record, .curated)],
                                         demonym: d.provenance))
                }
                i += 1
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
                out.append(Candidate(start: i, end: i + 1, key: t.key, records: [(d.record, .curated)], priors: [prior(d.record, .curated)],
                                     demonym: d.provenance))
                i += 1
                continue
            }
            guard let m = best else { i += 1; continue }
            if m.end == i + 1 && stopWords.contains(t.key) { i += 1; continue }
            // Skip what a time expression already covers ("May", "March").
            let span = doc.span(of: i..<m.end)
            while timeIdx < times.count && times[timeIdx].span.end <= span.start { timeIdx += 1 }
            if timeIdx < times.count && times[timeIdx].span.overlaps(span) { i = m.end; continue }
            // The best few records suffice for filtering (postings are sorted by prior).
            out.append(Candidate(start: i, end: m.end, key: m.key, entry: m.entry, records: g.postings(m.entry, limit: 4)))
            i = m.end
        }
        var kept = filter(doc, out)
        var cache: [Int: (records: [(record: Int, kind: NameKind)], priors: [Double])] = [:]
        for ci in kept.indices where kept[ci].entry >= 0 {
            let e = kept[ci].entry
            let r = cache[e] ?? ranked(e)
            cache[e] = r
            kept[ci].records = r.records
            kept[ci].priors = r.priors
        }
        return kept
    }

    /// Context filters: stop words, lower-case uses, sentence starts, surname and title positions.
    func filter(_ doc: Document, _ cands: [Candidate]) -> [Candidate] {
        let tokens = doc.tokens
        let k = Self.k
        let g = gazetteer
        // Single-word names: is the word also used in lower case in this document?
        var singles = Set<UInt64>()
        for c in cands where c.end - c.start == 1 { singles.insert(tokens[c.start].key) }
        var lowercaseUse = Set<UInt64>()
        var capitalizedInside = Set<UInt64>()
        // Words this document uses as surnames: after a given name or a title, or before "said".
        var person = Set<UInt64>()
        if !singles.isEmpty {
            // A 1024-bit filter in front of the set: most tokens are not one of the names.
            var bloom = [UInt64](repeating: 0, count: 16)
            for key in singles { bloom[Int((key >> 7) & 15)] |= 1 << ((key >> 11) & 63) }
            for (i, t) in tokens.enumerated() where t.kind == .word
                && bloom[Int((t.key >> 7) & 15)] & (1 << ((t.key >> 11) & 63)) != 0 && singles.contains(t.key)
            {
                if !t.flags.contains(.capitalized) && !t.flags.contains(.allCaps) {
                    lowercaseUse.insert(t.key)
                    continue
                }
                if !t.flags.contains(.sentenceStart) { capitalizedInside.insert(t.key) }
                guard i > 0 else { continue }
                var p = i - 1
                if tokens[p].key == k.period, p > 0, !t.flags.contains(.sentenceStart) { p -= 1 }
                let tp = tokens[p]
                if tp.kind == .word && k.titles.contains(tp.key) && isCapitalizedWord(tp) {
                    person.insert(t.key)
                } else if p == i - 1 && isCapitalizedWord(tp) && !t.flags.contains(.sentenceStart)
                    && t.flags.contains(.spaceBefore)
                    && (givenNames.contains(tp.key)
                        || (!tp.flags.contains(.sentenceStart) && tp.length > 2
                            && !stopWords.contains(tp.key) && !k.directions.contains(tp.key) && !k.titles.contains(tp.key)
                            && !isBigPlaceName(tp.key) && !isBigPlaceName(t.key)))
                {
                    // "Kelly Moore", "Conor McGregor": the second word is a surname in this document.
                    person.insert(t.key)
                }
                // A middle initial before: "Gino D. Bassett" ("D" "." or "D." as one token).
                let p1 = tokens[i - 1]
                if t.flags.contains(.spaceBefore),
                    (p1.key == k.period && i >= 3 && tokens[i - 2].length == 1 && isCapitalizedWord(tokens[i - 2])
                        && isCapitalizedWord(tokens[i - 3]))
                        || (p1.flags.contains(.dottedAbbreviation) && p1.length <= 2 && isCapitalizedWord(p1)
                            && i >= 2 && isCapitalizedWord(tokens[i - 2]))
                {
                    person.insert(t.key)
                }
                if givenNames.contains(t.key), i + 1 < tokens.count, isCapitalizedWord(tokens[i + 1]),
                    tokens[i + 1].flags.contains(.spaceBefore), !tokens[i + 1].flags.contains(.sentenceStart),
                    !placeNouns.contains(tokens[i + 1].key)
                {
                    person.insert(t.key)  // "Barry Smith", then "Barry" alone
                }
            }
        }
        var out: [Candidate] = []
        out.reserveCapacity(cands.count)
        for var c in cands {
            let single = c.end - c.start == 1
            let t = tokens[c.start]
            if c.demonym != nil { out.append(c); continue }
            c.signal = hasSignal(doc, c)
            let strong = c.records.contains { r in
                let p = g.precision(r.record)
                return r.kind != .alternate && (p == .country || p == .region || (p == .admin1 && g.population(r.record) > 500_000)
                    || g.population(r.record) >= 1_000_000)
            }
            // Abbreviations ending in a period ("Ga.", "W.Va.") only after "Town, ".
            if c.end - c.start > 1, tokens[c.end - 1].key == k.period,
                c.records.allSatisfy({ $0.kind == .curated })
            {
                guard c.start >= 2, tokens[c.start - 1].key == k.comma, let prev = out.last, prev.end == c.start - 1 else {
                    continue
                }
            }
            if single {
                if stopWords.contains(t.key) { continue }
                if person.contains(t.key) && !c.signal && !strong { continue }
                if person.contains(t.key) && givenNames.contains(tokens[max(0, c.start - 1)].key) { continue }
                if lowercaseUse.contains(t.key) && !strong { continue }
                if t.flags.contains(.allCaps) && !c.records.contains(where: { $0.kind == .curated }) {
                    // All-caps words: curated abbreviations ("US", "EU"), or a dateline ("COLUMBUS, Ohio",
                    // "WASHINGTON -"), never acronyms ("NATO", "BA").
                    guard t.length > 3, c.end < tokens.count else { continue }
                    let nk = tokens[c.end].key
                    if !(nk == k.comma || tokens[c.end].kind == .punct || tokens[c.end].flags.contains(.newlineBefore)) { continue }
                }
                if t.flags.contains(.sentenceStart) && !c.signal && !strong && !capitalizedInside.contains(t.key) {
                    // A capitalized common word opening a sentence: only a known big place is trusted.
                    let big = c.records.contains { g.population($0.record) >= 100_000 && $0.kind != .alternate }
                    if !big { continue }
                }
                // Only alternate names: a weak match, keep it only with a signal or as a big place.
                if c.records.allSatisfy({ $0.kind == .alternate }) {
                    let big = c.records.contains { g.population($0.record) >= 200_000 }
                    if !(c.signal || big) { continue }
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
                if single && nextIsName && !strong && !c.signal && g.population(c.records[0].record) < 100_000 { continue }
                // "X said": a person, unless X is a country, capital or big place (metonymy).
                if single && !strong && k.speech.contains(tn.key) && !c.signal { continue }
            }
            out.append(c)
        }
        return out
    }

    /// Whether a one-word name is a country, region, division or a place of 50,000 or more
    /// (so the word before a surname is not taken for a given name).
    func isBigPlaceName(_ tokenKey: UInt64) -> Bool {
        let g = gazetteer
        guard let e = g.entry(Gazetteer.extend(Gazetteer.seed, tokenKey)), let top = g.topRecord(e) else { return false }
        let p = g.precision(top)
        return p != .settlement || g.population(top) >= 50_000
    }

    func hasSignal(_ doc: Document, _ c: Candidate) -> Bool {
        let tokens = doc.tokens
        if c.end < tokens.count, cuesAfter.contains(tokens[c.end].key) { return true }
        for cue in cuesBefore where cue.count <= c.start {
            var ok = true
            for (j, key) in cue.enumerated() where tokens[c.start - cue.count + j].key != key {
                ok = false
                break
            }
            if ok { return true }
        }
        return false
    }

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

    func resolve(_ doc: Document, _ cands: inout [Candidate]) {
        let g = gazetteer
        let tokens = doc.tokens
        let k = Self.k
        // Each surface name spreads one vote per mention over its candidates' countries (and
        // divisions) by prior; votes are kept per name so a name never counts as evidence for itself.
        var byName: [UInt64: Evidence] = [:]
        var allCountry = [Double](repeating: 0, count: g.countryCodes.count + 1)
        var allAdmin1 = Evidence()  // all names' division votes
        var allMentions = 0.0
        var firstOf: [UInt64: Int] = [:]
        var mentionCount: [UInt64: Double] = [:]
        for (ci, c) in cands.enumerated() {
            if firstOf[c.key] == nil { firstOf[c.key] = ci }
            mentionCount[c.key, default: 0] += 1
        }
        // Names in order of first mention: Dictionary order changes from process to process, and
        // the floating-point votes summed over it must not (deterministic output).
        let firstOrder = firstOf.sorted { $0.value < $1.value }
        for (key, ci) in firstOrder {
            let c = cands[ci]
            let n = mentionCount[key] ?? 1
            var sum = 0.0
            var weights = c.priors.map { pow(10, $0 / 2) }
            for w in weights { sum += w }
            guard sum > 0 else { continue }
            for i in weights.indices { weights[i] *= n / sum }
            var ev = Evidence()
            for (i, rk) in c.records.enumerated() {
                let r = rk.record
                let v = weights[i]
                let country = min(g.country(r), allCountry.count - 1)
                ev.country.append((country, v))
                allCountry[country] += v
                if g.precision(r) == .admin1 {
                    let a = g.admin1(r)
                    ev.admin1.append((a, v))
                    allAdmin1.admin1.append((a, v))
                }
            }
            ev.mentions = n
            allMentions += n
            byName[key] = ev
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
            var proximity: [Double] = []
        }
        var scores: [UInt64: NameScores] = [:]
        for (key, ci) in firstOrder {
            let c = cands[ci]
            var ns = NameScores()
            guard c.demonym == nil else { continue }
            let own = byName[key] ?? Evidence()
            let others = allMentions - own.mentions
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
                    if allAdmin1.vote(admin1: a1) - own.vote(admin1: a1) >= 0.5 {
                        supported = true
                        s += 2.5
                        if 2.5 > top { top = 2.5; why = .admin1 }
                    }
                }
                ns.score.append(s)
                ns.why.append(why)
                ns.top.append(top)
                ns.supported.append(supported)
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
            scores[key] = ns
        }
        // Two rounds: the second adds proximity to the places the first resolved.
        for round in 0..<2 {
            if round > 0 {
                var anchors: [(lat: Double, lon: Double, cosLat: Double, key: UInt64)] = []
                var seenAnchor = Set<Int>()
                for c in cands where c.chosen >= 0 && seenAnchor.insert(c.chosen).inserted {
                    let p = g.precision(c.chosen)
                    guard p == .settlement || p == .admin2 else { continue }
                    let lat = g.lat(c.chosen)
                    anchors.append((lat, g.lon(c.chosen), cos(lat * .pi / 180), c.key))
                }
                if anchors.isEmpty { break }
                for (key, ci) in firstOrder {
                    guard var ns = scores[key] else { continue }
                    let c = cands[ci]
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
                        ns.proximity[i] = near < 100 ? 2.0 : near < 300 ? 1.0 : 0
                    }
                    scores[key] = ns
                }
            }
            var plain: [UInt64: (record: Int, rule: String, supported: Bool)] = [:]
            for ci in 0..<cands.count {
                let c = cands[ci]
                if c.demonym != nil { cands[ci].chosen = c.records[0].record; cands[ci].rule = "demonym"; continue }
                let special = groupOf[ci] >= 0 || !containerHint[ci].isEmpty
                if !special, let done = plain[c.key] {
                    cands[ci].chosen = done.record
                    cands[ci].rule = done.rule
                    cands[ci].supported = done.supported
                    continue
                }
                guard let ns = scores[c.key] else { continue }
                var pool = Array(c.records.indices)
                if groupOf[ci] >= 0 {
                    // Only records every name of the group shares.
                    var shared = pool
                    for cj in 0..<cands.count where groupOf[cj] == groupOf[ci] && cj != ci {
                        shared.removeAll { i in !cands[cj].records.contains { $0.record == c.records[i].record } }
                    }
                    if !shared.isEmpty { pool = shared }
                }
                var best = -1, bestScore = -Double.infinity, bestWhy = Why.prior, bestSupported = false
                for i in pool {
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
                    }
                }
                let rule = (groupOf[ci] >= 0 ? "alias-group;" : "") + bestWhy.name
                cands[ci].chosen = best
                cands[ci].rule = rule
                cands[ci].supported = bestSupported
                cands[ci].group = groupOf[ci]
                if !special { plain[c.key] = (best, rule, bestSupported) }
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

    // MARK: - output

    func emit(_ doc: Document, _ cands: [Candidate], into annotations: inout Annotations) {
        let g = gazetteer
        for (ci, c) in cands.enumerated() where c.chosen >= 0 {
            let r = c.chosen
            let p = g.precision(r)
            let precision: PlaceRef.Precision =
                switch p {
                case .settlement: .settlement
                case .admin2: .admin2
                case .admin1: .admin1
                case .country: .country
                case .region: .region
                }
            let ref = PlaceRef(
                name: g.name(r), geonameid: g.geonameid(r), country: g.countryCode(r), admin1: g.admin1Name(r),
                lat: g.lat(r), lon: g.lon(r), featureCode: g.featureCode(r), precision: precision)
            var aliases: [String] = []
            if c.group >= 0 {
                for (cj, o) in cands.enumerated() where o.group == c.group && cj != ci {
                    let text = doc.text(of: o.start..<o.end)
                    if !aliases.contains(text) && text != doc.text(of: c.start..<c.end) { aliases.append(text) }
                }
            }
            let source = c.demonym.map { "demonym:\($0)" }
                ?? (g.geonameid(r).map { "gazetteer:geonames#\($0)" } ?? "gazetteer:curated:\(g.name(r))")
            annotations.places.append(Mention(
                span: doc.span(of: c.start..<c.end), payload: .place(ref, aliases: aliases),
                rule: "\(source);resolve:\(c.rule)"))
        }
        annotations.places.sort { $0.span < $1.span }
    }
}
