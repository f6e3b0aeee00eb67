import SitrepAnnotate
import SitrepLanguage
import SitrepText

/// Types incidents in the ACLED taxonomy and fills their arguments; links claims to them.
///
/// Per sentence: trigger phrases (events/triggers.tsv, longest match) add weights to sub-event
/// codes unless a modality cue (negation, threat, call, prediction, purpose, hypothetical) blocks
/// them. Sentences are grouped into incidents (same paragraph and compatible place and date, or
/// same type across paragraphs); an incident's code is the best of its summed scores after the
/// combination rules (events/rules.tsv). Arguments come from the taggers' mentions and the claims.
/// See docs/events-casualties.md.
///
/// Codes, families and rule provenances are interned as small integers when the tables load, so
/// reading a sentence hashes no strings; the tables live in one immutable object shared by
/// every thread (EventIncidents.swift: incidents and their events; EventTriggers.swift: sentence
/// readings and scoring; EventArguments.swift: date, actors, fatalities, claims; EventClaimIndex.swift:
/// claims by sentence; EventLocation.swift: places, with EventPlaceWords.swift and EventEvidence.swift).
public final class EventExtractor: Sendable {
    struct Trigger: Sendable {
        let code: Int
        let weight: Int
        let family: Int
        /// Family id the row needs in its sentence (-1: none).
        let requires: Int
        let rule: Int32
        /// Families whose presence suppresses this trigger (from `suppress` rules, precomputed).
        let suppressedBy: FamilySet
    }

    struct Modality: Sendable {
        let kind: String
        let window: Int
    }

    /// An `adds` rule: the code also gets `other`'s score when its own is at least `minimum`
    /// and the family condition holds.
    struct Adds: Sendable {
        let other: Int
        let requires: FamilyCondition
        let minimum: Int
    }

    struct Boost: Sendable {
        let code: Int
        let victims: String
        let weight: Int
        let requires: Int
        let rule: String
    }

