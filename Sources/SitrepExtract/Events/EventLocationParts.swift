import Foundation
import SitrepAnnotate
import SitrepText

/// A place a sentence names, as `location` ranks it.
struct LocationScene {
    var place: PlaceRef
    var rank: Int
    var part: CompassPart?
    /// The name as written (bytes; its text is read only where a rule needs it).
    var textSpan: Span
    var start: Int
    var end: Int
    /// The tagger resolved it by prior or spelling skeleton alone (no support in the text).
    var unsupported: Bool
    /// A reference point ("west of Mosul"), not a container.
    var reference: Bool
    /// Matched by spelling skeleton only.
    var skeleton = false
    /// The side of a reference town the text names ("southwest of Kirkuk").
    var side: CompassPart? = nil
    /// Named as a countryside ("Hama countryside", "the countryside of Hama").
    var countryside = false
}

/// The seats of first-level divisions already looked up on this thread (a division's seat depends
/// on the gazetteer only: the same answer for every document; most documents name a division
/// another document named before).
final class SeatMemo {
    private var seats: [PlaceRef: PlaceRef?] = [:]

    private static let perThread = PerThread { SeatMemo() }

    /// `box.tagger.seat(of: place)`, looked up once per thread and place.
    static func seat(of place: PlaceRef, _ box: PlaceBox) -> PlaceRef? {
        let memo = perThread.value
        if let known = memo.seats[place] { return known }
        let seat = box.tagger.seat(of: place)
        // (bounded: a long run over many places starts over rather than growing without end)
        if memo.seats.count >= 4096 { memo.seats.removeAll(keepingCapacity: true) }
        memo.seats[place] = seat
        return seat
    }
}

// Several compass parts named together: "the southern and northern countryside of Hama",
// "southeast Idleb and northwest Hama". The event is spread over the division, which ACLED codes at
// its seat, not at one part's middle.
extension EventExtractor {
    /// The first token index in `from..<to` whose key passes the filter words `filter` (bit
    /// `filterSlot(key)`), or `to`.
    static func nextFiltered(_ tokens: [Token], _ filter: [UInt64], from: Int, to: Int) -> Int {
        tokens.withUnsafeBufferPointer { tp in
            filter.withUnsafeBufferPointer { bits in
                var t = from
                while t < to {
                    let (w, bit) = filterSlot(tp[t].key)
                    if bits[w] & bit != 0 { return t }
                    t += 1
                }
                return to
            }
        }
    }

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
