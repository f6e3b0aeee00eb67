import ArgumentParser
import Foundation
import SitrepCorpus

struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a deterministic corpus of news-like conflict articles (for benchmarks and scale tests).",
        discussion: """
            The same --seed always gives byte-identical output. Formats:
              jsonl  one article per line (the extract contract's input); stdout or DIR/corpus.jsonl
              txt    one file per article with a date header; DIR/article-NNNNNN.txt
              html   one news page per article (navigation, donation box, captions); DIR/article-NNNNNN.html
              rss    RSS 2.0 feeds of \(CorpusFormat.itemsPerFeed) items; DIR/feed-NNNN.rss (stdout: one feed)
            txt and html need --out unless --articles is 1.
            """
    )

    @Option(help: "Number of articles.")
    var articles: Int = 100

    @Option(help: "Seed (an unsigned 64-bit integer).")
    var seed: UInt64 = 1

    @Option(help: "Output format: jsonl, txt, html or rss.")
    var format: String = "jsonl"

    @Option(help: "Output directory (created if missing); stdout when absent.")
    var out: String?

    @Option(help: "Articles generated concurrently (default: the number of cores); output is identical for any value.")
    var jobs: Int = OrderedParallel.defaultJobs

    func validate() throws {
        guard articles >= 0 else { throw ValidationError("--articles must not be negative") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard let kind = CorpusFormat(rawValue: format) else {
            throw ValidationError("--format must be one of: \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if out == nil, kind == .txt || kind == .html, articles != 1 {
            throw ValidationError("--format \(format) writes one file per article: give --out DIR (or --articles 1)")
        }
    }

    func run() async throws {
        let generator: CorpusGenerator
        do {
            generator = try CorpusGenerator.english(seed: seed)
        } catch {
            Stderr.line("sitrep: cannot load generator data: \(error)")
            throw ExitCode(3)
        }
        let kind = CorpusFormat(rawValue: format) ?? .jsonl
        if let out {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                Stderr.line("sitrep: \(out): cannot create directory: \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        let nav = generator.data.furniture["nav"] ?? []
        var sink = Sink(directory: out, single: kind == .jsonl ? "corpus.jsonl" : nil)
        // one element per output file (or per JSONL line): an RSS feed holds several articles
        let perUnit = kind == .rss && out != nil ? CorpusFormat.itemsPerFeed : (kind == .rss ? max(articles, 1) : 1)
        let unitCount = articles == 0 ? 0 : (articles + perUnit - 1) / perUnit
        var nextUnit = 0
        let articles = self.articles, seed = self.seed
        OrderedParallel.map(
            jobs: jobs, batch: 16,
            next: { () -> Int? in
                guard nextUnit < unitCount else { return nil }
                defer { nextUnit += 1 }
                return nextUnit
            },
            transform: { unit -> (name: String, bytes: [UInt8]) in
                let first = unit * perUnit
                let last = min(articles, first + perUnit)
                switch kind {
                case .jsonl:
                    return ("corpus.jsonl", CorpusWriter.jsonl(generator.article(first)))
                case .txt:
                    let a = generator.article(first)
                    return (Self.fileName(a.index, "txt"), Array(CorpusWriter.plainText(a).utf8))
                case .html:
                    let a = generator.article(first)
                    return (Self.fileName(a.index, "html"), Array(CorpusWriter.html(a, nav: nav).utf8))
                case .rss:
                    let items = (first..<last).map { generator.article($0) }
                    let name = "feed-\(String(repeating: "0", count: max(0, 4 - String(unit).count)))\(unit).rss"
                    return (name, Array(CorpusWriter.rss(items, feedTitle: "Generated feed \(unit) (seed \(seed))").utf8))
                }
            },
            consume: { sink.write(name: $0.name, $0.bytes) })
        if let error = sink.finish() {
            Stderr.line("sitrep: \(error)")
            throw ExitCode(1)
        }
    }

    static func fileName(_ index: Int, _ ext: String) -> String {
        let s = String(index)
        return "article-\(String(repeating: "0", count: max(0, 6 - s.count)))\(s).\(ext)"
    }

    /// Writes to stdout, to one file (JSONL) or to one file per unit.
    struct Sink {
        let directory: String?
        let single: String?
        var stdout = StdoutBuffer()
        var handle: FileHandle?
        var buffer: [UInt8] = []
        var error: String?

        init(directory: String?, single: String?) {
            self.directory = directory
            self.single = single
            if let directory, let single {
                let path = (directory as NSString).appendingPathComponent(single)
                if FileManager.default.createFile(atPath: path, contents: nil) {
                    handle = FileHandle(forWritingAtPath: path)
                }
                if handle == nil { error = "\(path): cannot write" }
            }
        }

        mutating func write(name: String, _ bytes: [UInt8]) {
            guard error == nil else { return }
            guard let directory else {
                stdout.write(bytes)
                return
            }
            if single != nil {
                buffer.append(contentsOf: bytes)
                if buffer.count >= 1 << 20 { flushFile() }
                return
            }
            let path = (directory as NSString).appendingPathComponent(name)
            if !FileManager.default.createFile(atPath: path, contents: Data(bytes)) {
                error = "\(path): cannot write"
            }
        }

        mutating func flushFile() {
            guard let handle, !buffer.isEmpty else { return }
            do {
                try handle.write(contentsOf: buffer)
            } catch {
                self.error = "\(directory ?? "."): write failed: \(error.localizedDescription)"
            }
            buffer.removeAll(keepingCapacity: true)
        }

        mutating func finish() -> String? {
            stdout.flush()
            flushFile()
            try? handle?.close()
            return error
        }
    }
}
