import SitrepText

/// The second-token pre-check: most tokens that may start a time expression ("the", "a", "its",
/// numbers) start none, because the token after them cannot continue any pattern. For every
/// first key the automaton knows the nodes one token in; the keys those nodes accept next (or a
/// one-token match) are collected at load time, and the matcher is not entered when the next
/// token is none of them. A superset test: it never skips a token a walk would match from.
extension TimeAutomaton {
    /// What may follow a first token.
    struct Follow: Sendable {
        /// A match may end after the first token (or the test cannot tell): always walk.
        var always = false
        /// A token with a digit may come next.
        var digit = false
        /// Keys that may come next, in `slots`.
        var keys = KeyRef()
    }

    /// Builds `follows`, `firstFollow`, `digitFollow` and `digitAcceptKinds` from the root's edges.
    /// `nextSets[n]`: the keys node `n`'s edges may start with (its `nextKeys`).
    mutating func computeFollows(tables: TimeTables, nextSets: [Set<UInt64>]) {
        struct Acc {
            var always = false
            var digit = false
            var keys: Set<UInt64> = []
        }
        var acc: [UInt64: Acc] = [:]
        let nodes = self.nodes
        // the first token is the whole item that leads to node `t`
        func target(_ first: UInt64, _ t: Int) {
            if nodes[t].accepting {
                acc[first, default: Acc()].always = true
            } else {
                acc[first, default: Acc()].keys.formUnion(nextSets[t])
                if nodes[t].numeric { acc[first, default: Acc()].digit = true }
            }
        }
        // the item goes on with `second`
        func next(_ first: UInt64, _ second: UInt64) {
            acc[first, default: Acc()].keys.insert(second)
        }
        // a table item: each phrase either ends at the first token or goes on
        func phrases(_ t: Int, _ node: Int, hyphenTens: Bool) {
            for (k, list) in tables.phrases[t] {
                for p in list {
                    if let second = p.rest.first {
                        next(k, second)
                    } else {
                        target(k, node)
                        // "twenty-five": tens, hyphen, unit
                        if hyphenTens, let v = Int(p.entry.value), v >= 20, v % 10 == 0 { next(k, Fold.key("-")) }
                    }
                }
            }
        }
        var digit = Acc()
        var acceptKinds: [NumKind] = []
        let numberTable = tables.index["number"]
        for (k, t) in nodes[0].literals { target(k, Int(t)) }
        for e in nodes[0].edges {
            let t = Int(e.target)
            switch e.item {
            case .literal(let keys):
                guard let first = keys.first else { continue }
                if keys.count > 1 { next(first, keys[1]) } else { target(first, t) }
            case .table(let table):
                phrases(table, t, hyphenTens: false)
            case .number(let kind):
                // a token with a digit is the whole numeric item
                if nodes[t].accepting, !acceptKinds.contains(kind) { acceptKinds.append(kind) }
                digit.keys.formUnion(nextSets[t])
                if nodes[t].numeric { digit.digit = true }
                if kind == .num, let n = numberTable { phrases(n, t, hyphenTens: true) }
            }
        }
        var map = TimeKeyMap(capacity: firstKeys.count)
        for k in firstKeys.sorted() {
            map[k] = Int32(follows.count)
            let a = acc[k] ?? Acc(always: true)
            follows.append(Follow(always: a.always, digit: a.digit,
                                  keys: store(TimeKeyMap(a.keys.sorted().map { ($0, 0) }))))
        }
        firstFollow = map
        digitFollow = Follow(always: false, digit: digit.digit, keys: store(TimeKeyMap(digit.keys.sorted().map { ($0, 0) })))
        digitAcceptKinds = acceptKinds
    }
}

extension TimeMatcher {
    /// Whether a match may start at token `i` whose first step is described by `f`: the
    /// next token (before the sentence end `h.limit`) is one `f` allows.
    @inline(__always)
    static func mayContinue(_ f: TimeAutomaton.Follow, _ h: Hot, at i: Int) -> Bool {
        if f.always { return true }
        let j = i + 1
        guard j < h.limit else { return false }
        let t = h.tokens[j]
        return TimeKeyMap.find(h.slots, f.keys, t.key) != nil || (f.digit && t.has(.hasDigit))
    }
}
