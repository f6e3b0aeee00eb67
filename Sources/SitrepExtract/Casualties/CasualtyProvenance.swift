import SitrepAnnotate
import SitrepText

/// A casualty's rule (provenance): a text given whole, or the ids of the rows that read the
/// figure, joined into the text only when it is asked for. A figure's rule is long and nearly
/// always unique (`[kind:part+]outcome[+scope]+quantity rows[+victims]`): built as a String per
/// figure it cost an allocation and a copy of every part, then an escape and a cache miss in the
/// output line. As ids it is written to the line straight from the parts' escaped bytes.
struct CasualtyProvenance: Sendable {
    /// The text, when the casualty was made with one (nil: made of parts).
    let text: String?
    /// The names the ids index (nil: made with a text).
    let table: CasualtyRuleTable?
    /// Ids into `table.strings` (-1: none): the part cue's kind and row, the head (an outcome's
    /// row or a convention), the scope cue's row, the victim noun's row.
    let partKind: Int32, partRule: Int32, head: Int32, scope: Int32, victim: Int32
    /// The quantity's rows (number rule ids, up to eight, 16 bits each, in reading order).
    let quantityLow: UInt64, quantityHigh: UInt64
    let quantityCount: Int32
    /// Which of `CasualtyRuleTable.prefixes` the text starts with (bit `i`: prefix `i`), read
    /// once when made (what `CasualtyFacts` asks of every figure).
    private(set) var prefixes: UInt8 = 0

    init(_ text: String) {
        self.text = text
        table = nil
        partKind = -1
        partRule = -1
        head = -1
        scope = -1
        victim = -1
        quantityLow = 0
        quantityHigh = 0
        quantityCount = 0
        for (i, p) in CasualtyRuleTable.prefixes.enumerated() where text.hasPrefix(p) { prefixes |= 1 << UInt8(i) }
    }

    init(table: CasualtyRuleTable, partKind: Int32, partRule: Int32, head: Int32, scope: Int32, victim: Int32,
         quantity: QuantityRules) {
        text = nil
        self.table = table
        self.partKind = partKind
        self.partRule = partRule
        self.head = head
        self.scope = scope
        self.victim = victim
        var low: UInt64 = 0, high: UInt64 = 0
        let n = Swift.min(quantity.count, 8)
        for k in 0..<n {
            let id = UInt64(quantity[k])
            if k < 4 { low |= id << UInt64(16 * k) } else { high |= id << UInt64(16 * (k - 4)) }
        }
        quantityLow = low
        quantityHigh = high
        quantityCount = Int32(n)
        // decided by the first segment when it is long enough (nearly always: an outcome row's
        // path), else by reading the parts in order
        let first = Int(partKind >= 0 ? partKind : head)
        let known = table.prefixKnown[first]
        var bits = table.prefixBits[first]
        if known != 0b111 {
            for i in 0..<CasualtyRuleTable.prefixes.count where known & (1 << UInt8(i)) == 0 {
                if hasPrefix(CasualtyRuleTable.prefixStatic[i]) { bits |= 1 << UInt8(i) }
            }
        }
        prefixes = bits
    }

    /// The `k`th quantity row's id in `table.strings`.
    @inline(__always)
    func quantity(_ k: Int) -> Int32 { Self.quantity(k, quantityLow, quantityHigh) }

    /// The `k`th of the quantity rows `low`/`high` (16 bits each).
    @inline(__always)
    static func quantity(_ k: Int, _ low: UInt64, _ high: UInt64) -> Int32 {
        let word = k < 4 ? low >> UInt64(16 * k) : high >> UInt64(16 * (k - 4))
        return Int32(UInt16(truncatingIfNeeded: word))
    }

    /// The segments in text order: string ids (≥ 0) and separators (`plus`, `colon`).
    @inline(__always)
    func visit(_ body: (Int32) -> Void) {
        guard let table else { return }
        Self.visit(partKind: partKind, partRule: partRule, head: head, scope: scope, victim: victim,
                   quantityLow: quantityLow, quantityHigh: quantityHigh, quantityCount: quantityCount,
                   numberBase: table.numberBase, body)
    }

    /// `visit` of these ids (a provenance made of parts, its table's `numberBase`).
    @inline(__always)
    static func visit(partKind: Int32, partRule: Int32, head: Int32, scope: Int32, victim: Int32,
                      quantityLow: UInt64, quantityHigh: UInt64, quantityCount: Int32, numberBase: Int32,
                      _ body: (Int32) -> Void) {
        if partKind >= 0 {
            body(partKind)
            body(Self.colon)
            body(partRule)
            body(Self.plus)
        }
        body(head)
        if scope >= 0 {
            body(Self.plus)
            body(scope)
        }
        body(Self.plus)
        for k in 0..<Int(quantityCount) {
            if k > 0 { body(Self.plus) }
            body(numberBase + quantity(k, quantityLow, quantityHigh))
        }
        if victim >= 0 {
            body(Self.plus)
            body(victim)
        }
    }

    static let plus: Int32 = -1, colon: Int32 = -2

    /// The rule's text.
    var string: String {
        if let text { return text }
        guard let table else { return "" }
        var size = 0
        visit { id in size += id < 0 ? 1 : table.strings[Int(id)].utf8.count }
        return String(unsafeUninitializedCapacity: size) { buffer in
            var n = 0
            visit { id in
                if id < 0 {
                    if n < buffer.count {
                        buffer[n] = id == Self.plus ? 0x2B : 0x3A
                        n += 1
                    }
                } else {
                    var s = table.strings[Int(id)]
                    s.withUTF8 { bytes in
                        guard let base = bytes.baseAddress, let to = buffer.baseAddress, bytes.count <= buffer.count - n
                        else { return }
                        (to + n).update(from: base, count: bytes.count)
                        n += bytes.count
                    }
                }
            }
            return n
        }
    }

