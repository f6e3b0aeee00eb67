/// A tolerant byte-level scanner for HTML and XML: tags with attributes, text, comments,
/// CDATA. Malformed markup never fails: an unclosed tag or comment ends the input, stray `<`
/// is text. Tag and attribute names are lowercased.
struct MarkupScanner {
    enum Event {
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
        case text(String)
        /// `<![CDATA[...]]>` content, verbatim.
        case cdata(String)
    }

    let bytes: [UInt8]
    var i = 0
    /// Elements whose content is raw text up to their end tag.
    let rawText: Set<String>
    /// Whether the input ended inside a construct (an unclosed tag, comment or CDATA section).
    private(set) var truncated = false

    init(_ text: String, rawText: Set<String> = ["script", "style"]) {
        bytes = Array(text.utf8)
        self.rawText = rawText
    }

    /// Calls `visit` for each event until the end or until `visit` returns false.
    mutating func scan(_ visit: (Event) -> Bool) {
        let n = bytes.count
        var textStart = 0
        func flushText(_ end: Int) -> Bool {
            guard end > textStart else { return true }
            let s = String(decoding: bytes[textStart..<end], as: UTF8.self)
            return visit(.text(Entities.decode(s)))
        }
        while i < n {
            guard bytes[i] == 0x3C, i + 1 < n else {  // '<'
                i += 1
                continue
            }
            let next = bytes[i + 1]
            if next == 0x21 {  // <!
                if startsWith("<!--", at: i) {
                    if !flushText(i) { return }
                    if let close = find("-->", from: i + 4) { i = close + 3 } else { truncated = true; i = n }
                    textStart = i
                    continue
                }
                if startsWith("<![CDATA[", at: i) {
                    if !flushText(i) { return }
                    let contentStart = i + 9
                    let close = find("]]>", from: contentStart)
                    if close == nil { truncated = true }
                    let end = close ?? n
                    if !visit(.cdata(String(decoding: bytes[contentStart..<end], as: UTF8.self))) { return }
                    i = close.map { $0 + 3 } ?? n
                    textStart = i
                    continue
                }
                // doctype or other declaration
                if !flushText(i) { return }
                if let close = find(">", from: i + 2) { i = close + 1 } else { truncated = true; i = n }
                textStart = i
                continue
            }
            if next == 0x3F {  // <? processing instruction
                if !flushText(i) { return }
                if let close = find("?>", from: i + 2) { i = close + 2 } else { truncated = true; i = n }
                textStart = i
                continue
            }
            let isEnd = next == 0x2F
            let nameStart = isEnd ? i + 2 : i + 1
            guard nameStart < n, Self.isNameStart(bytes[nameStart]) else {
                i += 1  // a stray '<' is text
                continue
            }
            if !flushText(i) { return }
            var k = nameStart
            while k < n, Self.isNameChar(bytes[k]) { k += 1 }
            let name = String(decoding: bytes[nameStart..<k], as: UTF8.self).lowercased()
            if isEnd {
                if let close = find(">", from: k) { i = close + 1 } else { truncated = true; i = n }
                textStart = i
                if !visit(.end(name: name)) { return }
                continue
            }
            var attributes: [String: String] = [:]
            var selfClosing = false
            // attributes
            while k < n {
                while k < n, Self.isSpace(bytes[k]) { k += 1 }
                guard k < n else { break }
                if bytes[k] == 0x3E { k += 1; break }  // >
                if bytes[k] == 0x2F { selfClosing = true; k += 1; continue }  // /
                let aStart = k
                while k < n, !Self.isSpace(bytes[k]), bytes[k] != 0x3D, bytes[k] != 0x3E, bytes[k] != 0x2F { k += 1 }
                if k == aStart { k += 1; continue }
                let attrName = String(decoding: bytes[aStart..<k], as: UTF8.self).lowercased()
                while k < n, Self.isSpace(bytes[k]) { k += 1 }
                var value = ""
                if k < n, bytes[k] == 0x3D {
                    k += 1
                    while k < n, Self.isSpace(bytes[k]) { k += 1 }
                    if k < n, bytes[k] == 0x22 || bytes[k] == 0x27 {
                        let quote = bytes[k]
                        let vStart = k + 1
                        var e = vStart
                        while e < n, bytes[e] != quote { e += 1 }
                        value = String(decoding: bytes[vStart..<e], as: UTF8.self)
                        k = Swift.min(n, e + 1)
                    } else {
                        let vStart = k
                        while k < n, !Self.isSpace(bytes[k]), bytes[k] != 0x3E { k += 1 }
                        value = String(decoding: bytes[vStart..<k], as: UTF8.self)
                    }
                }
                if attributes[attrName] == nil { attributes[attrName] = Entities.decode(value) }
            }
            if k >= n && (n == 0 || bytes[n - 1] != 0x3E) { truncated = true }
            i = k
            textStart = i
            if !visit(.start(name: name, attributes: attributes, selfClosing: selfClosing)) { return }
            if rawText.contains(name) && !selfClosing {
                // raw content up to </name
                let closeTag = "</" + name
                let close = findCaseInsensitive(closeTag, from: i) ?? n
                if close > i {
                    let raw = String(decoding: bytes[i..<close], as: UTF8.self)
                    if !visit(.text(raw)) { return }
                }
                if close < n, let gt = find(">", from: close) { i = gt + 1 } else { i = n }
                textStart = i
                if !visit(.end(name: name)) { return }
            }
        }
        _ = flushText(n)
    }

    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
    }

    static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x3A || b == 0x5F || b == 0x2E
    }

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }

    func startsWith(_ s: String, at k: Int) -> Bool {
        let u = Array(s.utf8)
        guard k + u.count <= bytes.count else { return false }
        for j in 0..<u.count where bytes[k + j] != u[j] { return false }
        return true
    }

    func find(_ s: String, from: Int) -> Int? {
        let u = Array(s.utf8)
        guard let first = u.first, from <= bytes.count - u.count else { return nil }
        var k = from
        while k <= bytes.count - u.count {
            if bytes[k] == first {
                var ok = true
                for j in 1..<u.count where bytes[k + j] != u[j] {
                    ok = false
                    break
                }
                if ok { return k }
            }
            k += 1
        }
        return nil
    }

    func findCaseInsensitive(_ s: String, from: Int) -> Int? {
        let u = Array(s.lowercased().utf8)
        guard !u.isEmpty, from <= bytes.count - u.count else { return nil }
        var k = from
        while k <= bytes.count - u.count {
            var ok = true
            for j in 0..<u.count {
                var b = bytes[k + j]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != u[j] {
                    ok = false
                    break
                }
            }
            if ok { return k }
            k += 1
        }
        return nil
    }
}

