import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Working storage a tagger lends to one document at a time (`ScratchPool`).
protocol ScratchStorage {
    init()
}

/// The scratch storage not in use, shared by all documents and copies of a tagger: a document
/// takes one (or a new one) and gives it back when tagged, so documents tagged at the same
/// time on different threads each have their own. Thread-safe; keeps a few.
///
/// A thread gets back the scratch it gave last: what a scratch keeps from one document to the
/// next (the actor tagger's readings, their records and strings) is then touched by one thread
/// only, and the reference counts of those objects stay in that core's cache instead of moving
/// between the cores of threads that tag documents at the same time (`sitrep extract --jobs 2`).
final class ScratchPool<Scratch: ScratchStorage>: @unchecked Sendable {
    private let lock = NSLock()
    /// Free scratches with the thread that gave each back, oldest first.
    private var free: [(thread: pthread_t, scratch: Scratch)] = []
    static var capacity: Int { 16 }

    func take() -> Scratch {
        let me = pthread_self()
        lock.lock()
        defer { lock.unlock() }
        if let k = free.lastIndex(where: { pthread_equal($0.thread, me) != 0 }) {
            return free.remove(at: k).scratch
        }
        // none of this thread's: the one given back longest ago (likely a thread gone or idle)
        return free.isEmpty ? Scratch() : free.removeFirst().scratch
    }

    func give(_ scratch: consuming Scratch) {
        let me = pthread_self()
        lock.lock()
        defer { lock.unlock() }
        if free.count < Self.capacity { free.append((me, scratch)) }
    }

    /// How many free scratches the pool holds (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return free.count
    }
}
