import Foundation
import SitrepLanguage

/// Which elements, class words and roles mark page furniture (`markup/html.tsv`).
public struct HTMLRules: Sendable {
    var excludedElements: Set<String> = []
    var noiseWords: Set<String> = []
    var noiseRoles: Set<String> = []

    public init(lexicon: Lexicon) throws {
        for row in lexicon.rows {
            let name = row["name"].lowercased()
            switch row["kind"] {
            case "excluded-element": excludedElements.insert(name)
            case "noise-word": noiseWords.insert(name)
            case "noise-role": noiseRoles.insert(name)
            default:
                throw LanguageDataError(file: lexicon.name, line: row.line, reason: "unknown kind '\(row["kind"])'")
            }
        }
    }

    /// The bundled rules, loaded once.
    public static let bundled: Result<HTMLRules, LanguageDataError> = {
        do {
            return .success(try HTMLRules(lexicon: LanguageResources.lexicon("markup/html.tsv", required: ["name", "kind"])))
        } catch let error as LanguageDataError {
            return .failure(error)
        } catch {
            return .failure(LanguageDataError(file: "markup/html.tsv", reason: "\(error)"))
        }
    }()

    func isNoise(_ attributes: [String: String]) -> Bool {
        if attributes["hidden"] != nil || attributes["aria-hidden"] == "true" { return true }
        if let role = attributes["role"], noiseRoles.contains(role.lowercased()) { return true }
        for key in ["class", "id"] {
            guard let value = attributes[key] else { continue }
            for word in value.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" || $0 == "\t" })
            where noiseWords.contains(String(word)) {
                return true
            }
        }
        return false
    }
}

/// Extracts an article from an HTML page: the main text (body paragraphs; not navigation,
/// scripts, styles, share bars, related-article lists, cookie banners), title (`og:title`,
/// `h1`, `<title>`), date (`article:published_time`, `<time datetime>`, JSON-LD
/// `datePublished`), outlet (`og:site_name`) and URL (canonical link).
public enum HTMLReader {
    public struct Failure: Error, Sendable {
        public let message: String
    }

