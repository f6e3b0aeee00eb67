import Foundation
import SitrepLanguage
import SitrepText

/// The 64 Ki-bit filter slot of a token key.
@inlinable @inline(__always)
package func filterSlot(_ key: UInt64) -> (Int, UInt64) {
    let h = Int(truncatingIfNeeded: (key ^ (key >> 29)) & 0xFFFF)
    return (h >> 6, UInt64(1) << UInt64(h & 63))
}

/// First-token filter bits, to test tokens in hot loops without calls: `any` holds keys of
/// phrases that start with a token of any case, `capital` those whose first token must be
/// capitalized. Bit of a key: `filterSlot`.
package struct TokenFilter: Sendable {
    package var any: [UInt64]
    package var capital: [UInt64]

    package init(any: [UInt64] = [UInt64](repeating: 0, count: 1024),
                 capital: [UInt64] = [UInt64](repeating: 0, count: 1024)) {
        self.any = any
        self.capital = capital
    }

    /// Both filters of `other` added to these.
    package mutating func formUnion(_ other: TokenFilter) {
        for w in 0..<1024 {
            any[w] |= other.any[w]
            capital[w] |= other.capital[w]
        }
    }
}

/// A token trie for lexicon phrases, specialized for speed: edges (node, token key) live in one
/// open-addressing table of flat arrays (no hashing of structs, no generic code across modules),
/// and a 64 Ki-bit filter on first-token keys rejects most tokens before any lookup.
///
/// Entries care about letter case: a lexicon token written with a capital ("Grad", "Chad") must
/// match a capitalized token, one written all in capitals ("IS", "WHO", "AP") an all-caps token.
/// Each phrase maps to entry ids (`Int32`) that the owner resolves to its values.
package struct PhraseIndex: Sendable {
    /// One edge (parent node, token key) → child node; `child` -1 marks an empty slot. Key,
    /// parent and child share a cache line: one memory access per probe.
    struct Slot: Sendable {
        var key: UInt64
        var parent: Int32
        var child: Int32
    }

    private var slots: [Slot]
    private var mask: Int
    private var edges = 0
    /// Entry ids of the phrases ending at each node (node 0 is the root).
    private var nodeEntries: [[Int32]] = [[]]
    /// The same ids as one list per node threaded through flat arrays (the node's first entry,
    /// each entry's next; -1 ends a list), for `forEachMatch`: reading them retains nothing.
    private var nodeFirst: [Int32] = [-1]
    private var nodeLast: [Int32] = [-1]
    private var entryNext: [Int32] = []
    /// Number of entries per node, read before touching `nodeEntries` (most nodes have none).
    private var nodeEntryCount: [UInt16] = [0]
    /// Per entry id: per phrase token 0 any case, 1 capitalized, 2 all caps.
    private var patterns: [[UInt8]] = []
    /// Per entry id: whether its pattern is all 0 (any case fits: no token is read).
    private var anyCase: [Bool] = []
    /// First-token filters: phrases whose first token may be any case / must be capitalized.
    @usableFromInline var filter = [UInt64](repeating: 0, count: 1024)
    @usableFromInline var capitalFilter = [UInt64](repeating: 0, count: 1024)

    package init() {
        slots = [Slot](repeating: Slot(key: 0, parent: 0, child: -1), count: 256)
        mask = 255
    }

    /// Number of entries.
    package var count: Int { patterns.count }

    @inline(__always)
    static func hash(_ parent: Int32, _ key: UInt64) -> Int {
        let h = key ^ (UInt64(UInt32(bitPattern: parent)) &* 0x9E37_79B9_7F4A_7C15)
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }

    /// The child of `node` along token key `key`, or -1.
    @inline(__always)
    package func child(_ node: Int32, _ key: UInt64) -> Int32 {
        var i = Self.hash(node, key) & mask
        while true {
            let slot = slots[i]
            if slot.child < 0 { return -1 }
            if slot.key == key && slot.parent == node { return slot.child }
            i = (i + 1) & mask
        }
    }

    private mutating func place(_ parent: Int32, _ key: UInt64, _ child: Int32) {
        var i = Self.hash(parent, key) & mask
        while slots[i].child >= 0 { i = (i + 1) & mask }
        slots[i] = Slot(key: key, parent: parent, child: child)
    }

    private mutating func grow() {
        let old = slots
        let capacity = (mask + 1) * 2
        slots = [Slot](repeating: Slot(key: 0, parent: 0, child: -1), count: capacity)
        mask = capacity - 1
        for slot in old where slot.child >= 0 { place(slot.parent, slot.key, slot.child) }
    }

    /// Adds a phrase as written in a lexicon; returns its entry id, nil when it has no tokens.
    /// `reversed`: the phrase is stored last token first, for `longestEnding(at:)`.
    @discardableResult
    package mutating func insert(_ phrase: String, reversed: Bool = false) -> Int32? {
        var tokens: [Token] = []
        var copy = phrase
        copy.withUTF8 { Tokenizer.tokenize($0, into: &tokens) }
        if reversed { tokens.reverse() }
        guard let first = tokens.first else { return nil }
        var node: Int32 = 0
        for t in tokens {
            let next = child(node, t.key)
            if next >= 0 {
                node = next
                continue
            }
            if (edges + 1) * 2 > mask + 1 { grow() }
            let created = Int32(nodeEntries.count)
            nodeEntries.append([])
            nodeFirst.append(-1)
            nodeLast.append(-1)
            nodeEntryCount.append(0)
            place(node, t.key, created)
            edges += 1
            node = created
        }
        let id = Int32(patterns.count)
        let pattern: [UInt8] = tokens.map {
            if $0.has(.allCaps) && $0.kind == .word { return 2 }
            if $0.has(.capitalized) && $0.kind == .word { return 1 }
            return 0
        }
        patterns.append(pattern)
        anyCase.append(pattern.allSatisfy { $0 == 0 })
        nodeEntries[Int(node)].append(id)
        entryNext.append(-1)
        let last = nodeLast[Int(node)]
        if last >= 0 { entryNext[Int(last)] = id } else { nodeFirst[Int(node)] = id }
        nodeLast[Int(node)] = id
        nodeEntryCount[Int(node)] &+= 1
        let (w, bit) = filterSlot(first.key)
        if pattern[0] == 0 { filter[w] |= bit } else { capitalFilter[w] |= bit }
        return id
    }

    /// Whether some phrase starts with this token key, in any case (exact where the filters are
    /// not: one probe of the edge table).
    @inline(__always)
    package func startsPhrase(_ key: UInt64) -> Bool { child(0, key) >= 0 }

    /// Whether a phrase may start at token `i` (before `limit`): the root has an edge for its key,
    /// and a phrase ends there or an edge goes on with the next token's key (any case). Where this
    /// is false `forEachMatch` finds nothing.
    @inline(__always)
    package func mayMatch(_ tokens: [Token], at i: Int, limit: Int) -> Bool {
        let first = child(0, tokens[i].key)
        if first < 0 { return false }
        if nodeEntryCount[Int(first)] != 0 { return true }
        return i + 1 < limit && child(first, tokens[i + 1].key) >= 0
    }

    /// The first-token filter, for loops that test tokens inline.
    package var tokenFilter: TokenFilter { TokenFilter(any: filter, capital: capitalFilter) }

    /// Whether some phrase may start with this token (false positives possible, no false
    /// negatives): lowercase tokens are checked only against phrases that allow any case.
    @inlinable @inline(__always)
    package func mayStart(_ token: Token) -> Bool {
        let (w, bit) = filterSlot(token.key)
        return filter[w] & bit != 0 || (token.has(.capitalized) && capitalFilter[w] & bit != 0)
    }

    @inline(__always)
    func fits(_ id: Int32, _ tokens: [Token], at i: Int) -> Bool {
        if anyCase[Int(id)] { return true }
        let pattern = patterns[Int(id)]
        for k in pattern.indices where pattern[k] != 0 {
            let t = tokens[i + k]
            if pattern[k] == 2 {
                if !t.has(.allCaps) && !(t.has(.dottedAbbreviation) && t.has(.capitalized)) { return false }
            } else if !t.has(.capitalized) {
                return false
            }
        }
        return true
    }

    /// Calls `body(end, id)` for every phrase at token `i` (shortest first) and each of its
    /// entries whose case fits (in insertion order); stops when `body` returns false.
    /// (the entries are read from the threaded lists: no array is retained or filtered per node)
    @inline(__always)
    package func forEachMatch(_ tokens: [Token], at i: Int, limit: Int, _ body: (Int, Int32) -> Bool) {
        guard i < limit, mayStart(tokens[i]) else { return }
        var node: Int32 = 0
        var j = i
        while j < limit {
            node = child(node, tokens[j].key)
            if node < 0 { return }
            j += 1
            if nodeEntryCount[Int(node)] == 0 { continue }
            var id = nodeFirst[Int(node)]
            while id >= 0 {
                if fits(id, tokens, at: i) && !body(j, id) { return }
                id = entryNext[Int(id)]
            }
        }
    }

    /// For an index built with `reversed` phrases: the longest phrase ending with token `j`
    /// (inclusive) and starting at or after `floor`: its start and the fitting entry ids.
    package func longestEnding(at j: Int, floor: Int, _ tokens: [Token]) -> (start: Int, ids: [Int32])? {
        guard j >= floor, j < tokens.count, mayStart(tokens[j]) else { return nil }
        var best: (start: Int, ids: [Int32])?
        var node: Int32 = 0
        var k = j
        while k >= floor {
            node = child(node, tokens[k].key)
            if node < 0 { break }
            if nodeEntryCount[Int(node)] != 0 {
                let ids = nodeEntries[Int(node)]
                var fitting: [Int32] = []
                for id in ids {
                    if anyCase[Int(id)] {
                        fitting.append(id)
                        continue
                    }
                    let pattern = patterns[Int(id)]
                    var ok = true
                    for q in pattern.indices where pattern[q] != 0 {
                        let t = tokens[j - q]
                        if pattern[q] == 2 ? !(t.has(.allCaps) || t.has(.dottedAbbreviation) && t.has(.capitalized))
                            : !t.has(.capitalized)
                        {
                            ok = false
                            break
                        }
                    }
                    if ok { fitting.append(id) }
                }
                if !fitting.isEmpty { best = (k, fitting) }
            }
            k -= 1
        }
        return best
    }

    /// The longest phrase at token `i` whose case fits: its end and the fitting entry ids.
    /// (the walk of `forEachMatch` without its closure: the entries of each node are only tested,
    /// and the list of the longest match's fitting entries is taken once, at the end)
    package func longest(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, ids: [Int32])? {
        guard i < limit, mayStart(tokens[i]) else { return nil }
        var node: Int32 = 0
        var j = i
        var bestEnd = -1, bestNode: Int32 = 0, bestAll = true
        while j < limit {
            node = child(node, tokens[j].key)
            if node < 0 { break }
            j += 1
            if nodeEntryCount[Int(node)] == 0 { continue }
            var all = true, any = false
            for id in nodeEntries[Int(node)] {
                if fits(id, tokens, at: i) { any = true } else { all = false }
            }
            if any {
                bestEnd = j
                bestNode = node
                bestAll = all
            }
        }
        guard bestEnd >= 0 else { return nil }
        let ids = nodeEntries[Int(bestNode)]
        return (bestEnd, bestAll ? ids : ids.filter { fits($0, tokens, at: i) })
    }
}

