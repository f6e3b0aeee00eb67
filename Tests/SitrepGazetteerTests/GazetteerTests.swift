import Foundation
import SitrepAnnotate
import SitrepGazetteer
import SitrepLanguage
import SitrepText
import Testing

/// A gazetteer built from the hand-written fixture dump in `Fixture/` (a few rows in GeoNames format).
enum Fixture {
    static let additions = """
        op\tname\tnames\tgeonameid\tcountry\tadmin1\tlat\tlon\tfeatureCode\tprecision\tpopulation\tsource
        place\tNagorno-Karabakh\tKarabakh|Artsakh\t\tAZ\t\t39.85\t46.75\tRGN\tregion\t\ttest row
        alias\tMartuni\t\t146969\tAZ\t\t\t\t\t\t\tcontested pair
        alias\tShushi\tŞuşa\t147105\tAZ\t\t\t\t\t\t\tcontested pair
        alias\tStepanakert\tXankəndi\t146970\tAZ\t\t\t\t\t\t\tcontested pair
        unname\tGəncə\t\t584649\tAZ\t\t\t\t\t\t\twrong name on Yevlakh
        alias\tUS\tU.S.\t\tUS\t\t\t\t\tcountry\t\texonym
        """

    static let gazetteer: Result<Gazetteer, any Error> = Result {
        guard let url = Bundle.module.url(forResource: "Fixture", withExtension: nil) else {
            throw GazetteerError(file: "Fixture", reason: "test fixture missing")
        }
        let builder = GazetteerBuilder(geonamesDirectory: url.path, additions: ("fixture-additions.tsv", additions))
        let (bytes, _) = try builder.build()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sitrep-fixture-\(getpid()).sgaz").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Gazetteer.load(path: path)
    }

    static func tagger() throws -> PlaceTagger {
        let stop = try Lexicon(name: "stop", text: "text\tkind\treason\nGeorgia Tech\tphrase\tuniversity\nDallas Cowboys\tphrase\tteam\n")
        let signals = try Lexicon(name: "signals", text: "cue\tposition\nnear\tbefore\nin\tbefore\n")
        return PlaceTagger(gazetteer: try gazetteer.get(), stop: stop, signals: signals)
    }

    static func places(_ text: String) throws -> [(text: String, place: PlaceRef, aliases: [String], rule: String)] {
        let doc = try TextProcessor.english().document(text)
        var ann = Annotations()
        try tagger().tag(doc, context: ArticleContext(published: nil), into: &ann)
        return ann.places.compactMap { m in
            guard case .place(let p, let aliases) = m.payload else { return nil }
            return (doc.string(m.span), p, aliases, m.rule)
        }
    }
}

@Suite struct GazetteerBuildTests {
    @Test func diacriticsAndAzerbaijaniSchwa() throws {
        let g = try Fixture.gazetteer.get()
        for name in ["Xankəndi", "Xankendi", "Xankandi", "Stepanakert", "Khankendi"] {
            #expect(g.lookup(name).map { g.geonameid($0.record) }.contains(146970), "\(name)")
        }
        for name in ["Şuşa", "Shushi", "Shusha", "SHUSHA"] {
            #expect(g.lookup(name).map { g.geonameid($0.record) }.contains(147105), "\(name)")
        }
        for name in ["Tərtər", "Terter", "Tartar"] {
            #expect(g.lookup(name).map { g.geonameid($0.record) }.contains(584871), "\(name)")
        }
    }

    @Test func curatedRowsApply() throws {
        let g = try Fixture.gazetteer.get()
        // The wrong "Gəncə" on Yevlakh is removed; Ganja keeps it.
        let ganja = g.lookup("Gəncə").compactMap { g.geonameid($0.record) }
        #expect(ganja == [586523])
        // Curated region without a GeoNames id.
        let nk = g.lookup("Nagorno-Karabakh")
        #expect(nk.count == 1)
        #expect(nk.first.map { g.geonameid($0.record) } == .some(nil))
        #expect(nk.first.map { g.precision($0.record) } == .region)
        #expect(g.lookup("Nagorno Karabakh").count == 1)  // hyphen/space variant
        #expect(g.lookup("U.S.").map { g.precision($0.record) } == [.country])
    }

    @Test func divisionsGetMemberCoordinates() throws {
        let g = try Fixture.gazetteer.get()
        let texas = g.lookup("Texas").filter { g.precision($0.record) == .admin1 }
        #expect(texas.count == 1)
        if let t = texas.first {
            #expect(g.lat(t.record) > 32 && g.lat(t.record) < 34)
            #expect(g.admin1Name(t.record) == "Texas")
        }
        #expect(g.lookup("Lamar County").map { g.precision($0.record) } == [.admin2])
    }

