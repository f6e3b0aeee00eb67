import SitrepLanguage
import SitrepText
import Testing

@testable import SitrepAnnotate

/// The actor tagger keeps the readings it composes from lexicon entries (a polity's forces, its
/// ministries) in working storage reused from one document to the next: a tagger with another
/// lexicon must never be handed them. Sentences written for this test.
@Suite("Actor scratch storage")
struct ActorScratchTests {
    static func lexicon(_ name: String, _ required: [String]) throws -> Lexicon {
        try LanguageResources.lexicon("en/actors/\(name)", required: required)
    }

    /// The English tagger with Armenia's code renamed ("XAR"): the same keys, other readings.
    static func renamedTagger() throws -> ActorTagger {
        let text = try LanguageResources.text("en/actors/countries.tsv").replacingOccurrences(of: "AM\tARM\t", with: "AM\tXAR\t")
        let countries = try Lexicon(name: "countries-renamed.tsv", text: text, required: ["iso2", "iso3", "name"])
        let actorLexicon = try ActorLexicon(
            countries: countries, demonyms: lexicon("demonyms.tsv", ["demonym", "country", "iso3"]),
            defacto: lexicon("defacto.tsv", ["prefix", "name", "variants"]),
            organs: lexicon("organs.tsv", ["phrase", "suffix", "kind", "name"]),
            titles: lexicon("titles.tsv", ["phrase", "suffix", "name"]),
            actors: lexicon("actors.tsv", ["id", "name", "kind", "variants"]),
            persons: lexicon("persons.tsv", ["name", "id"]), heads: lexicon("heads.tsv", ["head", "kind"]),
            quantifiers: lexicon("quantifiers.tsv", ["word"]))
        return try ActorTagger(
            lexicon: actorLexicon, weapons: .english(),
            joiners: LanguageResources.lexicon("en/actors/joiners.tsv", required: ["word", "role"]),
            notNames: LanguageResources.lexicon("en/actors/not-names.tsv", required: ["word"]),
            claimVerbs: LanguageResources.lexicon("en/claims/verbs.tsv", required: ["verb", "stance", "frame"]),
            claimWords: LanguageResources.lexicon("en/claims/words.tsv", required: ["word", "role"]))
    }

    @Test("two taggers tagging in turn keep their own composed readings")
    func taggersKeepTheirOwnReadings() throws {
        let doc = try TextProcessor.english().document(
            "Armenia's army shelled the outskirts on Monday, and Armenia's defence ministry denied it. "
                + "Later Armenia's foreign ministry protested to the envoy.")
        let english = try ActorTagger.english()
        let renamed = try Self.renamedTagger()
        func found(_ tagger: ActorTagger) -> [String] {
            var annotations = Annotations()
            tagger.tag(doc, context: ArticleContext(published: nil), into: &annotations)
            return annotations.actors.map { "\($0.span.start) \($0.actor?.id ?? "-") \($0.rule)" }
        }
        let first = found(english), second = found(renamed)
        #expect(first.contains { $0.contains(" ARM.") })
        #expect(second.contains { $0.contains(" XAR.") })
        #expect(!second.contains { $0.contains(" ARM.") })
        for _ in 0..<3 {
            #expect(found(english) == first)
            #expect(found(renamed) == second)
        }
    }
}
