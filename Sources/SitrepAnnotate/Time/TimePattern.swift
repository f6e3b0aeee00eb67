import SitrepLanguage
import SitrepText

/// The small pattern language of `en/time/rules.json`, compiled into one token automaton.
///
/// A pattern is a space-separated sequence of items. Each item is
/// - a literal token, or alternatives `last|past|previous` (folded, compared by token key);
/// - `@class`: any phrase of a normalization table (`tables.tsv`), possibly several tokens;
/// - `#kind`: a numeric slot: `#year` (4 digits), `#day` (1–31 or "27th"), `#int`, `#num`
///   (digits or number words: "three", "twenty-five", "a"), `#decade` ("1990s"), `#hour` (0–24),
///   `#minute` (00–59), `#bigyear` (1–9999, for eras);
/// optionally prefixed by a group name `name=` and suffixed by `?` (optional item).
/// Optional items are expanded at compile time; all rules share one trie whose edges are items.
enum NumKind: String, Sendable {
    case year, day, int, num, decade, hour, minute, bigyear
}

enum PatternItem: Hashable, Sendable {
    case literal([UInt64])
    case table(Int)
    case number(NumKind)
}

/// A captured group: token range and normalized value (table value or number).
struct Capture: Sendable {
    var group: Int
    var lo: Int
    var hi: Int
    var value: String
}

/// Normalization tables: class name → phrases (token keys) → value.
struct TimeTables: Sendable {
    var names: [String] = []
    /// Per table: phrases by their first token key, longest first.
    var phrases: [[UInt64: [Phrase]]] = []
    /// Per table: first key → index into `lists` (the hot-path form of `phrases`).
    var phraseIndex: [TimeKeyMap] = []
    var lists: [[Phrase]] = []
    var index: [String: Int] = [:]
    /// Per table: the keys that start a phrase (prefilter).
    var firstKeys: [Set<UInt64>] = []
    /// Per table: single-token phrases and their values.
    var single: [[UInt64: String]] = []
    /// Per table: keys of single-token phrases (hot-path membership).
    var singleKeys: [TimeKeyMap] = []

    struct Phrase: Sendable {
        /// Keys after the first.
        var rest: [UInt64]
        var entry: TableEntry
    }

    struct TableEntry: Sendable {
        var value: String
        /// The phrase must start with a capital letter ("May", "March" as months).
        var capitalized: Bool
        var provenance: String
    }

    init(lexicon: Lexicon) throws {
        for row in lexicon.rows {
            let name = row["class"]
            let id: Int
            if let known = index[name] {
                id = known
            } else {
                id = names.count
                index[name] = id
                names.append(name)
                phrases.append([:])
                firstKeys.append([])
                single.append([:])
            }
            let keys = TokenTrie<TableEntry>.keys(of: row["phrase"])
            guard let first = keys.first else {
                throw LanguageDataError(file: lexicon.name, line: row.line, reason: "empty phrase")
            }
            firstKeys[id].insert(first)
            if keys.count == 1 && single[id][first] == nil { single[id][first] = row["value"] }
            let phrase = Phrase(
                rest: Array(keys.dropFirst()),
                entry: TableEntry(value: row["value"], capitalized: row["cap"] == "1", provenance: row.provenance))
            phrases[id][first, default: []].append(phrase)
            phrases[id][first]?.sort { $0.rest.count > $1.rest.count }
        }
        singleKeys = single.map { TimeKeyMap($0.keys.sorted().map { ($0, 0) }) }
        for table in phrases {
            var map = TimeKeyMap(capacity: table.count)
            for (k, list) in table.sorted(by: { $0.key < $1.key }) {
                map[k] = Int32(lists.count)
                lists.append(list)
            }
            phraseIndex.append(map)
        }
    }

    /// Phrases of table `t` starting with `key`, longest first.
    @inline(__always)
    func phrases(_ t: Int, startingWith key: UInt64) -> [Phrase]? {
        guard let i = phraseIndex[t][key] else { return nil }
        return lists[Int(i)]
    }

    /// Whether phrase `p` continues at token `j + 1` within `limit`; its end.
    @inline(__always)
    static func end(of p: Phrase, _ tokens: [Token], at j: Int, limit: Int) -> Int? {
        var k = j + 1
        for key in p.rest {
            guard k < limit, tokens[k].key == key else { return nil }
            k += 1
        }
        return k
    }

