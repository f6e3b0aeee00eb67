/// A trie over token keys: multi-token phrases ("BM-30 Smerch", "Ministry of Defence") matched
/// at a token position with one hash lookup per token. All edges share one dictionary, so a
/// trie of many phrases stays compact.
public struct TokenTrie<Value: Sendable>: Sendable {
    struct Edge: Hashable, Sendable {
        let node: Int32
        let key: UInt64
    }

    var edges: [Edge: Int32] = [:]
    var values: [[Value]] = [[]]

    public init() {}

    /// Number of phrases stored.
    public private(set) var count = 0

    /// The token keys of a phrase, tokenized exactly as documents are.
    public static func keys(of phrase: String) -> [UInt64] {
        var tokens: [Token] = []
        var copy = phrase
        copy.withUTF8 { Tokenizer.tokenize($0, into: &tokens) }
        return tokens.map(\.key)
    }

    /// Adds a phrase given as token keys. Several values may share a phrase.
    public mutating func insert(keys: [UInt64], value: Value) {
        guard !keys.isEmpty else { return }
        var node: Int32 = 0
        for key in keys {
            let edge = Edge(node: node, key: key)
            if let next = edges[edge] {
                node = next
            } else {
                let next = Int32(values.count)
                values.append([])
                edges[edge] = next
                node = next
            }
        }
        values[Int(node)].append(value)
        count += 1
    }

    /// Adds a phrase given as text.
    public mutating func insert(_ phrase: String, value: Value) {
        insert(keys: Self.keys(of: phrase), value: value)
    }

    /// The longest phrase starting at token `i`: the index after its last token, and its values.
    /// `canContinue(j)` is asked before token `j` (j > i) is consumed; return false to stop a
    /// phrase from crossing a sentence or boilerplate edge.
    public func longestMatch(
        _ tokens: [Token], at i: Int, limit: Int? = nil, canContinue: (Int) -> Bool = { _ in true }
    ) -> (end: Int, values: [Value])? {
        var best: (end: Int, values: [Value])?
        walk(tokens, at: i, limit: limit, canContinue: canContinue) { end, values in
            best = (end, values)
        }
        return best
    }

    /// Every phrase starting at token `i`, shortest first.
    public func allMatches(
        _ tokens: [Token], at i: Int, limit: Int? = nil, canContinue: (Int) -> Bool = { _ in true }
    ) -> [(end: Int, values: [Value])] {
        var out: [(end: Int, values: [Value])] = []
        walk(tokens, at: i, limit: limit, canContinue: canContinue) { out.append(($0, $1)) }
        return out
    }

    /// True when some phrase starts with this token key.
    public func startsPhrase(_ key: UInt64) -> Bool {
        edges[Edge(node: 0, key: key)] != nil
    }

    func walk(
        _ tokens: [Token], at i: Int, limit: Int?, canContinue: (Int) -> Bool,
        found: (Int, [Value]) -> Void
    ) {
        let end = Swift.min(limit ?? tokens.count, tokens.count)
        var node: Int32 = 0
        var j = i
        while j < end {
            if j > i && !canContinue(j) { break }
            guard let next = edges[Edge(node: node, key: tokens[j].key)] else { break }
            node = next
            j += 1
            let v = values[Int(node)]
            if !v.isEmpty { found(j, v) }
        }
    }
}
