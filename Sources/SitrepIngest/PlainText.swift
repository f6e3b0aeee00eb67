/// Reads one plain-text article and the header shapes scraped files carry:
/// - `key: value` lines at the top (`title:`, `date:`/`published:`, `source:`, `url:`, `id:`);
/// - a `date YYYY-MM-DD` prefix sharing its line with the first sentence;
/// - a headline line followed by a short outlet line ("Heavy shelling hits ...", "CGTN").
/// The header is removed from `text`: output offsets refer to the body.
public enum PlainTextReader {
    public static func article(id: String, text raw: String) -> Article {
        var lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        var article = Article(id: id, text: "")

        // 1. key: value header lines
        var consumed = 0
        while consumed < lines.count {
            let line = lines[consumed]
            guard let colon = line.firstIndex(of: ":") else { break }
            let key = line[..<colon].trimmingSpaces().lowercased()
            let value = String(line[line.index(after: colon)...].trimmingSpaces())
            guard !value.isEmpty else { break }
            switch key {
            case "title", "headline": article.title = value
            case "date", "published", "publication date", "dateline":
                guard let d = PublishedDate.normalize(value) else { break }
                article.published = d
            case "source", "outlet", "publisher": article.source = value
            case "url", "link": article.url = value
            case "id": article.id = value
            default: break
            }
            if ["title", "headline", "date", "published", "publication date", "source", "outlet", "publisher",
                "url", "link", "id"].contains(key)
            {
                consumed += 1
            } else {
                break
            }
        }
        if consumed > 0 {
            lines.removeFirst(consumed)
        }
        while let first = lines.first, first.trimmingSpaces().isEmpty { lines.removeFirst() }

        // 2. "date 2020-10-24 Body starts here"
        if let first = lines.first {
            let trimmed = first.trimmingSpaces()
            if trimmed.lowercased().hasPrefix("date "), trimmed.count >= 15 {
                let rest = trimmed.dropFirst(5).trimmingSpaces()
                let candidate = String(rest.prefix(10))
                if let d = PublishedDate.normalize(candidate), d.count == 10 {
                    article.published = article.published ?? d
                    lines[0] = rest.dropFirst(10).trimmingSpaces()
                    if lines[0].isEmpty { lines.removeFirst() }
                }
            }
        }

        // 3. headline + outlet lines
        if lines.count >= 3, article.title == nil {
            let l1 = lines[0].trimmingSpaces(), l2 = lines[1].trimmingSpaces()
            if looksLikeHeadline(l1), looksLikeOutlet(l2), !lines[2].trimmingSpaces().isEmpty || lines.count > 3 {
                article.title = String(l1)
                article.source = article.source ?? String(l2)
                lines.removeFirst(2)
            } else if looksLikeHeadline(l1), l2.isEmpty, lines.count >= 3, l1.count < 150,
                l1.split(separator: " ").count >= 3, lines[2].trimmingSpaces().count > l1.count * 2
            {
                article.title = String(l1)
                lines.removeFirst(2)
            }
        }
        while let first = lines.first, first.trimmingSpaces().isEmpty { lines.removeFirst() }
        while let last = lines.last, last.trimmingSpaces().isEmpty { lines.removeLast() }
        article.text = lines.joined(separator: "\n")
        return article
    }

    static func looksLikeHeadline(_ s: Substring) -> Bool {
        guard s.count >= 10, s.count <= 200, let last = s.last else { return false }
        return last != "." && last != "," && last != ";" && s.first?.isUppercase == true
    }

    static func looksLikeOutlet(_ s: Substring) -> Bool {
        guard !s.isEmpty, s.count <= 40, let last = s.last, last != ".", last != "," else { return false }
        let words = s.split(separator: " ")
        return words.count <= 5 && s.first?.isUppercase == true
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\u{FEFF}" || f == "\u{A0}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{A0}" { s = s.dropLast() }
        return s
    }
}
