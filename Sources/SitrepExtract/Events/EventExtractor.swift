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
public struct EventExtractor: Sendable {
    struct Trigger: Sendable {
        let code: String
        let weight: Int
        let family: String
        let requires: String
        let rule: String
        /// Families whose presence suppresses this trigger (from `suppress` rules, precomputed).
        var suppressedBy: [String] = []
    }

    struct Modality: Sendable {
        let kind: String
        let window: Int
    }

    var triggers = Lookup<Trigger>()
    var taxonomy: [String: (type: String, subtype: String)] = [:]
    var adds: [(code: String, other: String, requires: String, minimum: Int)] = []
    var moves: [(code: String, other: String)] = []
    /// `adds` rules by their code: one look-up per scored code instead of a pass over every rule.
    var addsByCode: [String: [(other: String, requires: String, minimum: Int)]] = [:]
    var suppress: [(code: String, family: String)] = []
    var boosts: [(code: String, victims: String, weight: Int, requires: String, rule: String)] = []
    var priority: [String: Int] = [:]
    var sides = Lookup<String>()
    var modality = Lookup<Modality>()
    var denial = Lookup<String>()
    var zero = Lookup<String>()
    var locatives: Set<UInt64> = []
    var labels = Lookup<(code: String, rule: String)>()
    let keyColon = Fold.key(":")
    /// Sub-event code for deaths reported without any trigger, by victims (`*`: anyone else).
    var fallbackCodes: [String: (code: String, rule: String)] = [:]
    var relative: Set<UInt64> = []
    var owners: Set<UInt64> = []
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
    let passiveMarkers: Set<UInt64> = [Fold.key("were"), Fold.key("was"), Fold.key("been"), Fold.key("being")]

    public init(triggers: Lexicon, taxonomy: Lexicon, rules: Lexicon, sides: Lexicon, modality: Lexicon,
                denial: Lexicon, zero: Lexicon, locatives: Lexicon, relative: Lexicon, labels: Lexicon) throws {
        for row in taxonomy.rows { self.taxonomy[row["code"]] = (row["type"], row["subtype"]) }
        var pendingTriggers: [(String, Trigger)] = []
        for row in triggers.rows {
            guard let w = Int(row["weight"]) else {
                throw LanguageDataError(file: triggers.name, line: row.line, reason: "weight is not a number")
            }
            let code = row["code"]
            if code != "NONE" && self.taxonomy[code] == nil {
                throw LanguageDataError(file: triggers.name, line: row.line, reason: "unknown code '\(code)'")
            }
            pendingTriggers.append((row["phrase"], Trigger(
                code: code, weight: w, family: row["family"], requires: row["requires"], rule: row.provenance)))
        }
        var order = 0
        for row in rules.rows {
            switch row["kind"] {
            case "adds": adds.append((row["code"], row["other"], row["requires"], Int(row["weight"]) ?? 1))
            case "moves": moves.append((row["code"], row["other"]))
            case "suppress": suppress.append((row["code"], row["requires"]))
            case "boost": boosts.append((row["code"], row["other"], Int(row["weight"]) ?? 0, row["requires"], row.provenance))
            case "fallback": fallbackCodes[row["other"]] = (row["code"], row.provenance)
            case "priority":
                priority[row["code"]] = order
                order += 1
            default:
                throw LanguageDataError(file: rules.name, line: row.line, reason: "unknown rule kind '\(row["kind"])'")
            }
        }
        for (phrase, trigger) in pendingTriggers {
            var t = trigger
            t.suppressedBy = suppress.filter { $0.code == t.code || $0.code == "@" + t.family }.map(\.family)
            self.triggers.insert(phrase, value: t)
        }
        for a in adds { addsByCode[a.code, default: []].append((a.other, a.requires, a.minimum)) }
        for row in sides.rows { self.sides.insert(row["phrase"], value: row["side"]) }
        for row in modality.rows {
            self.modality.insert(row["phrase"], value: Modality(kind: row["kind"], window: Int(row["window"]) ?? 4))
        }
        for row in denial.rows { self.denial.insert(row["phrase"], value: row.provenance) }
        for row in zero.rows { self.zero.insert(row["phrase"], value: row.provenance) }
        for row in locatives.rows { self.locatives.insert(Fold.key(row["phrase"])) }
        for row in labels.rows { self.labels.insert(row["label"], value: (row["code"], row.provenance)) }
        self.labels.finish()
        for row in relative.rows {
            if row["kind"] == "owner" { owners.insert(Fold.key(row["word"])) } else { self.relative.insert(Fold.key(row["word"])) }
        }
        self.triggers.finish()
        self.sides.finish()
        self.modality.finish()
        self.denial.finish()
        self.zero.finish()
    }

