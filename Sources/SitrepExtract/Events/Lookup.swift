import SitrepAnnotate
import SitrepText

/// Phrase lookup with payloads over the non-generic `PhraseTrie` (kept module-internal so the
/// compiler specializes it: no generic dispatch on the hot path).
struct Lookup<Value: Sendable>: Sendable {
    private var trie = PhraseTrie()
    private var payload: [Value] = []

    init() {}

    mutating func insert(_ phrase: String, value: Value) {
        trie.insert(phrase, value: Int32(payload.count))
        payload.append(value)
    }

    /// Call once after the last insert.
    mutating func finish() { trie.finish() }

    @inline(__always)
    func startsPhrase(_ key: UInt64) -> Bool { trie.mayStart(key) && trie.starters.contains(key) }

    /// Fast negative filter: false when no phrase starts with this key.
    @inline(__always)
    func mayStart(_ key: UInt64) -> Bool { trie.mayStart(key) }

    @inline(__always)
    func longestMatch(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, values: [Value])? {
        guard let m = trie.longestMatch(tokens, at: i, limit: limit) else { return nil }
        return (m.end, m.values.map { payload[Int($0)] })
    }

    /// Every phrase starting at token `i`, shortest first.
    func allMatches(_ tokens: [Token], at i: Int, limit: Int) -> [(end: Int, values: [Value])] {
        trie.allMatches(tokens, at: i, limit: limit).map { m in (m.end, m.values.map { payload[Int($0)] }) }
    }

    /// Every phrase starting at token `i`, shortest first, as payload indices (no copies).
    func allMatchIndices(_ tokens: [Token], at i: Int, limit: Int) -> [(end: Int, values: [Int32])] {
        trie.allMatches(tokens, at: i, limit: limit)
    }

    /// The payload of an index from `allMatchIndices`.
    @inline(__always)
    subscript(_ index: Int32) -> Value { payload[Int(index)] }
}
