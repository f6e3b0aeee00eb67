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

    /// Elements made by `next` and not yet consumed, at most, and the calls of `next` and of
    /// `consume` running at once (each must run one call at a time; the two may overlap, so
    /// the counts are locked).
    final class Window: @unchecked Sendable {
        private let lock = NSLock()
        private var outstanding = 0
        private(set) var most = 0
        private var inNext = 0
        private var inConsume = 0
        private(set) var overlaps = 0

        func made(_ n: Int) {
            lock.lock()
            outstanding += n
            most = max(most, outstanding)
            lock.unlock()
        }

        func consumed(_ n: Int) {
            lock.lock()
            outstanding -= n
            lock.unlock()
        }

        /// Counts a call of `next` (`isNext`) or `consume` for the time of `body`.
        func call<T>(next isNext: Bool, _ body: () -> T) -> T {
            lock.lock()
            if isNext { inNext += 1 } else { inConsume += 1 }
            if inNext > 1 || inConsume > 1 { overlaps += 1 }
            lock.unlock()
            let result = body()
            usleep(isNext ? 0 : 20)  // (a slow consumer: the other jobs leave results meanwhile)
            lock.lock()
            if isNext { inNext -= 1 } else { inConsume -= 1 }
            lock.unlock()
            return result
        }
    }

    static func run(jobs: Int, count: Int, batch: Int, window: Int?) -> (out: [Int], probes: [Probe], w: Window) {
        let probes = (0..<jobs).map { Probe(id: $0) }
        var i = 0
        var out: [Int] = []
        let w = Window()
        OrderedParallel.mapBatches(
            states: probes, batch: batch, window: window,
            next: { () -> Int? in
                w.call(next: true) {
                    guard i < count else { return nil }
                    defer { i += 1 }
                    w.made(1)
                    return i
                }
            },
            transform: { probe, elements -> [Int] in
                probe.enter()
                // uneven work, so that batches finish out of order, and long enough that every
                // job's thread has started before the input is all taken
                usleep(UInt32(20 + (elements.first ?? 0) % 7 * 30))
                probe.leave(elements)
                return elements.map { $0 * 2 }
            },
            consume: { results in
                w.call(next: false) {
                    w.consumed(results.count)
                    out += results
                }
            })
        return (out, probes, w)
    }

    @Test(arguments: [1, 2, 3, 5])
    func resultsInInputOrderEachStateOneBatchAtATime(jobs: Int) {
        let count = 1_000
        let (out, probes, w) = Self.run(jobs: jobs, count: count, batch: 3, window: nil)
        #expect(out == (0..<count).map { $0 * 2 })
        // each element went to exactly one job, and no state ran two batches at once
        #expect(probes.flatMap(\.seen).sorted() == Array(0..<count))
        #expect(probes.allSatisfy { $0.overlaps == 0 })
        // `next` and `consume` each one call at a time
        #expect(w.overlaps == 0)
        // the default window: 4 batches per job (the inline path holds one batch)
        #expect(w.most <= (jobs == 1 ? 1 : 4 * jobs) * 3)
        if jobs > 1 {
            // every job got work (a free job takes the next batch)
            #expect(probes.allSatisfy { !$0.seen.isEmpty })
        }
    }

    @Test func windowBoundsTheElementsInFlight() {
        let (out, _, w) = Self.run(jobs: 2, count: 500, batch: 4, window: 3)
        #expect(out == (0..<500).map { $0 * 2 })
        #expect(w.most <= 3 * 4)
        #expect(w.overlaps == 0)
        // the smallest window (one batch per job) with more jobs than cores: no job waits forever
        let (few, _, v) = Self.run(jobs: 5, count: 300, batch: 2, window: 1)
        #expect(few == (0..<300).map { $0 * 2 })
        #expect(v.most <= 5 * 2)
    }

    @Test func emptyInputAndNoStates() {
        let (out, _, _) = Self.run(jobs: 3, count: 0, batch: 8, window: nil)
        #expect(out.isEmpty)
        var called = false
        OrderedParallel.mapBatches(
            states: [Int](), next: { () -> Int? in 1 }, transform: { _, e in e }, consume: { _ in called = true })
        #expect(!called)
    }

    /// `next` is not called again once it has returned nil (an iterator need not allow it).
    @Test func nextNotCalledAfterTheEnd() {
        for jobs in [1, 2, 3] {
            var calls = 0
            var afterEnd = 0
            var ended = false
            let lock = NSLock()
            OrderedParallel.mapBatches(
                states: Array(0..<jobs), batch: 4,
                next: { () -> Int? in
                    lock.lock()
                    defer { lock.unlock() }
                    if ended { afterEnd += 1 }
                    calls += 1
                    if calls > 37 { ended = true }
                    return ended ? nil : calls
                },
                transform: { _, e in e.count }, consume: { _ in })
            #expect(afterEnd == 0)
        }
    }

    /// `map` (no state) keeps its order too, whatever the jobs.
    @Test func statelessMapKeepsOrder() {
        for jobs in [1, 2, 4] {
            var i = 0
            var out: [String] = []
            OrderedParallel.map(
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
