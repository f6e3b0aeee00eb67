import SitrepGazetteer
import SitrepText
import Testing
import SitrepAnnotate

/// Gazetteer questions the event-scene reader asks (sentences written for these tests).
@Suite struct PlaceSceneTests {
    func places(_ text: String) throws -> [(text: String, place: PlaceRef)] {
        let annotator = try Annotator.english()
        let doc = try TextProcessor.english().document(text)
        let annotations = annotator.annotate(doc, context: ArticleContext(published: CalendarDate(year: 2018, month: 2, day: 1)))
        return annotations.places.compactMap { m in m.place.map { (doc.string(m.span), $0) } }
    }

    /// Regression: a cue word before a lower-case joined article ("the town of al-Qardaha") was not
    /// seen, so the weak (alternate-name) match was dropped.
    @Test func aCueReachesPastALowerCaseArticle() throws {
        let found = try places("Two shells landed in the town of al-Qardaha on Sunday, damaging a shop.")
        #expect(found.contains { $0.text == "Qardaha" && $0.place.country == "SY" })
    }

    @Test func aTownNamedLikeItsDivisionNamesIt() throws {
        let tagger = try PlaceTagger.english()
        let aleppo = try #require(tagger.gazetteer.lookup("Aleppo").first { tagger.gazetteer.precision($0.record) == .settlement })
        #expect(tagger.namesDivision(tagger.placeRef(record: aleppo.record), text: "Aleppo"))
        // GeoNames writes "Diyarbakır Province": the suffix is no part of the name
        let diyarbakir = try #require(tagger.gazetteer.lookup("Diyarbakir").first { tagger.gazetteer.precision($0.record) == .settlement })
        #expect(tagger.namesDivision(tagger.placeRef(record: diyarbakir.record), text: "Diyarbakir"))
        let lice = try #require(tagger.gazetteer.lookup("Lice").first { tagger.gazetteer.countryCode($0.record) == "TR" })
        #expect(!tagger.namesDivision(tagger.placeRef(record: lice.record), text: "Lice"))
    }

    @Test func aDivisionAloneHasItsSeat() throws {
        let tagger = try PlaceTagger.english()
        let g = tagger.gazetteer
        let hama = try #require(g.lookup("Hama").first { g.precision($0.record) == .admin1 })
        let seat = try #require(tagger.seat(of: tagger.placeRef(record: hama.record)))
        #expect(seat.precision == .settlement)
        #expect(seat.country == "SY")
        #expect(Gazetteer.distanceKm(seat.lat, seat.lon, 35.13, 36.75) < 10)
    }

    @Test func theNamesakeNearTheDocumentsPlaces() throws {
        let tagger = try PlaceTagger.english()
        // near Aden, "Hays" is the Yemeni town, not the Kansas one
        let p = try #require(tagger.namesake(of: "Hays", near: [(12.8, 45.03)], within: 500))
        #expect(p.country == "YE")
        #expect(tagger.namesake(of: "Hays", near: [(60.0, 10.0)], within: 500) == nil)
    }
}
