import Testing
import SitrepAnnotate
import SitrepGazetteer
import SitrepIngest
@testable import SitrepExtract

/// Reports in the style of conflict-monitor notes: a side's claim about one engagement ("claim to
/// have killed"), a governorate the writer calls a district ("Mukayras, Bayda district").
/// News-style sentences written for these tests.
@Suite struct EventLocationReportedTests {
    func event(_ text: String) throws -> Event? {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2018-02-10")).events.first
    }

    /// "claim to have killed four": one claimed act, an event with its toll and its place; a
    /// past claim of a total ("claimed to have killed 900 ... since") stays a toll over time.
    @Test func aPresentClaimToHaveKilledIsOneIncident() throws {
        let e = try #require(try event("Tribal fighters claim to have killed four militants near Mukayras on Tuesday."))
        #expect(e.fatalities?.best == 4)
        #expect(e.location?.country == "YE")
        #expect(e.location.map { Gazetteer.distanceKm($0.lat, $0.lon, 13.94, 45.67) < 5 } == true)
        let total = try event("The army claimed to have killed 900 rebels since the offensive began.")
        #expect(total?.fatalities?.best != 900)
    }

    /// "Mukayras, Bayda district": Bayda is a governorate near the document's places, not a district
    /// whose consonants match (Al Abdiyah); the town stays the scene.
    @Test func aGovernorateCalledADistrictIsNoOtherDistrict() throws {
        let e = try #require(try event("Gunmen ambushed an army patrol near Mukayras, Bayda district, on Monday, killing two soldiers."))
        #expect(e.location?.country == "YE")
        #expect(e.location.map { Gazetteer.distanceKm($0.lat, $0.lon, 13.94, 45.67) < 5 } == true)
        #expect(e.location?.name != "Al Abdiyah")
    }
}
