import SitrepGazetteer
import SitrepLanguage
import SitrepText

/// Recognizes place names and resolves them against the gazetteer in the document's context.
public struct PlaceTagger: Sendable {
    public init() {}

    public static func english() throws -> PlaceTagger {
        PlaceTagger()
    }

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {}
}
