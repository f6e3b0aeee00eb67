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
    let cuesAfter: KeySet
    /// The cues before a name grouped by their last token key (a cue can match only where the
    /// word before the name is its last word): key → index into `cueGroups`, each group a range of
    /// `cueWords`, which holds each cue of the group as its length followed by its token keys.
    let cueGroupIndex: IndexMap
    let cueGroups: [Range<Int>]
    let cueWords: [UInt64]
    /// Demonym token key → country record (only when `demonymsAsPlaces`).
    /// Demonym key → index into `demonymList` (a concrete integer map: no generic dispatch or
    /// reference counting per probe).
    let demonymIndex: IndexMap
    let demonymList: [Demonym]
    /// Named actors (phrase key → index into `actorList`) and the prefixes of their longer names.
    let actorIndex: IndexMap
    let actorPrefixes: KeySet
    let actorList: [ActorName]
    /// Generic words that open Arabic place names ("Kafr", "Tal", "Beit"): `en/places/name-heads.tsv`.
    let nameHeads: KeySet
    /// Compass parts of first-level divisions ("southern Idleb"), from the gazetteer's places.
    let regions: RegionTable
    /// Token key → what the tables above may hold starting with that word (`FirstWord` bits; a
    /// key not in the map starts nothing): one probe per capitalized word instead of one per table.
    let firstWords: IndexMap
    /// Tag demonyms ("French") as mentions of their country. Off by default: in sitrep's output a
    /// demonym is an actor attribute, not a place (see docs/places.md).
    public var demonymsAsPlaces: Bool
    /// Place objects and rule texts made before, shared by all documents (and by copies of the tagger).
    let refCache = PlaceRefCache()
    /// Working storage lent to each document (maps, pools, the skeletons of words read before),
    /// shared by copies of the tagger.
    let scratchPool = ScratchPool<PlaceScratch>()

    public init(gazetteer: Gazetteer, stop: Lexicon? = nil, signals: Lexicon? = nil, givenNames: Lexicon? = nil,
                demonyms: Lexicon? = nil, regionAdjectives: Lexicon? = nil, demonymsAsPlaces: Bool = false,
                actors: Lexicon? = nil, nameHeads: Lexicon? = nil) {
        self.gazetteer = gazetteer
        featureBonus = gazetteer.featureCodes.map { ["PPLC": 1.5, "PPLA": 0.8, "PPLA2": 0.3][$0] ?? 0 }
        self.givenNames = KeySet((givenNames?.rows ?? []).map { Fold.key($0["name"]) })
        var first: [UInt64: Int] = [:]
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
                first[keys[0], default: 0] |= FirstWord.stop
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
        cuesAfter = KeySet(after)
        var groups: [[Int]] = [], groupOf: [UInt64: Int] = [:]
        for (ci, cue) in before.enumerated() {
            guard let last = cue.last else { continue }
            if let g = groupOf[last] { groups[g].append(ci) } else { groupOf[last] = groups.count; groups.append([ci]) }
        }
        var flat: [UInt64] = [], ranges: [Range<Int>] = []
        for group in groups {
            let lo = flat.count
            for ci in group {
                flat.append(UInt64(before[ci].count))
                flat += before[ci]
            }
            ranges.append(lo..<flat.count)
        }
        cueGroups = ranges
        cueWords = flat
        cueGroupIndex = IndexMap(groupOf.map { ($0.key, $0.value) })
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
                Self.markDemonym(d, &first)
                if d.hasSuffix("s"), written.contains(String(d.dropLast())) { continue }
                guard let key = Self.demonymKey(d), let col = codeColumn, let r = byCode[row[col].uppercased()] else {
                    continue
                }
                dem[key] = (r, row.provenance)
            }
        }
        for row in regionAdjectives?.rows ?? [] {
            Self.markDemonym(row["adjective"], &first)
            guard let key = Self.demonymKey(row["adjective"]), dem[key] == nil else { continue }
            let region = gazetteer.lookup(row["region"]).first { gazetteer.precision($0.record) == .region }
            if let region { dem[key] = (region.record, row.provenance) }
        }
        let sortedDem = dem.sorted { $0.key < $1.key }
        demonymList = sortedDem.map { Demonym(record: $0.value.record, provenance: $0.value.provenance) }
        demonymIndex = IndexMap(sortedDem.enumerated().map { ($0.element.key, $0.offset) })
        self.demonymsAsPlaces = demonymsAsPlaces
        // Named actors: every variant with its country (a vote) and whether it masks a place name.
        var countryIdx: [String: Int] = [:]
        for (i, cc) in gazetteer.countryCodes.enumerated() where !cc.isEmpty { countryIdx[cc] = i }
        var actorKeys: [UInt64: ActorName] = [:]
        var aPrefixes = Set<UInt64>()
        for row in actors?.rows ?? [] {
            let country = countryIdx[row.optional("country")?.uppercased() ?? ""] ?? -1
            for variant in row["variants"].split(separator: "|") {
                let keys = TokenTrie<Int>.keys(of: String(variant))
                guard !keys.isEmpty, keys.count <= 8, variant.first?.isUppercase ?? false else { continue }
                var h = Gazetteer.seed
                for (j, key) in keys.enumerated() {
                    h = Gazetteer.extend(h, key)
                    if j < keys.count - 1 { aPrefixes.insert(h) }
                }
                first[keys[0], default: 0] |= FirstWord.actor
                // "Ahrar al-Sham": the name ends in a place name ("Sham") but does not start with one.
                let lastIsPlace = gazetteer.entry(Gazetteer.extend(Gazetteer.seed, keys[keys.count - 1]))
                    .map { gazetteer.hasPostings($0) } ?? false
                let firstIsPlace = gazetteer.entry(Gazetteer.extend(Gazetteer.seed, keys[0]))
                    .map { gazetteer.hasPostings($0) } ?? false
                let masks = keys.count >= 2 && lastIsPlace && !firstIsPlace
                if let old = actorKeys[h], old.country >= 0 { if masks { actorKeys[h]?.masksPlace = true }; continue }
                actorKeys[h] = ActorName(country: country, masksPlace: masks)
            }
        }
        let sortedActors = actorKeys.sorted { $0.key < $1.key }
        actorList = sortedActors.map(\.value)
        actorIndex = IndexMap(sortedActors.enumerated().map { ($0.element.key, $0.offset) })
        actorPrefixes = KeySet(aPrefixes)
        regions = RegionTable(gazetteer)
        for key in sortedDem.map(\.key) { first[key, default: 0] |= FirstWord.demonym }
        firstWords = IndexMap(first.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        self.nameHeads = KeySet((nameHeads?.rows ?? []).map { Fold.key($0["word"]) })
    }

    /// A named actor: its country (index into the gazetteer's country codes, -1 when none) and
    /// whether its name hides a place name that is not its place ("Tahrir al-Sham").
    struct ActorName: Sendable {
        var country: Int
        var masksPlace: Bool
    }

    /// Bits of `firstWords`: the word may open a stop phrase, a named actor, a two-word demonym;
    /// it may be a demonym key itself.
    enum FirstWord {
        static let stop = 1, actor = 2, demonym = 4, demonymPair = 8
    }

    /// Marks the first word of a two-word demonym (a superset: the map is only a prefilter).
    static func markDemonym(_ text: String, _ first: inout [UInt64: Int]) {
        let keys = TokenTrie<Int>.keys(of: text)
        if keys.count == 2 { first[keys[0], default: 0] |= FirstWord.demonymPair }
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
        // Named actors (the actor tagger's lexicon): their countries are context for places.
        let actors = try? LanguageResources.lexicon("en/actors/actors.tsv", required: ["variants"])
        let heads = try LanguageResources.lexicon("en/places/name-heads.tsv", required: ["word"])
        // Demonyms are tagged as country mentions (rule "demonym:…") unless SITREP_PLACE_DEMONYMS=0.
        let useDemonyms = ProcessInfo.processInfo.environment["SITREP_PLACE_DEMONYMS"] != "0"
        return PlaceTagger(gazetteer: g, stop: stop, signals: signals, givenNames: given, demonyms: demonyms,
                           regionAdjectives: regions,
                           demonymsAsPlaces: useDemonyms, actors: actors, nameHeads: heads)
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

    /// One reading of a name: a gazetteer record, how the name is attached to it, and its prior
    /// (set once the name's records are ranked; demonyms at once). Candidates hold ranges of one
    /// per-document pool of readings, so a candidate is plain data: copying one costs no
    /// reference counting, and a name that repeats shares its readings.
    struct Reading {
        var record: Int
        var kind: NameKind
        var prior: Double
    }

    struct Candidate {
        var start: Int  // token range
        var end: Int
        var key: UInt64
        /// Gazetteer index entry (-1 for demonyms).
        var entry = -1
        /// The readings, `pool[lo ..< lo + count]`: the best few records while filtering; all
        /// ranked records (up to 24) after.
        var lo = 0
        var count = 0
        var signal = false
        /// Index into `demonymList` when this is a demonym (-1: none).
        var demonym = -1
        /// Matched by spelling skeleton, not by an exact name.
        var fuzzy = false
        /// A skeleton entry whose records compete with the exact ones (-1 when none).
        var alsoEntry = -1
        /// Records from this index on came from `alsoEntry`.
        var extraFrom = Int.max
        /// The chosen record's country's share of the document's country votes (other names).
        var share = 0.0
        /// The largest share any one country has of the document's country votes.
        var dominantShare = 0.0
        var chosen = -1
        /// What decided the resolution, and whether it was made for an alias group (the rule
        /// text: "demonym" for demonyms, else "alias-group;" when grouped, then the reason).
        var why = Why.prior
        var aliasGroup = false
        var group = -1
        /// Whether the document supports the chosen record beyond its prior.
        var supported = false

        var range: Range<Int> { lo..<(lo + count) }
    }

    static let k = Keys()

    struct Keys {
        let comma = Fold.key(",")
        let or = Fold.key("or")
        let and = Fold.key("and")
        let asKey = Fold.key("as")
        let called = Fold.key("called")
        let named = Fold.key("named")
        let aka = Fold.key("aka")
        let openParen = Fold.key("(")
        let close = Fold.key(")")
        let dash = Fold.key("-")
        let period = Fold.key(".")
        let apostropheS = Fold.key("'s")
        let the = Fold.key("the")
        let al = Fold.key("al")
        let el = Fold.key("el")
        /// Arabic article words inside romanized names ("Jisr ash-Shughur", "Deir ez-Zor").
        let articles = KeySet(NameSkeleton.articles.map { Fold.key($0) })
        let articleKeys = ArticleKeys(NameSkeleton.articles.map { Fold.key($0) })
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
        tag(doc, context: context, into: &annotations, marks: StartMarks.bare.marks(doc.tokens))
    }

    /// `tag` with the document's start marks already read (`Annotator` reads them once for all
    /// taggers): names are looked for only at `StartMarks.placeWord` tokens.
    func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations, marks: [UInt8]) {
        var scratch = scratchPool.take()
        scratch.reset(tokens: doc.tokens.count)
        marks.withUnsafeBufferPointer { marks in
            tag(doc, into: &annotations, marks: marks, &scratch)
        }
        scratchPool.give(consume scratch)  // (moved back, not copied)
    }

    func tag(_ doc: Document, into annotations: inout Annotations, marks: UnsafeBufferPointer<UInt8>,
             _ scratch: inout PlaceScratch) {
        var cands = recognize(doc, times: annotations.times, marks: marks, &scratch)
        defer {
            // the list's storage back to the scratch, for the next document
            cands.removeAll(keepingCapacity: true)
            swap(&cands, &scratch.kept)
        }
        guard !cands.isEmpty else { return }
        let votes = scratch.votes
        resolve(doc, &cands, pool: scratch.pool, actorVotes: votes, &scratch)
        // A small place the document gives no support for (no signal word, no matching country,
        // division or neighbour) is more likely a name of something else ("Zara", "Li", "Shell").
        let g = gazetteer
        // The largest share one country has of the named actors with a country ("QSD fighters",
        // "Houthi forces"): in a short report the actors may be the only hint of where it is.
        var actorDominant = 0.0
        if !votes.isEmpty {
            let sorted = votes.sorted()
            var run = 0
            for (i, c) in sorted.enumerated() {
                run = i > 0 && sorted[i - 1] == c ? run + 1 : 1
                actorDominant = max(actorDominant, Double(run) / Double(sorted.count))
            }
        }
        cands.removeAll { c in
            // A spelling-skeleton match needs support or a cue word, whatever its size, and is a
            // namesake when another country dominates the document ("Modira town in Rural Damascus"
            // is not a skeleton match in Egypt), by its place names or by its named actors.
            if c.fuzzy, c.chosen >= 0, !c.supported,
                !c.signal || (c.end - c.start == 1 && c.share < 0.05 && max(c.dominantShare, actorDominant) >= 0.3)
            {
                return true
            }
            guard c.chosen >= 0, c.demonym < 0, !c.supported else { return false }
            let p = g.precision(c.chosen)
            guard (p == .settlement || p == .admin2) && g.population(c.chosen) < 20_000 else { return false }
            // With a cue word it stays, unless the document's other place names are all in another
            // country ("Olive Branch forces" in a report from Aleppo is no town in Mississippi).
            return !c.signal || (c.share < 0.05 && c.dominantShare >= 0.5)
        }
        emit(doc, cands, into: &annotations, made: &scratch.made)
    }

    // MARK: - output

    func emit(_ doc: Document, _ cands: [Candidate], into annotations: inout Annotations) {
        var made = MadeRefs()
        emit(doc, cands, into: &annotations, made: &made)
    }

    /// `made`: the place objects and rule texts this scratch made or fetched before (a front of
    /// `refCache` read without its lock). A name repeats within a document and across documents:
    /// its reference and rule text are built once per distinct (record, demonym, spelling match,
    /// resolution) and shared after; an alias group's mentions carry their own aliases.
    func emit(_ doc: Document, _ cands: [Candidate], into annotations: inout Annotations, made: inout MadeRefs) {
        annotations.places.reserveCapacity(annotations.places.count + cands.count)
        for ci in cands.indices where cands[ci].chosen >= 0 {
            let r = cands[ci].chosen
            // (the fields the repeated names need, read in place: a copy of the whole candidate costs a block copy)
            let ruleKey = PlaceRefCache.ruleKey(record: r, demonym: cands[ci].demonym, fuzzy: cands[ci].fuzzy,
                                                aliasGroup: cands[ci].aliasGroup, why: cands[ci].why.rawValue)
            if let key = ruleKey, cands[ci].group < 0, !cands[ci].aliasGroup, let m = made[key] {
                annotations.places.append(Mention(span: doc.span(of: cands[ci].start..<cands[ci].end),
                                                  payload: .place(m.ref, aliases: []), rule: m.rule))
                continue
            }
            let c = cands[ci]
            // (the place box and the rule text from the process-wide cache when a document made them before)
            let kept = refCache.lookup(r, rule: ruleKey)
            let ref = kept.box.map { PlaceRef(record: $0) } ?? PlaceRef(record: makePlaceRecord(r))
            var aliases: [String] = []
            if c.group >= 0 {
                for (cj, o) in cands.enumerated() where o.group == c.group && cj != ci {
                    let text = doc.text(of: o.start..<o.end)
                    if !aliases.contains(text) && text != doc.text(of: c.start..<c.end) { aliases.append(text) }
                }
            }
            let text = kept.rule ?? ruleText(record: r, c, ref)
            if kept.box == nil || (kept.rule == nil && ruleKey != nil) { refCache.store(r, ref.record, rule: ruleKey, text) }
            if let key = ruleKey { made.add(key, ref, text) }
            annotations.places.append(Mention(
                span: doc.span(of: c.start..<c.end), payload: .place(ref, aliases: aliases), rule: text))
        }
        annotations.places.sortBySpan()
    }

    /// The rule text of a resolved name: the gazetteer row or demonym that named it, whether by
    /// spelling skeleton, and what decided the resolution.
    func ruleText(record r: Int, _ c: Candidate, _ ref: PlaceRef) -> String {
        var text = ""
        text.reserveCapacity(80)  // (one allocation for the whole rule text)
        if c.demonym >= 0 {
            text += "demonym:"
            text += demonymList[c.demonym].provenance
        } else if let id = gazetteer.geonameid(r) {
            text += "gazetteer:geonames#"
            text += String(id)
        } else {
            text += "gazetteer:curated:"
            text += ref.name
        }
        if c.fuzzy { text += ";match:spelling-skeleton" }
        text += ";resolve:"
        if c.demonym >= 0 {
            text += "demonym"
        } else {
            if c.aliasGroup { text += "alias-group;" }
            text += c.why.name
        }
        return text
    }
}