import Testing
@testable import SitrepText

@Suite struct SegmenterTests {
    func sentences(_ s: String) throws -> [String] {
        let doc = try TextProcessor.english().document(s)
        return doc.sentences.map { doc.string($0.span) }
    }

    @Test func abbreviationsDoNotEndSentences() throws {
        #expect(try sentences("Gen. Petrov arrived. Mr. Aliyev spoke at No. 5 Main St. on Friday.") ==
            ["Gen. Petrov arrived.", "Mr. Aliyev spoke at No. 5 Main St. on Friday."])
    }

    @Test func initialsAndDecimals() throws {
        #expect(try sentences("J. R. Smith wrote it. The rate rose 3.5 percent. Then it fell.") ==
            ["J. R. Smith wrote it.", "The rate rose 3.5 percent.", "Then it fell."])
    }

    @Test func dottedAbbreviationAtSentenceEnd() throws {
        #expect(try sentences("Talks were held in the U.S. The envoy left. The U.S. Navy stayed.") ==
            ["Talks were held in the U.S.", "The envoy left.", "The U.S. Navy stayed."])
    }

    @Test func quotesAndBracketsStayWithTheirSentence() throws {
        #expect(try sentences("“We will not stop,” he said. “Never.” (The army agreed.) Then silence.") ==
            ["“We will not stop,” he said.", "“Never.”", "(The army agreed.)", "Then silence."])
    }

    @Test func lowercaseAfterPeriodContinues() throws {
        #expect(try sentences("It cost approx. five dollars. Next.") == ["It cost approx. five dollars.", "Next."])
    }

    @Test func paragraphsAndLineBreaks() throws {
        let doc = try TextProcessor.english().document("Headline without a period\nBody starts here. More.\n\nSecond paragraph")
        #expect(doc.paragraphs.count == 2)
        #expect(doc.sentences.map { doc.string($0.span) } ==
            ["Headline without a period", "Body starts here.", "More.", "Second paragraph"])
        #expect(doc.paragraphs[0].sentences == 0..<3)
        #expect(doc.paragraphs[1].sentences == 3..<4)
        #expect(doc.tokens[doc.sentences[1].tokens.lowerBound].has(.sentenceStart))
    }

    @Test func wrappedLinesContinueTheSentence() throws {
        #expect(try sentences("The shelling continued through\nthe night, officials said.") ==
            ["The shelling continued through\nthe night, officials said."])
    }

    @Test func emptyAndBlankText() throws {
        #expect(try sentences("").isEmpty)
        #expect(try sentences(" \n\n \t").isEmpty)
    }
}
