import Foundation
import SitrepAnnotate
import SitrepText

// Several compass parts named together: "the southern and northern countryside of Hama",
// "southeast Idleb and northwest Hama". The event is spread over the division, which ACLED codes at
// its seat, not at one part's middle.
extension EventExtractor {
    /// The seat of the division a scene with a compass part names, when the sentence names several
    /// parts of divisions: two different parts of first-level divisions of one country among the scenes (`parts`:
    /// each parted scene's place, text and part), or two direction words joined by "and" / "or"
    /// ("southern and northern"). Nil otherwise, or when the division has no seat named like it.
    /// (A town's side, "Western Tiba", is no part of a division.)
    func severalPartsSeat(_ place: PlaceRef, _ text: String, _ range: Range<Int>, _ key: (Int) -> UInt64,
                          parts: [(PlaceRef, String, CompassPart)]) -> PlaceRef?
    {
        guard let box = placeBox else { return nil }
        var seen: [(String, CompassPart)] = []
        for (p, name, part) in parts {
            guard let division = box.tagger.regionalPlace(p, text: name, part: .center), division.country == place.country,
                !seen.contains(where: { $0.0 == division.name && $0.1 == part })
            else { continue }
            seen.append((division.name, part))
        }
        var several = seen.count >= 2
        if !several {
            for t in range where compass(key(t)) != nil {
                let k = key(t + 1)
                if k == Self.andKey || k == Self.orKey, compass(key(t + 2)) != nil {
                    several = true
                    break
                }
            }
        }
        guard several, let division = box.tagger.regionalPlace(place, text: text, part: .center) else { return nil }
        return box.tagger.seat(of: division)
    }
}
