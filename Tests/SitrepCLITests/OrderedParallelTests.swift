import Foundation
import SitrepCorpus
import SitrepExtract
import SitrepIngest
import Testing

@testable import SitrepAnnotate
@testable import sitrep

/// `OrderedParallel.mapBatches`: results in input order, a bounded window, and each job's state
/// used by that job alone, one batch at a time.
@Suite struct OrderedParallelTests {
    /// A job's state: counts the batches running with it at once (more than one is a violation)
    /// and records the elements it transformed.
    final class Probe: @unchecked Sendable {
        let id: Int
        private let lock = NSLock()
        private var running = 0
        private(set) var overlaps = 0
        private(set) var seen: [Int] = []

        init(id: Int) { self.id = id }

        func enter() {
            lock.lock()
            running += 1
            if running > 1 { overlaps += 1 }
            lock.unlock()
        }

        func leave(_ elements: [Int]) {
            lock.lock()
            running -= 1
            seen += elements
            lock.unlock()
        }
    }

    /// Elements made by `next` and not yet consumed, at most.
    final class Window: @unchecked Sendable {
        var outstanding = 0
        var most = 0
    }

    static func run(jobs: Int, count: Int, batch: Int, window: Int?) async -> (out: [Int], probes: [Probe], most: Int) {
        let probes = (0..<jobs).map { Probe(id: $0) }
        var i = 0
        var out: [Int] = []
        let w = Window()
        await OrderedParallel.mapBatches(
            states: probes, batch: batch, window: window,
            next: { () -> Int? in
                guard i < count else { return nil }
                defer { i += 1 }
                w.outstanding += 1
                w.most = max(w.most, w.outstanding)
                return i
            },
            transform: { probe, elements -> [Int] in
                probe.enter()
                // uneven work, so that batches finish out of order
                var x = 0
                for k in 0..<((elements.first ?? 0) % 7) * 20_000 { x &+= k }
                probe.leave(elements)
                return elements.map { $0 * 2 + (x == -1 ? 1 : 0) }
            },
            consume: { results in
                w.outstanding -= results.count
                out += results
            })
        return (out, probes, w.most)
    }

    @Test(arguments: [1, 2, 3, 5])
    func resultsInInputOrderEachStateOneBatchAtATime(jobs: Int) async {
        let count = 1_000
        let (out, probes, most) = await Self.run(jobs: jobs, count: count, batch: 3, window: nil)
        #expect(out == (0..<count).map { $0 * 2 })
        // each element went to exactly one job, and no state ran two batches at once
        #expect(probes.flatMap(\.seen).sorted() == Array(0..<count))
        #expect(probes.allSatisfy { $0.overlaps == 0 })
        // the default window: 4 batches per job (the inline path holds one batch)
        #expect(most <= (jobs == 1 ? 1 : 4 * jobs) * 3)
        if jobs > 1 {
            // every job got work (a batch goes to the job with the fewest queued)
            #expect(probes.allSatisfy { !$0.seen.isEmpty })
        }
    }

    @Test func windowBoundsTheElementsInFlight() async {
        let (out, _, most) = await Self.run(jobs: 2, count: 500, batch: 4, window: 3)
        #expect(out == (0..<500).map { $0 * 2 })
        #expect(most <= 3 * 4)
    }

    @Test func emptyInputAndNoStates() async {
        let (out, _, _) = await Self.run(jobs: 3, count: 0, batch: 8, window: nil)
        #expect(out.isEmpty)
        var called = false
        await OrderedParallel.mapBatches(
            states: [Int](), next: { () -> Int? in 1 }, transform: { _, e in e }, consume: { _ in called = true })
        #expect(!called)
    }

    /// `map` (no state) keeps its order too, whatever the jobs.
    @Test func statelessMapKeepsOrder() async {
        for jobs in [1, 2, 4] {
            var i = 0
            var out: [String] = []
            await OrderedParallel.map(
                jobs: jobs, batch: 5,
                next: { () -> Int? in
                    guard i < 200 else { return nil }
                    defer { i += 1 }
                    return i
                },
                transform: { String($0) }, consume: { out.append($0) })
            #expect(out == (0..<200).map { String($0) })
        }
    }
}

/// `extract --jobs N` gives each job an extractor loaded for it alone (`Extractor.english(jobs:)`).
@Suite struct PerJobExtractorTests {
    @Test func eachJobOwnsItsExtractorAndAllAgree() throws {
        let one = try Extractor.english(jobs: 1)
        let three = try Extractor.english(jobs: 3)
        #expect(one.count == 1)
        #expect(three.count == 3)
        // what a tagger writes per document is each job's own: three scratch pools, not one
        let pools = Set(three.map { ObjectIdentifier($0.annotator.time.scratchPool) })
        #expect(pools.count == 3)
        #expect(Set(three.map { ObjectIdentifier($0.annotator.actors.scratchPool) }).count == 3)
        // the place tagger's tables are loaded once per process and only read
        let places = Set(three.map { ObjectIdentifier($0.annotator.places.refCache) })
        #expect(places.count == 1)
        let g = try CorpusGenerator.english(seed: 12)
        for i in 0..<6 {
            let a = g.article(i)
            let article = Article(id: a.id, text: a.text, published: a.published, title: a.title)
            let expected = AnalysisJSON.line(one[0].analyze(article))
            for e in three { #expect(AnalysisJSON.line(e.analyze(article)) == expected) }
        }
    }
}
