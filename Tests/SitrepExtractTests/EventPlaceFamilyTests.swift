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
}
