/// A trie over token keys: multi-token phrases ("BM-30 Smerch", "Ministry of Defence") matched
/// at a token position with one hash probe per token. All edges live in one open-addressing
/// table (parallel flat arrays, multiplicative hashing), so a trie of many phrases stays compact
/// and a miss — the common case — costs one probe and no allocation.
public struct TokenTrie<Value: Sendable>: Sendable {
    /// Edge table: parent node, token key, child node (-1 = empty slot).
    @usableFromInline var edgeParent: [Int32] = []
    @usableFromInline var edgeKey: [UInt64] = []
    @usableFromInline var edgeChild: [Int32] = []
    @usableFromInline var mask = 0
    var edgeCount = 0
    /// Values per node (node 0 is the root).
    @usableFromInline var values: [[Value]] = [[]]
    /// A 16,384-bit filter over the phrases' first keys: most tokens start no phrase, and one
    /// bit test rejects them before the edge table is probed.
    @usableFromInline var starterBits = [UInt64](repeating: 0, count: 256)

    @inlinable @inline(__always)
    static func starterBit(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key >> 17) ^ key) & 0x3FFF
    }

    public init() {
        resize(16)
    }

    /// Number of phrases stored.
    public private(set) var count = 0

    /// The token keys of a phrase, tokenized exactly as documents are.
    public static func keys(of phrase: String) -> [UInt64] {
        var tokens: [Token] = []
        var copy = phrase
        copy.withUTF8 { Tokenizer.tokenize($0, into: &tokens) }
        return tokens.map(\.key)
    }

    @inlinable @inline(__always)
    static func slot(_ parent: Int32, _ key: UInt64, _ mask: Int) -> Int {
        let h = (key ^ (UInt64(UInt32(bitPattern: parent)) &* 0x9E37_79B9_7F4A_7C15)) &* 0xFF51_AFD7_ED55_8CCD
        return Int(truncatingIfNeeded: h >> 29) & mask
    }

    mutating func resize(_ capacity: Int) {
        let oldParent = edgeParent, oldKey = edgeKey, oldChild = edgeChild
        edgeParent = [Int32](repeating: 0, count: capacity)
        edgeKey = [UInt64](repeating: 0, count: capacity)
        edgeChild = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for k in 0..<oldChild.count where oldChild[k] >= 0 {
            var s = Self.slot(oldParent[k], oldKey[k], mask)
            while edgeChild[s] >= 0 { s = (s + 1) & mask }
            edgeParent[s] = oldParent[k]
            edgeKey[s] = oldKey[k]
            edgeChild[s] = oldChild[k]
        }
    }

    /// The child of `node` along `key`, or -1.
    @inlinable @inline(__always)
    public func child(_ node: Int32, _ key: UInt64) -> Int32 {
        var s = Self.slot(node, key, mask)
        while true {
            let c = edgeChild[s]
            if c < 0 { return -1 }
            if edgeKey[s] == key && edgeParent[s] == node { return c }
            s = (s + 1) & mask
        }
    }

    /// Adds a phrase given as token keys. Several values may share a phrase.
    public mutating func insert(keys: [UInt64], value: Value) {
        guard let first = keys.first else { return }
        let bit = Self.starterBit(first)
        starterBits[bit >> 6] |= 1 << UInt64(bit & 63)
        var node: Int32 = 0
        for key in keys {
            let next = child(node, key)
            if next >= 0 {
                node = next
                continue
            }
            if (edgeCount + 1) * 2 > edgeChild.count { resize(edgeChild.count * 2) }
            let newNode = Int32(values.count)
            values.append([])
            var s = Self.slot(node, key, mask)
            while edgeChild[s] >= 0 { s = (s + 1) & mask }
            edgeParent[s] = node
            edgeKey[s] = key
            edgeChild[s] = newNode
            edgeCount += 1
            node = newNode
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
    @inlinable
    public func longestMatch(
        _ tokens: [Token], at i: Int, limit: Int? = nil, canContinue: (Int) -> Bool = { _ in true }
    ) -> (end: Int, values: [Value])? {
        let end = Swift.min(limit ?? tokens.count, tokens.count)
        guard i < end, startsPhrase(tokens[i].key) else { return nil }
        var node = child(0, tokens[i].key)
        guard node >= 0 else { return nil }
        var bestNode: Int32 = -1
        var bestEnd = i
        var j = i + 1
        while true {
            if !values[Int(node)].isEmpty {
                bestNode = node
                bestEnd = j
            }
            guard j < end, canContinue(j) else { break }
            node = child(node, tokens[j].key)
            if node < 0 { break }
            j += 1
        }
        return bestNode >= 0 ? (bestEnd, values[Int(bestNode)]) : nil
    }

    /// Every phrase starting at token `i`, shortest first.
    @inlinable
    public func allMatches(
        _ tokens: [Token], at i: Int, limit: Int? = nil, canContinue: (Int) -> Bool = { _ in true }
    ) -> [(end: Int, values: [Value])] {
        var out: [(end: Int, values: [Value])] = []
        let end = Swift.min(limit ?? tokens.count, tokens.count)
        var node: Int32 = 0
        var j = i
        while j < end {
            if j > i && !canContinue(j) { break }
            node = child(node, tokens[j].key)
            if node < 0 { break }
            j += 1
            if !values[Int(node)].isEmpty { out.append((j, values[Int(node)])) }
        }
        return out
    }

    /// The first index in `from..<to` whose token starts some phrase, else `to`. One tight
    /// filter loop for callers that look for phrases everywhere in a range.
    @inlinable
    public func nextStart(_ tokens: UnsafeBufferPointer<Token>, from: Int, to: Int) -> Int {
        starterBits.withUnsafeBufferPointer { bits in
            var i = from
            while i < to {
                let key = tokens[i].key
                let bit = Self.starterBit(key)
                if bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 && child(0, key) >= 0 { return i }
                i &+= 1
            }
            return to
        }
    }

    /// True when some phrase starts with this token key.
    @inlinable @inline(__always)
    public func startsPhrase(_ key: UInt64) -> Bool {
        let bit = Self.starterBit(key)
        return starterBits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 && child(0, key) >= 0
    }
}
