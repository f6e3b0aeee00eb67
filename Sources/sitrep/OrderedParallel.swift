import Foundation

/// Ordered parallel map with a bounded window, for the commands that process many articles
/// (`extract --jobs`, `ingest --jobs`).
///
/// Elements are pulled one at a time from `next` (on the calling task), grouped into batches,
/// and each batch is transformed in a child task of a task group (structured concurrency: every
/// task ends before the function returns). Results reach `consume` on the calling task in input
/// order, whatever order the batches finish in. At most `window` batches are in flight or
/// waiting to be consumed, so memory is bounded by `window × batch` elements and results no
/// matter how long the input is.
///
/// With `jobs <= 1` everything runs inline on the calling task: same results, same order,
/// no task overhead.
///
/// `ParallelExtractTests` checks that `extract --jobs N` output is byte-identical to `--jobs 1`.
/// When comparing release binaries by hand, rebuild cleanly after switching branches or stashing
/// (`touch` the changed sources): a stale incremental release build here apparently mixed an old
/// layout of `Cleaner` into the `sitrep` module and gave wrong results only with `--jobs 2`.
enum OrderedParallel {
    /// How many jobs to run by default: the machine's active processor count.
    static var defaultJobs: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    static func map<Element: Sendable, Result: Sendable>(
        jobs: Int,
        batch: Int = 8,
        window: Int? = nil,
        next: () -> Element?,
        transform: @escaping @Sendable (Element) -> Result,
        consume: (Result) -> Void
    ) async {
        let batch = max(1, batch)
        if jobs <= 1 {
            while let element = next() { consume(transform(element)) }
            return
        }
        let window = max(jobs, window ?? jobs * 4)
        await withTaskGroup(of: (Int, [Result]).self) { group in
            var submitted = 0
            var delivered = 0
            var waiting: [Int: [Result]] = [:]
            var exhausted = false

            func submitOne() -> Bool {
                var elements: [Element] = []
                elements.reserveCapacity(batch)
                while elements.count < batch, let e = next() { elements.append(e) }
                guard !elements.isEmpty else { return false }
                let index = submitted
                submitted += 1
                group.addTask {
                    var out: [Result] = []
                    out.reserveCapacity(elements.count)
                    for e in elements { out.append(transform(e)) }
                    return (index, out)
                }
                return true
            }

            while !exhausted && submitted - delivered < window {
                if !submitOne() { exhausted = true }
            }
            while let (index, results) = await group.next() {
                waiting[index] = results
                while let ready = waiting.removeValue(forKey: delivered) {
                    for r in ready { consume(r) }
                    delivered += 1
                }
                while !exhausted && submitted - delivered < window {
                    if !submitOne() { exhausted = true }
                }
            }
        }
    }
}