    @Test func rejectsGarbage() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sitrep-bad-\(getpid()).sgaz").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("not a gazetteer at all".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: GazetteerError.self) { try Gazetteer.load(path: path) }
    }

    @Test func missingDumpIsAnError() {
        let builder = GazetteerBuilder(geonamesDirectory: "/nonexistent-dir")
        #expect(throws: GazetteerError.self) { try builder.build() }
    }
}

@Suite struct PlaceResolutionTests {
    @Test func martuniInKarabakhIsKhojavend() throws {
        let found = try Fixture.places(
            "Shelling hit Martuni overnight, officials in Stepanakert said. Azerbaijan denied firing on Nagorno-Karabakh.")
        let martuni = found.first { $0.text == "Martuni" }
        #expect(martuni?.place.geonameid == 146969)
        #expect(martuni?.place.country == "AZ")
        #expect(found.first { $0.text == "Stepanakert" }?.place.geonameid == 146970)
        #expect(found.first { $0.text == "Nagorno-Karabakh" }?.place.precision == .region)
    }

    @Test func martuniInArmeniaIsTheArmenianTown() throws {
        let found = try Fixture.places(
            "Farmers near Martuni, Gegharkunik, said the lake level fell. The mayor of Yerevan visited Armenia's east.")
        #expect(found.first { $0.text == "Martuni" }?.place.geonameid == 616438)
    }

    @Test func twoNamesOneplaceWithAliases() throws {
        let found = try Fixture.places("Fighting reached Shushi, or Shusha, on Sunday, residents told reporters.")
        let shushi = found.first { $0.text == "Shushi" }
        let shusha = found.first { $0.text == "Shusha" }
        #expect(shushi?.place.geonameid == 147105)
        #expect(shusha?.place.geonameid == 147105)
        #expect(shushi?.aliases == ["Shusha"])
        #expect(shusha?.aliases == ["Shushi"])
        let known = try Fixture.places("Rockets fell on Martuni, known by Azerbaijan as Khojavend, on Friday.")
        #expect(known.first { $0.text == "Martuni" }?.place.geonameid == 146969)
        #expect(known.first { $0.text == "Martuni" }?.aliases == ["Khojavend"])
    }

    @Test func diacriticSpellingsInText() throws {
        let found = try Fixture.places("Reporters visited Şuşa and Xankəndi, then drove to Tərtər and Ganja.")
        #expect(found.map(\.place.geonameid) == [147105, 146970, 584871, 586523])
        #expect(found.map(\.text) == ["Şuşa", "Xankəndi", "Tərtər", "Ganja"])
    }

    @Test func commaContainerPicksTheNamesake() throws {
        let texas = try Fixture.places("The storm flooded streets in Paris, Texas, on Monday.")
        #expect(texas.first { $0.text == "Paris" }?.place.country == "US")
        let france = try Fixture.places("The summit opened in Paris on Monday.")
        #expect(france.first { $0.text == "Paris" }?.place.country == "FR")
    }

    @Test func collisionsAreNotPlaces() throws {
        let found = try Fixture.places("Students at Georgia Tech protested. Later, Mr. Dallas spoke to the press.")
        #expect(found.isEmpty)
    }

    @Test func provenanceNamesTheRecordAndRule() throws {
        let found = try Fixture.places("Officials in Baku said.")
        #expect(found.first?.rule.hasPrefix("gazetteer:geonames#587084;resolve:") ?? false)
    }
}

@Suite struct NameVariantTests {
    @Test func mechanicalVariants() {
        #expect(GazetteerBuilder.variants(of: "Saint Louis").contains("St. Louis"))
        #expect(GazetteerBuilder.variants(of: "St. Petersburg").contains("Saint Petersburg"))
        #expect(GazetteerBuilder.variants(of: "Winston-Salem").contains("Winston Salem"))
        #expect(GazetteerBuilder.variants(of: "Xankəndi").contains("Xankandi"))
        let raqqa = GazetteerBuilder.variants(of: "Ar Raqqah")
        #expect(raqqa.contains("Raqqah"))
        #expect(raqqa.contains("al-Raqqah"))
        #expect(GazetteerBuilder.variants(of: "Hadrut’").contains("Hadrut"))
    }
}

@Suite struct DemonymTests {
    static let lexicon = "demonym\tcountry\nArmenian\tAM\nArmenians\tAM\nAzerbaijani\tAZ\n"

    static func tag(_ text: String, on: Bool) throws -> [Mention] {
        let demonyms = try Lexicon(name: "demonyms.tsv", text: lexicon)
        let tagger = PlaceTagger(gazetteer: try Fixture.gazetteer.get(), demonyms: demonyms, demonymsAsPlaces: on)
        let doc = try TextProcessor.english().document(text)
        var ann = Annotations()
        tagger.tag(doc, context: ArticleContext(published: nil), into: &ann)
        return ann.places
    }

