import Foundation
import SitrepAnnotate
import SitrepGazetteer
import SitrepText

// Namesakes the scene reader trades for the reading in the country the text is about: a town read
// in a country nothing else names ("Kutaf district" in Saudi Arabia in a report from Saada), a
// town outside the container named with it ("Sosa village in Deir-ez-Zor countryside" in Japan),
// and a first-level division of another continent read from a common word ("As Sud hills").
extension EventExtractor {
    /// Kilometres beyond which a first-level division is on another continent than every place
    /// and country the document names.
    static let otherContinentKm = 3000.0
    static let toKey = Fold.key("to")

    /// The countries of the evidence points, in first-seen order (few: a list, no hashing).
    static func countries(of points: [EvidencePoint]) -> [String] {
        var seen: [String] = []
        for q in points {
            if let cc = q.country, !seen.contains(cc) { seen.append(cc) }
        }
        return seen
    }

    /// The reading of the name at `span` in one of the countries the rest of the document names
    /// (`others`: its evidence without the name itself), nearest its places, else its countries.
    /// Nil when the name has no reading there, or the reading it has is a city (a capital or a
    /// division seat is known by that name: "Erbil" in a report about Syrians).
    func namedCountryNamesake(_ doc: Document, _ span: Span, of p: PlaceRef, others: [EvidencePoint], _ places: PlaceBox) -> PlaceRef? {
        guard !["PPLC", "PPLA", "PPLA2"].contains(p.featureCode) else { return nil }
        let countries = Self.countries(of: others)
        guard !countries.isEmpty else { return nil }
        let placePoints = others.filter(\.place).map { (lat: $0.lat, lon: $0.lon) }
        let points = placePoints.isEmpty ? others.map { (lat: $0.lat, lon: $0.lon) } : placePoints
        return places.tagger.namesake(of: doc.string(span), inCountries: countries, near: points)
    }

    /// The reading of the name at `span` inside `container` (the place named with it as its
    /// container: "X village in Y"): in the container's country, within the container's reach.
    /// Only a reading under the name as written (a spelling skeleton finds too many villages of a
    /// division), in the container's division, within a town's reach of a town or district.
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
