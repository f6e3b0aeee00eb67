import Foundation
import SitrepAnnotate
import SitrepGazetteer
import SitrepLanguage
import SitrepText

// What the scene reader knows of words and places: containment, compass parts, the keys it
// compares tokens with, and its distances.
extension EventExtractor {
    func sameOrContains(_ a: PlaceRef, _ b: PlaceRef) -> Bool {
        if let x = a.geonameid, let y = b.geonameid, x == y { return true }
        if a.name == b.name { return true }
        let rank: (PlaceRef.Precision) -> Int = {
            switch $0 {
            case .settlement: 0
            case .admin2: 1
            case .admin1: 2
            case .country: 3
            case .region: 4
            }
        }
        let (fine, coarse) = rank(a.precision) <= rank(b.precision) ? (a, b) : (b, a)
        if rank(fine.precision) == rank(coarse.precision) { return false }
        switch coarse.precision {
        case .country: return fine.country == coarse.country
        case .region: return true
        case .admin1, .admin2:
            return fine.admin1 != nil && fine.admin1 == coarse.admin1 && fine.country == coarse.country
        case .settlement: return false
        }
    }

    func finer(_ a: PlaceRef, than b: PlaceRef?) -> Bool {
        guard let b else { return true }
        // settlement < admin2 < admin1 < country < region (no array built per call)
        @inline(__always) func order(_ p: PlaceRef.Precision) -> Int {
            switch p {
            case .settlement: 0
            case .admin2: 1
            case .admin1: 2
            case .country: 3
            case .region: 4
            }
        }
        return order(a.precision) < order(b.precision)
    }

    static let countrysideKey = Fold.key("countryside")

    /// The compass part a direction word names: the key set rejects most words before the
    /// dictionary hashes anything.
    @inline(__always)
    func compass(_ key: UInt64) -> CompassPart? {
        compassKeys.contains(key) ? compassWords[key] : nil
    }

    /// Whether a mention's rule ends in "prior" (the tagger resolved it by prior alone), compared
    /// on the UTF-8 bytes.
    static func endsInPrior(_ rule: String) -> Bool {
        var rule = rule
        return rule.withUTF8 { b in
            let n = b.count
            return n >= 5 && b[n - 5] == 0x70 && b[n - 4] == 0x72 && b[n - 3] == 0x69 && b[n - 2] == 0x6F
                && b[n - 1] == 0x72
        }
    }

