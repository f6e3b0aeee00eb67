import SitrepAnnotate
import SitrepLanguage
import SitrepText

/// Reads every casualty figure as an interval with qualifier, outcome, victims, scope, claimant.
///
/// A figure is a quantity (NumberReader) whose head is a person noun ("civilians", "a teenager")
/// or nothing ("killing 5"), with an outcome phrase in its clause: to its right ("60 civilians
/// were killed") or to its left ("killing a teenager", "the death toll ... nearing 5,000").
/// Traps (ages, years, dates, model numbers, measures) and quantities of things ("three
/// ceasefires", "four weeks") are never figures; nor are people with no outcome ("80 journalists
/// trapped"). The clause's scope cues decide incident vs cumulative (docs/events-casualties.md).
public struct CasualtyExtractor: Sendable {
    /// An outcome phrase's row; its outcome and rule are indices into `outcomeNames` and
    /// `outcomeRules`, so the per-sentence list of outcome phrases holds no reference to count.
    struct Outcome: Sendable {
        let outcome: Int32
        let left: Bool
        let right: Bool
        let reach: Int
        let rule: Int32
    }

    struct ScopeCue: Sendable {
        let cumulative: Bool
        let strong: Bool
        let period: String
        let rule: String
    }

    let numbers: NumberReader
    var outcomes = Lookup<Outcome>()
    var outcomeNames: [String] = []
    var outcomeRules: [String] = []
    var victimNouns = Lookup<(victims: String, rule: String)>()
    var modifiers = KeySet([])
    var aux = KeySet([])
    var scope = Lookup<ScopeCue>()
    var conventions = Lookup<String>()
    /// "including" (subset) and "bringing the total to" (total) cues, by the token after them.
    var parts = Lookup<(kind: String, rule: String)>()
    /// The names figure rules are made of (`CasualtyProvenance`).
    var ruleTable: CasualtyRuleTable
    /// Per starter bit (`PhraseTrie.starterBit`, below 0x4000), which tables may start a phrase
    /// there: `markOutcome` (`outcomes.mayStart`), `markConvention` (`conventions.mayStart`),
    /// `markScope` (`scope.mayStart`); `markOutcomeSingle`: a one-token outcome phrase starts with
    /// it. 0 for none. One hash and one byte per token test every filter.
    var startMarks: [UInt8] = []
    /// The outcome phrases' pair filter (`PhraseTrie.pairWords`): a token whose mark has no
    /// `markOutcomeSingle` starts an outcome phrase only when its pair with the next is in it.
    var outcomePairs: [UInt64] = []
    /// The scope cues' pair filter, used as `outcomePairs` is with `markScopeSingle`.
    var scopePairs: [UInt64] = []
    static let markOutcomeSingle: UInt8 = 8, markScopeSingle: UInt8 = 16
    static let markOutcome: UInt8 = 1, markConvention: UInt8 = 2, markScope: UInt8 = 4
    let keySemicolon = Fold.key(";")
    let keyPossessives = KeySet([Fold.key("their"), Fold.key("our"), Fold.key("its")])
    let keyFatalities = KeySet([
        Fold.key("fatalities"), Fold.key("fatality"), Fold.key("deaths"), Fold.key("dead"), Fold.key("killed"),
    ])
    let keyDash = Fold.key("-")
    let keyMore = Fold.key("more")
    let keyAnd = Fold.key("and")
    let keyComma = Fold.key(",")
    let keyQuote = Fold.key("\"")
    let negations = KeySet([Fold.key("no"), Fold.key("not"), Fold.key("neither"), Fold.key("nor"), Fold.key("without")])
    let durationUnits = KeyMap<Int>([
        (Fold.key("days"), 1), (Fold.key("day"), 1), (Fold.key("weeks"), 7), (Fold.key("week"), 7),
        (Fold.key("months"), 30), (Fold.key("month"), 30), (Fold.key("years"), 365), (Fold.key("year"), 365),
    ])