    /// The longest phrase of table `t` at token `j`.
    func longest(_ t: Int, _ tokens: [Token], at j: Int, limit: Int) -> (end: Int, entry: TableEntry)? {
        guard j < limit, let list = phrases(t, startingWith: tokens[j].key) else { return nil }
        for p in list {
            if let e = TimeTables.end(of: p, tokens, at: j, limit: limit) { return (e, p.entry) }
        }
        return nil
    }

    func id(_ name: String, file: String) throws -> Int {
        guard let id = index[name] else {
            throw LanguageDataError(file: file, reason: "unknown table '@\(name)'")
        }
        return id
    }

    /// Value of a single-token phrase in a table, if any.
    func lookup(_ table: String, key: UInt64) -> String? {
        guard let id = index[table] else { return nil }
        return single[id][key]
    }
}

/// One compiled rule.
struct TimeRule: Sendable {
    var id: String
    var provenance: String
    var type: TimexType
    var action: String
    var params: [String: String]
    var priority: Int
    /// `emit: no`: a cue for document-level decisions, never a mention.
    var silent: Bool
    /// `mode: narrative`: only in history-style text.
    var narrativeOnly: Bool
}

/// The automaton: a trie whose edges are pattern items.
struct TimeAutomaton: Sendable {
    struct Node: Sendable {
        /// Unnamed single-token literal edges.
        var literals: [UInt64: Int32] = [:]
        /// Every other edge: item, group (-1 = none), target.
        var edges: [(item: PatternItem, group: Int, target: Int32)] = []
        /// Rules accepted here.
        var accepts: [Int] = []
        /// Keys any outgoing edge can start with (one lookup rejects most tokens).
        var nextKeys = TimeKeyMap()
        /// `literals` in hot-path form.
        var literalMap = TimeKeyMap()
        /// Some outgoing edge is a numeric slot.
        var numeric = false
        /// `accepts` is not empty.
        var accepting = false
        /// `keyedEdges` is not empty.
        var keyed = false
        /// Hot path: token key → index into `edgeLists` of the edges that can start with it.
        var keyedEdges = TimeKeyMap()
        /// Hot path: numeric-slot edges (indices into `flatEdges`), tried on tokens with digits.
        var numberEdges: [Int32] = []
    }

    /// An edge in hot-path form.
    struct FlatEdge: Sendable {
        enum Kind: UInt8, Sendable { case literal, table, number }
        var kind: Kind
        var table: Int
        var number: NumKind
        var keys: [UInt64]
        var group: Int
        var target: Int32
    }

    var flatEdges: [FlatEdge] = []
    var edgeLists: [[Int32]] = []

