import SitrepText

/// Phrase lookup with payloads over the non-generic `PhraseTrie`. Shared by the number reader and
/// the extract stages; every method is `@inlinable`, so each client module specializes it for its
/// payload type: no generic dispatch on the hot path.
public struct Lookup<Value: Sendable>: Sendable {
    @usableFromInline var trie = PhraseTrie()
    @usableFromInline var payload: [Value] = []

    public init() {}

    public mutating func insert(_ phrase: String, value: Value) {
        trie.insert(phrase, value: Int32(payload.count))
        payload.append(value)
    }

    /// Call once after the last insert.
    public mutating func finish() { trie.finish() }

    @inlinable @inline(__always)
    public func startsPhrase(_ key: UInt64) -> Bool { trie.mayStart(key) && trie.starters.contains(key) }

    /// Fast negative filter: false when no phrase starts with this key.
    @inlinable @inline(__always)
    public func mayStart(_ key: UInt64) -> Bool { trie.mayStart(key) }

    @inlinable @inline(__always)
    public func longestMatch(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, values: [Value])? {
        guard let m = trie.longestMatch(tokens, at: i, limit: limit) else { return nil }
        return (m.end, m.values.map { payload[Int($0)] })
    }

    /// The longest phrase at token `i` and its first payload (what `longestMatch(...)?.values.first`
    /// gives), without building an array.
    @inlinable @inline(__always)
    public func longestFirst(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, value: Value)? {
        // the starter filter, tested inline: most tokens never reach the (out-of-line) trie walk
        guard i < tokens.count, trie.mayStart(tokens[i].key) else { return nil }
        guard let m = trie.longestMatchFirst(tokens, at: i, limit: limit) else { return nil }
        return (m.end, payload[Int(m.value)])
    }

    /// The longest phrase at token `i` and the index of its first payload (`self[index]`): what
    /// `longestFirst` finds, with no payload copied (a payload holding strings costs retains).
    @inlinable @inline(__always)
    public func longestFirstIndex(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, index: Int32)? {
        guard i < tokens.count, trie.mayStart(tokens[i].key) else { return nil }
        guard let m = trie.longestMatchFirst(tokens, at: i, limit: limit) else { return nil }
        return (m.end, m.value)
    }

    /// The end of the longest phrase at token `i`, or nil.
    @inlinable @inline(__always)
    public func longestEnd(_ tokens: [Token], at i: Int, limit: Int) -> Int? {
        guard i < tokens.count, trie.mayStart(tokens[i].key) else { return nil }
        return trie.longestMatchFirst(tokens, at: i, limit: limit)?.end
    }

    /// Every phrase starting at token `i`, shortest first.
    @inlinable
    public func allMatches(_ tokens: [Token], at i: Int, limit: Int) -> [(end: Int, values: [Value])] {
        trie.allMatches(tokens, at: i, limit: limit).map { m in (m.end, m.values.map { payload[Int($0)] }) }
    }

    /// Every phrase starting at token `i`, shortest first, as payload indices (no copies).
    @inlinable
    public func allMatchIndices(_ tokens: [Token], at i: Int, limit: Int) -> [(end: Int, values: [Int32])] {
        trie.allMatches(tokens, at: i, limit: limit)
    }

    /// The payload of an index from `allMatchIndices`.
    @inlinable @inline(__always)
    public subscript(_ index: Int32) -> Value { payload[Int(index)] }

    /// The starter filter's words (see `PhraseTrie.starterWords`).
    public var starterWords: [UInt64] { trie.starterWords }

    /// The one-token-phrase and pair filters' words (see `PhraseTrie.singleWords`, `pairWords`).
    public var singleWords: [UInt64] { trie.singleWords }
    public var pairWords: [UInt64] { trie.pairWords }

    /// Appends every phrase starting at token `i`, shortest first, as (end, node).
    @inlinable @inline(__always)
    public func appendMatches(_ tokens: [Token], at i: Int, limit: Int, into out: inout [(end: Int, node: Int32)]) {
        guard i < tokens.count, trie.mayStart(tokens[i].key) else { return }
        trie.appendMatches(tokens, at: i, limit: limit, into: &out)
    }

    /// The payload indices of a node from `appendMatches`.
    @inlinable @inline(__always)
    public func values(ofNode node: Int32) -> [Int32] { trie.values(ofNode: node) }
}
