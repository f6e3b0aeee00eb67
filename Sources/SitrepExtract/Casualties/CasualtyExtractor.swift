import SitrepAnnotate
import SitrepLanguage
import SitrepText

/// Reads every casualty figure as an interval with qualifier, outcome, victims, scope, claimant.
public struct CasualtyExtractor: Sendable {
    public init() {}

    public static func english() throws -> CasualtyExtractor {
        CasualtyExtractor()
    }

    public func extract(_ doc: Document, _ annotations: Annotations, claims: [Claim]) -> [Casualty] {
        []
    }
}
