import Testing
import SitrepLanguage
import SitrepText
@testable import SitrepAnnotate

/// The compact provenance of quantities: rule ids stored inline, joined into text only on demand.
@Suite struct NumberRuleTests {
    static let reader: Result<NumberReader, any Error> = Result { try NumberReader.english() }
    static let text: Result<TextProcessor, any Error> = Result { try TextProcessor.english() }

    func first(_ s: String) throws -> (Quantity, NumberReader)? {
        let reader = try Self.reader.get()
        let doc = try Self.text.get().document(s)
        guard let q = reader.quantities(doc, in: 0..<doc.tokens.count).first else { return nil }
        return (q, reader)
    }

    @Test func rulesSpillPastEightIDsInOrder() {
        var r = QuantityRules()
        for id in UInt16(1)...12 { r.append(id) }
        #expect(r.count == 12)
        #expect((0..<r.count).map { r[$0] } == Array(UInt16(1)...12))
        var joined = QuantityRules()
        joined.append(UInt16(40))
        joined.append(r)
        #expect(joined.count == 13)
        #expect(joined[0] == 40 && joined[1] == 1 && joined[12] == 12)
    }

    @Test func equalRulesAreEqualValues() {
        var a = QuantityRules(), b = QuantityRules()
        for id in [UInt16(3), 7, 0xFFFF] { a.append(id); b.append(id) }
        #expect(a == b)
        b.append(1)
        #expect(a != b)
    }

    @Test func digitsWithQualifierJoinRowsInReadingOrder() throws {
        let (q, reader) = try #require(try first("Officials said at least 1,200 residents had fled the district."))
        let rule = reader.rule(of: q)
        let parts = rule.split(separator: "+").map(String.init)
        #expect(parts.count == 2)
        #expect(parts.first?.hasPrefix("en/numbers/qualifiers.tsv#") == true)
        #expect(parts.last == "number:digits")
        #expect(reader.ruleUTF8Count(of: q) == rule.utf8.count)
        #expect(q.qualifierKind == .atLeast)
        #expect(q.qualifier == "at-least")
    }

