import SitrepLanguage
import SitrepText

/// Reading the bare number of a quantity and the traps after it.
extension NumberReader {
    /// A bare number: a struct, not a tuple (a tuple of this shape is copied and destroyed through
    /// the runtime's generic tuple witnesses, hundreds of instructions each).
    struct Core {
        var number: Range<Int>
        var low: Int
        var best: Int
        var high: Int?
        var kind: Quantity.Kind
        var end: Int
        var rule: QuantityRules

        @inline(__always)
        init(_ number: Range<Int>, _ low: Int, _ best: Int, _ high: Int?, _ kind: Quantity.Kind, _ end: Int,
             _ rule: QuantityRules) {
            self.number = number
            self.low = low
            self.best = best
            self.high = high
            self.kind = kind
            self.end = end
            self.rule = rule
        }
    }

    /// The bare number at `j`: digits (with a scale word), number words, a vague word or an article.
    func core(_ doc: Document, at j: Int, limit: Int) -> Core? {
        let tokens = doc.tokens
        guard j < limit else { return nil }
        if tokens[j].kind == .number {
            guard let v = Self.numberValue(doc, ofToken: j), v >= 0, v < 1e12 else { return nil }
            var value = v
            var end = j + 1
            var rule = QuantityRules()
            rule.append(Self.digitsRule)
            if end < limit, let m = words.longestFirst(tokens, at: end, limit: limit), m.value.kind == .scale
            {
                value *= Double(m.value.value)
                end = m.end
                rule.append(m.value.rule)
            }
            guard value == value.rounded() || value >= 100 else { return nil }
            let n = Int(value.rounded())
            return Core(j..<end, n, n, n, .digits, end, rule)
        }
        guard let m = words.longestFirst(tokens, at: j, limit: limit) else { return nil }
        let w = m.value
        switch w.kind {
        case .vague:
            // "several hundred" etc. are rows of their own; "dozens" etc. stand alone
            return Core(j..<m.end, w.low, w.best, w.high, .vague, m.end, Self.rules(w.rule))
        case .article:
            // "a dozen", "a hundred", "a thousand"
            if m.end < limit, let n = words.longestFirst(tokens, at: m.end, limit: limit),
                n.value.kind == .scale || n.value.kind == .dozen
            {
                let x = n.value
                let v = x.kind == .dozen ? 12 : x.value
                var r = Self.rules(w.rule)
                r.append(x.rule)
                return Core(j..<n.end, v, v, v, .words, n.end, r)
            }
            return Core(j..<m.end, 1, 1, 1, .article, m.end, Self.rules(w.rule))
        case .unit, .tens, .scale, .dozen:
            var total = 0, current = 0
            var k = j
            var rules = QuantityRules()
            var last: Word.Kind?
            while k < limit {
                guard let mm = words.longestFirst(tokens, at: k, limit: limit) else {
                    // "one hundred and twenty", "thirty-seven"
                    if (tokens[k].key == keyAnd && last == .scale) || (tokens[k].key == keyDash && last == .tens
                        && !tokens[k].has(.spaceBefore)),
                        k + 1 < limit, let nx = words.longestFirst(tokens, at: k + 1, limit: limit)?.value,
                        nx.kind == .unit || nx.kind == .tens
                    {
                        k += 1
                        continue
                    }
                    break
                }
                let x = mm.value
                var accepted = true
                switch x.kind {
                case .unit:
                    if last == .unit { accepted = false } else { current += x.value }
                case .tens:
                    if last == .unit || last == .tens { accepted = false } else { current += x.value }
                case .scale:
                    if last == nil { accepted = false } else {
                        current = Swift.max(current, 1) * x.value
                        if x.value >= 1000 { total += current; current = 0 }
                    }
                case .dozen:
                    if last == .unit { current *= 12 } else { accepted = last == nil; current = 12 }
                case .vague, .article:
                    accepted = false
                }
                if !accepted { break }
                rules.append(x.rule)
                last = x.kind
                k = mm.end
            }
            guard k > j else { return nil }
            let n = total + current
            return Core(j..<k, n, n, n, .words, k, rules)
        }
    }

    /// Why the number at `number` is not a count (age, date, model, measure...), or nil.
    func trapOf(_ doc: Document, number: Range<Int>, end: Int) -> Quantity.Trap? {
        let tokens = doc.tokens
        let first = number.lowerBound
        let lastTok = number.upperBound - 1
        if number.count == 1 && tokens[first].kind == .number {
            // a year: four digits without separators, 1800...2100
            let t = tokens[first]
            if t.length == 4, let v = Self.numberValue(doc, ofToken: first), v >= 1800, v <= 2100 {
                return .year
            }
        }
        if first > 0 {
            let p = tokens[first - 1]
            // the key filter first: no dictionary lookup and no array walk for most neighbours
            if trapKeys.contains(p.key), let list = traps[p.key] {
                for trap in list {
                    if trap.position == .before { return trap.trap }
                    if trap.position == .joinedBefore && !tokens[first].has(.spaceBefore) && !p.has(.spaceBefore)
                        && first >= 2 && tokens[first - 2].kind == .word
                    {
                        return trap.trap
                    }
                }
            }
        }
        if lastTok + 1 < tokens.count {
            let n = tokens[lastTok + 1]
            if trapKeys.contains(n.key), let list = traps[n.key] {
                for trap in list {
                    if trap.position == .after { return trap.trap }
                    if trap.position == .joinedAfter && !n.has(.spaceBefore) { return trap.trap }
                }
            }
            // "13-year-old", "13 year old": the hyphen comes first
            if n.key == keyDash, lastTok + 2 < tokens.count {
                let nn = tokens[lastTok + 2]
                if trapKeys.contains(nn.key), let list = traps[nn.key] {
                    for trap in list where trap.position == .joinedAfter { return trap.trap }
                }
            }
            if (n.key == keyYear || n.key == keyYears), lastTok + 2 < tokens.count, tokens[lastTok + 2].key == keyOld {
                return .age
            }
        }
        return nil
    }

    /// `doc.numberValue(ofToken:)` without building a String: digits with thousands commas and
    /// at most one decimal point, read as an exact integer over a power of ten (one correctly
    /// rounded division, the same Double the String parser gives). Anything else is left to
    /// `Document.numberValue`.
    static func numberValue(_ doc: Document, ofToken i: Int) -> Double? {
        let t = doc.tokens[i]
        guard t.kind == .number else { return nil }
        var mantissa = 0
        var digits = 0
        var fraction = -1
        var ok = true
        doc.bytes.withUnsafeBufferPointer { p in
            // a leading point (".5") or sign is left to the String parser
            guard t.end > t.start, p[Int(t.start)] >= 0x30 && p[Int(t.start)] <= 0x39 else {
                ok = false
                return
            }
            for k in Int(t.start)..<Int(t.end) {
                let b = p[k]
                if b >= 0x30 && b <= 0x39 {
                    mantissa = mantissa * 10 + Int(b - 0x30)
                    digits += 1
                    if fraction >= 0 { fraction += 1 }
                } else if b == 0x2C {
                    continue
                } else if b == 0x2E && fraction < 0 {
                    fraction = 0
                } else {
                    ok = false
                    return
                }
                if digits > 15 {
                    ok = false
                    return
                }
            }
        }
        guard ok, digits > 0, fraction != 0 else { return doc.numberValue(ofToken: i) }
        guard fraction > 0 else { return Double(mantissa) }
        return Double(mantissa) / Self.powersOfTen[fraction]
    }

    static let powersOfTen: [Double] = (0...15).map { k in
        var v = 1.0
        for _ in 0..<k { v *= 10 }
        return v
    }
}
