import Foundation
import Testing
@testable import SitrepIngest

@Suite struct InputReaderTests {
    func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sitrep-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func read(_ paths: [String], reader: InputReader = InputReader()) -> [InputItem] {
        var items: [InputItem] = []
        reader.read(paths) { items.append($0) }
        return items
    }

    func summary(_ items: [InputItem]) -> [String] {
        items.map {
            switch $0 {
            case .article(let a, let origin): "article \(a.id) @\(origin)"
            case .failure(let e): "failure \(e)"
            case .warning(let e): "warning \(e)"
            }
        }
    }

    @Test func badInputsAreReportedAndTheBatchGoesOn() throws {
        let dir = try tempDir()
        let empty = dir.appendingPathComponent("empty.txt").path
        let binary = dir.appendingPathComponent("blob.txt").path
        let broken = dir.appendingPathComponent("broken.txt").path
        let good = dir.appendingPathComponent("good.txt").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        _ = FileManager.default.createFile(atPath: binary, contents: Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1]))
        _ = FileManager.default.createFile(atPath: broken, contents: Data("Shells fell on the \u{0}".utf8.dropLast()) + Data([0xC3, 0x28]) + Data(" town.".utf8))
        _ = FileManager.default.createFile(atPath: good, contents: Data("Troops withdrew from the village.".utf8))
        let missing = dir.appendingPathComponent("missing.txt").path
        let items = summary(read([missing, empty, binary, broken, good]))
        #expect(items == [
            "failure \(missing): no such file or directory",
            "failure \(empty): empty file",
            "failure \(binary): binary file (NUL bytes), not text",
            "warning \(broken): invalid UTF-8 replaced with U+FFFD",
            "article \(broken) @\(broken)",
            "article \(good) @\(good)",
        ])
    }

    @Test func jsonlLinesFailOneByOne() throws {
        let dir = try tempDir()
        let path = dir.appendingPathComponent("in.jsonl").path
        let lines = [
            #"{"id": "a", "text": "First report.", "published": "2021-01-02"}"#,
            "",
            #"{"id": "b", "text": 42}"#,
            #"{not json"#,
            #"[1, 2]"#,
            #"{"id": 7, "text": "Numeric id.", "published": null}"#,
            #"{"text": "No id."}"#,
        ]
        _ = FileManager.default.createFile(atPath: path, contents: Data(lines.joined(separator: "\n").utf8))
        let items = summary(read([path]))
        #expect(items == [
            "article a @\(path):1",
            "failure \(path):3: missing string field 'text'",
            "failure \(path):4: malformed JSON line",
            "failure \(path):5: a JSONL line must be an object",
            "article 7 @\(path):6",
            "article \(path):7 @\(path):7",
        ])
    }

    @Test func oversizedLineIsSkippedNotLoaded() throws {
        let dir = try tempDir()
        let path = dir.appendingPathComponent("big.jsonl").path
        var data = Data(#"{"id": "huge", "text": ""#.utf8)
        data.append(Data(repeating: 0x61, count: 3 << 20))
        data.append(Data("\"}\n".utf8))
        data.append(Data(#"{"id": "small", "text": "After the big one."}"#.utf8))
        _ = FileManager.default.createFile(atPath: path, contents: data)
        let items = summary(read([path], reader: InputReader(maxArticleBytes: 1 << 20)))
        #expect(items == [
            "failure \(path):1: line is over the 1 MiB limit for one article; skipped",
            "article small @\(path):2",
        ])
    }

    @Test func directoriesAreWalkedInSortedOrder() throws {
        let dir = try tempDir()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b"), withIntermediateDirectories: true)
        for name in ["b/z.txt", "a.txt", "b/a.txt", "notes.md"] {
            _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data("Text of \(name).".utf8))
        }
        let items = summary(read([dir.path]))
        #expect(items == ["a.txt", "b/a.txt", "b/z.txt"].map { "article \(dir.path)/\($0) @\(dir.path)/\($0)" })
    }

    @Test func emptyDirectoryIsAFailure() throws {
        let dir = try tempDir()
        let items = summary(read([dir.path]))
        #expect(items.count == 1)
        #expect(items[0].hasPrefix("failure \(dir.path): directory holds no file of a known kind"))
    }
}
