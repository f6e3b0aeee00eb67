import Foundation

/// Ordered parallel map with a bounded window and per-job state, for the commands that process
/// many articles (`extract --jobs`, `generate --jobs`).
///
/// Elements are pulled one at a time from `next` (on the calling task) and grouped into batches.
/// Each job is one long-lived child task of a task group (structured concurrency: every task ends
/// before the function returns) that owns one `State` for the whole run and transforms the
/// batches handed to it, one after the other, with that state only: a job's state is never used
/// by two batches at once, nor by two jobs. (`extract` gives each job an `Extractor` of its own:
/// the reference counts and scratch of one are then written by one thread at a time, instead of
/// cache lines moving between the cores on every article, which costs ≈ 20 % of the CPU when the
/// hand-off between the cores is slow.) A batch goes to the job with the fewest batches queued,
/// so a job slowed down gets less work. Results reach `consume` on the calling task in input
/// order, whatever order the batches finish in. At most `window` batches are queued, in flight
/// or waiting to be consumed, so memory is bounded by `window × batch` elements and results no
/// matter how long the input is.
///
/// With one state everything runs inline on the calling task: same results, same order, no task
/// overhead.
///
/// `ParallelExtractTests` checks that `extract --jobs N` output is byte-identical to `--jobs 1`;
/// `OrderedParallelTests` checks the order, the window and the ownership of the states.
/// When comparing release binaries by hand, rebuild cleanly after switching branches or stashing
/// (`touch` the changed sources): a stale incremental release build here apparently mixed an old
/// layout of `Cleaner` into the `sitrep` module and gave wrong results only with `--jobs 2`.
enum OrderedParallel {
    /// How many jobs to run by default: the machine's active processor count.
    static var defaultJobs: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `transform` of each batch of up to `batch` elements by the job owning `states[j]`;
    /// `consume` of the batch results in input order. `window` (default 4 per job) bounds the
    /// batches not yet consumed.
    static func mapBatches<Element: Sendable, State: Sendable, Output: Sendable>(
        states: [State],
        batch: Int = 8,
        window: Int? = nil,
        next: () -> Element?,
        transform: @escaping @Sendable (State, [Element]) -> Output,
        consume: (Output) -> Void
    ) async {
        let batch = max(1, batch)
        func read() -> [Element]? {
            var elements: [Element] = []
            elements.reserveCapacity(batch)
            while elements.count < batch, let e = next() { elements.append(e) }
            return elements.isEmpty ? nil : elements
        }
        guard let first = states.first else { return }
        if states.count == 1 {
            while let elements = read() { consume(transform(first, elements)) }
            return
        }
        let jobs = states.count
        let window = max(jobs, window ?? jobs * 4)
        typealias Work = (index: Int, elements: [Element])
        typealias Done = (job: Int, index: Int, output: Output)
        let (doneStream, done) = AsyncStream.makeStream(of: Done.self)
        var inboxes: [AsyncStream<Work>.Continuation] = []
        await withTaskGroup(of: Void.self) { group in
            for (j, state) in states.enumerated() {
                let (inbox, sink) = AsyncStream.makeStream(of: Work.self)
                inboxes.append(sink)
                group.addTask {
                    for await work in inbox {
                        done.yield((j, work.index, transform(state, work.elements)))
                    }
                }
            }
            var queued = Array(repeating: 0, count: jobs)
            var submitted = 0
            var delivered = 0
            var waiting: [Int: Output] = [:]
            var exhausted = false

            func fill() {
                while !exhausted && submitted - delivered < window {
                    guard let elements = read() else {
                        exhausted = true
                        break
                    }
                    // the job with the fewest batches queued (the first such: deterministic)
                    var j = 0
                    for k in 1..<jobs where queued[k] < queued[j] { j = k }
                    queued[j] += 1
                    inboxes[j].yield((submitted, elements))
                    submitted += 1
                }
            }

            fill()
            var results = doneStream.makeAsyncIterator()
            while delivered < submitted, let finished = await results.next() {
                queued[finished.job] -= 1
                waiting[finished.index] = finished.output
                while let ready = waiting.removeValue(forKey: delivered) {
                    consume(ready)
                    delivered += 1
                }
                fill()
            }
            for inbox in inboxes { inbox.finish() }
            done.finish()
        }
    }

    /// `mapBatches` without state, element by element: `jobs` jobs.
    static func map<Element: Sendable, Result: Sendable>(
        jobs: Int,
        batch: Int = 8,
        window: Int? = nil,
        next: () -> Element?,
        transform: @escaping @Sendable (Element) -> Result,
        consume: (Result) -> Void
    ) async {
        await mapBatches(
            states: Array(repeating: (), count: max(1, jobs)), batch: batch, window: window, next: next,
            transform: { _, elements in elements.map(transform) },
            consume: { results in for r in results { consume(r) } })
    }
}
