import SitrepAnnotate
import SitrepText
import Testing

@testable import SitrepExtract

/// The flat structures the event and casualty stages use for speed answer exactly what the plain
/// structures they replace answer, on random inputs.
@Suite struct StageStructureTests {
    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int { Int(word() % UInt64(n)) }
        mutating func word() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func sentenceListsKeepEachSentencesEntriesInTheOrderAdded() {
        var r = Random(state: 11)
        for round in 0..<50 {
            let sentences = r.next(40)
            var pairs: [(sentence: Int, index: Int)] = []
            var naive = [[Int]](repeating: [], count: sentences)
            if sentences > 0 {
                for index in 0..<r.next(120) {
                    let s = r.next(sentences)
                    pairs.append((s, index))
                    naive[s].append(index)
                }
            }
            let lists = SentenceLists(sentences: sentences, pairs: pairs)
            #expect(lists.count == sentences, "round \(round)")
            for s in 0..<sentences {
                #expect(Array(lists[s]) == naive[s], "round \(round), sentence \(s)")
                #expect(lists.isEmpty(s) == naive[s].isEmpty)
            }
        }
    }

    @Test func keySetsHoldExactlyTheirKeys() {
        var r = Random(state: 5)
        for size in [0, 1, 3, 8, 9, 40, 300] {
            let keys = (0..<size).map { _ in r.word() }
            let set = KeySet(keys + keys.prefix(size / 2))  // duplicates are one member
            for k in keys { #expect(set.contains(k)) }
            for _ in 0..<500 {
                let k = r.word()
                #expect(set.contains(k) == keys.contains(k))
            }
        }
        let words = KeySet(["killed", "dead"].map(Fold.key))
        #expect(words.contains(Fold.key("Killed")))
        #expect(!words.contains(Fold.key("wounded")))
    }

    @Test func claimMarksAgreeWithTheVerbFilters() throws {
        let claims = try TestSupport.extractor.get().claims
        var r = Random(state: 29)
        var keys = ["said", "Said", "told", "reported", "according", "denied", "the", "it"].map(Fold.key)
        for _ in 0..<5_000 { keys.append(r.word()) }
        func holds(_ words: [UInt64], _ h: Int) -> Bool { words[h >> 6] & (1 << UInt64(h & 63)) != 0 }
        for key in keys {
            let h = ClaimExtractor.slot(key)
            let m = claims.store.marks[h]
            for capital in [false, true] {
                let seen = m & ClaimExtractor.caseMask(capital ? [.capitalized] : [])
                let forward = holds(claims.forwardFilter.any, h) || capital && holds(claims.forwardFilter.capital, h)
                let passive = holds(claims.passiveFilter.any, h) || capital && holds(claims.passiveFilter.capital, h)
                #expect((seen & (ClaimExtractor.markForward | ClaimExtractor.markForwardCapital) != 0) == forward)
                #expect((seen & (ClaimExtractor.markPassive | ClaimExtractor.markPassiveCapital) != 0) == passive)
            }
        }
    }

    @Test func starterBytesAgreeWithEachTablesFilter() throws {
        let events = try TestSupport.extractor.get().events
        var r = Random(state: 23)
        var keys = ["no", "not", "killed", "attack", "the", "denied", "threatened", "shelling", "zero", "protest"]
            .map(Fold.key)
        for _ in 0..<5_000 { keys.append(r.word()) }
        for key in keys {
            let starts = events.startTables[PhraseTrie.starterBit(key)]
            #expect((starts & EventExtractor.startZero != 0) == events.zero.mayStart(key))
            #expect((starts & EventExtractor.startModality != 0) == events.modality.mayStart(key))
            #expect((starts & EventExtractor.startDenial != 0) == events.denial.mayStart(key))
            #expect((starts & EventExtractor.startTrigger != 0) == events.triggers.mayStart(key))
            let bit = PhraseTrie.starterBit(key)
            #expect((starts != 0) == (events.startFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0))
            // the one-token bit: exactly the union of the one-token-phrase filters
            let single = events.startSingle[bit >> 6] & (1 << UInt64(bit & 63)) != 0
            #expect((starts & EventExtractor.startOneToken != 0) == single)
            if single { #expect(starts & ~EventExtractor.startOneToken != 0) }
        }
    }
}
