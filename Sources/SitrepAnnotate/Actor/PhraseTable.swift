import Foundation
import SitrepLanguage
import SitrepText

/// A phrase matcher over tokens for lexicon entries that care about letter case: a lexicon
/// token written with a capital ("Grad", "Chad") must match a capitalized token, one written
/// all in capitals ("IS", "WHO", "AP") an all-caps token. A 64 Ki-bit filter on first-token keys
/// rejects most tokens before any dictionary lookup.
package struct PhraseTable<Value: Sendable>: Sendable {
    package struct Entry: Sendable {
        /// Per phrase token: 0 any case, 1 capitalized, 2 all caps.
        package let casePattern: [UInt8]
        package let value: Value
    }

    private(set) var trie = TokenTrie<Entry>()
    private var filter = [UInt64](repeating: 0, count: 1024)

    package init() {}

    package var count: Int { trie.count }

    @inline(__always)
    static func slot(_ key: UInt64) -> (Int, UInt64) {
        let h = Int(truncatingIfNeeded: (key ^ (key >> 29)) & 0xFFFF)
        return (h >> 6, UInt64(1) << UInt64(h & 63))
    }

    /// Adds a phrase as written in a lexicon. Returns false when it has no tokens.
    @discardableResult
    package mutating func insert(_ phrase: String, value: Value) -> Bool {
        var tokens: [Token] = []
        var copy = phrase
        copy.withUTF8 { Tokenizer.tokenize($0, into: &tokens) }
        guard let first = tokens.first else { return false }
        let pattern: [UInt8] = tokens.map {
            if $0.has(.allCaps) && $0.kind == .word { return 2 }
            if $0.has(.capitalized) && $0.kind == .word { return 1 }
            return 0
        }
        trie.insert(keys: tokens.map(\.key), value: Entry(casePattern: pattern, value: value))
        let (w, bit) = Self.slot(first.key)
        filter[w] |= bit
        return true
    }

    /// Whether some phrase may start with this key (false positives possible, no false negatives).
    @inline(__always)
    package func mayStart(_ key: UInt64) -> Bool {
        let (w, bit) = Self.slot(key)
        return filter[w] & bit != 0
    }

    @inline(__always)
    package static func caseFits(_ pattern: [UInt8], _ tokens: [Token], at i: Int) -> Bool {
        for (k, p) in pattern.enumerated() where p != 0 {
            let t = tokens[i + k]
            if p == 2 {
                if !t.has(.allCaps) && !(t.has(.dottedAbbreviation) && t.has(.capitalized)) { return false }
            } else if !t.has(.capitalized) {
                return false
            }
        }
        return true
    }

    /// The longest phrase at token `i` whose case fits, not crossing `limit` (exclusive):
    /// its end and the values of every entry of that phrase that fits.
    package func longest(_ tokens: [Token], at i: Int, limit: Int) -> (end: Int, values: [Value])? {
        guard i < limit, mayStart(tokens[i].key) else { return nil }
        let matches = trie.allMatches(tokens, at: i, limit: limit)
        for m in matches.reversed() {
            var fitting: [Value] = []
            for e in m.values where Self.caseFits(e.casePattern, tokens, at: i) {
                fitting.append(e.value)
            }
            if !fitting.isEmpty { return (m.end, fitting) }
        }
        return nil
    }

    /// Every fitting phrase at token `i`, shortest first.
    package func all(_ tokens: [Token], at i: Int, limit: Int) -> [(end: Int, values: [Value])] {
        guard i < limit, mayStart(tokens[i].key) else { return [] }
        var out: [(end: Int, values: [Value])] = []
        for m in trie.allMatches(tokens, at: i, limit: limit) {
            let fitting = m.values.filter { Self.caseFits($0.casePattern, tokens, at: i) }.map(\.value)
            if !fitting.isEmpty { out.append((m.end, fitting)) }
        }
        return out
    }
}

/// Splits a `|`-separated lexicon cell into trimmed, non-empty parts.
package func splitVariants(_ cell: String) -> [String] {
    cell.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Set of single-token or multi-token phrases (function words), keyed by token keys.
package struct KeySet: Sendable {
    private var singles = Set<UInt64>()
    private var filter = [UInt64](repeating: 0, count: 1024)
    private(set) var phrases: [[UInt64]] = []

    package init() {}

    package init(_ words: [String]) {
        for w in words { insert(w) }
    }

    /// Adds one token key as is (for tokens the tokenizer only makes in context, like possessive 's).
    package mutating func insert(key: UInt64) {
        let (w, bit) = PhraseTable<Int>.slot(key)
        filter[w] |= bit
        singles.insert(key)
    }

    package mutating func insert(_ phrase: String) {
        let keys = TokenTrie<Int>.keys(of: phrase)
        if let first = keys.first {
            let (w, bit) = PhraseTable<Int>.slot(first)
            filter[w] |= bit
        }
        if keys.count == 1 { singles.insert(keys[0]) } else if keys.count > 1 { phrases.append(keys) }
    }

    @inline(__always)
    package func contains(_ key: UInt64) -> Bool {
        let (w, bit) = PhraseTable<Int>.slot(key)
        return filter[w] & bit != 0 && singles.contains(key)
    }

    /// Whether some member may start with this key (no false negatives).
    @inline(__always)
    package func mayStart(_ key: UInt64) -> Bool {
        let (w, bit) = PhraseTable<Int>.slot(key)
        return filter[w] & bit != 0
    }

    /// The end of a phrase of this set starting at token `i` (single tokens included), or nil.
    package func match(_ tokens: [Token], at i: Int, limit: Int) -> Int? {
        guard i < limit, mayStart(tokens[i].key) else { return nil }
        var best: Int?
        if singles.contains(tokens[i].key) { best = i + 1 }
        for p in phrases where i + p.count <= limit && (best ?? 0) < i + p.count {
            var ok = true
            for (k, key) in p.enumerated() where tokens[i + k].key != key {
                ok = false
                break
            }
            if ok { best = i + p.count }
        }
        return best
    }

    /// Whether a phrase of this set ends exactly at token `end` (exclusive), starting at or after `floor`.
    package func endsAt(_ tokens: [Token], _ end: Int, floor: Int) -> Bool {
        if end - 1 >= floor, end - 1 < tokens.count, singles.contains(tokens[end - 1].key) { return true }
        for p in phrases {
            let start = end - p.count
            guard start >= floor, end <= tokens.count else { continue }
            var ok = true
            for (k, key) in p.enumerated() where tokens[start + k].key != key {
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
