import SitrepAnnotate
import SitrepIngest
import SitrepText
import Testing

@testable import SitrepExtract

/// The linear rewrites of two per-article passes (regression: both compared every claim with
/// every other claim or every sentence, and a single 20 MB article took over ten minutes) give
/// exactly what the pairwise definitions give, on random inputs.
@Suite struct ScalingTests {
    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    static func randomClaims(_ r: inout Random, count: Int) -> [Claim] {
        let who = ["AZE.GOV", "NKR.MIL", "RUS.GOV.PRES"].map { ActorRef(id: $0, name: $0, country: nil, kind: .government) }
        var claims: [Claim] = []
        for _ in 0..<count {
            let start = r.next(40) * 10, length = 10 + r.next(4) * 10
            let speaker = r.next(6) * 7
            claims.append(Claim(
                claimant: who[r.next(who.count)], claimantSpan: Span(speaker, speaker + 5), verb: "said",
                verbSpan: Span(speaker + 6, speaker + 10), stance: r.next(4) == 0 ? "denies" : "asserts",
                content: Span(start, start + length), about: r.next(3) == 0 ? .event(r.next(5)) : nil,
                denies: r.next(4) == 0 ? r.next(count) : nil,
                rule: r.next(3) == 0 ? "en/claims/verbs.tsv#95+speaker-source" : "en/claims/verbs.tsv#12"))
        }
        return claims
    }

    /// The pairwise definition: each claim against every claim kept before it.
    static func naiveMerge(_ input: [Claim]) -> [Claim] {
        var claims = input
        var keptAs = [Int](repeating: -1, count: claims.count)
        var kept: [Int] = []
        for i in claims.indices {
            if let k = kept.first(where: { DuplicateClaims.duplicate(claims[i], of: claims[$0]) }) {
                keptAs[i] = k
                if claims[k].about == nil { claims[k].about = claims[i].about }
            } else {
                keptAs[i] = i
                kept.append(i)
            }
        }
        var newIndex = [Int](repeating: -1, count: claims.count)
        for (n, i) in kept.enumerated() { newIndex[i] = n }
        return kept.map { i in
            var c = claims[i]
            c.denies = c.denies.map { newIndex[keptAs[$0]] }
            return c
        }
    }

    static func summary(_ claims: [Claim]) -> [String] {
        claims.map { "\($0.claimant.id) \($0.stance) \($0.content) \($0.claimantSpan) \($0.rule) \(String(describing: $0.about)) \(String(describing: $0.denies))" }
    }

    /// Both paths of the merge: in place up to 64 claims, hashed above (counts 1…150).
    @Test func duplicateMergeEqualsThePairwiseDefinition() {
        var r = Random(state: 20_261_121)
        var merged = 0
        for round in 0..<300 {
            let claims = Self.randomClaims(&r, count: 1 + round % 150)
            var fast = claims
            DuplicateClaims.merge(&fast)
            let slow = Self.naiveMerge(claims)
            #expect(Self.summary(fast) == Self.summary(slow), "round \(round)")
            merged += claims.count - fast.count
        }
        #expect(merged > 0)  // the inputs do contain duplicates
    }

    /// The sentence-bounded token search (used for mentions inside a sentence) answers what the
    /// search over the whole document answers, for every byte offset of every sentence.
    @Test func tokenSearchInsideASentenceEqualsTheDocumentSearch() throws {
        let text = "Rockets hit Stepanakert on Sunday. \n\nOfficials in Baku denied it, a spokesman said; \"no\" strikes. "
            + "Three civilians were killed near the market."
        let doc = try TestSupport.extractor.get().text.document(text)
        #expect(doc.sentences.count >= 2)
        for sentence in doc.sentences where !sentence.tokens.isEmpty {
            let span = doc.span(of: sentence.tokens)
            for offset in span.start...span.end {
                #expect(doc.tokenIndex(atOrAfter: offset, in: sentence.tokens) == doc.tokenIndex(atOrAfter: offset),
                        "offset \(offset)")
            }
        }
    }

    @Test func claimsBySentenceEqualsTheScanOverAllClaims() throws {
        let text = (0..<30).map { "Officials said rockets hit the town on day \($0), a spokesman told reporters." }
            .joined(separator: " ")
        let doc = try TestSupport.extractor.get().text.document(text)
        var r = Random(state: 7)
        let who = ActorRef(id: "AZE.GOV", name: "officials", country: "AZ", kind: .government)
        var claims: [Claim] = []
        for _ in 0..<200 {
            let a = r.next(doc.bytes.count - 1), b = a + 1 + r.next(200)
            let v = r.next(doc.bytes.count - 5)
            claims.append(Claim(claimant: who, claimantSpan: Span(v, v + 2), verb: "said", verbSpan: Span(v, v + 4),
                                stance: "asserts", content: Span(a, Swift.min(b, doc.bytes.count)), rule: "test"))
        }
        let index = EventExtractor.claimsBySentence(doc, claims)
        for (s, sentence) in doc.sentences.enumerated() {
            let span = sentence.span
            let naive = claims.indices.filter { claims[$0].content.overlaps(span) || span.contains(claims[$0].verbSpan) }
            #expect(index[s] == naive, "sentence \(s)")
        }
    }
}
