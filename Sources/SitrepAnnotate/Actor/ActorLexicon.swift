import SitrepLanguage
import SitrepText

/// Everything the actor tagger reads from `en/actors/`: polities (countries and de facto
/// territories) with names, demonyms and capitals; organs; titles; named actors; people;
/// organization head nouns; quantifiers.
package struct ActorLexicon: Sendable {
    // Polities, organs and titles are immutable classes: the patterns read them by index many
    // times per document, and a copy of a class costs one retain where a copy of a struct
    // retained each of its strings.

    /// A country or de facto polity.
    package final class Polity: Sendable {
        /// Id prefix: ISO3 for countries ("AZE"), the lexicon prefix for de facto polities ("NKR").
        package let prefix: String
        /// ISO2 of the state (for de facto polities: the state they lie in).
        package let country: String?
        package let name: String
        package let deFacto: Bool
        /// Id of "<polity> authorities" for de facto polities ("NKR.AUTH").
        package let authority: String?

        init(prefix: String, country: String?, name: String, deFacto: Bool, authority: String?) {
            self.prefix = prefix
            self.country = country
            self.name = name
            self.deFacto = deFacto
            self.authority = authority
        }
    }

    package final class Organ: Sendable {
        package let suffix: String
        package let kind: ActorRef.Kind
        package let name: String
        package let plural: Bool
        package let bare: Bool
        package let refers: [String]
        /// `refers` with a leading dot, for suffix tests without building strings.
        package let refersDotted: [String]
        /// `refers` as integer keys (`State.antecedent`).
        let refersKeys: [IdSuffixKey]
        package let provenance: String
        /// `suffix` starts with "GOV.M" (a ministry: a bare one refers back).
        package let ministry: Bool

        init(suffix: String, kind: ActorRef.Kind, name: String, plural: Bool, bare: Bool, refers: [String],
             refersDotted: [String], provenance: String) {
            self.suffix = suffix
            self.kind = kind
            self.name = name
            self.plural = plural
            self.bare = bare
            self.refers = refers
            self.refersDotted = refersDotted
            refersKeys = refers.map { IdSuffixKey($0) }
            self.provenance = provenance
            ministry = suffix.hasPrefix("GOV.M")
        }
    }

    package final class Title: Sendable {
        package let suffix: String
        package let name: String
        /// Follows an organ: "defence ministry spokesman" → <organ id>.SPOX.
        package let organ: Bool
        package let provenance: String
        /// `[suffix]` and `["." + suffix]`: the antecedent query of "the <title>".
        package let suffixes: [String]
        package let dottedSuffixes: [String]
        let suffixKeys: [IdSuffixKey]

        init(suffix: String, name: String, organ: Bool, provenance: String) {
            self.suffix = suffix
            self.name = name
            self.organ = organ
            self.provenance = provenance
            suffixes = [suffix]
            dottedSuffixes = ["." + suffix]
            suffixKeys = [IdSuffixKey(suffix)]
        }
    }

    package struct Named: Sendable {
        package let ref: ActorRef
        package let plural: Bool
        package let provenance: String
    }

    /// What a phrase of the table is. Payloads are plain integers (cheap to copy in the hot
    /// loop); `rule` indexes `rules`, the provenance of the lexicon row.
    package enum Item: Sendable {
        case country(Int, rule: Int32)
        case demonym(Int, rule: Int32)
        case capital(Int, rule: Int32)
        case organ(Int)
        case title(Int)
        case named(Int)
        case person(Int)
        case head(ActorRef.Kind, rule: Int32)
    }

    /// Provenance strings of rows referenced by `Item`s.
    package var rules: [String] = []

    mutating func rule(_ provenance: String) -> Int32 {
        rules.append(provenance)
        return Int32(rules.count - 1)
    }

    package var polities: [Polity] = []
    package var organs: [Organ] = []
    package var titles: [Title] = []
    package var named: [Named] = []
    package var persons: [Named] = []
    package var table = PhraseTable<Item>()
    package var quantifiers = PhraseSet()

    package init(
        countries: Lexicon, demonyms: Lexicon, defacto: Lexicon, organs organLex: Lexicon, titles titleLex: Lexicon,
        actors: Lexicon, persons personLex: Lexicon, heads: Lexicon, quantifiers quantLex: Lexicon
    ) throws {
        var byISO2: [String: Int] = [:]
        for row in countries.rows {
            let iso2 = row["iso2"], iso3 = row["iso3"], name = row["name"]
            guard iso2.count == 2, iso3.count == 3, !name.isEmpty else {
                throw LanguageDataError(file: countries.name, line: row.line, reason: "bad country row")
            }
            let index = polities.count
            polities.append(Polity(prefix: iso3, country: iso2, name: name, deFacto: false, authority: nil))
            byISO2[iso2] = index
            let r = rule(row.provenance)
            for v in Set(splitVariants(row["variants"]) + [name]).sorted() {
                table.insert(v, value: .country(index, rule: r))
            }
            if let capital = row.optional("capital") {
                table.insert(capital, value: .capital(index, rule: r))
            }
        }
        for row in demonyms.rows {
            guard let index = byISO2[row["country"]], !row["demonym"].isEmpty else {
                throw LanguageDataError(file: demonyms.name, line: row.line, reason: "unknown country '\(row["country"])'")
            }
            table.insert(row["demonym"], value: .demonym(index, rule: rule(row.provenance)))
        }
        for row in defacto.rows {
            let index = polities.count
            polities.append(
                Polity(prefix: row["prefix"], country: row.optional("country"), name: row["name"], deFacto: true,
                       authority: row.optional("authority")))
            let r = rule(row.provenance)
            for v in splitVariants(row["variants"]) { table.insert(v, value: .country(index, rule: r)) }
            for v in splitVariants(row["demonyms"]) { table.insert(v, value: .demonym(index, rule: r)) }
            if let capital = row.optional("capital") {
                table.insert(capital, value: .capital(index, rule: r))
            }
        }
        for row in organLex.rows {
            guard let kind = ActorRef.Kind(rawValue: row["kind"]) else {
                throw LanguageDataError(file: organLex.name, line: row.line, reason: "unknown kind '\(row["kind"])'")
            }
            let refers = splitVariants(row["refers"])
            organs.append(
                Organ(suffix: row["suffix"], kind: kind, name: row["name"], plural: row["number"] == "pl",
                      bare: row["bare"] == "yes", refers: refers.isEmpty ? [row["suffix"]] : refers,
                      refersDotted: (refers.isEmpty ? [row["suffix"]] : refers).map { "." + $0 },
                      provenance: row.provenance))
            table.insert(row["phrase"], value: .organ(organs.count - 1))
        }
        for row in titleLex.rows {
            titles.append(Title(suffix: row["suffix"], name: row["name"], organ: row["organ"] == "yes", provenance: row.provenance))
            table.insert(row["phrase"], value: .title(titles.count - 1))
            // "foreign ministers", "spokesmen" are written as the plural of the last word
            let phrase = row["phrase"]
            if phrase.hasSuffix("man") {
                table.insert(String(phrase.dropLast(3)) + "men", value: .title(titles.count - 1))
            } else if !phrase.hasSuffix("s") {
                table.insert(phrase + "s", value: .title(titles.count - 1))
            }
        }
        for row in actors.rows {
            guard let kind = ActorRef.Kind(rawValue: row["kind"]) else {
                throw LanguageDataError(file: actors.name, line: row.line, reason: "unknown kind '\(row["kind"])'")
            }
            let ref = ActorRef(id: row["id"], name: row["name"], country: row.optional("country"), kind: kind)
            named.append(Named(ref: ref, plural: row["number"] == "pl", provenance: row.provenance))
            for v in splitVariants(row["variants"]) { table.insert(v, value: .named(named.count - 1)) }
        }
        for row in personLex.rows {
            let ref = ActorRef(id: row["id"], name: row["name"], country: row.optional("country"), kind: .person)
            persons.append(Named(ref: ref, plural: false, provenance: row.provenance))
            for v in [row["name"]] + splitVariants(row["variants"]) { table.insert(v, value: .person(persons.count - 1)) }
        }
        for row in heads.rows {
            guard let kind = ActorRef.Kind(rawValue: row["kind"]) else {
                throw LanguageDataError(file: heads.name, line: row.line, reason: "unknown kind '\(row["kind"])'")
            }
            table.insert(row["head"], value: .head(kind, rule: rule(row.provenance)))
        }
        for row in quantLex.rows { quantifiers.insert(row["word"]) }
    }

    /// The bundled English lexicons.
    package static func english() throws -> ActorLexicon {
        func lex(_ name: String, _ required: [String]) throws -> Lexicon {
            try LanguageResources.lexicon("en/actors/\(name)", required: required)
        }
        return try ActorLexicon(
            countries: lex("countries.tsv", ["iso2", "iso3", "name"]),
            demonyms: lex("demonyms.tsv", ["demonym", "country", "iso3"]),
            defacto: lex("defacto.tsv", ["prefix", "name", "variants"]),
            organs: lex("organs.tsv", ["phrase", "suffix", "kind", "name"]),
            titles: lex("titles.tsv", ["phrase", "suffix", "name"]),
            actors: lex("actors.tsv", ["id", "name", "kind", "variants"]),
            persons: lex("persons.tsv", ["name", "id"]),
            heads: lex("heads.tsv", ["head", "kind"]),
            quantifiers: lex("quantifiers.tsv", ["word"]))
    }
}
