import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One unit of input work, cut without parsing: a JSONL line, a whole file of another kind, or a
/// problem found while walking the inputs. `InputReader.items(for:)` turns a unit into the same
/// `InputItem`s `InputReader.read` would emit for it, so units can be parsed on worker threads
/// while the cutting stays sequential (and cheap: a newline scan).
public enum InputUnit: Sendable {
    /// A non-blank JSONL line (without its newline), with the 1-based line number.
    case line(bytes: [UInt8], path: String, line: Int)
    /// A plain-text, HTML or feed file, read and parsed whole by `items(for:)`.
    case file(path: String)
    /// A problem with an input (missing file, empty directory, unreadable, oversized line, ...).
    case failure(InputError)

    /// Bytes this unit carries or names (for in-flight accounting).
    public var byteCount: Int {
        if case .line(let bytes, _, _) = self { return bytes.count }
        return 4096
    }
}

extension InputReader {
    /// Pull-style reading: the units of `paths` in input order (`-` or no path: JSONL on stdin).
    /// JSONL is streamed in 1 MiB chunks, so a large file never sits in memory whole.
    public func units(_ paths: [String]) -> InputUnitIterator {
        InputUnitIterator(reader: self, paths: paths)
    }

    /// The items `read` emits for one unit, in order.
    public func items(for unit: InputUnit) -> [InputItem] {
        var out: [InputItem] = []
        switch unit {
        case .failure(let error):
            out.append(.failure(error))
        case .file(let path):
            readFile(path) { out.append($0) }
        case .line(let bytes, let path, let line):
            if let article = JSONLReader.article(
                line: bytes[...], path: path, lineNumber: line, reader: self, emit: { out.append($0) })
            {
                out.append(.article(article, origin: "\(path):\(line)"))
            }
        }
        return out
    }
}

/// Cuts inputs into `InputUnit`s one at a time (see `InputReader.units`). Not thread-safe: one
/// consumer pulls, workers parse the units.
public final class InputUnitIterator: IteratorProtocol {
    let reader: InputReader
    var paths: [String]
    var pathIndex = 0
    /// Files found by walking a directory, still to visit.
    var pendingFiles: [String] = []
    var pendingFileIndex = 0
    var cursor: JSONLCursor?
    var queued: [InputUnit] = []

    init(reader: InputReader, paths: [String]) {
        self.reader = reader
        self.paths = paths.isEmpty ? ["-"] : paths
    }

    public func next() -> InputUnit? {
        while true {
            if !queued.isEmpty { return queued.removeFirst() }
            if let c = cursor {
                if let unit = c.next() { return unit }
                cursor = nil
                continue
            }
            if pendingFileIndex < pendingFiles.count {
                let file = pendingFiles[pendingFileIndex]
                pendingFileIndex += 1
                open(file)
                continue
            }
            guard pathIndex < paths.count else { return nil }
            let path = paths[pathIndex]
            pathIndex += 1
            if path == "-" {
                cursor = JSONLCursor(handle: FileHandle.standardInput, path: "<stdin>", closes: false,
                                     maxLine: reader.maxArticleBytes)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return .failure(InputError(path: path, reason: "no such file or directory"))
            }
            if isDirectory.boolValue {
                pendingFiles = InputReader.walk(path)
                pendingFileIndex = 0
                if pendingFiles.isEmpty {
                    let kinds = InputReader.knownExtensions.sorted().joined(separator: ", ")
                    return .failure(InputError(path: path, reason: "directory holds no file of a known kind (\(kinds))"))
                }
            } else {
                open(path)
            }
        }
    }

    func open(_ path: String) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "jsonl" else {
            queued.append(.file(path: path))
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            queued.append(.failure(InputError(path: path, reason: reader.unreadableReason(path))))
            return
        }
        cursor = JSONLCursor(handle: handle, path: path, closes: true, maxLine: reader.maxArticleBytes)
    }
}

/// Streams the lines of one JSONL input; same rules as `InputReader.readJSONL`.
final class JSONLCursor {
    let handle: FileHandle
    let path: String
    let closes: Bool
    let maxLine: Int
    var chunk: [UInt8] = []
    var position = 0
    var buffer: [UInt8] = []
    var lineNumber = 0
    var skippingOversized = false
    var sawAnyByte = false
    var finished = false
    var tail: [InputUnit] = []

    init(handle: FileHandle, path: String, closes: Bool, maxLine: Int) {
        self.handle = handle
        self.path = path
        self.closes = closes
        self.maxLine = maxLine
    }

    deinit {
        if closes { try? handle.close() }
    }

    var oversized: InputUnit {
        .failure(InputError(path: path, line: lineNumber,
                            reason: "line is over the \(maxLine >> 20) MiB limit for one article; skipped"))
    }

    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    func next() -> InputUnit? {
        while true {
            if finished {
                return tail.isEmpty ? nil : tail.removeFirst()
            }
            if position < chunk.count {
                let newline: Int? = chunk.withUnsafeBufferPointer { p -> Int? in
                    guard let base = p.baseAddress,
                        let hit = memchr(base + position, 0x0A, p.count - position)
                    else { return nil }
                    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                }
                guard let nl = newline else {
                    if !skippingOversized { buffer.append(contentsOf: chunk[position...]) }
                    position = chunk.count
                    if buffer.count > maxLine {
                        buffer.removeAll()
                        skippingOversized = true
                    }
                    continue
                }
                let start = position
                position = nl + 1
                lineNumber += 1
                if skippingOversized {
                    skippingOversized = false
                    buffer.removeAll()
                    return oversized
                }
                let line: [UInt8]
                if buffer.isEmpty {
                    line = Array(chunk[start..<nl])
                } else {
                    buffer.append(contentsOf: chunk[start..<nl])
                    line = buffer
                    buffer.removeAll(keepingCapacity: buffer.count < (4 << 20))
                }
                if Self.isBlank(line[...]) { continue }
                return .line(bytes: line, path: path, line: lineNumber)
            }
            // refill
            let data: Data?
            do {
                data = try handle.read(upToCount: 1 << 20)
            } catch {
                finished = true
                return .failure(InputError(path: path, line: lineNumber + 1,
                                           reason: "read failed: \(error.localizedDescription)"))
            }
            guard let data, !data.isEmpty else {
                finished = true
                if skippingOversized {
                    lineNumber += 1
                    tail.append(oversized)
                } else if !buffer.isEmpty {
                    lineNumber += 1
                    if !Self.isBlank(buffer[...]) { tail.append(.line(bytes: buffer, path: path, line: lineNumber)) }
                    buffer = []
                }
                if !sawAnyByte && path != "<stdin>" {
                    tail.append(.failure(InputError(path: path, reason: "empty file")))
                }
                continue
            }
            sawAnyByte = true
            chunk = [UInt8](data)
            position = 0
        }
    }
}
