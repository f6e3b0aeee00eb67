import Foundation

/// Reads RSS 2.0, RSS 1.0 (RDF) and Atom feeds: every item or entry becomes an article (title,
/// link, `pubDate`/`published`/`updated`/`dc:date`, and text from `content:encoded`, `content`,
/// `description` or `summary`, HTML turned into text). The feed's own title is the source.
/// A truncated feed still yields its complete items, and the truncation is reported.
public enum FeedReader {
    struct Item {
        var fields: [String: String] = [:]
        var link: String?
        var closed = false
    }

    /// Fields whose text is collected, by element name.
    static let itemFields: Set<String> = [
        "title", "link", "guid", "id", "pubdate", "published", "updated", "dc:date", "description",
        "summary", "content:encoded", "content", "source",
    ]

    public static func articles(xml: String, path: String) -> (articles: [Article], problems: [String]) {
        var items: [Item] = []
        var feedTitle: String?
        var current: Item?
        var field: String?
        var fieldDepth = 0
        var fieldText = ""
        var depth = 0
        var sawFeedRoot = false
        var rootClosed = false

        var scanner = MarkupScanner(xml, rawText: [])
        scanner.scan { event in
            switch event {
            case .start(let name, let attributes, let selfClosing):
                if name == "rss" || name == "feed" || name == "rdf:rdf" || name == "channel" { sawFeedRoot = true }
                if name == "item" || name == "entry" {
                    if var open = current { open.closed = false; items.append(open) }
                    current = Item()
                    field = nil
                    depth = 0
                    return true
                }
                if current != nil {
                    if name == "link", let href = attributes["href"] {
                        let rel = attributes["rel"]?.lowercased() ?? "alternate"
                        if rel == "alternate" && current?.link == nil { current?.link = href }
                    }
                    if field == nil, itemFields.contains(name), !selfClosing {
                        field = name
                        fieldDepth = depth
                        fieldText = ""
                    } else if field != nil, HTMLReader.blockElements.contains(name) {
                        fieldText += "\n\n"  // inline XHTML content: keep paragraph breaks
                    }
                    if !selfClosing { depth += 1 }
                } else if name == "title", feedTitle == nil, !selfClosing {
                    field = "feed-title"
                    fieldText = ""
                }
            case .end(let name):
                if name == "rss" || name == "feed" || name == "rdf:rdf" { rootClosed = true }
                if name == "item" || name == "entry" {
                    if var done = current {
                        done.closed = true
                        items.append(done)
                    }
                    current = nil
                    field = nil
                    return true
                }
                if field == "feed-title" && name == "title" {
                    feedTitle = HTMLReader.collapse(fieldText)
                    field = nil
                    return true
                }
                if current != nil {
                    depth = max(0, depth - 1)
                    if let f = field, name == f, depth == fieldDepth {
                        if current?.fields[f] == nil { current?.fields[f] = fieldText }
                        field = nil
                    }
                }
            case .text(let text), .cdata(let text):
                if field != nil { fieldText += text }
            }
            return true
        }
        if var open = current {
            if let f = field, open.fields[f] == nil { open.fields[f] = fieldText }
            open.closed = false
            items.append(open)
        }

        var problems: [String] = []
        if items.isEmpty {
            problems.append(sawFeedRoot ? "feed has no items" : "not an RSS or Atom feed (no <rss>, <feed> or <item>)")
            return ([], problems)
        }
        var articles: [Article] = []
        for (index, item) in items.enumerated() {
            let f = item.fields
            let html = [f["content:encoded"], f["content"], f["description"], f["summary"]]
                .compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? ""
            let text = HTMLReader.fragmentText(html)
            let title = f["title"].map { HTMLReader.collapse(HTMLReader.fragmentText($0)) }
            if !item.closed {
                problems.append("feed is truncated inside item \(index + 1)" + (text.isEmpty ? "; item skipped" : "; its partial text was kept"))
            }
            guard !text.isEmpty else {
                if item.closed { problems.append("item \(index + 1) has no text") }
                continue
            }
            let link = item.link ?? f["link"].map(HTMLReader.collapse)
            let guid = (f["guid"] ?? f["id"]).map(HTMLReader.collapse)
            let id = nonEmpty(guid) ?? nonEmpty(link) ?? "\(path)#\(index + 1)"
            let date = [f["pubdate"], f["published"], f["dc:date"], f["updated"]].compactMap { $0 }
                .compactMap(PublishedDate.normalize).first
            articles.append(Article(
                id: id, text: text, published: date, title: nonEmpty(title),
                source: nonEmpty(f["source"].map(HTMLReader.collapse)) ?? feedTitle, url: nonEmpty(link)))
        }
        if (scanner.truncated || (sawFeedRoot && !rootClosed)) && items.allSatisfy(\.closed) {
            problems.append("feed is truncated after item \(items.count)")
        }
        return (articles, problems)
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }
}
