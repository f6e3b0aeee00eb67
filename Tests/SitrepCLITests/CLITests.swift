import Foundation
import Testing

/// Runs the built `sitrep` binary as a user would.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `sitrep` executable next to the test bundle (same build folder).
    static var binary: URL? {
        var dirs: [URL] = [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
        if let exe = Bundle.main.executableURL { dirs.append(exe.deletingLastPathComponent()) }
        dirs.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for dir in dirs {
            let candidate = dir.appendingPathComponent("sitrep")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
        }
        return nil
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        guard let binary else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sitrep-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite(.enabled(if: CLI.binary != nil, "the sitrep binary is not built next to the tests"))
struct CLITests {
    @Test func badInputsBeforeAGoodOne() throws {
        let dir = try CLI.tempDir()
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
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\"published\":\"2021-02-03\"") == true)
    }

    @Test func invalidUTF8IsRepairedWithAWarning() throws {
        let dir = try CLI.tempDir()
        let path = dir.appendingPathComponent("latin1.txt").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("Shells hit Gj".utf8) + Data([0xF6]) + Data("vik overnight.".utf8))
        let result = try CLI.run(["extract", path])
        #expect(result.status == 0)
        #expect(result.stderr == "sitrep: warning: \(path): invalid UTF-8 replaced with U+FFFD\n")
        #expect(result.stdout.contains("Gj\u{FFFD}vik"))
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
        let ids = result.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
        }
        #expect(ids == ["s1", "s2"])
    }

    @Test func usageErrorsExitTwo() throws {
        let result = try CLI.run(["extract", "--no-such-flag"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    @Test func examplesRunCleanly() throws {
        let result = try CLI.run(["extract", "examples/"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.split(separator: "\n").count == 7)
    }
}
