import ArgumentParser
import Foundation
import SitrepMerge
import SitrepStore

/// Scale measurement of the incident query (hidden): fills a database with synthetic incidents and
/// times `incidents --from --to` on it.
struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-bench", abstract: "Measure incident queries on synthetic incidents.", shouldDisplay: false)
    @OptionGroup var database: DatabaseOption
    @Option(help: "Synthetic incidents to write first (0: use the database as it is).") var fill = 0
    @Option(help: "First day of the synthetic incidents.") var start = "2018-01-01"
    @Option(help: "Days the synthetic incidents spread over.") var days = 1826
    @Option(help: "Query windows, FROM:TO,...") var windows = "2020-10-01:2020-10-31,2019-06-01:2019-06-07,2021-01-01:2021-12-31"
    @Flag(help: "Replay the database's reports into a fresh merge engine in ingest order, logging its cost (StoreReplay.swift).")
    var replay = false
    @Option(help: "With --replay: log every this many articles.") var every = 10_000
    @Option(help: "With --replay: stop after this many articles (0: all).") var articles = 0
    @Option(help: "With --replay: articles per merge (ingest's --batch).") var batch = 512
    @Option(help: "With --replay: replay the reports this many times, each copy as other articles at the same places and days.")
    var replicate = 1
    @Option(help: "With --replay: fold the reports' dates into a span this many times shorter (each report shifted by whole spans: this many times the density of reports per place and day, as a corpus this many times larger would have).")
    var fold = 1
    @Flag(help: "With --replay: re-cluster whole components (the engine before the ninth session).") var reference = false

    func run() throws {
        let store = try database.open()
        if replay { return try runReplay(store) }
        let clock = ContinuousClock()
        if fill > 0 {
            let t0 = clock.now
            try store.fillSyntheticIncidents(fill, from: start, days: days)
            Stderr.line(String(format: "store-bench: wrote %d incidents in %.1f s", fill, (clock.now - t0).seconds))
        }
        for w in windows.split(separator: ",") {
            let parts = w.split(separator: ":").map(String.init)
            guard parts.count == 2 else { continue }
            for limit in [1000, 0] {
                var best = Double.infinity
                var count = 0
                for _ in 0..<5 {
                    let t0 = clock.now
                    count = try store.incidents(IncidentQuery(from: parts[0], to: parts[1], limit: limit)).count
                    best = Swift.min(best, (clock.now - t0).seconds)
                }
                Stderr.line("store-bench: incidents --from \(parts[0]) --to \(parts[1]) --limit \(limit): \(count) rows, "
                    + String(format: "best of 5: %.1f ms", best * 1000))
            }
        }
    }
}
