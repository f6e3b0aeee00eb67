/// Reads RSS 2.0 and Atom feeds: every item or entry becomes an article.
public enum FeedReader {
    public static func articles(xml: String, path: String) -> (articles: [Article], problems: [String]) {
        ([], ["feed reading not built yet"])
    }
}
