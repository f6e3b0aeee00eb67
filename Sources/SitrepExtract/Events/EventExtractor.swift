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
/// every thread (EventTriggers.swift: sentence readings and scoring; EventArguments.swift:
/// date, actors, fatalities, claims; EventLocation.swift: places).
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
    /// `adds` rules by their code id.
    let addsByCode: [[Adds]]
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
    /// there (`startZero`, `startModality`, `startDenial`, `startTrigger`); 0 for none.
    let startTables: [UInt8]
    static let startZero: UInt8 = 1, startModality: UInt8 = 2, startDenial: UInt8 = 4, startTrigger: UInt8 = 8
    /// The union of their one-token-phrase filters and of their (first, second) pair filters: a
    /// token passing `startFilter` (say "the") begins a phrase only if one of these holds.
    let startSingle: [UInt64], startPair: [UInt64]
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
        self.startTables = tables
        var single = triggerLookup.singleWords
        for words in [modalityLookup.singleWords, zeroLookup.singleWords, denialLookup.singleWords] {
            for k in single.indices where k < words.count { single[k] |= words[k] }
        }
        self.startSingle = single
        var pair = triggerLookup.pairWords
        for words in [modalityLookup.pairWords, zeroLookup.pairWords, denialLookup.pairWords] {
            for k in pair.indices where k < words.count { pair[k] |= words[k] }
        }
        self.startPair = pair
        self.triggers = triggerLookup
        self.codeNames = codes.names
        self.codeRank = rank
        self.taxonomy = codes.names.map { taxonomyByName[$0] }
        var types = Interner()
        self.typeIDs = codes.names.map { name in taxonomyByName[name].map { types.id($0.type) } ?? -1 }
        self.priority = codes.names.map { priorityByName[$0] ?? 999 }
        self.addsByCode = addsByCode
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

    /// What one sentence contributes.
    struct SentenceReading {
        var sentence: Int
        var scores = CodeScores()
        var families = FamilySet()
        var rules: [Int32] = []
        /// The token of the strongest trigger.
        var anchorToken: Int = 0
        var anchorWeight = -1
        var denial = false
        var zero = false
        var location: PlaceRef?
        var date: EventDate?
    }

    struct Incident {
        var sentences: [Int] = []
        var paragraph: Int
        var scores = CodeScores()
        var families = FamilySet()
        var rules: [Int32] = []
        var location: PlaceRef?
        var date: EventDate?
        var anchorSentence: Int
        var anchorToken: Int
        var denial = false
        var zero = false
        var casualties: [Int] = []
    }

    public func extract(
        _ doc: Document, _ annotations: Annotations, casualties: [Casualty], claims: inout [Claim]
    ) -> [Event] {
        let tokens = doc.tokens
        // casualties by sentence (one flat buffer); which sentences hold a cumulative toll
        var cumulativeSentence = [Bool](repeating: false, count: doc.sentences.count)
        var casualtyPairs: [(sentence: Int, index: Int)] = []
        casualtyPairs.reserveCapacity(casualties.count)
        // by index: no casualty is copied (each holds several strings)
        for k in casualties.indices {
            let s = doc.sentenceIndex(ofToken: doc.tokenIndex(atOrAfter: casualties[k].figureSpan.start))
            casualtyPairs.append((s, k))
            if casualties[k].scope == "cumulative" { cumulativeSentence[s] = true }
        }
        let casualtiesBySentence = SentenceLists(sentences: doc.sentences.count, pairs: casualtyPairs)
        // what the scoring asks of each casualty, read once from its strings
        let facts = CasualtyFacts(casualties)
        let anchorDays = annotations.anchor.map(CalendarArithmetic.daysFromCivil)
        var incidents: [Incident] = []
        var pendingDenial = false
        var scratch = ReadScratch(tokens: tokens.count)
        // one reading for every sentence: its buffers (scores, rules) are reused
        var reading = SentenceReading(sentence: 0)
        // the document's evidence points for place readings, read at most once
        var evidence: [EvidencePoint]?
        for (si, sentence) in doc.sentences.enumerated() {
            let range = sentence.tokens
            guard !range.isEmpty, !tokens[range.lowerBound].has(.boilerplate) else { continue }
            read(doc, annotations, si, range, cumulativeSentence: cumulativeSentence[si], into: &reading, &scratch)
            // background history: every date of the sentence lies over a year before the anchor
            if !reading.scores.isEmpty, let anchorDays, let newest = newestDate(doc, annotations, range),
                CalendarArithmetic.daysFromCivil(newest) < anchorDays - 366
            {
                reading.scores.removeAll()
            }
            let best = bestCode(
                reading.scores, families: reading.families, casualties: casualtiesBySentence[si],
                casualtyList: casualties, facts: facts)
            var hasEvent = best.map { $0.code != codeNone && $0.score >= 2 } ?? false
            // a weak sentence ("blamed Armenian forces for the attack") speaks of the incident
            // already reported nearby rather than of a new one
            var weakFollowUp = false
            if hasEvent, reading.anchorWeight <= weakFollowUpWeight, let last = incidents.indices.last,
                let lastSentence = incidents[last].sentences.last,
                doc.sentences[lastSentence].paragraph + 2 >= sentence.paragraph
            {
                hasEvent = false
                weakFollowUp = true
            }
            if !hasEvent {
                // sentences without a trigger still lend casualties, zero statements and denials
                // to the incident of their paragraph
                if let last = incidents.indices.last, incidents[last].paragraph == sentence.paragraph || weakFollowUp {
                    incidents[last].sentences.append(si)
                    if reading.zero { incidents[last].zero = true }
                    if reading.denial { incidents[last].denial = true }
                    for k in casualtiesBySentence[si] where facts.incident(k) {
                        incidents[last].casualties.append(k)
                    }
                } else if reading.denial {
                    pendingDenial = true
                }
                continue
            }
            // arguments only for sentences that report an incident
            reading.location = location(doc, annotations, range, evidence: &evidence)
            reading.date = date(doc, annotations, range, near: reading.anchorToken)
            let code = best?.code ?? codeNone
            if let last = incidents.indices.last, compatible(incidents, last, reading, code: code, paragraph: sentence.paragraph) {
                absorb(reading, into: &incidents[last], casualties: casualtiesBySentence[si], facts)
            } else {
                var inc = Incident(
                    paragraph: sentence.paragraph, anchorSentence: si, anchorToken: reading.anchorToken)
                inc.sentences = [si]
                inc.scores = reading.scores
                inc.families = reading.families
                inc.rules = reading.rules
                inc.location = reading.location
                inc.date = reading.date
                inc.denial = reading.denial
                inc.zero = reading.zero
                for k in casualtiesBySentence[si] where facts.incident(k) { inc.casualties.append(k) }
                incidents.append(inc)
            }
        }
        if pendingDenial, !incidents.isEmpty { incidents[0].denial = true }
        // deaths reported with no trigger at all ("a truck burned out and its driver
        // died"): the first such sentence is an incident typed by who died
        if incidents.isEmpty, let k = casualties.indices.first(where: { facts.killed($0) && facts.incident($0) }),
            let code = fallbackCodes[casualties[k].victims] ?? fallbackCodes["*"],
            !outsideTaxonomy(doc, annotations, casualties[k].figureSpan, &scratch)
        {
            let si = doc.sentenceIndex(ofToken: doc.tokenIndex(atOrAfter: casualties[k].figureSpan.start))
            let range = doc.sentences[si].tokens
            var inc = Incident(paragraph: doc.sentences[si].paragraph, anchorSentence: si, anchorToken: range.lowerBound)
            inc.sentences = [si]
            inc.scores.add(code.code, 2)
            inc.rules = [code.rule]
            inc.location = location(doc, annotations, range, evidence: &evidence)
            inc.date = date(doc, annotations, range, near: range.lowerBound)
            for s2 in si..<doc.sentences.count where doc.sentences[s2].paragraph == inc.paragraph {
                if s2 != si { inc.sentences.append(s2) }
                for k in casualtiesBySentence[s2] where facts.incident(k) { inc.casualties.append(k) }
            }
            incidents.append(inc)
        }

        // fallback location: the paragraph's, then the article's first place
        var events: [Event] = []
        events.reserveCapacity(incidents.count)
        let claimantSpans = claims.map(\.claimantSpan)
        let claimsBySentence = Self.claimIndex(doc, claims)
        // by index, fields read in place: no incident is copied; each event is made in one piece
        // (every field a local first), so it is moved into the list, not copied
        for ii in incidents.indices {
            guard let best = bestCode(incidents[ii].scores, families: incidents[ii].families,
                                      casualties: incidents[ii].casualties[...], casualtyList: casualties, facts: facts),
                best.code != codeNone, let tax = taxonomy[best.code]
            else { continue }
            let sentences = incidents[ii].sentences
            let rules = ruleStrings(incidents[ii].rules) + best.rules
            let evidence = sentences.map { doc.sentences[$0].span }
            let location = incidents[ii].location ?? fallbackLocation(doc, annotations, paragraph: incidents[ii].paragraph)
            // an undated sentence happened on the anchor day, as precise as the anchor: a day for
            // a published date, the estimate's precision (a week, a month) for an estimated one
            let anchorPrecision = annotations.publishedEstimate?.precision ?? .day
            let date = incidents[ii].date ?? annotations.anchor.map { EventDate(start: $0, end: $0, precision: anchorPrecision) }
            let (actor1, actor2) = actors(doc, annotations, claimantSpans, anchorSentence: incidents[ii].anchorSentence,
                                          anchorToken: incidents[ii].anchorToken, type: tax.type)
            var weapons: [WeaponRef] = []
            for s in sentences {
                let span = doc.sentences[s].span
                for m in annotations.weapons.inside(span) {
                    if let w = m.weapon, !weapons.contains(w) { weapons.append(w) }
                }
            }
            let fatalities = fatalities(incidents[ii].casualties, zero: incidents[ii].zero, casualties, facts, doc)
            // claimant and stance from the claims on its sentences
            var stance = "reported"
            var claimant: ActorRef?
            for s in sentences {
                // (fields read in place: no claim is copied)
                for ci in claimsBySentence[s] {
                    if claims[ci].stance == "denies" {
                        stance = "denied"
                    } else if claimant == nil {
                        claimant = claims[ci].claimant
                        if stance == "reported" { stance = "asserted" }
                    }
                }
            }
            if incidents[ii].denial { stance = "denied" }
            events.append(Event(
                type: tax.type, subtype: tax.subtype, actor1: actor1, actor2: actor2, date: date, location: location,
                weapons: weapons, fatalities: fatalities, claimant: claimant, stance: stance, evidence: evidence,
                rules: rules, casualties: incidents[ii].casualties))
        }
        // claims denying another claim deny that claim's event
        linkClaims(doc, &claims, events: &events, casualties: casualties)
        return events
    }

    /// Adds a compatible sentence's reading to the incident, in place.
    /// For each sentence, in list order, the claims whose content overlaps it or whose reporting
    /// verb lies inside it: found per claim by binary search over the sentences, so an article of
    /// many sentences and many claims costs their sum, not their product.
    static func claimsBySentence(_ doc: Document, _ claims: [Claim]) -> [[Int]] {
        let index = claimIndex(doc, claims)
        return (0..<index.count).map { Array(index[$0]) }
    }

    /// `claimsBySentence` in one flat buffer (what `extract` uses).
    static func claimIndex(_ doc: Document, _ claims: [Claim]) -> SentenceLists {
        var pairs: [(sentence: Int, index: Int)] = []
        pairs.reserveCapacity(claims.count + claims.count / 2)
        let sentences = doc.sentences
        let n = sentences.count
        /// The first sentence ending after byte `b`, walked to from `hint` (the answer for the
        /// previous claim: claims come in text order, so the walk is short); sentences end in
        /// order, so this is the sentence a binary search finds.
        func firstEnding(after b: Int, from hint: Int) -> Int {
            var s = Swift.min(Swift.max(hint, 0), n)
            while s > 0 && sentences[s - 1].span.end > b { s -= 1 }
            while s < n && sentences[s].span.end <= b { s += 1 }
            return s
        }
        var contentHint = 0, verbHint = 0
        // per claim, the sentences near its content, then those near its verb: a sentence of the
        // second walk that the first walk tested already was taken then if at all (the test is
        // the same), so it is skipped; no sentence is listed twice
        for ci in claims.indices {
            let content = claims[ci].content, verbSpan = claims[ci].verbSpan
            var s = firstEnding(after: content.start, from: contentHint)
            contentHint = s
            let first = s
            while s < n && sentences[s].span.start <= content.end {
                let span = sentences[s].span
                if content.overlaps(span) || span.contains(verbSpan) { pairs.append((s, ci)) }
                s += 1
            }
            let firstEnd = s
            s = firstEnding(after: verbSpan.start, from: verbHint)
            verbHint = s
            while s < n && sentences[s].span.start <= verbSpan.end {
                if s < first || s >= firstEnd {
                    let span = sentences[s].span
                    if content.overlaps(span) || span.contains(verbSpan) { pairs.append((s, ci)) }
                }
                s += 1
            }
        }
        return SentenceLists(sentences: sentences.count, pairs: pairs)
    }

    func absorb(_ reading: SentenceReading, into inc: inout Incident, casualties here: ArraySlice<Int>, _ facts: CasualtyFacts) {
        inc.sentences.append(reading.sentence)
        inc.scores.add(reading.scores)
        var families = reading.families
        families.remove(familyEngagementFirst)
        inc.families.formUnion(families)
        inc.rules += reading.rules
        if inc.location == nil || (reading.location.map { finer($0, than: inc.location) } ?? false) {
            inc.location = reading.location ?? inc.location
        }
        inc.date = inc.date ?? reading.date
        inc.denial = inc.denial || reading.denial
        inc.zero = inc.zero || reading.zero
        for k in here where facts.incident(k) { inc.casualties.append(k) }
    }

    /// The distinct rule provenances, sorted as strings.
    func ruleStrings(_ ids: [Int32]) -> [String] {
        // ids are distinct exactly when names are: sort and deduplicate by the names' ranks
        var ranked = ids.map { ruleRank[Int($0)] }
        ranked.sort()
        var out: [String] = []
        out.reserveCapacity(ranked.count)
        var previous = -1
        for r in ranked where r != previous {
            out.append(rankedRuleNames[r])
            previous = r
        }
        return out
    }

    /// Whether the reading continues incident `i` of the list (read in place: no incident is copied).
    func compatible(_ incidents: [Incident], _ i: Int, _ r: SentenceReading, code: Int, paragraph: Int) -> Bool {
        if let a = incidents[i].location, let b = r.location, !sameOrContains(a, b) { return false }
        if let a = incidents[i].date, let b = r.date, b.end < a.start || a.end < b.start { return false }
        if incidents[i].paragraph == paragraph { return true }
        // across paragraphs only the same type of incident continues
        guard let mine = bestCode(incidents[i].scores, families: incidents[i].families, casualties: [], casualtyList: [],
                                  facts: CasualtyFacts())
        else { return false }
        let tm = typeIDs[mine.code], tr = typeIDs[code]
        return tm >= 0 && tr >= 0 && tm == tr
    }
}

/// A place tagger held by reference (read in place, never copied).
final class PlaceBox: Sendable {
    let tagger: PlaceTagger

    init(_ tagger: PlaceTagger) { self.tagger = tagger }
}

/// Assigns small integer ids to names in first-seen order.
struct Interner {
    private(set) var names: [String] = []
    private var ids: [String: Int] = [:]

    mutating func id(_ name: String) -> Int {
        if let id = ids[name] { return id }
        let id = names.count
        names.append(name)
        ids[name] = id
        return id
    }
}
