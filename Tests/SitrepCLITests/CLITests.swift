import Foundation
import Testing

extension CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

extension CLI.Result {
    var text: String { String(decoding: stdout, as: UTF8.self) }
}

@Suite(.enabled(if: CLI.executable != nil, "the sitrep binary is not built next to the tests"))
struct CLITests {
    @Test func badInputsBeforeAGoodOne() throws {
        let dir = try temporaryDirectory("bad-inputs")
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.txt").path
        let invalid = dir.appendingPathComponent("invalid.txt").path
        let good = dir.appendingPathComponent("good.txt").path
        let missing = dir.appendingPathComponent("missing.txt").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        _ = FileManager.default.createFile(atPath: invalid, contents: Data([0xFF, 0xFE, 0x00, 0x01, 0x80]))
        _ = FileManager.default.createFile(atPath: good, contents: Data("date 2021-02-03 Gunfire was heard near the border post.".utf8))
        let result = try CLI.run(["extract", missing, empty, invalid, good])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").map(String.init)
        #expect(errors == [
            "sitrep: \(missing): no such file or directory",
            "sitrep: \(empty): empty file",
            "sitrep: \(invalid): binary file (NUL bytes), not text",
        ])
        let lines = result.text.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\"published\":\"2021-02-03\"") == true)
    }

    @Test func invalidUTF8IsRepairedWithAWarning() throws {
        let dir = try temporaryDirectory("latin1")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("latin1.txt").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("Shells hit Gj".utf8) + Data([0xF6]) + Data("vik overnight.".utf8))
        let result = try CLI.run(["extract", path])
        #expect(result.status == 0)
        #expect(result.stderr == "sitrep: warning: \(path): invalid UTF-8 replaced with U+FFFD\n")
        #expect(result.text.contains("Gj\u{FFFD}vik"))
    }

    @Test func jsonlOnStdin() throws {
        let input = """
            {"id": "s1", "text": "Rockets hit the depot.", "published": "2021-05-06"}
            {"id": "s2", "text": "Troops crossed the river."}
            {broken
            """
        let result = try CLI.run(["extract"], stdin: Data(input.utf8))
        #expect(result.status == 1)
        #expect(result.stderr == "sitrep: <stdin>:3: malformed JSON line\n")
        let ids = result.text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
        }
        #expect(ids == ["s1", "s2"])
    }

    @Test func usageErrorsExitTwo() throws {
        let result = try CLI.run(["extract", "--no-such-flag"])
        #expect(result.status == 2)
        #expect(result.text.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    @Test func examplesRunCleanly() throws {
        let result = try CLI.run(["extract", CLI.root.appendingPathComponent("examples").path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.text.split(separator: "\n").count == 7)
    }
}
