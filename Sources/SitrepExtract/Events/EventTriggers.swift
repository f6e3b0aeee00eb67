import SitrepAnnotate
import SitrepText

/// Buffers `read` reuses from sentence to sentence.
struct ReadScratch {
    /// Candidate rows: their trigger position (token; the rows of one position are its group),
    /// level (shortest phrase 0), trigger index.
    var rows: [(at: Int32, level: Int32, trigger: Int32)] = []
    var hits: [(at: Int, trigger: Int32)] = []
    var matches: [(end: Int, node: Int32)] = []
    /// The places of the sentence `location` reads (its buffer, kept from sentence to sentence).
    var scenes: [LocationScene] = []
    /// The document's incidents' sentences and rules.
    var lists = IncidentLists()

    init() {}

    /// Buffers sized for a document of `tokens` tokens (they grow per document, not per sentence).
    init(tokens: Int) {
        reset(tokens: tokens)
    }

    /// Emptied for the next document of `tokens` tokens, keeping the buffers.
    mutating func reset(tokens: Int) {
        let n = Swift.max(16, tokens / 8)
        rows.removeAll(keepingCapacity: true)
        hits.removeAll(keepingCapacity: true)
        matches.removeAll(keepingCapacity: true)
        lists.reset()
        rows.reserveCapacity(n)
        hits.reserveCapacity(n)
        matches.reserveCapacity(n)
    }

    /// A thread's buffers, kept from document to document (a document allocates none).
    final class Box {
        var scratch = ReadScratch()
    }

    static let perThread = PerThread { Box() }
}

extension EventExtractor {
    /// True when paragraph holding `span` speaks of a disaster, crime or diplomacy (a NONE cue).
    func outsideTaxonomy(_ doc: Document, _ annotations: Annotations, _ span: Span, _ scratch: inout ReadScratch) -> Bool {
        let paragraph = doc.sentences[doc.sentenceIndex(ofToken: doc.tokenIndex(atOrAfter: span.start))].paragraph
        for p in doc.sentences.indices where doc.sentences[p].paragraph == paragraph {
            var reading = SentenceReading(sentence: p)
            read(doc, annotations, p, doc.sentences[p].tokens, cumulativeSentence: false, into: &reading, &scratch)
            if reading.scores[codeNone] != nil { return true }
        }
        return false
    }

