import ArgumentParser
import Foundation
import SitrepAnnotate
import SitrepExtract
import SitrepIngest
import SitrepText

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `write(2)`.
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, p, n)
    #else
    Darwin.write(fd, p, n)
    #endif
}

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read articles and write one JSON analysis per article per line (the extract contract).",
        discussion: """
            Inputs: .jsonl files (or '-' / no argument: JSONL on stdin), .txt articles, .html pages,
            .xml/.rss/.atom feeds, and directories (walked recursively, sorted). One error line per
            failing input on stderr; exit 0 when every input gave an article, 1 when some failed.
            With --jobs N, N articles are analysed at once; output stays in input order and input
            is streamed (a bounded window of articles is in memory at any time).
            """
    )

    @Argument(help: "Files or directories; '-' or nothing reads JSONL from stdin.")
    var inputs: [String] = []

    @Flag(help: "Print throughput (articles, MB/s) to stderr at the end.")
    var timing = false

    @Option(help: "Articles analysed concurrently (default: the number of cores).")
    var jobs: Int = OrderedParallel.defaultJobs

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    /// What one batch of input units produced, in order: its analysis lines, one after the other
    /// in one array (gathered on the job's thread: see `process`), and the stderr messages, each
    /// with the length of `output` it comes after.
    struct BatchResult: Sendable {
        enum Message: Sendable {
            case failure(String)
            case warning(String)
        }
        struct Note: Sendable {
            var at: Int
            var message: Message
        }
        var output: [UInt8] = []
        var notes: [Note] = []
        var articles = 0
        var bytes = 0
    }

    func run() async throws {
        let jobs: [Job]
        do {
            jobs = try Extractor.english(jobs: self.jobs).map { Job(reader: InputReader(), extractor: $0) }
        } catch {
            Stderr.line("sitrep: cannot load language data: \(error)")
            throw ExitCode(3)
        }
        var failures = 0
        var articles = 0
        var bytes = 0
        let clock = ContinuousClock()
        let started = clock.now
        let startedCPU = processCPUSeconds()
        let units = InputReader().units(inputs)
        OrderedParallel.mapBatches(
            states: jobs,
            next: { units.next() },
            transform: { job, batch in Self.process(batch, job: job) },
            consume: { result in
                var from = 0
                for note in result.notes {
                    StandardOutput.writeAll(result.output[from..<note.at])
                    from = note.at
                    switch note.message {
                    case .failure(let message):
                        failures += 1
                        Stderr.line("sitrep: \(message)")
                    case .warning(let message):
                        Stderr.line("sitrep: warning: \(message)")
                    }
                }
                StandardOutput.writeAll(result.output[from...])
                articles += result.articles
                bytes += result.bytes
            })
        if timing {
            let seconds = (clock.now - started).seconds
            let mb = Double(bytes) / 1_000_000
            // CPU of the whole process over the same time (the language data's load left out)
            Stderr.line(String(format: "sitrep: %d articles, %.2f MB in %.3f s: %.1f MB/s, %.0f articles/s (%d jobs, %.3f s CPU)",
                               articles, mb, seconds, mb / max(seconds, 1e-9), Double(articles) / max(seconds, 1e-9),
                               self.jobs, processCPUSeconds() - startedCPU))
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// What one job owns for the whole run, held by reference (one pointer per batch instead of
    /// a copy of the extractor's structs): its extractor, loaded for it alone, and a reader.
    final class Job: Sendable {
        let reader: InputReader
        let extractor: Extractor

        init(reader: InputReader, extractor: Extractor) {
            self.reader = reader
            self.extractor = extractor
        }
    }

    /// Parses and analyses a batch of units; runs on the job's thread. The lines are gathered
    /// into one array of the exact size here, on the thread that wrote them, so that they reach
    /// standard output with one `write(2)` per batch and no further copy (copied by the job that
    /// consumes the batch, every line could be read on another core than the one that wrote it).
    static func process(_ units: [InputUnit], job: Job) -> BatchResult {
        var result = BatchResult()
        var lines: [[UInt8]] = []
        var notes: [(line: Int, message: BatchResult.Message)] = []
        for unit in units {
            for item in job.reader.items(for: unit) {
                switch item {
                case .article(let article, _):
                    lines.append(AnalysisJSON.line(job.extractor.analyze(article)))
                    result.articles += 1
                    result.bytes += article.text.utf8.count
                case .failure(let error):
                    notes.append((lines.count, .failure("\(error)")))
                case .warning(let warning):
                    notes.append((lines.count, .warning("\(warning)")))
                }
            }
        }
        result.output.reserveCapacity(lines.reduce(0) { $0 + $1.count })
        var next = 0
        for (k, line) in lines.enumerated() {
            while next < notes.count && notes[next].line == k {
                result.notes.append(.init(at: result.output.count, message: notes[next].message))
                next += 1
            }
            result.output.append(contentsOf: line)
        }
        for note in notes[next...] {
            result.notes.append(.init(at: result.output.count, message: note.message))
        }
        return result
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}

/// Standard output for the extract lines, written with `write(2)` straight from the batch's
/// array (no buffer in between: a batch's lines are already gathered).
enum StandardOutput {
    /// Writes every byte (retrying after an interrupt or a short write); stops on an error such
    /// as a closed pipe.
    static func writeAll<Bytes: ContiguousBytes>(_ bytes: Bytes) {
        bytes.withUnsafeBytes { raw in
            guard var p = raw.baseAddress else { return }
            var left = raw.count
            while left > 0 {
                let n = systemWrite(1, p, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                p += n
                left -= n
            }
        }
    }
}

extension Extractor {
    /// One extractor per job, each loaded for that job alone (nothing it changes per article is
    /// shared with another job: see `OrderedParallel`), the loads running at once on `jobs`
    /// threads; the place tagger and gazetteer, loaded once per process and only read, load on
    /// one more thread meanwhile and are shared.
    static func english(jobs: Int) throws -> [Extractor] {
        guard jobs > 1 else { return [try english()] }
        let places = BackgroundLoad { try PlaceTagger.english() }
        let others = (1..<jobs).map { _ in BackgroundLoad { try english(places: { try places.get() }) } }
        let first = try english(places: { try places.get() })
        return try [first] + others.map { try $0.get() }
    }
}

/// A value computed on a thread of its own; `get()` waits for it.
final class BackgroundLoad<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // written once by the thread before `done` is signalled, read after the wait
    private var result: Result<Value, any Error>?

    init(_ body: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try body() }
            done.signal()
        }
        thread.start()
    }

    func get() throws -> Value {
        done.wait()
        done.signal()
        guard let result else { throw CancellationError() }
        return try result.get()
    }
}
