import Testing
import SitrepText
@testable import SitrepAnnotate

/// The number and qualifier grammar: digits, words, vague quantities, qualifiers, ranges, traps.
@Suite struct NumberReaderTests {
    static let reader: Result<NumberReader, any Error> = Result { try NumberReader.english() }
    static let text: Result<TextProcessor, any Error> = Result { try TextProcessor.english() }

    /// The first quantity in `s`.
    func first(_ s: String) throws -> Quantity? {
        let doc = try Self.text.get().document(s)
        return try Self.reader.get().quantities(doc, in: 0..<doc.tokens.count).first
    }

    func interval(_ s: String) throws -> [Int?] {
        guard let q = try first(s) else { return [] }
        return [q.low, q.best, q.high]
    }

    @Test func digitsAndSeparators() throws {
        #expect(try interval("963 troops") == [963, 963, 963])
        #expect(try interval("1,000 people") == [1000, 1000, 1000])
        #expect(try interval("2.5 million people") == [2_500_000, 2_500_000, 2_500_000])
        #expect(try first("963 troops")?.qualifier == "exact")
    }

    @Test func numberWords() throws {
        #expect(try interval("thirty-seven civilians") == [37, 37, 37])
        #expect(try interval("two children") == [2, 2, 2])
        #expect(try interval("one hundred and twenty people") == [120, 120, 120])
        #expect(try interval("a dozen soldiers") == [12, 12, 12])
        #expect(try interval("two dozen soldiers") == [24, 24, 24])
        #expect(try interval("Four thousand residents") == [4000, 4000, 4000])
        #expect(try interval("nineteen") == [19, 19, 19])
    }

    @Test func articleIsOne() throws {
        let q = try first("a teenager was killed")
        #expect(q?.kind == .article)
        #expect(q?.best == 1)
        #expect(try first("a soldier")?.best == 1)
    }

    @Test func vagueQuantitiesFollowTheDocumentedConvention() throws {
        #expect(try interval("dozens of people") == [12, 12, 99])
        #expect(try interval("hundreds of people") == [100, 100, 999])
        #expect(try interval("tens of soldiers") == [10, 10, 99])
        #expect(try interval("thousands fled") == [1000, 1000, 9_999])
        #expect(try interval("tens of thousands fled") == [10_000, 10_000, 99_999])
        #expect(try first("dozens of people")?.qualifier == "vague")
        #expect(try first("several civilians")?.best == 10)
        #expect(try first("several civilians")?.low == 3)
        #expect(try first("a few soldiers")?.best == 3)
    }

    /// Regression: "thousands" had an upper bound of 999,999, out of line with its neighbours.
    /// A vague order of magnitude reaches up to just below the next one.
    @Test func vagueUpperBoundsStopBelowTheNextMagnitude() throws {
        for (phrase, low) in [("tens of", 10), ("hundreds of", 100), ("thousands of", 1000), ("tens of thousands of", 10_000)] {
            let q = try interval("\(phrase) people")
            #expect(q == [low, low, low * 10 - 1], "\(phrase)")
        }
    }

    @Test func qualifiersMakeIntervals() throws {
        #expect(try interval("at least 1,000 people") == [1000, 1000, nil])
        #expect(try first("at least 1,000 people")?.qualifier == "at-least")
        #expect(try interval("more than 60 civilians") == [61, 61, nil])
        #expect(try first("more than 60 civilians")?.qualifier == "more-than")
        #expect(try interval("over 200 people") == [201, 201, nil])
        #expect(try interval("about 300 were wounded") == [270, 300, 330])
        #expect(try interval("around 50 people") == [45, 50, 55])
        #expect(try interval("some 20 people") == [18, 20, 22])
        #expect(try interval("nearly 5,000") == [4500, 5000, 5000])
        #expect(try first("nearing 5,000")?.qualifier == "nearly")
        #expect(try first("almost 40 people")?.qualifier == "nearly")
        #expect(try interval("up to 30 people") == [1, 30, 30])
        #expect(try first("up to 30 people")?.qualifier == "up-to")
        #expect(try first("possibly 12 people")?.qualifier == "vague")
        #expect(try interval("40 or more people") == [40, 40, nil])
    }

    @Test func rangesAndAlternatives() throws {
        #expect(try interval("10-15 people") == [10, 10, 15])
        #expect(try interval("two or three soldiers") == [2, 2, 3])
        #expect(try interval("between 20 and 30 people") == [20, 20, 30])
        let q = try first("hundreds, perhaps even thousands, of people")
        #expect(q?.low == 100)
        #expect(q?.best == 100)
        #expect(q?.high == 9_999)
        #expect(q?.qualifier == "vague")
        let open = try first("at least 2,500 residents and perhaps many more")
        #expect(open?.high == nil)
    }

    @Test func qualifierWithoutNumberIsNothing() throws {
        #expect(try first("over the weekend") == nil)
        #expect(try first("some reporters left") == nil)
    }

    @Test func trapsAreMarked() throws {
        #expect(try first("a 13-year-old boy")?.kind == .article)
        let doc = try Self.text.get().document("a 13-year-old boy")
        let all = try Self.reader.get().quantities(doc, in: 0..<doc.tokens.count)
        #expect(all.contains { $0.best == 13 && $0.trap == "age" })
        #expect(try first("in 1994")?.trap == "year")
        #expect(try first("on 27 September")?.trap == "date")
        #expect(try first("September 27")?.trap == "date")
        let bm = try Self.text.get().document("BM-30 Smerch")
        #expect(try Self.reader.get().quantities(bm, in: 0..<bm.tokens.count).first?.trap == "model")
        #expect(try first("12 km away")?.trap == "measure")
        #expect(try first("40 percent")?.trap == "percent")
    }
}
