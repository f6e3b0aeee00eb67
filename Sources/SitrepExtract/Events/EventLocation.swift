import Foundation
import SitrepAnnotate
import SitrepGazetteer
import SitrepLanguage
import SitrepText

// Where an event happened: the scene of a sentence, the place hierarchy, and the paragraph or
// article fallback when a sentence names no place.
extension EventExtractor {
    /// The sentence's scene. Each place named in it (not demonyms, not reference points as in
    /// "southeast of Mosul", not owners as in "forces of Azerbaijan") is ranked: a town or district
    /// marked as a scene ("Sayad town", "the village of X", "in X") first, then any town or
    /// district, then containers ("Hama countryside", "northern Idleb", a division), then the rest;
    /// the first of the best rank wins. A town in another country than the sentence's container is
    /// a namesake, not the scene. A container with a compass part ("southern Idleb", "the western
    /// countryside of Aleppo") is the populated middle of that part of the division.
    func location(_ doc: Document, _ annotations: Annotations, _ range: Range<Int>) -> PlaceRef? {
        var evidence: [EvidencePoint]?
        return location(doc, annotations, range, evidence: &evidence)
    }

    /// The document's evidence points (`evidencePoints`), read once per document: `cache` holds
    /// them after the first call.
    func evidence(_ doc: Document, _ annotations: Annotations, _ places: PlaceBox, _ cache: inout [EvidencePoint]?)
        -> [EvidencePoint]
    {
        if let cache { return cache }
        let points = evidencePoints(doc, annotations, places.tagger)
        cache = points
        return points
    }

    /// `location(doc, annotations, range)` with the document's evidence points cached across the
    /// sentences of one document.
    func location(_ doc: Document, _ annotations: Annotations, _ range: Range<Int>,
                  evidence evidenceCache: inout [EvidencePoint]?) -> PlaceRef? {
        var scenes: [LocationScene] = []
        return location(doc, annotations, range, evidence: &evidenceCache, scenes: &scenes)
    }

