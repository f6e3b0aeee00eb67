import SitrepMerge
import Testing

@Suite struct TollOrderTests {
    static func obs(_ low: Int, _ best: Int, _ high: Int?, article: String) -> TollObservation {
        TollObservation(claimantID: "UA.GOV", claimantName: "officials", outcome: "killed", victims: "people",
                        asOf: "2022-03-01", low: low, best: best, high: high, qualifier: high == nil ? "more-than" : "exact",
                        article: article, casualty: 0, source: "Wire", snippet: "", rule: "test")
    }

    /// Points on the same date with the same best figure but different bounds come out in one order
    /// whatever order the observations (and the hash seed) give (regression: they followed
    /// dictionary order, which changes from run to run).
    @Test func pointsWithEqualDateAndBestAreOrderedByTheirBounds() {
        let a = Self.obs(50, 55, nil, article: "a")
        let b = Self.obs(55, 55, 55, article: "b")
        let c = Self.obs(49, 55, 60, article: "c")
        let expected = [49, 50, 55]
        for input in [[a, b, c], [c, b, a], [b, a, c]] {
            let series = TollSeries.build(input)
            #expect(series.count == 1)
            #expect(series.first?.points.map(\.low) == expected)
        }
    }
}
