import Testing
@testable import SitrepText

/// The hot-path look-up structures agree with the standard library's collections.
@Suite struct LookupTests {
    struct Rng {
        var s: UInt64
        mutating func next() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [1, 2, 3])
    func keyMapAndKeySetMatchDictionaryAndSet(seed: Int) {
        var rng = Rng(s: UInt64(seed))
        var map = KeyMap<Int>()
        var set = KeySet()
        var reference: [UInt64: Int] = [:]
        // small key space so that overwrites and probes collide often
        for step in 0..<5000 {
            let key = rng.next() % 3000
            map[key] = step
            set.insert(key)
            reference[key] = step
        }
        #expect(map.count == reference.count)
        #expect(set.count == reference.count)
        for key in UInt64(0)..<4000 {
            #expect(map[key] == reference[key])
            #expect(set.contains(key) == (reference[key] != nil))
        }
    }

    @Test func tokenTrieFindsLongestAndAllPhrases() {
        var trie = TokenTrie<String>()
        trie.insert("Smerch", value: "short")
        trie.insert("BM-30 Smerch", value: "full")
        trie.insert("BM-30", value: "model")
        trie.insert("Ministry of Defence", value: "mod")
        trie.insert("ministry of defence", value: "mod-again")
        let doc = try? TextProcessor.english().document("The BM-30 Smerch and the Ministry of Defense and the ministry of defence.")
        guard let doc else {
            Issue.record("language data failed to load")
            return
        }
        let i = doc.tokens.firstIndex { doc.string($0.span) == "BM" } ?? 0
        let match = trie.longestMatch(doc.tokens, at: i)
        #expect(match.map { doc.text(of: i..<$0.end) } == "BM-30 Smerch")
        #expect(match?.values == ["full"])
        #expect(trie.allMatches(doc.tokens, at: i).map(\.values) == [["model"], ["full"]])
        // a different spelling is a different phrase; case never matters
        let ministries = doc.tokens.indices.filter { doc.text(of: $0).lowercased() == "ministry" }
        #expect(trie.longestMatch(doc.tokens, at: ministries[0]) == nil)
        #expect(trie.longestMatch(doc.tokens, at: ministries[1])?.values == ["mod", "mod-again"])
        // a phrase cannot run past the limit
        #expect(trie.longestMatch(doc.tokens, at: i, limit: i + 3)?.values == ["model"])
        #expect(trie.count == 5)
    }
}
