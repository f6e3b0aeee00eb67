import Testing
import SitrepAnnotate
import SitrepGazetteer
import SitrepIngest
@testable import SitrepExtract

/// Where events happen when a name's first reading lies elsewhere: a division of another continent
/// read from a common word, a town outside the container named with it, a town "to the south of"
/// another. News-style sentences written for these tests.
@Suite struct EventLocationNamesakeTests {
    func location(_ text: String) throws -> PlaceRef? {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2018-02-10")).events.first?.location
    }

    @Test func aDivisionOfAnotherContinentReadFromACommonWordIsNoScene() throws {
        // "Sud" is a department of Haiti, "Bali" a province of Indonesia: in a report from Saada or
        // Aleppo they are words of longer local names, and the district or town named with them is the scene
        let a = try location("Government troops took control of the As Sud hills in Baqim district of Saada after clashes with Houthi fighters.")
        #expect(a?.country == "YE")
        #expect(a?.name == "Baqim")
        let b = try location("Houthi fighters shelled army positions on the Sud ridge in Baqim district, wounding two soldiers.")
        #expect(b?.country == "YE")
        let c = try location("Turkish forces clashed with YPG fighters in Bali-Koy in Bulbul township on Sunday.")
        #expect(c?.country == "SY")
        #expect(c?.name == "Bulbul")
    }

    @Test func aTownOutsideItsContainerIsTheNamesakeInside() throws {
        // "Kayapinar" is a town and a district of Diyarbakir: the district the container holds, not the city
        let p = try location("A roadside bomb wounded two policemen near a checkpoint in the Kayapinar district of Diyarbakir.")
        #expect(p?.country == "TR")
        #expect(p?.name == "Kayapınar")
        // "Al Mansurah" is also a city in Egypt: the one of Aden is meant
        let q = try location("Gunmen shot dead a security officer in Al Mansurah of Aden on Sunday.")
        #expect(q?.country == "YE")
        #expect(q.map { Gazetteer.distanceKm($0.lat, $0.lon, 12.86, 44.98) < 10 } == true)
    }

    @Test func aTownToTheSouthOfAnotherLiesNearIt() throws {
        // the town of that name in Syria is no town "to the south of Jenin"
        let p = try location("Troops fired tear gas at youths near the village of Jaba to the south of Jenin late on Friday.")
        #expect(p?.country == "PS")
        #expect(p.map { Gazetteer.distanceKm($0.lat, $0.lon, 32.46, 35.30) < 25 } == true)
    }

    @Test func aCityNamedByItsOwnNameStays() throws {
        // Erbil lies in Iraq; the report's Syrians and Turks do not move it (regression guard)
        let p = try location("Dozens of Syrian Kurds rallied in Erbil on Sunday against the Turkish offensive in Afrin.")
        #expect(p?.country == "IQ")
    }

    @Test func aNamesakeIsLookedUpInTheGivenCountriesOnly() throws {
        let tagger = try PlaceTagger.english()
        // Al Mansurah: a city in Egypt, a district of Aden in Yemen
        let yemen = try #require(tagger.namesake(of: "Al Mansurah", inCountries: ["YE"], near: [(lat: 12.78, lon: 45.04)]))
        #expect(yemen.country == "YE")
        let egypt = try #require(tagger.namesake(of: "Al Mansurah", inCountries: ["EG"], near: []))
        #expect(egypt.country == "EG")
        #expect(tagger.namesake(of: "Al Mansurah", inCountries: [], near: []) == nil)
        // within a radius: none of that name lies within 5 km of Sanaa
        #expect(tagger.namesake(of: "Al Mansurah", inCountries: ["YE"], near: [(lat: 15.35, lon: 44.21)], within: 5) == nil)
    }
}

/// Several compass parts named together spread an event over the division (sentences written for
/// these tests).
@Suite struct EventLocationPartsTests {
    func location(_ text: String) throws -> PlaceRef? {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2018-02-10")).events.first?.location
    }

    @Test func twoPartsOfADivisionAreTheDivisionsSeat() throws {
        // "the eastern and western countryside of Hama": the governorate, coded at Hama city
        let p = try location("Shells fell on farms across the eastern and western countryside of Hama on Sunday, damaging homes.")
        #expect(p?.country == "SY")
        #expect(p?.precision == .settlement)
        #expect(p.map { Gazetteer.distanceKm($0.lat, $0.lon, 35.13, 36.75) < 10 } == true)
        // parts of two divisions: the first division's seat
        let q = try location("Warplanes carried out raids on villages across southeast Idleb and northwest Hama, wounding four civilians.")
        #expect(q.map { Gazetteer.distanceKm($0.lat, $0.lon, 35.93, 36.63) < 10 } == true)
    }

    @Test func onePartStaysThePart() throws {
        // one part named: the populated middle of that part, not the seat
        let p = try location("Government artillery shelled villages in the northern countryside of Hama on Sunday, damaging homes.")
        #expect(p?.precision == .admin1)
        #expect(p?.name == "northern Hama")
    }
}
