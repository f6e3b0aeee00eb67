import Foundation

/// Working storage a tagger lends to one document at a time (`ScratchPool`).
protocol ScratchStorage {
    init()
}

/// The scratch storage not in use, shared by all documents and copies of a tagger: a document
/// takes one (or a new one) and gives it back when tagged, so documents tagged at the same
/// time on different threads each have their own. Thread-safe; keeps a few.
final class ScratchPool<Scratch: ScratchStorage>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Scratch] = []

    func take() -> Scratch {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? Scratch()
    }

    func give(_ scratch: consuming Scratch) {
        lock.lock()
        defer { lock.unlock() }
        if free.count < 16 { free.append(scratch) }
    }
}
