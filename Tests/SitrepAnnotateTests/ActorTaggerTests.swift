import SitrepLanguage
import SitrepText
import Testing

@testable import SitrepAnnotate

private let processor: TextProcessor? = try? TextProcessor.english()
private let tagger: ActorTagger? = try? ActorTagger.english()

/// (mention text, id, kind) for every actor mention of a text.
private func actors(_ text: String) throws -> [(text: String, id: String, kind: String, country: String?)] {
    let doc = try #require(processor).document(text)
    var a = Annotations()
    try #require(tagger).tag(doc, context: ArticleContext(published: nil), into: &a)
    return a.actors.compactMap { m in
        m.actor.map { (doc.string(m.span), $0.id, $0.kind.rawValue, $0.country) }
    }
}

private func ids(_ text: String) throws -> [String] { try actors(text).map(\.id) }

@Suite("Actor tagger")
struct ActorTaggerTests {
    @Test("lexicons load and every country has a demonym")
    func lexiconsCoverCountries() throws {
        let countries = try LanguageResources.lexicon("en/actors/countries.tsv", required: ["iso2", "iso3", "name"])
        let demonyms = try LanguageResources.lexicon("en/actors/demonyms.tsv", required: ["demonym", "country", "iso3"])
        let iso2WithDemonym = Set(demonyms.rows.map { $0["country"] })
        #expect(countries.rows.count > 240)
        for row in countries.rows {
            #expect(iso2WithDemonym.contains(row["iso2"]), "no demonym for \(row["iso2"]) \(row["name"])")
        }
        for row in demonyms.rows {
            let country = countries.rows.first { $0["iso2"] == row["country"] }
            #expect(country?["iso3"] == row["iso3"], "\(row.provenance): iso3 disagrees with countries.tsv")
        }
    }

    @Test("states, forces and organs compose from polity and organ")
    func statesAndOrgans() throws {
        #expect(try ids("Azerbaijani forces shelled the village.") == ["AZE.MIL"])
        #expect(try ids("The Armenian army said it repelled the attack.") == ["ARM.MIL"])
        #expect(try ids("Russian troops were deployed on Tuesday.") == ["RUS.MIL"])
        #expect(try ids("Azerbaijan's defence ministry published a video.") == ["AZE.GOV.MOD"])
        #expect(try ids("Azerbaijan’s defense ministry published a video.") == ["AZE.GOV.MOD"])
        #expect(try ids("The Ministry of Defence of Azerbaijan published a video.") == ["AZE.GOV.MOD"])
        #expect(try ids("Officials in Armenia disputed the figure.") == ["ARM.GOV"])
        #expect(try ids("The US State Department urged restraint.") == ["USA.GOV.MFA"])
        let a = try actors("Armenia's foreign ministry summoned the envoy.")
        #expect(a.first?.text == "Armenia's foreign ministry")
        #expect(a.first?.kind == "government")
        #expect(a.first?.country == "AM")
    }

    @Test("a polity before a weapon is that polity's forces; -made names the state")
    func polityWeapon() throws {
        let a = try actors("The town was hit by Azerbaijan's Smerch rockets and Armenian shelling.")
        #expect(a.map(\.id) == ["AZE.MIL", "ARM.MIL"])
        #expect(a.map(\.text) == ["Azerbaijan", "Armenian"])
        let t = try actors("Turkish-made drones circled over the front.")
        #expect(t.map(\.id) == ["TUR"])
        #expect(t.first?.text == "Turkish")
    }

    @Test("de facto authorities are coded under Azerbaijan")
    func deFacto() throws {
        let a = try actors("Nagorno-Karabakh authorities said ethnic Armenian forces held the line. The Karabakh defence ministry agreed.")
        #expect(a.map(\.id) == ["NKR.AUTH", "NKR.MIL", "NKR.GOV.MOD"])
        #expect(a.allSatisfy { $0.kind == "de-facto-authority" && $0.country == "AZ" })
        #expect(try ids("In Nagorno-Karabakh, separatist officials gave no figures.") == ["NKR.AUTH"])
    }

