import SitrepText

/// Which taggers' first-token filters each token of a document passes, read once per document:
/// the time, actor and weapon scans then test one byte per token instead of hashing every token
/// into their own 64 Ki-bit filters. A mark is a superset test (no false negatives): each
/// tagger still checks its tables at the tokens it marks.
///
/// All filters use the same slot of a key, `(key ^ key >> 29) & 0xFFFF` (`filterSlot`).
struct StartMarks: Sendable {
    // Per-slot bits of `table`.
    static let slotTime: UInt8 = 1
    static let slotActorAny: UInt8 = 2
    static let slotActorCapital: UInt8 = 4
    static let slotQuantifier: UInt8 = 8
    static let slotWeaponAny: UInt8 = 16
    static let slotWeaponCapital: UInt8 = 32

    // Per-token bits of `marks(_:)`.
    /// The key may start a time pattern.
    static let time: UInt8 = 1
    /// The token has a digit.
    static let digit: UInt8 = 2
    /// A word an actor phrase may start with (its case fits the filter it is in).
    static let actor: UInt8 = 4
    /// A number, or a word that may start a quantifier ("three sources").
    static let quantifier: UInt8 = 8
    /// A token that may follow a quantifier: an actor phrase (any kind of token) or a quantifier.
    static let follower: UInt8 = 16
    /// A capitalized word (may be a short name of a person named earlier).
    static let capitalWord: UInt8 = 32
    /// A token a weapon phrase may start with.
    static let weapon: UInt8 = 64
    /// A capitalized or all-caps word outside boilerplate: where a place name may start.
    static let placeWord: UInt8 = 128

    /// Slot bits per filter slot (65,536 entries).
    private(set) var table: [UInt8]
    /// Per slot, the marks of a word token with that slot: lowercase in the low byte,
    /// capitalized in the high byte (built from `table` by `finish()`).
    private(set) var wordMarks: [UInt16] = []

    init() {
        table = [UInt8](repeating: 0, count: 1 << 16)
    }

    /// Sets `bit` in every slot whose bit is set in `filter` (1,024 words of 64 bits).
    mutating func add(_ filter: [UInt64], bit: UInt8) {
        for w in 0..<Swift.min(1024, filter.count) where filter[w] != 0 {
            var word = filter[w]
            while word != 0 {
                let b = word.trailingZeroBitCount
                table[w << 6 | b] |= bit
                word &= word - 1
            }
        }
        finish()
    }

    /// A table with no filter bits: its marks are the ones a token's kind and flags give alone
    /// (digits, numbers, capitalized words), for a tagger run on its own.
    static let bare: StartMarks = {
        var m = StartMarks()
        m.add([], bit: 0)
        return m
    }()

    /// The union of two mark tables.
    mutating func formUnion(_ other: StartMarks) {
        for s in table.indices { table[s] |= other.table[s] }
        finish()
    }

    /// `wordMarks` from `table`.
    private mutating func finish() {
        wordMarks = table.map { s in
            StartMarks.wordMark(s, capital: false) | StartMarks.wordMark(s, capital: true) << 8
        }
    }

    /// The marks of a word token whose slot has bits `s`.
    static func wordMark(_ s: UInt8, capital: Bool) -> UInt16 {
        var m = s & StartMarks.slotTime
        let actorStart = s & StartMarks.slotActorAny != 0 || (capital && s & StartMarks.slotActorCapital != 0)
        if actorStart { m |= StartMarks.actor }
        if s & StartMarks.slotQuantifier != 0 { m |= StartMarks.quantifier }
        if actorStart || s & StartMarks.slotQuantifier != 0 { m |= StartMarks.follower }
        if capital { m |= StartMarks.capitalWord }
        if s & StartMarks.slotWeaponAny != 0 || (capital && s & StartMarks.slotWeaponCapital != 0) {
            m |= StartMarks.weapon
        }
        return UInt16(m)
    }

    /// Marks only a word can have.
    static let wordOnly: UInt8 = actor | quantifier | capitalWord | placeWord

