import Foundation
import Testing

@testable import sitrep

/// A counter of bodies running at once, with its maximum, and the order of named events.
private final class Probe: @unchecked Sendable {
    private let lock = NSLock()
    private var active = 0
    private(set) var maximum = 0
    private(set) var events: [String] = []

    func enter() {
        lock.lock()
        active += 1
        maximum = max(maximum, active)
        lock.unlock()
    }

    func leave() {
        lock.lock()
        active -= 1
        lock.unlock()
    }

    func record(_ event: String) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    var snapshot: (maximum: Int, events: [String]) {
        lock.lock()
        defer { lock.unlock() }
        return (maximum, events)
    }
}

/// `ingest`'s pipeline threads: the lanes (`LanePool`), the writer's thread (`SerialThread`) and
/// the cores they share, the writer first (`CoreBudget`).
@Suite struct PipelineThreadsTests {
    /// Results in index order, and each lane named to `body` is below the lane count and takes the
    /// indices of its own stride, so a lane's state (its extractor) is never used by two threads;
    /// one pool serves batch after batch.
    @Test func lanesKeepOrderAndTheirStride() {
        for jobs in [1, 2, 3, 8] {
            let pool = LanePool(lanes: jobs)
            defer { pool.stop() }
            for n in [0, 1, 5, 100, 7] {
                let out = pool.map(n) { lane, i in (lane, i * i) }
                #expect(out.map(\.1) == (0..<n).map { $0 * $0 }, "jobs \(jobs) n \(n)")
                for (i, r) in out.enumerated() {
                    #expect(r.0 == i % jobs, "jobs \(jobs) n \(n) index \(i)")
                }
            }
        }
    }

    /// While the writer holds one of two cores, the lanes run one article at a time.
    @Test func lanesLeaveTheWritersCore() {
        let budget = CoreBudget(cores: 2)
        let pool = LanePool(lanes: 3, budget: budget)
        defer { pool.stop() }
        let probe = Probe()
        budget.acquireWriter()
        _ = pool.map(24) { _, i in
            probe.enter()
            usleep(2_000)
            probe.leave()
            return i
        }
        #expect(probe.snapshot.maximum == 1)
        budget.release()
        let free = Probe()
        _ = pool.map(24) { _, i in
            free.enter()
            usleep(2_000)
            free.leave()
            return i
        }
        #expect(free.snapshot.maximum <= 2)
    }

    /// A writer waiting for a core gets it before a lane that asked after it.
    @Test func theWriterGoesFirst() {
        let budget = CoreBudget(cores: 1)
        let probe = Probe()
        budget.acquireLane()  // a lane's article in flight
        let done = DispatchGroup()
        done.enter()
        Thread {
            budget.acquireWriter()
            probe.record("writer")
            budget.release()
            done.leave()
        }.start()
        usleep(50_000)
        done.enter()
        Thread {
            budget.acquireLane()
            probe.record("lane")
            budget.release()
            done.leave()
        }.start()
        usleep(50_000)
        #expect(probe.snapshot.events.isEmpty)
        budget.release()
        done.wait()
        #expect(probe.snapshot.events == ["writer", "lane"])
    }

    /// The writer's thread runs blocks in order, and `drain` returns after the last.
    @Test func serialThreadRunsInOrder() {
        let thread = SerialThread(name: "sitrep-test")
        defer { thread.stop() }
        let probe = Probe()
        for k in 0..<50 {
            thread.async {
                if k % 10 == 0 { usleep(1_000) }
                probe.record(String(k))
            }
        }
        thread.drain()
        #expect(probe.snapshot.events == (0..<50).map(String.init))
        thread.async { probe.record("after") }
        thread.drain()
        #expect(probe.snapshot.events.last == "after")
    }
}
