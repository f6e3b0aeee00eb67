import Foundation

/// An error in a language-data file, naming the file and the line.
public struct LanguageDataError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int?
    public let reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}

/// One row of a TSV lexicon: its cells by column name, and where it came from.
public struct LexiconRow: Sendable {
    public let cells: [String: String]
    /// 1-based line number in the file (the header is line 1).
    public let line: Int
    /// Provenance tag: `file#line`, recorded on every mention the row produces.
    public let provenance: String

    public subscript(_ column: String) -> String {
        cells[column] ?? ""
    }

    /// The cell, or nil when it is empty.
    public func optional(_ column: String) -> String? {
        guard let v = cells[column], !v.isEmpty else { return nil }
        return v
    }
}

/// A TSV lexicon with a header row. Lines starting with `#` and blank lines are skipped.
public struct Lexicon: Sendable {
    public let name: String
    public let columns: [String]
    public let rows: [LexiconRow]

    /// Parses TSV text. Every row must have at most as many cells as the header; missing trailing
    /// cells are empty. `required` columns must exist in the header and be non-empty in every row.
    public init(name: String, text: String, required: [String] = []) throws {
        self.name = name
        var columns: [String] = []
        var rows: [LexiconRow] = []
        var lineNumber = 0
        // split on bytes: a newline or tab is one byte, and byte splitting skips grapheme breaking
        for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = rawLine
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            if bytes.isEmpty || bytes.first == 0x23 { continue }
            let cells = bytes.split(separator: 0x09, omittingEmptySubsequences: false).map { Self.trimmed(Substring($0)) }
            if columns.isEmpty {
                columns = cells
                for column in required where !columns.contains(column) {
                    throw LanguageDataError(file: name, line: lineNumber, reason: "header lacks required column '\(column)'")
                }
                continue
            }
            if cells.count > columns.count {
                throw LanguageDataError(
                    file: name, line: lineNumber,
                    reason: "\(cells.count) cells but the header has \(columns.count) columns")
            }
            var dict: [String: String] = [:]
            for (i, column) in columns.enumerated() {
                dict[column] = i < cells.count ? cells[i] : ""
            }
            for column in required where (dict[column] ?? "").isEmpty {
                throw LanguageDataError(file: name, line: lineNumber, reason: "empty required cell '\(column)'")
            }
            rows.append(LexiconRow(cells: dict, line: lineNumber, provenance: "\(name)#\(lineNumber)"))
        }
        if columns.isEmpty {
            throw LanguageDataError(file: name, reason: "no header row")
        }
        self.columns = columns
        self.rows = rows
    }
}

extension Lexicon {
    /// A cell without surrounding whitespace (`trimmingCharacters(in: .whitespaces)`), skipping
    /// Foundation when the cell starts and ends with a visible ASCII byte (nearly every cell).
    static func trimmed(_ cell: Substring) -> String {
        let u = cell.utf8
        guard let f = u.first, let l = u.last, f > 0x20, f < 0x80, l > 0x20, l < 0x80 else {
            return cell.trimmingCharacters(in: .whitespaces)
        }
        return String(cell)
    }
}

/// Access to the bundled language resources (`Resources/<lang>/...`).
public enum LanguageResources {
    /// The directory holding the bundled resources, e.g. `.../Resources`.
    public static let root: URL? = locateRoot(Bundle.module, probe: "en")

    /// Finds the folder that holds a bundle's copied `Resources` directory: Foundation on Linux
    /// reports `resourceURL` as the bundle itself or its `Resources` child depending on layout.
    public static func locateRoot(_ bundle: Bundle, probe: String) -> URL? {
        let candidates = [
            bundle.bundleURL.appendingPathComponent("Resources", isDirectory: true),
            bundle.resourceURL?.appendingPathComponent("Resources", isDirectory: true),
            bundle.resourceURL,
        ].compactMap { $0 }
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent(probe).path)
        }
    }

    /// Reads a bundled resource file as UTF-8 text. `path` is relative to `Resources/`,
    /// e.g. `en/segment/abbreviations.tsv`.
    public static func text(_ path: String) throws -> String {
        guard let root else {
            throw LanguageDataError(file: path, reason: "the language resource bundle is missing")
        }
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LanguageDataError(file: path, reason: "resource not found at \(url.path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LanguageDataError(file: path, reason: "resource is not valid UTF-8")
        }
        return text
    }

    /// Reads and decodes a bundled JSON resource, with a located error on failure.
    public static func json<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        let text = try self.text(path)
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw LanguageDataError(file: path, reason: describe(error))
        }
    }

    /// Loads a bundled TSV lexicon.
    public static func lexicon(_ path: String, required: [String] = []) throws -> Lexicon {
        try Lexicon(name: path, text: text(path), required: required)
    }

    /// Lists resource files under a directory (relative paths, sorted).
    public static func files(under directory: String, suffix: String) -> [String] {
        guard let root else { return [] }
        let dir = root.appendingPathComponent(directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { "\(directory)/\($0)" }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "at \(path(c.codingPath)): \(c.debugDescription)"
        case .keyNotFound(let key, let c):
            return "at \(path(c.codingPath)): missing key '\(key.stringValue)'"
        @unknown default:
            return "\(error)"
        }
    }
}
