import SitrepAnnotate
import SitrepText

/// A set of words and phrases (a role of `en/claims/words.tsv`) read as `PhraseSet` reads it:
/// `contains` a single key, `match` a member starting at a token, `endsAt` a member ending there.
///
/// It holds no reference: pointers into a `WordStore` that the claim extractor owns (and that
/// outlives every per-document state holding its sets). The per-document state holds a dozen
/// sets; as arrays they cost some seventy retains and releases per copy of that state, and a set
/// read through a pointer to a `PhraseSet` is copied per call.
struct WordSet: @unchecked Sendable {
    /// First keys of members (1,024 words, bit `filterSlot(key)`), and last keys.
    let first: UnsafePointer<UInt64>
    let last: UnsafePointer<UInt64>
    /// One-token members: open addressing over `slots` (`used` marks a taken slot), as `KeySet`.
    let slots: UnsafePointer<UInt64>
    let used: UnsafePointer<Bool>
    let mask: Int
    /// Longer members in insertion order: member `p` is `keys[offsets[p] ..< offsets[p + 1]]`.
    let keys: UnsafePointer<UInt64>
    let offsets: UnsafePointer<Int>
    let phrases: Int

    @inline(__always)
    private func isSingle(_ key: UInt64) -> Bool {
        var s = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while used[s] {
            if slots[s] == key { return true }
            s = (s + 1) & mask
        }
        return false
    }

    /// Whether `key` is a one-token member (`PhraseSet.contains`).
    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        let (w, bit) = filterSlot(key)
        return first[w] & bit != 0 && isSingle(key)
    }

    /// The end of the longest member starting at token `i` (not crossing `limit`), or nil
    /// (`PhraseSet.match`: the last of equally long members, a longer one over a shorter one).
    @inline(__always)
    func match(_ tokens: [Token], at i: Int, limit: Int) -> Int? {
        guard i < limit, i >= 0, i < tokens.count else { return nil }
        let (w, bit) = filterSlot(tokens[i].key)
        guard first[w] & bit != 0 else { return nil }
        return matchMembers(tokens, at: i, limit: limit)
    }

    private func matchMembers(_ tokens: [Token], at i: Int, limit: Int) -> Int? {
        var best: Int?
        if isSingle(tokens[i].key) { best = i + 1 }
        for p in 0..<phrases {
            let lo = offsets[p], n = offsets[p + 1] - lo
            guard i + n <= limit, i + n <= tokens.count, (best ?? 0) < i + n else { continue }
            var ok = true
            for k in 0..<n where tokens[i + k].key != keys[lo + k] {
                ok = false
                break
            }
            if ok { best = i + n }
        }
        return best
    }

    /// Whether a member ends exactly at token `end` (exclusive), starting at or after `floor`
    /// (`PhraseSet.endsAt`).
    @inline(__always)
    func endsAt(_ tokens: [Token], _ end: Int, floor: Int) -> Bool {
        guard end - 1 >= floor, end - 1 >= 0, end <= tokens.count else { return false }
        let (w, bit) = filterSlot(tokens[end - 1].key)
        guard last[w] & bit != 0 else { return false }
        return endsWithMember(tokens, end, floor: floor)
    }

    private func endsWithMember(_ tokens: [Token], _ end: Int, floor: Int) -> Bool {
        if isSingle(tokens[end - 1].key) { return true }
        for p in 0..<phrases {
            let lo = offsets[p], n = offsets[p + 1] - lo
            let start = end - n
            guard start >= floor, start >= 0 else { continue }
            var ok = true
            for k in 0..<n where tokens[start + k].key != keys[lo + k] {
                ok = false
                break
            }
            if ok { return true }
        }
        return false
    }
}

/// The storage of the claim extractor's word sets and filter words, allocated once when the tables
/// load and freed with the extractor; only read after `init`.
final class WordStore: @unchecked Sendable {
    private var blocks: [UnsafeMutableRawPointer] = []
    private(set) var sets: [WordSet] = []
    private var filters: [UnsafePointer<UInt64>] = []
    /// `marks` of `init`: one byte per filter slot (65,536), read with no bounds check.
    private(set) var marks: UnsafePointer<UInt8>

    /// `members[i]` (each member a word or phrase, folded to keys as `PhraseSet` folds it) becomes
    /// `wordSet(i)`; `filterWords[i]` (filter words of 1,024) `filter(i)`; `marks` (65,536 bytes,
    /// one per filter slot) `marks`.
    init(members: [[String]], filterWords: [[UInt64]], marks: [UInt8] = []) {
        // (all 65,536 bytes exist whatever `marks` holds: a slot past its end reads 0)
        let m = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
        m.initialize(repeating: 0, count: 1 << 16)
        for (k, b) in marks.prefix(1 << 16).enumerated() { m[k] = b }
        self.marks = UnsafePointer(m)
        blocks.append(UnsafeMutableRawPointer(m))
        for list in members { sets.append(makeSet(list.map { TokenTrie<Int>.keys(of: $0) })) }
        for words in filterWords { filters.append(UnsafePointer(copy(words))) }
    }

    deinit {
        for b in blocks { b.deallocate() }
    }

    /// A buffer holding `values` (at least one element), freed with the store.
    private func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(1, values.count))
        p.initialize(from: values, count: values.count)
        blocks.append(UnsafeMutableRawPointer(p))
        return p
    }

    private func makeSet(_ members: [[UInt64]]) -> WordSet {
        var first = [UInt64](repeating: 0, count: 1024), last = first
        var singles: [UInt64] = [], keys: [UInt64] = [], offsets = [0]
        for m in members {
            if let f = m.first {
                let (w, bit) = filterSlot(f)
                first[w] |= bit
            }
            if let l = m.last {
                let (w, bit) = filterSlot(l)
                last[w] |= bit
            }
            if m.count == 1 {
                singles.append(m[0])
            } else if m.count > 1 {
                keys += m
                offsets.append(keys.count)
            }
        }
        var capacity = 16
        while capacity < singles.count * 2 { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        var used = [Bool](repeating: false, count: capacity)
        let mask = capacity - 1
        for key in singles {
            var s = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while used[s] && slots[s] != key { s = (s + 1) & mask }
            slots[s] = key
            used[s] = true
        }
        return WordSet(first: copy(first), last: copy(last), slots: copy(slots), used: copy(used), mask: mask,
                       keys: copy(keys), offsets: copy(offsets), phrases: offsets.count - 1)
    }

    /// Set `i` of the `members` `init` was given.
    func wordSet(_ i: Int) -> WordSet { sets[i] }

    /// Filter words `i` of the `filterWords` `init` was given.
    func filter(_ i: Int) -> UnsafePointer<UInt64> { filters[i] }
}