    public static func english() throws -> EventExtractor {
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
            labels: LanguageResources.lexicon("en/events/labels.tsv", required: ["label", "code"]))
    }

    /// What one sentence contributes.
    struct SentenceReading {
        var sentence: Int
        var scores: [String: Int] = [:]
        var families: Set<String> = []
        var rules: [String] = []
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
        var scores: [String: Int] = [:]
        var families: Set<String> = []
        var rules: [String] = []
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
        // casualties by sentence
        var casualtiesBySentence = [[Int]](repeating: [], count: doc.sentences.count)
        for (k, c) in casualties.enumerated() {
            let s = doc.sentenceIndex(ofToken: doc.tokenIndex(atOrAfter: c.figureSpan.start))
            casualtiesBySentence[s].append(k)
        }
        var incidents: [Incident] = []
        var pendingDenial: [Int] = []
        for (si, sentence) in doc.sentences.enumerated() {
            let range = sentence.tokens
            guard !range.isEmpty, !tokens[range.lowerBound].has(.boilerplate) else { continue }
            let cumulative = casualtiesBySentence[si].contains { casualties[$0].scope == "cumulative" }
            var reading = read(doc, annotations, si, range, cumulativeSentence: cumulative)
            // background history: every date of the sentence lies over a year before the anchor
            if !reading.scores.isEmpty, let newest = newestDate(doc, annotations, range), let anchor = annotations.anchor,
                CalendarArithmetic.daysFromCivil(newest) < CalendarArithmetic.daysFromCivil(anchor) - 366
            {
                reading.scores = [:]
            }
            let best = bestCode(
                reading.scores, families: reading.families, casualties: casualtiesBySentence[si],
                casualtyList: casualties)
            var hasEvent = best.map { $0.code != "NONE" && $0.score >= 2 } ?? false
            // a weak sentence ("blamed Armenian forces for the attack") speaks of the incident
            // already reported nearby rather than of a new one
            var weakFollowUp = false
            if hasEvent, reading.anchorWeight <= weakFollowUpWeight, let last = incidents.last,
                let lastSentence = last.sentences.last, doc.sentences[lastSentence].paragraph + 2 >= sentence.paragraph
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
                    incidents[last].casualties += casualtiesBySentence[si].filter {
                        casualties[$0].scope == "incident"
                    }
                } else if reading.denial {
                    pendingDenial.append(si)
                }
                continue
            }
            // arguments only for sentences that report an incident
            reading.location = location(doc, annotations, range)
            reading.date = date(doc, annotations, range, near: reading.anchorToken)
            let code = best?.code ?? "NONE"
            if let last = incidents.indices.last, compatible(incidents[last], reading, code: code, paragraph: sentence.paragraph) {
                var inc = incidents[last]
                inc.sentences.append(si)
                for (k, v) in reading.scores { inc.scores[k, default: 0] += v }
                inc.families.formUnion(reading.families.subtracting(["engagement-first"]))
                inc.rules += reading.rules
                if inc.location == nil || (reading.location.map { finer($0, than: inc.location) } ?? false) {
                    inc.location = reading.location ?? inc.location
                }
                inc.date = inc.date ?? reading.date
                inc.denial = inc.denial || reading.denial
                inc.zero = inc.zero || reading.zero
                inc.casualties += casualtiesBySentence[si].filter { casualties[$0].scope == "incident" }
                incidents[last] = inc
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
                inc.casualties = casualtiesBySentence[si].filter { casualties[$0].scope == "incident" }
                incidents.append(inc)
            }
        }
        if !pendingDenial.isEmpty, !incidents.isEmpty { incidents[0].denial = true }
        // deaths reported with no trigger at all ("a vehicle was destroyed and its crew was
        // killed"): the first such sentence is an incident typed by who died
        if incidents.isEmpty, let k = casualties.firstIndex(where: { $0.outcome == "killed" && $0.scope == "incident" }),
            let code = fallbackCodes[casualties[k].victims] ?? fallbackCodes["*"],
            !outsideTaxonomy(doc, annotations, casualties[k].figureSpan)
        {
            let si = doc.sentenceIndex(ofToken: doc.tokenIndex(atOrAfter: casualties[k].figureSpan.start))
            let range = doc.sentences[si].tokens
            var inc = Incident(paragraph: doc.sentences[si].paragraph, anchorSentence: si, anchorToken: range.lowerBound)
            inc.sentences = [si]
            inc.scores = [code.code: 2]
            inc.rules = [code.rule]
            inc.location = location(doc, annotations, range)
            inc.date = date(doc, annotations, range, near: range.lowerBound)
            for s2 in si..<doc.sentences.count where doc.sentences[s2].paragraph == inc.paragraph {
                if s2 != si { inc.sentences.append(s2) }
                inc.casualties += casualtiesBySentence[s2].filter { casualties[$0].scope == "incident" }
            }
            incidents.append(inc)
        }

        // fallback location: the paragraph's, then the article's first place
        var events: [Event] = []
        for inc in incidents {
            guard let best = bestCode(inc.scores, families: inc.families, casualties: inc.casualties, casualtyList: casualties),
                best.code != "NONE", let tax = taxonomy[best.code]
            else { continue }
            var event = Event(type: tax.type, subtype: tax.subtype)
            event.rules = Array(Set(inc.rules)).sorted() + best.rules
            event.evidence = inc.sentences.map { doc.sentences[$0].span }
            event.location = inc.location ?? fallbackLocation(doc, annotations, paragraph: inc.paragraph)
            event.date = inc.date ?? annotations.anchor.map { EventDate(start: $0, end: $0, precision: .day) }
            (event.actor1, event.actor2) = actors(doc, annotations, claims, inc, type: tax.type)
            var weapons: [WeaponRef] = []
            for s in inc.sentences {
                let span = doc.sentences[s].span
                for m in annotations.weapons.inside(span) {
                    if let w = m.weapon, !weapons.contains(w) { weapons.append(w) }
                }
            }
            event.weapons = weapons
            event.casualties = inc.casualties
            event.fatalities = fatalities(inc, casualties, doc)
            // claimant and stance from the claims on its sentences
            var stance = "reported"
            for s in inc.sentences {
                let span = doc.sentences[s].span
                for c in claims where c.content.overlaps(span) || span.contains(c.verbSpan) {
                    if c.stance == "denies" {
                        stance = "denied"
                    } else if event.claimant == nil {
                        event.claimant = c.claimant
                        if stance == "reported" { stance = "asserted" }
                    }
                }
            }
            if inc.denial { stance = "denied" }
            event.stance = stance
            events.append(event)
        }
        // claims denying another claim deny that claim's event
        linkClaims(doc, &claims, events: &events, casualties: casualties)
        return events
    }

    /// True when the paragraph holding `span` speaks of a disaster, crime or diplomacy (a NONE cue).
    func outsideTaxonomy(_ doc: Document, _ annotations: Annotations, _ span: Span) -> Bool {
        let paragraph = doc.sentences[doc.sentenceIndex(ofToken: doc.tokenIndex(atOrAfter: span.start))].paragraph
        for p in doc.sentences.indices where doc.sentences[p].paragraph == paragraph {
            if read(doc, annotations, p, doc.sentences[p].tokens, cumulativeSentence: false).scores["NONE"] != nil {
                return true
            }
        }
        return false
    }

    /// Reads one sentence: trigger scores (modality-filtered), denial, zero statement, place, date.
    func read(_ doc: Document, _ annotations: Annotations, _ si: Int, _ range: Range<Int>, cumulativeSentence: Bool)
        -> SentenceReading
    {
        let tokens = doc.tokens
        var r = SentenceReading(sentence: si)
        var blockUntil = -1
        // a coder's category label opening the paragraph: "Arrests: ..."
        if range.lowerBound == doc.paragraphs[doc.sentences[si].paragraph].tokens.lowerBound,
            let m = labels.longestMatch(tokens, at: range.lowerBound, limit: range.upperBound),
            m.end < range.upperBound, tokens[m.end].key == keyColon, let label = m.values.first
        {
            r.scores[label.code, default: 0] += labelWeight
            r.rules.append(label.rule)
            r.anchorWeight = labelWeight
            r.anchorToken = range.lowerBound
        }
        // per trigger position, its phrases shortest first: a longer phrase whose rows all fail
        // their requirements gives way to the shorter one ("were detained" outside a protest)
        var groups: [(at: Int, levels: [[Int32]])] = []
        var families: Set<String> = []
        var i = range.lowerBound
        while i < range.upperBound {
            let key = tokens[i].key
            if key == kComma || key == kSemicolon || key == kColon || key == kBut || key == kWhile { blockUntil = -1 }
            if !(triggers.mayStart(key) || modality.mayStart(key) || zero.mayStart(key) || denial.mayStart(key)) {
                i += 1
                continue
            }
            if let m = zero.longestMatch(tokens, at: i, limit: range.upperBound), !m.values.isEmpty {
                r.zero = true
                i = m.end
                continue
            }
            if let m = modality.longestMatch(tokens, at: i, limit: range.upperBound), let c = m.values.first {
                // a modality cue may itself begin a trigger phrase ("no"): prefer the longer
                let t = triggers.longestMatch(tokens, at: i, limit: range.upperBound)
                if t == nil || t?.end ?? 0 <= m.end {
                    blockUntil = m.end + c.window
                    i = m.end
                    continue
                }
            }
            if let m = denial.longestMatch(tokens, at: i, limit: range.upperBound), !m.values.isEmpty {
                // "denied firing at the city": what follows a denial is the denied incident,
                // not a new one
                r.denial = true
                blockUntil = m.end + 8
                i = m.end
                continue
            }
            let all = triggers.allMatchIndices(tokens, at: i, limit: range.upperBound)
            if let longest = all.last {
                if i >= blockUntil {
                    let levels = cumulativeSentence
                        ? all.map { level in
                            level.values.filter { triggers[$0].weight >= 4 || triggers[$0].code == "NONE" }
                        }
                        : all.map(\.values)
                    for t in levels.last ?? [] { families.insert(triggers[t].family) }
                    groups.append((i, levels))
                }
                // a phrase whose rows all depend on context does not hide the phrases inside it
                i = longest.values.allSatisfy({ !triggers[$0].requires.isEmpty }) ? i + 1 : longest.end
                continue
            }
            i += 1
        }
        func passes(_ index: Int32) -> Bool {
            let t = triggers[index]
            if !t.requires.isEmpty && !families.contains(t.requires) { return false }
            return !t.suppressedBy.contains(where: families.contains)
        }
        var hits: [(Int, Trigger)] = []
        for g in groups {
            guard let level = g.levels.last(where: { $0.contains(where: passes) }) else { continue }
            for t in level where passes(t) { hits.append((g.at, triggers[t])) }
        }
        // a ground engagement named before any remote weapon
        if let e = hits.first(where: { $0.1.family == "engagement" })?.0,
            e < (hits.first(where: { $0.1.family == "remote" })?.0 ?? Int.max)
        {
            families.insert("engagement-first")
        }
        r.families = families
        for (at, t) in hits {
            if t.weight == 0 { continue }
            var code = t.code
            if code == "TAKE_TERRIT" || code == "RETAKE_TERRIT" {
                code = takerSide(doc, annotations, before: at, from: range.lowerBound, retake: code == "RETAKE_TERRIT")
            }
            // outside-taxonomy cues do not add up: the strongest one competes with the event score
            if code == "NONE" {
                r.scores[code] = Swift.max(r.scores[code] ?? 0, t.weight)
            } else {
                r.scores[code, default: 0] += t.weight
            }
            r.rules.append(t.rule)
            if t.weight > r.anchorWeight && code != "NONE" {
                r.anchorWeight = t.weight
                r.anchorToken = at
            }
        }
        return r
    }

    /// Government regains or non-state actor overtakes: who stands nearest before the trigger.
    func takerSide(_ doc: Document, _ annotations: Annotations, before at: Int, from start: Int, retake: Bool) -> String {
        let tokens = doc.tokens
        // the subject: the first side named in the sentence before the trigger ("Syrian troops
        // pushed into a rebel-held enclave ..., capturing a village"); "ISIS forces": the generic
        // word belongs to the side just named
        var side: String?
        var sideEnd = -1
        var i = start
        while i < at && side == nil {
            if let m = sides.longestMatch(tokens, at: i, limit: at), let s = m.values.first {
                side = s
                sideEnd = m.end
                i = m.end
            } else {
                i += 1
            }
        }
        let triggerStart = Int(tokens[at].start)
        let sentenceStart = Int(tokens[start].start)
        for m in annotations.actors.reversed() where m.span.end <= triggerStart && m.span.start >= sentenceStart {
            if let a = m.actor {
                switch a.kind {
                case .stateMilitary, .government: side = "gov"
                case .armedGroup: side = "nsa"
                default: break
                }
            }
            break
        }
        // passive: the agent after "by" took it; with no agent, a side standing right before the
        // verb lost it ("the militants were pushed back")
        if at > start, passiveMarkers.contains(tokens[at - 1].key) {
            var agent: String?
            var k = at + 1
            while k < Swift.min(tokens.count, at + 6) {
                if tokens[k].key == keyBy, k + 1 < tokens.count {
                    var j = k + 1
                    while j < Swift.min(tokens.count, k + 5) && agent == nil {
                        if let m = sides.longestMatch(tokens, at: j, limit: tokens.count), let s = m.values.first {
                            agent = s
                        }
                        j += 1
                    }
                    break
                }
                k += 1
            }
            if let agent {
                side = agent
            } else if let s = side, at - sideEnd <= 3 {
                side = s == "gov" ? "nsa" : "gov"
            }
        }
        let resolved = side ?? (retake ? "gov" : "nsa")
        return resolved == "gov" ? "GOV_REGAINS_TERIT" : "NSA_OVERTAKES_TERIT"
    }

    /// The winning code after combination rules: adds, casualty boosts, priority on ties.
    func bestCode(_ raw: [String: Int], families: Set<String>, casualties: [Int], casualtyList: [Casualty])
        -> (code: String, score: Int, rules: [String])?
    {
        guard !raw.isEmpty else { return nil }
        var scores = raw
        var rules: [String] = []
        for (code, value) in raw {
            guard let rules = addsByCode[code] else { continue }
            for (other, requires, minimum) in rules where value >= minimum {
                if requires.hasPrefix("!") {
                    if families.contains(String(requires.dropFirst())) { continue }
                } else if !requires.isEmpty && !families.contains(requires) {
                    continue
                }
                scores[code, default: 0] += raw[other] ?? 0
            }
        }
        let armed: Set<String> = ["military", "police"]
        let hurt = casualties.filter { casualtyList[$0].outcome == "killed" || casualtyList[$0].outcome == "wounded" }
        if !hurt.isEmpty && hurt.allSatisfy({ armed.contains(casualtyList[$0].victims) }) {
            for (code, other) in moves where (scores[code] ?? 0) > 0 {
                scores[other, default: 0] += scores[code] ?? 0
                scores[code] = 0
            }
        }
        for b in boosts where hurt.contains(where: { casualtyList[$0].victims == b.victims }) {
            if !b.requires.isEmpty && !families.contains(b.requires) { continue }
            scores[b.code, default: 0] += b.weight
            rules.append(b.rule)
        }
        var best: (String, Int)?
        for (code, s) in scores {
            guard let b = best else { best = (code, s); continue }
            if s > b.1 || (s == b.1 && (priority[code] ?? 999, code) < (priority[b.0] ?? 999, b.0)) {
                best = (code, s)
            }
        }
        guard let b = best else { return nil }
        return (b.0, b.1, rules)
    }

    func compatible(_ inc: Incident, _ r: SentenceReading, code: String, paragraph: Int) -> Bool {
        if let a = inc.location, let b = r.location, !sameOrContains(a, b) { return false }
        if let a = inc.date, let b = r.date, b.end < a.start || a.end < b.start { return false }
        if inc.paragraph == paragraph { return true }
        // across paragraphs only the same type of incident continues
        guard let mine = bestCode(inc.scores, families: inc.families, casualties: [], casualtyList: []),
            let tm = taxonomy[mine.code],
            let tr = taxonomy[code]
        else { return false }
        return tm.type == tr.type
    }

    /// The latest end of the sentence's dated time expressions.
    func newestDate(_ doc: Document, _ annotations: Annotations, _ range: Range<Int>) -> CalendarDate? {
        var newest: CalendarDate?
        for m in annotations.times.inside(doc.span(of: range)) {
            guard let r = m.timex?.range else { continue }
            if newest == nil || r.upperBound > (newest ?? r.upperBound) { newest = r.upperBound }
        }
        return newest
    }

    /// The time expression nearest before the trigger in the sentence, else the nearest after it
    /// (a DATE or TIME with a calendar range).
    func date(_ doc: Document, _ annotations: Annotations, _ range: Range<Int>, near token: Int) -> EventDate? {
        let span = doc.span(of: range)
        let at = Int(doc.tokens[Swift.min(Swift.max(token, range.lowerBound), range.upperBound - 1)].start)
        var best: (Int, EventDate)?
        // a date that opens the sentence ("On 16 March, ...") governs its main clause
        let opening = Int(doc.tokens[Swift.min(range.lowerBound + 4, range.upperBound - 1)].start)
        for m in annotations.times.inside(span) {
            guard let t = m.timex, t.type == .date || t.type == .time, let r = t.range else { continue }
            if m.span.start <= opening {
                return EventDate(start: r.lowerBound, end: r.upperBound, precision: t.precision)
            }
            // the time expression governing the trigger usually precedes it ("On 12 May, ... protested")
            let d = m.span.start <= at ? at - m.span.start : (m.span.start - at) + 1_000_000
            if best == nil || d < (best?.0 ?? Int.max) {
                best = (d, EventDate(start: r.lowerBound, end: r.upperBound, precision: t.precision))
            }
        }
        return best?.1
    }

    /// actor1: who acts — the actor after "by" in a passive, else the last actor before the
    /// trigger (civilians only for protests and riots); actor2: the first other actor after the
    /// trigger in its clause, else another actor before it.
    func actors(_ doc: Document, _ annotations: Annotations, _ claims: [Claim], _ inc: Incident, type: String)
        -> (ActorRef?, ActorRef?)
    {
        let sentence = doc.sentences[inc.anchorSentence]
        let span = sentence.span
        let claimantSpans = claims.map(\.claimantSpan)
        var list: [(Span, ActorRef)] = []
        for m in annotations.actors.inside(span) {
            guard let a = m.actor else { continue }
            if claimantSpans.contains(where: { $0.overlaps(m.span) }) { continue }
            list.append((m.span, a))
        }
        guard !list.isEmpty else { return (nil, nil) }
        let crowd = type == "Protests" || type == "Riots"
        let triggerAt = Int(doc.tokens[inc.anchorToken].start)
        // the trigger's clause ends at the next clause edge
        var clauseEnd = span.end
        var k = inc.anchorToken + 1
        while k < sentence.tokens.upperBound {
            let key = doc.tokens[k].key
            if key == kComma || key == kSemicolon || key == kColon || key == kWhile { clauseEnd = Int(doc.tokens[k].start); break }
            k += 1
        }
        var actor1: ActorRef?
        for (s, a) in list where s.start > triggerAt && s.start < clauseEnd {
            let t = doc.tokenIndex(atOrAfter: s.start)
            if t > 0 && doc.tokens[t - 1].key == keyBy && (crowd || a.kind != .civilians) { actor1 = a; break }
        }
        if actor1 == nil {
            actor1 = list.last(where: { $0.0.start < triggerAt && (crowd || $0.1.kind != .civilians) })?.1
        }
        let actor2 = list.first(where: { $0.0.start > triggerAt && $0.0.start < clauseEnd && $0.1.id != actor1?.id })?.1
            ?? list.last(where: { $0.0.start < triggerAt && $0.1.id != actor1?.id && ($0.1.kind == .civilians || actor1 != nil) })?.1
        return (actor1, actor2)
    }

    /// Deaths in this incident: within a paragraph figures add up, across paragraphs the largest
    /// account wins (headline, lead and body retell the same deaths). Coders' conventions replace
    /// the rest.
    func fatalities(_ inc: Incident, _ casualties: [Casualty], _ doc: Document) -> Figure? {
        let killed = inc.casualties.filter {
            casualties[$0].outcome == "killed" && casualties[$0].scope == "incident"
                && !casualties[$0].rule.hasPrefix("subset:")
        }
        let convention = killed.filter { casualties[$0].rule.hasPrefix("convention:") }
        var use = convention.isEmpty ? killed : convention
        guard !use.isEmpty else { return inc.zero ? Figure(low: 0, best: 0, high: 0) : nil }
        func paragraph(_ c: Casualty) -> Int {
            doc.sentences[doc.sentenceIndex(ofToken: doc.tokenIndex(atOrAfter: c.figureSpan.start))].paragraph
        }
        // a running total replaces the figures before it in its paragraph; the last one wins
        var lastTotal: [Int: Int] = [:]
        for k in use where casualties[k].rule.hasPrefix("total:") { lastTotal[paragraph(casualties[k])] = k }
        if !lastTotal.isEmpty {
            use = use.filter { k in
                guard let t = lastTotal[paragraph(casualties[k])] else { return true }
                return k == t || casualties[k].figureSpan.start > casualties[t].figureSpan.start
            }
        }
        var bySentence: [Int: Figure] = [:]
        for k in use {
            let c = casualties[k]
            let s = paragraph(c)
            var f = bySentence[s] ?? Figure(low: 0, best: 0, high: 0)
            f.low += c.low
            f.best += c.best
            f.high = f.high.flatMap { h in c.high.map { h + $0 } }
            bySentence[s] = f
        }
        return bySentence.keys.sorted().compactMap { bySentence[$0] }.max { $0.best < $1.best }
    }

    /// Fills `claims[i].about`: the casualty figure its content holds, else the event it speaks
    /// of; a claim denying another claim marks that claim's event denied.
    func linkClaims(_ doc: Document, _ claims: inout [Claim], events: inout [Event], casualties: [Casualty]) {
        for i in claims.indices {
            if claims[i].about != nil { continue }
            if let k = casualties.firstIndex(where: { claims[i].content.contains($0.figureSpan) }) {
                claims[i].about = .casualty(k)
                continue
            }
            if let e = events.firstIndex(where: { ev in ev.evidence.contains { $0.overlaps(claims[i].content) } }) {
                claims[i].about = .event(e)
            }
        }
        for i in claims.indices where claims[i].stance == "denies" {
            if let d = claims[i].denies, d >= 0, d < claims.count, case .event(let e)? = claims[d].about, e < events.count {
                events[e].stance = "denied"
            }
            if case .event(let e)? = claims[i].about, e < events.count { events[e].stance = "denied" }
        }
    }
}
