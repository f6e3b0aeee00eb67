import SitrepText
import Testing

@testable import SitrepAnnotate

private let processor: TextProcessor? = try? TextProcessor.english()
private let tagger: WeaponTagger? = try? WeaponTagger.english()

private func weapons(_ text: String) throws -> [(text: String, name: String, cls: String)] {
    let doc = try #require(processor).document(text)
    var a = Annotations()
    try #require(tagger).tag(doc, context: ArticleContext(published: nil), into: &a)
    return a.weapons.compactMap { m in m.weapon.map { (doc.string(m.span), $0.name, $0.class) } }
}

@Suite("Weapon tagger")
struct WeaponTaggerTests {
    @Test("named systems and their variants share a name and class")
    func variants() throws {
        for text in [
            "The city was struck with Smerch long-range multiple rocket systems.",
            "A BM-30 Smerch battery fired at dawn.",
            "Two Smerch launchers were destroyed.",
        ] {
            let w = try weapons(text)
            #expect(w.count == 1, "\(text)")
            #expect(w.first?.name == "BM-30 Smerch")
            #expect(w.first?.cls == "multiple rocket launcher")
        }
        #expect(try weapons("The city was struck with Smerch long-range multiple rocket systems.").first?.text
            == "Smerch long-range multiple rocket systems")
    }

    @Test("each family has a class")
    func classes() throws {
        let cases: [(String, String, String)] = [
            ("Grad rockets hit the market.", "BM-21 Grad", "multiple rocket launcher"),
            ("An Iskander was fired.", "Iskander", "ballistic missile"),
            ("They launched a Tochka-U missile.", "OTR-21 Tochka", "ballistic missile"),
            ("A Bayraktar TB2 drone struck the column.", "Bayraktar TB2", "drone"),
            ("A Harop loitering munition hit the bus.", "Harop", "loitering munition"),
            ("Cluster munitions were found.", "cluster munition", "cluster munition"),
            ("A roadside bomb exploded.", "roadside bomb", "explosive device"),
            ("Sniper fire killed a man.", "sniper fire", "small arms"),
            ("An airstrike hit the hospital.", "airstrike", "aircraft"),
            ("Heavy shelling continued.", "shelling", "artillery"),
            ("Mortar shells landed nearby.", "mortar shell", "mortar"),
            ("A drone strike killed two.", "drone strike", "drone"),
        ]
        for (text, name, cls) in cases {
            let w = try weapons(text)
            #expect(w.first?.name == name, "\(text): \(w.map(\.name))")
            #expect(w.first?.cls == cls, "\(text)")
        }
    }

    @Test("generic attack words are named by their singular lexicon form; plurals are recognized")
    func generic() throws {
        let w = try weapons("Airstrikes and artillery fire were followed by rocket attacks.")
        #expect(w.map(\.name) == ["airstrike", "artillery fire", "rocket attack"])
        #expect(w.map(\.cls) == ["aircraft", "artillery", "rocket"])
    }

    @Test("traps: case, compounds, ordinary words")
    func traps() throws {
        // 'grad' student, anti-tank is not a tank, 'mine' the pronoun
        #expect(try weapons("The grad student said the car was his, not mine.").isEmpty)
        #expect(try weapons("They fired an anti-tank missile.").map(\.cls) == ["anti-tank missile"])
        #expect(try weapons("An anti-tank ditch was dug.").isEmpty)
    }
}