    /// Elements that start and end blocks of text.
    static let blockElements: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "figcaption",
        "figure", "pre", "section", "article", "main", "table", "tr", "td", "th", "dd", "dt", "dl", "br",
        "hr", "body", "header", "footer", "nav", "aside", "form", "address", "center",
    ]
    /// Elements that hold blocks rather than being one: their own loose text is suspect.
    static let containerElements: Set<String> = ["div", "section", "article", "main", "body", "td", "center"]
    static let voidElements: Set<String> = [
        "br", "hr", "img", "meta", "link", "input", "source", "area", "base", "col", "embed", "param",
        "track", "wbr",
    ]

    struct Block {
        var text: String
        var tag: String
        var inArticle: Bool
        var inMain: Bool
        var linkRatio: Double
    }

    public static func article(html: String, id: String) -> Result<Article, Failure> {
        let rules: HTMLRules
        switch HTMLRules.bundled {
        case .success(let r): rules = r
        case .failure(let e): return .failure(Failure(message: "cannot load HTML rules: \(e)"))
        }
        let page = parse(html, rules: rules)
        let body = mainText(page.blocks, title: page.title)
        guard !body.isEmpty else {
            return .failure(Failure(message: "no article text found in the HTML page"))
        }
        var article = Article(id: page.url ?? id, text: body)
        article.id = id
        article.title = page.title
        article.published = page.published
        article.source = page.siteName
        article.url = page.url
        return .success(article)
    }

    /// The text of an HTML fragment (an RSS description, say): every block, no page heuristics.
    public static func fragmentText(_ html: String) -> String {
        guard html.contains("<") else { return collapse(Entities.decode(html)) }
        let rules: HTMLRules
        switch HTMLRules.bundled {
        case .success(let r): rules = r
        case .failure: return collapse(html)
        }
        let page = parse(html, rules: rules)
        return page.blocks.map(\.text).joined(separator: "\n\n")
    }

    struct Page {
        var blocks: [Block] = []
        var title: String?
        var published: String?
        var siteName: String?
        var url: String?
    }

    static func parse(_ html: String, rules: HTMLRules) -> Page {
        var page = Page()
        var meta: [String: String] = [:]
        var titleTag: String?
        var firstH1: String?
        var canonical: String?
        var timeDatetime: String?
        var jsonLD: [String] = []

        var stack: [(name: String, excluded: Bool, main: Bool)] = []
        var excludedDepth = 0
        var articleDepth = 0
        var mainDepth = 0
        var linkDepth = 0
        var current = ""
        var currentLinkChars = 0
        var currentTag = "body"
        var inTitle = false
        var titleText = ""
        var inJSONLD = false
        var h1Text: String?

        func flush() {
            let text = collapse(current)
            if !text.isEmpty && excludedDepth == 0 {
                let ratio = Double(currentLinkChars) / Double(max(1, text.count))
                page.blocks.append(Block(text: text, tag: currentTag, inArticle: articleDepth > 0, inMain: mainDepth > 0,
                                         linkRatio: min(1, ratio)))
                if currentTag == "h1", firstH1 == nil { firstH1 = text }
            }
            current = ""
            currentLinkChars = 0
        }

        func pop() {
            guard let top = stack.popLast() else { return }
            if top.excluded { excludedDepth -= 1 }
            if top.name == "article" { articleDepth -= 1 }
            if top.main { mainDepth = max(0, mainDepth - 1) }
            if top.name == "a" { linkDepth = max(0, linkDepth - 1) }
        }

        var scanner = MarkupScanner(html, rawText: ["script", "style", "title", "textarea"])
        scanner.scan { event in
            switch event {
            case .start(let name, let attributes, let selfClosing):
                if name == "meta" {
                    let key = (attributes["property"] ?? attributes["name"] ?? attributes["itemprop"] ?? "").lowercased()
                    if !key.isEmpty, let content = attributes["content"], meta[key] == nil { meta[key] = content }
                    return true
                }
                if name == "link" {
                    if attributes["rel"]?.lowercased() == "canonical", let href = attributes["href"] { canonical = canonical ?? href }
                    return true
                }
                if name == "time", timeDatetime == nil, let dt = attributes["datetime"], excludedDepth == 0 {
                    timeDatetime = dt
                }
                if name == "title" && stack.allSatisfy({ $0.name != "svg" }) { inTitle = true; titleText = ""; return true }
                if name == "script" {
                    inJSONLD = attributes["type"]?.lowercased() == "application/ld+json"
                }
                if blockElements.contains(name) { flush(); currentTag = name == "br" ? currentTag : name }
                if voidElements.contains(name) || selfClosing { return true }
                // implicit close of an open <p> by a new block
                if name == "p" || name == "li", let idx = stack.lastIndex(where: { $0.name == name }),
                    stack[(idx + 1)...].allSatisfy({ !blockElements.contains($0.name) })
                {
                    while stack.count > idx { pop() }
                }
                let excluded = rules.excludedElements.contains(name) || rules.isNoise(attributes)
                let isMain = name == "main" || attributes["role"]?.lowercased() == "main"
                stack.append((name, excluded, isMain))
                if excluded { excludedDepth += 1 }
                if name == "article" { articleDepth += 1 }
                if isMain { mainDepth += 1 }
                if name == "a" { linkDepth += 1 }
                if name == "h1" { h1Text = "" }
            case .end(let name):
                if name == "title" && inTitle {
                    inTitle = false
                    titleTag = titleTag ?? collapse(titleText)
                    return true
                }
                if name == "script" { inJSONLD = false }
                guard let idx = stack.lastIndex(where: { $0.name == name }) else { return true }
                if blockElements.contains(name) { flush() }
                while stack.count > idx { pop() }
                if blockElements.contains(name) { currentTag = stack.last(where: { blockElements.contains($0.name) })?.name ?? "body" }
            case .text(let text), .cdata(let text):
                if inTitle { titleText += text; return true }
                if inJSONLD { jsonLD.append(text); return true }
                if stack.last?.name == "script" || stack.last?.name == "style" { return true }
                if excludedDepth > 0 { return true }
                current += text
                if linkDepth > 0 { currentLinkChars += text.count }
                if h1Text != nil { h1Text? += text }
            }
            return true
        }
        flush()

        page.title = nonEmpty(meta["og:title"]) ?? nonEmpty(firstH1) ?? nonEmpty(titleTag)
        page.siteName = nonEmpty(meta["og:site_name"]) ?? nonEmpty(meta["application-name"])
        page.url = nonEmpty(canonical) ?? nonEmpty(meta["og:url"])
        let dateCandidates = [
            meta["article:published_time"], meta["datepublished"], meta["pubdate"], meta["publishdate"],
            meta["date"], meta["dc.date.issued"], meta["dc.date"], meta["sailthru.date"],
            jsonLD.lazy.compactMap(jsonLDDate).first, timeDatetime,
        ]
        page.published = dateCandidates.lazy.compactMap { $0 }.compactMap(PublishedDate.normalize).first
        return page
    }

    /// Picks the article body from the page's blocks: inside `<article>` (or `<main>`) when the
    /// page has one with real text, minus the headline and link lists.
    static func mainText(_ blocks: [Block], title: String?) -> String {
        func length(_ bs: [Block]) -> Int { bs.reduce(0) { $0 + $1.text.count } }
        var chosen = blocks
        let inArticle = blocks.filter(\.inArticle)
        let inMain = blocks.filter(\.inMain)
        if length(inArticle) >= 200 {
            chosen = inArticle
        } else if length(inMain) >= 200 {
            chosen = inMain
        }
        let kept = chosen.filter { b in
            if b.tag == "h1" { return false }
            if let title, b.text == title { return false }
            if b.linkRatio > 0.6 && (b.tag == "li" || b.text.count < 160) { return false }
            // stray short text directly in a container: datelines, bylines, labels
            if containerElements.contains(b.tag), b.text.count < 60,
                !(b.text.hasSuffix(".") || b.text.hasSuffix("?") || b.text.hasSuffix("!") || b.text.hasSuffix("\""))
            {
                return false
            }
            return true
        }
        return kept.map(\.text).joined(separator: "\n\n")
    }

    /// `"datePublished": "2020-10-24T..."` in a JSON-LD block.
    static func jsonLDDate(_ json: String) -> String? {
        guard let range = json.range(of: "\"datePublished\"") else { return nil }
        let after = json[range.upperBound...]
        guard let open = after.firstIndex(of: "\"") else { return nil }
        let valueStart = after.index(after: open)
        guard let close = after[valueStart...].firstIndex(of: "\"") else { return nil }
        return String(after[valueStart..<close])
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s else { return nil }
        let c = collapse(s)
        return c.isEmpty ? nil : c
    }

    /// Collapses runs of whitespace (including no-break spaces) to one space and trims.
    static func collapse(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0xA0, 0x2009, 0x200B:
                pendingSpace = !out.isEmpty
            default:
                if pendingSpace { out.unicodeScalars.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
