import SitrepAnnotate
import SitrepIngest
import SitrepText

/// The per-article result of the whole pipeline.
public struct Analysis: Sendable {
    public var article: Article
    public var document: Document
    public var annotations: Annotations
    public var events: [Event]
    public var casualties: [Casualty]
    public var claims: [Claim]
}

/// The whole per-article pipeline: Clean → Segment → Annotate → Extract. Load once (the
/// language data and gazetteer), then call `analyze` from any number of threads.
public struct Extractor: Sendable {
    public let text: TextProcessor
    public let annotator: Annotator
    public let claims: ClaimExtractor
    public let casualties: CasualtyExtractor
    public let events: EventExtractor

    public init(text: TextProcessor, annotator: Annotator, claims: ClaimExtractor,
                casualties: CasualtyExtractor, events: EventExtractor) {
        self.text = text
        self.annotator = annotator
        self.claims = claims
        self.casualties = casualties
        self.events = events
    }

    /// The bundled English language data and gazetteer.
    public static func english() throws -> Extractor {
        try english(places: { try PlaceTagger.english() })
    }

    /// The same, with the place tagger that `places` gives, asked for once everything else has
    /// loaded (a caller may be loading it on another thread meanwhile: `sitrep extract --jobs`).
    public static func english(places: () throws -> PlaceTagger) throws -> Extractor {
        let text = try TextProcessor.english()
        let time = try TimeTagger.english()
        let actors = try ActorTagger.english()
        let weapons = try WeaponTagger.english()
        let claims = try ClaimExtractor.english()
        let casualties = try CasualtyExtractor.english()
        let placeTagger = try places()
        return Extractor(
            text: text, annotator: Annotator(time: time, places: placeTagger, actors: actors, weapons: weapons),
            claims: claims, casualties: casualties, events: try .english(places: placeTagger))
    }

    public func analyze(_ article: Article) -> Analysis {
        let document = text.document(article.text)
        let context = ArticleContext(
            published: Self.publishedDate(article.published), title: article.title, source: article.source)
        var annotations = annotator.annotate(document, context: context)
        let skip = BoilerplateFilter(document.boilerplate)
        skip.filter(&annotations)
        var claimList = skip.filter(claims.extract(document, annotations))
        let casualtyList = skip.filter(casualties.extract(document, annotations, claims: claimList))
        var eventList = events.extract(document, annotations, casualties: casualtyList, claims: &claimList)
        skip.filter(&eventList, claims: &claimList)
        DuplicateClaims.merge(&claimList)
        return Analysis(
            article: article, document: document, annotations: annotations,
            events: eventList, casualties: casualtyList, claims: claimList)
    }
}

extension Extractor {
    /// `CalendarDate(iso:)` of the published date, with the usual `YYYY-MM-DD` read straight
    /// from its bytes (`CalendarDate(iso:)` splits a String: thousands of instructions). Any
    /// other shape takes `CalendarDate(iso:)` itself, so the result is always the same.
    static func publishedDate(_ published: String?) -> CalendarDate? {
        guard let published else { return nil }
        switch published.utf8.withContiguousStorageIfAvailable(Self.isoDay) ?? .other {
        case .date(let d): return d
        case .invalid: return nil
        case .other: return CalendarDate(iso: published)
        }
    }

    enum ISODay: Equatable {
        case date(CalendarDate), invalid, other
    }

    /// `DDDD-DD-DD` then nothing or an ASCII byte (so the first ten characters are those ten
    /// bytes: an ASCII byte after a digit never joins it): the date, or `invalid` when the month
    /// or day is out of range, as `CalendarDate(iso:)` decides; `other` for any other shape.
    static func isoDay(_ p: UnsafeBufferPointer<UInt8>) -> ISODay {
        guard p.count >= 10, p.count == 10 || p[10] < 0x80, p[4] == 0x2D, p[7] == 0x2D else { return .other }
        func number(_ from: Int, _ to: Int) -> Int? {
            var v = 0
            for i in from..<to {
                let d = Int(p[i]) &- 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v &* 10 &+ d
            }
            return v
        }
        guard let y = number(0, 4), let m = number(5, 7), let d = number(8, 10) else { return .other }
        guard (1...12).contains(m), (1...31).contains(d) else { return .invalid }
        return .date(CalendarDate(year: y, month: m, day: d))
    }
}

