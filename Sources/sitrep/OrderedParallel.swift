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
/// Let `transform` reach shared state (the `Extractor`, the `InputReader`) through a final class
/// (see `Extract.Shared`), not by capturing the structs themselves: with Swift 6.3.1 in release
/// builds, `extract --jobs 2` capturing the `Extractor` struct directly produced different
/// cleaning results in the child tasks than inline (paragraph-scope boilerplate rules acting as
/// sentence-scope ones), deterministically; debug builds and `--jobs 1` were right. The class
/// box made the outputs byte-identical again; `ParallelExtractTests` guards it (run the tests in
/// release too: `swift test -c release --filter ParallelExtract`).
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
