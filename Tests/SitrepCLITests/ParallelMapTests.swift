import Testing

@testable import sitrep

/// `parallelMap` (the analysing lanes of `ingest --jobs`): results in index order, and each
/// lane named to `body` is below the job count and takes the indices of its own stride, so a
/// lane's state (its extractor) is never used by two threads.
@Suite struct ParallelMapTests {
    @Test func resultsInOrderAndLanesOwnTheirStride() {
        for jobs in [1, 2, 3, 8] {
            for n in [0, 1, 5, 100] {
                let out = parallelMap(n, jobs: jobs) { lane, i in (lane, i * i) }
                #expect(out.map(\.1) == (0..<n).map { $0 * $0 }, "jobs \(jobs) n \(n)")
                let lanes = max(1, min(jobs, n))
                for (i, r) in out.enumerated() {
                    #expect(r.0 == i % lanes, "jobs \(jobs) n \(n) index \(i)")
                }
            }
        }
    }
}
