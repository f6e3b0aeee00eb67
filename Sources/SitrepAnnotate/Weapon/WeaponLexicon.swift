import SitrepLanguage
import SitrepText

/// The weapon lexicon (`en/weapons/weapons.tsv`) and the descriptor words that extend a named
/// system's mention (`en/weapons/descriptors.tsv`).
package struct WeaponLexicon: Sendable {
    package struct Entry: Sendable {
        package let ref: WeaponRef
        package let generic: Bool
        package let provenance: String
    }

    package var phrases = PhraseTable<Entry>()
    package var descriptors = PhraseTable<Int>()

    package init(weapons: Lexicon, descriptors: Lexicon) throws {
        for row in weapons.rows {
            let name = row["name"], cls = row["class"]
            let generic = row["generic"] == "yes"
            let variants = splitVariants(row["variants"])
            guard !name.isEmpty, !cls.isEmpty, !variants.isEmpty else {
                throw LanguageDataError(file: weapons.name, line: row.line, reason: "row needs name, class and variants")
            }
            for v in variants {
                // generic attack words keep the word as written in the lexicon ("shelling", "airstrike")
                let ref = WeaponRef(name: generic ? v : name, class: cls)
                let entry = Entry(ref: ref, generic: generic, provenance: row.provenance)
                phrases.insert(v, value: entry)
                for plural in Self.plurals(of: v) { phrases.insert(plural, value: entry) }
            }
        }
        for row in descriptors.rows {
            self.descriptors.insert(row["phrase"], value: row.line)
        }
    }

    /// The bundled English lexicon.
    package static func english() throws -> WeaponLexicon {
        try WeaponLexicon(
            weapons: LanguageResources.lexicon("en/weapons/weapons.tsv", required: ["name", "class", "variants"]),
            descriptors: LanguageResources.lexicon("en/weapons/descriptors.tsv", required: ["phrase"]))
    }

    /// Regular plurals of a phrase's last word, when it ends in a lowercase letter.
    static func plurals(of phrase: String) -> [String] {
        guard let last = phrase.unicodeScalars.last, ("a"..."z").contains(last) else { return [] }
        if phrase.hasSuffix("s") || phrase.hasSuffix("x") || phrase.hasSuffix("sh") || phrase.hasSuffix("ch") {
            return phrase.hasSuffix("s") ? [] : [phrase + "es"]
        }
        return [phrase + "s"]
    }
}
