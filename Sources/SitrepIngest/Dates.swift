import Foundation

/// Normalizes the publication dates found in headers, HTML meta tags and feeds to
/// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]`.
public enum PublishedDate {
    static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
        "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]

    /// The normalized date, or nil when `raw` is not a date sitrep understands.
    public static func normalize(_ raw: String) -> String? {
        if isPlainDay(raw) { return raw }
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let iso = isoPrefix(s) { return iso }
        return wordy(s)
    }

    /// True when `raw` is already a normalized day, `YYYY-MM-DD` (the common case in JSONL):
    /// `isoPrefix` would give it back unchanged, so no trimming and no new String is needed.
    static func isPlainDay(_ raw: String) -> Bool {
        let utf8 = raw.utf8
        guard utf8.count == 10 else { return false }
        let day: Bool? = utf8.withContiguousStorageIfAvailable { b in
            func digit(_ k: Int) -> Int? { b[k] >= 48 && b[k] <= 57 ? Int(b[k] - 48) : nil }
            guard b[4] == 0x2D, b[7] == 0x2D, let y0 = digit(0), let y1 = digit(1), let y2 = digit(2),
                let y3 = digit(3), let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9)
            else { return false }
            return valid(y0 * 1000 + y1 * 100 + y2 * 10 + y3, m0 * 10 + m1, d0 * 10 + d1)
        }
        return day ?? false
    }

    static func digits(_ chars: ArraySlice<UInt8>) -> Int? {
        guard !chars.isEmpty, chars.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return chars.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    static func pad(_ v: Int, _ width: Int = 2) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func valid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        (1000...2999).contains(y) && (1...12).contains(m) && (1...31).contains(d)
    }

    /// `2020-10-24`, `2020-10-24T10:05:00Z`, `2020-10-24 10:05`, `2020/10/24`.
    static func isoPrefix(_ s: String) -> String? {
        let b = Array(s.utf8)
        guard b.count >= 10, let y = digits(b[0..<4]), b[4] == 0x2D || b[4] == 0x2F,
            let m = digits(b[5..<7]), b[7] == b[4], let d = digits(b[8..<10]), valid(y, m, d)
        else { return nil }
        let date = "\(pad(y, 4))-\(pad(m))-\(pad(d))"
        guard b.count >= 16, b[10] == 0x54 || b[10] == 0x20, let hh = digits(b[11..<13]), b[13] == 0x3A,
            let mm = digits(b[14..<16]), hh < 24, mm < 60
        else { return date }
        var out = "\(date)T\(pad(hh)):\(pad(mm))"
        var k = 16
        if b.count >= 19, b[16] == 0x3A, let ss = digits(b[17..<19]), ss < 61 {
            out += ":\(pad(ss))"
            k = 19
            while k < b.count, b[k] == 0x2E || (b[k] >= 48 && b[k] <= 57) { k += 1 }  // fractions
        }
        if k < b.count {
            if b[k] == 0x5A { out += "Z" }
            else if (b[k] == 0x2B || b[k] == 0x2D), b.count >= k + 3, let oh = digits(b[(k + 1)..<(k + 3)]) {
                var om = 0
                if b.count >= k + 6, b[k + 3] == 0x3A, let v = digits(b[(k + 4)..<(k + 6)]) { om = v }
                else if b.count >= k + 5, let v = digits(b[(k + 3)..<(k + 5)]) { om = v }
                out += "\(b[k] == 0x2B ? "+" : "-")\(pad(oh)):\(pad(om))"
            }
        }
        return out
    }

    /// `Sat, 24 Oct 2020 10:05:00 +0000` (RFC 822), `October 24, 2020`, `24 October 2020`.
    static func wordy(_ s: String) -> String? {
        var words: [String] = []
        var current = ""
        for c in s {
            if c.isLetter || c.isNumber || c == ":" || c == "+" {
                current.append(c)
            } else if c == "-" && current.isEmpty {
                current.append(c)
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var year: Int?, month: Int?, day: Int?, time: String?, zone: String?
        for w in words {
            let lower = w.lowercased()
            if month == nil, lower.count >= 3, let m = months[String(lower.prefix(3))], lower.allSatisfy(\.isLetter) {
                month = m
            } else if let v = Int(w), w.count == 4, year == nil {
                year = v
            } else if let v = Int(w.filter(\.isNumber)), w.count <= 4, day == nil, (1...31).contains(v),
                w.first?.isNumber == true, w.count <= 2 || w.hasSuffix("th") || w.hasSuffix("st") || w.hasSuffix("nd") || w.hasSuffix("rd")
            {
                day = v
            } else if w.contains(":"), time == nil {
                let parts = w.split(separator: ":")
                if parts.count >= 2, let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 {
                    time = "\(pad(h)):\(pad(m))" + (parts.count > 2 ? ":\(pad(Int(parts[2]) ?? 0))" : "")
                }
            } else if (w.hasPrefix("+") || w.hasPrefix("-")), w.count == 5, let v = Int(w.dropFirst()) {
                zone = "\(w.hasPrefix("+") ? "+" : "-")\(pad(v / 100)):\(pad(v % 100))"
            } else if lower == "gmt" || lower == "utc" || lower == "z" {
                zone = "Z"
            }
        }
        guard let y = year, let m = month, let d = day, valid(y, m, d) else { return nil }
        var out = "\(pad(y, 4))-\(pad(m))-\(pad(d))"
        if let time {
            out += "T\(time)"
            if let zone { out += zone == "+00:00" ? "Z" : zone }
        }
        return out
    }
}
