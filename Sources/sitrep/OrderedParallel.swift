import Foundation

/// Ordered parallel map with a bounded window and per-job state, for the commands that process
/// many articles (`extract --jobs`, `generate --jobs`).
///
/// Each job runs on a thread of its own for the whole run (job 0 on the calling thread, the
/// others on threads started for the call, all ended before the function returns) and owns one
/// `State`: a job's state is never used by two batches at once, nor by two jobs. (`extract` gives
/// each job an `Extractor` of its own: the reference counts and scratch of one are then written
/// by one thread at a time, instead of cache lines moving between the cores on every article,
/// which costs ≈ 20 % of the CPU when the hand-off between the cores is slow.)
///
/// A job that is free takes the next batch itself: it reads up to `batch` elements from `next`
/// (under a lock, so the elements are cut in input order, and an article's bytes are copied by
/// the core that analyses them), transforms them, and leaves the result. The job whose result is
/// the oldest not yet consumed hands it, and every later one already done, to `consume`, in
/// input order. So a job slowed down simply takes fewer batches, and no coordinating task has to
/// wait for a core to hand out work or gather results. (With one task per job and one more task
/// coordinating, three tasks on two cores, `extract --jobs 2` used ≈ 4 % more CPU than this in
/// both of the VM's modes: its extraction CPU over `--jobs 1`'s went from 1.04-1.06 to 1.01 in
/// the near mode and from 1.09-1.10 to 1.05-1.06 in the far mode.) At most `window` batches are
/// taken and not yet consumed (a job waits for the oldest before taking more), so memory is
/// bounded by `window × batch` elements and results however long the input is.
///
/// `next` is called one call at a time and `consume` one call at a time, each in order, but on
/// any of the jobs' threads, and a call of `next` may run while `consume` runs: they must not
/// share state with each other (nor with `transform`) unless it is locked. The call blocks its
/// thread until the whole input is consumed; that is safe on a task's thread because it waits
/// only for the jobs' own threads, never for another task.
///
/// With one state everything runs inline on the calling thread: same results, same order.
///
/// `ParallelExtractTests` checks that `extract --jobs N` output is byte-identical to `--jobs 1`;
/// `OrderedParallelTests` checks the order, the window, the one-at-a-time calls and the
/// ownership of the states.
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
    /// batches taken and not yet consumed.
    static func mapBatches<Element: Sendable, State: Sendable, Output: Sendable>(
        states: [State],
        batch: Int = 8,
        window: Int? = nil,
        next: () -> Element?,
        transform: @escaping @Sendable (State, [Element]) -> Output,
        consume: (Output) -> Void
    ) {
        let batch = max(1, batch)
        guard let first = states.first else { return }
        if states.count == 1 {
            var exhausted = false
            while !exhausted {
                var elements: [Element] = []
                elements.reserveCapacity(batch)
                while elements.count < batch {
                    guard let e = next() else {
                        exhausted = true  // (`next` is not called again)
                        break
                    }
                    elements.append(e)
                }
                if elements.isEmpty { return }
                consume(transform(first, elements))
            }
            return
        }
        let window = max(states.count, window ?? states.count * 4)
        // (`next` and `consume` are used only until `run` returns: every job has ended by then)
        withoutActuallyEscaping(next) { next in
            withoutActuallyEscaping(consume) { consume in
                PulledBatches(batch: batch, window: window, next: next, consume: consume)
                    .run(states: states, transform: transform)
            }
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
    ) {
        mapBatches(
            states: Array(repeating: (), count: max(1, jobs)), batch: batch, window: window, next: next,
            transform: { _, elements in elements.map(transform) },
            consume: { results in for r in results { consume(r) } })
    }
}

/// The jobs of `OrderedParallel.mapBatches` with more than one state: what they share, under
/// one lock, and each job's loop.
///
/// `@unchecked Sendable`: every stored variable is read and written under `condition` only;
/// `next` is called under it, `consume` only by the one job that set `delivering`, and the
/// elements and outputs pass from one thread to another through the lock.
private final class PulledBatches<Element: Sendable, Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let batch: Int
    private let window: Int
    /// The caller's closures, dropped when `run` ends (they must not outlive the call, and the
    /// jobs' threads may still hold this object for a moment after their last use).
    private var next: (() -> Element?)?
    private var consume: ((Output) -> Void)?
    /// Batches taken (the index of the next one), batches consumed.
    private var taken = 0
    private var consumed = 0
    /// `next` returned nil: it is not called again.
    private var exhausted = false
    /// A job is handing results to `consume` (outside the lock).
    private var delivering = false
    /// Results done, by batch index, waiting for the older ones.
    private var done: [Int: Output] = [:]
    /// Jobs still running.
    private var running = 0

    init(batch: Int, window: Int, next: @escaping () -> Element?, consume: @escaping (Output) -> Void) {
        self.batch = batch
        self.window = window
        self.next = next
        self.consume = consume
    }

    /// Runs job 0 on the calling thread and the others on threads of their own; returns when
    /// every job has ended, that is when every batch is consumed.
    func run<State: Sendable>(states: [State], transform: @escaping @Sendable (State, [Element]) -> Output) {
        running = states.count
        for (j, state) in states.enumerated().dropFirst() {
            // (a stack as large as the main thread's)
            Thread.startNamed("sitrep-job-\(j)", stackSize: 8 << 20) { [self] in work(state, transform) }
        }
        if let first = states.first { work(first, transform) }
        condition.lock()
        while running > 0 { condition.wait() }
        next = nil
        consume = nil
        condition.unlock()
    }

    /// One job: takes a batch, transforms it, leaves the result (and consumes the results that
    /// are next in order, unless another job is doing so), until the input is exhausted.
    private func work<State>(_ state: State, _ transform: (State, [Element]) -> Output) {
        while true {
            condition.lock()
            while !exhausted && taken - consumed >= window { condition.wait() }
            var elements: [Element] = []
            if !exhausted, let next {
                elements.reserveCapacity(batch)
                while elements.count < batch, let e = next() { elements.append(e) }
                if elements.count < batch { exhausted = true }
            }
            if elements.isEmpty {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let index = taken
            taken += 1
            condition.unlock()

            let output = transform(state, elements)

            condition.lock()
            done[index] = output
            // The job that finds no one delivering consumes every result next in order, checking
            // again under the lock after each: a result left meanwhile by another job (which saw
            // `delivering` set) is consumed by this loop, so none is left behind.
            if !delivering, let consume {
                delivering = true
                while let ready = done.removeValue(forKey: consumed) {
                    condition.unlock()
                    consume(ready)
                    condition.lock()
                    consumed += 1
                    condition.broadcast()
                }
                delivering = false
            }
            condition.unlock()
        }
    }
}
