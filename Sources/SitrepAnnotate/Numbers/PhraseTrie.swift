import SitrepText

/// A non-generic phrase trie over token keys for the hot loops of the number, casualty and
/// event readers: edges live in one open-addressing table keyed by a mix of (node, token key),
/// values are Int32 indices into the caller's payload array. Probing costs one multiply and a
/// few array reads, with no hashing of structs and no generic dispatch.
public struct PhraseTrie: Sendable {
    /// One probing slot: an edge (parent node, token key) → child node; `node` -1 when empty.
    /// Key, node and child share a cache line, so a probe costs one memory access.
    @usableFromInline struct Slot: Sendable {
        @usableFromInline var key: UInt64
        @usableFromInline var node: Int32
        @usableFromInline var child: Int32
    }

    @usableFromInline var slots: [Slot] = []
    @usableFromInline var mask = 0
    private var building: [UInt64: [(node: Int32, key: UInt64, child: Int32)]] = [:]
    private var nodeCount: Int32 = 1
    @usableFromInline var nodeValues: [[Int32]] = [[]]
    /// The first value index of each node (-1: no phrase ends there).
    @usableFromInline var nodeFirst: [Int32] = [-1]
    /// Per node: true when an edge leaves it. A walk stops at a leaf without probing the edge
    /// table for a child that cannot exist (most phrases end at a leaf).
    @usableFromInline var nodeOpen: [Bool] = [false]
    /// First keys of every phrase.
    public private(set) var starters: Set<UInt64> = []
    /// A 16,384-bit filter over the first keys (2 KB: the filters of every table stay in cache): most tokens are rejected by one bit test.
    @usableFromInline var starterBits = [UInt64](repeating: 0, count: 256)
    /// Filters behind it: the first keys of one-token phrases, and the (first, second) key pairs
    /// of longer phrases. A common word that only begins longer phrases ("the", "a", "to") is
    /// rejected by one more bit test instead of two probes of the edge table.
    @usableFromInline var singleBits = [UInt64](repeating: 0, count: 256)
    @usableFromInline var pairBits = [UInt64](repeating: 0, count: 256)

    /// False when no phrase starts with this key (true may be a false positive).
    @inlinable @inline(__always)
    public func mayStart(_ key: UInt64) -> Bool {
        let b = Int(truncatingIfNeeded: (key >> 7) ^ key) & 0x3FFF
        return starterBits[b >> 6] & (1 << UInt64(b & 63)) != 0
    }

    /// Marks a key as a phrase start in the filter.
    mutating func markStarter(_ key: UInt64) {
        starters.insert(key)
        let b = Int(truncatingIfNeeded: (key >> 7) ^ key) & 0x3FFF
        starterBits[b >> 6] |= 1 << UInt64(b & 63)
    }

    public init() {}

    /// The bit of the pair filter a (first, second) key pair maps to.
    @inlinable @inline(__always)
    public static func pairBit(_ first: UInt64, _ second: UInt64) -> Int {
        Int(truncatingIfNeeded: ((first &* 0x9E37_79B9_7F4A_7C15) ^ second) >> 23) & 0x3FFF
    }

