import SitrepIngest
import SitrepText
import Testing

@testable import SitrepExtract

/// The order the claim extractor adds claims in, which its readers rely on.
@Suite struct ClaimOrderTests {
    /// `Run.lastClaim(inSentence:)` (the latest claim of a sentence, for "CONTENT, according to X"
    /// and a speaker's own source) stops at the first claim of an earlier sentence: the extractor
    /// must add claims sentence by sentence.
    @Test func claimsAreAddedSentenceBySentence() throws {
        let extractor = try TestSupport.extractor.get()
        var articles = 0, claims = 0, outOfOrder = 0
        InputReader().read([TestSupport.examples]) { item in
            guard case .article(let article, _) = item else { return }
            let analysis = extractor.analyze(article)
            let doc = analysis.document
            var last = -1
            for claim in extractor.claims.extract(doc, analysis.annotations) {
                let s = doc.sentenceIndex(ofToken: doc.tokenIndex(atOrAfter: claim.verbSpan.start))
                if s < last { outOfOrder += 1 }
                last = s
                claims += 1
            }
            articles += 1
        }
        #expect(articles > 0)
        #expect(claims > articles)
        #expect(outOfOrder == 0)
    }

    /// Several claims in one sentence and in the next: the constructions that read the latest
    /// claim of their sentence still find it ("..., but said", "CONTENT, according to X").
    @Test func latestClaimOfTheSentence() throws {
        let extractor = try TestSupport.extractor.get()
        let analysis = extractor.analyze(Article(
            id: "order", text: """
                The ministry said the border was calm. Officials said two soldiers were wounded, \
                and said the army had returned fire. Three villages were shelled overnight, \
                according to local officials.
                """, published: "2021-03-14"))
        let rules = analysis.claims.map(\.rule)
        #expect(rules.count == 4)
        // the elided subject of "and said" is the claimant of the sentence's latest claim
        #expect(analysis.claims.count == 4 && analysis.claims[1].claimant == analysis.claims[2].claimant)
        #expect(rules.last?.hasSuffix("+source-last") == true)
    }
}
