import SitrepLanguage
import SitrepText

/// Recognizes actors: states and their forces, governments and organs, de facto authorities,
/// armed groups, organizations, media, people with roles, victim groups.
public struct ActorTagger: Sendable {
    public init() {}

    public static func english() throws -> ActorTagger {
        ActorTagger()
    }

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {}
}