    public init(numbers: NumberReader, outcomes: Lexicon, victims: Lexicon, scope: Lexicon, conventions: Lexicon,
                parts: Lexicon) throws {
        self.numbers = numbers
        var victimRules: [String] = [], conventionHeads: [String] = []
        for row in outcomes.rows {
            let side = row["side"]
            guard let reach = Int(row["reach"]) else {
                throw LanguageDataError(file: outcomes.name, line: row.line, reason: "reach is not a number")
            }
            let name = row["outcome"]
            let nameID = outcomeNames.firstIndex(of: name) ?? outcomeNames.count
            if nameID == outcomeNames.count { outcomeNames.append(name) }
            outcomeRules.append(row.provenance)
            self.outcomes.insert(
                row["phrase"],
                value: Outcome(
                    outcome: Int32(nameID), left: side == "left" || side == "both",
                    right: side == "right" || side == "both", reach: reach, rule: Int32(outcomeRules.count - 1)))
        }
        var modifierKeys: [UInt64] = [], auxKeys: [UInt64] = []
        for row in victims.rows {
            switch row["kind"] {
            case "noun":
                victimNouns.insert(row["word"], value: (row["victims"], row.provenance))
                victimRules.append(row.provenance)
            case "modifier": modifierKeys += TokenTrie<Int>.keys(of: row["word"])
            case "aux": auxKeys += TokenTrie<Int>.keys(of: row["word"])
            default:
                throw LanguageDataError(file: victims.name, line: row.line, reason: "unknown kind '\(row["kind"])'")
            }
        }
        modifiers = KeySet(modifierKeys)
        aux = KeySet(auxKeys)
        for row in scope.rows {
            self.scope.insert(
                row["phrase"],
                value: ScopeCue(
                    cumulative: row["scope"] == "cumulative", strong: row["strength"] == "strong",
                    period: row["period"], rule: row.provenance))
        }
        for row in conventions.rows {
            self.conventions.insert(row["phrase"], value: row.provenance)
            conventionHeads.append("convention:" + row.provenance)
        }
        // a convention figure read without a phrase of its own
        conventionHeads.append("convention:coded")
        for row in parts.rows { self.parts.insert(row["phrase"], value: (row["kind"], row.provenance)) }
        ruleTable = CasualtyRuleTable(
            partKinds: parts.rows.map { $0["kind"] }, partRules: parts.rows.map(\.provenance), outcomes: outcomeRules,
            conventions: conventionHeads, scopes: scope.rows.map(\.provenance), victims: victimRules,
            numbers: numbers.ruleNames)
        self.parts.finish()
        self.outcomes.finish()
        victimNouns.finish()
        self.scope.finish()
        self.conventions.finish()
        var marks = [UInt8](repeating: 0, count: 0x4000)
        for (flag, words) in [(Self.markOutcome, self.outcomes.starterWords),
                              (Self.markConvention, self.conventions.starterWords),
                              (Self.markScope, self.scope.starterWords),
                              (Self.markOutcomeSingle, self.outcomes.singleWords),
                              (Self.markScopeSingle, self.scope.singleWords)] {
            for b in marks.indices where b >> 6 < words.count && words[b >> 6] & (1 << UInt64(b & 63)) != 0 {
                marks[b] |= flag
            }
        }
        startMarks = marks
        outcomePairs = self.outcomes.pairWords
        scopePairs = self.scope.pairWords
    }

    public static func english() throws -> CasualtyExtractor {
        try CasualtyExtractor(
            numbers: .english(),
            outcomes: LanguageResources.lexicon("en/casualties/outcomes.tsv", required: ["phrase", "outcome", "side", "reach"]),
            victims: LanguageResources.lexicon("en/casualties/victims.tsv", required: ["word", "kind"]),
            scope: LanguageResources.lexicon("en/casualties/scope.tsv", required: ["phrase", "scope", "strength", "period"]),
            conventions: LanguageResources.lexicon("en/casualties/conventions.tsv", required: ["phrase"]),
            parts: LanguageResources.lexicon("en/casualties/parts.tsv", required: ["phrase", "kind"]))
    }