    /// Reads one sentence into `r` (reset first; its buffers are reused): trigger scores
    /// (modality-filtered), denial, zero statement.
    func read(_ doc: Document, _ annotations: Annotations, _ si: Int, _ range: Range<Int>, cumulativeSentence: Bool,
              into r: inout SentenceReading, _ scratch: inout ReadScratch)
    {
        let tokens = doc.tokens
        r.sentence = si
        r.scores.removeAll()
        r.families = FamilySet()
        r.ruleCount = 0
        r.anchorToken = 0
        r.anchorWeight = -1
        r.denial = false
        r.zero = false
        // `location` and `date` are left as they are: `extract` sets both before reading them
        // a coder's category label opening the paragraph: "Arrests: ..."
        if range.lowerBound == doc.paragraphs[doc.sentences[si].paragraph].tokens.lowerBound,
            let m = labels.longestFirst(tokens, at: range.lowerBound, limit: range.upperBound),
            m.end < range.upperBound, tokens[m.end].key == keyColon
        {
            r.scores.add(m.value.code, labelWeight)
            r.addRule(m.value.rule)
            r.anchorWeight = labelWeight
            r.anchorToken = range.lowerBound
        }
        // per trigger position, its phrases shortest first: a longer phrase whose rows all fail
        // their requirements gives way to the shorter one ("were detained" outside a protest)
        // (the buffers live for one document and grow from sentence to sentence: this sentence's
        // rows start at `rowsBase`; rows name their group by its token: a sentence has one group
        // per position, in position order)
        let rowsBase = scratch.rows.count
        let view = startStore.view
        let tables = view.tables, pair = view.pair
        let upper = range.upperBound
        // the scan reads tokens and filter words through unsafe views (no bounds checks per token,
        // no array retained); its state lives in the closure
        var families = tokens.withUnsafeBufferPointer { tp -> FamilySet in
        var families = FamilySet()
        var blockUntil = -1
        var i = range.lowerBound
        while i < upper {
            // with no block pending, the tokens no phrase may start at are passed in a tight loop
            // (one hash and one byte each; a word that only begins longer phrases, "the", one pair
            // bit more): for them the clause-edge test below does nothing and every test after it
            // fails as here
            if blockUntil <= i {
                while i < upper {
                    let key = tp[i].key
                    let starts = tables[PhraseTrie.starterBit(key)]
                    if starts != 0 {
                        if starts & Self.startOneToken != 0 { break }
                        if i + 1 < upper {
                            let pb = PhraseTrie.pairBit(key, tp[i + 1].key)
                            if pair[pb >> 6] & (1 << UInt64(pb & 63)) != 0 { break }
                        }
                    }
                    i += 1
                }
                if i >= upper { break }
            }
            let key = tp[i].key
            // a clause edge lifts a modality block; only a block still ahead needs the test
            // (`i >= blockUntil` holds for every later token once it holds here)
            if blockUntil > i && (key == kComma || key == kSemicolon || key == kColon || key == kBut || key == kWhile) {
                blockUntil = -1
            }
            // one byte for the four phrase tables: which of them may start here
            let bit = PhraseTrie.starterBit(key)
            let starts = tables[bit]
            if starts == 0 {
                i += 1
                continue
            }
            // no table has a one-token phrase of this word nor a phrase of it and the next word
            if starts & Self.startOneToken == 0 {
                guard i + 1 < range.upperBound else {
                    i += 1
                    continue
                }
                let pb = PhraseTrie.pairBit(key, tp[i + 1].key)
                if pair[pb >> 6] & (1 << UInt64(pb & 63)) == 0 {
                    i += 1
                    continue
                }
            }
            // each table's own filter is tested inline before its (out-of-line) trie walk
            if starts & Self.startZero != 0, let end = zero.longestEnd(tokens, at: i, limit: range.upperBound) {
                r.zero = true
                i = end
                continue
            }
            let mayTrigger = starts & Self.startTrigger != 0
            if starts & Self.startModality != 0, let m = modality.longestFirst(tokens, at: i, limit: range.upperBound) {
                // a modality cue may itself begin a trigger phrase ("no"): prefer the longer
                let t = mayTrigger ? triggers.longestEnd(tokens, at: i, limit: range.upperBound) : nil
                if t == nil || t ?? 0 <= m.end {
                    blockUntil = m.end + m.value.window
                    i = m.end
                    continue
                }
            }
            if starts & Self.startDenial != 0, let end = denial.longestEnd(tokens, at: i, limit: range.upperBound) {
                // "denied firing at the city": what follows a denial is the denied incident,
                // not a new one
                r.denial = true
                blockUntil = end + 8
                i = end
                continue
            }
            if !mayTrigger {
                i += 1
                continue
            }
            let base = scratch.matches.count
            triggers.appendMatches(tokens, at: i, limit: range.upperBound, into: &scratch.matches)
            let levels = scratch.matches.count - base
            if levels > 0 {
                let longest = scratch.matches[base + levels - 1]
                if i >= blockUntil {
                    let group = Int32(i)
                    for level in 0..<levels {
                        for t in triggers.values(ofNode: scratch.matches[base + level].node) {
                            let trigger = triggers[t]
                            if cumulativeSentence && !(trigger.weight >= 4 || trigger.code == codeNone) { continue }
                            scratch.rows.append((group, Int32(level), t))
                            if level == levels - 1 { families.insert(trigger.family) }
                        }
                    }
                }
                // a phrase whose rows all depend on context does not hide the phrases inside it
                var allRequire = true
                for t in triggers.values(ofNode: longest.node) where triggers[t].requires < 0 {
                    allRequire = false
                    break
                }
                i = allRequire ? i + 1 : longest.end
                continue
            }
            i += 1
        }
        return families
        }
        // per group, the longest level with a row that passes; its passing rows are the hits
        let hitsBase = scratch.hits.count
        var firstEngagement = Int.max, firstRemote = Int.max
        var k = rowsBase
        let rows = scratch.rows
        while k < rows.count {
            let group = rows[k].at
            var end = k
            while end < rows.count && rows[end].at == group { end += 1 }
            // rows of a group are in level order: scan levels from the longest down
            var chosen: Int32 = -1
            var j = end - 1
            while j >= k {
                if passes(rows[j].trigger, families) {
                    chosen = rows[j].level
                    break
                }
                j -= 1
            }
            if chosen >= 0 {
                let at = Int(group)
                for x in k..<end where rows[x].level == chosen && passes(rows[x].trigger, families) {
                    scratch.hits.append((at, rows[x].trigger))
                    let family = triggers[rows[x].trigger].family
                    if family == familyEngagement && firstEngagement == Int.max { firstEngagement = at }
                    if family == familyRemote && firstRemote == Int.max { firstRemote = at }
                }
            }
            k = end
        }
        // a ground engagement named before any remote weapon
        if firstEngagement != Int.max, firstEngagement < firstRemote {
            families.insert(familyEngagementFirst)
        }
        r.families = families
        for h in hitsBase..<scratch.hits.count {
            let (at, index) = scratch.hits[h]
            let t = triggers[index]
            if t.weight == 0 { continue }
            var code = t.code
            if code == codeTake || code == codeRetake {
                code = takerSide(doc, annotations, before: at, from: range.lowerBound, retake: code == codeRetake)
            }
            // outside-taxonomy cues do not add up: the strongest one competes with the event score
            if code == codeNone {
                r.scores.set(code, Swift.max(r.scores[code] ?? 0, t.weight))
            } else {
                r.scores.add(code, t.weight)
            }
            r.addRule(t.rule)
            if t.weight > r.anchorWeight && code != codeNone {
                r.anchorWeight = t.weight
                r.anchorToken = at
            }
        }
    }