/// A `PhraseIndex` whose entries carry values.
package struct PhraseTable<Value: Sendable>: Sendable {
    package private(set) var index = PhraseIndex()
    package private(set) var values: [Value] = []

    package init() {}

    package var count: Int { values.count }

    /// Adds a phrase as written in a lexicon. Returns false when it has no tokens.
    @discardableResult
    package mutating func insert(_ phrase: String, value: Value) -> Bool {
        guard index.insert(phrase) != nil else { return false }
        values.append(value)
        return true
    }

    @inline(__always)
    package func mayStart(_ token: Token) -> Bool { index.mayStart(token) }

    /// The values of some entries, read in place (no array is built).
    package struct Hits: Sequence {
        let ids: [Int32]
        let values: [Value]

        package struct Iterator: IteratorProtocol {
            let hits: Hits
            var k = 0

            package mutating func next() -> Value? {
                guard k < hits.ids.count else { return nil }
                defer { k += 1 }
                return hits.values[Int(hits.ids[k])]
            }
        }

        package func makeIterator() -> Iterator { Iterator(hits: self) }

        package var first: Value? { ids.isEmpty ? nil : values[Int(ids[0])] }
    }

    /// The longest phrase at token `i` whose case fits: its end and the values of its fitting entries.
    package func longest(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, values: Hits)? {
        guard let m = index.longest(tokens, at: i, limit: limit) else { return nil }
        return (m.end, Hits(ids: m.ids, values: values))
    }

    /// Every fitting phrase at token `i`, shortest first.
    package func all(_ tokens: [Token], at i: Int, limit: Int) -> [(end: Int, values: [Value])] {
        var out: [(end: Int, values: [Value])] = []
        index.forEachMatch(tokens, at: i, limit: limit) { end, id in
            if let last = out.last, last.end == end {
                out[out.count - 1].values.append(values[Int(id)])
            } else {
                out.append((end, [values[Int(id)]]))
            }
            return true
        }
        return out
    }
}

