import SitrepLanguage
import SitrepText

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
    /// `deictic: no`: not a cue for the news/narrative decision ("for the year").
    var notDeictic: Bool = false
    /// `duration-before-end`: the value when "ended"/"ending" follows ("the year ended March 31").
    var durationBeforeEnd: String? = nil
}

/// The rule parameters the resolver reads, resolved to slots at load (`TimeTagger.paramSlots`):
/// the hot path looks no string up in a dictionary.
enum TimeParam: Int, CaseIterable {
    case anaphoric, current, dir, h, half, mod, n, offset, pod, q, refyear, shift, spelled, u, value, week, yearOffset

    /// Its key in `rules.json`.
    var key: String {
        switch self {
        case .yearOffset: "year-offset"
        default: "\(self)"
        }
    }
}

/// A rule's `action` as a small enum, resolved once at load (the hot path compares no strings).
enum TimeAction: UInt8, Sendable {
    case date, month, era, decade, season, quarter, half, quarterCurrent, relday, weekday, relunit, shift, anaphor
    case duration, clock, set, setWeekday, ref, cue, holiday, century, other

    init(_ action: String) {
        switch action {
        case "date": self = .date
        case "month": self = .month
        case "era": self = .era
        case "decade": self = .decade
        case "season": self = .season
        case "quarter": self = .quarter
        case "half": self = .half
        case "quarter-current": self = .quarterCurrent
        case "relday": self = .relday
        case "weekday": self = .weekday
        case "relunit": self = .relunit
        case "shift": self = .shift
        case "anaphor": self = .anaphor
        case "duration": self = .duration
        case "clock": self = .clock
        case "set": self = .set
        case "set-weekday": self = .setWeekday
        case "ref": self = .ref
        case "cue": self = .cue
        case "holiday": self = .holiday
        case "century": self = .century
        default: self = .other
        }
    }
}

/// The scalar facts about a rule the candidate filter reads, in a trivially copyable form
/// (copying a `TimeRule` retains its strings and dictionary).
struct TimeRuleInfo: Sendable {
    var action: TimeAction
    var type: TimexType
    var priority: Int
    var silent: Bool
    /// `params` is not empty (most rules have none: `param` looks nothing up for them).
    var hasParams: Bool
    var narrativeOnly: Bool
    var notDeictic: Bool
    /// `id` is "date-year" / "date-month".
    var dateYear: Bool
    var dateMonth: Bool
    /// `params["n"] == "X"`.
    var unspecifiedCount: Bool
    /// `action` starts with "ref".
    var refLike: Bool

