import Foundation
import GRDB
import SitrepMerge

/// What storing a batch hands the merge: reports to add (with their event rows), reports to retire
/// (their keys and event rows), articles whose near-duplicate group changed.
struct MergeInput: Sendable {
    var adding: [Report] = []
    var rows: [Int64] = []
    var removing: [String] = []
    var removedRows: [Int64] = []
    var regrouped: [String: String] = [:]

    var isEmpty: Bool { adding.isEmpty && removing.isEmpty && regrouped.isEmpty }

    /// `other`'s work after this one's (a later regrouping of the same article wins).
    mutating func append(_ other: MergeInput) {
        adding += other.adding
        rows += other.rows
        removing += other.removing
        removedRows += other.removedRows
        regrouped.merge(other.regrouped) { _, later in later }
    }
}

/// An incident to write, made by the merge: its record and, per member, the event row and the
/// link's evidence (JSON) with the hash it is compared by.
struct PreparedIncident: Sendable {
    var record: IncidentRecord
    var rows: [Int64]
    var evidence: [String?]
    var hashes: [UInt64]
}

/// What a merge changed, ready to be written: incidents to write whole, incident ids that no
/// longer exist, and the event rows whose links go (their reports retired).
struct MergeOutput: Sendable {
    var upserts: [PreparedIncident] = []
    var deleted: [String] = []
    var removedRows: [Int64] = []
}

/// Hooks of a pipelined ingest, for a caller that shares the cores among its threads (the CLI's
/// core budget): `merging` and `merged` around each merge on the merge thread, `waiting` and
/// `resumed` around the writer's waits for a merge.
public struct PipelineHooks: Sendable {
    public var merging: @Sendable () -> Void = {}
    public var merged: @Sendable () -> Void = {}
    public var waiting: @Sendable () -> Void = {}
    public var resumed: @Sendable () -> Void = {}

    public init() {}
}

/// One merge handed to the merge thread: its outcome, waited for by the writer.
final class MergeTicket: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<MergeOutput, any Error>?

    func fulfil(_ r: Result<MergeOutput, any Error>) {
        condition.lock()
        result = r
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> Result<MergeOutput, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return result }
            condition.wait()
        }
    }
}

/// A pipelined ingest (`sitrep ingest`): each batch's merge runs on a thread of its own, started
/// as soon as the batch is stored, while the writer writes the previous merge's incidents, commits
/// and stores the next batch; batch k's incidents are written in batch k + 1's transaction.
///
/// A million generated articles (`SITREP_PHASES=1 sitrep ingest --timing`): of the writer's 0.87
/// ms/article, the merge and the records and link evidence it makes were 0.35, pure computation on
/// data the writer does not touch; serially they bounded the ingest. Pipelined, the writer's thread
/// does SQLite's part only.
///
/// A killed run can leave one batch stored but not merged; the `merge_pending` row of `meta`
/// (its value: the articles regrouped as JSON) says so. The next load finds that batch's work in
/// the database (active reports without a link, linked reports of superseded articles) and merges
/// it with the next batch, or `finishPipelined` does when no batch comes. The merge's outcome
/// depends only on the set of reports, so the incidents are those of an uninterrupted run.
extension SQLiteStore {
    /// Stores `batch`, starts its merge, and writes the previous batch's merged incidents, all in
    /// one transaction; the batch's own incidents are written by the next call or by
    /// `finishPipelined`. Calls come from one thread at a time.
    public func ingestPipelined(_ batch: [PreparedArticle]) throws -> IngestSummary {
        try transaction { db in
            var input = MergeInput()
            let stored = Result { try storeArticles(batch, db, into: &input) }
            let previous = outstanding
            outstanding = nil
            var mine: MergeTicket?
            if case .success = stored, !input.isEmpty { mine = startMerge(input) }
            do {
                var summary = try stored.get()
                if let out = try outcome(previous)?.get() { summary += try writeMerged(out, db) }
                try markPending(input.isEmpty ? nil : input.regrouped, db)
                outstanding = mine
                return summary
            } catch {
                // Both merges end before the writer's state is dropped.
                _ = outcome(previous)
                _ = outcome(mine)
                throw error
            }
        }
    }

    /// Ends a pipelined ingest: writes the last merge's incidents, or, when none is outstanding and
    /// a killed run left a batch unmerged, merges that batch.
    public func finishPipelined() throws -> IngestSummary {
        if outstanding == nil {
            // Nothing handed out: only a killed run's batch may wait (checked without loading).
            let marked = loaded ? pendingMarked : try pool.read { try Self.pendingRegroups($0) } != nil
            guard marked else { return IngestSummary() }
        }
        return try transaction { db in
            var summary = IngestSummary()
            let last = outstanding
            outstanding = nil
            if let out = try outcome(last)?.get() {
                summary += try writeMerged(out, db)
            } else {
                var input = MergeInput()
                summary += try storeArticles([], db, into: &input)
                if !input.isEmpty { summary += try writeMerged(try merge(input), db) }
            }
            try markPending(nil, db)
            return summary
        }
    }

