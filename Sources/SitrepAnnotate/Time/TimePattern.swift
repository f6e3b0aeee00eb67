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

/// A captured group: token range and what its normalized value is made of (a table entry, a
/// number). No strings: captures are copied while the matcher walks, and a trivially copyable
/// capture costs no reference counting; the value string is made only when the resolver reads it
/// (`TimeTables.value(of:in:)`).
struct Capture: Sendable {
    enum Kind: UInt8, Sendable {
        /// A literal: the value is "".
        case literal
        /// A table phrase: `n` indexes `TimeTables.entries`.
        case entry
        /// A whole number `n`.
        case int
        /// A decimal number token (at `lo`): its digits are read again when needed.
        case decimal
    }

    var group: Int
    var lo: Int
    var hi: Int
    var kind: Kind
    var n: Int
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

    /// A phrase in hot-path form: its keys after the first are `restKeys[restLo ..< restLo + restCount]`,
    /// its entry `entries[entry]`.
    struct HotPhrase: Sendable {
        var restLo: Int32
        var restCount: Int32
        var entry: Int32
        var capitalized: Bool
    }

    /// Every phrase's entry, list by list (`lists` order): captures hold an index into it.
    var entries: [TableEntry] = []
    /// `Int(entries[k].value)`, computed once.
    var entryInts: [Int?] = []
    /// `lists` in hot-path form: list `i` is `hot[listLo[i] ..< listLo[i + 1]]`.
    var hot: [HotPhrase] = []
    var listLo: [Int32] = []
    var restKeys: [UInt64] = []

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
        for list in lists {
            listLo.append(Int32(hot.count))
            for p in list {
                hot.append(HotPhrase(restLo: Int32(restKeys.count), restCount: Int32(p.rest.count),
                                     entry: Int32(entries.count), capitalized: p.entry.capitalized))
                restKeys.append(contentsOf: p.rest)
                entries.append(p.entry)
                entryInts.append(Int(p.entry.value))
            }
        }
        listLo.append(Int32(hot.count))
    }

    /// The hot phrases of table `t` starting with `key` (longest first), as a range of `hot`.
    @inline(__always)
    func hotRange(_ t: Int, startingWith key: UInt64) -> Range<Int>? {
        guard let i = phraseIndex[t][key] else { return nil }
        return Int(listLo[Int(i)])..<Int(listLo[Int(i) + 1])
    }

    /// Whether hot phrase `p` continues at token `j + 1` within `limit`; its end.
    @inline(__always)
    static func end(of p: HotPhrase, _ restKeys: UnsafeBufferPointer<UInt64>, _ tokens: UnsafeBufferPointer<Token>,
                    at j: Int, limit: Int) -> Int? {
        var k = j + 1
        let lo = Int(p.restLo)
        for q in lo..<(lo + Int(p.restCount)) {
            guard k < limit, tokens[k].key == restKeys[q] else { return nil }
            k += 1
        }
        return k
    }

    /// The longest phrase of table `t` at token `j`: its end and entry index.
    @inline(__always)
    func longestEntry(_ t: Int, _ tokens: UnsafeBufferPointer<Token>, at j: Int, limit: Int,
                      _ hot: UnsafeBufferPointer<HotPhrase>, _ restKeys: UnsafeBufferPointer<UInt64>)
        -> (end: Int, entry: Int)?
    {
        guard j < limit, let r = hotRange(t, startingWith: tokens[j].key) else { return nil }
        for q in r {
            if let e = TimeTables.end(of: hot[q], restKeys, tokens, at: j, limit: limit) { return (e, Int(hot[q].entry)) }
        }
        return nil
    }

    /// A capture's value as the rules write it: the table value, the number in digits, "" for a literal.
    func value(of cap: Capture, in doc: Document) -> String {
        switch cap.kind {
        case .literal: return ""
        case .entry: return entries[cap.n].value
        case .int: return String(cap.n)
        case .decimal: return TimeMatcher.decimalText(doc, token: cap.lo) ?? ""
        }
    }

    /// `Int(value(of: cap, in: doc))`, without making the string.
    @inline(__always)
    func int(of cap: Capture) -> Int? {
        switch cap.kind {
        case .literal, .decimal: return nil
        case .entry: return entryInts[cap.n]
        case .int: return cap.n
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