/// HTML character references: named (the ones news pages use), decimal and hex.
enum Entities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "ndash": "\u{2013}", "mdash": "\u{2014}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
        "ldquo": "\u{201C}", "rdquo": "\u{201D}", "sbquo": "\u{201A}", "bdquo": "\u{201E}",
        "hellip": "\u{2026}", "laquo": "\u{AB}", "raquo": "\u{BB}", "copy": "\u{A9}", "reg": "\u{AE}",
        "trade": "\u{2122}", "deg": "\u{B0}", "middot": "\u{B7}", "bull": "\u{2022}", "shy": "\u{AD}",
        "eacute": "é", "egrave": "è", "aacute": "á", "agrave": "à", "oacute": "ó", "uacute": "ú",
        "iacute": "í", "ntilde": "ñ", "ccedil": "ç", "uuml": "ü", "ouml": "ö", "auml": "ä",
        "szlig": "ß", "euro": "€", "pound": "£", "times": "×", "thinsp": "\u{2009}", "ensp": "\u{2002}",
        "emsp": "\u{2003}", "zwnj": "\u{200C}", "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}",
    ]

    static func decode(_ s: String) -> String {
        guard s.utf8.contains(0x26) else { return s }  // '&'
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let name = after[..<semi]
            var replacement: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                if let v = UInt32(name.dropFirst(2), radix: 16), let u = UnicodeScalar(v) { replacement = String(Character(u)) }
            } else if name.hasPrefix("#") {
                if let v = UInt32(name.dropFirst()), let u = UnicodeScalar(v) { replacement = String(Character(u)) }
            } else {
                replacement = named[String(name)]
            }
            if let replacement {
                out += replacement
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        out += rest
        return out
    }
}