    /// Hands `input` to the merge thread (after the merges handed before).
    func startMerge(_ input: MergeInput) -> MergeTicket {
        let ticket = MergeTicket()
        let hooks = pipelineHooks
        mergeQueue.async {
            hooks.merging()
            let t0 = threadCPUSeconds()
            let out = Result { try self.merge(input) }
            self.addMergeCPU(threadCPUSeconds() - t0)
            hooks.merged()
            ticket.fulfil(out)
        }
        return ticket
    }

    /// The outcome of `ticket`'s merge (nil for none), waited for outside the caller's core.
    func outcome(_ ticket: MergeTicket?) -> Result<MergeOutput, any Error>? {
        guard let ticket else { return nil }
        pipelineHooks.waiting()
        defer { pipelineHooks.resumed() }
        return ticket.wait()
    }

    /// Merges `input` into the merge state and prepares what to write. Runs on any one thread at a
    /// time, in the order the inputs were made.
    func merge(_ input: MergeInput) throws -> MergeOutput {
        // Taken out (not copied) so mutating it never copies the whole merge state.
        guard var engine = self.engine else { throw StoreError(path: path, reason: "the merge state is not loaded") }
        self.engine = nil
        defer { self.engine = engine }
        mergePhases.start()
        var out = MergeOutput(removedRows: input.removedRows)
        guard !input.isEmpty else { return out }
        let delta = engine.apply(adding: input.adding, rows: input.rows, removing: input.removing,
                                 regrouped: input.regrouped)
        mergePhases.lap(.merge)
        out.deleted = delta.deleted
        out.upserts = try delta.upserts.map { try prepare($0) }
        return out
    }

    /// An incident's record and its links' evidence.
    func prepare(_ c: IncidentCluster) throws -> PreparedIncident {
        let record = IncidentRecord(c, categories: false, figureSources: false)
        mergePhases.lap(.incidentRecord)
        guard c.rows.count == c.members.count else {
            throw StoreError(path: path, reason: "incident \(c.id): members without event rows")
        }
        var evidence: [String?] = []
        var hashes: [UInt64] = []
        evidence.reserveCapacity(c.members.count)
        hashes.reserveCapacity(c.members.count)
        for m in c.members {
            let e = c.evidence[m.key].map { e in JSONOut.string { JSONOut.evidence(e, &$0) } }
            evidence.append(e)
            hashes.append(StoredIncidents.evidenceHash(e))
        }
        mergePhases.lap(.linkEvidence)
        return PreparedIncident(record: record, rows: c.rows, evidence: evidence, hashes: hashes)
    }

    /// Writes a merge's incidents and links (inside the caller's transaction).
    func writeMerged(_ out: MergeOutput, _ db: Database) throws -> IngestSummary {
        var stored = self.storedIncidents ?? StoredIncidents(held: false)
        self.storedIncidents = nil
        defer { self.storedIncidents = stored }
        phases.start()
        try write(out, &stored, db)
        phases.lap(.incidents)
        var summary = IngestSummary()
        summary.incidentsWritten = out.upserts.count
        summary.incidentsDeleted = out.deleted.count
        return summary
    }

    /// Loads what the writer keeps of the database when it does not hold it: the merge state, the
    /// stored incidents, the band index, and a killed run's unmerged batch.
    func ensureLoaded(_ db: Database) throws {
        guard !loaded else { return }
        guard outstanding == nil else {
            throw StoreError(path: path, reason: "the merge state cannot be loaded while a merge is outstanding")
        }
        let t0 = threadCPUSeconds()
        let regrouped = try Self.pendingRegroups(db)
        let (engine, stored, unmerged) = try loadEngine(db)
        var pending = unmerged
        pending.regrouped = regrouped ?? [:]
        self.engine = engine
        storedIncidents = stored
        pendingInput = pending.isEmpty ? nil : pending
        pendingMarked = regrouped != nil
        bandIndex = try BandIndex.load(db, path: path)
        loaded = true
        loadCPUSeconds += threadCPUSeconds() - t0
    }

    /// Drops what the writer keeps (a transaction rolled back), once the merge under way has
    /// ended: the next ingest loads it again.
    func unload() {
        _ = outcome(outstanding)
        outstanding = nil
        engine = nil
        bandIndex = nil
        storedIncidents = nil
        pendingInput = nil
        loaded = false
    }

    /// Adds a merge's CPU seconds (from the merge thread).
    func addMergeCPU(_ seconds: Double) {
        mergeLock.lock()
        mergeCPU += seconds
        mergeLock.unlock()
    }

    /// CPU seconds of the merges of pipelined ingests so far (the merge thread's).
    public var mergeCPUSeconds: Double {
        mergeLock.lock()
        defer { mergeLock.unlock() }
        return mergeCPU
    }

    /// Sets the `merge_pending` marker to `regrouped` (as JSON), or removes it (nil).
    func markPending(_ regrouped: [String: String]?, _ db: Database) throws {
        if let regrouped {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys  // deterministic bytes
            let json = String(decoding: try encoder.encode(regrouped), as: UTF8.self)
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('merge_pending', ?)", arguments: [json])
            pendingMarked = true
        } else if pendingMarked {
            try db.execute(sql: "DELETE FROM meta WHERE key = 'merge_pending'")
            pendingMarked = false
        }
    }

    /// The articles regrouped by a stored but unmerged batch, nil when no batch waits.
    static func pendingRegroups(_ db: Database) throws -> [String: String]? {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'merge_pending'") else {
            return nil
        }
        return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    }
}
