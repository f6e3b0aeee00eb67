import Foundation
import Testing
@testable import SitrepExtract

/// Golden outputs: `sitrep extract examples/` must print exactly `Golden/examples.jsonl`.
/// After a deliberate change, regenerate with `SITREP_UPDATE_GOLDEN=1 swift test --filter GoldenTests`
/// and review the diff.
@Suite struct GoldenTests {
    @Test func examplesMatchTheirGoldenOutput() throws {
        // ids of files are their paths: make them relative to the package so the golden file
        // does not depend on where the checkout lives
        let prefix = "\"id\":\"" + TestSupport.root.path + "/"
        let lines = try TestSupport.extract([TestSupport.examples]).map {
            $0.replacingOccurrences(of: prefix, with: "\"id\":\"")
        }
        let actual = lines.joined()
        let url = TestSupport.golden.appendingPathComponent("examples.jsonl")
        if ProcessInfo.processInfo.environment["SITREP_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: TestSupport.golden, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        let expectedLines = expected.split(separator: "\n").map(String.init)
        let actualLines = actual.split(separator: "\n").map(String.init)
        #expect(actualLines.count == expectedLines.count)
        for (a, e) in zip(actualLines, expectedLines) where a != e {
            let id = (try? TestSupport.record(a))?["id"] as? String ?? "?"
            Issue.record("golden output differs for \(id); run SITREP_UPDATE_GOLDEN=1 swift test --filter GoldenTests and review the diff")
        }
    }
}
