/// Extracts an article from an HTML page.
public enum HTMLReader {
    public struct Failure: Error, Sendable { public let message: String }

    public static func article(html: String, id: String) -> Result<Article, Failure> {
        .failure(Failure(message: "HTML reading not built yet"))
    }
}