    let triggers: Lookup<Trigger>
    /// Code names by id; `codeRank` orders ids as their names sort (the tie-break after priority).
    let codeNames: [String]
    let codeRank: [Int]
    let taxonomy: [(type: String, subtype: String)?]
    /// Per code id, its taxonomy type interned (-1: no taxonomy row): compared without strings.
    let typeIDs: [Int]
    /// Tie-break priority by code id (999 when unlisted).
    let priority: [Int]
    /// `adds` rules grouped by their code id in one flat list: code `c`'s rules are
    /// `adds[addsStart[c]..<addsStart[c + 1]]` (read by index: no inner array is retained per code).
    let adds: [Adds]
    let addsStart: [Int]
    let moves: [(code: Int, other: Int)]
    let boosts: [Boost]
    /// Rule provenances by id.
    let ruleNames: [String]
    /// The place of each rule id when the names are sorted (to sort ids as their names sort).
    let ruleRank: [Int]
    /// Rule names in sorted order (index: rank).
    let rankedRuleNames: [String]
    let sides: Lookup<String>
    let modality: Lookup<Modality>
    let denial: Lookup<String>
    let zero: Lookup<String>
    let locatives: KeySet
    let labels: Lookup<(code: Int, rule: Int32)>
    /// Sub-event code for deaths reported without any trigger, by victims (`*`: anyone else).
    let fallbackCodes: [String: (code: Int, rule: Int32)]
    let relative: KeySet
    let owners: KeySet
    /// Event scenes (`en/events/scenes.tsv`): nouns after a name that make it a container
    /// ("Hama countryside") or a scene ("Sayad town"), before "of <name>" ("the town of X"), and
    /// street nouns ("Baghdad Street" is no Baghdad).
    let containerNouns: KeySet, sceneNouns: KeySet, sceneOf: KeySet, streetNouns: KeySet
    /// Nouns after a name that make it a city holding the scene's quarter ("of Damascus city").
    let urbanNouns: KeySet
    /// Nouns after a name that make it a second-level division ("Sehar district").
    let districtNouns: KeySet
    /// `districtNouns` as filter words (bit `filterSlot(key)`): most tokens are rejected by one bit.
    let districtFilter: [UInt64]
    /// Direction words the scene reader takes as compass parts (`en/places/compass.tsv`).
    let compassWords: [UInt64: CompassPart]
    /// The keys of `compassWords` (a filter tested before the dictionary: `compass(_:)`).
    let compassKeys: KeySet
    /// The place tagger whose gazetteer places compass parts of divisions ("southern Idleb").
    let places: PlaceTagger?
    /// `places` in a shared box: `if let box = placeBox` costs one retain, where `if let places`
    /// copies the whole tagger (a struct of some twenty references) per use.
    let placeBox: PlaceBox?
    /// The union of the starter filters of triggers, modality, zero and denial phrases.
    let startFilter: [UInt64]
    /// The same filters by starter bit, one byte per bit: which of the four tables may start
    /// there (`startZero`, `startModality`, `startDenial`, `startTrigger`); 0 for none. With a
    /// table's bit, `startOneToken` when `startSingle` holds the bit too (a one-token phrase may
    /// start there): one byte tells the scan whether the pair filter must be asked.
    let startTables: [UInt8]
    static let startZero: UInt8 = 1, startModality: UInt8 = 2, startDenial: UInt8 = 4, startTrigger: UInt8 = 8
    static let startOneToken: UInt8 = 16
    /// The union of their one-token-phrase filters and of their (first, second) pair filters: a
    /// token passing `startFilter` (say "the") begins a phrase only if one of these holds.
    let startSingle: [UInt64], startPair: [UInt64]
    /// The three tables above as plain pointers (what `read` scans with).
    let startStore: StartTableStore
    let codeNone: Int, codeTake: Int, codeRetake: Int, codeGovRegains: Int, codeNSAOvertakes: Int
    let familyEngagement: Int, familyRemote: Int, familyEngagementFirst: Int
    let keyColon = Fold.key(":")
    let keyOf = Fold.key("of")
    // clause edges (compared directly: no hashing per token)
    let kComma = Fold.key(","), kSemicolon = Fold.key(";"), kColon = Fold.key(":")
    let kBut = Fold.key("but"), kWhile = Fold.key("while")
    let keyBy = Fold.key("by")
    /// A note's category label outweighs every trigger.
    let labelWeight = 20
    /// A sentence whose strongest trigger weighs at most this ("the attack", "forces", "killed")
    /// follows up the incident reported just before rather than reporting a new one.
    let weakFollowUpWeight = 2
    let passiveMarkers = KeySet([Fold.key("were"), Fold.key("was"), Fold.key("been"), Fold.key("being")])

