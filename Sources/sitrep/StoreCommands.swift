import ArgumentParser
import Foundation
import SitrepExtract
import SitrepIngest
import SitrepMerge
import SitrepStore

/// `--db PATH`, else `SITREP_DB`, else `./sitrep.db`.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "Database file (default: $SITREP_DB, else ./sitrep.db).")
    var db: String?

    var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["SITREP_DB"], !env.isEmpty { return env }
        return "sitrep.db"
    }

    func open() throws -> SQLiteStore {
        do {
            return try SQLiteStore(path: path)
        } catch {
            Stderr.line("sitrep: \(error)")
            throw ExitCode(3)
        }
    }
}

/// CPU time of the whole process.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse articles and store them: reports, claims, tolls, incidents (idempotent, resumable).",
        discussion: """
            Inputs as for 'extract' (.jsonl, .txt, .html, .xml/.rss/.atom, directories, '-' for JSONL on stdin).
            The same article (same content hash) ingested again changes nothing; an article at a known URL
            with different content becomes a new version superseding the old one's reports. Articles are
            committed in batches, each article whole: a killed run loses at most the batch in flight, and a
            rerun finishes the job without duplicates. Exit 0 when every input gave an article, 1 when some
            failed, 3 when the database or language data cannot be used.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Argument(help: "Files or directories; '-' or nothing reads JSONL from stdin.")
    var inputs: [String] = []

    @Option(help: "Articles per transaction (default 512; for a large ingest, one that builds the query indexes at its end, 16384 — 4096 with less than 16 GB of memory). Batches above 512 are reached by doubling from 512.")
    var batch: Int?

    @Flag(help: "No progress bar and no summary line.")
    var quiet = false

    @Option(help: "Threads analysing articles (default: the number of cores).")
    var jobs: Int?

    @Option(help: .hidden)
    var syntheticEvents = 0

    @Flag(help: "Print CPU time per article (whole process and the writer thread) at the end.")
    var timing = false

    func run() throws {
        let extractors: [Extractor]
        do {
            // one extractor per lane, as for `extract --jobs` (loaded at once: ExtractCommand.swift)
            let lanes = Swift.max(1, self.jobs ?? ProcessInfo.processInfo.activeProcessorCount)
            extractors = try Extractor.english(jobs: lanes)
        } catch {
            Stderr.line("sitrep: cannot load language data: \(error)")
            throw ExitCode(3)
        }
        let store = try database.open()
        let totalBytes = Self.totalBytes(inputs)
        let progress = Progress(totalBytes: totalBytes, enabled: !quiet && isatty(STDERR_FILENO) == 1)
        let large = Self.defersIndexes(totalBytes: totalBytes, databaseBytes: Self.fileSize(database.path))
        do {
            // A large input builds the query indexes once at the end (`DeferredIndexes.swift`);
            // otherwise indexes a killed large run left deferred are built now.
            if large {
                try store.deferQueryIndexes()
            } else {
                try store.restoreQueryIndexes()
            }
            // The writer commits; another thread copies the WAL into the database (`Checkpointer`).
            try store.startBackgroundCheckpoints(large: large)
        } catch {
            Stderr.line("sitrep: \(error)")
            throw ExitCode(3)
        }
        let batchSize = LargeIngest.batchSize(explicit: batch, large: large)
        // small batches first, so that the writer starts early (`LargeIngest.Ramp`)
        var ramp = LargeIngest.Ramp(size: batchSize)
        var pending: [(Article, String)] = []
        pending.reserveCapacity(batchSize)
        var failures = 0
        // The writer and the lanes share the cores, the writer first (`PipelineThreads.swift`).
        let budget = CoreBudget()
        let writer = Writer(store: store, budget: budget)
        let synthetic = syntheticEvents
        let jobs = Swift.max(1, self.jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let lanes = LanePool(lanes: jobs, budget: budget)
        defer {
            lanes.stop()
            writer.thread.stop()
        }

        func flush() {
            guard !pending.isEmpty, !writer.failed else { return }
            _ = ramp.next()
            var todo = pending
            pending.removeAll(keepingCapacity: true)
            let count = todo.count
            let bytes = todo.reduce(0) { $0 + Progress.size($1.0) }
            // Articles stored already (a rerun after a kill, inputs given twice) are not analysed
            // again; the writer still checks every article it gets, so this only saves work.
            var hashes = todo.map { PreparedArticle.contentHash($0.0) }
            if let stored = try? store.storedHashes(hashes), !stored.isEmpty {
                let keep = hashes.indices.filter { !stored.contains(hashes[$0]) }
                todo = keep.map { todo[$0] }
                hashes = keep.map { hashes[$0] }
                writer.skipped(count - todo.count)
            }
            let items = todo
            let known = hashes
            let prepared = lanes.map(items.count) { lane, i in
                var p = PreparedArticle(extractors[lane].analyze(items[i].0), origin: items[i].1, hash: known[i])
                if synthetic > 0 && p.reports.isEmpty {
                    // Scale measurement only: deterministic made-up reports per article.
                    let base = DayNumber.parse(p.article.published).map { $0 - 3 } ?? 18_500
                    let seed = StableHash.fnv64(p.hash.utf8)
                    p.reports = (0..<synthetic).map {
                        Synthetic.report(article: p.hash, event: $0, seed: seed, baseDay: base, days: 3)
                    }
                }
                return p
            }
            // The writer commits this batch while the next one is analysed.
            if !prepared.isEmpty { writer.submit(prepared) }
            progress.advance(articles: count, bytes: bytes, written: writer.snapshot().summary)
        }

        InputReader().read(inputs) { item in
            guard !writer.failed else { return }
            switch item {
            case .article(let article, let origin):
                pending.append((article, origin))
                if pending.count >= ramp.upcoming { flush() }
            case .failure(let error):
                failures += 1
                progress.clear()
                Stderr.line("sitrep: \(error)")
            case .warning(let warning):
                progress.clear()
                Stderr.line("sitrep: warning: \(warning)")
            }
        }
        flush()
        writer.drain()
        progress.clear()
        let (summary, fatal) = writer.snapshot()
        if let fatal {
            Stderr.line("sitrep: \(fatal)")
            throw ExitCode(3)
        }
        do {
            try store.stopBackgroundCheckpoints()
            try store.restoreQueryIndexes()
        } catch {
            Stderr.line("sitrep: \(error)")
            throw ExitCode(3)
        }
        if !quiet { Stderr.line(progress.summaryLine(summary, db: database.path)) }
        if timing {
            let cpu = processCPUSeconds()
            let n = Double(Swift.max(1, progress.articles))
            Stderr.line(String(format: "sitrep: timing: %.2f s wall, %.2f s CPU (%.3f ms/article), writer thread %.2f s CPU (%.3f ms/article), merge thread %.2f s CPU (%.3f ms/article); CPU-bound rate on %d cores: %.0f articles/s",
                               progress.elapsed, cpu, cpu * 1000 / n, writer.cpuSeconds, writer.cpuSeconds * 1000 / n,
                               store.mergeCPUSeconds, store.mergeCPUSeconds * 1000 / n, jobs,
                               n / Swift.max(cpu / Double(jobs), writer.cpuSeconds, store.mergeCPUSeconds, 1e-9)))
            // The writer's one-time start (merge state and band index of the stored articles) and
            // the checkpoint thread, apart: a small ingest into a large database is mostly the former.
            Stderr.line(String(format: "sitrep: timing: writer start-up %.2f s CPU (in the writer's time), checkpoint thread %.2f s CPU",
                               store.loadCPUSeconds, store.checkpointCPUSeconds))
            for line in store.phases.report(articles: progress.articles) { Stderr.line("sitrep: timing: writer phase \(line)") }
            for line in store.mergePhases.report(articles: progress.articles) { Stderr.line("sitrep: timing: merge phase \(line)") }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Inputs of at least this many bytes (≈ 15,000 generated articles) defer the query indexes.
    static let deferIndexesBytes = 64 << 20

    /// Whether an ingest of `totalBytes` of input builds the query indexes at its end: a large
    /// input, or one that adds about as much as the database holds (a database takes ≈ 5 bytes
    /// per input byte, and rebuilding costs in proportion to what is stored);
    /// `SITREP_DEFER_INDEXES=1` (or `0`) decides instead.
    static func defersIndexes(totalBytes: Int, databaseBytes: Int) -> Bool {
        switch ProcessInfo.processInfo.environment["SITREP_DEFER_INDEXES"] {
        case "1": true
        case "0": false
        default: totalBytes >= deferIndexesBytes || (totalBytes > 0 && totalBytes * 4 >= databaseBytes)
        }
    }

    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    static func totalBytes(_ inputs: [String]) -> Int {
        var total = 0
        for path in inputs where path != "-" {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            let files = isDir.boolValue ? InputReader.walk(path) : [path]
            for f in files {
                total += (try? FileManager.default.attributesOfItem(atPath: f)[.size] as? Int) ?? 0
            }
        }
        return total
    }
}

/// A progress bar on a terminal (articles/s, ETA from bytes read), a summary line at the end.
final class Progress {
    let totalBytes: Int
    let enabled: Bool
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    var lastDraw: ContinuousClock.Instant
    var articles = 0
    var bytes = 0
    var drawn = false

    init(totalBytes: Int, enabled: Bool) {
        self.totalBytes = totalBytes
        self.enabled = enabled
        started = clock.now
        lastDraw = started
    }

    /// Approximate input bytes of an article (for the ETA).
    static func size(_ a: Article) -> Int {
        a.text.utf8.count + (a.title?.utf8.count ?? 0) + (a.url?.utf8.count ?? 0) + (a.source?.utf8.count ?? 0) + 60
    }

    var elapsed: Double { (clock.now - started).seconds }

    func advance(articles n: Int, bytes b: Int, written summary: IngestSummary) {
        articles += n
        bytes += b
        guard enabled else { return }
        let now = clock.now
        guard (now - lastDraw).seconds >= 0.2 else { return }
        lastDraw = now
        let rate = Double(articles) / Swift.max(elapsed, 1e-6)
        var line = "\rsitrep: ingest "
        if totalBytes > 0 {
            let frac = Swift.min(0.999, Double(bytes) / Double(totalBytes))
            let width = 28
            let filled = Int(frac * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += String(format: "%3.0f%% ", frac * 100)
            let eta = frac > 0 ? elapsed * (1 - frac) / frac : 0
            line += "\(articles) articles, \(Int(rate))/s, ETA \(Self.clockString(eta))"
        } else {
            line += "\(articles) articles, \(Int(rate))/s"
        }
        line += ", \(summary.incidentsWritten) incident writes   "
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func clear() {
        guard drawn else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 100) + "\r").utf8))
        drawn = false
    }

    static func clockString(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
            : String(format: "%d:%02d", t / 60, t % 60)
    }

    func summaryLine(_ s: IngestSummary, db: String) -> String {
        let secs = elapsed
        return String(format: "sitrep: %d articles read: %d new, %d unchanged, %d new versions, %d late old versions, %d near-duplicates; %d reports; %d incidents written, %d removed; %.2f s, %.0f articles/s",
                      articles, s.added, s.unchanged, s.newVersions, s.lateOldVersions, s.nearDuplicates, s.reports,
                      s.incidentsWritten, s.incidentsDeleted, secs, Double(articles) / Swift.max(secs, 1e-6)) + " → \(db)"
    }
}
