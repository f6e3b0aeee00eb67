import Testing
import SitrepAnnotate
import SitrepGazetteer
import SitrepIngest
import SitrepLanguage
@testable import SitrepExtract

/// Where events happen when the only hint of the country is an armed group's acronym, when a
/// division's English spelling collides with a small town's skeleton, and where a division's
/// point lies. Sentences written for these tests.
@Suite struct EventPlaceMarginTests {
    func location(_ text: String) throws -> PlaceRef? {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2018-03-04")).events.first?.location
    }

    @Test func aSyrianGroupsAcronymPlacesTheEventInSyria() throws {
        // "QSD" is the Arabic acronym of the SDF: the village with a common name is the Syrian one
        let p = try location("QSD units fought off a night raid by gunmen close to Ain Issa, losing one man.")
        #expect(p?.country == "SY")
        // without any group named, the name alone is read elsewhere: the acronym is what decides
        let q = try location("Local units fought off a night raid by gunmen close to Ain Issa, losing one man.")
        #expect(q?.country != "SY")
    }

    @Test func moreRegionalGroupsCarryTheirCountry() throws {
        let lexicon = try LanguageResources.lexicon("en/actors/actors.tsv", required: ["variants"])
        func country(of variant: String) -> String? {
            lexicon.rows.first { $0["variants"].split(separator: "|").contains { $0 == Substring(variant) } }?
                .optional("country")
        }
        #expect(country(of: "QSD") == "SY")
        #expect(country(of: "YPJ") == "SY")
        #expect(country(of: "JTS") == "SY")
        #expect(country(of: "TMF") == "IQ")
        #expect(country(of: "PMU") == "IQ")
        #expect(country(of: "Giants Brigades") == "YE")
    }

    @Test func salahuddinIsTheIraqiGovernorate() throws {
        // one word, as English news writes it: the governorate north of Baghdad, not an Erbil town
        let p = try location("A bomb hidden by a road went off beside an army patrol in Salahuddin, wounding three soldiers.")
        #expect(p?.country == "IQ")
        #expect(p?.precision == .admin1)
        #expect(p?.admin1 == "Salah ad Din")
    }

    @Test func aSaudiBorderProvinceSitsAtItsSeat() throws {
        // 'Asir's point is its seat Abha, not the middle of its empty interior 150 km further north
        let p = try location("Shells fired from across the border struck a farm in Asir, injuring a shepherd.")
        #expect(p?.country == "SA")
        if let lat = p?.lat { #expect(lat < 18.6) }
    }

    @Test func aShortDistrictNameIsReadOnlyNearTheDocumentsPlaces() throws {
        // "Razeh" (Razih) has two consonants: read as the district next to Saada, the place named
        let p = try location("Saudi shells hit a village in Razeh district on Sunday, Houthi media in Saada said.")
        #expect(p?.country == "YE")
        #expect(p?.precision == .admin2)
        #expect(p?.name == "R\u{101}zi\u{1E29}")
        // with no place to be near, two consonants are too little to go by
        let q = try location("Artillery hit farms in Razeh district, wounding a farmer.")
        #expect(q?.precision != .admin2)
        #expect(NameSkeleton.consonants("Razeh") == nil)
        #expect(NameSkeleton.consonants("Razeh", minimumConsonants: 2) == NameSkeleton.consonants("Razih", minimumConsonants: 2))
    }
}