    public init(triggers: Lexicon, taxonomy: Lexicon, rules: Lexicon, sides: Lexicon, modality: Lexicon,
                denial: Lexicon, zero: Lexicon, locatives: Lexicon, relative: Lexicon, labels: Lexicon,
                scenes: Lexicon, compass: CompassWords, places: PlaceTagger?) throws {
        var codes = Interner()
        var families = Interner()
        var ruleIDs = Interner()
        var taxonomyByName: [String: (type: String, subtype: String)] = [:]
        for row in taxonomy.rows {
            taxonomyByName[row["code"]] = (row["type"], row["subtype"])
            _ = codes.id(row["code"])
        }
        let none = codes.id("NONE")
        var pendingTriggers: [(phrase: String, code: Int, weight: Int, family: String, requires: String, rule: Int32)] = []
        for row in triggers.rows {
            guard let w = Int(row["weight"]) else {
                throw LanguageDataError(file: triggers.name, line: row.line, reason: "weight is not a number")
            }
            let code = row["code"]
            if code != "NONE" && taxonomyByName[code] == nil {
                throw LanguageDataError(file: triggers.name, line: row.line, reason: "unknown code '\(code)'")
            }
            pendingTriggers.append((row["phrase"], codes.id(code), w, row["family"], row["requires"],
                                    Int32(ruleIDs.id(row.provenance))))
        }
        var adds: [(code: Int, other: Int, requires: FamilyCondition, minimum: Int)] = []
        var moves: [(code: Int, other: Int)] = []
        var suppress: [(code: String, family: String)] = []
        var boosts: [Boost] = []
        var fallbackCodes: [String: (code: Int, rule: Int32)] = [:]
        var priorityByName: [String: Int] = [:]
        var order = 0
        for row in rules.rows {
            switch row["kind"] {
            case "adds":
                adds.append((codes.id(row["code"]), codes.id(row["other"]),
                             FamilyCondition(row["requires"], &families), Int(row["weight"]) ?? 1))
            case "moves": moves.append((codes.id(row["code"]), codes.id(row["other"])))
            case "suppress": suppress.append((row["code"], row["requires"]))
            case "boost":
                let requires = row["requires"]
                boosts.append(Boost(code: codes.id(row["code"]), victims: row["other"], weight: Int(row["weight"]) ?? 0,
                                    requires: requires.isEmpty ? -1 : families.id(requires), rule: row.provenance))
            case "fallback": fallbackCodes[row["other"]] = (codes.id(row["code"]), Int32(ruleIDs.id(row.provenance)))
            case "priority":
                priorityByName[row["code"]] = order
                _ = codes.id(row["code"])
                order += 1
            default:
                throw LanguageDataError(file: rules.name, line: row.line, reason: "unknown rule kind '\(row["kind"])'")
            }
        }
        var triggerLookup = Lookup<Trigger>()
        for t in pendingTriggers {
            var suppressedBy = FamilySet()
            for s in suppress where s.code == codes.names[t.code] || s.code == "@" + t.family {
                suppressedBy.insert(families.id(s.family))
            }
            triggerLookup.insert(t.phrase, value: Trigger(
                code: t.code, weight: t.weight, family: families.id(t.family),
                requires: t.requires.isEmpty ? -1 : families.id(t.requires), rule: t.rule, suppressedBy: suppressedBy))
        }
        triggerLookup.finish()
        var sideLookup = Lookup<String>()
        for row in sides.rows { sideLookup.insert(row["phrase"], value: row["side"]) }
        sideLookup.finish()
        var modalityLookup = Lookup<Modality>()
        for row in modality.rows {
            modalityLookup.insert(row["phrase"], value: Modality(kind: row["kind"], window: Int(row["window"]) ?? 4))
        }
        modalityLookup.finish()
        var denialLookup = Lookup<String>()
        for row in denial.rows { denialLookup.insert(row["phrase"], value: row.provenance) }
        denialLookup.finish()
        var zeroLookup = Lookup<String>()
        for row in zero.rows { zeroLookup.insert(row["phrase"], value: row.provenance) }
        zeroLookup.finish()
        var labelLookup = Lookup<(code: Int, rule: Int32)>()
        for row in labels.rows {
            labelLookup.insert(row["label"], value: (codes.id(row["code"]), Int32(ruleIDs.id(row.provenance))))
        }
        labelLookup.finish()
        var relativeKeys: Set<UInt64> = [], ownerKeys: Set<UInt64> = []
        for row in relative.rows {
            if row["kind"] == "owner" { ownerKeys.insert(Fold.key(row["word"])) } else { relativeKeys.insert(Fold.key(row["word"])) }
        }
        codeNone = none
        codeTake = codes.id("TAKE_TERRIT")
        codeRetake = codes.id("RETAKE_TERRIT")
        codeGovRegains = codes.id("GOV_REGAINS_TERIT")
        codeNSAOvertakes = codes.id("NSA_OVERTAKES_TERIT")
        familyEngagement = families.id("engagement")
        familyRemote = families.id("remote")
        familyEngagementFirst = families.id("engagement-first")
        guard families.names.count <= FamilySet.capacity else {
            throw LanguageDataError(
                file: triggers.name, line: 0, reason: "more than \(FamilySet.capacity) trigger families")
        }

        var addsByCode = [[Adds]](repeating: [], count: codes.names.count)
        for a in adds { addsByCode[a.code].append(Adds(other: a.other, requires: a.requires, minimum: a.minimum)) }
        var addsStart = [0]
        for list in addsByCode { addsStart.append(addsStart[addsStart.count - 1] + list.count) }
        let sortedIDs = codes.names.indices.sorted { codes.names[$0] < codes.names[$1] }
        var rank = [Int](repeating: 0, count: codes.names.count)
        for (r, id) in sortedIDs.enumerated() { rank[id] = r }
        var filter = triggerLookup.starterWords
        for words in [modalityLookup.starterWords, zeroLookup.starterWords, denialLookup.starterWords] {
            for k in filter.indices where k < words.count { filter[k] |= words[k] }
        }
        self.startFilter = filter
        // one byte per starter bit (`PhraseTrie.starterBit` is below 0x4000)
        var tables = [UInt8](repeating: 0, count: 0x4000)
        for (flag, words) in [(Self.startZero, zeroLookup.starterWords), (Self.startModality, modalityLookup.starterWords),
                              (Self.startDenial, denialLookup.starterWords), (Self.startTrigger, triggerLookup.starterWords)]
        {
            for b in tables.indices where b >> 6 < words.count && words[b >> 6] & (1 << UInt64(b & 63)) != 0 {
                tables[b] |= flag
            }
        }
        var single = triggerLookup.singleWords
        for words in [modalityLookup.singleWords, zeroLookup.singleWords, denialLookup.singleWords] {
            for k in single.indices where k < words.count { single[k] |= words[k] }
        }
        self.startSingle = single
        // (a one-token phrase's first key is a starter: its bit comes with a table's bit)
        for b in tables.indices where tables[b] != 0 && b >> 6 < single.count && single[b >> 6] & (1 << UInt64(b & 63)) != 0 {
            tables[b] |= Self.startOneToken
        }
        self.startTables = tables
        var pair = triggerLookup.pairWords
        for words in [modalityLookup.pairWords, zeroLookup.pairWords, denialLookup.pairWords] {
            for k in pair.indices where k < words.count { pair[k] |= words[k] }
        }
        self.startPair = pair
        guard tables.count == 0x4000, single.count >= 256, pair.count >= 256 else {
            throw LanguageDataError(file: triggers.name, line: 0, reason: "unexpected phrase filter sizes")
        }
        self.startStore = StartTableStore(tables: tables, pair: pair)
        self.triggers = triggerLookup
        self.codeNames = codes.names
        self.codeRank = rank
        self.taxonomy = codes.names.map { taxonomyByName[$0] }
        var types = Interner()
        self.typeIDs = codes.names.map { name in taxonomyByName[name].map { types.id($0.type) } ?? -1 }
        self.priority = codes.names.map { priorityByName[$0] ?? 999 }
        self.adds = addsByCode.flatMap { $0 }
        self.addsStart = addsStart
        self.moves = moves
        self.boosts = boosts
        self.ruleNames = ruleIDs.names
        var ruleRank = [Int](repeating: 0, count: ruleIDs.names.count)
        for (r, id) in ruleIDs.names.indices.sorted(by: { ruleIDs.names[$0] < ruleIDs.names[$1] }).enumerated() {
            ruleRank[id] = r
        }
        self.ruleRank = ruleRank
        self.rankedRuleNames = ruleIDs.names.sorted()
        self.sides = sideLookup
        self.modality = modalityLookup
        self.denial = denialLookup
        self.zero = zeroLookup
        self.locatives = KeySet(locatives.rows.map { Fold.key($0["phrase"]) })
        self.labels = labelLookup
        self.fallbackCodes = fallbackCodes
        self.relative = KeySet(relativeKeys)
        self.owners = KeySet(ownerKeys)
        var byRole: [String: [UInt64]] = [:]
        for row in scenes.rows {
            guard ["container", "scene", "scene-of", "street", "urban", "district"].contains(row["role"]) else {
                throw LanguageDataError(file: scenes.name, line: row.line, reason: "unknown role '\(row["role"])'")
            }
            byRole[row["role"], default: []].append(Fold.key(row["word"]))
        }
        self.containerNouns = KeySet(byRole["container"] ?? [])
        self.sceneNouns = KeySet(byRole["scene"] ?? [])
        self.sceneOf = KeySet(byRole["scene-of"] ?? [])
        self.streetNouns = KeySet(byRole["street"] ?? [])
        self.urbanNouns = KeySet(byRole["urban"] ?? [])
        self.districtNouns = KeySet(byRole["district"] ?? [])
        var districtFilter = [UInt64](repeating: 0, count: 1024)
        for key in byRole["district"] ?? [] {
            let (w, bit) = filterSlot(key)
            districtFilter[w] |= bit
        }
        self.districtFilter = districtFilter
        self.compassWords = compass.scene
        self.compassKeys = KeySet(compass.scene.keys)
        self.places = places
        self.placeBox = places.map(PlaceBox.init)
    }

