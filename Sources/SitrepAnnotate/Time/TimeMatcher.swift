import SitrepLanguage
import SitrepText

/// Matching the automaton over a document's tokens.
struct TimeMatcher {
    /// The tagger whose automaton and tables it walks: one reference, where copies of the
    /// automaton, tables and document retained each of their arrays once per document.
    let tagger: TimeTagger
    var automaton: TimeAutomaton { _read { yield tagger.automaton } }
    var tables: TimeTables { _read { yield tagger.tables } }
    var numberTable: Int { tagger.numberTable }

    /// The captures of the best match are in the caller's `bestCaps` buffer.
    struct Match {
        var end: Int
        var rule: Int
    }

    /// The best match starting at `i`: longest, then the rule listed first.
    /// Unsafe views of the automaton's tables and the document's tokens, taken once per document.
    struct Hot {
        let nodes: UnsafeBufferPointer<TimeAutomaton.Node>
        let tokens: UnsafeBufferPointer<Token>
        let slots: UnsafeBufferPointer<TimeKeyMap.Slot>
        let edgeFlat: UnsafeBufferPointer<Int32>
        let edges: UnsafeBufferPointer<TimeAutomaton.FlatEdge>
        let edgeKeys: UnsafeBufferPointer<UInt64>
        let infos: UnsafeBufferPointer<TimeRuleInfo>
        /// The tables' phrases in hot-path form and their keys after the first.
        let phrases: UnsafeBufferPointer<TimeTables.HotPhrase>
        let restKeys: UnsafeBufferPointer<UInt64>
        /// The document's UTF-8 bytes.
        let bytes: UnsafeBufferPointer<UInt8>
        /// Matching stops at this token (sentence end).
        var limit = 0
    }

