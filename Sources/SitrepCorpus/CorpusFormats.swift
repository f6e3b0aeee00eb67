import SitrepText

/// The input formats sitrep reads, written from generated articles.
public enum CorpusFormat: String, Sendable, CaseIterable {
    case jsonl, txt, html, rss

    /// Items per RSS feed file.
    public static let itemsPerFeed = 20

    /// The file extension `InputReader` recognizes.
    public var fileExtension: String { rawValue }
}

public enum CorpusWriter {
    /// One JSONL line (with its newline): the contract's input record.
    public static func jsonl(_ a: GeneratedArticle) -> [UInt8] {
        var w = JSONWriter(capacity: 8192)
        w.beginObject()
        w.field("id", a.id)
        w.field("text", a.text)
        w.field("published", a.published)
        w.field("title", a.title)
        w.field("source", a.source)
        w.field("url", a.url)
        w.endObject()
        return w.takeLine()
    }

    /// A plain-text file with a date header, in one of the three header shapes scraped files
    /// carry (chosen by the article's index): `key: value` lines; a `date YYYY-MM-DD` prefix on
    /// the first line; a date line, then headline and outlet lines.
    public static func plainText(_ a: GeneratedArticle) -> String {
        // the headline shape needs a headline that starts with a capital letter to be recognized
        let capitalized = a.title.utf8.first.map { $0 >= 0x41 && $0 <= 0x5A } ?? false
        switch a.index % 3 == 2 && !capitalized ? 0 : a.index % 3 {
        case 0:
            return "title: \(a.title)\ndate: \(a.published)\nsource: \(a.source)\nurl: \(a.url)\n\n\(a.text)\n"
        case 1:
            return "date \(a.published) \(a.text)\n"
        default:
            return "date: \(a.published)\n\(a.title)\n\(a.source)\n\n\(a.text)\n"
        }
    }

    /// A whole news page: navigation, headline, byline with a `<time>`, the article's paragraphs
    /// (captions in `<figure>`, the donation appeal in an `<aside>` box), related links, footer.
    public static func html(_ a: GeneratedArticle, nav: [String]) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(a.title)) | \(escape(a.source))</title>
            <meta property="og:title" content="\(escape(a.title))">
            <meta property="og:site_name" content="\(escape(a.source))">
            <meta property="article:published_time" content="\(a.published)T\(a.time):00Z">
            <link rel="canonical" href="\(escape(a.url))">
            <style>body{font-family:serif;max-width:42em;margin:auto} .donate{border:1px solid #c00}</style>
            <script>window.dataLayer = window.dataLayer || []; function track(e) { dataLayer.push(e); }</script>
            </head>
            <body>
            <header class="site-header"><a class="logo" href="/">\(escape(a.source))</a>
            <nav class="main-nav"><ul>
            """
        for item in nav {
            h += "<li><a href=\"/\(item.lowercased())\">\(escape(item))</a></li>"
        }
        h += "</ul></nav></header>\n<main>\n<article>\n"
        h += "<h1>\(escape(a.title))</h1>\n"
        h += "<p class=\"byline\">By staff reporters &middot; <time datetime=\"\(a.published)T\(a.time):00Z\">\(a.published) \(a.time) GMT</time></p>\n"
        var figures = 0
        for p in a.paragraphs {
            switch p.kind {
            case .body, .agencies:
                h += "<p>\(escape(p.text))</p>\n"
            case .caption:
                figures += 1
                h += "<figure><img src=\"/img/\(a.index)-\(figures).jpg\" alt=\"\"><figcaption>\(escape(p.text))</figcaption></figure>\n"
            case .appeal:
                h += "<aside class=\"donate\"><h2>Support our reporting</h2><p>\(escape(p.text))</p><a class=\"button\" href=\"/donate\">Donate</a></aside>\n"
            case .newsletter:
                h += "<div class=\"newsletter\"><p>\(escape(p.text))</p><form><input type=\"email\"><button>Sign up</button></form></div>\n"
            case .related:
                h += "<p class=\"related\"><a href=\"/related/\(a.index)\">\(escape(p.text))</a></p>\n"
            }
        }
        h += "</article>\n</main>\n<footer><p>&copy; \(a.published.prefix(4)) \(escape(a.source)). All rights reserved.</p>"
        h += "<nav class=\"footer-nav\"><a href=\"/about\">About</a> <a href=\"/privacy\">Privacy</a></nav></footer>\n"
        h += "</body>\n</html>\n"
        return h
    }

    /// An RSS 2.0 feed holding `items`: `<description>` has the lead, `<content:encoded>` the
    /// whole body as HTML paragraphs.
    public static func rss(_ items: [GeneratedArticle], feedTitle: String) -> String {
        var x = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel>
            <title>\(escape(feedTitle))</title>
            <link>https://feeds.example/</link>
            <description>Generated conflict news for sitrep's benchmarks</description>
            <language>en</language>

            """
        for a in items {
            x += "<item>\n"
            x += "<title>\(escape(a.title))</title>\n"
            x += "<link>\(escape(a.url))</link>\n"
            x += "<guid isPermaLink=\"false\">\(escape(a.id))</guid>\n"
            x += "<pubDate>\(rfc822(a))</pubDate>\n"
            x += "<dc:creator>\(escape(a.source))</dc:creator>\n"
            x += "<description>\(escape(a.paragraphs.first?.text ?? ""))</description>\n"
            var body = ""
            for p in a.paragraphs { body += "<p>\(p.text.replacingCDATAEnd())</p>\n" }
            x += "<content:encoded><![CDATA[\(body)]]></content:encoded>\n"
            x += "</item>\n"
        }
        x += "</channel>\n</rss>\n"
        return x
    }

    static let weekdayAbbreviations = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sat, 24 Oct 2020 10:05:00 +0000`.
    static func rfc822(_ a: GeneratedArticle) -> String {
        let parts = a.published.split(separator: "-")
        let month = parts.count == 3 ? (Int(parts[1]) ?? 1) : 1
        let day = parts.count == 3 ? (Int(parts[2]) ?? 1) : 1
        let year = parts.first.map(String.init) ?? "2020"
        return "\(weekdayAbbreviations[a.weekday]), \(CorpusGenerator.pad(day)) \(monthAbbreviations[month - 1]) \(year) \(a.time):00 +0000"
    }

    /// Escapes `& < > "` for HTML/XML text and attributes.
    public static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// Splits a `]]>` so text can sit inside CDATA.
    func replacingCDATAEnd() -> String {
        guard utf8.count >= 3 else { return self }
        var out: [UInt8] = []
        let b = Array(utf8)
        var k = 0
        while k < b.count {
            if k + 2 < b.count, b[k] == 0x5D, b[k + 1] == 0x5D, b[k + 2] == 0x3E {
                out.append(contentsOf: "]]]]><![CDATA[>".utf8)
                k += 3
            } else {
                out.append(b[k])
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