    public func extract(_ doc: Document, _ annotations: Annotations, claims: [Claim]) -> [Casualty] {
        var out: [Casualty] = []
        let tokens = doc.tokens
        // the tables this loop tests per token, bound once per document (a large struct's member
        // used in place may be copied at every use)
        let numbers = self.numbers
        let outcomes = self.outcomes
        let marks = startMarks
        let pairs = outcomePairs
        // outcome phrases of a sentence, by start token (one buffer for the document)
        var outcomeAt: [(start: Int, end: Int, o: Outcome)] = []
        outcomeAt.reserveCapacity(Swift.max(16, tokens.count / 16))
        // the quantities of one sentence (one buffer for the document)
        var quantities: [Quantity] = []
        quantities.reserveCapacity(16)
        for si in doc.sentences.indices {
            let range = doc.sentences[si].tokens
            guard !range.isEmpty, !tokens[range.lowerBound].has(.boilerplate) else { continue }
            // this sentence's phrases start at `outcomeBase` (the buffer is never cleared); one
            // pass reads the outcome phrases (none starts inside another: from `next` on) and
            // notes whether a convention phrase may start anywhere (tokens and marks read through
            // unsafe views: one hash and one byte per token, no bounds checks)
            let outcomeBase = outcomeAt.count
            var next = range.lowerBound
            var conventionMayStart = false
            tokens.withUnsafeBufferPointer { tp in
            marks.withUnsafeBufferPointer { mp in
            pairs.withUnsafeBufferPointer { pairs in
                var i = range.lowerBound
                let end = range.upperBound
                while i < end {
                    let m = mp[PhraseTrie.starterBit(tp[i].key)]
                    if m != 0 {
                        if m & Self.markConvention != 0 { conventionMayStart = true }
                        // the trie walk's own filter tested inline first (the walk is a call):
                        // a one-token phrase, or the pair with the next token
                        if i >= next && m & Self.markOutcome != 0,
                            m & Self.markOutcomeSingle != 0 || (i + 1 < end && Self.pairMayStart(pairs, tp[i].key, tp[i + 1].key)),
                            let found = outcomes.longestFirst(tokens, at: i, limit: end)
                        {
                            outcomeAt.append((i, found.end, found.value))
                            next = found.end
                        }
                    }
                    i += 1
                }
            }
            }
            }
            // convention phrases need a fatalities word, itself an outcome phrase
            // (no quick reject by numbers first: nearly every sentence has a number-ish token, an
            // article at least, and a scan for one cost twice this pass's per-token work; a
            // sentence with no quantity reads none below)
            if outcomeAt.count == outcomeBase { continue }
            let convention = conventionMayStart ? conventionStarts(doc, range) : [:]
            if !quantities.isEmpty { quantities.removeAll(keepingCapacity: true) }
            numbers.quantities(doc, in: range, into: &quantities)
            // room for the document's figures, made once (most have a few; growing from empty
            // would move them at 1, 2, 4 and 8)
            if out.capacity == 0 { out.reserveCapacity(16) }
            var scopeCache: SentenceScope?
            // the claim of the sentence's own words (-2: not looked for yet), the same for every figure
            var sentenceClaim = -2
            // by index: each quantity is read in place, not copied out of the list
            // (through an unsafe view: `quantities[qi]` as an argument is copied, strings and all)
            // a quantity `figure` would drop whatever its head (a zero; no outcome phrase on a side
            // it can take one from, in a sentence with no convention cue) is not read further
            quantities.withUnsafeBufferPointer { list in
            outcomeAt.withUnsafeBufferPointer { found in
                // `figure` reads the quantity through a pointer: an argument `list[qi]` was copied
                // (and destroyed) per figure
                guard let quantityBase = list.baseAddress else { return }
                for qi in list.indices {
                    if list[qi].best == 0 { continue }
                    if !conventionMayStart {
                        let qs = list[qi].tokens.lowerBound, qe = list[qi].tokens.upperBound
                        var near = false
                        for x in outcomeBase..<found.count {
                            let o = found[x]
                            if (o.o.left && o.end <= qs && qs - o.end <= Swift.max(2, o.o.reach)) || (o.o.right && o.start >= qe) {
                                near = true
                                break
                            }
                        }
                        if !near { continue }
                    }
                    figure(doc, annotations, claims, quantityBase + qi, sentence: range, sentenceIndex: si,
                           outcomes: outcomeAt[outcomeBase...],
                           convention: convention, scope: &scopeCache, sentenceClaim: &sentenceClaim, into: &out)
                }
            }
            }
        }
        return out
    }

    /// Token indices right after a convention phrase ("coded as") in a clause about fatalities,
    /// with the phrase's row (its index in `conventions`).
    /// (The phrases are looked for first: their filter rejects nearly every token, and most
    /// sentences have none, so the clause's words are read only when one was found.)
    func conventionStarts(_ doc: Document, _ range: Range<Int>) -> [Int: Int32] {
        let tokens = doc.tokens
        var out: [Int: Int32] = [:]
        for i in range where conventions.mayStart(tokens[i].key) {
            if let m = conventions.longestFirstIndex(tokens, at: i, limit: range.upperBound) {
                out[m.end] = m.index
            }
        }
        guard !out.isEmpty else { return out }
        for i in range where keyFatalities.contains(tokens[i].key) { return out }
        return [:]
    }

    /// True when tokens `from..<to` are only quotation marks (or none): 'killed "dozens"'.
    func onlyQuotes(_ tokens: [Token], _ from: Int, _ to: Int) -> Bool {
        guard from <= to, to - from <= 2 else { return false }
        for k in from..<to where tokens[k].key != keyQuote { return false }
        return true
    }

    /// Whether the pair filter `pairs` holds the pair (`first`, `second`).
    @inline(__always)
    static func pairMayStart(_ pairs: UnsafeBufferPointer<UInt64>, _ first: UInt64, _ second: UInt64) -> Bool {
        let b = PhraseTrie.pairBit(first, second)
        return pairs[b >> 6] & (1 << UInt64(b & 63)) != 0
    }

    /// Whether a scope cue may start at token `i` of a sentence ending at `end` (no false
    /// negatives): the cues' starter mark, then the one-token-cue mark or the pair with the next
    /// token (`marks`: `startMarks`, `pairs`: `scopePairs`; `i < end <= tokens.count`).
    @inline(__always)
    static func scopeMayStart(_ tokens: UnsafeBufferPointer<Token>, _ i: Int, end: Int,
                              marks: UnsafeBufferPointer<UInt8>, pairs: UnsafeBufferPointer<UInt64>) -> Bool {
        let mark = marks[PhraseTrie.starterBit(tokens[i].key)]
        return mark & markScope != 0
            && (mark & markScopeSingle != 0 || (i + 1 < end && pairMayStart(pairs, tokens[i].key, tokens[i + 1].key)))
    }

    func isClauseEdge(_ tokens: [Token], _ i: Int) -> Bool {
        tokens[i].key == keySemicolon
    }
}
