import Foundation
import SitrepText

/// Writes JSON byte for byte as Foundation's writers did for the query and export outputs
/// (`JSONSerialization` and `JSONEncoder`, compact or `.prettyPrinted`, with sorted keys and
/// unescaped slashes), straight into a byte buffer: no dictionaries, no bridging, no key sorting
/// at run time. The caller writes keys in the order Foundation sorted them (see `Export` for the
/// key lists and the tests that pin them):
/// - `JSONSerialization` sorts with a locale comparison (`.numeric`, `.caseInsensitive`), use
///   `FoundationJSON.serializationOrder` for keys not known in advance;
/// - `JSONEncoder` sorts by UTF-8 bytes.
///
/// Whitespace (both writers): `.prettyPrinted` puts every element on its own line indented two
/// spaces per level, writes `"key" : value`, and an empty container as `[` newline newline
/// indent `]`.
public struct FoundationJSON: Sendable {
    public var bytes: [UInt8] = []
    public let pretty: Bool
    var nesting = JSONNesting()
    var afterKey = false

    public init(pretty: Bool = false, capacity: Int = 1 << 16) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer (after its bytes were written out), keeping its memory.
    public mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
    }

    // MARK: structure

    @inline(__always)
    mutating func indentation(_ level: Int) {
        for _ in 0..<level {
            bytes.append(0x20)
            bytes.append(0x20)
        }
    }

    /// Before a value: nothing after a key; in an array the separator and (pretty) the indent.
    @inline(__always)
    mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard nesting.depth > 0 else { return }
        if nesting.markElement() {
            bytes.append(0x2C)
            if pretty { bytes.append(0x0A) }
        }
        if pretty { indentation(nesting.depth) }
    }

    public mutating func beginObject() {
        beforeValue()
        bytes.append(0x7B)
        if pretty { bytes.append(0x0A) }
        nesting.push()
    }

    public mutating func endObject() {
        nesting.pop()
        if pretty {
            bytes.append(0x0A)
            indentation(nesting.depth)
        }
        bytes.append(0x7D)
    }

    public mutating func beginArray() {
        beforeValue()
        bytes.append(0x5B)
        if pretty { bytes.append(0x0A) }
        nesting.push()
    }

    public mutating func endArray() {
        nesting.pop()
        if pretty {
            bytes.append(0x0A)
            indentation(nesting.depth)
        }
        bytes.append(0x5D)
    }

    public mutating func key(_ k: String) {
        if nesting.markElement() {
            bytes.append(0x2C)
            if pretty { bytes.append(0x0A) }
        }
        if pretty { indentation(nesting.depth) }
        appendString(k)
        if pretty {
            bytes.append(0x20)
            bytes.append(0x3A)
            bytes.append(0x20)
        } else {
            bytes.append(0x3A)
        }
        afterKey = true
    }

    // MARK: values

    public mutating func string(_ s: String) {
        beforeValue()
        appendString(s)
    }

    public mutating func int(_ v: Int) {
        beforeValue()
        appendInt(v)
    }

    public mutating func bool(_ v: Bool) {
        beforeValue()
        appendASCII(v ? "true" : "false")
    }

    public mutating func null() {
        beforeValue()
        appendASCII("null")
    }

    /// A `Double` as `JSONSerialization` writes it: its description without a trailing `.0`
    /// (`-0.0` is `-0`, `1e-05` stays).
    public mutating func serializedDouble(_ v: Double) {
        beforeValue()
        var s = v.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        appendASCII(s)
    }

    /// A `Double` as `JSONEncoder` writes it.
    public mutating func encodedDouble(_ v: Double) {
        beforeValue()
        appendASCII(Self.encoderText(v))
    }

    /// A `Double` of a record that `JSONEncoder` wrote and `JSONSerialization` read back and
    /// wrote again (the old JSONL `record`): as `JSONEncoder` wrote it, but a negative zero (read
    /// back as the integer 0) is `0`.
    public mutating func reparsedDouble(_ v: Double) {
        beforeValue()
        appendASCII(Self.reparsedText(v))
    }

    public mutating func field(_ k: String, _ v: String) { key(k); string(v) }
    public mutating func field(_ k: String, _ v: Int) { key(k); int(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }

    // MARK: numbers

    /// `JSONEncoder`'s text of a double: the shortest description without `.0`, except that it
    /// writes no exponent; those (rare) values are formatted by `JSONEncoder` itself.
    public static func encoderText(_ v: Double) -> String {
        var s = v.description
        if !s.utf8.contains(0x65) && v.isFinite {
            if s.hasSuffix(".0") { s.removeLast(2) }
            return s
        }
        let enc = JSONEncoder()
        guard let data = try? enc.encode([v]) else { return "null" }
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    /// The text of a double after `JSONEncoder`, `JSONSerialization.jsonObject` and
    /// `JSONSerialization.data` (the old record path); rare forms go through that path itself.
    public static func reparsedText(_ v: Double) -> String {
        if v == 0 { return "0" }
        var s = v.description
        if !s.utf8.contains(0x65) && v.isFinite {
            if s.hasSuffix(".0") { s.removeLast(2) }
            return s
        }
        let enc = JSONEncoder()
        guard let data = try? enc.encode([v]), let obj = try? JSONSerialization.jsonObject(with: data),
            let out = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "null" }
        return String(decoding: out.dropFirst().dropLast(), as: UTF8.self)
    }

    @inline(__always)
    mutating func appendASCII(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) { return done }
        bytes.append(contentsOf: s.utf8)
    }

    mutating func appendInt(_ v: Int) {
        if v >= 0 && v < 10 {
            bytes.append(UInt8(48 + v))
            return
        }
        if v < 0 {
            appendASCII(String(v))
            return
        }
        var n = v
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &tmp) { buf in
            var i = 24
            while n > 0 {
                i -= 1
                buf[i] = UInt8(48 + n % 10)
                n /= 10
            }
            bytes.append(contentsOf: buf[i...])
        }
    }

    // MARK: strings

    /// `"…"` with the escapes both Foundation writers use: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
    /// `\t`, other controls as `\u00xx`; slashes and non-ASCII as they are.
    mutating func appendString(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) { return done }
        var copy = s
        copy.withUTF8 { appendEscaped($0) }
    }

    /// Foundation's escapes: `\b` and `\f` short, other controls as `\u00XX`.
    mutating func appendEscaped(_ p: UnsafeBufferPointer<UInt8>) {
        JSONWriter.appendEscaped(p, to: &bytes, shortControlEscapes: true)
    }

    // MARK: key order

    /// `JSONSerialization`'s key order (`.sortedKeys`): a locale comparison, numeric and case
    /// insensitive ("x#9" before "x#10"). For keys not known in advance (few per object).
    public static func serializationOrder(_ keys: [String]) -> [String] {
        guard keys.count > 1 else { return keys }
        let locale = NSLocale.system
        return keys.sorted { a, b in
            a.compare(b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex,
                      locale: locale) == .orderedAscending
        }
    }

    /// `JSONEncoder`'s key order (`.sortedKeys`): UTF-8 bytes.
    public static func encoderOrder(_ keys: [String]) -> [String] {
        keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

/// Writes output in chunks: bytes gathered in a buffer go to a file descriptor whenever the
/// buffer holds more than `threshold` bytes, so memory stays bounded however large the output.
public final class ChunkedOutput {
    let fd: Int32
    let threshold: Int
    /// Set when a write failed (the rest is dropped).
    public private(set) var failed = false

    public init(fd: Int32 = STDOUT_FILENO, threshold: Int = 1 << 16) {
        self.fd = fd
        self.threshold = threshold
    }

    /// Writes `bytes` out when they exceed the threshold (`force`: always), then empties them.
    public func drain(_ bytes: inout [UInt8], force: Bool = false) {
        guard force || bytes.count >= threshold else { return }
        if !failed {
            bytes.withUnsafeBytes { p in
                guard var base = p.baseAddress else { return }
                var left = p.count
                while left > 0 {
                    let n = Foundation.write(fd, base, left)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failed = true
                        return
                    }
                    base += n
                    left -= n
                }
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends `s` to `buffer` and drains it when full.
    public func append(_ s: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: s.utf8)
        drain(&buffer)
    }
}
