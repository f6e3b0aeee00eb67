import ArgumentParser
import Foundation

@main
struct Sitrep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sitrep",
        abstract: "Turns news reports about armed conflict into source-attributed event data.",
        subcommands: [Extract.self, Ingest.self, Incidents.self, Show.self, Claims.self, Tolls.self, Sources.self,
                      Export_.self, Gazetteer.self, Generate.self, StoreBench.self]
    )

    /// Runs the command; maps argument errors to exit code 2 (usage), as documented.
    static func main() async {
        do {
            var command = try parseAsRoot()
            // (before any worker thread has an allocator arena: see MallocSettings)
            if command is Extract { MallocSettings.keepFreedMemory() }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { Stderr.line(message) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Unbuffered writes to stderr.
enum Stderr {
    static func line(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }
}

/// Buffered writes to stdout, flushed in large blocks.
struct StdoutBuffer {
    var buffer: [UInt8] = []
    let limit = 1 << 20

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