    @inline(__always)
    func passes(_ index: Int32, _ families: FamilySet) -> Bool {
        let t = triggers[index]
        if t.requires >= 0 && !families.contains(t.requires) { return false }
        return !t.suppressedBy.intersects(families)
    }

    /// Government regains or non-state actor overtakes: who stands nearest before the trigger.
    func takerSide(_ doc: Document, _ annotations: Annotations, before at: Int, from start: Int, retake: Bool) -> Int {
        let tokens = doc.tokens
        // the subject: the first side named in the sentence before the trigger ("Syrian troops
        // pushed into a rebel-held enclave ..., capturing a village"); "ISIS forces": the generic
        // word belongs to the side just named
        var side: String?
        var sideEnd = -1
        var i = start
        while i < at && side == nil {
            if let m = sides.longestFirst(tokens, at: i, limit: at) {
                side = m.value
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
                        if let m = sides.longestFirst(tokens, at: j, limit: tokens.count) {
                            agent = m.value
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
        return resolved == "gov" ? codeGovRegains : codeNSAOvertakes
    }

    /// The winning code after combination rules: adds, casualty boosts, priority on ties.
    func bestCode(_ raw: CodeScores, families: FamilySet, casualties: ArraySlice<Int>, casualtyList: [Casualty],
                  facts: CasualtyFacts) -> (code: Int, score: Int, rules: [String])?
    {
        guard !raw.isEmpty else { return nil }
        // the combined scores live in a stack buffer (no copy of `raw` on the heap); at most one
        // entry per code, so the winner below does not depend on their order
        let capacity = raw.entries.count + moves.count + boosts.count
        return withUnsafeTemporaryAllocation(of: (code: Int, score: Int).self, capacity: capacity) { scores in
            var n = 0
            for e in raw.entries {
                scores.initializeElement(at: n, to: e)
                n += 1
            }
            @inline(__always) func find(_ code: Int) -> Int? {
                var k = 0
                while k < n {
                    if scores[k].code == code { return k }
                    k += 1
                }
                return nil
            }
            @inline(__always) func add(_ code: Int, _ value: Int) {
                if let k = find(code) {
                    scores[k].score += value
                } else {
                    scores.initializeElement(at: n, to: (code, value))
                    n += 1
                }
            }
            var rules: [String] = []
            for (code, value) in raw.entries {
                for x in addsStart[code]..<addsStart[code + 1] where value >= adds[x].minimum {
                    if !adds[x].requires.holds(families) { continue }
                    add(code, raw[adds[x].other] ?? 0)
                }
            }
            if !casualties.isEmpty {
                var anyHurt = false, allArmed = true
                for k in casualties where facts.hurt(k) {
                    anyHurt = true
                    if !facts.armed(k) { allArmed = false }
                }
                if anyHurt && allArmed {
                    for (code, other) in moves {
                        guard let k = find(code), scores[k].score > 0 else { continue }
                        add(other, scores[k].score)
                        // `add` may have appended, never moved: `k` still names `code`
                        scores[k].score = 0
                    }
                }
                if anyHurt {
                    // (by index, fields read in place: no boost's strings are retained)
                    for bi in boosts.indices {
                        var victim = false
                        for k in casualties {
                            if facts.hurt(k) && casualtyList[k].victims == boosts[bi].victims {
                                victim = true
                                break
                            }
                        }
                        guard victim else { continue }
                        if boosts[bi].requires >= 0 && !families.contains(boosts[bi].requires) { continue }
                        add(boosts[bi].code, boosts[bi].weight)
                        rules.append(boosts[bi].rule)
                    }
                }
            }
            var best: (code: Int, score: Int)?
            for k in 0..<n {
                let (code, s) = scores[k]
                guard let b = best else { best = (code, s); continue }
                if s > b.score || (s == b.score && (priority[code], codeRank[code]) < (priority[b.code], codeRank[b.code])) {
                    best = (code, s)
                }
            }
            guard let b = best else { return nil }
            return (b.code, b.score, rules)
        }
    }
}