    /// Runs `body` with the hot views of this matcher's automaton and of `doc`.
    func withHot<R>(_ doc: Document, infos: UnsafeBufferPointer<TimeRuleInfo>, _ body: (Hot) -> R) -> R {
        automaton.nodes.withUnsafeBufferPointer { nodes in
            doc.tokens.withUnsafeBufferPointer { tokens in
                automaton.slots.withUnsafeBufferPointer { slots in
                    automaton.edgeFlat.withUnsafeBufferPointer { edgeFlat in
                        automaton.flatEdges.withUnsafeBufferPointer { edges in
                            automaton.edgeKeys.withUnsafeBufferPointer { edgeKeys in
                                tables.hot.withUnsafeBufferPointer { phrases in
                                    tables.restKeys.withUnsafeBufferPointer { restKeys in
                                        doc.bytes.withUnsafeBufferPointer { bytes in
                                            body(Hot(nodes: nodes, tokens: tokens, slots: slots, edgeFlat: edgeFlat,
                                                     edges: edges, edgeKeys: edgeKeys, infos: infos, phrases: phrases,
                                                     restKeys: restKeys, bytes: bytes))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `caps` is a scratch buffer reused across calls (empty on entry and exit); `bestCaps`
    /// receives the captures of the returned match (its storage is reused, not reallocated per
    /// accepting state).
    func match(_ h: Hot, at i: Int, caps: inout [Capture], bestCaps: inout [Capture]) -> Match? {
        var best: Match?
        walk(h, node: 0, at: i, caps: &caps, best: &best, bestCaps: &bestCaps)
        return best
    }

    private func walk(_ h: Hot, node: Int, at j: Int, caps: inout [Capture], best: inout Match?, bestCaps: inout [Capture]) {
        // Scalar fields only: copying a whole Node would retain its arrays.
        if h.nodes[node].accepting { accept(h, node: node, at: j, caps: caps, best: &best, bestCaps: &bestCaps) }
        guard j < h.limit else { return }
        let tok = h.tokens[j]
        let digit = tok.has(.hasDigit)
        let numeric = h.nodes[node].numeric
        guard node == 0 || TimeKeyMap.find(h.slots, h.nodes[node].nextKeys, tok.key) != nil || (numeric && digit)
        else { return }
        if let t = TimeKeyMap.find(h.slots, h.nodes[node].literalMap, tok.key) {
            walk(h, node: Int(t), at: j + 1, caps: &caps, best: &best, bestCaps: &bestCaps)
        }
        if h.nodes[node].keyed, let packed = TimeKeyMap.find(h.slots, h.nodes[node].keyedEdges, tok.key) {
            let lo = Int(packed >> 8)
            for k in lo..<(lo + Int(packed & 255)) {
                follow(h.edges[Int(h.edgeFlat[k])], h, at: j, caps: &caps, best: &best, bestCaps: &bestCaps)
            }
        }
        if numeric && digit {
            let lo = Int(h.nodes[node].numberLo)
            for k in lo..<(lo + Int(h.nodes[node].numberCount)) {
                follow(h.edges[Int(h.edgeFlat[k])], h, at: j, caps: &caps, best: &best, bestCaps: &bestCaps)
            }
        }
    }

    private func accept(_ h: Hot, node: Int, at j: Int, caps: [Capture],
                        best: inout Match?, bestCaps: inout [Capture]) {
        let lo = Int(h.nodes[node].acceptLo)
        for k in lo..<(lo + Int(h.nodes[node].acceptCount)) {
            let r = Int(h.edgeFlat[k])
            if let b = best, !(j > b.end || (j == b.end && h.infos[r].priority < h.infos[b.rule].priority)) { continue }
            best = Match(end: j, rule: r)
            // (a path holds a few captures: copied one by one, not through `replaceSubrange`)
            bestCaps.removeAll(keepingCapacity: true)
            for cap in caps { bestCaps.append(cap) }
        }
    }

    @inline(__always)
    private func follow(_ e: TimeAutomaton.FlatEdge, _ h: Hot, at j: Int, caps: inout [Capture], best: inout Match?,
                        bestCaps: inout [Capture]) {
        let tok = h.tokens[j]
        switch e.kind {
        case .literal:
            var k = j
            for q in Int(e.keyLo)..<Int(e.keyLo + e.keyCount) {
                if k >= h.limit || h.tokens[k].key != h.edgeKeys[q] { return }
                k += 1
            }
            // A literal's text is read from the document only when the resolver needs it.
            caps.append(Capture(group: e.group, lo: j, hi: k, kind: .literal, n: 0))
            walk(h, node: Int(e.target), at: k, caps: &caps, best: &best, bestCaps: &bestCaps)
            caps.removeLast()
        case .table:
            guard let r = tables.hotRange(e.table, startingWith: tok.key) else { return }
            for q in r {
                let p = h.phrases[q]
                guard !p.capitalized || tok.isCapitalized,
                    let end = TimeTables.end(of: p, h.restKeys, h.tokens, at: j, limit: h.limit)
                else { continue }
                caps.append(Capture(group: e.group, lo: j, hi: end, kind: .entry, n: Int(p.entry)))
                walk(h, node: Int(e.target), at: end, caps: &caps, best: &best, bestCaps: &bestCaps)
                caps.removeLast()
            }
        case .number:
            if let (end, kind, n) = number(e.number, h, at: j) {
                caps.append(Capture(group: e.group, lo: j, hi: end, kind: kind, n: n))
                walk(h, node: Int(e.target), at: end, caps: &caps, best: &best, bestCaps: &bestCaps)
                caps.removeLast()
            }
        }
    }

    /// Digits of a token when it is all ASCII digits (no separators), else nil.
    @inline(__always)
    func digits(_ h: Hot, _ j: Int) -> (value: Int, count: Int)? {
        let t = h.tokens[j]
        guard t.kind == .number, t.length <= 9 else { return nil }
        var v = 0
        for k in Int(t.start)..<Int(t.end) {
            let b = h.bytes[k]
            guard b >= 48 && b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return (v, t.length)
    }

    /// A numeric slot at token j: its end and value (a whole number, a decimal token, a table entry).
    func number(_ kind: NumKind, _ h: Hot, at j: Int) -> (Int, Capture.Kind, Int)? {
        let t = h.tokens[j]
        let limit = h.limit
        switch kind {
        case .year:
            guard let d = digits(h, j), d.count == 4, d.value >= 1000, d.value <= 2199 else { return nil }
            return (j + 1, .int, d.value)
        case .bigyear:
            guard let d = digits(h, j), d.value >= 1, d.value <= 9999 else { return nil }
            return (j + 1, .int, d.value)
        case .hour:
            guard let d = digits(h, j), d.count <= 2, d.value <= 24 else { return nil }
            return (j + 1, .int, d.value)
        case .minute:
            guard let d = digits(h, j), d.count == 2, d.value <= 59 else { return nil }
            return (j + 1, .int, d.value)
        case .int:
            guard let d = digits(h, j) else { return nil }
            return (j + 1, .int, d.value)
        case .day:
            if let d = digits(h, j) {
                guard d.count <= 2, d.value >= 1, d.value <= 31 else { return nil }
                return (j + 1, .int, d.value)
            }
            // "27th", "1st", "2nd", "3rd"
            guard t.kind == .word, t.length >= 3, t.length <= 4 else { return nil }
            let b = h.bytes[Int(t.start)..<Int(t.end)]
            var v = 0
            var nd = 0
            for c in b {
                if c >= 48 && c <= 57 { v = v * 10 + Int(c - 48); nd += 1 } else { break }
            }
            guard nd >= 1, nd == t.length - 2, v >= 1, v <= 31 else { return nil }
            return (j + 1, .int, v)
        case .decade:
            // "1990s", "90s"
            guard t.kind == .word, t.length == 5 || t.length == 3 else { return nil }
            let b = h.bytes[Int(t.start)..<Int(t.end)]
            guard let last = b.last, last == 115 || last == 83 else { return nil }
            var v = 0
            for c in b.dropLast() {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            guard v % 10 == 0 else { return nil }
            if t.length == 3 { return (j + 1, .int, 190 + v / 10) }
            return (j + 1, .int, v / 10)
        case .num:
            if t.kind == .number {
                // Digits with thousands commas and at most one decimal point.
                guard let (whole, fraction) = Self.decimal(h.bytes, t) else { return nil }
                return fraction ? (j + 1, .decimal, 0) : (j + 1, .int, whole)
            }
            guard let m = tables.longestEntry(numberTable, h.tokens, at: j, limit: limit, h.phrases, h.restKeys)
            else { return nil }
            // "twenty-five": tens, hyphen, unit.
            if let tens = tables.entryInts[m.entry], tens >= 20, tens % 10 == 0, m.end + 1 < limit,
                h.tokens[m.end].kind == .punct, !h.tokens[m.end].has(.spaceBefore),
                !h.tokens[m.end + 1].has(.spaceBefore),
                let u = tables.longestEntry(numberTable, h.tokens, at: m.end + 1, limit: limit, h.phrases, h.restKeys),
                let uv = tables.entryInts[u.entry], uv >= 1, uv <= 9
            {
                return (u.end, .int, tens + uv)
            }
            return (m.end, .entry, m.entry)
        }
    }

    /// A number token's digits (thousands commas, at most one decimal point): the whole part
    /// and whether a fraction other than zeros follows; nil when it is not such a number or
    /// the whole part reaches a million.
    static func decimal<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ t: Token) -> (whole: Int, fraction: Bool)?
        where Bytes.Index == Int
    {
        var whole = 0
        var fraction = false
        var inFrac = false
        for b in bytes[Int(t.start)..<Int(t.end)] {
            if b >= 48 && b <= 57 {
                if inFrac {
                    if b != 48 { fraction = true }
                } else {
                    whole = whole * 10 + Int(b - 48)
                }
                if whole >= 1_000_000 { return nil }
            } else if b == 44 && !inFrac {
                continue
            } else if b == 46 && !inFrac {
                inFrac = true
            } else {
                return nil
            }
        }
        return (whole, fraction)
    }

    /// The value text of a decimal number token: "3.5" (trailing zeros dropped). The token is
    /// read by `decimal`; only a fraction other than zeros is copied.
    static func decimalText(_ doc: Document, token j: Int) -> String? {
        let t = doc.tokens[j]
        guard let (whole, fraction) = decimal(doc.bytes, t) else { return nil }
        let digits = doc.bytes[Int(t.start)..<Int(t.end)]
        guard fraction, let dot = digits.firstIndex(of: 46) else { return String(whole) }
        var frac = Array(digits[(dot + 1)...])
        while frac.last == 48 { frac.removeLast() }
        return String(whole) + "." + String(decoding: frac, as: UTF8.self)
    }
}
