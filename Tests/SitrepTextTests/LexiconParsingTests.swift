import Foundation
import Testing
@testable import SitrepLanguage

/// Lexicon cells are split on bytes and trimmed like `trimmingCharacters(in: .whitespaces)`.
@Suite struct LexiconParsingTests {
    @Test func cellsTrimAsFoundationTrims() {
        for cell in ["a", " a", "a ", "\ta\t", "\u{A0}x\u{A0}", "é", "x é", "é x", "", " ", "#x", "a b", "\u{3000}y",
                     "z\u{2009}", "\u{0B}v"]
        {
            #expect(Lexicon.trimmed(Substring(cell)) == cell.trimmingCharacters(in: .whitespaces), "\(cell.debugDescription)")
        }
    }

    @Test func rowsSplitOnTabsAndLines() throws {
        let text = "# a comment\nname\tkind\r\n\n Kyiv \t city \nMa’rib\tcity\n# another\nHama\t\n"
        let lexicon = try Lexicon(name: "t.tsv", text: text)
        #expect(lexicon.columns == ["name", "kind"])
        #expect(lexicon.rows.map { $0["name"] } == ["Kyiv", "Ma’rib", "Hama"])
        #expect(lexicon.rows.map { $0["kind"] } == ["city", "city", ""])
        #expect(lexicon.rows.map(\.line) == [4, 5, 7])
        #expect(lexicon.rows.first?.provenance == "t.tsv#4")
    }
}
