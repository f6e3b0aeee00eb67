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
    /// batches not yet consumed. The caller reads the elements (`next`) and hands them to the jobs.
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
        await dispatch(
            states: states, window: window, callerReads: true, read: read,
            job: { state in { work in work.elements.map { transform(state, $0) } } },
            consume: consume)
    }

    /// The same, with each job reading the input itself: every job makes its own source (on its
    /// own task) and reads from it the batches given to it, reading past the others, so the
    /// caller never touches the elements. (`extract --jobs` on files: an article's bytes are
    /// then brought into memory by the core that analyses them, as with one process per core,
    /// instead of being written by the caller's core and read by the job's: in the VM's far
    /// mode every cache line handed between the cores costs ≈ 200 ns, and an article's input
    /// line is ≈ 70 of them.) Every source must yield the same elements in the same order: a
    /// file read again, not a pipe. Batches and results are those of the caller-read version.
    static func mapBatches<Source: IteratorProtocol, State: Sendable, Output: Sendable>(
        states: [State],
        batch: Int = 8,
        window: Int? = nil,
        sources: @escaping @Sendable () -> Source,
        transform: @escaping @Sendable (State, [Source.Element]) -> Output,
        consume: (Output) -> Void
    ) async where Source: SendableMetatype, Source.Element: Sendable {
        let batch = max(1, batch)
        guard let first = states.first else { return }
        if states.count == 1 {
            var source = sources()
            var reader = SourceBatches(batch: batch)
            while let elements = reader.batch(reader.position, from: &source) { consume(transform(first, elements)) }
            return
        }
        await dispatch(
            states: states, window: window, callerReads: false, read: { [Source.Element]?.none },
            job: { state in
                // the job's own source and place in it, kept by its task from batch to batch
                var source = sources()
                var reader = SourceBatches(batch: batch)
                return { work in reader.batch(work.index, from: &source).map { transform(state, $0) } }
            },
            consume: consume)
    }

    /// A batch handed to a job: its index and, when the caller reads the input, its elements.
    struct Work<Element: Sendable>: Sendable {
        var index: Int
        var elements: [Element]?
    }

    /// The jobs and the caller's loop for both versions of `mapBatches` (two jobs or more).
    /// With `callerReads`, `read` gives the next batch's elements (nil at the end of the input);
    /// without, the jobs read the input themselves, and a nil result (a batch past the end) ends it.
    /// `job` makes, on the job's task, the function that turns a batch into its result.
    private static func dispatch<Element: Sendable, State: Sendable, Output: Sendable>(
        states: [State],
        window: Int?,
        callerReads: Bool,
        read: () -> [Element]?,
        job: @escaping @Sendable (State) -> (Work<Element>) -> Output?,
        consume: (Output) -> Void
    ) async {
        let jobs = states.count
        let window = max(jobs, window ?? jobs * 4)
        typealias Done = (job: Int, index: Int, output: Output?)
        let (doneStream, done) = AsyncStream.makeStream(of: Done.self)
        var inboxes: [AsyncStream<Work<Element>>.Continuation] = []
        await withTaskGroup(of: Void.self) { group in
            for (j, state) in states.enumerated() {
                let (inbox, sink) = AsyncStream.makeStream(of: Work<Element>.self)
                inboxes.append(sink)
                group.addTask {
                    let run = job(state)
                    for await work in inbox {
                        done.yield((j, work.index, run(work)))
                    }
                }
            }
            var queued = Array(repeating: 0, count: jobs)
            var submitted = 0
            var delivered = 0
            var waiting: [Int: Output?] = [:]
            var exhausted = false

            func fill() {
                while !exhausted && submitted - delivered < window {
                    var elements: [Element]?
                    if callerReads {
                        guard let batch = read() else {
                            exhausted = true
                            break
                        }
                        elements = batch
                    }
                    // the job with the fewest batches queued (the first such: deterministic)
                    var j = 0
                    for k in 1..<jobs where queued[k] < queued[j] { j = k }
                    queued[j] += 1
                    inboxes[j].yield(Work(index: submitted, elements: elements))
                    submitted += 1
                }
            }

            fill()
            var results = doneStream.makeAsyncIterator()
            while delivered < submitted, let finished = await results.next() {
                queued[finished.job] -= 1
                // a batch past the end of the input: so are all after it (they come back empty)
                if finished.output == nil { exhausted = true }
                waiting.updateValue(finished.output, forKey: finished.index)
                while let ready = waiting.removeValue(forKey: delivered) {
                    if let output = ready { consume(output) }
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

/// A source read batch by batch from the start, skipping batches another job takes.
struct SourceBatches {
    let batch: Int
    /// The index of the batch the source is at.
    private(set) var position = 0
    private var ended = false

    init(batch: Int) {
        self.batch = batch
    }

    /// Batch `index` (at or after `position`), the batches before it read and dropped; nil past
    /// the end of the source.
    mutating func batch<Source: IteratorProtocol>(_ index: Int, from source: inout Source) -> [Source.Element]? {
        while position < index && !ended {
            for _ in 0..<batch where !ended {
                if source.next() == nil { ended = true }
            }
            position += 1
        }
        guard !ended, position == index else { return nil }
        var elements: [Source.Element] = []
        elements.reserveCapacity(batch)
        while elements.count < batch, let e = source.next() { elements.append(e) }
        position += 1
        if elements.count < batch { ended = true }
        return elements.isEmpty ? nil : elements
    }
}
