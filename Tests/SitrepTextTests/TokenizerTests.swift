import Testing
@testable import SitrepText

@Suite struct TokenizerTests {
    func tokens(_ s: String) -> [String] {
        let doc = try? TextProcessor.english().document(s)
        guard let doc else { return [] }
        return doc.tokens.indices.map { doc.text(of: $0) }
    }

    @Test func splitsHyphenatedWordsButKeepsThemAdjacent() throws {
        let doc = try TextProcessor.english().document("a 13-year-old boy")
        #expect(doc.tokens.indices.map { doc.text(of: $0) } == ["a", "13", "-", "year", "-", "old", "boy"])
        #expect(doc.tokens[1].has(.spaceBefore))
        #expect(!doc.tokens[2].has(.spaceBefore))
        #expect(doc.tokens[1].kind == .number)
    }

    @Test func numbersWithSeparatorsStayWhole() throws {
        #expect(tokens("At least 1,000 people, 3.5 km and 2,50 euros") ==
            ["At", "least", "1,000", "people", ",", "3.5", "km", "and", "2", ",", "50", "euros"])
        let doc = try TextProcessor.english().document("killed 1,250,000 and 3.5")
        #expect(doc.numberValue(ofToken: 1) == 1_250_000)
        #expect(doc.numberValue(ofToken: 3) == 3.5)
    }

    @Test func possessiveIsItsOwnToken() {
        #expect(tokens("Azerbaijan’s army and Russia's president") ==
            ["Azerbaijan", "’s", "army", "and", "Russia", "'s", "president"])
        #expect(tokens("O'Brien said") == ["O'Brien", "said"])
    }

    @Test func dottedAbbreviationsStayWhole() {
        #expect(tokens("the U.S. envoy at 5 p.m. today") == ["the", "U.S.", "envoy", "at", "5", "p.m.", "today"])
    }

    @Test func foldingIgnoresCaseAndDiacritics() throws {
        let doc = try TextProcessor.english().document("Şuşa SHUSHA Xankəndi Tərtər Ganja")
        #expect(doc.tokens[0].key == Fold.key("susa"))
        #expect(doc.tokens[1].key == Fold.key("shusha"))
        #expect(doc.tokens[2].key == Fold.key("Xankendi"))
        #expect(doc.tokens[3].key == Fold.key("terter"))
        #expect(doc.tokens[0].isCapitalized && doc.tokens[0].has(.nonASCII))
        #expect(doc.tokens[1].has(.allCaps))
        #expect(Fold.fold("Gəncə Ağdam İsmayıllı Œuvre") == "gence agdam ismayilli oeuvre")
    }

    @Test func combiningMarksStayInTheWord() throws {
        let doc = try TextProcessor.english().document("Mala\u{301}ga fell")
        #expect(doc.tokens.count == 2)
        #expect(doc.tokens[0].key == Fold.key("malaga"))
    }

    @Test func punctuationAndSymbols() throws {
        let doc = try TextProcessor.english().document("“Stop,” he said — 50% 🙂")
        let kinds = doc.tokens.map(\.kind)
        #expect(kinds == [.punct, .word, .punct, .punct, .word, .word, .punct, .number, .symbol, .symbol])
    }
}
