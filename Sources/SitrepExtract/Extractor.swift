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
        try Extractor(
            text: .english(), annotator: .english(), claims: .english(), casualties: .english(), events: .english())
    }

    public func analyze(_ article: Article) -> Analysis {
        let document = text.document(article.text)
        let context = ArticleContext(
            published: article.published.flatMap(CalendarDate.init(iso:)), title: article.title, source: article.source)
        let annotations = annotator.annotate(document, context: context)
        var claimList = claims.extract(document, annotations)
        let casualtyList = casualties.extract(document, annotations, claims: claimList)
        let eventList = events.extract(document, annotations, casualties: casualtyList, claims: &claimList)
        return Analysis(
            article: article, document: document, annotations: annotations,
            events: eventList, casualties: casualtyList, claims: claimList)
    }
}
