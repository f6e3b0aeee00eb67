import SitrepAnnotate
import SitrepLanguage
import SitrepText

/// Types incidents in the ACLED taxonomy and fills their arguments; links claims to them.
public struct EventExtractor: Sendable {
    public init() {}

    public static func english() throws -> EventExtractor {
        EventExtractor()
    }

    public func extract(
        _ doc: Document, _ annotations: Annotations, casualties: [Casualty], claims: inout [Claim]
    ) -> [Event] {
        []
    }
}