    init(_ r: TimeRule) {
        action = TimeAction(r.action)
        type = r.type
        priority = r.priority
        silent = r.silent
        hasParams = !r.params.isEmpty
        narrativeOnly = r.narrativeOnly
        notDeictic = r.notDeictic
        dateYear = r.id == "date-year"
        dateMonth = r.id == "date-month"
        unspecifiedCount = r.params["n"] == "X"
        refLike = r.action.hasPrefix("ref")
    }
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
        /// Keys any outgoing edge can start with (one lookup rejects most tokens), in `slots`.
        var nextKeys = KeyRef()
        /// `literals` in hot-path form, in `slots`.
        var literalMap = KeyRef()
        /// Some outgoing edge is a numeric slot.
        var numeric = false
        /// `accepts` is not empty.
        var accepting = false
        /// `keyedEdges` is not empty.
        var keyed = false
        /// Hot path: token key → `lo << 8 | count` into `edgeFlat` of the edges that can start with it.
        var keyedEdges = KeyRef()
        /// Hot path: numeric-slot edges (indices into `flatEdges`), tried on tokens with digits.
        var numberEdges: [Int32] = []
        /// Hot path: `numberEdges` and `accepts` copied into `edgeFlat` (no array, no reference
        /// counting on the walk): `edgeFlat[numberLo ..< numberLo + numberCount]`, and so on.
        var numberLo: Int32 = 0
        var numberCount: Int32 = 0
        var acceptLo: Int32 = 0
        var acceptCount: Int32 = 0
    }

    /// An edge in hot-path form.
    struct FlatEdge: Sendable {
        enum Kind: UInt8, Sendable { case literal, table, number }
        var kind: Kind
        var table: Int
        var number: NumKind
        /// Literal keys: `edgeKeys[keyLo ..< keyLo + keyCount]`.
        var keyLo: Int32
        var keyCount: Int32
        var group: Int
        var target: Int32
    }

    var flatEdges: [FlatEdge] = []
    var edgeFlat: [Int32] = []
    var edgeKeys: [UInt64] = []
    /// Every node's maps, copied into one table (no reference counting on the hot path).
    var slots: [TimeKeyMap.Slot] = []

    mutating func store(_ map: TimeKeyMap) -> KeyRef {
        guard map.count > 0 else { return KeyRef() }
        let ref = KeyRef(base: Int32(slots.count), mask: Int32(map.rawMask))
        slots.append(contentsOf: map.rawSlots)
        return ref
    }

    /// Computes every node's lookahead set; call once after the last `add`.
    mutating func finalize(tables: TimeTables) {
        let numberFirst = tables.index["number"].map { tables.firstKeys[$0] } ?? []
        var nextSets: [Set<UInt64>] = []
        nextSets.reserveCapacity(nodes.count)
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
                var flat = FlatEdge(kind: .literal, table: -1, number: .int, keyLo: Int32(edgeKeys.count),
                                    keyCount: 0, group: e.group, target: e.target)
                switch e.item {
                case .literal(let k):
                    edgeKeys.append(contentsOf: k)
                    flat.keyCount = Int32(k.count)
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
                keyed[k] = Int32(edgeFlat.count << 8 | min(list.count, 255))
                edgeFlat.append(contentsOf: list)
            }
            nodes[i].keyedEdges = store(keyed)
            nodes[i].keyed = keyed.count > 0
            nodes[i].accepting = !nodes[i].accepts.isEmpty
            nodes[i].numberEdges = numberEdges
            nodes[i].numberLo = Int32(edgeFlat.count)
            nodes[i].numberCount = Int32(numberEdges.count)
            edgeFlat.append(contentsOf: numberEdges)
            nodes[i].acceptLo = Int32(edgeFlat.count)
            nodes[i].acceptCount = Int32(nodes[i].accepts.count)
            edgeFlat.append(contentsOf: nodes[i].accepts.map { Int32($0) })
            nodes[i].nextKeys = store(TimeKeyMap(keys.sorted().map { ($0, 0) }))
            nextSets.append(keys)
            nodes[i].literalMap = store(TimeKeyMap(nodes[i].literals.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) }))
            nodes[i].numeric = numeric
        }
        firstMap = TimeKeyMap(firstKeys.sorted().map { ($0, 0) })
        firstBits = [UInt64](repeating: 0, count: 1024)
        for k in firstKeys {
            let h = Int(truncatingIfNeeded: (k ^ (k >> 29)) & 0xFFFF)
            firstBits[h >> 6] |= UInt64(1) << UInt64(h & 63)
        }
        computeFollows(tables: tables, nextSets: nextSets)
    }

    /// Per first key: what may follow it (`TimeAutomaton+Follow.swift`); `firstFollow` maps every
    /// key of `firstKeys` to its entry of `follows`.
    var follows: [Follow] = []
    var firstFollow = TimeKeyMap()
    /// What may follow a token with a digit at the start of a match, and the numeric slots
    /// whose match alone is a whole expression ("1995": a year).
    var digitFollow = Follow()
    var digitAcceptKinds: [NumKind] = []

    /// `firstKeys` in hot-path form.
    var firstMap = TimeKeyMap()
    /// A 64 Ki-bit filter of `firstKeys` (bit `(key ^ key >> 29) & 0xFFFF`): no false negatives.
    var firstBits: [UInt64] = []

    var nodes: [Node] = [Node()]
    var groups: [String] = []
    var groupIndex: [String: Int] = [:]
    /// Per rule: bit `g` is set when one of its patterns names group `g` (bit 63: a group id
    /// of 63 or more). A rule without the bit has no capture of that group.
    var ruleGroups: [UInt64] = []
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
                while ruleGroups.count <= rule { ruleGroups.append(0) }
                ruleGroups[rule] |= UInt64(1) << UInt64(min(group, 63))
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
