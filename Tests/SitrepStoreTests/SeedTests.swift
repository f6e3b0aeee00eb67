import Foundation
import SitrepExtract
import SitrepIngest
import SitrepStore
import Testing

/// The two real acceptance articles (read from `../shared/seeds` next to the worktree, never
/// copied into the repository): ingesting them twice changes nothing.
@Suite struct SeedTests {
    static var seedDirectory: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared/seeds").path
        return InputReader.walk(dir).isEmpty ? nil : dir
    }

    @Test(.enabled(if: seedDirectory != nil, "../shared/seeds is not there"))
    func seedsTwiceEqualOnce() throws {
        let dir = try #require(Self.seedDirectory)
        let extractor = try Extractor.english()
        var prepared: [PreparedArticle] = []
        InputReader().read([dir]) { item in
            if case .article(let a, let origin) = item { prepared.append(PreparedArticle(extractor.analyze(a), origin: origin)) }
        }
        #expect(prepared.count >= 2)
        let store = try SQLiteStore(path: Fixture.tempDB("seeds"))
        let first = try store.ingest(prepared)
        #expect(first.added == prepared.count)
        let once = try store.canonicalDump()
        let second = try store.ingest(prepared)
        #expect(second.unchanged == prepared.count)
        #expect(try store.canonicalDump() == once)
    }
}