/// Splits a `|`-separated lexicon cell into trimmed, non-empty parts.
package func splitVariants(_ cell: String) -> [String] {
    cell.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Set of single-token or multi-token phrases (function words), keyed by token keys.
package struct PhraseSet: Sendable {
    @usableFromInline var singles = KeySet()
    @usableFromInline var filter = [UInt64](repeating: 0, count: 1024)
    /// The same filter over members' last keys (for `endsAt`).
    private var lastFilter = [UInt64](repeating: 0, count: 1024)
    private(set) var phrases: [[UInt64]] = []
    /// The first key of each of `phrases` (tested before the phrase's array is read).
    private var phraseFirst: [UInt64] = []

    package init() {}

    package init(_ words: [String]) {
        for w in words { insert(w) }
    }

    /// Adds one token key as is (for tokens the tokenizer only makes in context, like possessive 's).
    package mutating func insert(key: UInt64) {
        let (w, bit) = filterSlot(key)
        filter[w] |= bit
        lastFilter[w] |= bit
        singles.insert(key)
    }

    package mutating func insert(_ phrase: String) {
        let keys = TokenTrie<Int>.keys(of: phrase)
        if let first = keys.first {
            let (w, bit) = filterSlot(first)
            filter[w] |= bit
        }
        if let last = keys.last {
            let (w, bit) = filterSlot(last)
            lastFilter[w] |= bit
        }
        if keys.count == 1 {
            singles.insert(keys[0])
        } else if keys.count > 1 {
            phrases.append(keys)
            phraseFirst.append(keys[0])
        }
    }

    /// The first-token filter (any case), for loops that test tokens inline.
    package var tokenFilter: TokenFilter { TokenFilter(any: filter) }

    @inlinable @inline(__always)
    package func contains(_ key: UInt64) -> Bool {
        let (w, bit) = filterSlot(key)
        return filter[w] & bit != 0 && singles.contains(key)
    }

    /// Whether some member may start with this key (no false negatives).
    @inline(__always)
    package func mayStart(_ key: UInt64) -> Bool {
        let (w, bit) = filterSlot(key)
        return filter[w] & bit != 0
    }

    /// The end of a phrase of this set starting at token `i` (single tokens included), or nil.
    package func match(_ tokens: [Token], at i: Int, limit: Int) -> Int? {
        guard i < limit, mayStart(tokens[i].key) else { return nil }
        var best: Int?
        let first = tokens[i].key
        if singles.contains(first) { best = i + 1 }
        for pi in phraseFirst.indices where phraseFirst[pi] == first
            && i + phrases[pi].count <= limit && (best ?? 0) < i + phrases[pi].count
        {
            var ok = true
            for k in 0..<phrases[pi].count where tokens[i + k].key != phrases[pi][k] {
                ok = false
                break
            }
            if ok { best = i + phrases[pi].count }
        }
        return best
    }

    /// Whether a phrase of this set ends exactly at token `end` (exclusive), starting at or after `floor`.
    package func endsAt(_ tokens: [Token], _ end: Int, floor: Int) -> Bool {
        // every member ends with token `end - 1`: none can when its key is not a last key
        guard end - 1 >= floor, end - 1 >= 0, end <= tokens.count else { return false }
        let (w, bit) = filterSlot(tokens[end - 1].key)
        guard lastFilter[w] & bit != 0 else { return false }
        if end - 1 >= floor, end - 1 < tokens.count, singles.contains(tokens[end - 1].key) { return true }
        for pi in phrases.indices {
            let start = end - phrases[pi].count
            guard start >= floor, end <= tokens.count else { continue }
            var ok = true
            for k in 0..<phrases[pi].count where tokens[start + k].key != phrases[pi][k] {
                ok = false
                break
            }
            if ok { return true }
        }
        return false
    }
}

extension Lexicon {
    /// Rows whose `column` equals `value`.
    package func rows(where column: String, is value: String) -> [LexiconRow] {
        rows.filter { $0[column] == value }
    }
}
