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

/// The tokenizer's fast paths (storage sized up front, break candidates for the segmenter) must
/// agree with their plain definitions on any text.
@Suite struct TokenizerStoragePropertyTests {
    /// A deterministic mix of the shapes the scanner treats specially.
    static func texts() -> [String] {
        let pieces = ["Shelling", "hit", "Stepanakert", ".", "U.S.", "said", "\n", "\n\n", "1,000", "3.5", "’s", "'s",
                      "\"", "(", ")", "!", "?", "…", "...", "Gəncə", "—", "#", "@", " ", "  ", "a", "B", "x-y", "/",
                      "Mr.", "No.", "12", "\u{00A0}", "e\u{0301}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var out: [String] = []
        for length in [0, 1, 2, 5, 40, 400] {
            for _ in 0..<25 {
                var s = ""
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    s += pieces[Int(state >> 33) % pieces.count]
                    if state & 1 == 0 { s += " " }
                }
                out.append(s)
            }
        }
        return out
    }

    @Test func breakCandidatesAreExactlyTheTokensTheSegmenterMustSee() {
        for text in Self.texts() {
            Array(text.utf8).withUnsafeBufferPointer { p in
                var tokens: [Token] = []
                var breaks: [Int32] = []
                Tokenizer.tokenize(p, into: &tokens, breaks: &breaks)
                let expected = tokens.indices.filter { Tokenizer.isBreakCandidate(tokens[$0]) }.map { Int32($0) }
                #expect(breaks == expected, "\(text.debugDescription)")
            }
        }
    }

    @Test func denseTextThatOverflowsTheFirstGuessTokenizesCompletely() {
        // one token per byte: far more than the first storage guess of a token per three bytes
        let text = String(repeating: "a,", count: 500)
        var tokens: [Token] = []
        Array(text.utf8).withUnsafeBufferPointer { Tokenizer.tokenize($0, into: &tokens) }
        #expect(tokens.count == 1000)
        #expect(tokens.last.map { Int($0.end) } == 1000)
        #expect(tokens.allSatisfy { $0.end - $0.start == 1 })
    }

    @Test func appendingToExistingTokensKeepsBreakIndicesAbsolute() {
        var tokens: [Token] = []
        var breaks: [Int32] = []
        let first = Array("One. Two".utf8)
        let second = Array("three. Four".utf8)
        first.withUnsafeBufferPointer { Tokenizer.tokenize($0, into: &tokens, breaks: &breaks) }
        let before = tokens.count
        second.withUnsafeBufferPointer { Tokenizer.tokenize($0, into: &tokens, breaks: &breaks) }
        #expect(tokens.count == before + 3)
        #expect(breaks == [1, Int32(before + 1)])
    }

    @Test func segmentingWithCandidatesEqualsSegmentingEveryToken() throws {
        let segmenter = try Segmenter.english()
        for text in Self.texts() where !text.isEmpty {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { p in
                var a: [Token] = []
                var breaks: [Int32] = []
                Tokenizer.tokenize(p, into: &a, breaks: &breaks)
                var b = a
                let viaBreaks = segmenter.segment(bytes: p, tokens: &a, breaks: breaks)
                let viaScan = segmenter.segment(bytes: p, tokens: &b, breaks: Array(0..<Int32(b.count)))
                #expect(viaBreaks.sentences.map(\.tokens) == viaScan.sentences.map(\.tokens), "\(text.debugDescription)")
                #expect(viaBreaks.paragraphs.map(\.tokens) == viaScan.paragraphs.map(\.tokens))
                #expect(a.map(\.flags) == b.map(\.flags))
            }
        }
    }
}
