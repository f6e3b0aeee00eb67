import Foundation
import SitrepExtract
import SitrepIngest
import SitrepMerge
import SitrepText
import Testing

/// Reports are read back by hand (`Report.decode(json:)`) when the merge state is restored;
/// it must give exactly what `JSONDecoder` gives for the same stored text.
@Suite struct RecordDecodingTests {
    static func viaFoundation(_ text: String) -> Report? {
        try? JSONDecoder().decode(Report.self, from: Data(text.utf8))
    }

    static func stored(_ r: Report) -> String {
        JSONOut.string { JSONOut.report(r, &$0) }
    }

    /// Hand-built reports with every optional member present and absent, and text that needs escapes.
    static func handBuilt() -> [Report] {
        let actor = ActorKey(id: "AZE.MIL", name: "Azerbaijani \"forces\"")
        let place = PlaceKey(name: "Gəncə", geonameid: 587_084, country: "AZ", admin1: nil, lat: 40.68278, lon: -46.36056,
                             precision: "settlement")
        let figure = ReportFigure(outcome: "killed", victims: "civilians", low: 3, best: 4, high: nil, qualifier: "about",
                                  claimantID: "ARM.GOV", claimantName: nil, casualty: 2, rule: "en/casualties#7")
        var out: [Report] = []
        for mask in 0..<32 {
            let on = { (bit: Int) in mask & (1 << bit) != 0 }
            out.append(Report(
                key: "h\(mask)#0", article: "h\(mask)", eventIndex: mask, source: on(0) ? "Wire\\Service" : nil,
                published: on(1) ? "2020-10-24" : nil, dupGroup: "h", type: "Battles", subtype: "Armed clash",
                actor1: on(2) ? actor : nil, actor2: on(3) ? actor : nil, dayStart: on(4) ? 18_559 : nil,
                dayEnd: on(4) ? 18_565 : nil, precision: on(4) ? "week" : "unknown", dateFromPublished: on(0),
                place: on(1) ? place : nil, claimant: on(2) ? actor : nil, stance: "denied",
                deniedBy: on(3) ? ["AZE.GOV.MOD", "Ministry of Defence"] : [], figures: on(4) ? [figure, figure] : [],
                weapons: ["BM-30 Smerch"], snippet: "Shells hit\nthe \u{1} market — 😀 “again”, \t officials said.",
                rules: ["r1", "r2"]))
        }
        return out
    }

    @Test func handBuiltReportsDecodeAsFoundationDecodesThem() throws {
        for r in Self.handBuilt() {
            let text = Self.stored(r)
            let fast = try #require(Report.decode(json: text), "\(text)")
            #expect(fast == Self.viaFoundation(text))
            #expect(fast == r)
        }
    }

    @Test func extractedReportsDecodeAsFoundationDecodesThem() throws {
        let extractor = try Extractor.english()
        var count = 0
        for (i, text) in [Articles.a1Text, Articles.a2Text, Articles.a3Text, Articles.a5Text, Articles.a6Text, Articles.a7Text].enumerated() {
            let analysis = extractor.analyze(Article(id: "t\(i)", text: text, published: "2020-10-24", title: nil,
                                                     source: "Test Wire", url: nil))
            for r in Report.reports(of: analysis, articleHash: "t\(i)", dupGroup: "t\(i)") {
                let text = Self.stored(r)
                #expect(Report.decode(json: text) == Self.viaFoundation(text))
                #expect(Report.decode(json: text) == r)
                count += 1
            }
        }
        #expect(count > 0)
    }

    @Test func whatIsNotAReportIsNil() throws {
        let text = Self.stored(try #require(Self.handBuilt().last))
        #expect(Report.decode(json: String(text.dropLast())) == nil)  // truncated
        #expect(Report.decode(json: text.replacingOccurrences(of: "\"eventIndex\":31", with: "\"eventIndex\":\"31\"")) == nil)
        #expect(Report.decode(json: text.replacingOccurrences(of: "\"type\":", with: "\"kind\":")) == nil)  // required member
        #expect(Report.decode(json: "[]") == nil)
        #expect(Report.decode(json: "") == nil)
    }
}

/// `events.report` is stored compactly (`ReportCodec`) from the `v4-integer-keys` migration on.
@Suite struct ReportCodecTests {
    @Test func compactReportsRoundTrip() throws {
        var reports = RecordDecodingTests.handBuilt()
        let extractor = try Extractor.english()
        for (i, text) in [Articles.a1Text, Articles.a2Text, Articles.a5Text].enumerated() {
            let analysis = extractor.analyze(Article(id: "t\(i)", text: text, published: "2020-10-24", title: nil,
                                                     source: "Test Wire", url: nil))
            reports += Report.reports(of: analysis, articleHash: "t\(i)", dupGroup: "g\(i)")
        }
        #expect(reports.count > 32)
        for r in reports {
            let bytes = ReportCodec.encode(r)
            let back = ReportCodec.decode(bytes, article: r.article, eventIndex: r.eventIndex, dupGroup: r.dupGroup)
            // The key is not stored: it is the article's hash and the event's index.
            var expected = r
            expected.key = Report.key(article: r.article, event: r.eventIndex)
            #expect(back == expected)
            // The merge engine's decode: the same report with its snippet and rules left empty.
            let lean = ReportCodec.decode(bytes, article: r.article, eventIndex: r.eventIndex, dupGroup: r.dupGroup,
                                          evidence: false)
            expected.snippet = ""
            expected.rules = []
            #expect(lean == expected)
            // Smaller than the JSON it replaces.
            #expect(bytes.count < RecordDecodingTests.stored(r).utf8.count)
            // Truncated or foreign bytes give nil, never a crash.
            for cut in stride(from: 0, to: bytes.count, by: 7) {
                for evidence in [true, false] {
                    #expect(ReportCodec.decode(Array(bytes.prefix(cut)), article: "a", eventIndex: 0, dupGroup: "a",
                                               evidence: evidence) == nil)
                }
            }
            #expect(ReportCodec.decode(bytes + [0], article: "a", eventIndex: 0, dupGroup: "a") == nil)
            #expect(ReportCodec.decode(bytes + [0], article: "a", eventIndex: 0, dupGroup: "a", evidence: false) == nil)
        }
        #expect(ReportCodec.decode([2, 0, 0], article: "a", eventIndex: 0, dupGroup: "a") == nil)
    }
}