    @inlinable @inline(__always)
    static func test(_ words: [UInt64], _ bit: Int) -> Bool {
        words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// False when no phrase can start at token `i` before `end` (`end` at most `tokens.count`).
    /// No false negatives: a phrase of one token sets its single bit, a longer one its pair bit.
    @inlinable @inline(__always)
    func mayMatch(_ tokens: [Token], at i: Int, end: Int) -> Bool {
        let first = tokens[i].key
        guard mayStart(first) else { return false }
        if Self.test(singleBits, Self.starterBit(first)) { return true }
        return i + 1 < end && Self.test(pairBits, Self.pairBit(first, tokens[i + 1].key))
    }

    @inlinable @inline(__always)
    static func mix(_ node: Int32, _ key: UInt64) -> UInt64 {
        (key ^ (UInt64(UInt32(bitPattern: node)) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    }

    private func buildingChild(_ node: Int32, _ key: UInt64) -> Int32? {
        building[Self.mix(node, key)]?.first { $0.node == node && $0.key == key }?.child
    }

    /// Adds a phrase (as token keys) with a value index. Call `finish()` after the last insert.
    public mutating func insert(keys: [UInt64], value: Int32) {
        guard let first = keys.first else { return }
        markStarter(first)
        if keys.count == 1 {
            let b = Self.starterBit(first)
            singleBits[b >> 6] |= 1 << UInt64(b & 63)
        } else {
            let b = Self.pairBit(first, keys[1])
            pairBits[b >> 6] |= 1 << UInt64(b & 63)
        }
        var node: Int32 = 0
        for key in keys {
            if let child = buildingChild(node, key) {
                node = child
            } else {
                let child = nodeCount
                nodeCount += 1
                nodeValues.append([])
                nodeFirst.append(-1)
                nodeOpen.append(false)
                nodeOpen[Int(node)] = true
                building[Self.mix(node, key), default: []].append((node, key, child))
                node = child
            }
        }
        nodeValues[Int(node)].append(value)
        if nodeFirst[Int(node)] < 0 { nodeFirst[Int(node)] = value }
    }

    /// Adds a phrase given as text, tokenized as documents are.
    public mutating func insert(_ phrase: String, value: Int32) {
        insert(keys: TokenTrie<Int>.keys(of: phrase), value: value)
    }

    /// Freezes the edges into the probing table.
    public mutating func finish() {
        let edges = building.values.flatMap { $0 }
        // at most a quarter full: a probe for an absent edge (the end of every walk) stops at
        // the first or second slot
        var size = 16
        while size < edges.count * 4 { size <<= 1 }
        mask = size - 1
        slots = [Slot](repeating: Slot(key: 0, node: -1, child: 0), count: size)
        for e in edges {
            var s = Int(truncatingIfNeeded: Self.mix(e.node, e.key) >> 20) & mask
            while slots[s].node >= 0 { s = (s + 1) & mask }
            slots[s] = Slot(key: e.key, node: e.node, child: e.child)
        }
    }

    @inlinable @inline(__always)
    func child(_ node: Int32, _ key: UInt64) -> Int32? {
        guard mask > 0 else { return nil }
        var s = Int(truncatingIfNeeded: Self.mix(node, key) >> 20) & mask
        return slots.withUnsafeBufferPointer { p in
            while true {
                let slot = p[s]
                if slot.node < 0 { return nil }
                if slot.node == node && slot.key == key { return slot.child }
                s = (s + 1) & mask
            }
        }
    }

    /// Every phrase starting at token `i`, shortest first: (index after it, value indices).
    @inlinable
    public func allMatches(_ tokens: [Token], at i: Int, limit: Int) -> [(end: Int, values: [Int32])] {
        let end = Swift.min(limit, tokens.count)
        guard mayMatch(tokens, at: i, end: end) else { return [] }
        var node: Int32 = 0
        var j = i
        var out: [(end: Int, values: [Int32])] = []
        while j < end, let next = child(node, tokens[j].key) {
            node = next
            j += 1
            let v = nodeValues[Int(node)]
            if !v.isEmpty { out.append((j, v)) }
            if !nodeOpen[Int(node)] { break }
        }
        return out
    }

    /// The longest phrase starting at token `i` (not crossing `limit`): the index after its last
    /// token and its value indices.
    @inlinable
    public func longestMatch(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, values: [Int32])? {
        let end = Swift.min(limit, tokens.count)
        guard mayMatch(tokens, at: i, end: end) else { return nil }
        var node: Int32 = 0
        var j = i
        var best: (end: Int, values: [Int32])?
        while j < end, let next = child(node, tokens[j].key) {
            node = next
            j += 1
            let v = nodeValues[Int(node)]
            if !v.isEmpty { best = (j, v) }
            if !nodeOpen[Int(node)] { break }
        }
        return best
    }

    /// The longest phrase starting at token `i` (not crossing `limit`): the index after its last
    /// token and its first value index. Same match as `longestMatch`, with no array retained.
    @inlinable
    public func longestMatchFirst(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, value: Int32)? {
        let end = Swift.min(limit, tokens.count)
        guard mayMatch(tokens, at: i, end: end) else { return nil }
        var node: Int32 = 0
        var j = i
        var bestEnd = -1
        var bestValue: Int32 = -1
        while j < end, let next = child(node, tokens[j].key) {
            node = next
            j += 1
            let v = nodeFirst[Int(node)]
            if v >= 0 {
                bestEnd = j
                bestValue = v
            }
            if !nodeOpen[Int(node)] { break }
        }
        return bestEnd < 0 ? nil : (bestEnd, bestValue)
    }

    /// The words of the starter filter (16,384 bits over first keys), to combine the filters of
    /// several tries into one test per token; test a key with `starterBit`.
    public var starterWords: [UInt64] { starterBits }

    /// The words of the one-token-phrase filter (bit `starterBit(first)`) and of the pair filter
    /// (bit `pairBit(first, second)`), to combine the filters of several tries.
    public var singleWords: [UInt64] { singleBits }
    public var pairWords: [UInt64] { pairBits }

    /// The bit of the starter filter a key maps to.
    @inlinable @inline(__always)
    public static func starterBit(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key >> 7) ^ key) & 0x3FFF
    }

    /// Appends every phrase starting at token `i` (not crossing `limit`), shortest first, as the
    /// index after it and its node (`values(ofNode:)`): what `allMatches` finds, into a buffer the
    /// caller reuses. Inlined (its one caller, the event trigger scan, calls it for about one token
    /// in eight): a call copied the trie's fields to the stack first, half as dear as the walk.
    @inlinable @inline(__always)
    public func appendMatches(_ tokens: [Token], at i: Int, limit: Int, into out: inout [(end: Int, node: Int32)]) {
        let end = Swift.min(limit, tokens.count)
        guard mayMatch(tokens, at: i, end: end) else { return }
        var node: Int32 = 0
        var j = i
        while j < end, let next = child(node, tokens[j].key) {
            node = next
            j += 1
            if nodeFirst[Int(node)] >= 0 { out.append((j, node)) }
            if !nodeOpen[Int(node)] { break }
        }
    }

    /// The value indices of a node from `appendMatches`.
    @inlinable
    public func values(ofNode node: Int32) -> [Int32] {
        nodeValues[Int(node)]
    }
}
