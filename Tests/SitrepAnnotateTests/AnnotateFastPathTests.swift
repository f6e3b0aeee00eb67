import SitrepGazetteer
import SitrepText
import Testing
@testable import SitrepAnnotate

/// The short cuts of the annotation hot paths give what the longer ways gave.
@Suite struct AnnotateFastPathTests {
    /// `TimeCalendar.range(of:)` builds its dates directly: they are the dates the day-number
    /// round trip (`date(days(y, m, d))`) gave, for every value shape and for years 0 ... 9999.
    @Test func calendarRangesEqualTheDayNumberRoundTrip() {
        func r(_ y0: Int, _ m0: Int, _ d0: Int, _ y1: Int, _ m1: Int, _ d1: Int) -> ClosedRange<CalendarDate> {
            TimeCalendar.date(TimeCalendar.days(y0, m0, d0))...TimeCalendar.date(TimeCalendar.days(y1, m1, d1))
        }
        func check(_ value: String, _ range: ClosedRange<CalendarDate>, _ precision: DatePrecision) {
            let got = TimeCalendar.range(of: value)
            #expect(got?.0 == range, "\(value)")
            #expect(got?.1 == precision, "\(value)")
        }
        var checked = 0
        for y in [0, 1, 4, 99, 100, 399, 400, 1582, 1900, 1999, 2000, 2020, 2023, 2024, 9998, 9999] {
            check(TimeCalendar.yearString(y), r(y, 1, 1, y, 12, 31), .year)
            for m in 1...12 {
                let last = TimeCalendar.daysIn(y, m)
                check(TimeCalendar.monthValue(y, m), r(y, m, 1, y, m, last), .month)
                for d in [1, 15, last] {
                    let n = TimeCalendar.days(y, m, d)
                    check(TimeCalendar.dayValue(n), r(y, m, d, y, m, d), .day)
                    check(TimeCalendar.dayValue(n) + "T10:30", r(y, m, d, y, m, d), .day)
                    checked += 1
                }
            }
            let ys = TimeCalendar.yearString(y)
            for q in 1...4 {
                let m0 = (q - 1) * 3 + 1
                check("\(ys)-Q\(q)", r(y, m0, 1, y, m0 + 2, TimeCalendar.daysIn(y, m0 + 2)), .quarter)
            }
            check("\(ys)-H1", r(y, 1, 1, y, 6, 30), .quarter)
            check("\(ys)-H2", r(y, 7, 1, y, 12, 31), .quarter)
            check("\(ys)-SP", r(y, 3, 1, y, 5, 31), .season)
            check("\(ys)-SU", r(y, 6, 1, y, 8, 31), .season)
            check("\(ys)-FA", r(y, 9, 1, y, 11, 30), .season)
            check("\(ys)-WI", r(y, 12, 1, y + 1, 2, TimeCalendar.isLeap(y + 1) ? 29 : 28), .season)
        }
        for dec in [0, 7, 199, 202, 999] {
            check(TimeCalendar.pad(dec, 3), r(dec * 10, 1, 1, dec * 10 + 9, 12, 31), .decade)
            check(TimeCalendar.pad(dec, 3) + "X", r(dec * 10, 1, 1, dec * 10 + 9, 12, 31), .decade)
        }
        for c in [0, 19, 99] {
            check(TimeCalendar.pad(c, 2) + "XX", r(c * 100, 1, 1, c * 100 + 99, 12, 31), .century)
        }
        #expect(checked == 16 * 12 * 3)
        // what has no range keeps none
        #expect(TimeCalendar.range(of: "BC0480") == nil)
        #expect(TimeCalendar.range(of: "2021-02-29") == nil)
        #expect(TimeCalendar.range(of: "2021-13") == nil)
    }

    /// Actor id words read ASCII tokens from the document's bytes: the same id part as folding
    /// each token's text (and other tokens still go through folding).
    @Test func idWordsEqualTheFoldedWords() throws {
        func folded(_ doc: Document, _ range: Range<Int>) -> String {
            var out: [UInt8] = []
            for i in range where doc.tokens[i].kind == .word || doc.tokens[i].kind == .number {
                if !out.isEmpty { out.append(0x5F) }
                for b in Fold.fold(doc.text(of: i)).utf8 {
                    if b >= 0x61 && b <= 0x7A { out.append(b - 0x20) } else if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) {
                        out.append(b)
                    }
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        let texts = [
            "the Xyz Brigade of 9th Division",
            "Ministry of Agriculture of Georgia",
            "Şuşa Battalion and the Ağdam Guard",
            "al-Qardaha Martyrs' Brigade (Ahrar)",
            "ÉCOLE Normale Supérieure, Zürich",
        ]
        let processor = try TextProcessor.english()
        for text in texts {
            let doc = processor.document(text)
            let n = doc.tokens.count
            for lo in 0..<n {
                for hi in lo...n {
                    #expect(ActorTagger.idWords(doc, lo..<hi) == folded(doc, lo..<hi), "\(text) \(lo)..<\(hi)")
                }
            }
        }
        let doc = processor.document("the Şuşa Battalion")
        #expect(ActorTagger.idWords(doc, 0..<doc.tokens.count) == "THE_SUSA_BATTALION")
    }

    /// `sortBySpan` leaves mentions in span order as they are and sorts others as the stable
    /// sort by span does (mentions with equal spans keep their order).
    @Test func sortBySpanIsTheStableSort() {
        func mention(_ start: Int, _ end: Int, _ rule: String) -> Mention {
            Mention(span: Span(start, end), payload: .weapon(WeaponRef(name: rule, class: "x")), rule: rule)
        }
        let shuffled = [mention(5, 9, "a"), mention(0, 3, "b"), mention(5, 9, "c"), mention(5, 7, "d"),
                        mention(0, 3, "e"), mention(12, 14, "f"), mention(1, 2, "g")]
        var fast = shuffled
        fast.sortBySpan()
        let stable = shuffled.sorted { $0.span < $1.span }
        #expect(fast.map(\.rule) == stable.map(\.rule))
        #expect(fast.map(\.rule) == ["b", "e", "g", "d", "a", "c", "f"])
        var ordered = stable
        ordered.sortBySpan()
        #expect(ordered.map(\.rule) == stable.map(\.rule))
        var empty: [Mention] = []
        empty.sortBySpan()
        #expect(empty.isEmpty)
        var one = [mention(3, 4, "z")]
        one.sortBySpan()
        #expect(one.map(\.rule) == ["z"])
    }
}

/// The place tagger's prior cache returns what `prior` computes, first time or not.
@Suite struct PlacePriorCacheTests {
    @Test func cachedPriorsEqualComputedOnes() throws {
        let tagger = try PlaceTagger.english()
        var cache = PriorCache()
        let records = Array(stride(from: 0, to: min(tagger.gazetteer.count, 50_000), by: 97))
        #expect(records.count > 100)
        for round in 0..<2 {
            for r in records {
                for kind in [NameKind.primary, .alternate, .curated] {
                    #expect(cache.prior(r, kind, tagger) == tagger.prior(r, kind), "round \(round) record \(r) \(kind)")
                }
            }
        }
    }
}
