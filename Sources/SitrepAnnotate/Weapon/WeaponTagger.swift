import SitrepLanguage
import SitrepText

/// Recognizes weapons and means of attack, with their class.
public struct WeaponTagger: Sendable {
    public init() {}

    public static func english() throws -> WeaponTagger {
        WeaponTagger()
    }

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {}
}
