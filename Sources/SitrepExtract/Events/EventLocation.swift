import SitrepAnnotate
import SitrepLanguage
import SitrepText

// Where an event happened: the scene of a sentence, the place hierarchy, and the paragraph or
// article fallback when a sentence names no place.
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
        let order: [PlaceRef.Precision] = [.settlement, .admin2, .admin1, .country, .region]
        return (order.firstIndex(of: a.precision) ?? 5) < (order.firstIndex(of: b.precision) ?? 5)
    }

    /// The sentence's scene: the first fine place (settlement or district) after a locative
    /// preposition, else the first fine place, else the first place after a locative, else the
    /// first place. Demonyms ("Russian" → Russia) and reference points ("southeast of Mosul") are
    /// not scenes.
    func location(_ doc: Document, _ annotations: Annotations, _ range: Range<Int>) -> PlaceRef? {
        let span = doc.span(of: range)
        var fineLocative: PlaceRef?
        var fine: PlaceRef?
        var locativeAny: PlaceRef?
        var first: PlaceRef?
        func coarser(_ a: PlaceRef?, _ b: PlaceRef) -> Bool {
            guard let a else { return true }
            return finer(b, than: a)
        }
        for m in annotations.places.inside(span) {
            guard let p = m.place, !isDemonym(doc, m, p), m.span.length >= 3 else { continue }
            let t = doc.tokenIndex(atOrAfter: m.span.start)
            // a reference point ("southeast of Mosul") or an owner ("forces of Azerbaijan")
            if t >= 2, t - 2 >= range.lowerBound, doc.tokens[t - 1].key == keyOf || relative.contains(doc.tokens[t - 2].key) {
                let k = doc.tokens[t - 2].key
                if relative.contains(k) || owners.contains(k) { continue }
            }
            var k = t - 1
            // skip "the town of", "the city of": look back up to 4 tokens for a locative
            var locative = false
            while k >= range.lowerBound && k >= t - 4 {
                if locatives.contains(doc.tokens[k].key) { locative = true; break }
                if doc.tokens[k].kind == .punct { break }
                k -= 1
            }
            let isFine = p.precision == .settlement || p.precision == .admin2
            if coarser(first, p) { first = p }
            if isFine { fine = fine ?? p }
            if locative {
                if coarser(locativeAny, p) { locativeAny = p }
                if isFine { fineLocative = fineLocative ?? p }
            }
        }
        return fineLocative ?? fine ?? locativeAny ?? first
    }

    /// A country named by its adjective ("Syrian", "Russian"): the text is not the country's name.
    func isDemonym(_ doc: Document, _ m: Mention, _ p: PlaceRef) -> Bool {
        guard p.precision == .country || p.precision == .region else { return false }
        let text = Fold.fold(doc.string(m.span))
        if text == Fold.fold(p.name) { return false }
        if case .place(_, let aliases) = m.payload, aliases.contains(where: { Fold.fold($0) == text }) { return false }
        let last = doc.tokens[Swift.max(0, doc.tokenIndex(atOrAfter: m.span.end) - 1)]
        // "Syrian", "Azerbaijani", "Israeli": adjectives end in -n/-i/-ese/-ish
        let lastText = Fold.fold(doc.string(last.span))
        return lastText.hasSuffix("n") || lastText.hasSuffix("i") || lastText.hasSuffix("ese")
            || lastText.hasSuffix("ish") || lastText.hasSuffix("ic")
    }

    func fallbackLocation(_ doc: Document, _ annotations: Annotations, paragraph: Int) -> PlaceRef? {
        let pspan = doc.paragraphs[paragraph].span
        var firstSettlement: PlaceRef?
        for m in annotations.places.inside(pspan) {
            if let p = m.place, !isDemonym(doc, m, p) {
                if p.precision == .settlement { firstSettlement = firstSettlement ?? p }
            }
        }
        if let firstSettlement { return firstSettlement }
        for m in annotations.places.inside(pspan) { if let p = m.place, !isDemonym(doc, m, p) { return p } }
        for m in annotations.places where !doc.isBoilerplate(m.span) {
            if let p = m.place, !isDemonym(doc, m, p) { return p }
        }
        return nil
    }
}
