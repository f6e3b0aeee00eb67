import Foundation
import Synchronization

/// How long a value takes to pass from one core to the other (one way, in nanoseconds): this
/// thread and a second one take turns writing one atomic. On this machine (a 2-vCPU VM) it is
/// either ≈ 35–60 ns (the two vCPUs share a cache) or ≈ 135–220 ns (they do not), and the host
/// switches between the two every minute or so. The two-job speed-up follows it (twelfth session,
/// both cores free): ≈ 2.0× in the first case, ≈ 1.6–1.8× in the second, where every cache line
/// both threads write (reference counts of shared language data, scratch storage passed from
/// thread to thread, locks) costs about four times as much. So the 2-jobs row reports it next
/// to its MB/s.
enum HandOff {
    final class Turn: Sendable {
        let value = Atomic<Int>(0)
    }

    /// The one-way hand-off time over `rounds` round trips; nil when the two threads did not run
    /// at the same time within `limit` (a machine busy with other work).
    static func nanoseconds(rounds: Int = 4_000, limit: Duration = .milliseconds(50)) -> Int? {
        let turn = Turn()
        let finished = DispatchSemaphore(value: 0)
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        // the answering side: waits for each odd value and answers with the next even one; -1 stops it
        let thread = Thread {
            var i = 0
            while i < rounds {
                // (exchanged, not stored: a -1 written meanwhile is never overwritten)
                let (answered, seen) = turn.value.compareExchange(
                    expected: 2 * i + 1, desired: 2 * i + 2, ordering: .acquiringAndReleasing)
                if answered { i += 1 } else if seen == -1 { break }
            }
            finished.signal()
        }
        thread.start()
        let start = clock.now
        var completed = true
        rounds: for i in 0..<rounds {
            turn.value.store(2 * i + 1, ordering: .releasing)
            var spins = 0
            while turn.value.load(ordering: .acquiring) != 2 * i + 2 {
                spins &+= 1
                if spins & 0xFFF == 0, clock.now > deadline {
                    completed = false
                    break rounds
                }
            }
        }
        let elapsed = clock.now - start
        turn.value.store(-1, ordering: .releasing)
        finished.wait()
        guard completed else { return nil }
        let (s, atto) = elapsed.components
        let ns = (Double(s) * 1e9 + Double(atto) / 1e9) / Double(2 * rounds)
        return Int(ns.rounded())
    }
}
