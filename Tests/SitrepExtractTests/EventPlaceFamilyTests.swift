import Testing
import SitrepAnnotate
import SitrepGazetteer
import SitrepIngest
@testable import SitrepExtract

/// Where events happen when the text spells a place otherwise than the gazetteer (short-vowel
/// romanizations of district names). Sentences written for these tests.
@Suite struct EventPlaceFamilyTests {
    func location(_ text: String) throws -> PlaceRef? {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2018-02-20")).events.first?.location
    }

    @Test func consonantSkeletonsIgnoreShortVowels() {
        #expect(NameSkeleton.consonants("Nehm") == NameSkeleton.consonants("Nihm"))
        #expect(NameSkeleton.consonants("Nehim") == NameSkeleton.consonants("Nihm"))
        #expect(NameSkeleton.consonants("Majaz") == NameSkeleton.consonants("Majz"))
        #expect(NameSkeleton.consonants("Munabeh") == NameSkeleton.consonants("Monabbih"))
        #expect(NameSkeleton.consonants("Khab Washaaf") == NameSkeleton.consonants("Khabb wa ash Sha'af"))
        #expect(NameSkeleton.consonants("Nehm") != NameSkeleton.consonants("Majz"))
        // too few letters to mean anything
        #expect(NameSkeleton.consonants("Ali") == nil)
    }

    @Test func aDistrictSpelledWithOtherVowelsIsStillTheDistrict() throws {
        // "Nehm" / "Nehim" for Nihm, "Majaz" for Majz: the Yemeni districts, not a namesake far away
        let a = try location("Houthi fighters shelled army positions in the Qarn area of Nehm district, wounding two soldiers.")
        #expect(a?.country == "YE")
        #expect(a?.precision == .admin2)
        let b = try location("A Saudi-led coalition air strike hit a car in the Wadi area of Majaz district, killing a driver.")
        #expect(b?.country == "YE")
        #expect(b?.name == "Majz")
    }

    @Test func aRoadBetweenTwoTownsGivesWayToTheTownNamed() throws {
        // the highway is named after Damascus and Aleppo; the blast was in Saraqib
        let p = try location("A car bomb exploded near the Damascus-Aleppo highway in Saraqib town, killing three people.")
        #expect(p?.name == "Saraqib")
        let q = try location("A roadside bomb exploded near Damascus - Aleppo Highway in Saraqib, wounding a soldier.")
        #expect(q?.name == "Saraqib")
    }

    @Test func anOrganizationNamedAfterAPlaceIsNotThatPlace() throws {
        // "Sham" is an old name of Damascus; the Sham Legion is a rebel group
        let p = try location("Fighters of the Sham Legion captured Kafr Nabl town in southern Idleb after heavy clashes.")
        #expect(p?.country == "SY")
        #expect(p?.name != "Damascus")
    }

    @Test func workersOfATownProtestThere() throws {
        // a protest note names the town by its employer
        let p = try location("Dozens of workers of Doroud Railways rallied on Tuesday over months of wages owed to them.")
        #expect(p?.country == "IR")
    }

    @Test func theCountrysideOfADivisionSeatIsTheDivision() throws {
        // "Hama countryside": the governorate's populated middle, not the city itself
        let p = try location("Government artillery shelled a small farming village in Hama countryside on Sunday.")
        #expect(p?.precision == .admin1)
        #expect(p?.country == "SY")
    }

    @Test func aNameAfterALowerCaseArticleIsReadWithIt() throws {
        // "al-Bab" is the Syrian town Al Bab, not a village named Bab elsewhere
        let p = try location("A shepherd died when a mine went off on a track just outside al-Bab.")
        #expect(p?.name == "Al Bāb")
    }

    @Test func aCountryAsAModifierCastsNoVote() throws {
        // "U.S.-led" says who struck, not where: the strike was near Hawija in Iraq
        let p = try location("Jets of the U.S.-led coalition hit a tunnel used by militants near Hawija.")
        #expect(p?.country == "IQ")
    }

    @Test func aDivisionTypedAsAVillageIsAnUnknownVillage() throws {
        // "Abyan village": not the Yemeni governorate; the Syrian division named after it holds it
        let p = try location("Government troops took full control of Abyan village in the Hama countryside on Friday.")
        #expect(p?.country == "SY")
    }

    @Test func aQuarterLiesInItsCity() throws {
        // Dummar is a quarter of Damascus, not the town of Dumayr 40 km away
        let p = try location("A mortar round hit the Mezze neighborhood of the Dummar area in Damascus on Monday.")
        #expect(p?.name == "Damascus")
    }

    @Test func withNothingElseADistrictBeatsAFarCountySeat() throws {
        // no country named: "Hays" is the Yemeni district rather than the county seat in Kansas
        let p = try location("Coalition air strikes hit a fuel depot in Hays.")
        #expect(p?.country == "YE")
    }
}
