import SitrepAnnotate
import SitrepLanguage
import SitrepText

/// Finds attributed statements: who says what, with which verb, asserting or denying.
public struct ClaimExtractor: Sendable {
    public init() {}

    public static func english() throws -> ClaimExtractor {
        ClaimExtractor()
    }

    public func extract(_ doc: Document, _ annotations: Annotations) -> [Claim] {
        []
    }
}
