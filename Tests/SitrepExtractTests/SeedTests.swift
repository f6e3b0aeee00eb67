import Foundation
import Testing
@testable import SitrepExtract

/// Acceptance on the two real seed articles in `../shared/seeds` (read at test time, never
/// copied into the repository). Skipped when `../shared` is not beside the project.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestSupport.seeds)))
struct SeedTests {
    func records() throws -> [[String: Any]] {
        try TestSupport.extract([TestSupport.seeds]).map(TestSupport.record)
    }

    func boilerplate(_ r: [String: Any]) -> [(String, String)] {
        let text = r["text"] as? String ?? ""
        return (r["boilerplate"] as? [[String: Any]] ?? []).map {
            ($0["reason"] as? String ?? "", TestSupport.slice(text, $0["start"] as? Int ?? 0, $0["end"] as? Int ?? 0))
        }
    }

    @Test func twoRecordsWithHeadersRead() throws {
        let rs = try records()
        #expect(rs.count == 2)
        #expect(rs[0]["published"] as? String == "2020-10-24")
        #expect((rs[0]["text"] as? String)?.hasPrefix("A ROCKET AND artillery barrage") == true)
        #expect(rs[1]["published"] is NSNull)
        #expect(rs[1]["title"] as? String == "Heavy shelling hits Nagorno-Karabakh's largest city: sources")
        #expect(rs[1]["source"] as? String == "CGTN")
        #expect((rs[1]["text"] as? String)?.hasPrefix("RSF calls on") == true)
    }

    @Test func donationAppealAndRepeatsMarked() throws {
        let rs = try records()
        let first = boilerplate(rs[0])
        #expect(first.count == 1)
        #expect(first.first?.0 == "donation-appeal")
        #expect(first.first?.1.contains("Your contributions will help us") == true)
        let second = boilerplate(rs[1]).map(\.0)
        #expect(second == ["social-handle", "duplicate", "photo-credit", "duplicate", "agency-footer"])
    }
}
