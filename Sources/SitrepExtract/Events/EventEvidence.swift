import Foundation
import SitrepAnnotate
import SitrepGazetteer
import SitrepLanguage
import SitrepText

// What the document is about (its evidence points), demonyms, and the paragraph or article
// place an event falls back on.
extension EventExtractor {
    /// Positions the document is about, from what the text supports: countries named or implied by
    /// a demonym, places resolved with support from the document, divisions and capitals, and the
    /// countries of named actors.
    typealias EvidencePoint = (lat: Double, lon: Double, text: String, place: Bool, country: String?)

    func evidencePoints(_ doc: Document, _ annotations: Annotations, _ places: PlaceTagger) -> [EvidencePoint] {
        var points: [EvidencePoint] = []
        for m in annotations.places where !doc.isBoilerplate(m.span) {
            guard let p = m.place else { continue }
            let strong = p.precision == .country || p.precision == .region || p.precision == .admin1
                || p.featureCode == "PPLC"
            let supported = !m.isSkeletonMatch && !Self.endsInPrior(m.rule)
            let country = p.precision == .country || p.precision == .region
            if strong || supported { points.append((p.lat, p.lon, Self.foldedText(doc, m.span), !country, p.country)) }
        }
        // the countries seen, in first-seen order (a document names few: a list, no hashing)
        var seen: [String] = []
        for m in annotations.actors {
            guard let cc = m.actor?.country, !seen.contains(cc) else { continue }
            seen.append(cc)
            guard let q = places.countryPoint(cc) else { continue }
            points.append((q.lat, q.lon, "", false, cc))
        }
        return points
    }

    /// A country named by its adjective ("Syrian", "Russian"): the text is not the country's name.
    func isDemonym(_ doc: Document, _ m: Mention, _ p: PlaceRef) -> Bool {
        guard p.precision == .country || p.precision == .region else { return false }
        // (the three tests are independent: the ending, one fold of one token, goes first)
        let last = doc.tokens[Swift.max(0, doc.tokenIndex(atOrAfter: m.span.end) - 1)]
        // "Syrian", "Azerbaijani", "Israeli": adjectives end in -n/-i/-ese/-ish
        guard Self.hasDemonymEnding(doc, last.span) else { return false }
        if Self.foldedEqual(doc, m.span, p.name) { return false }
        if case .place(_, let aliases) = m.payload, aliases.contains(where: { Self.foldedEqual(doc, m.span, $0) }) {
            return false
        }
        return true
    }

    /// Whether the folded text of `span` ends in -n/-i/-ese/-ish/-ic. ASCII endings are read from
    /// the bytes in place; anything else takes the folding path (the same answer, slower).
    static func hasDemonymEnding(_ doc: Document, _ span: Span) -> Bool {
        let n = span.end - span.start
        guard n > 0, span.start >= 0, span.end <= doc.bytes.count else { return false }
        let tail = Swift.min(3, n)
        var b: (UInt8, UInt8, UInt8) = (0, 0, 0)  // last, second to last, third to last (lowercased)
        var ascii = true
        for k in 0..<tail {
            let x = doc.bytes[span.end - 1 - k]
            if x >= 0x80 { ascii = false; break }
            let lower = x >= 65 && x <= 90 ? x | 0x20 : x
            switch k {
            case 0: b.0 = lower
            case 1: b.1 = lower
            default: b.2 = lower
            }
        }
        guard ascii else {
            let text = Fold.fold(doc.string(span))
            return text.hasSuffix("n") || text.hasSuffix("i") || text.hasSuffix("ese") || text.hasSuffix("ish")
                || text.hasSuffix("ic")
        }
        let n_ = UInt8(ascii: "n"), i_ = UInt8(ascii: "i"), e_ = UInt8(ascii: "e"), s_ = UInt8(ascii: "s")
        let h_ = UInt8(ascii: "h"), c_ = UInt8(ascii: "c")
        if b.0 == n_ || b.0 == i_ { return true }
        if b.0 == c_ && b.1 == i_ { return true }
        if tail == 3 && b.0 == e_ && b.1 == s_ && b.2 == e_ { return true }
        if tail == 3 && b.0 == h_ && b.1 == s_ && b.2 == i_ { return true }
        return false
    }

    /// `Fold.fold(doc.string(span))`, lowercased straight from the bytes when they are ASCII (one
    /// string, none when it is short enough to be stored inline).
    static func foldedText(_ doc: Document, _ span: Span) -> String {
        // clamped as `Document.string` clamps
        let lo = Swift.max(0, Swift.min(span.start, doc.bytes.count))
        let hi = Swift.max(lo, Swift.min(span.end, doc.bytes.count))
        for x in doc.bytes[lo..<hi] where x >= 0x80 { return Fold.fold(doc.string(span)) }
        return doc.bytes.withUnsafeBufferPointer { source in
            String(unsafeUninitializedCapacity: hi - lo) { out in
                for k in 0..<(hi - lo) {
                    let x = source[lo + k]
                    out[k] = x >= 65 && x <= 90 ? x | 0x20 : x
                }
                return hi - lo
            }
        }
    }

    /// `Fold.fold(doc.string(span)) == Fold.fold(name)`, compared byte by byte when both are ASCII.
    static func foldedEqual(_ doc: Document, _ span: Span, _ name: String) -> Bool {
        guard span.start >= 0, span.end <= doc.bytes.count, span.start <= span.end else { return false }
        var ascii = true
        var equal = name.utf8.count == span.end - span.start
        var k = span.start
        for y in name.utf8 {
            if y >= 0x80 { ascii = false; break }
            guard equal else { continue }
            let x = doc.bytes[k]
            if x >= 0x80 { ascii = false; break }
            let lx = x >= 65 && x <= 90 ? x | 0x20 : x
            let ly = y >= 65 && y <= 90 ? y | 0x20 : y
            if lx != ly { equal = false }
            k += 1
        }
        if ascii && !equal {
            // a mismatch is only final when the span has no non-ASCII byte either
            for x in doc.bytes[span.start..<span.end] where x >= 0x80 { ascii = false; break }
        }
        guard ascii else { return Fold.fold(doc.string(span)) == Fold.fold(name) }
        return equal
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
