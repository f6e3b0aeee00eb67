/// A parsed JSON value, read by a strict (RFC 8259) byte-level parser.
///
/// The store keeps its own records (reports, incidents) as JSON and reads every active report
/// back when an ingest starts; Foundation's `JSONDecoder` spends ~40 µs on each, which makes
/// resuming a million-article database take minutes. This reader builds a small tree instead
/// and the record types map it by hand. It returns nil for anything invalid (bad syntax,
/// trailing bytes, invalid UTF-8 in a string, a lone surrogate escape, nesting deeper than 64).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in an `Int`.
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order (objects here are small: a linear look-up beats hashing).
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
    }

    /// Parses one JSON text (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var reader = Reader(p: bytes)
        reader.skipSpace()
        guard let v = reader.value(depth: 0) else { return nil }
        reader.skipSpace()
        return reader.i == bytes.count ? v : nil
    }

    public static func parse(_ text: String) -> JSONValue? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    /// The member `key` of an object (nil when absent or when this is not an object).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for m in members where m.key == key { return m.value }
        return nil
    }

    public var isNull: Bool { self == .null }
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    /// An integer value (a double only when it is integral and in range, as `JSONDecoder` allows).
    public var int: Int? {
        switch self {
        case .int(let v): return v
        case .double(let d):
            guard d.rounded() == d, d >= -9.2e18, d <= 9.2e18 else { return nil }
            return Int(d)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let d): return d
        default: return nil
        }
    }

    struct Reader {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func skipSpace() {
            while i < p.count {
                let b = p[i]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                i += 1
            }
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard i < p.count, depth < 64 else { return nil }
            switch p[i] {
            case 0x7B: return object(depth: depth)
            case 0x5B: return array(depth: depth)
            case 0x22: return string().map(JSONValue.string)
            case 0x74: return literal("true") ? .bool(true) : nil
            case 0x66: return literal("false") ? .bool(false) : nil
            case 0x6E: return literal("null") ? .null : nil
            default: return number()
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

        mutating func object(depth: Int) -> JSONValue? {
            i += 1  // {
            var members: [Member] = []
            skipSpace()
            if i < p.count, p[i] == 0x7D {
                i += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard i < p.count, p[i] == 0x22, let key = string() else { return nil }
                skipSpace()
                guard i < p.count, p[i] == 0x3A else { return nil }
                i += 1
                skipSpace()
                guard let v = value(depth: depth + 1) else { return nil }
                members.append(Member(key: key, value: v))
                skipSpace()
                guard i < p.count else { return nil }
                if p[i] == 0x2C {
                    i += 1
                    continue
                }
                guard p[i] == 0x7D else { return nil }
                i += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) -> JSONValue? {
            i += 1  // [
            var items: [JSONValue] = []
            skipSpace()
            if i < p.count, p[i] == 0x5D {
                i += 1
                return .array(items)
            }
            while true {
                skipSpace()
                guard let v = value(depth: depth + 1) else { return nil }
                items.append(v)
                skipSpace()
                guard i < p.count else { return nil }
                if p[i] == 0x2C {
                    i += 1
                    continue
                }
                guard p[i] == 0x5D else { return nil }
                i += 1
                return .array(items)
            }
        }

        /// A string starting at the opening quote; runs without escapes are copied whole.
        mutating func string() -> String? {
            i += 1  // "
            var out: [UInt8] = []
            var run = i
            while i < p.count {
                let b = p[i]
                if b == 0x22 {
                    let text: String?
                    if out.isEmpty {
                        text = Self.validated(UnsafeBufferPointer(rebasing: p[run..<i]))
                    } else {
                        out.append(contentsOf: p[run..<i])
                        text = out.withUnsafeBufferPointer { Self.validated($0) }
                    }
                    i += 1
                    return text
                }
                if b < 0x20 { return nil }
                if b != 0x5C {
                    i += 1
                    continue
                }
                out.append(contentsOf: p[run..<i])
                i += 1
                guard let scalar = JSONHex.escape(p, at: &i) else { return nil }
                JSONHex.append(scalar, to: &out)
                run = i
            }
            return nil
        }

        /// The string of UTF-8 bytes, nil when they are not valid UTF-8. ASCII (most of what the
        /// store writes) skips the validator.
        static func validated(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            var any: UInt8 = 0
            for b in bytes { any |= b }
            if any < 0x80 { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self)
        }

        mutating func number() -> JSONValue? {
            let start = i
            func digit(_ k: Int) -> Bool { k < p.count && p[k] >= 0x30 && p[k] <= 0x39 }
            if i < p.count, p[i] == 0x2D { i += 1 }
            guard digit(i) else { return nil }
            if p[i] == 0x30 {
                i += 1
            } else {
                while digit(i) { i += 1 }
            }
            var integral = true
            if i < p.count, p[i] == 0x2E {
                integral = false
                i += 1
                guard digit(i) else { return nil }
                while digit(i) { i += 1 }
            }
            if i < p.count, p[i] == 0x65 || p[i] == 0x45 {
                integral = false
                i += 1
                if i < p.count, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
                guard digit(i) else { return nil }
                while digit(i) { i += 1 }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
            if integral, let v = Int(text) { return .int(v) }
            return Double(text).map(JSONValue.double)
        }
    }
}

/// The four hex digits of a `\uXXXX` escape, shared by the JSON readers (this one and the
/// JSONL article reader).
public enum JSONHex {
    @inlinable
    public static func digit(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    /// The value of the four hex digits at `p[i..<i + 4]`, or nil.
    @inlinable
    public static func quad(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32? {
        guard i >= 0, i + 4 <= p.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let h = digit(p[i + k]) else { return nil }
            v = v << 4 | h
        }
        return v
    }

    /// The character a string escape stands for: `i` is just past the backslash and moves past
    /// the escape (a surrogate pair `\uD83D\uDE00` is one escape). Nil for an unknown escape, bad
    /// hex or a lone surrogate — both JSON readers decode escapes here.
    @inlinable
    public static func escape(_ p: UnsafeBufferPointer<UInt8>, at i: inout Int) -> Unicode.Scalar? {
        guard i < p.count else { return nil }
        let e = p[i]
        i += 1
        switch e {
        case 0x22, 0x5C, 0x2F: return Unicode.Scalar(e)
        case 0x62: return "\u{08}"
        case 0x66: return "\u{0C}"
        case 0x6E: return "\n"
        case 0x72: return "\r"
        case 0x74: return "\t"
        case 0x75:
            guard var v = quad(p, i) else { return nil }
            i += 4
            if v >= 0xD800 && v < 0xDC00 {
                // a high surrogate must be followed by an escaped low one
                guard i + 2 <= p.count, p[i] == 0x5C, p[i + 1] == 0x75, let low = quad(p, i + 2),
                    low >= 0xDC00, low < 0xE000
                else { return nil }
                i += 6
                v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
            } else if v >= 0xDC00 && v < 0xE000 {
                return nil
            }
            return Unicode.Scalar(v)
        default:
            return nil
        }
    }

    /// Appends the UTF-8 bytes of `scalar`.
    @inlinable
    public static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        if scalar.isASCII {
            out.append(UInt8(truncatingIfNeeded: scalar.value))
        } else if let encoded = UTF8.encode(scalar) {
            out.append(contentsOf: encoded)
        }
    }
}