/// Later stages skip what cleaning marked: mentions, claims, figures and events read from
/// boilerplate (a repeated caption, a donation appeal) are dropped, and the indices that link
/// claims to each other and to events are remapped.
struct BoilerplateFilter {
    let spans: [Span]

    init(_ boilerplate: [Boilerplate]) {
        spans = boilerplate.map(\.span)
    }

    func overlaps(_ span: Span) -> Bool {
        for s in spans where s.overlaps(span) { return true }
        return false
    }

    /// True when a mention of `list` lies in boilerplate (read in place: no element copied).
    func anyOverlap(_ list: [Mention]) -> Bool {
        list.withUnsafeBufferPointer { p in
            for m in p.indices where overlaps(p[m].span) { return true }
            return false
        }
    }

    func filter(_ annotations: inout Annotations) {
        guard !spans.isEmpty else { return }
        // most lists have nothing in boilerplate: look before `removeAll`, which moves elements
        if anyOverlap(annotations.times) { removeOverlapping(&annotations.times) }
        if anyOverlap(annotations.places) { removeOverlapping(&annotations.places) }
        if anyOverlap(annotations.actors) { removeOverlapping(&annotations.actors) }
        if anyOverlap(annotations.weapons) { removeOverlapping(&annotations.weapons) }
    }

    /// `list.removeAll { overlaps($0.span) }` in one pass in place: the kept mentions are moved
    /// down in their order (swapped, never copied: no retain or release per mention), then the
    /// tail is dropped.
    func removeOverlapping(_ list: inout [Mention]) {
        let n = list.count
        let kept = list.withUnsafeMutableBufferPointer { p -> Int in
            var w = 0
            for i in 0..<p.count where !overlaps(p[i].span) {
                if w != i { p.swapAt(w, i) }
                w += 1
            }
            return w
        }
        if kept < n { list.removeLast(n - kept) }
    }

    /// Figures read outside boilerplate (the list itself when there is none).
    func filter(_ casualties: [Casualty]) -> [Casualty] {
        guard !spans.isEmpty else { return casualties }
        let any = casualties.withUnsafeBufferPointer { p in p.indices.contains { overlaps(p[$0].span) } }
        guard any else { return casualties }
        return casualties.filter { !overlaps($0.span) }
    }

    func filter(_ claims: [Claim]) -> [Claim] {
        guard !spans.isEmpty else { return claims }
        let keep = claims.withUnsafeBufferPointer { p in
            p.indices.map { !overlaps(p[$0].claimantSpan) && !overlaps(p[$0].verbSpan) }
        }
        // all kept: indices (and so `denies`) unchanged
        guard keep.contains(false) else { return claims }
        let newIndex = Self.remap(keep)
        return claims.indices.filter { keep[$0] }.map { i in
            var c = claims[i]
            c.denies = c.denies.flatMap { newIndex[$0] }
            return c
        }
    }

    func filter(_ events: inout [Event], claims: inout [Claim]) {
        guard !spans.isEmpty else { return }
        let keep = events.map { e in e.evidence.isEmpty || !e.evidence.allSatisfy(overlaps) }
        guard keep.contains(false) else { return }
        let newIndex = Self.remap(keep)
        events = events.indices.filter { keep[$0] }.map { events[$0] }
        for i in claims.indices {
            if case .event(let e)? = claims[i].about {
                claims[i].about = newIndex[e].map { .event($0) }
            }
        }
    }

    /// Old index → new index (nil when dropped).
    static func remap(_ keep: [Bool]) -> [Int?] {
        var next = 0
        return keep.map { k in
            guard k else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