    @Test func longWordNumberKeepsEveryRow() throws {
        let (q, reader) = try #require(
            try first("The ministry counted one hundred and twenty-three thousand four hundred displaced families."))
        #expect(q.best == 123_400)
        let rule = reader.rule(of: q)
        #expect(q.rules.count >= 5)
        #expect(rule.split(separator: "+").count == q.rules.count)
        #expect(rule.split(separator: "+").allSatisfy { $0.hasPrefix("en/numbers/words.tsv#") })
        #expect(reader.ruleUTF8Count(of: q) == rule.utf8.count)
    }

    @Test func digitsWithScaleWord() throws {
        let (q, reader) = try #require(try first("Aid agencies said 2.5 million people need food."))
        #expect(q.best == 2_500_000)
        let parts = reader.rule(of: q).split(separator: "+")
        #expect(parts.first == "number:digits")
        #expect(parts.count == 2)
    }

    @Test func everyQualifierNameIsTheContractValue() {
        #expect(Quantity.Qualifier.allCases.map(\.rawValue)
            == ["exact", "at-least", "more-than", "about", "up-to", "nearly", "vague"])
    }

    @Test func unknownQualifierInTheLexiconIsRejected() throws {
        let words = try Lexicon(name: "w.tsv", text: "word\tvalue\tkind\nthree\t3\tunit\n")
        let traps = try Lexicon(name: "t.tsv", text: "word\tposition\ttrap\nyears\tafter\tduration\n")
        let bad = try Lexicon(name: "q.tsv", text: "phrase\tposition\tqualifier\nroughly\tbefore\troughly\n")
        #expect(throws: LanguageDataError.self) { try NumberReader(words: words, qualifiers: bad, traps: traps) }
        let good = try Lexicon(name: "q.tsv", text: "phrase\tposition\tqualifier\nroughly\tbefore\tabout\n")
        let reader = try NumberReader(words: words, qualifiers: good, traps: traps)
        let doc = try Self.text.get().document("roughly three villages")
        let q = try #require(reader.quantities(doc, in: 0..<doc.tokens.count).first)
        #expect(q.qualifierKind == .about)
        #expect(reader.rule(of: q) == "q.tsv#2+w.tsv#2")
    }

    @Test func trapPositionsAreValuesAndUnknownOnesAreRejected() throws {
        let words = try Lexicon(name: "w.tsv", text: "word\tvalue\tkind\nthree\t3\tunit\n")
        let qualifiers = try Lexicon(name: "q.tsv", text: "phrase\tposition\tqualifier\nroughly\tbefore\tabout\n")
        let bad = try Lexicon(name: "t.tsv", text: "word\tposition\ttrap\nyears\tbehind\tduration\n")
        #expect(throws: LanguageDataError.self) { try NumberReader(words: words, qualifiers: qualifiers, traps: bad) }
        // each position read as written: before, after, joined-after (no space), joined-before
        let traps = try Lexicon(
            name: "t.tsv",
            text: "word\tposition\ttrap\nyears\tafter\tduration\naged\tbefore\tage\nkm\tjoined-after\tmeasure\n"
                + "-\tjoined-before\tmodel\n")
        let reader = try NumberReader(words: words, qualifiers: qualifiers, traps: traps)
        let expected: [(String, Quantity.Trap?)] = [
            ("for three years now", .duration), ("a man aged three", .age), ("a 3-km walk", .measure),
            ("walked 3 km home", nil), ("the heavy BM-3 launcher", .model), ("the heavy BM - 3 launcher", nil),
        ]
        for (text, trap) in expected {
            let doc = try Self.text.get().document(text)
            let q = try #require(reader.quantities(doc, in: 0..<doc.tokens.count).first, "\(text)")
            #expect(q.trapKind == trap, "\(text)")
        }
    }

    @Test func trapsAreValuesWithTheirContractNames() throws {
        let (year, _) = try #require(try first("In 2019 the militia returned."))
        #expect(year.trapKind == .year && year.trap == "year")
        let (age, _) = try #require(try first("The 13-year-old boy was wounded."))
        #expect(age.trapKind == .age && age.trap == "age")
        let (count, _) = try #require(try first("Twelve soldiers were wounded."))
        #expect(count.trapKind == nil && count.trap == nil)
    }

    @Test func unknownTrapInTheLexiconIsRejected() throws {
        let words = try Lexicon(name: "w.tsv", text: "word\tvalue\tkind\nthree\t3\tunit\n")
        let qualifiers = try Lexicon(name: "q.tsv", text: "phrase\tposition\tqualifier\nroughly\tbefore\tabout\n")
        let bad = try Lexicon(name: "t.tsv", text: "word\tposition\ttrap\nkg\tafter\tweight\n")
        #expect(throws: LanguageDataError.self) { try NumberReader(words: words, qualifiers: qualifiers, traps: bad) }
    }

    @Test func joiningListsEqualsAppendingEachID() {
        // every split of up to twelve ids: the two-word join of short lists, the one-by-one path
        // past eight
        for n in 0...12 {
            for cut in 0...n {
                var a = QuantityRules(), b = QuantityRules(), one = QuantityRules()
                for k in 0..<n {
                    let id = UInt16(0xF000 + k)
                    if k < cut { a.append(id) } else { b.append(id) }
                    one.append(id)
                }
                a.append(b)
                #expect(a == one)
                #expect((0..<a.count).map { a[$0] } == (0..<n).map { UInt16(0xF000 + $0) })
            }
        }
    }

    @Test func spilledRulesStayInOrder() {
        var r = QuantityRules()
        for id in UInt16(0)..<20 { r.append(id) }
        #expect((0..<r.count).map { r[$0] } == Array(UInt16(0)..<20))
    }
}
