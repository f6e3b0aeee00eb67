import ArgumentParser
import Foundation
import SitrepExtract
import SitrepIngest

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read articles and write one JSON analysis per article per line (the extract contract).",
        discussion: """
            Inputs: .jsonl files (or '-' / no argument: JSONL on stdin), .txt articles, .html pages,
            .xml/.rss/.atom feeds, and directories (walked recursively, sorted). One error line per
            failing input on stderr; exit 0 when every input gave an article, 1 when some failed.
            """
    )

    @Argument(help: "Files or directories; '-' or nothing reads JSONL from stdin.")
    var inputs: [String] = []

    @Flag(help: "Print throughput (articles, MB/s) to stderr at the end.")
    var timing = false

    func run() async throws {
        let extractor: Extractor
        do {
            extractor = try Extractor.english()
        } catch {
            Stderr.line("sitrep: cannot load language data: \(error)")
            throw ExitCode(3)
        }
        var out = StdoutBuffer()
        var failures = 0
        var articles = 0
        var bytes = 0
        let clock = ContinuousClock()
        let started = clock.now
        InputReader().read(inputs) { item in
            switch item {
            case .article(let article, _):
                let analysis = extractor.analyze(article)
                out.write(AnalysisJSON.line(analysis))
                articles += 1
                bytes += article.text.utf8.count
            case .failure(let error):
                out.flush()
                failures += 1
                Stderr.line("sitrep: \(error)")
            case .warning(let warning):
                Stderr.line("sitrep: warning: \(warning)")
            }
        }
        out.flush()
        if timing {
            let seconds = (clock.now - started).seconds
            let mb = Double(bytes) / 1_000_000
            Stderr.line(String(format: "sitrep: %d articles, %.2f MB in %.3f s: %.1f MB/s, %.0f articles/s",
                               articles, mb, seconds, mb / max(seconds, 1e-9), Double(articles) / max(seconds, 1e-9)))
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
