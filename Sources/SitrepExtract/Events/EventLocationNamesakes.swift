import Foundation
import SitrepAnnotate
import SitrepGazetteer
import SitrepText

// Namesakes the scene reader trades for the reading the text is about: a town outside the container
// named with it ("Al Mansurah of Aden" read in Egypt) is its namesake inside the container when there
// is one, and a first-level division of another continent read from a common word ("As Sud hills"
// in a report from Saada, "Bali-Koy") is no scene.
extension EventExtractor {
    /// Kilometres beyond which a first-level division is on another continent than every place
    /// and country the document names.
    static let otherContinentKm = 3000.0
    /// "X to the south of Y": "to" may stand between a town and the reference town it lies near.
    static let toKey = Fold.key("to")

    /// The reading of the name at `span` inside `container` (the place named with it as its
    /// container: "X village in Y", "X of Y"): in the container's country and, for a division, in
    /// that division; within a city's reach of a town or district. Only a reading under the name as
    /// written: a spelling skeleton finds too many villages of a division.
    func containerNamesake(_ doc: Document, _ span: Span, in container: PlaceRef) -> PlaceRef? {
        guard let box = placeBox, let cc = container.country else { return nil }
        switch container.precision {
        case .country, .region:
            return box.tagger.namesake(of: doc.string(span), inCountries: [cc], near: [], exactOnly: true)
        case .admin1:
            guard let a1 = container.admin1,
                let p = box.tagger.namesake(of: doc.string(span), inCountries: [cc], near: [(container.lat, container.lon)], exactOnly: true),
                p.admin1 == a1
            else { return nil }
            return p
        case .admin2, .settlement:
            return box.tagger.namesake(of: doc.string(span), inCountries: [cc], near: [(container.lat, container.lon)],
                                       within: Self.cityKm, exactOnly: true)
        }
    }

    /// A first-level division the text gives no support for, in a country nothing else in the
    /// document names and far from all it names ("Sud" in Haiti for "As Sud hills" in a report
    /// from Yemen, "Bali" in Indonesia for "Bali-Koy"): a word, not the division.
    func isForeignDivision(_ p: PlaceRef, others: [EvidencePoint]) -> Bool {
        guard p.precision == .admin1, !others.isEmpty, !others.contains(where: { $0.country == p.country }) else { return false }
        for q in others where Gazetteer.distanceKm(p.lat, p.lon, q.lat, q.lon) <= Self.otherContinentKm { return false }
        return true
    }
}
