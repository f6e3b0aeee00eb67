import Foundation
import SitrepMerge
import SitrepStore

/// `store-bench --replay`: the merge engine's cost as the corpus grows, without extraction or
/// SQLite writes. Reads a database's active reports in the order ingest wrote them, applies them
/// to a fresh `MergeEngine` in batches of `--batch` articles (as the writer does), builds the
/// record of every changed incident (as the writer does), and logs per `--every` articles the
/// thread CPU per article and the engine's work counters. At the end it prints a digest of the
/// final report → incident assignment, to compare two builds' outcomes on the same input.
extension StoreBench {
    func runReplay(_ store: SQLiteStore) throws {
        var engine = MergeEngine(reference: reference)
        var adding: [Report] = []
        var rows: [Int64] = []
        var current: Int64 = -1
        var applyCPU = 0.0, recordCPU = 0.0, windowApply = 0.0, windowRecord = 0.0
        var windowStart = 0
        var last = engine.stats
        var assignment: [(String, String)] = []
        let limit = articles > 0 ? Int64(articles) : Int64.max
        let size = Int64(Swift.max(1, batch))
        let every = Swift.max(1, self.every)
        Stderr.line("replay: articles  apply-ms/art  record-ms/art  held  comps/art  comp-size  largest  scanned/art  coarse/art  leftover/art  upserts/art  members/upsert")

        func log(upTo n: Int) {
            let d = engine.stats - last
            let a = Double(Swift.max(1, n - windowStart))
            Stderr.line(String(format: "replay: %8d  %12.3f  %13.3f  %8d  %9.2f  %9.2f  %7d  %11.0f  %10.2f  %12.2f  %11.2f  %14.2f",
                               n, windowApply * 1000 / a, windowRecord * 1000 / a, engine.count,
                               Double(d.components) / a, Double(d.componentReports) / Double(Swift.max(1, d.components)),
                               d.largestComponent, Double(d.scanned) / a, Double(d.coarseChecked) / a, Double(d.leftoverReports) / a,
                               Double(d.upserts) / a, Double(d.upsertMembers) / Double(Swift.max(1, d.upserts))))
            engine.stats.largestComponent = 0
            last = engine.stats
            windowStart = n
            windowApply = 0
            windowRecord = 0
        }

        func flush() {
            guard !adding.isEmpty else { return }
            let t0 = threadCPUSeconds()
            let delta = engine.apply(adding: adding, rows: rows)
            let t1 = threadCPUSeconds()
            for c in delta.upserts { _ = IncidentRecord(c, categories: false, figureSources: false) }
            let t2 = threadCPUSeconds()
            applyCPU += t1 - t0
            recordCPU += t2 - t1
            windowApply += t1 - t0
            windowRecord += t2 - t1
            adding.removeAll(keepingCapacity: true)
            rows.removeAll(keepingCapacity: true)
        }

        var seen = 0
        var base: Int64 = 0
        for copy in 0..<Swift.max(1, replicate) {
            var top: Int64 = 0
            try store.forEachActiveReport { article, event, stored in
                guard article <= limit else { return false }
                let b = (base + article - 1) / size
                if b != current {
                    flush()
                    current = b
                    let done = Int(b * size)
                    if done >= windowStart + every { log(upTo: done) }
                }
                top = article
                seen = Int(base + article)
                let r = copy == 0 ? stored : Self.copy(stored, copy)
                adding.append(fold > 1 ? Self.folded(r, fold) : r)
                rows.append(event)
                return true
            }
            base += top
        }
        flush()
        log(upTo: seen)
        let incidents = engine.allIncidents()
        for c in incidents {
            for m in c.members { assignment.append((m.key, c.id)) }
        }
        assignment.sort { $0.0 < $1.0 }
        var h = StableHash.fnv64("".utf8)
        for (k, id) in assignment { h = StableHash.fnv64((k + "=" + id + "\n").utf8, seed: h) }
        let n = Double(Swift.max(1, seen))
        Stderr.line(String(format: "replay: %d articles, %d reports held, %d incidents; apply %.2f s CPU (%.3f ms/article), records %.2f s (%.3f ms/article); assignment digest ",
                           seen, engine.count, incidents.count, applyCPU, applyCPU * 1000 / n, recordCPU,
                           recordCPU * 1000 / n) + StableHash.hex(h))
    }

    /// A report with its dates shifted by a whole number of spans `(lastDay - firstDay + 1) / fold`
    /// (the generator's publication days, `CorpusGenerator`), so that `fold` corpus spans lie over one:
    /// each report keeps its interval's length, place and actors, and a report's neighbourhood holds
    /// `fold` times the reports it holds in the corpus as generated.
    static func folded(_ r: Report, _ fold: Int) -> Report {
        guard let d0 = r.dayStart, let d1 = r.dayEnd else { return r }
        let first = 16_436, days = 20_453 - 16_436 + 1
        let span = (days + fold - 1) / fold
        let offset = d0 - first
        let shift = (offset >= 0 ? offset / span : -((-offset + span - 1) / span)) * span
        var c = r
        c.dayStart = d0 - shift
        c.dayEnd = d1 - shift
        return c
    }

    /// Copy `n` of a report as if another article at the same place and day gave it: the
    /// corpus's density of reports per place and day times the number of copies.
    static func copy(_ r: Report, _ n: Int) -> Report {
        func rehash(_ h: String) -> String {
            StableHash.hex(StableHash.fnv64(h.utf8, seed: UInt64(n))) + StableHash.hex(StableHash.fnv64(h.utf8, seed: UInt64(n) &+ 99))
        }
        var c = r
        c.article = rehash(r.article)
        c.dupGroup = r.dupGroup == r.article ? c.article : rehash(r.dupGroup)
        c.key = Report.key(article: c.article, event: r.eventIndex)
        return c
    }
}
