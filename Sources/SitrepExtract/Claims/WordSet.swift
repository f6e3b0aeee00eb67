import SitrepAnnotate
import SitrepText

/// A `PhraseSet` with its first-token filter words held beside it: `contains` tests the filter bit
/// in place and reaches the set (an out-of-line call) only for the few keys that pass.
struct WordSet {
    let set: PhraseSet
    let bits: [UInt64]

    init(_ set: PhraseSet) {
        self.set = set
        self.bits = set.tokenFilter.any
    }

    /// `set.contains(key)`.
    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        let (w, bit) = filterSlot(key)
        return bits[w] & bit != 0 && set.contains(key)
    }

    /// `set.match(tokens, at: i, limit: limit)`.
    @inline(__always)
    func match(_ tokens: [Token], at i: Int, limit: Int) -> Int? {
        guard i < limit, i >= 0, i < tokens.count else { return set.match(tokens, at: i, limit: limit) }
        let (w, bit) = filterSlot(tokens[i].key)
        guard bits[w] & bit != 0 else { return nil }
        return set.match(tokens, at: i, limit: limit)
    }

    /// `set.endsAt(tokens, end, floor: floor)`.
    @inline(__always)
    func endsAt(_ tokens: [Token], _ end: Int, floor: Int) -> Bool {
        set.endsAt(tokens, end, floor: floor)
    }
}