    /// `location(doc, annotations, range, evidence:)` with the scenes listed in `scenes`, a buffer
    /// the caller reuses from sentence to sentence (emptied first; no list is made per sentence).
    func location(_ doc: Document, _ annotations: Annotations, _ range: Range<Int>,
                  evidence evidenceCache: inout [EvidencePoint]?, scenes: inout [LocationScene]) -> PlaceRef? {
        if !scenes.isEmpty { scenes.removeAll(keepingCapacity: true) }
        let span = doc.span(of: range)
        let tokens = doc.tokens
        func key(_ i: Int) -> UInt64 { i >= range.lowerBound && i < range.upperBound ? tokens[i].key : 0 }
        for m in annotations.places.inside(span) {
            guard let p = m.place, !isDemonym(doc, m, p), m.span.length >= 3 else { continue }
            // a name the actor tagger reads as an actor ("Hamas") is not a place here, nor is the
            // first word of a named actor's longer name ("Sham Corps", "Sham Legion"): an actor
            // starting where the name starts and ending at or after its end
            if Self.actorCovers(annotations.actors, m.span) { continue }
            // (searched within the sentence: the mention lies inside it, so the answer is the same)
            let t = doc.tokenIndex(atOrAfter: m.span.start, in: range)
            let e = doc.tokenIndex(atOrAfter: m.span.end, in: range)
            // a reference point ("southeast of Mosul") or an owner ("forces of Azerbaijan")
            // (a reference point counts as an unmarked town: "west of Mosul")
            var reference = false
            var side: CompassPart?
            if t >= 2, t - 2 >= range.lowerBound, tokens[t - 1].key == keyOf || relative.contains(tokens[t - 2].key) {
                let k = tokens[t - 2].key
                if owners.contains(k) { continue }
                reference = relative.contains(k)
                // "southwest of Kirkuk", "north east of Hays": the side of the reference town
                if reference, tokens[t - 1].key == keyOf {
                    side = compassPart(endingAt: t - 2, key) ?? compass(key(t - 2))
                }
            }
            // a street or square named after a place ("Baghdad Street") is not that place
            // (lower case too: "Salah Eddin street in East Jerusalem"; not a road or highway, which
            // may be named for where it leads: below)
            if e < range.upperBound, streetNouns.contains(tokens[e].key),
                tokens[e].flags.contains(.capitalized) || !Self.roadKeys.contains(tokens[e].key)
            {
                continue
            }
            // a road named after the two towns it joins ("the Damascus-Aleppo highway",
            // "Damascus - Aleppo Highway") is near either town: a scene only when the sentence
            // names no other (ranked after containers below)
            let road = roadEnd(tokens, after: e, range)
                || (t >= range.lowerBound + 2 && e < range.upperBound && streetNouns.contains(tokens[e].key)
                    && tokens[t - 1].key == Self.keyDash && tokens[t - 2].kind == .word
                    && tokens[t - 2].flags.contains(.capitalized))
            var k = t - 1
            // skip "the town of", "the city of": look back up to 4 tokens for a locative
            var locative = false
            while k >= range.lowerBound && k >= t - 4 {
                if locatives.contains(tokens[k].key) { locative = true; break }
                if tokens[k].kind == .punct { break }
                // not past another name or a list ("north of Midi and Harad": Harad is not "of")
                if tokens[k].key == Self.andKey || tokens[k].key == Self.orKey
                    || (tokens[k].flags.contains(.capitalized) && !tokens[k].flags.contains(.sentenceStart))
                {
                    break
                }
                k -= 1
            }
            var part: CompassPart?
            var container = false
            var countryside = false
            // "central Kirkuk city": a town typed by a scene noun is the town, not its division's part
            let typedTown = p.precision == .settlement && sceneNouns.contains(key(e))
            if let c = compass(key(t - 1)), !typedTown {
                part = compassPart(endingAt: t - 1, key) ?? c
                container = true
            } else if key(t - 1) == keyOf, key(t - 2) == Self.countrysideKey {
                container = true
                countryside = true
                part = compassPart(endingAt: t - 3, key) ?? compass(key(t - 3))
            }
            var after = e
            if key(after) == Self.apostropheSKey { after += 1 }
            // "Idleb south eastern countryside": two compass words make one part
            var pairEnd = after
            if let two = compassPart(startingAt: after, key) { pairEnd = two.end }
            if pairEnd > after, containerNouns.contains(key(pairEnd)), let two = compassPart(startingAt: after, key) {
                part = part ?? two.part
                container = true
            } else if let c = compass(key(after)), containerNouns.contains(key(after + 1)) {
                part = part ?? c
                container = true
            } else if containerNouns.contains(key(after)) {
                container = true
            }
            if container, key(after) == Self.countrysideKey || key(pairEnd) == Self.countrysideKey
                || key(after + 1) == Self.countrysideKey
            {
                countryside = true
            }
            let typed = sceneNouns.contains(key(e)) || (key(t - 1) == keyOf && sceneOf.contains(key(t - 2)))
            let fine = p.precision == .settlement || p.precision == .admin2
            var rank: Int
            if fine && !container {
                rank = typed || locative ? 0 : 1
            } else if p.precision != .country && p.precision != .region {
                rank = 2
            } else {
                rank = 4
            }
            // "north of Midi": the reference town is as near as the text gets (ACLED codes it)
            if reference { rank = fine ? max(rank, 1) : max(rank, 3) }
            if road { rank = max(rank, 3) }
            // "Abyan village in Hama countryside": a first-level division or a country typed as a
            // village or town is a village the gazetteer lacks, not the division
            if !fine, Self.villageKeys.contains(key(e)) || (key(t - 1) == keyOf && Self.villageKeys.contains(key(t - 2))) {
                rank = 5
            }
            let skeleton = m.isSkeletonMatch
            let unsupported = skeleton || Self.endsInPrior(m.rule)
            scenes.append(LocationScene(place: p, rank: rank, part: part, textSpan: m.span, start: t, end: e,
                                unsupported: unsupported, reference: reference, skeleton: skeleton, side: side,
                                countryside: countryside))
        }
        // "in Sa'ada", "Izra' town": a name written with an apostrophe the gazetteer writes without
        // ("Saada"), after a locative or before a scene noun, that the tagger left out (none in
        // a sentence with no apostrophe: its bytes are searched first, most sentences have none)
        if let places = placeBox, Self.mayHoldApostrophe(doc.bytes, span) {
            var t = range.lowerBound
            while t < range.upperBound {
                defer { t += 1 }
                guard tokens[t].kind == .word, tokens[t].flags.contains(.capitalized) else { continue }
                var e = t + 1, apostrophe = false
                while e < range.upperBound, !tokens[e].flags.contains(.spaceBefore),
                    tokens[e].kind == .word || Self.apostropheKeys.contains(tokens[e].key)
                {
                    if Self.apostropheKeys.contains(tokens[e].key) { apostrophe = true }
                    e += 1
                }
                // (an apostrophe inside a word stays in its token: "Sa'ada")
                if !apostrophe {
                    // bytes, not strings: "'" or the UTF-8 of "‘" / "’" (E2 80 98 / 99), read
                    // through an unsafe view
                    apostrophe = doc.bytes.withUnsafeBufferPointer { b in
                        for i in t..<e {
                            let sp = tokens[i].span
                            var j = sp.start
                            let end = min(sp.end, b.count)
                            while j < end {
                                if b[j] == 0x27
                                    || (b[j] == 0xE2 && j + 2 < b.count && b[j + 1] == 0x80 && (b[j + 2] == 0x98 || b[j + 2] == 0x99))
                                {
                                    return true
                                }
                                j += 1
                            }
                        }
                        return false
                    }
                }
                guard apostrophe, !scenes.contains(where: { $0.end > t && $0.start < e }) else { continue }
                let marked = (t > range.lowerBound && locatives.contains(tokens[t - 1].key)) || sceneNouns.contains(key(e))
                    || (t >= range.lowerBound + 2 && tokens[t - 1].key == keyOf && sceneOf.contains(tokens[t - 2].key))
                guard marked else { continue }
                var name = ""
                for i in t..<e where !Self.apostropheKeys.contains(tokens[i].key) {
                    name += doc.text(of: i).filter { !"'’‘".contains($0) }
                }
                let points = self.evidence(doc, annotations, places, &evidenceCache).map { (lat: $0.lat, lon: $0.lon) }
                let found = points.isEmpty ? places.tagger.onlyTown(named: name)
                    : places.tagger.namesake(of: name, near: points, within: Self.namesakeKm)
                guard let p = found else { continue }
                let at = scenes.firstIndex(where: { $0.start > t }) ?? scenes.count
                scenes.insert(LocationScene(place: p, rank: 0, part: nil, textSpan: doc.span(of: t..<e), start: t, end: e,
                                    unsupported: false, reference: false), at: at)
                t = e - 1
            }
        }
        // "Helubiye village in northern Aleppo": a spelling-skeleton reading that lands on the very
        // place the sentence names exactly ("Halab", Aleppo) is an unknown village inside it
        for i in scenes.indices where scenes[i].skeleton {
            if scenes.contains(where: { !$0.skeleton && $0.start != scenes[i].start && $0.place == scenes[i].place }) {
                scenes[i].rank = 5
            }
        }
        // "Farwah area of Sehar district": a name before a district noun is the district (the
        // tagger may have read a namesake town, or nothing); the district nearest the document's
        // places, or the only one of that name.
        if let places = placeBox, !districtNouns.isEmpty {
            // the document's places (a district within 100 km of one), else the countries it names
            // (within 1,500 km of one), else none (the district of that name, if only one)
            var evidence: (points: [(lat: Double, lon: Double)], km: Double)?
            func lookup(_ name: String) -> PlaceRef? {
                if evidence == nil {
                    let all = self.evidence(doc, annotations, places, &evidenceCache)
                    let inPlaces = all.filter(\.place).map { (lat: $0.lat, lon: $0.lon) }
                    evidence = !inPlaces.isEmpty ? (inPlaces, Self.districtKm)
                        : (all.map { (lat: $0.lat, lon: $0.lon) }, Self.namesakeKm)
                }
                guard let evidence else { return nil }
                return places.tagger.district(named: name, near: evidence.points, within: evidence.km)
            }
            for i in scenes.indices where scenes[i].place.precision != .admin2 && districtNouns.contains(key(scenes[i].end)) {
                if let d = lookup(doc.string(scenes[i].textSpan)) {
                    scenes[i].place = d
                    scenes[i].rank = min(scenes[i].rank, 0)
                    scenes[i].unsupported = false
                }
            }
            // names the tagger left out: the capitalized words right before a district noun
            // (the filter bits first: the set is probed only for the few keys that pass)
            var t = range.lowerBound + 1
            while t < range.upperBound {
                // the next token passing the filter, found in a tight loop (unsafe views)
                t = Self.nextFiltered(tokens, districtFilter, from: t, to: range.upperBound)
                guard t < range.upperBound else { break }
                defer { t += 1 }
                guard districtNouns.contains(tokens[t].key) else { continue }
                var s0 = t
                while s0 > range.lowerBound, t - s0 < 4 {
                    let w = tokens[s0 - 1]
                    guard w.flags.contains(.capitalized) || (w.kind == .punct && s0 - 1 > range.lowerBound && s0 < t
                        && tokens[s0 - 2].flags.contains(.capitalized) && !w.flags.contains(.spaceBefore)) else { break }
                    s0 -= 1
                }
                guard s0 < t, !scenes.contains(where: { $0.end > s0 && $0.start < t }) else { continue }
                // ("In Dhaher district": a capitalized sentence opener may be no part of the name)
                let starts = tokens[s0].flags.contains(.sentenceStart) && s0 + 1 < t ? [s0, s0 + 1] : [s0]
                var found: (place: PlaceRef, start: Int)?
                for s1 in starts where found == nil {
                    if let d = lookup(doc.text(of: s1..<t)) {
                        found = (d, s1)
                    }
                }
                guard let (d, s1) = found else { continue }
                s0 = s1
                let at = scenes.firstIndex(where: { $0.start > s0 }) ?? scenes.count
                scenes.insert(LocationScene(place: d, rank: 0, part: nil, textSpan: doc.span(of: s0..<t), start: s0, end: t, unsupported: false,
                                    reference: false), at: at)
            }
        }
        // "X in northwest Afrin, Aleppo", "north of Hays in Al Hudaydah": a town named like its
        // division right after another place of that division ("A, B", "A in B", "A of B") is the
        // division, a container of the scene.
        if let places = placeBox {
            for j in scenes.indices.dropFirst() where scenes[j].rank < 2 {
                let a = scenes[j - 1].place, b = scenes[j].place
                // "A, B", "A in B", "A of B", "A in the B"
                let gap = scenes[j - 1].end..<scenes[j].start
                guard gap.count >= 1, gap.count <= 2,
                    [Self.commaKey, Self.inKey, keyOf].contains(tokens[gap.lowerBound].key),
                    gap.count == 1 || tokens[gap.lowerBound + 1].key == Self.theKey,
                    b.precision == .admin1 || places.tagger.namesDivision(b, text: doc.string(scenes[j].textSpan)),
                    a.country == b.country, a.admin1 != nil, a.admin1 == b.admin1, a.name != b.name
                else { continue }
                scenes[j].rank = 2
            }
        }
        // A town the text gives no support for, far from everything else the document is about, is
        // a namesake ("Hays" in Kansas in a report of Saudi-led air strikes): the namesake near the
        // document's places, or none.
        var farFromCountries: [Int] = []
        if let places = placeBox, scenes.contains(where: { $0.unsupported && $0.rank < 5 }) {
            let evidence = self.evidence(doc, annotations, places, &evidenceCache)
            if evidence.isEmpty {
                // nothing else to go by: a district seat before an unranked village elsewhere
                for i in scenes.indices where scenes[i].unsupported && scenes[i].rank < 5 {
                    if let seat = places.tagger.districtSeat(of: scenes[i].place, name: doc.string(scenes[i].textSpan)) { scenes[i].place = seat }
                }
            } else {
                for i in scenes.indices where scenes[i].unsupported && scenes[i].rank < 5 {
                    let p = scenes[i].place
                    // the name is no evidence for itself
                    let text = doc.string(scenes[i].textSpan)
                    let own = Fold.fold(text)
                    let others = evidence.filter { $0.text != own }
                    if isForeignDivision(p, others: others) { scenes[i].rank = 5 }
                    guard p.precision == .settlement || p.precision == .admin2, p.featureCode != "PPLC" else { continue }
                    // a town in a country the document names is no namesake
                    guard !others.contains(where: { $0.country == p.country }) else { continue }
                    // far from the document's places (500 km) and from the countries it names (1,500 km)
                    let placePoints = others.filter(\.place).map { (lat: $0.lat, lon: $0.lon) }
                    let countryPoints = others.filter { !$0.place }.map { (lat: $0.lat, lon: $0.lon) }
                    var nearPlace = Double.infinity, nearCountry = Double.infinity
                    for q in placePoints { nearPlace = min(nearPlace, Gazetteer.distanceKm(p.lat, p.lon, q.lat, q.lon)) }
                    for q in countryPoints { nearCountry = min(nearCountry, Gazetteer.distanceKm(p.lat, p.lon, q.lat, q.lon)) }
                    guard nearPlace > Self.nearPlacesKm, nearCountry > Self.namesakeKm else { continue }
                    // "al-Bab": the name with the lower-case article the tagger left out first
                    var names = [text]
                    let t = scenes[i].start
                    if t >= range.lowerBound + 2, tokens[t - 1].key == Self.keyDash, !tokens[t - 1].flags.contains(.spaceBefore),
                        !tokens[t - 2].flags.contains(.capitalized), Self.articleKeys.contains(tokens[t - 2].key)
                    {
                        names.insert(doc.text(of: (t - 2)..<scenes[i].end), at: 0)
                    }
                    // (near the document's places when it names any: a namesake of a far town is
                    // sought near the countries it names only when it names no place)
                    var found: PlaceRef?
                    for name in names where found == nil {
                        found = !placePoints.isEmpty ? places.tagger.namesake(of: name, near: placePoints, within: Self.nearPlacesKm)
                            : places.tagger.namesake(of: name, near: countryPoints, within: Self.namesakeKm)
                    }
                    if let other = found {
                        scenes[i].place = other
                    } else if !placePoints.isEmpty {
                        // only places, not countries named for their people or actors, rule a town out
                        scenes[i].rank = 5
                    } else {
                        // far from the countries named: any other town or container of the sentence
                        // comes first ("the Olive Branch operation in Afrin"; after the container checks)
                        farFromCountries.append(i)
                    }
                }
            }
        }
        // A town in another country than the sentence's container is a namesake ("Sayad" in
        // Afghanistan for a village in Hama countryside).
        if let b = scenes.indices.first(where: { scenes[$0].rank == 2 }), let cc = scenes[b].place.country {
            for i in scenes.indices where scenes[i].rank < 2 && scenes[i].place.country != cc {
                if let other = containerNamesake(doc, scenes[i].textSpan, in: scenes[b].place) { scenes[i].place = other } else { scenes[i].rank = 5 }
            }
        }
        // "X area of Damascus", "X village in Homs": a town far from the place named right after
        // it as its container is a namesake.
        // (from the last: "X, Y and Z in W of V" checks W against V before X against W, and a
        // container found to be a namesake itself is passed over)
        for i in scenes.indices.reversed() where scenes[i].rank < 2 {
            let a = scenes[i].place
            guard let j = scenes.indices.first(where: { $0 > i && scenes[$0].start >= scenes[i].end && scenes[$0].rank < 5 }),
                scenes[j].start - scenes[i].end <= 10
            else { continue }
            // only "X in Y", "X area of Y", "X village in the countryside of Y", "X district, Y",
            // "X near Y", "X area in the Z neighborhood of Y", "X to the south of Y"
            var linked = false, plain = true
            for t in scenes[i].end..<scenes[j].start {
                let key = tokens[t].key
                if key == keyOf || key == Self.inKey || key == Self.nearKey || key == Self.commaKey {
                    linked = true
                } else if !(key == Self.theKey || key == Self.andKey || key == Self.orKey || key == Self.toKey
                    || sceneNouns.contains(key) || containerNouns.contains(key) || Self.quarterKeys.contains(key)
                    || compass(key) != nil || tokens[t].flags.contains(.capitalized))
                {
                    plain = false
                }
            }
            guard linked, plain else { continue }
            let b = scenes[j].place
            let inside: Bool
            let km = Gazetteer.distanceKm(a.lat, a.lon, b.lat, b.lon)
            let sameDivision = a.country == b.country && a.admin1 != nil && a.admin1 == b.admin1
            switch b.precision {
            case .admin1:
                inside = sameDivision || km <= Self.borderKm
            case .settlement, .admin2:
                // "the X area in Damascus" after "the Y neighborhood of", "the X and Y neighborhoods
                // of Z city": quarters of a city lie in it
                var quarter = false
                for t in scenes[i].end..<scenes[j].start where Self.quarterKeys.contains(tokens[t].key) { quarter = true }
                if t0IsQuarter(tokens, before: scenes[i].start, range) { quarter = true }
                // (not of a division named by its town: "the Kacit neighbourhood of the Van province")
                let typedDivision = containerNouns.contains(key(scenes[j].end)) || key(scenes[j].end) == Self.apostropheSKey
                if quarter && !typedDivision {
                    inside = km <= Self.cityKm
                } else if scenes[j].reference {
                    // "X, north of Mosul": a reference town holds what lies in its division or near it
                    inside = sameDivision || km <= 80
                } else if let box = placeBox, box.tagger.namesDivision(b, text: doc.string(scenes[j].textSpan)) {
                    // a division named by its seat's name ("in northern Homs") holds its division
                    inside = sameDivision || km <= Self.borderKm
                } else if urbanNouns.contains(key(scenes[j].end)) {
                    // "X neighbourhood of Damascus city": a city holds its quarters
                    inside = km <= Self.cityKm
                } else {
                    // a district or a town holds what lies around it ("Kabashin town in the Afrin district")
                    inside = km <= Self.containerKm
                }
            case .country, .region: inside = a.country == b.country
            }
            // (a namesake inside the container first: "Sosa village in Deir-ez-Zor countryside")
            if !inside {
                if let other = containerNamesake(doc, scenes[i].textSpan, in: b) { scenes[i].place = other } else { scenes[i].rank = 5 }
            }
        }
        for i in farFromCountries where scenes[i].rank < 5 { scenes[i].rank = max(scenes[i].rank, 3) }
        // the first scene of the lowest rank (found by index, then copied once)
        guard !scenes.isEmpty else { return nil }
        var bestIndex = 0
        for i in scenes.indices.dropFirst() where scenes[i].rank < scenes[bestIndex].rank { bestIndex = i }
        let best = scenes[bestIndex]
        if best.rank >= 2, best.part != nil,
            let seat = severalPartsSeat(best.place, doc.string(best.textSpan), range, key,
                                        parts: scenes.compactMap { s in s.rank < 5 ? s.part.map { (s.place, doc.string(s.textSpan), $0) } : nil })
        {
            return seat
        }
        if best.rank >= 2, let part = best.part, let box = placeBox,
            let region = box.tagger.regionalPlace(best.place, text: doc.string(best.textSpan), part: part)
        {
            return region
        }
        // "Hama countryside", "the countryside of Idleb" (a division named by its seat's name): the
        // division's populated middle, not the city
        if best.rank >= 2, best.part == nil, best.countryside, let box = placeBox,
            let region = box.tagger.regionalPlace(best.place, text: doc.string(best.textSpan), part: .center)
        {
            return region
        }
        // "northern Afrin" (a town or district, not a division): its surroundings on that side
        if best.rank >= 2, let part = best.part, part != .center,
            best.place.precision == .settlement || best.place.precision == .admin2
        {
            return Self.side(part, of: best.place)
        }
        // "X, southwest of Kirkuk": the reference town's surroundings on that side
        if best.reference, let side = best.side, side != .center,
            best.place.precision == .settlement || best.place.precision == .admin2
        {
            return Self.side(side, of: best.place)
        }
        // a division named alone ("in Hama province") is placed at its seat, as ACLED codes it
        if best.place.precision == .admin1, let box = placeBox, let seat = SeatMemo.seat(of: best.place, box) { return seat }
        return best.place
    }
}
