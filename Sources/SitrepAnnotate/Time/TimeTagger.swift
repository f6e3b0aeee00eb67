import SitrepLanguage
import SitrepText

/// Finds time expressions and normalizes them to TIMEX3 against the anchor date.
public struct TimeTagger: Sendable {
    public init() {}

    public static func english() throws -> TimeTagger {
        TimeTagger()
    }

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {
        annotations.anchor = context.published
    }
}
