import Testing
import SitrepText
@testable import SitrepExtract

/// The byte-level demonym tests give what folding the strings gives, for ASCII and non-ASCII text.
@Suite struct DemonymMatchTests {
    static let text: Result<TextProcessor, any Error> = Result { try TextProcessor.english() }

    static let words = [
        "Syrian", "SYRIAN", "Israeli", "Lebanese", "Turkish", "Arabic", "Syria", "Iran", "Mali", "In", "I", "n",
        "ic", "IC", "ese", "Sh", "Azərbaycanlı", "Bahraini", "Hawaiʻi", "Qazaqstanì", "Köln", "Yemeni", "Uzbekistán",
        "Côte", "Rossiyskiy", "Kurdish", "Kurdísh", "Icelandic", "x",
    ]

    @Test func endingMatchesTheFoldedSuffix() throws {
        let processor = try Self.text.get()
        for w in Self.words {
            let doc = processor.document(w)
            let span = Span(0, doc.bytes.count)
            let folded = Fold.fold(w)
            let expected = folded.hasSuffix("n") || folded.hasSuffix("i") || folded.hasSuffix("ese")
                || folded.hasSuffix("ish") || folded.hasSuffix("ic")
            #expect(EventExtractor.hasDemonymEnding(doc, span) == expected, "\(w)")
        }
    }

    @Test func foldedEqualityMatchesFolding() throws {
        let processor = try Self.text.get()
        let names = ["Syria", "syria", "SYRIA", "Syrian", "Azerbaijan", "Azərbaycan", "Côte d'Ivoire",
                     "Cote d'Ivoire", "Cote d’Ivoire", "Türkiye", "Turkiye", "", "Iran"]
        for a in names where !a.isEmpty {
            let doc = processor.document(a)
            let span = Span(0, doc.bytes.count)
            for b in names {
                #expect(EventExtractor.foldedEqual(doc, span, b) == (Fold.fold(a) == Fold.fold(b)), "\(a) / \(b)")
            }
        }
    }

    @Test func outOfRangeSpansAreNotMatches() throws {
        let doc = try Self.text.get().document("Syrian")
        #expect(!EventExtractor.hasDemonymEnding(doc, Span(0, 99)))
        #expect(!EventExtractor.foldedEqual(doc, Span(3, 99), "ian"))
    }
}

/// The evidence text is the folded mention text, however it is computed.
@Suite struct FoldedTextTests {
    @Test func foldedTextIsFoldOfTheSpan() throws {
        let processor = try TextProcessor.english()
        for w in ["Damascus", "NAGORNO-Karabakh", "Xankəndi", "Côte d’Ivoire", "al-Bab", "Idlib Province", ""] {
            let doc = processor.document("The strike hit \(w) on Monday.")
            let start = "The strike hit ".utf8.count
            let span = Span(start, start + w.utf8.count)
            #expect(EventExtractor.foldedText(doc, span) == Fold.fold(doc.string(span)), "\(w)")
        }
        let doc = processor.document("Aleppo")
        #expect(EventExtractor.foldedText(doc, Span(2, 50)) == Fold.fold(doc.string(Span(2, 50))))
    }
}
