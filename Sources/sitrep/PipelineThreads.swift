import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The threads of `ingest`'s pipeline share the cores through a `CoreBudget` that serves the
/// writer first.
///
/// The writer commits batch after batch on one thread and bounds the whole ingest (a million
/// generated articles: 0.71 ms/article of writer CPU against 0.45 of analysis). Left to the
/// scheduler, the writer and two lanes are three runnable threads on two cores and each gets two
/// thirds of a core: the writer, which the lanes end up waiting for anyway, spent 9.5 s of a 60 s
/// run waiting for a core (100,000 articles; its `schedstat` run-queue time). With the budget, a
/// lane starts an article only while a core is free of the writer; the writer waits at most for
/// one article in flight. Nice values would do the same inside the process but starve the lanes
/// whenever anything else runs on the machine; the budget changes nothing for other processes.
final class CoreBudget: @unchecked Sendable {
    private let condition = NSCondition()
    private var free: Int
    /// Writer-side threads (the writer, the merge) waiting for a core: lanes let them go first.
    private var writersWaiting = 0

    init(cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        free = Swift.max(1, cores)
    }

    /// A lane takes a core for one article; it waits while the writer waits for one.
    func acquireLane() {
        condition.lock()
        while free == 0 || writersWaiting > 0 { condition.wait() }
        free -= 1
        condition.unlock()
    }

    /// The writer (or the merge thread) takes a core for one batch, before any lane that asks after it.
    func acquireWriter() {
        condition.lock()
        writersWaiting += 1
        while free == 0 { condition.wait() }
        free -= 1
        writersWaiting -= 1
        condition.unlock()
    }

    func release() {
        condition.lock()
        free += 1
        condition.broadcast()
        condition.unlock()
    }
}

/// `lanes` threads of their own that run `map`'s body together; lane `k` takes the indices
/// `k, k + lanes, …`, so state indexed by lane (its extractor) is used by one thread only.
final class LanePool: @unchecked Sendable {
    let lanes: Int
    private let condition = NSCondition()
    /// The current job (`body(lane)`), its generation, and how many lanes have not finished it.
    private var job: (@Sendable (Int) -> Void)?
    private var generation = 0
    private var running = 0
    private var stopping = false

    /// Taken by each element of `map`'s body and given back after it (nil: no limit).
    let budget: CoreBudget?

    init(lanes: Int, budget: CoreBudget? = nil) {
        self.lanes = Swift.max(1, lanes)
        self.budget = budget
        for lane in 0..<self.lanes {
            Thread.startNamed("sitrep-lane-\(lane)") { [self] in self.work(lane) }
        }
    }

    /// `body(lane, i)` for every `i` in `0..<n`, results in index order; returns when all are done.
    func map<T: Sendable>(_ n: Int, _ body: @escaping @Sendable (_ lane: Int, _ i: Int) -> T) -> [T] {
        guard n > 0 else { return [] }
        var out = [T?](repeating: nil, count: n)
        let lanes = self.lanes
        let budget = self.budget
        out.withUnsafeMutableBufferPointer { buf in
            // Lane k writes only the slots k, k + lanes, …: no two threads write the same element,
            // and `run` returns only after every lane is done with the buffer.
            nonisolated(unsafe) let p = buf
            run { lane in
                var i = lane
                while i < n {
                    budget?.acquireLane()
                    p[i] = body(lane, i)
                    budget?.release()
                    i += lanes
                }
            }
        }
        return out.compactMap { $0 }
    }

    /// Ends the threads once they are idle (the pool cannot be used after).
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run(_ body: @escaping @Sendable (Int) -> Void) {
        condition.lock()
        job = body
        running = lanes
        generation += 1
        condition.broadcast()
        while running > 0 { condition.wait() }
        job = nil
        condition.unlock()
    }

    private func work(_ lane: Int) {
        var done = 0
        while true {
            condition.lock()
            while generation == done && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            done = generation
            let body = job
            condition.unlock()
            body?(lane)
            condition.lock()
            running -= 1
            if running == 0 { condition.broadcast() }
            condition.unlock()
        }
    }
}

/// One thread of its own that runs the blocks given to `async` one after another, in order.
final class SerialThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var busy = false
    private var stopping = false

    init(name: String) {
        Thread.startNamed(name) { [self] in self.loop() }
    }

    func async(_ block: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(block)
        condition.broadcast()
        condition.unlock()
    }

    /// Returns once every block given so far has run.
    func drain() {
        condition.lock()
        while !queue.isEmpty || busy { condition.wait() }
        condition.unlock()
    }

    /// Ends the thread after the blocks given so far.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let block = queue.removeFirst()
            busy = true
            condition.unlock()
            block()
            condition.lock()
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }
}

extension Thread {
    /// Starts a thread named `name` (at most 15 bytes, the system's limit) that runs `body`. The
    /// name is given to the system's thread from inside it: one set on the `Thread` before `start`
    /// never reached `/proc/…/comm`, and `Thread.current.name` set inside reached it only sometimes.
    static func startNamed(_ name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            #if os(Linux)
            // (what `prctl(PR_SET_NAME)` sets; neither it nor `pthread_setname_np` imports here)
            if let f = fopen("/proc/thread-self/comm", "w") {
                fputs(String(decoding: name.utf8.prefix(15), as: UTF8.self), f)
                fclose(f)
            }
            #endif
            Thread.current.name = name
            body()
        }
        if let stackSize { thread.stackSize = stackSize }
        thread.start()
    }
}
