import Testing
import SitrepAnnotate
import SitrepIngest
import SitrepText
@testable import SitrepExtract

/// A figure's rule kept as row ids: its text, its prefixes and its JSON are those of the joined text.
@Suite struct CasualtyProvenanceTests {
    func analyze(_ text: String) throws -> Analysis {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2021-03-14"))
    }

    /// The JSON `JSONLine.string` writes for `text` (without the line's newline).
    func json(_ text: String) -> [UInt8] {
        Array(JSONLine.build(capacity: 64) { $0.string(text) }.dropLast())
    }

    @Test func partsReadAsTheJoinedText() throws {
        let a = try analyze(
            "Airstrikes on the market killed about 25 civilians, including seven children. Since the war began, "
                + "more than 1,000 soldiers have been killed, bringing the total to 3,400 people killed.")
        #expect(a.casualties.count >= 3)
        for c in a.casualties {
            let text = c.rule
            #expect(c.provenance.text == nil)
            #expect(text.contains("+"))
            // the rule written from its parts is the escape of its text
            #expect(Array(JSONLine.build(capacity: 64) { c.provenance.write(&$0) }.dropLast()) == json(text))
            // the prefixes read from the parts are those of the text
            let bits = c.provenance.prefixes
            #expect((bits & 1 != 0) == text.hasPrefix("subset:"))
            #expect((bits & 2 != 0) == text.hasPrefix("convention:"))
            #expect((bits & 4 != 0) == text.hasPrefix("total:"))
            // the same as a casualty made with the text
            var copy = c
            copy.rule = text
            #expect(copy.provenance.text == text)
            #expect(copy.rule == text)
            #expect(copy.provenance.prefixes == bits)
        }
        #expect(a.casualties.contains { $0.rule.hasPrefix("subset:") })
    }

    @Test func aGivenTextIsKept() {
        let c = Casualty(outcome: "killed", low: 1, best: 1, high: 1, qualifier: "exact", victims: "people",
                         scope: "incident", span: Span(0, 4), figureSpan: Span(0, 1), rule: "convention:\"x\"")
        #expect(c.rule == "convention:\"x\"")
        #expect(c.provenance.prefixes == 2)
        #expect(Array(JSONLine.build(capacity: 64) { c.provenance.write(&$0) }.dropLast()) == json("convention:\"x\""))
    }
}

/// `sameSide` (bytes) agrees with comparing `side` parts.
@Suite struct ClaimSideTests {
    @Test func sameSideAgreesWithSide() {
        let ids = ["AZE.MIL", "AZE.GOV", "ARM.MIL", "AZE", ".AZE.X", "..", "", "UNID.SOURCES", "ÉTAT.MIL", "E\u{301}TAT.GOV",
                   "ÉTAT", "AZE..MIL"]
        for a in ids {
            for b in ids {
                #expect(ClaimExtractor.Run.sameSide(a, b) == (ClaimExtractor.Run.side(a) == ClaimExtractor.Run.side(b)))
            }
        }
    }
}
