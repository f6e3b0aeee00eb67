import SitrepLanguage
import SitrepText

/// The bundled gazetteer: countries, divisions and populated places with their name variants.
public struct Gazetteer: Sendable {
    public init() {}
}
