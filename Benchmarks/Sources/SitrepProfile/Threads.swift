import Foundation
import SitrepExtract
import SitrepIngest

#if canImport(Glibc)
import Glibc
#endif

/// `SitrepProfile threadsN ARTICLES [SEED]` (N = 1, 2, 3): whole extraction (`analyze` + `AnalysisJSON.line`)
/// over the corpus split over N threads (article k on thread k % N), each thread timing its own
/// CPU (`CLOCK_THREAD_CPUTIME_ID`). With `SITREP_SEPARATE=1` in the environment every thread
/// loads an extractor of its own (shared between the threads then: the place tagger and
/// gazetteer, loaded once per process, and the actor scratch pool): the sum of the threads' CPU
/// against one thread's, shared and separate, tells what sharing the language data costs. Run it
/// under `chrt -f 10` on a machine shared with other work, so that the two threads do run at once.
enum Threads {
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    final class Results: @unchecked Sendable {
        var cpu: [Double]
        var sums: [Int]
        init(_ n: Int) {
            cpu = Array(repeating: 0, count: n)
            sums = Array(repeating: 0, count: n)
        }
    }

    static func run(threads n: Int, articles: [Article], extractor: Extractor, separate: Bool) throws -> Int {
        let extractors = try (0..<n).map { k in k == 0 || !separate ? extractor : try Extractor.english() }
        let results = Results(n)
        let start = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let clock = ContinuousClock()
        for k in 0..<n {
            let e = extractors[k]
            let thread = Thread {
                start.wait()
                let c0 = cpuSeconds()
                var sum = 0
                for i in stride(from: k, to: articles.count, by: n) {
                    sum &+= AnalysisJSON.line(e.analyze(articles[i])).count
                }
                results.cpu[k] = cpuSeconds() - c0
                results.sums[k] = sum
                done.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        let t0 = clock.now
        for _ in 0..<n { start.signal() }
        for _ in 0..<n { done.wait() }
        let (s, atto) = (clock.now - t0).components
        let wall = Double(s) + Double(atto) / 1e18
        let cpu = results.cpu.map { String(format: "%.3f", $0) }.joined(separator: " + ")
        FileHandle.standardError.write(Data(String(
            format: "threads %d%@: cpu %@ = %.3f s, wall %.3f s\n", n, separate ? " (separate extractors)" : "",
            cpu, results.cpu.reduce(0, +), wall).utf8))
        return results.sums.reduce(0, &+)
    }
}