    /// The English tables; `places` is the tagger whose gazetteer the annotator used.
    public static func english(places: PlaceTagger? = nil) throws -> EventExtractor {
        try EventExtractor(
            triggers: LanguageResources.lexicon("en/events/triggers.tsv", required: ["phrase", "code", "weight"]),
            taxonomy: LanguageResources.lexicon("en/events/taxonomy.tsv", required: ["code", "type", "subtype"]),
            rules: LanguageResources.lexicon("en/events/rules.tsv", required: ["kind", "code"]),
            sides: LanguageResources.lexicon("en/events/sides.tsv", required: ["phrase", "side"]),
            modality: LanguageResources.lexicon("en/events/modality.tsv", required: ["phrase", "kind", "window"]),
            denial: LanguageResources.lexicon("en/events/denial.tsv", required: ["phrase"]),
            zero: LanguageResources.lexicon("en/casualties/zero.tsv", required: ["phrase"]),
            locatives: LanguageResources.lexicon("en/events/locatives.tsv", required: ["phrase"]),
            relative: LanguageResources.lexicon("en/events/relative.tsv", required: ["word", "kind"]),
            labels: LanguageResources.lexicon("en/events/labels.tsv", required: ["label", "code"]),
            scenes: LanguageResources.lexicon("en/events/scenes.tsv", required: ["word", "role"]),
            compass: CompassWords.english.get(),
            places: places ?? PlaceTagger.english())
    }
}

/// The trigger scan's filter tables (`EventExtractor.startTables`, whose `startOneToken` bits
/// stand for `startSingle`, and `startPair`) copied into memory the extractor owns, read through
/// a view of plain pointers: reading a sentence retains no array (retains and releases per
/// sentence, on arrays every thread shares, were the scan's set-up).
final class StartTableStore: @unchecked Sendable {
    let view: StartTableView

    init(tables: [UInt8], pair: [UInt64]) {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(1, tables.count))
        t.initialize(from: tables, count: tables.count)
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(1, pair.count))
        p.initialize(from: pair, count: pair.count)
        view = StartTableView(tables: UnsafePointer(t), pair: UnsafePointer(p))
    }

    deinit {
        UnsafeMutablePointer(mutating: view.tables).deallocate()
        UnsafeMutablePointer(mutating: view.pair).deallocate()
    }
}

/// Pointers into a `StartTableStore` (valid while the extractor holding the store lives):
/// `tables` has 0x4000 bytes, `pair` 256 words (bits below 0x4000).
struct StartTableView: @unchecked Sendable {
    let tables: UnsafePointer<UInt8>
    let pair: UnsafePointer<UInt64>
}
