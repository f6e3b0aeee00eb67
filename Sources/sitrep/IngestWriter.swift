import Foundation
import SitrepStore

/// Stores prepared batches on a thread of its own, one at a time, at most one batch waiting. The
/// store merges each batch on a merge thread while this one stores the next (`DeferredMerge.swift`).
/// Both threads hold a core of the budget they share with the analysing lanes while they work,
/// never while one waits for the other (`PipelineThreads.swift`).
final class Writer: @unchecked Sendable {
    let store: SQLiteStore
    let budget: CoreBudget?
    let thread = SerialThread(name: "sitrep-writer")
    let slots = DispatchSemaphore(value: 2)
    let lock = NSLock()
    var summary = IngestSummary()
    var fatal: (any Error)?
    /// CPU seconds the writer thread spent storing (the merges' apart: `SQLiteStore.mergeCPUSeconds`).
    var cpuSeconds = 0.0

    init(store: SQLiteStore, budget: CoreBudget? = nil) {
        self.store = store
        self.budget = budget
        if let budget {
            var hooks = PipelineHooks()
            hooks.merging = { budget.acquireWriter() }
            hooks.merged = { budget.release() }
            hooks.waiting = { budget.release() }
            hooks.resumed = { budget.acquireWriter() }
            store.pipelineHooks = hooks
        }
    }

    var failed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return fatal != nil
    }

    func submit(_ batch: [PreparedArticle]) {
        slots.wait()
        thread.async {
            defer { self.slots.signal() }
            self.step { try self.store.ingestPipelined(batch) }
        }
    }

    /// Writes the last merge's incidents (or a killed run's unmerged batch), then returns once
    /// everything given is stored.
    func drain() {
        thread.async { self.step { try self.store.finishPipelined() } }
        thread.drain()
    }

    /// Counts articles found stored before analysis (they never reach the writer).
    func skipped(_ n: Int) {
        lock.lock()
        summary.unchanged += n
        lock.unlock()
    }

    func snapshot() -> (summary: IngestSummary, fatal: (any Error)?) {
        lock.lock()
        defer { lock.unlock() }
        return (summary, fatal)
    }

    /// One step on the writer thread, holding a core: its summary added, its error kept, its CPU
    /// counted; nothing once a step failed.
    private func step(_ body: () throws -> IngestSummary) {
        guard !failed else { return }
        budget?.acquireWriter()
        defer { budget?.release() }
        let t0 = threadCPUSeconds()
        let result = Result { try body() }
        let t1 = threadCPUSeconds()
        lock.lock()
        defer { lock.unlock() }
        cpuSeconds += t1 - t0
        switch result {
        case .success(let s): summary += s
        case .failure(let e): if fatal == nil { fatal = e }
        }
    }
}