    /// Computes every node's lookahead set; call once after the last `add`.
    mutating func finalize(tables: TimeTables) {
        let numberFirst = tables.index["number"].map { tables.firstKeys[$0] } ?? []
        for i in nodes.indices {
            var keys = Set(nodes[i].literals.keys)
            var numeric = false
            for e in nodes[i].edges {
                switch e.item {
                case .literal(let k): if let f = k.first { keys.insert(f) }
                case .table(let t): keys.formUnion(tables.firstKeys[t])
                case .number(let kind):
                    numeric = true
                    if kind == .num { keys.formUnion(numberFirst) }
                }
            }
            // Index the non-literal edges by the keys they can start with.
            var byKey: [UInt64: [Int32]] = [:]
            var numberEdges: [Int32] = []
            for e in nodes[i].edges {
                let id = Int32(flatEdges.count)
                var flat = FlatEdge(kind: .literal, table: -1, number: .int, keys: [], group: e.group, target: e.target)
                switch e.item {
                case .literal(let k):
                    flat.keys = k
                    if let f = k.first { byKey[f, default: []].append(id) }
                case .table(let t):
                    flat.kind = .table
                    flat.table = t
                    for k in tables.firstKeys[t] { byKey[k, default: []].append(id) }
                case .number(let kind):
                    flat.kind = .number
                    flat.number = kind
                    numberEdges.append(id)
                    if kind == .num { for k in numberFirst { byKey[k, default: []].append(id) } }
                }
                flatEdges.append(flat)
            }
            var keyed = TimeKeyMap(capacity: byKey.count)
            for (k, list) in byKey.sorted(by: { $0.key < $1.key }) {
                keyed[k] = Int32(edgeLists.count)
                edgeLists.append(list)
            }
            nodes[i].keyedEdges = keyed
            nodes[i].keyed = keyed.count > 0
            nodes[i].accepting = !nodes[i].accepts.isEmpty
            nodes[i].numberEdges = numberEdges
            nodes[i].nextKeys = TimeKeyMap(keys.sorted().map { ($0, 0) })
            nodes[i].literalMap = TimeKeyMap(nodes[i].literals.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) })
            nodes[i].numeric = numeric
        }
        firstMap = TimeKeyMap(firstKeys.sorted().map { ($0, 0) })
    }

    /// `firstKeys` in hot-path form.
    var firstMap = TimeKeyMap()

    var nodes: [Node] = [Node()]
    var groups: [String] = []
    var groupIndex: [String: Int] = [:]
    /// Keys that may start a match (prefilter).
    var firstKeys: Set<UInt64> = []
    /// Some rule starts with a numeric slot.
    var numericStart = false

    mutating func group(_ name: String) -> Int {
        if let g = groupIndex[name] { return g }
        let g = groups.count
        groups.append(name)
        groupIndex[name] = g
        return g
    }

    /// Parses a pattern and adds it, with every expansion of its optional items.
    mutating func add(pattern: String, rule: Int, tables: TimeTables, file: String) throws {
        var items: [(item: PatternItem, group: Int, optional: Bool)] = []
        for raw in pattern.split(separator: " ") {
            var s = Substring(raw)
            var optional = false
            if s.hasSuffix("?") && s.count > 1 {
                optional = true
                s = s.dropLast()
            }
            var group = -1
            if let eq = s.firstIndex(of: "="), eq != s.startIndex {
                group = self.group(String(s[s.startIndex..<eq]))
                s = s[s.index(after: eq)...]
            }
            let item: PatternItem
            if s.hasPrefix("@") {
                item = .table(try tables.id(String(s.dropFirst()), file: file))
            } else if s.hasPrefix("#") && s.count > 1 {
                guard let kind = NumKind(rawValue: String(s.dropFirst())) else {
                    throw LanguageDataError(file: file, reason: "unknown numeric slot '\(s)' in '\(pattern)'")
                }
                item = .number(kind)
            } else {
                // Literal alternatives: each becomes its own edge.
                let alts = s.split(separator: "|").map { TokenTrie<Int>.keys(of: String($0)) }
                if alts.contains(where: \.isEmpty) {
                    throw LanguageDataError(file: file, reason: "empty literal in '\(pattern)'")
                }
                if alts.count == 1, let only = alts.first {
                    item = .literal(only)
                } else {
                    // Alternatives expand into separate items sharing the group.
                    items.append((.literal([]), group, optional))  // placeholder, replaced below
                    items[items.count - 1].item = .literal([])
                    alternatives[items.count - 1] = alts
                    continue
                }
            }
            items.append((item, group, optional))
        }
        guard !items.isEmpty else {
            throw LanguageDataError(file: file, reason: "empty pattern")
        }
        var paths: [[(PatternItem, Int)]] = [[]]
        for (i, it) in items.enumerated() {
            let choices: [PatternItem] = alternatives[i].map { $0.map { PatternItem.literal($0) } } ?? [it.item]
            var next: [[(PatternItem, Int)]] = []
            for p in paths {
                if it.optional { next.append(p) }
                for c in choices { next.append(p + [(c, it.group)]) }
            }
            paths = next
        }
        alternatives = [:]
        for p in paths where !p.isEmpty {
            insert(path: p, rule: rule, tables: tables)
        }
    }

    private var alternatives: [Int: [[UInt64]]] = [:]

    private mutating func insert(path: [(PatternItem, Int)], rule: Int, tables: TimeTables) {
        var node = 0
        for (n, (item, group)) in path.enumerated() {
            if n == 0 {
                switch item {
                case .literal(let keys): if let k = keys.first { firstKeys.insert(k) }
                case .table(let t):
                    firstKeys.formUnion(tables.firstKeys[t])
                case .number(let kind):
                    numericStart = true
                    if kind == .num {
                        if let t = tables.index["number"] { firstKeys.formUnion(tables.firstKeys[t]) }
                    }
                }
            }
            // Multi-token literals become a chain of single-token literal edges.
            if case .literal(let keys) = item, group < 0 {
                for k in keys {
                    if let t = nodes[node].literals[k] {
                        node = Int(t)
                    } else {
                        let t = Int32(nodes.count)
                        nodes.append(Node())
                        nodes[node].literals[k] = t
                        node = Int(t)
                    }
                }
                continue
            }
            if let e = nodes[node].edges.first(where: { $0.item == item && $0.group == group }) {
                node = Int(e.target)
            } else {
                let t = Int32(nodes.count)
                nodes.append(Node())
                nodes[node].edges.append((item, group, t))
                node = Int(t)
            }
        }
        nodes[node].accepts.append(rule)
    }
}

