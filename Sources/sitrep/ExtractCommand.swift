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

    /// What one input unit produced, in order: output lines and stderr messages.
    struct UnitResult: Sendable {
        enum Piece: Sendable {
            case analysis([UInt8])
            case failure(String)
            case warning(String)
        }
        var pieces: [Piece] = []
        var articles = 0
        var bytes = 0
    }

    func run() async throws {
        let extractor: Extractor
        do {
            extractor = try jobs > 1 ? Extractor.englishOnTwoThreads() : Extractor.english()
        } catch {
            Stderr.line("sitrep: cannot load language data: \(error)")
            throw ExitCode(3)
        }
        var out = LineOutput()
        var failures = 0
        var articles = 0
        var bytes = 0
        let clock = ContinuousClock()
        let started = clock.now
        let reader = InputReader()
        let units = reader.units(inputs)
        let shared = Shared(reader: reader, extractor: extractor)
        await OrderedParallel.map(
            jobs: jobs,
            next: { units.next() },
            transform: { unit in Self.process(unit, reader: shared.reader, extractor: shared.extractor) },
            consume: { result in
                for piece in result.pieces {
                    switch piece {
                    case .analysis(let line):
                        out.write(line)
                    case .failure(let message):
                        out.flush()
                        failures += 1
                        Stderr.line("sitrep: \(message)")
                    case .warning(let message):
                        Stderr.line("sitrep: warning: \(message)")
                    }
                }
                articles += result.articles
                bytes += result.bytes
            })
        out.flush()
        if timing {
            let seconds = (clock.now - started).seconds
            let mb = Double(bytes) / 1_000_000
            Stderr.line(String(format: "sitrep: %d articles, %.2f MB in %.3f s: %.1f MB/s, %.0f articles/s (%d jobs)",
                               articles, mb, seconds, mb / max(seconds, 1e-9), Double(articles) / max(seconds, 1e-9),
                               jobs))
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// What the workers share, held by reference (one pointer per task instead of a copy of the
    /// extractor's structs in every child task's context).
    final class Shared: Sendable {
        let reader: InputReader
        let extractor: Extractor

        init(reader: InputReader, extractor: Extractor) {
            self.reader = reader
            self.extractor = extractor
        }
    }

    /// Parses and analyses one unit; runs on a worker.
    static func process(_ unit: InputUnit, reader: InputReader, extractor: Extractor) -> UnitResult {
        var result = UnitResult()
        for item in reader.items(for: unit) {
            switch item {
            case .article(let article, _):
                let analysis = extractor.analyze(article)
                result.pieces.append(.analysis(AnalysisJSON.line(analysis)))
                result.articles += 1
                result.bytes += article.text.utf8.count
            case .failure(let error):
                result.pieces.append(.failure("\(error)"))
            case .warning(let warning):
                result.pieces.append(.warning("\(warning)"))
            }
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

/// Standard output for the extract lines: lines gathered in one buffer and written with
/// `write(2)` straight from it (no `Data` copy per flush); a line longer than the buffer goes
/// out directly.
struct LineOutput {
    var buffer: [UInt8] = []
    let limit = 1 << 20

    init() {
        buffer.reserveCapacity(limit)
    }

    mutating func write(_ line: [UInt8]) {
        if buffer.count + line.count > limit {
            flush()
            if line.count >= limit {
                Self.writeAll(line)
                return
            }
        }
        buffer.append(contentsOf: line)
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        Self.writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes every byte (retrying after an interrupt or a short write); stops on an error such
    /// as a closed pipe.
    static func writeAll(_ bytes: [UInt8]) {
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
    /// `Extractor.english()` with its start-up split over two threads: the gazetteer and the place
    /// lexicons load on a second thread while this one loads the rest of the language data. The
    /// same parts, built the same way (the load is serial otherwise, and with several jobs it
    /// weighs on the speed-up: ≈ 0.16 s of a 0.6 s run on 2,000 articles).
    static func englishOnTwoThreads() throws -> Extractor {
        let placesLoad = BackgroundLoad { () throws -> (PlaceTagger, EventExtractor) in
            let places = try PlaceTagger.english()
            let events = try EventExtractor.english(places: places)
            return (places, events)
        }
        let text = try TextProcessor.english()
        let time = try TimeTagger.english()
        let actors = try ActorTagger.english()
        let weapons = try WeaponTagger.english()
        let claims = try ClaimExtractor.english()
        let casualties = try CasualtyExtractor.english()
        let (places, events) = try placesLoad.get()
        return Extractor(
            text: text, annotator: Annotator(time: time, places: places, actors: actors, weapons: weapons),
            claims: claims, casualties: casualties, events: events)
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