    /// Whether an actor mention starts where `span` starts and ends at or after its end (the
    /// actors are sorted by span: a binary search finds the first starting there).
    static func actorCovers(_ actors: [Mention], _ span: Span) -> Bool {
        var lo = 0, hi = actors.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if actors[mid].span.start < span.start { lo = mid + 1 } else { hi = mid }
        }
        while lo < actors.count && actors[lo].span.start == span.start {
            if actors[lo].span.end >= span.end { return true }
            lo += 1
        }
        return false
    }
    /// Nouns that type a name as a quarter of a city ("the Maysalun neighborhood of Dar'a").
    static let quarterKeys = KeySet(
        ["neighborhood", "neighbourhood", "neighborhoods", "neighbourhoods", "quarter", "quarters"].map { Fold.key($0) })

    /// Whether "the X neighborhood of" closes right before token `s`: "of" after a quarter noun
    /// ("the Mezze neighborhood of the Kafr Sousa area in Damascus": the area is a part of the city too).
    func t0IsQuarter(_ tokens: [Token], before s: Int, _ range: Range<Int>) -> Bool {
        var k = s - 1
        if k >= range.lowerBound, tokens[k].key == Self.theKey { k -= 1 }
        guard k - 1 >= range.lowerBound, tokens[k].key == keyOf else { return false }
        return Self.quarterKeys.contains(tokens[k - 1].key)
    }

    /// Street nouns that may name a road by where it leads ("the Aleppo road").
    static let roadKeys = KeySet(["road", "highway"].map { Fold.key($0) })
    /// Nouns that type a name as a settlement ("Abyan village", "the town of X").
    static let villageKeys = KeySet(["village", "villages", "town", "towns", "hamlet"].map { Fold.key($0) })
    static let apostropheSKey = Fold.key("'s")
    static let inKey = Fold.key("in")
    static let nearKey = Fold.key("near")
    static let commaKey = Fold.key(",")
    static let theKey = Fold.key("the")
    static let andKey = Fold.key("and")
    static let keyDash = Fold.key("-")
    static let apostropheKeys = KeySet([Fold.key("'"), Fold.key("’"), Fold.key("‘")])

    /// False when the bytes of `span` hold no apostrophe: no `'` byte and none of the characters
    /// `Fold` reads as one (U+2018, U+2019, U+2032: E2 80 98/99/B2; U+02BC: CA BC; U+00B4: C2 B4),
    /// so no token there has an `apostropheKeys` key or an apostrophe inside it. (`memchr` over the
    /// span: a sentence is searched in a few dozen instructions.)
    static func mayHoldApostrophe(_ bytes: [UInt8], _ span: Span) -> Bool {
        bytes.withUnsafeBufferPointer { b -> Bool in
            guard let base = b.baseAddress, span.start >= 0, span.end <= b.count else { return true }
            let n = span.end - span.start
            guard n > 0 else { return false }
            let p = base + span.start
            if memchr(p, 0x27, n) != nil { return true }
            /// Whether a lead byte `lead` stands in the span followed by one of `next`.
            func pair(_ lead: Int32, _ test: (Int) -> Bool) -> Bool {
                var from = 0
                while from < n, let hit = memchr(p + from, lead, n - from) {
                    let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p
                    if test(at) { return true }
                    from = at + 1
                }
                return false
            }
            // (a lead byte at the span's end is taken as an apostrophe: never missed)
            if pair(0xCA, { at in at + 1 >= n || p[at + 1] == 0xBC }) { return true }
            if pair(0xC2, { at in at + 1 >= n || p[at + 1] == 0xB4 }) { return true }
            return pair(0xE2) { at in
                at + 2 >= n || (p[at + 1] == 0x80 && (p[at + 2] == 0x98 || p[at + 2] == 0x99 || p[at + 2] == 0xB2))
            }
        }
    }
    /// Arabic article words ("al", "as", "ash") that open romanized names.
    static let articleKeys = KeySet(NameSkeleton.articles.map { Fold.key($0) })
    static let orKey = Fold.key("or")

    /// Whether the tokens from `e` read "- Aleppo highway" / "-Aleppo road": a dash, up to three
    /// capitalized words, then a street noun (any case): the name before `e` is the road's first town.
    func roadEnd(_ tokens: [Token], after e: Int, _ range: Range<Int>) -> Bool {
        guard e + 2 < range.upperBound, tokens[e].key == Self.keyDash else { return false }
        var f = e + 1
        while f < range.upperBound, f - e <= 3, tokens[f].kind == .word, tokens[f].flags.contains(.capitalized),
            !streetNouns.contains(tokens[f].key)
        {
            f += 1
        }
        return f > e + 1 && f < range.upperBound && streetNouns.contains(tokens[f].key)
    }

    /// Kilometres from a town to the middle of its surroundings on one side ("northern Afrin").
    static let sideKm = 10.0

    /// A town's surroundings on one side: the point `sideKm` from it in that direction.
    static func side(_ part: CompassPart, of p: PlaceRef) -> PlaceRef {
        let d = 0.5.squareRoot()
        let (north, east): (Double, Double) =
            switch part {
            case .north: (1, 0)
            case .south: (-1, 0)
            case .east: (0, 1)
            case .west: (0, -1)
            case .northeast: (d, d)
            case .northwest: (d, -d)
            case .southeast: (-d, d)
            case .southwest: (-d, -d)
            case .center: (0, 0)
            }
        let lat = p.lat + north * sideKm / 111.2
        let lon = p.lon + east * sideKm / (111.2 * max(0.1, cos(p.lat * .pi / 180)))
        return PlaceRef(name: "\(part.adjective) \(p.name)", geonameid: nil, country: p.country, admin1: p.admin1,
                        lat: lat, lon: lon, featureCode: p.featureCode, precision: p.precision)
    }

    /// "south eastern", "north-western": a north/south word and an east/west word written apart
    /// make one compass part (the pair that ends at token `i`).
    func compassPart(endingAt i: Int, _ key: (Int) -> UInt64) -> CompassPart? {
        guard let second = compass(key(i)), second == .east || second == .west else { return nil }
        var j = i - 1
        if key(j) == Self.keyDash { j -= 1 }
        guard let first = compass(key(j)), first == .north || first == .south else { return nil }
        return Self.combine(first, second)
    }

    /// The pair that starts at token `i`, and the token after it.
    func compassPart(startingAt i: Int, _ key: (Int) -> UInt64) -> (part: CompassPart, end: Int)? {
        guard let first = compass(key(i)), first == .north || first == .south else { return nil }
        var j = i + 1
        if key(j) == Self.keyDash { j += 1 }
        guard let second = compass(key(j)), second == .east || second == .west else { return nil }
        return Self.combine(first, second).map { ($0, j + 1) }
    }

    static func combine(_ ns: CompassPart, _ ew: CompassPart) -> CompassPart? {
        switch (ns, ew) {
        case (.north, .east): .northeast
        case (.north, .west): .northwest
        case (.south, .east): .southeast
        case (.south, .west): .southwest
        default: nil
        }
    }

    /// Kilometres within which a town or district named as a container holds the scene.
    static let containerKm = 50.0
    /// Kilometres from the document's places within which the district a name means lies.
    static let districtKm = 100.0
    /// Kilometres within which a city ("Damascus city") holds its quarters.
    static let cityKm = 20.0
    /// Kilometres across a division's border within which a place still counts as inside it
    /// (places on the border are filed in either division).
    static let borderKm = 80.0
    /// Kilometres from the document's places within which the namesake they mean lies.
    static let nearPlacesKm = 500.0
    /// Kilometres beyond which an unsupported town is a namesake of the document's places.
    static let namesakeKm = 1500.0
}