/// Matching the automaton over a document's tokens.
struct TimeMatcher {
    let automaton: TimeAutomaton
    let tables: TimeTables
    let numberTable: Int
    let doc: Document
    /// Matching stops at this token (sentence end).
    var limit: Int

    struct Match {
        var end: Int
        var rule: Int
        var captures: [Capture]
    }

    /// The best match starting at `i`: longest, then the rule listed first.
    func match(_ nodes: UnsafeBufferPointer<TimeAutomaton.Node>, _ tokens: UnsafeBufferPointer<Token>,
               at i: Int, rules: [TimeRule]) -> Match? {
        var best: Match?
        var caps: [Capture] = []
        walk(nodes, tokens, node: 0, at: i, caps: &caps, best: &best, rules: rules)
        return best
    }

    private func walk(_ nodes: UnsafeBufferPointer<TimeAutomaton.Node>, _ tokens: UnsafeBufferPointer<Token>,
                      node: Int, at j: Int, caps: inout [Capture], best: inout Match?, rules: [TimeRule]) {
        if nodes[node].accepting { accept(nodes, node: node, at: j, caps: caps, best: &best, rules: rules) }
        guard j < limit else { return }
        let tok = tokens[j]
        guard (node == 0 || nodes[node].nextKeys.contains(tok.key)) || (nodes[node].numeric && tok.has(.hasDigit))
        else { return }
        if let t = nodes[node].literalMap[tok.key] {
            walk(nodes, tokens, node: Int(t), at: j + 1, caps: &caps, best: &best, rules: rules)
        }
        if nodes[node].keyed, let li = nodes[node].keyedEdges[tok.key] {
            for ei in automaton.edgeLists[Int(li)] {
                follow(automaton.flatEdges[Int(ei)], nodes, tokens, at: j, caps: &caps, best: &best, rules: rules)
            }
        }
        if nodes[node].numeric && tok.has(.hasDigit) {
            for ei in nodes[node].numberEdges {
                follow(automaton.flatEdges[Int(ei)], nodes, tokens, at: j, caps: &caps, best: &best, rules: rules)
            }
        }
    }

    private func accept(_ nodes: UnsafeBufferPointer<TimeAutomaton.Node>, node: Int, at j: Int, caps: [Capture],
                        best: inout Match?, rules: [TimeRule]) {
        for r in nodes[node].accepts {
            if let b = best {
                if j > b.end || (j == b.end && rules[r].priority < rules[b.rule].priority) {
                    best = Match(end: j, rule: r, captures: caps)
                }
            } else {
                best = Match(end: j, rule: r, captures: caps)
            }
        }
    }

    @inline(__always)
    private func follow(_ e: TimeAutomaton.FlatEdge, _ nodes: UnsafeBufferPointer<TimeAutomaton.Node>,
                        _ tokens: UnsafeBufferPointer<Token>, at j: Int, caps: inout [Capture], best: inout Match?,
                        rules: [TimeRule]) {
        let tok = tokens[j]
        switch e.kind {
        case .literal:
            var k = j
            for key in e.keys {
                if k >= limit || tokens[k].key != key { return }
                k += 1
            }
            // A literal's text is read from the document only when the resolver needs it.
            caps.append(Capture(group: e.group, lo: j, hi: k, value: ""))
            walk(nodes, tokens, node: Int(e.target), at: k, caps: &caps, best: &best, rules: rules)
            caps.removeLast()
        case .table:
            guard let list = tables.phrases(e.table, startingWith: tok.key) else { return }
            for p in list where !p.entry.capitalized || tok.isCapitalized {
                guard let end = TimeTables.end(of: p, doc.tokens, at: j, limit: limit) else { continue }
                caps.append(Capture(group: e.group, lo: j, hi: end, value: p.entry.value))
                walk(nodes, tokens, node: Int(e.target), at: end, caps: &caps, best: &best, rules: rules)
                caps.removeLast()
            }
        case .number:
            if let (end, value) = number(e.number, at: j) {
                caps.append(Capture(group: e.group, lo: j, hi: end, value: value))
                walk(nodes, tokens, node: Int(e.target), at: end, caps: &caps, best: &best, rules: rules)
                caps.removeLast()
            }
        }
    }

