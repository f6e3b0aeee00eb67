import Foundation
import Testing

/// Runs the built `sitrep` executable (built next to the test bundle by SwiftPM, since this test
/// target depends on it) and captures its output.
enum CLI {
    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: String
    }

    static var executable: URL? {
        var candidates: [URL] = []
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sitrep"))
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("sitrep"))
        }
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("sitrep"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        guard let executable else {
            throw CLIError(message: "the sitrep executable was not found next to the test bundle")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // read both pipes concurrently with the child so a full pipe never blocks it
        let errData = LockedData()
        let errDone = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        Thread {
            errData.set(errHandle.readDataToEndOfFile())
            errDone.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errDone.wait()
        return Result(status: process.terminationStatus, stdout: outData,
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }

    struct CLIError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func set(_ d: Data) {
        lock.lock()
        data = d
        lock.unlock()
    }

    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("sitrep-cli-tests-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
