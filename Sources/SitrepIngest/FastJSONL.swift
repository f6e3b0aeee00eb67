import SitrepText

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte-level reader for the common JSONL article line: one object whose known fields (`id`,
/// `text`, `published`, `title`, `source`, `url`) are strings or null, other fields any JSON
/// value. It validates the whole line strictly (RFC 8259) and builds the `Article` directly from
/// the bytes, avoiding `JSONSerialization`'s Foundation objects. It returns nil for anything it
/// does not handle exactly — a number id, a duplicate key, a lone surrogate escape, invalid
/// JSON, deep nesting — and the caller then takes the `JSONSerialization` path, which decides
/// (and words any error) as before. So results never differ from `JSONLReader.article`.
enum FastJSONL {
    static func article(_ line: [UInt8], path: String, lineNumber: Int) -> Article? {
        var bytes = line
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes.withUnsafeBufferPointer { p -> Article? in
            var parser = Parser(p: p)
            return parser.article(path: path, lineNumber: lineNumber)
        }
    }

    struct Parser {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0

        init(p: UnsafeBufferPointer<UInt8>) {
            self.p = p
        }

        mutating func skipSpace() {
            while i < p.count {
                let b = p[i]
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 } else { break }
            }
        }

        mutating func article(path: String, lineNumber: Int) -> Article? {
            skipSpace()
            guard i < p.count, p[i] == 0x7B else { return nil }
            i += 1
            var id: String?, text: String?, published: String?, title: String?, source: String?, url: String?
            // duplicate keys: the six known ones as bits, any other in a set made only when needed
            var seenKnown: UInt8 = 0
            var seen: Set<String>?
            skipSpace()
            if i < p.count, p[i] == 0x7D {
                return nil  // {} lacks text: the slow path words the error
            }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                let bit = Self.knownKeyBit(key)
                if bit != 0 {
                    guard seenKnown & bit == 0 else { return nil }
                    seenKnown |= bit
                } else {
                    if seen == nil { seen = [] }
                    guard seen?.insert(key).inserted == true else { return nil }
                }
                skipSpace()
                guard i < p.count, p[i] == 0x3A else { return nil }
                i += 1
                skipSpace()
                guard i < p.count else { return nil }
                switch key {
                case "id", "text", "published", "title", "source", "url":
                    let value: String?
                    if p[i] == 0x22 {
                        guard let s = string() else { return nil }
                        value = s
                    } else if literal("null") {
                        value = nil
                    } else {
                        return nil
                    }
                    switch key {
                    case "id": id = value
                    case "text": text = value
                    case "published": published = value
                    case "title": title = value
                    case "source": source = value
                    default: url = value
                    }
                default:
                    guard skipValue(depth: 0) else { return nil }
                }
                skipSpace()
                guard i < p.count else { return nil }
                if p[i] == 0x2C {
                    i += 1
                    continue
                }
                guard p[i] == 0x7D else { return nil }
                i += 1
                break
            }
            skipSpace()
            guard i == p.count, let text else { return nil }
            var normalized: String?
            if let published, !published.isEmpty {
                normalized = PublishedDate.normalize(published) ?? published
            }
            return Article(id: id ?? "\(path):\(lineNumber)", text: text, published: normalized,
                           title: title, source: source, url: url)
        }

        /// A bit for each of the six article keys, 0 for any other key.
        static func knownKeyBit(_ key: String) -> UInt8 {
            switch key {
            case "id": return 1
            case "text": return 2
            case "published": return 4
            case "title": return 8
            case "source": return 16
            case "url": return 32
            default: return 0
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= p.count else { return false }
            let w = word.utf8Start
            for k in 0..<n where p[i + k] != w[k] { return false }
            i += n
            return true
        }

        /// `String(validating: bytes, as: UTF8.self)`, without its generic path: this toolchain's
        /// standard library runs that one unspecialized, four look-ups in the runtime's metadata
        /// caches per call (≈ 12 calls an article), and those caches count their readers in
        /// memory every thread writes (`extract --jobs 2`: cache lines moving between the cores).
        /// Decoded with repairs, then kept only when the bytes came back unchanged, which they do
        /// exactly when they were valid UTF-8 (a repair writes U+FFFD where they were not).
        static func validUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            var s = String(decoding: bytes, as: UTF8.self)
            let same = s.withUTF8 { utf8 -> Bool in
                guard utf8.count == bytes.count else { return false }
                guard let a = utf8.baseAddress, let b = bytes.baseAddress else { return true }  // both empty
                return memcmp(a, b, bytes.count) == 0
            }
            return same ? s : nil
        }

        /// A JSON string at `i` (which holds the opening quote); nil when invalid, when it holds
        /// invalid UTF-8, or a lone surrogate escape. Clean runs are found eight bytes at a time
        /// and copied in bulk.
        mutating func string() -> String? {
            guard i < p.count, p[i] == 0x22, let base = p.baseAddress else { return nil }
            i += 1
            let start = i
            skipClean(base)
            if i < p.count && p[i] == 0x22 {
                let s = Self.validUTF8(UnsafeBufferPointer(rebasing: p[start..<i]))
                i += 1
                return s
            }
            guard i < p.count, p[i] == 0x5C else { return nil }
            // escapes: copy the runs between them in bulk
            var out: [UInt8] = []
            out.reserveCapacity(p.count - start)
            var runStart = start
            while true {
                skipClean(base)
                guard i < p.count else { return nil }
                let b = p[i]
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i])) }
                if b == 0x22 {
                    i += 1
                    return out.withUnsafeBufferPointer(Self.validUTF8)
                }
                if b < 0x20 { return nil }
                i += 1
                // (a NUL escape is left to the full parser)
                guard let scalar = JSONHex.escape(p, at: &i), scalar.value != 0 else { return nil }
                JSONHex.append(scalar, to: &out)
                runStart = i
            }
        }

        /// Moves `i` past bytes that need no look inside a string (not `"`, `\` or a control
        /// byte): eight at a time, then one at a time up to the next such byte or the end.
        @inline(__always)
        mutating func skipClean(_ base: UnsafePointer<UInt8>) {
            let n = p.count
            while i + 8 <= n && !JSONWriter.needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
            }
            while i < n {
                let b = base[i]
                if b == 0x22 || b == 0x5C || b < 0x20 { return }
                i += 1
            }
        }

        /// Skips any JSON value; false when invalid or nested deeper than 64.
        mutating func skipValue(depth: Int) -> Bool {
            guard depth < 64, i < p.count else { return false }
            switch p[i] {
            case 0x22:
                return string() != nil
            case 0x7B:
                i += 1
                skipSpace()
                if i < p.count, p[i] == 0x7D { i += 1; return true }
                var keys: Set<String> = []
                while true {
                    skipSpace()
                    guard let key = string(), keys.insert(key).inserted else { return false }
                    skipSpace()
                    guard i < p.count, p[i] == 0x3A else { return false }
                    i += 1
                    skipSpace()
                    guard skipValue(depth: depth + 1) else { return false }
                    skipSpace()
                    guard i < p.count else { return false }
                    if p[i] == 0x2C { i += 1; continue }
                    guard p[i] == 0x7D else { return false }
                    i += 1
                    return true
                }
            case 0x5B:
                i += 1
                skipSpace()
                if i < p.count, p[i] == 0x5D { i += 1; return true }
                while true {
                    skipSpace()
                    guard skipValue(depth: depth + 1) else { return false }
                    skipSpace()
                    guard i < p.count else { return false }
                    if p[i] == 0x2C { i += 1; continue }
                    guard p[i] == 0x5D else { return false }
                    i += 1
                    return true
                }
            case 0x74: return literal("true")
            case 0x66: return literal("false")
            case 0x6E: return literal("null")
            default:
                return number()
            }
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
        mutating func number() -> Bool {
            func digit(_ k: Int) -> Bool { k < p.count && p[k] >= 0x30 && p[k] <= 0x39 }
            if i < p.count, p[i] == 0x2D { i += 1 }
            guard digit(i) else { return false }
            if p[i] == 0x30 {
                i += 1
            } else {
                while digit(i) { i += 1 }
            }
            if i < p.count, p[i] == 0x2E {
                i += 1
                guard digit(i) else { return false }
                while digit(i) { i += 1 }
            }
            if i < p.count, p[i] == 0x65 || p[i] == 0x45 {
                i += 1
                if i < p.count, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
                guard digit(i) else { return false }
                while digit(i) { i += 1 }
            }
            return true
        }
    }
}