    /// The marks the low byte of a token's flags gives: `digit` for a digit; `placeWord` when
    /// they say capitalized or all caps and not boilerplate (kept for words only, like the other
    /// word marks).
    static let byFlags: [UInt8] = (0..<256).map { f in
        let flags = TokenFlags(rawValue: UInt16(f))
        var m: UInt8 = flags.contains(.hasDigit) ? digit : 0
        if (flags.contains(.capitalized) || flags.contains(.allCaps)) && !flags.contains(.boilerplate) { m |= placeWord }
        return m
    }

    /// Per token kind and low byte of flags (index `kind << 8 | flags & 0xFF`): in the low byte,
    /// the mask a token's slot marks pass through (all of them for a word, none of `wordOnly`
    /// otherwise); in the high byte, the marks the flags give (`byFlags`, through the same mask)
    /// and the kind gives (`quantifier` for a number).
    static let byKindAndFlags: [UInt16] = (0..<(4 << 8)).map { i in
        let keep: UInt8 = i >> 8 == Int(TokenKind.word.rawValue) ? 0xFF : ~wordOnly
        let add = (byFlags[i & 0xFF] & keep) | (i >> 8 == Int(TokenKind.number.rawValue) ? quantifier : 0)
        return UInt16(keep) | UInt16(add) << 8
    }

    /// The per-token marks of `tokens`: a word's come from `wordMarks`; any other token keeps
    /// the marks that do not need a word, and a number is a quantifier. A capitalized or all-caps
    /// word outside boilerplate is a `placeWord`.
    func marks(_ tokens: [Token]) -> [UInt8] {
        let n = tokens.count
        return [UInt8](unsafeUninitializedCapacity: Swift.max(n, 1)) { out, count in
            wordMarks.withUnsafeBufferPointer { table in
                StartMarks.byKindAndFlags.withUnsafeBufferPointer { byKind in
                tokens.withUnsafeBufferPointer { tp in
                    // branch-free: the capitalized flag picks the byte of the slot's marks; the kind
                    // and the low byte of the flags give the mask they pass and the marks added
                    // (`byKindAndFlags`: a kind's raw value is below 4, so the index is below 1,024)
                    let capitalShift = UInt16(truncatingIfNeeded: TokenFlags.capitalized.rawValue.trailingZeroBitCount)
                    for i in 0..<n {
                        let t = tp[i]
                        let e = table[Int(truncatingIfNeeded: (t.key ^ (t.key >> 29)) & 0xFFFF)]
                        let f = t.flags.rawValue
                        let m = UInt8(truncatingIfNeeded: e &>> (((f &>> capitalShift) & 1) &<< 3))
                        let ka = byKind[Int(truncatingIfNeeded: UInt16(t.kind.rawValue) &<< 8 | (f & 0xFF))]
                        out[i] = (m & UInt8(truncatingIfNeeded: ka)) | UInt8(truncatingIfNeeded: ka &>> 8)
                    }
                }
                }
            }
            count = n
        }
    }

    /// The first index in `from ..< end` whose mark has a bit of `want`, or `end`. Eight marks
    /// are tested at a time (one load; the first marked byte is the lowest set bit's byte), up to
    /// the buffer's end: a load may read marks past `end` (masked off), never past the buffer.
    @inline(__always)
    static func next(_ marks: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, want: UInt8) -> Int {
        guard let base = marks.baseAddress else { return end }
        var i = start
        let broadcast = UInt64(want) &* 0x0101_0101_0101_0101
        let loadable = marks.count - 8
        while i < end && i <= loadable {
            var w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) & broadcast
            let left = end - i
            if left < 8 { w &= (UInt64(1) &<< UInt64(left &* 8)) &- 1 }
            if w != 0 { return i + (w.trailingZeroBitCount >> 3) }
            i += 8
        }
        while i < end && base[i] & want == 0 { i += 1 }
        return Swift.min(i, end)
    }
}
