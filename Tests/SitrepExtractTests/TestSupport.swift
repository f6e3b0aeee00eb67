import Foundation
import SitrepExtract
import SitrepIngest

/// Paths and helpers shared by the extract tests.
enum TestSupport {
    /// The package root (this file is Tests/SitrepExtractTests/TestSupport.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let examples = root.appendingPathComponent("examples").path
    static let golden = root.appendingPathComponent("Tests/SitrepExtractTests/Golden")
    /// `../shared/seeds` beside the project (present on developer machines and in CI).
    static let seeds = root.deletingLastPathComponent().appendingPathComponent("shared/seeds").path

    static let extractor: Result<Extractor, any Error> = Result { try Extractor.english() }

    /// Reads inputs and returns the contract lines, as `sitrep extract` would print them.
    static func extract(_ paths: [String]) throws -> [String] {
        let extractor = try extractor.get()
        var lines: [String] = []
        InputReader().read(paths) { item in
            if case .article(let article, _) = item {
                lines.append(String(decoding: AnalysisJSON.line(extractor.analyze(article)), as: UTF8.self))
            }
        }
        return lines
    }

    /// Parses a contract line.
    static func record(_ line: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return object
    }

    /// `text[start:end]` with Python's code point semantics.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        guard 0 <= start, start <= end, end <= scalars.count else { return "<out of range \(start)..<\(end)>" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }
}
