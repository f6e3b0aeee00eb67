import Foundation
import SitrepAnnotate
import SitrepGazetteer
import SitrepText
import Testing

/// Spelling skeletons of romanized names (Arabic and Persian script) and the place rules for
/// Middle East reports, on the bundled gazetteer. Sentences written for these tests.
@Suite struct NameSkeletonTests {
    @Test func spellingsOfOneNameShareASkeleton() {
        let pairs = [
            ("Idleb", "Idlib"), ("Khan Shaykun", "Khān Shaykhūn"), ("Jisr ash-Shugur", "Jisr ash Shughūr"),
            ("Tel Refaat", "Tall Rif‘at"), ("Dhameer", "Aḑ Ḑumayr"), ("Kafr Zeita", "Kafr Zaytā"),
            ("Deir-ez-Zor", "Deir ez-Zor"), ("Haweejah", "Al Ḩawījah"), ("Jandairis", "Jindayris"),
        ]
        for (a, b) in pairs {
            #expect(NameSkeleton.skeleton(a) != nil, "\(a)")
            #expect(NameSkeleton.skeleton(a) == NameSkeleton.skeleton(b), "\(a) / \(b)")
            #expect(NameSkeleton.key(a) == NameSkeleton.key(b), "\(a) / \(b)")
        }
    }

    @Test func differentNamesDiffer() {
        #expect(NameSkeleton.skeleton("Idlib") != NameSkeleton.skeleton("Aleppo"))
        #expect(NameSkeleton.key("Saraqib") != NameSkeleton.key("Sarmin"))
    }

    @Test func shortSkeletonsAreNotIndexed() {
        #expect(NameSkeleton.skeleton("Hama") == nil)  // "h*m*": too many namesakes
        #expect(NameSkeleton.key("Al-Duma") == nil)
        #expect(NameSkeleton.skeleton("Hama", minimumLength: 3) == "h*m*")
    }

    @Test func articlesVanishOnlyBeforeMoreWords() {
        #expect(NameSkeleton.skeleton("Al-Kubaysah") == NameSkeleton.skeleton("Kubaysah"))
        #expect(NameSkeleton.skeleton("Ma'arrat an-Nu'man") == NameSkeleton.skeleton("Maarrat al Numan"))
    }

    /// The streaming builder (token bytes) gives the key of the slow path (whole names).
    @Test func builderMatchesTheSlowPath() {
        for name in ["Khan Shaykun", "Saraqab", "Kafr Nobol", "Tall Refaat", "Maarat Harma"] {
            var b = NameSkeleton.Builder()
            for word in name.split(separator: " ") {
                let bytes = Array(word.utf8)
                let ascii = bytes.withUnsafeBufferPointer { b.feed(word: $0) }
                #expect(ascii)
            }
            #expect(b.key == NameSkeleton.key(name), "\(name)")
        }
        var b = NameSkeleton.Builder()
        let ascii = Array("Ḩamāh".utf8).withUnsafeBufferPointer { b.feed(word: $0) }
        #expect(!ascii)  // non-ASCII: the slow path
    }

    @Test func compassWords() {
        #expect(CompassPart(word: "northern") == .north)
        #expect(CompassPart(word: "South") == .south)
        #expect(CompassPart(word: "northwestern") == .northwest)
        #expect(CompassPart(word: "north-east") == .northeast)
        #expect(CompassPart(word: "central") == .center)
        #expect(CompassPart(word: "inner") == nil)
    }
}

@Suite struct MiddleEastPlaceTests {
    static func places(_ text: String) throws -> [(text: String, place: PlaceRef, rule: String)] {
        let doc = try TextProcessor.english().document(text)
        var ann = Annotations()
        try PlaceTagger.english().tag(doc, context: ArticleContext(published: nil), into: &ann)
        return ann.places.compactMap { m in
            guard case .place(let p, _) = m.payload else { return nil }
            return (doc.string(m.span), p, m.rule)
        }
    }

    @Test func romanizedSpellingsResolveBySkeleton() throws {
        let found = try Self.places("Regime forces shelled Khan Shaykun in southern Idleb on Monday.")
        let khan = found.first { $0.text == "Khan Shaykun" }
        #expect(khan?.place.geonameid == 168325)
        #expect(khan?.rule.contains("match:spelling-skeleton") ?? false)
        #expect(found.first { $0.text == "Idleb" }?.place.country == "SY")
        let jisr = try Self.places("Clashes erupted in Jisr ash-Shugur on Tuesday, residents said.")
        #expect(jisr.map(\.text) == ["Jisr ash-Shugur"])
        #expect(jisr.first?.place.country == "SY")
    }

    @Test func anArticleIsNeverAPlaceAlone() throws {
        let found = try Self.places("Warplanes struck the Al-Azzari area with several raids.")
        #expect(!found.contains { $0.text == "Al" })
        #expect(!found.contains { $0.place.country == "NO" })
    }

    @Test func armedGroupNamesHideNoPlace() throws {
        #expect(try Self.places("Fighters of Hayat Tahrir al-Sham withdrew from the town after protests.").isEmpty)
        #expect(try Self.places("Fighters of Ahrar Al Sham withdrew from the town after protests.").isEmpty)
    }

    @Test func aNameHeadKeepsItsNameTogether() throws {
        let found = try Self.places("Shells fell on Beit Sawa town near Damascus, wounding two people.")
        #expect(!found.contains { $0.text == "Sawa" })
        #expect(found.first { $0.text == "Damascus" }?.place.country == "SY")
        let tal = try Self.places("A mortar round landed in the vicinity of Tal al-Sha'ar at dawn.")
        #expect(!tal.contains { $0.text == "Tal" })
    }

    @Test func actorsLendTheirCountry() throws {
        // "Harad" is both a Swedish village and a Yemeni district town (Ḩaraḑ).
        let found = try Self.places("Houthi forces shelled government positions in Harad.")
        #expect(found.first { $0.text == "Harad" }?.place.country == "YE")
    }

    @Test func signalsReachPastDirectionWords() throws {
        let found = try Self.places("Militants attacked a checkpoint in central Haweejah district.")
        #expect(found.first?.place.country == "IQ")
    }

    @Test func curatedAreasOfSyria() throws {
        let found = try Self.places("Warplanes bombed towns in the Eastern Ghouta for a third day.")
        #expect(found.first { $0.text == "Eastern Ghouta" }?.place.country == "SY")
    }

    @Test func compassPartOfADivision() throws {
        let tagger = try PlaceTagger.english()
        let idlib = try #require(try Self.places("Jets struck targets in southern Idleb.").first?.place)
        let south = try #require(tagger.regionalPlace(idlib, text: "Idleb", part: .south))
        let north = try #require(tagger.regionalPlace(idlib, text: "Idleb", part: .north))
        #expect(south.precision == .admin1)
        #expect(south.lat < north.lat)
        // A town not named like its division ("western Mosul") has no compass part.
        let mosul = try #require(try Self.places("Fighting went on in western Mosul.").first?.place)
        #expect(tagger.regionalPlace(mosul, text: "Mosul", part: .west) == nil)
    }
}
