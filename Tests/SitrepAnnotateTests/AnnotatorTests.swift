import SitrepText
import Testing
@testable import SitrepAnnotate

@Suite struct AnnotatorTests {
    /// Regression: "Vladimir" in a person's name was geocoded to the Russian city.
    @Test func settlementsInsidePersonNamesAreNotPlaces() throws {
        let annotator = try Annotator.english()
        let doc = try TextProcessor.english().document(
            "Russian president Vladimir Putin spoke to reporters in Vladimir on Monday.")
        let annotations = annotator.annotate(doc, context: ArticleContext(published: CalendarDate(year: 2021, month: 3, day: 1)))
        let places = annotations.places.map { doc.string($0.span) }
        #expect(places.contains("Russian"))
        #expect(places.filter { $0 == "Vladimir" }.count == 1)
        let inName = annotations.places.first { doc.string($0.span) == "Vladimir" }
        #expect(inName.map { $0.span.start > 40 } == true)
    }
}