    /// Digits of a token when it is all ASCII digits (no separators), else nil.
    func digits(_ j: Int) -> (value: Int, count: Int)? {
        let t = doc.tokens[j]
        guard t.kind == .number, t.length <= 9 else { return nil }
        var v = 0
        for b in doc.bytes[Int(t.start)..<Int(t.end)] {
            guard b >= 48 && b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return (v, t.length)
    }

    /// A numeric slot at token j: its end and value.
    func number(_ kind: NumKind, at j: Int) -> (Int, String)? {
        let t = doc.tokens[j]
        switch kind {
        case .year:
            guard let d = digits(j), d.count == 4, d.value >= 1000, d.value <= 2199 else { return nil }
            return (j + 1, String(d.value))
        case .bigyear:
            guard let d = digits(j), d.value >= 1, d.value <= 9999 else { return nil }
            return (j + 1, String(d.value))
        case .hour:
            guard let d = digits(j), d.count <= 2, d.value <= 24 else { return nil }
            return (j + 1, String(d.value))
        case .minute:
            guard let d = digits(j), d.count == 2, d.value <= 59 else { return nil }
            return (j + 1, String(d.value))
        case .int:
            guard let d = digits(j) else { return nil }
            return (j + 1, String(d.value))
        case .day:
            if let d = digits(j) {
                guard d.count <= 2, d.value >= 1, d.value <= 31 else { return nil }
                return (j + 1, String(d.value))
            }
            // "27th", "1st", "2nd", "3rd"
            guard t.kind == .word, t.length >= 3, t.length <= 4 else { return nil }
            let b = doc.bytes[Int(t.start)..<Int(t.end)]
            var v = 0
            var nd = 0
            for c in b {
                if c >= 48 && c <= 57 { v = v * 10 + Int(c - 48); nd += 1 } else { break }
            }
            guard nd >= 1, nd == t.length - 2, v >= 1, v <= 31 else { return nil }
            return (j + 1, String(v))
        case .decade:
            // "1990s", "90s"
            guard t.kind == .word, t.length == 5 || t.length == 3 else { return nil }
            let b = Array(doc.bytes[Int(t.start)..<Int(t.end)])
            guard b.last == 115 || b.last == 83 else { return nil }
            var v = 0
            for c in b.dropLast() {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            guard v % 10 == 0 else { return nil }
            if t.length == 3 { return (j + 1, String(190 + v / 10)) }
            return (j + 1, String(v / 10))
        case .num:
            if t.kind == .number {
                // Digits with thousands commas and at most one decimal point.
                var whole = 0
                var frac: [UInt8] = []
                var inFrac = false
                for b in doc.bytes[Int(t.start)..<Int(t.end)] {
                    if b >= 48 && b <= 57 {
                        if inFrac { frac.append(b) } else { whole = whole * 10 + Int(b - 48) }
                        if whole >= 1_000_000 { return nil }
                    } else if b == 44 && !inFrac {
                        continue
                    } else if b == 46 && !inFrac {
                        inFrac = true
                    } else {
                        return nil
                    }
                }
                while frac.last == 48 { frac.removeLast() }
                if frac.isEmpty { return (j + 1, String(whole)) }
                return (j + 1, String(whole) + "." + String(decoding: frac, as: UTF8.self))
            }
            guard let m = tables.longest(numberTable, doc.tokens, at: j, limit: limit) else { return nil }
            let first = m.entry
            // "twenty-five": tens, hyphen, unit.
            if let tens = Int(first.value), tens >= 20, tens % 10 == 0, m.end + 1 < limit,
                doc.tokens[m.end].kind == .punct, !doc.tokens[m.end].has(.spaceBefore),
                !doc.tokens[m.end + 1].has(.spaceBefore),
                let u = tables.longest(numberTable, doc.tokens, at: m.end + 1, limit: limit),
                let uv = Int(u.entry.value), uv >= 1, uv <= 9
            {
                return (u.end, String(tens + uv))
            }
            return (m.end, first.value)
        }
    }
}