    /// True when the text starts with `prefix` (ASCII), read from the parts without joining them.
    func hasPrefix(_ prefix: StaticString) -> Bool {
        if let text { return text.utf8.starts(with: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)) }
        guard let table else { return prefix.utf8CodeUnitCount == 0 }
        let want = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        var k = 0
        var mismatch = false
        visit { id in
            guard !mismatch, k < want.count else { return }
            if id < 0 {
                if want[k] != (id == Self.plus ? 0x2B : 0x3A) { mismatch = true }
                k += 1
            } else {
                for b in table.strings[Int(id)].utf8 {
                    guard k < want.count else { return }
                    if want[k] != b {
                        mismatch = true
                        return
                    }
                    k += 1
                }
            }
        }
        return !mismatch && k == want.count
    }

    /// Writes the rule as a JSON string: the parts' escaped bytes, joined (escaping works byte by
    /// byte, so the joined escapes are the escape of the joined text).
    func write(_ w: inout JSONLine) {
        withUnsafePointer(to: self) { Self.write($0, &w) }
    }

    /// `write` of the provenance at `p`, its fields read in place one by one: a method called on
    /// `p.pointee` worked on a copy of the whole provenance (its text and table retained and
    /// released per casualty written).
    static func write(_ p: UnsafePointer<CasualtyProvenance>, _ w: inout JSONLine) {
        guard let table = p.pointee.table else { return w.string(p.pointee.text ?? "") }
        let partKind = p.pointee.partKind, partRule = p.pointee.partRule, head = p.pointee.head
        let scope = p.pointee.scope, victim = p.pointee.victim
        let low = p.pointee.quantityLow, high = p.pointee.quantityHigh, count = p.pointee.quantityCount
        w.raw(byte: 0x22)
        table.escaped.withUnsafeBufferPointer { bytes in
            table.ranges.withUnsafeBufferPointer { ranges in
                visit(partKind: partKind, partRule: partRule, head: head, scope: scope, victim: victim,
                      quantityLow: low, quantityHigh: high, quantityCount: count, numberBase: table.numberBase) { id in
                    if id < 0 {
                        w.raw(byte: id == Self.plus ? 0x2B : 0x3A)
                    } else {
                        w.append(UnsafeBufferPointer(rebasing: bytes[ranges[Int(id)]]))
                    }
                }
            }
        }
        w.raw(byte: 0x22)
    }
}

/// The names a casualty extractor's figure rules are made of, with their JSON escapes, in one
/// immutable object shared by every casualty it makes: part cue kinds and rows, heads (outcome
/// rows, then conventions), scope cue rows, victim noun rows, number rows.
final class CasualtyRuleTable: Sendable {
    let strings: [String]
    /// Each string's JSON escape (without quotes) at `ranges[id]` of `escaped`.
    let escaped: [UInt8]
    let ranges: [Range<Int>]
    let partKindBase: Int32, partRuleBase: Int32, outcomeBase: Int32, conventionBase: Int32
    let scopeBase: Int32, victimBase: Int32, numberBase: Int32
    /// The prefixes `CasualtyFacts` asks about: `subset:`, `convention:`, `total:`.
    static let prefixes = ["subset:", "convention:", "total:"]
    static let prefixStatic: [StaticString] = ["subset:", "convention:", "total:"]
    /// Per string, which prefixes a text starting with it starts with (bit `i`: prefix `i`), and
    /// for which of them the string alone decides (it is at least as long, or differs).
    let prefixBits: [UInt8], prefixKnown: [UInt8]
    /// `convention:coded`: the head of a convention figure with no phrase of its own (the last
    /// of the conventions).
    let codedHead: Int32

    init(partKinds: [String], partRules: [String], outcomes: [String], conventions: [String], scopes: [String],
         victims: [String], numbers: [String]) {
        var strings: [String] = []
        func add(_ list: [String]) -> Int32 {
            let base = Int32(strings.count)
            strings += list
            return base
        }
        partKindBase = add(partKinds)
        partRuleBase = add(partRules)
        outcomeBase = add(outcomes)
        conventionBase = add(conventions)
        scopeBase = add(scopes)
        victimBase = add(victims)
        numberBase = add(numbers)
        codedHead = scopeBase - 1
        var escaped: [UInt8] = []
        var ranges: [Range<Int>] = []
        for s in strings {
            // the escape `JSONLine.string` writes, without its quotes
            let quoted = JSONLine.build(capacity: s.utf8.count * 6 + 8) { $0.string(s) }
            let start = escaped.count
            // (the line ends `"` then a newline)
            if quoted.count >= 3 { escaped += quoted[1..<(quoted.count - 2)] }
            ranges.append(start..<escaped.count)
        }
        var bits: [UInt8] = [], known: [UInt8] = []
        for s in strings {
            var b: UInt8 = 0, k: UInt8 = 0
            for (i, p) in Self.prefixes.enumerated() {
                if s.utf8.count >= p.utf8.count {
                    k |= 1 << UInt8(i)
                    if s.hasPrefix(p) { b |= 1 << UInt8(i) }
                } else if !p.utf8.starts(with: s.utf8) {
                    k |= 1 << UInt8(i)
                }
            }
            bits.append(b)
            known.append(k)
        }
        prefixBits = bits
        prefixKnown = known
        self.strings = strings
        self.escaped = escaped
        self.ranges = ranges
    }
}