    @Test("people with roles, and later short references")
    func people() throws {
        let a = try actors(
            "Russian president Vladimir Putin met American secretary of state Mike Pompeo. Later Pompeo said little, and Putin left.")
        #expect(a.map(\.id) == ["RUS.GOV.PRES", "USA.GOV.SOS", "USA.GOV.SOS", "RUS.GOV.PRES"])
        #expect(a.map(\.text) == [
            "Russian president Vladimir Putin", "American secretary of state Mike Pompeo", "Pompeo", "Putin",
        ])
        #expect(a.allSatisfy { $0.kind == "person" })
        let b = try actors("Azerbaijani Defence Minister Zakir Hasanov visited the front. Hasanov spoke briefly.")
        #expect(b.map(\.id) == ["AZE.GOV.DM", "AZE.GOV.DM"])
        // a short name never seen in full is nobody
        #expect(try ids("Hasanov spoke briefly.") == [])
    }

    @Test("spokespeople of organs and coordinated polities")
    func spokespeopleAndCoordination() throws {
        let a = try actors("Armenian defence ministry spokeswoman Anna Petrosyan denied it.")
        #expect(a.map(\.id) == ["ARM.GOV.MOD.SPOX"])
        #expect(a.first?.text == "Armenian defence ministry spokeswoman Anna Petrosyan")
        let b = try actors("The Armenian and Azerbaijani foreign ministers met in Geneva.")
        #expect(b.map(\.id) == ["ARM.GOV.FM", "AZE.GOV.FM"])
    }

    @Test("organizations, media and their aliases share one id")
    func organizations() throws {
        let a = try actors(
            "Reporters Without Borders (RSF) and the Committee to Protect Journalists wrote to the OSCE Minsk Group, Reuters and TASS reported.")
        #expect(a.map(\.id) == ["NGO.RSF", "NGO.RSF", "NGO.CPJ", "OSCE.MG", "MEDIA.REUTERS", "MEDIA.TASS"])
        #expect(a.map(\.kind) == ["ngo", "ngo", "ngo", "international-org", "media", "media"])
    }

    @Test("acronyms need capitals; country names that are places are not actors")
    func caseAndPlaces() throws {
        #expect(try ids("Those who fled told us what happened.") == [])
        #expect(try ids("The WHO and the US sent aid.") == ["UN.WHO", "USA"])
        #expect(try ids("Talks between Armenia and Azerbaijan stalled; the region lies within Azerbaijan.") == [])
        #expect(try ids("Diplomats from Armenia and Azerbaijan met. Azerbaijan rejected the plan.") == ["AZE"])
    }

    @Test("victim groups and unidentified sources with their quantifiers")
    func groups() throws {
        let a = try actors("Three sources working there said two journalists and 37 civilians were hurt, along with a teenager.")
        #expect(a.map(\.text) == ["Three sources", "two journalists", "37 civilians", "a teenager"])
        #expect(a.map(\.kind) == ["unidentified-sources", "civilians", "civilians", "civilians"])
    }

    @Test("'the ministry' refers back to the latest ministry")
    func definiteReference() throws {
        let a = try actors("Armenia's defence ministry released footage. Later the ministry withdrew it.")
        #expect(a.map(\.id) == ["ARM.GOV.MOD", "ARM.GOV.MOD"])
        #expect(a.last?.text == "ministry")
    }

    @Test("separatists belong to the de facto polity the article names")
    func separatists() throws {
        let a = try actors("Separatist officials in Abkhazia said separatists had left. Karabakh is calm.")
        #expect(a.map(\.id) == ["ABK.AUTH", "ABK.MIL"])
        #expect(a.allSatisfy { $0.country == "GE" })
        // with no polity named they stay generic
        #expect(try ids("Separatist fighters attacked the post.") == ["SEPARATIST.MIL"])
    }

    @Test("a repeated organ without a country is the one named before")
    func repeatedOrgan() throws {
        let a = try actors("The Georgian Interior Ministry said so. Interior Ministry spokesman Shota Utiashvili agreed.")
        #expect(a.map(\.id) == ["GEO.GOV.MOI", "GEO.GOV.MOI.SPOX"])
    }

    @Test("unknown but well-formed organizations get a generated id")
    func unknownOrganizations() throws {
        let a = try actors("Fighters of the Xyz Brigade entered the town, the Ministry of Agriculture of Georgia said.")
        #expect(a.map(\.id) == ["AG.MILITANTS", "X.XYZ_BRIGADE", "GEO.MINISTRY_OF_AGRICULTURE"])
        #expect(a[1].kind == "armed-group")
        #expect(a[2].country == "GE")
        #expect(try ids("The Armenian Ministry of Education closed schools.") == ["ARM.MINISTRY_OF_EDUCATION"])
    }

    @Test("mentions are sorted, disjoint and inside the text on arbitrary input")
    func robustness() throws {
        let samples = [
            "", "'s", "the", "Russian", "Azerbaijan's", "President", "President of", "the Ministry of",
            "Brigade", "X Brigade of", "Turkish-", "Turkish-made", "“Pompeo,” said", "al-", "((RSF",
            String(repeating: "Armenian and ", count: 50), "Ministry of Defence of the",
            "ЛНР and ДНР forces; 東京 officials said 🙂",
        ]
        for text in samples {
            let doc = try #require(processor).document(text)
            var a = Annotations()
            try #require(tagger).tag(doc, context: ArticleContext(published: nil), into: &a)
            var last = -1
            for m in a.actors {
                #expect(m.span.start >= last && m.span.start < m.span.end && m.span.end <= doc.bytes.count)
                last = m.span.end
            }
        }
    }
}

@Suite("Actor lexicon examples")
struct ActorExampleTests {
    @Test("every row of en/actors/examples.tsv")
    func examples() throws {
        let lexicon = try LanguageResources.lexicon("en/actors/examples.tsv", required: ["text", "mention", "id"])
        #expect(!lexicon.rows.isEmpty)
        for row in lexicon.rows {
            let found = try actors(row["text"])
            let m = found.first { $0.text == row["mention"] }
            #expect(m?.id == row["id"], "\(row.provenance): \(found.map { "\($0.text)=\($0.id)" })")
        }
    }
}
