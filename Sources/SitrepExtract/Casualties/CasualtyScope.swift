import SitrepAnnotate
import SitrepText

// A sentence's scope (incident or cumulative) and the period of a cumulative toll.
extension CasualtyExtractor {
    /// A sentence's scope, its toll's period and the scope rule (a struct: a tuple of these is
    /// copied and destroyed through the runtime's generic tuple witnesses).
    /// Plain values only (the rule is the cue's index in `scope`, -1 for none): copying or
    /// destroying one costs no reference counting.
    struct SentenceScope {
        var cumulative: Bool
        var period: EventDate?
        var rule: Int32

        init(cumulative: Bool, _ period: EventDate?, rule: Int32) {
            self.cumulative = cumulative
            self.period = period
            self.rule = rule
        }
    }

    /// Incident or cumulative, from the sentence's scope cues; the period of a cumulative toll.
    func scopeOf(_ doc: Document, _ annotations: Annotations, sentence: Range<Int>) -> SentenceScope {
        let tokens = doc.tokens
        // cues by payload index (-1: none) and token range: nothing is copied while scanning
        var strong: Int32 = -1, strongStart = 0, strongEnd = 0
        var weak: Int32 = -1, weakStart = 0, weakEnd = 0
        var incident: Int32 = -1
        // the cues' table read in place (`self.scope`): a local copy retained and released each of
        // its ten buffers per sentence
        // the cues' starter filter is a bit of the extractor's one-byte marks, and the trie walk's
        // own filter is tested inline before it (a one-token cue, or the pair with the next token:
        // most cues start with "the", "in" or "a", whose pairs rarely match): tokens, marks and
        // pairs read through unsafe views
        startMarks.withUnsafeBufferPointer { marks in
        scopePairs.withUnsafeBufferPointer { pairs in
        tokens.withUnsafeBufferPointer { tp in
        var i = sentence.lowerBound
        let end = sentence.upperBound
        while i < end {
            if Self.scopeMayStart(tp, i, end: end, marks: marks, pairs: pairs),
                let m = scope.longestFirstIndex(tokens, at: i, limit: end)
            {
                let cumulative = scope[m.index].cumulative
                if !cumulative {
                    if incident < 0 { incident = m.index }
                } else if scope[m.index].strong {
                    if strong < 0 { (strong, strongStart, strongEnd) = (m.index, i, m.end) }
                } else if weak < 0 {
                    (weak, weakStart, weakEnd) = (m.index, i, m.end)
                }
                i = m.end
            } else {
                i += 1
            }
        }
        }
        }
        }
        let chosen: Int32, cueStart: Int, cueEnd: Int
        if strong >= 0 {
            (chosen, cueStart, cueEnd) = (strong, strongStart, strongEnd)
        } else if incident < 0 && weak >= 0 {
            (chosen, cueStart, cueEnd) = (weak, weakStart, weakEnd)
        } else {
            return SentenceScope(cumulative: false, nil, rule: incident)
        }
        let period = scope[chosen].period
        var toll: EventDate?
        let anchor = annotations.anchor
        switch period {
        case "since":
            // the first time expression after the cue, in the sentence
            let after = doc.span(of: cueEnd..<sentence.upperBound)
            for m in annotations.times.inside(after) {
                if let t = m.timex, let r = t.range {
                    let end = anchor.map { Swift.max($0, r.lowerBound) } ?? r.upperBound
                    toll = EventDate(start: r.lowerBound, end: end, precision: t.precision)
                    break
                }
            }
        case "duration":
            // "in the four weeks of fighting": the number and unit just before (or in) the cue
            if let anchor {
                var k = cueStart
                var unitDays: Int?
                if let d = durationUnits[tokens[cueStart].key] { unitDays = d; k = cueStart }
                var count: Int?
                var s = Swift.max(sentence.lowerBound, k - 3)
                while s < k {
                    if let q = numbers.read(doc, at: s, limit: k), q.tokens.upperBound == k { count = q.best; break }
                    s += 1
                }
                if unitDays == nil, cueEnd < sentence.upperBound, let d = durationUnits[tokens[cueEnd].key] {
                    unitDays = d
                    var s2 = cueEnd - 1
                    count = nil
                    while s2 >= cueStart {
                        if let q = numbers.read(doc, at: s2, limit: cueEnd), q.tokens.upperBound == cueEnd {
                            count = q.best
                            break
                        }
                        s2 -= 1
                    }
                }
                if let unitDays, let count {
                    toll = EventDate(
                        start: CalendarArithmetic.adding(days: -unitDays * count, to: anchor), end: anchor,
                        precision: unitDays >= 30 ? .month : (unitDays >= 7 ? .week : .day))
                }
            }
        default: break
        }
        return SentenceScope(cumulative: true, toll, rule: chosen)
    }
}

/// Day arithmetic on proleptic Gregorian dates (days from civil, Howard Hinnant's algorithm).
enum CalendarArithmetic {
    static func daysFromCivil(_ d: CalendarDate) -> Int {
        let y = d.month <= 2 ? d.year - 1 : d.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (d.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + d.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int) -> CalendarDate {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return CalendarDate(year: y, month: m, day: d)
    }

    static func adding(days: Int, to date: CalendarDate) -> CalendarDate {
        civil(fromDays: daysFromCivil(date) + days)
    }
}
