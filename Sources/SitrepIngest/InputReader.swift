import Foundation

/// Reads every kind of input — JSONL (file or stdin), plain text, HTML, RSS/Atom, directories —
/// and yields articles and per-input errors in input order. Never throws and never traps on bad
/// input: each problem becomes one `InputItem.failure` and reading goes on. JSONL is streamed
/// line by line, so a large file never sits in memory whole.
public struct InputReader: Sendable {
    /// Largest single article line or file accepted, in bytes.
    public var maxArticleBytes: Int
    /// File extensions read when walking a directory.
    public static let knownExtensions: Set<String> = ["txt", "jsonl", "html", "htm", "xml", "rss", "atom"]

    public init(maxArticleBytes: Int = 64 << 20) {
        self.maxArticleBytes = maxArticleBytes
    }

    /// Reads the inputs named on a command line. `-` (or no input) means JSONL on stdin.
    public func read(_ paths: [String], emit: (InputItem) -> Void) {
        if paths.isEmpty {
            readJSONL(handle: FileHandle.standardInput, path: "<stdin>", emit: emit)
            return
        }
        for path in paths {
            if path == "-" {
                readJSONL(handle: FileHandle.standardInput, path: "<stdin>", emit: emit)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                emit(.failure(InputError(path: path, reason: "no such file or directory")))
                continue
            }
            if isDirectory.boolValue {
                let files = Self.walk(path)
                if files.isEmpty {
                    emit(.failure(InputError(path: path, reason: "directory holds no file of a known kind (\(Self.knownExtensions.sorted().joined(separator: ", ")))")))
                }
                for file in files { readFile(file, emit: emit) }
            } else {
                readFile(path, emit: emit)
            }
        }
    }

    /// Files of known kinds under `directory`, recursively, in sorted path order.
    public static func walk(_ directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let ext = (relative as NSString).pathExtension.lowercased()
            guard knownExtensions.contains(ext) else { continue }
            let full = directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }

    /// Reads one file according to its extension (unknown extensions are read as plain text).
    public func readFile(_ path: String, emit: (InputItem) -> Void) {
        let ext = (path as NSString).pathExtension.lowercased()
        if ext == "jsonl" {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                emit(.failure(InputError(path: path, reason: unreadableReason(path))))
                return
            }
            defer { try? handle.close() }
            readJSONL(handle: handle, path: path, emit: emit)
            return
        }
        guard let bytes = loadFile(path, emit: emit) else { return }
        guard let text = decodeText(bytes, path: path, emit: emit) else { return }
        switch ext {
        case "html", "htm":
            switch HTMLReader.article(html: text, id: path) {
            case .success(let article): emit(.article(article, origin: path))
            case .failure(let reason): emit(.failure(InputError(path: path, reason: reason.message)))
            }
        case "xml", "rss", "atom":
            let result = FeedReader.articles(xml: text, path: path)
            for article in result.articles { emit(.article(article, origin: path)) }
            for problem in result.problems { emit(.failure(InputError(path: path, reason: problem))) }
        default:
            let article = PlainTextReader.article(id: path, text: text)
            if article.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                emit(.failure(InputError(path: path, reason: "no article text after the header")))
            } else {
                emit(.article(article, origin: path))
            }
        }
    }

    func unreadableReason(_ path: String) -> String {
        FileManager.default.isReadableFile(atPath: path) ? "cannot open file" : "permission denied"
    }

    /// Whole-file read for the non-streaming kinds, with size, emptiness and binary checks.
    func loadFile(_ path: String, emit: (InputItem) -> Void) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            emit(.failure(InputError(path: path, reason: unreadableReason(path))))
            return nil
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > maxArticleBytes {
            emit(.failure(InputError(path: path, reason: "file is \(size >> 20) MiB, over the \(maxArticleBytes >> 20) MiB limit for one document")))
            return nil
        }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            emit(.failure(InputError(path: path, reason: "read failed: \(error.localizedDescription)")))
            return nil
        }
        if data.isEmpty {
            emit(.failure(InputError(path: path, reason: "empty file")))
            return nil
        }
        let bytes = [UInt8](data)
        if Self.looksBinary(bytes) {
            emit(.failure(InputError(path: path, reason: "binary file (NUL bytes), not text")))
            return nil
        }
        return bytes
    }

    /// A NUL byte in the first 8 KiB marks a binary file.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }

    /// Decodes UTF-8, replacing invalid sequences with U+FFFD and warning once.
    func decodeText(_ bytes: [UInt8], path: String, line: Int? = nil, emit: (InputItem) -> Void) -> String? {
        if let s = String(validating: bytes, as: UTF8.self) {
            return s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s
        }
        emit(.warning(InputError(path: path, line: line, reason: "invalid UTF-8 replaced with U+FFFD")))
        let s = String(decoding: bytes, as: UTF8.self)
        return s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s
    }

    /// Streams JSONL: one article per non-empty line.
    func readJSONL(handle: FileHandle, path: String, emit: (InputItem) -> Void) {
        var buffer: [UInt8] = []
        var lineNumber = 0
        var articles = 0
        var skippingOversized = false
        var sawAnyByte = false

        func process(_ line: ArraySlice<UInt8>) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            switch JSONLReader.article(line: line, path: path, lineNumber: lineNumber, reader: self, emit: emit) {
            case .some(let article):
                articles += 1
                emit(.article(article, origin: "\(path):\(lineNumber)"))
            case .none:
                break
            }
        }

        while true {
            let chunk: Data
            do {
                guard let c = try handle.read(upToCount: 1 << 20), !c.isEmpty else { break }
                chunk = c
            } catch {
                emit(.failure(InputError(path: path, line: lineNumber + 1, reason: "read failed: \(error.localizedDescription)")))
                return
            }
            sawAnyByte = true
            var start = chunk.startIndex
            chunk.withUnsafeBytes { raw in
                let p = raw.bindMemory(to: UInt8.self)
                var k = 0
                start = 0
                while k < p.count {
                    if p[k] == 0x0A {
                        if skippingOversized {
                            skippingOversized = false
                            lineNumber += 1
                            emit(.failure(InputError(path: path, line: lineNumber, reason: "line is over the \(maxArticleBytes >> 20) MiB limit for one article; skipped")))
                        } else {
                            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<k]))
                            process(buffer[...])
                        }
                        buffer.removeAll(keepingCapacity: buffer.count < (4 << 20))
                        start = k + 1
                    }
                    k += 1
                }
                if !skippingOversized && start < p.count {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<p.count]))
                }
            }
            if buffer.count > maxArticleBytes {
                buffer.removeAll()
                skippingOversized = true
            }
        }
        if skippingOversized {
            lineNumber += 1
            emit(.failure(InputError(path: path, line: lineNumber, reason: "line is over the \(maxArticleBytes >> 20) MiB limit for one article; skipped")))
        } else if !buffer.isEmpty {
            process(buffer[...])
        }
        if !sawAnyByte {
            if path != "<stdin>" { emit(.failure(InputError(path: path, reason: "empty file"))) }
        } else if articles == 0 && lineNumber > 0 && path != "<stdin>" {
            // every line failed or was blank: the per-line errors were already emitted
        }
    }
}

/// Parses one JSONL line into an article.
enum JSONLReader {
    static func article(
        line: ArraySlice<UInt8>, path: String, lineNumber: Int, reader: InputReader, emit: (InputItem) -> Void
    ) -> Article? {
        func fail(_ reason: String) -> Article? {
            emit(.failure(InputError(path: path, line: lineNumber, reason: reason)))
            return nil
        }
        var bytes = Array(line)
        // the byte-level reader first: it declines anything it does not handle exactly, and
        // Foundation's parser then decides (and words any error)
        if let article = FastJSONL.article(bytes, path: path, lineNumber: lineNumber) { return article }
        if bytes.last == 0x0D { bytes.removeLast() }
        if String(validating: bytes, as: UTF8.self) == nil {
            emit(.warning(InputError(path: path, line: lineNumber, reason: "invalid UTF-8 replaced with U+FFFD")))
            bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            return fail("malformed JSON line")
        }
        guard let dict = object as? [String: Any] else { return fail("a JSONL line must be an object") }
        guard let text = dict["text"] as? String else { return fail("missing string field 'text'") }
        let id: String
        switch dict["id"] {
        case let s as String: id = s
        case let n as NSNumber: id = n.stringValue
        default: id = "\(path):\(lineNumber)"
        }
        var published: String?
        if let p = dict["published"] as? String, !p.isEmpty {
            published = PublishedDate.normalize(p) ?? p
        }
        return Article(
            id: id, text: text, published: published,
            title: dict["title"] as? String, source: dict["source"] as? String, url: dict["url"] as? String)
    }
}
