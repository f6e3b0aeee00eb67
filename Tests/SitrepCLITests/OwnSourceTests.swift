import Foundation
import SitrepIngest
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import sitrep

/// `OrderedParallel.mapBatches(sources:)`: each job reads the input itself and gets the same
/// batches, in the same order, as when the caller reads it; `SourceBatches`; and which inputs
/// `extract --jobs` may read once per job (`InputReader.canReadAgain`).
@Suite struct OwnSourceTests {
    /// Counts the sources made and the elements each job's state transformed.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var sources = 0
        private(set) var seen: [Int: [Int]] = [:]

        func madeSource() {
            lock.lock()
            sources += 1
            lock.unlock()
        }

        func saw(_ job: Int, _ elements: [Int]) {
            lock.lock()
            seen[job, default: []] += elements
            lock.unlock()
        }
    }

    static func run(jobs: Int, count: Int, batch: Int, ownSources: Bool) async -> (out: [[Int]], tally: Tally) {
        let tally = Tally()
        var out: [[Int]] = []
        let transform: @Sendable (Int, [Int]) -> [Int] = { job, elements in
            // uneven work, so that batches finish out of order
            var x = 0
            for k in 0..<((elements.first ?? 0) % 5) * 10_000 { x &+= k }
            tally.saw(job, elements)
            return elements.map { $0 * 3 + (x == -1 ? 1 : 0) }
        }
        if ownSources {
            await OrderedParallel.mapBatches(
                states: Array(0..<jobs), batch: batch,
                sources: { () -> Range<Int>.Iterator in
                    tally.madeSource()
                    return (0..<count).makeIterator()
                },
                transform: transform, consume: { out.append($0) })
        } else {
            var i = 0
            await OrderedParallel.mapBatches(
                states: Array(0..<jobs), batch: batch,
                next: { () -> Int? in
                    guard i < count else { return nil }
                    defer { i += 1 }
                    return i
                },
                transform: transform, consume: { out.append($0) })
        }
        return (out, tally)
    }

    @Test(arguments: [1, 2, 3, 5])
    func ownSourcesGiveTheCallerReadBatches(jobs: Int) async {
        for count in [0, 1, 7, 8, 9, 24, 1_000] {
            for batch in [1, 3, 8] {
                let shared = await Self.run(jobs: jobs, count: count, batch: batch, ownSources: false)
                let own = await Self.run(jobs: jobs, count: count, batch: batch, ownSources: true)
                // the same batches (not only the same elements), in input order
                #expect(own.out == shared.out, "jobs \(jobs), \(count) elements, batches of \(batch)")
                #expect(own.out.flatMap { $0 } == (0..<count).map { $0 * 3 })
                // one source per job (the inline path: one), each element transformed once
                #expect(own.tally.sources == jobs)
                #expect(own.tally.seen.values.flatMap { $0 }.sorted() == Array(0..<count))
            }
        }
    }

    @Test func sourceBatchesSkipAndEnd() {
        var source = (0..<10).makeIterator()
        var reader = SourceBatches(batch: 3)
        #expect(reader.batch(1, from: &source) == [3, 4, 5])  // batch 0 read past
        #expect(reader.position == 2)
        #expect(reader.batch(3, from: &source) == [9])  // a short last batch
        #expect(reader.batch(4, from: &source) == nil)  // past the end, and stays there
        #expect(reader.batch(9, from: &source) == nil)
        var short = (0..<4).makeIterator()
        var skipping = SourceBatches(batch: 3)
        #expect(skipping.batch(2, from: &short) == nil)  // the end met while reading past
        var exact = (0..<6).makeIterator()
        var full = SourceBatches(batch: 3)
        #expect(full.batch(1, from: &exact) == [3, 4, 5])
        #expect(full.batch(2, from: &exact) == nil)
    }

    @Test func whichInputsCanBeReadAgain() throws {
        let dir = try temporaryDirectory("reread")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        #expect(FileManager.default.createFile(atPath: path("a.jsonl"), contents: Data("{}\n".utf8)))
        #expect(FileManager.default.createFile(atPath: path("b.txt"), contents: Data("text".utf8)))
        #expect(InputReader.canReadAgain([path("a.jsonl"), path("b.txt")]))
        #expect(InputReader.canReadAgain([dir.path]))
        // a missing file fails the same way every time it is read
        #expect(InputReader.canReadAgain([path("missing.jsonl")]))
        #expect(!InputReader.canReadAgain([]))  // standard input
        #expect(!InputReader.canReadAgain(["-"]))
        #expect(!InputReader.canReadAgain([path("a.jsonl"), "-"]))
        // a pipe gives its lines once: given by name, or found in a directory
        let sub = dir.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let fifo = sub.appendingPathComponent("p.jsonl").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(!InputReader.canReadAgain([fifo]))
        #expect(!InputReader.canReadAgain([sub.path]))
        #expect(!InputReader.canReadAgain([dir.path]))
        // any other file is one unit, read whole once by the job analysing it
        let textFifo = path("q.txt")
        #expect(mkfifo(textFifo, 0o600) == 0)
        #expect(InputReader.canReadAgain([textFifo]))
    }
}
