import SitrepText
import Testing
@testable import SitrepAnnotate

/// `PhraseIndex.forEachMatch` reads each node's entries from threaded lists: every phrase at a
/// token, shortest first, each entry whose letter case fits, in insertion order; it agrees with
/// `longest`, and stops when asked to.
@Suite struct PhraseIndexTests {
    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var copy = text
        copy.withUTF8 { Tokenizer.tokenize($0, into: &tokens) }
        return tokens
    }

    static func table() -> PhraseTable<Int> {
        var table = PhraseTable<Int>()
        for (k, phrase) in ["Red Cross", "red cross", "Red Cross Society", "red", "IS", "is", "Red Cross"].enumerated() {
            table.insert(phrase, value: k)
        }
        return table
    }

    @Test func everyFittingEntryShortestFirstInInsertionOrder() {
        let table = Self.table()
        let tokens = Self.tokens("the Red Cross Society of red cross is IS")
        let n = tokens.count
        func all(_ i: Int) -> [String] { table.all(tokens, at: i, limit: n).map { "\($0.end):\($0.values)" } }
        #expect(all(0) == [])
        #expect(all(1) == ["2:[3]", "3:[0, 1, 6]", "4:[2]"])
        #expect(all(5) == ["6:[3]", "7:[1]"])
        #expect(all(7) == ["8:[5]"])
        #expect(all(8) == ["9:[4, 5]"])
        // a shorter limit cuts the longer phrases
        #expect(table.all(tokens, at: 1, limit: 3).map(\.end) == [2, 3])
    }

    @Test func theLastMatchIsTheLongest() {
        let table = Self.table()
        let tokens = Self.tokens("Red Cross said the red cross and IS and is and Red Cross Society")
        var compared = 0
        for i in tokens.indices {
            let all = table.all(tokens, at: i, limit: tokens.count)
            let longest = table.longest(tokens, at: i, limit: tokens.count)
            #expect(all.last?.end == longest?.end, "\(i)")
            #expect(all.last?.values == longest.map { Array($0.values) }, "\(i)")
            if longest != nil { compared += 1 }
        }
        #expect(compared == 5)
    }

    @Test func stopsWhenTheBodySaysSo() {
        let table = Self.table()
        let tokens = Self.tokens("the Red Cross Society")
        var seen: [Int] = []
        table.index.forEachMatch(tokens, at: 1, limit: tokens.count) { end, id in
            seen.append(end * 100 + table.values[Int(id)])
            return seen.count < 2
        }
        #expect(seen == [203, 300])
    }
}
