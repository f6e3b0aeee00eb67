import SitrepAnnotate
import SitrepGazetteer
import SitrepText
import Testing

/// How far a cue word reaches: a cue before a list's first item governs every item (sentences
/// written for these tests).
@Suite struct PlaceCueContextTests {
    func places(_ text: String) throws -> [(text: String, place: PlaceRef)] {
        let annotator = try Annotator.english()
        let doc = try TextProcessor.english().document(text)
        let annotations = annotator.annotate(doc, context: ArticleContext(published: CalendarDate(year: 2018, month: 2, day: 1)))
        return annotations.places.compactMap { m in m.place.map { (doc.string(m.span), $0) } }
    }

    /// "north of X and Y", "in X and Y": a weak name (one that needs a cue word) after "and"
    /// gets the cue of the list's first item.
    @Test func aCueReachesEveryItemOfItsList() throws {
        let north = try places("Saudi-led coalition jets struck the desert north of Harad and Midi on Sunday.")
        #expect(north.contains { $0.text == "Harad" && $0.place.country == "YE" })
        #expect(north.contains { $0.text == "Midi" && $0.place.country == "YE" })
        let inList = try places("Saudi-led coalition jets struck farms in Harad and Midi overnight.")
        #expect(inList.contains { $0.text == "Midi" && $0.place.country == "YE" })
        // with no cue before the list, nothing reaches it
        let between = try places("Talks between Israel and Hamas stalled, officials in Cairo said.")
        #expect(!between.contains { $0.text == "Hamas" })
    }

    /// The list item is the whole name: "Ali Baski" after a cued item is no place "Ali".
    @Test func aListCueDoesNotReachAPartOfALongerName() throws {
        let found = try places("Clashes were reported in Raju, Kafr Ker and Ali Baski on Sunday.")
        #expect(found.contains { $0.text == "Raju" })
        #expect(!found.contains { $0.text == "Ali" })
    }
}