    @Test func adjectivalDemonymIsTheCountryWhenEnabled() throws {
        let found = try Self.tag("Armenian officials said Azerbaijani drones struck Stepanakert. Armenians fled.", on: true)
        let countries = found.compactMap { m -> String? in m.rule.hasPrefix("demonym:") ? m.place?.country : nil }
        #expect(countries == ["AM", "AZ"])  // the plural noun "Armenians" is not a place
        #expect(found.contains { $0.place?.geonameid == 146970 })
    }

    @Test func demonymsAreNotPlacesWhenDisabled() throws {
        let found = try Self.tag("Armenian officials said Azerbaijani drones struck Stepanakert.", on: false)
        #expect(found.allSatisfy { !$0.rule.hasPrefix("demonym:") })
        #expect(found.count == 1)
    }

    @Test func stopPhraseBlocksPersonName() throws {
        let found = try Fixture.places("The Dallas Cowboys played in Paris, Texas, on Sunday.")
        #expect(found.map(\.text) == ["Paris", "Texas"])
    }
}

@Suite struct PersonAndCityTests {
    @Test func surnamesAreNotPlaces() throws {
        // "Kelly" is a small town in the fixture; here it is a person throughout.
        let found = try Fixture.places(
            "Officers said Tom Kelly was arrested in Atlanta. Kelly told reporters he was innocent.")
        #expect(found.map(\.text) == ["Atlanta"])
        let initial = try Fixture.places("Police in Atlanta charged Maria T. Kelly on Monday.")
        #expect(initial.map(\.text) == ["Atlanta"])
    }

    @Test func bigCityOverItsDivision() throws {
        let found = try Fixture.places("Protesters marched in New York on Saturday, police in Albany said.")
        #expect(found.first { $0.text == "New York" }?.place.geonameid == 5128581)
    }

    @Test func twoWordDemonym() throws {
        let demonyms = try Lexicon(name: "demonyms.tsv", text: "demonym\tcountry\nSouth Korean\tKR\nAmerican\tUS\n")
        let tagger = PlaceTagger(gazetteer: try Fixture.gazetteer.get(), demonyms: demonyms, demonymsAsPlaces: true)
        let doc = try TextProcessor.english().document("American and South Korean officials met.")
        var ann = Annotations()
        tagger.tag(doc, context: ArticleContext(published: nil), into: &ann)
        // The fixture has no South Korea record, so only "American" can be tagged.
        #expect(ann.places.map { doc.string($0.span) } == ["American"])
    }
}

/// Tables a gazetteer derives on first use belong to that gazetteer: two gazetteers of the same
/// size in one process never share them (they were once cached process-wide by record count).
@Suite struct DerivedTableTests {
    static func gazetteer(district: String) throws -> Gazetteer {
        guard let url = Bundle.module.url(forResource: "Fixture", withExtension: nil) else {
            throw GazetteerError(file: "Fixture", reason: "test fixture missing")
        }
        let additions = """
            op\tname\tnames\tgeonameid\tcountry\tadmin1\tlat\tlon\tfeatureCode\tprecision\tpopulation\tsource
            place\t\(district)\t\t\tYE\t\t15.9\t43.4\tADM2\tadmin2\t\ttest row
            """
        let (bytes, _) = try GazetteerBuilder(geonamesDirectory: url.path, additions: ("derived-\(district).tsv", additions)).build()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sitrep-derived-\(district)-\(getpid()).sgaz").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Gazetteer.load(path: path)
    }

    @Test func consonantDistrictsBelongToTheirGazetteer() throws {
        let razih = try Self.gazetteer(district: "Razih")
        let kuhlan = try Self.gazetteer(district: "Kuhlan")
        #expect(razih.count == kuhlan.count)
        let rzh = try #require(NameSkeleton.consonants("Razih", minimumConsonants: 2))
        let khln = try #require(NameSkeleton.consonants("Kuhlan", minimumConsonants: 2))
        // the first gazetteer asked builds its table; the second must not see it
        #expect(razih.districts(withConsonants: rzh).map { razih.name($0) } == ["Razih"])
        #expect(kuhlan.districts(withConsonants: rzh).isEmpty)
        #expect(kuhlan.districts(withConsonants: khln).map { kuhlan.name($0) } == ["Kuhlan"])
        #expect(razih.districts(withConsonants: khln).isEmpty)
        // a copy shares its gazetteer's table
        let copy = razih
        #expect(copy.districts(withConsonants: rzh) == razih.districts(withConsonants: rzh))
    }
}
