import Foundation
import SitrepAnnotate
@testable import SitrepExtract
import SitrepIngest
@testable import SitrepStore
import SitrepText
import Testing

/// `claims.rows` and `casualties.rows` are written straight from the analysis; they must be the
/// bytes the rows built first (strings from `Document.string`, then escaped) gave.
@Suite struct PackedRowsTests {
    /// The claims array as it was written from `ClaimRow`s.
    static func referenceClaims(_ a: Analysis) -> [UInt8] {
        guard !a.claims.isEmpty else { return [] }
        var w = JSONWriter(capacity: 64)
        w.beginArray()
        for (i, c) in a.claims.enumerated() {
            var ev: Int?
            var ca: Int?
            switch c.about {
            case .event(let e)?: ev = e
            case .casualty(let k)?: ca = k
            case nil: break
            }
            let row = ClaimRow(claimantID: c.claimant.id, claimant: c.claimant.name, verb: c.verb, stance: c.stance,
                               content: a.document.string(c.content), rule: c.rule, aboutEvent: ev, aboutCasualty: ca,
                               denies: c.denies)
            w.beginArray()
            w.int(i); w.string(row.claimantID); w.string(row.claimant); w.string(row.verb); w.string(row.stance)
            w.string(row.content); w.int(row.aboutEvent); w.int(row.aboutCasualty); w.int(row.denies); w.string(row.rule)
            w.endArray()
        }
        w.endArray()
        return w.bytes
    }

    /// The casualties array as it was written from the casualty rows.
    static func referenceCasualties(_ a: Analysis) -> [UInt8] {
        guard !a.casualties.isEmpty else { return [] }
        let doc = a.document
        var w = JSONWriter(capacity: 64)
        w.beginArray()
        for (i, c) in a.casualties.enumerated() {
            w.beginArray()
            w.int(i); w.string(c.outcome); w.int(c.low); w.int(c.best); w.int(c.high); w.string(c.qualifier)
            w.string(c.victims); w.string(c.side); w.string(c.scope); w.string(c.period?.start.description)
            w.string(c.period?.end.description); w.string(c.claimant?.id); w.string(c.claimant?.name)
            w.string(doc.string(c.span)); w.string(doc.string(c.figureSpan)); w.string(c.rule)
            w.endArray()
        }
        w.endArray()
        return w.bytes
    }

    static func expectSame(_ a: Analysis) throws {
        let p = PreparedArticle(a, origin: "test")
        // No blob (and no row) for an article without claims or casualties.
        #expect(p.claimsJSON.isEmpty == a.claims.isEmpty)
        #expect(p.casualtiesJSON.isEmpty == a.casualties.isEmpty)
        if !a.claims.isEmpty { #expect(try #require(StoredBlob.decompress(p.claimsJSON)) == referenceClaims(a)) }
        if !a.casualties.isEmpty {
            #expect(try #require(StoredBlob.decompress(p.casualtiesJSON)) == referenceCasualties(a))
        }
    }

    @Test func extractedArticlesPackAsTheirRowsDid() throws {
        let extractor = try Extractor.english()
        let texts = [Articles.a1Text, Articles.a2Text, Articles.a3Text, Articles.a5Text, Articles.a6Text, Articles.a7Text,
                     "Shelling killed \"at least\" 3 civilians in Stepanakert — «Ünïcode» reports\\ said on Tuesday, "
                        + "Armenia's defence ministry denied that 12 soldiers were killed in Füzuli.\n"]
        var claims = 0, casualties = 0
        for (i, text) in texts.enumerated() {
            let a = extractor.analyze(Article(id: "t\(i)", text: text, published: "2020-10-24", title: nil,
                                              source: "Test Wire", url: nil))
            try Self.expectSame(a)
            claims += a.claims.count
            casualties += a.casualties.count
        }
        #expect(claims > 0)
        #expect(casualties > 0)
    }

    @Test func spansCuttingACharacterTakeTheRepairedString() throws {
        var a = Fixture.analysis(id: "x", text: "Gunfire killed 4 people near Ağdam on Monday.", published: "2020-10-24",
                                 source: "Wire", tolls: [.init(best: 4, victims: "people", clause: "Gunfire killed 4 people near Ağdam")])
        let doc = a.document
        let g = try #require(doc.bytes.firstIndex(of: 0xC4))  // "ğ" is C4 9F
        a.casualties[0].span = Span(g + 1, doc.bytes.count)  // starts inside the character
        a.casualties[0].figureSpan = Span(0, g + 1)  // ends inside it
        #expect(doc.string(a.casualties[0].span).hasPrefix("\u{FFFD}"))
        try Self.expectSame(a)
    }
}
