import Foundation
import SitrepCorpus
import SitrepIngest
import Testing

@Suite struct GeneratorTests {
    static func jsonl(seed: UInt64, count: Int) throws -> [UInt8] {
        let generator = try CorpusGenerator.english(seed: seed)
        var out: [UInt8] = []
        for i in 0..<count { out.append(contentsOf: CorpusWriter.jsonl(generator.article(i))) }
        return out
    }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let a = try Self.jsonl(seed: 42, count: 40)
        let b = try Self.jsonl(seed: 42, count: 40)
        #expect(a == b)
        #expect(a.count > 40 * 2_000)
    }

    @Test func differentSeedGivesDifferentArticles() throws {
        let a = try Self.jsonl(seed: 42, count: 10)
        let b = try Self.jsonl(seed: 43, count: 10)
        #expect(a != b)
        let g1 = try CorpusGenerator.english(seed: 1), g2 = try CorpusGenerator.english(seed: 2)
        // no article of one seed reappears in the other
        let texts1 = Set((0..<20).map { g1.article($0).text })
        #expect((0..<20).allSatisfy { !texts1.contains(g2.article($0).text) })
    }

    @Test func articleDependsOnlyOnSeedAndIndex() throws {
        let g = try CorpusGenerator.english(seed: 9)
        let forward = (0..<12).map { g.article($0) }
        let backward = (0..<12).reversed().map { g.article($0) }.reversed()
        #expect(forward == Array(backward))
    }

    @Test func splitMixKnownValues() {
        // reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c)
        var r = SplitMix64(seed: 0)
        #expect(r.next() == 0xE220_A839_7B1D_CDAF)
        #expect(r.next() == 0x6E78_9E6A_A1B9_65F4)
        var b = SplitMix64(seed: 5)
        for _ in 0..<1_000 {
            let v = b.below(7)
            #expect((0..<7).contains(v))
        }
    }

    @Test func articlesLookLikeNews() throws {
        let g = try CorpusGenerator.english(seed: 20_260_101)
        var lengths: [Int] = []
        var withCaption = 0, withAppeal = 0, withQuote = 0, withDigits = 0
        for i in 0..<300 {
            let a = g.article(i)
            let text = a.text
            lengths.append(text.utf8.count)
            #expect(!text.contains("{"), "unfilled slot in \(a.id)")
            #expect(a.published.count == 10)
            #expect(a.url.hasPrefix("https://"))
            if a.paragraphs.contains(where: { $0.kind == .caption }) { withCaption += 1 }
            if a.paragraphs.contains(where: { $0.kind == .appeal }) { withAppeal += 1 }
            if text.contains("\"") || text.contains("\u{201C}") { withQuote += 1 }
            if text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { withDigits += 1 }
        }
        #expect(lengths.allSatisfy { (2_000...6_000).contains($0) }, "lengths \(lengths.min() ?? 0)...\(lengths.max() ?? 0)")
        let mean = lengths.reduce(0, +) / lengths.count
        #expect((3_000...4_500).contains(mean))
        #expect(withCaption > 100 && withAppeal > 60 && withQuote > 150 && withDigits > 250)
    }

    @Test func publicationDatesAreValidDays() throws {
        let g = try CorpusGenerator.english(seed: 3)
        for i in 0..<200 {
            let a = g.article(i)
            let parts = a.published.split(separator: "-").compactMap { Int($0) }
            #expect(parts.count == 3)
            #expect((2015...2025).contains(parts[0]) && (1...12).contains(parts[1]) && (1...31).contains(parts[2]))
        }
    }
}

/// Generated files read back through `InputReader` into the expected articles.
@Suite struct GeneratedFormatsReadBack {
    static func readAll(_ paths: [String]) -> (articles: [Article], failures: [String]) {
        var articles: [Article] = []
        var failures: [String] = []
        InputReader().read(paths) { item in
            switch item {
            case .article(let a, _): articles.append(a)
            case .failure(let e): failures.append("\(e)")
            case .warning: break
            }
        }
        return (articles, failures)
    }

    /// The HTML and feed readers are being built in another branch; until they land, those
    /// round-trips are skipped rather than failed.
    static let htmlReaderAvailable: Bool = {
        if case .success = HTMLReader.article(html: "<html><body><p>Probe text for the reader.</p></body></html>", id: "probe") { return true }
        return false
    }()
    static let feedReaderAvailable: Bool = {
        !FeedReader.articles(xml: "<rss version=\"2.0\"><channel><item><title>T</title><description>Probe text.</description></item></channel></rss>", path: "probe").articles.isEmpty
    }()

    @Test func jsonlRoundTrip() throws {
        let dir = try temporaryDirectory("jsonl")
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = try CorpusGenerator.english(seed: 11)
        let generated = (0..<25).map { g.article($0) }
        var bytes: [UInt8] = []
        for a in generated { bytes.append(contentsOf: CorpusWriter.jsonl(a)) }
        let path = dir.appendingPathComponent("corpus.jsonl").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let (articles, failures) = Self.readAll([path])
        #expect(failures.isEmpty)
        #expect(articles.count == 25)
        for (a, g) in zip(articles, generated) {
            #expect(a.id == g.id && a.text == g.text && a.published == g.published && a.title == g.title)
        }
    }

    @Test func plainTextRoundTrip() throws {
        let dir = try temporaryDirectory("txt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = try CorpusGenerator.english(seed: 12)
        let generated = (0..<12).map { g.article($0) }
        for a in generated {
            let path = dir.appendingPathComponent(String(format: "article-%06d.txt", a.index)).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(CorpusWriter.plainText(a).utf8)))
        }
        let (articles, failures) = Self.readAll([dir.path])
        #expect(failures.isEmpty)
        #expect(articles.count == 12)
        for (a, g) in zip(articles, generated) {
            #expect(a.text == g.text, "body of \(g.id)")
            #expect(a.published == g.published, "date header of \(g.id)")
        }
    }

    @Test(.enabled(if: htmlReaderAvailable, "the HTML reader is not built in this branch yet"))
    func htmlRoundTrip() throws {
        let dir = try temporaryDirectory("html")
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = try CorpusGenerator.english(seed: 13)
        for i in 0..<8 {
            let a = g.article(i)
            let path = dir.appendingPathComponent(String(format: "article-%06d.html", i)).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(CorpusWriter.html(a, nav: ["Home", "World"]).utf8)))
        }
        let (articles, failures) = Self.readAll([dir.path])
        #expect(failures.isEmpty)
        #expect(articles.count == 8)
        #expect(articles.allSatisfy { $0.published?.hasPrefix("20") == true && $0.text.utf8.count > 1_500 })
    }

    @Test(.enabled(if: feedReaderAvailable, "the feed reader is not built in this branch yet"))
    func rssRoundTrip() throws {
        let dir = try temporaryDirectory("rss")
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = try CorpusGenerator.english(seed: 14)
        let items = (0..<23).map { g.article($0) }
        let feeds = [Array(items[0..<20]), Array(items[20...])]
        for (k, feed) in feeds.enumerated() {
            let path = dir.appendingPathComponent("feed-\(k).rss").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(CorpusWriter.rss(feed, feedTitle: "t").utf8)))
        }
        let (articles, failures) = Self.readAll([dir.path])
        #expect(failures.isEmpty)
        #expect(articles.count == 23)
    }
}
