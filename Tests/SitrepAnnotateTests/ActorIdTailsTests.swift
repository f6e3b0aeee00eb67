import SitrepText
import Testing

@testable import SitrepAnnotate

/// The antecedent query ("the ministry" → the nearest earlier ministry) compares hashed id tails
/// before strings; the pre-check of the actor scan probes the phrase trie's root. Both must
/// agree with the tests they stand in front of.
@Suite("Actor id tails and scan pre-check")
struct ActorIdTailsTests {
    /// Where the string test ("is, or ends with '.', the suffix") holds, the hash of the id's
    /// last parts equals the suffix key's hash (no false negatives).
    @Test("id tails agree with the suffix string test")
    func tailsAgreeWithStrings() {
        let parts = ["AZE", "GOV", "MFA", "MIL", "SPOX", "X", "", "ARM", "GOV.MIN_DEF", "NKR"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let id = (0..<Int.random(in: 1...4, using: &rng)).map { _ in parts.randomElement(using: &rng) ?? "" }
                .joined(separator: ".")
            let suffix = (0..<Int.random(in: 1...4, using: &rng)).map { _ in parts.randomElement(using: &rng) ?? "" }
                .joined(separator: ".")
            let key = IdSuffixKey(suffix)
            let tails = IdTails.of(id)
            let byString = id == suffix || ActorTagger.utf8(id, endsWith: "." + suffix)
            let byHash = key.parts == 0 || tails[key.parts - 1] == key.hash
            // a string match is always a hash match (the hash test only ever lets the string test decide)
            if byString { #expect(byHash, "\(id) / \(suffix)") }
            // and with distinct parts a hash match is a string match (no collisions here)
            if key.parts > 0 && byHash { #expect(byString, "\(id) / \(suffix)") }
        }
    }

    /// The tail hashes are FNV-1a over the id's bytes read from its end (the hashes of its last
    /// one, two and three dot-separated parts), whatever the bytes; written out here over the
    /// UTF-8 view, the way the hashes were first computed.
    @Test("id tails are the reversed FNV-1a of the last parts")
    func tailsEqualReversedHashes() {
        func reference(_ text: Substring) -> UInt64 {
            var h = IdTails.seed
            for c in text.utf8.reversed() { h = (h ^ UInt64(c)) &* IdTails.prime }
            return h | 1
        }
        for id in ["AZE.GOV.MFA.SPOX", "GOV.MFA", "X", "", "ARM.", ".MIL", "PER.ŞUŞA_ÇAVUŞ", "A.B.C.D.E", "KYIV.GOV.МВС"] {
            let parts = id.split(separator: ".", omittingEmptySubsequences: false)
            let tails = IdTails.of(id)
            for n in 1...IdTails.depth {
                let expected = n <= parts.count ? reference(parts.suffix(n).joined(separator: ".")[...]) : 0
                #expect(tails[n - 1] == expected, "\(id), \(n) parts")
            }
            #expect(IdTails.reversedHash(id) == reference(id[...]), "\(id)")
        }
    }

    /// Every token where a lexicon phrase is found starts a trie edge from the root: the scan may
    /// skip the others.
    @Test("the root probe lets every phrase start through")
    func rootProbeIsSuperset() throws {
        let tagger = try ActorTagger.english()
        let text = """
            The Azerbaijani defence ministry said Armenian forces shelled Tartar. Three civilians were \
            wounded, a spokesman for the ministry told Reuters. President Ilham Aliyev and the OSCE \
            Minsk Group co-chairs met in Moscow; Russian peacekeepers and Turkish-made drones were seen.
            """
        let doc = try TextProcessor.english().document(text)
        let index = tagger.lex.table.index
        var found = 0
        for i in doc.tokens.indices where index.longest(doc.tokens, at: i, limit: doc.tokens.count) != nil {
            found += 1
            #expect(index.startsPhrase(doc.tokens[i].key), "token \(i): \(doc.string(doc.tokens[i].span))")
            #expect(index.mayMatch(doc.tokens, at: i, limit: doc.tokens.count), "token \(i)")
        }
        #expect(found >= 8)
    }
}
