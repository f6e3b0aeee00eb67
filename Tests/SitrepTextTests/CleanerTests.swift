import Testing
@testable import SitrepText

@Suite struct CleanerTests {
    // A news-style text written for this test.
    let article = """
        Rockets hit the outskirts of the city before dawn, the mayor said. /@CityHallPress

        Rescue teams searched the rubble of two houses through the morning.

        Smoke rises over a damaged street on the city's edge, March 3, 2021. /Wire Photo

        Smoke rises over a damaged street on the city's edge, March 3, 2021. /Wire Photo

        Independent reporting costs money. Your contributions will help us stay on the ground. Support us now

        Follow us on Twitter for live updates.

        (With input from agencies)
        """

    @Test func marksEachKindOfBoilerplate() throws {
        let doc = try TextProcessor.english().document(article)
        let marked = doc.boilerplate.map { ($0.reason, doc.string($0.span)) }
        #expect(marked.map(\.0) == ["social-handle", "photo-credit", "duplicate", "donation-appeal", "share-prompt", "agency-footer"])
        #expect(marked[0].1 == "/@CityHallPress")
        #expect(marked[1].1 == "/Wire Photo")
        #expect(marked[2].1.hasPrefix("Smoke rises"))
        #expect(marked[5].1 == "(With input from agencies)")
    }

    /// A slash that ends a paragraph or the text has no credit after it: nothing is marked, and
    /// the search never reads past the paragraph.
    @Test func slashAtTheEndIsNoCredit() throws {
        let processor = try TextProcessor.english()
        for text in ["Shelling resumed near the bridge at noon /", "Shelling resumed near the bridge at noon /\n\nCrews waited."] {
            let doc = processor.document(text)
            #expect(doc.boilerplate.isEmpty, "\(text)")
        }
        // the first-key filter finds phrases wherever they start, also mid-paragraph and twice
        let doc = processor.document("Aid trucks crossed at dawn. Click here to read more. Click here to donate.")
        #expect(doc.boilerplate.map(\.reason) == ["share-prompt", "share-prompt"])
    }

    @Test func markingNeverChangesTheText() throws {
        let doc = try TextProcessor.english().document(article)
        #expect(doc.text == article)
        for b in doc.boilerplate {
            let tokens = doc.tokenRange(of: b.span)
            #expect(doc.tokens[tokens].allSatisfy { $0.has(.boilerplate) })
        }
        // the first copy of the caption is kept; article sentences are not flagged
        let first = doc.tokens.first { doc.string($0.span) == "Rescue" }
        #expect(first.map { !$0.has(.boilerplate) } == true)
    }

    @Test func creditNeedsASlashAfterSpace() throws {
        let doc = try TextProcessor.english().document("Prices rose 5/6 of a point and/or fell.")
        #expect(doc.boilerplate.isEmpty)
    }

    @Test func longParagraphLosesOnlyTheAppealSentence() throws {
        let long = String(repeating: "The fighting continued near the river crossing for another day. ", count: 12)
        let text = long + "Subscribe now to read every dispatch."
        let doc = try TextProcessor.english().document(text)
        #expect(doc.boilerplate.count == 1)
        #expect(doc.string(doc.boilerplate[0].span) == "Subscribe now to read every dispatch.")
    }
}

@Suite struct CleanerScaleTests {
    /// Regression guard: duplicate detection stays linear on documents with many paragraphs.
    @Test func manyParagraphsWithRepeats() throws {
        var paragraphs: [String] = []
        for k in 0..<2000 { paragraphs.append("Report number \(k % 1500) from the northern sector arrived today.") }
        let doc = try TextProcessor.english().document(paragraphs.joined(separator: "\n\n"))
        #expect(doc.paragraphs.count == 2000)
        #expect(doc.boilerplate.filter { $0.reason == "duplicate" }.count == 500)
    }
}
