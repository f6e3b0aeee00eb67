import Foundation
import SitrepStore
import Testing

/// The built `sitrep` binary, found from this source file (…/Tests/SitrepStoreTests → …/.build/debug)
/// or from `SITREP_BIN`.
enum Binary {
    static var path: String? {
        if let p = ProcessInfo.processInfo.environment["SITREP_BIN"], FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for config in ["debug", "release"] {
            let p = root.appendingPathComponent(".build/\(config)/sitrep").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}

@Suite struct CrashResumeTests {
    /// Generated news-style articles; every tenth is a wire copy of the one before (another outlet).
    static func corpus(_ n: Int) -> String {
        let towns = ["Stepanakert", "Shusha", "Martuni", "Terter", "Ganja", "Barda", "Aghdam", "Fizuli"]
        let outlets = ["Caucasus Wire", "Yerevan Daily", "Baku Times", "Highland News", "Mountain Post"]
        var out = ""
        var previous = ""
        for i in 0..<n {
            let town = towns[i % towns.count]
            let text: String
            if i % 10 == 9 {
                text = previous
            } else {
                text = "Shelling struck \(town) on day \(i % 28 + 1), officials said, and \(i % 7) people were reported killed. "
                    + "Residents of \(town) sheltered in basements as fires burned in district \(i). "
                    + "Report number \(i) notes that emergency crews worked through the night near block \(i * 7 % 101)."
                previous = text
            }
            let obj: [String: Any] = [
                "id": "g\(i)", "text": text, "published": "2020-10-\(String(format: "%02d", i % 28 + 1))",
                "source": outlets[i % outlets.count], "url": "https://example.org/\(i)",
            ]
            if let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]) {
                out += String(decoding: data, as: UTF8.self) + "\n"
            }
        }
        return out
    }

    static func run(_ bin: String, _ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func articleCount(_ db: String) -> Int {
        guard FileManager.default.fileExists(atPath: db), let s = try? SQLiteStore(path: db) else { return 0 }
        return (try? s.counts()["articles"]) ?? 0
    }

    @Test(.enabled(if: Binary.path != nil, "the sitrep binary is not built: run `swift build` first (or set SITREP_BIN)"))
    func killedIngestResumesToTheSameDatabase() throws {
        let bin = try #require(Binary.path)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sitrep-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("corpus.jsonl").path
        let n = 2000
        try Data(Self.corpus(n).utf8).write(to: URL(fileURLWithPath: input))
        let whole = dir.appendingPathComponent("whole.db").path
        let killed = dir.appendingPathComponent("killed.db").path

        let p1 = try Self.run(bin, ["ingest", "--db", whole, "--batch", "50", "--quiet", input])
        p1.waitUntilExit()
        #expect(p1.terminationStatus == 0)
        #expect(Self.articleCount(whole) == n)

        // Start, wait until some batches are committed, then SIGKILL mid-ingest.
        let p2 = try Self.run(bin, ["ingest", "--db", killed, "--batch", "50", "--quiet", input])
        let deadline = Date().addingTimeInterval(60)
        while Self.articleCount(killed) < 100 && p2.isRunning && Date() < deadline { usleep(20_000) }
        let interrupted = p2.isRunning
        kill(p2.processIdentifier, SIGKILL)
        p2.waitUntilExit()
        let partial = Self.articleCount(killed)
        if interrupted {
            #expect(partial < n, "the kill came after the last commit")
            #expect(partial % 50 == 0, "only whole batches are committed")
        }
        // Resume.
        let p3 = try Self.run(bin, ["ingest", "--db", killed, "--batch", "50", "--quiet", input])
        p3.waitUntilExit()
        #expect(p3.terminationStatus == 0)
        let a = try SQLiteStore(path: whole).canonicalDump()
        let b = try SQLiteStore(path: killed).canonicalDump()
        #expect(a == b)
        #expect(Self.articleCount(killed) == n)
        // Near-duplicates were found (every tenth article is a copy).
        #expect(a.contains("\u{1F}0.") || a.contains("\u{1F}1.0"))
    }
}
