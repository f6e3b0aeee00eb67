import Foundation
import SitrepAnnotate
import SitrepGazetteer
import SitrepText
import Testing

/// The place tagger keeps what it read (word skeletons, place objects, rule texts) across
/// documents: a document tags the same whatever the tagger read before. Sentences written for
/// these tests.
@Suite struct PlaceCacheTests {
    typealias Found = [(text: String, name: String, geonameid: Int?, country: String?, rule: String)]

    static func places(_ text: String) throws -> Found {
        let doc = try TextProcessor.english().document(text)
        var ann = Annotations()
        try PlaceTagger.english().tag(doc, context: ArticleContext(published: nil), into: &ann)
        return ann.places.compactMap { m in
            guard case .place(let p, _) = m.payload else { return nil }
            return (doc.string(m.span), p.name, p.geonameid, p.country, m.rule)
        }
    }

    static func same(_ a: Found, _ b: Found) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.text == $1.text && $0.name == $1.name && $0.geonameid == $1.geonameid && $0.country == $1.country
                && $0.rule == $1.rule
        }
    }

    @Test func aDocumentTagsTheSameAfterOthers() throws {
        let texts = [
            "Shelling hit Khan Shaykun and Maarat al-Numan in Idleb province, residents of Saraqib said.",
            "A convoy left Kafr Nobol for Jisr ash-Shugur on Tuesday, then turned back toward Ariha.",
            "Officials in Baghdad and Erbil traded blame after the strike near Mosul and Tal Afar.",
            "Khan Shaykhun and Khan Sheikhoun were both named in the report from Hama countryside.",
        ]
        let first = try texts.map { try Self.places($0) }
        // read again, in another order: every cache is warm now
        for (i, text) in texts.enumerated().reversed() {
            let again = try Self.places(text)
            #expect(Self.same(again, first[i]), "\(text)")
        }
    }

    /// Documents tagged at the same time on several threads (each lent its own working storage
    /// and skeleton cache) tag as they do one after another.
    @Test func concurrentDocumentsTagAlike() throws {
        let texts = [
            "Shelling hit Khan Shaykun and Maarat al-Numan in Idleb province, residents of Saraqib said.",
            "A convoy left Kafr Nobol for Jisr ash-Shugur on Tuesday, then turned back toward Ariha.",
            "Officials in Baghdad and Erbil traded blame after the strike near Mosul and Tal Afar.",
            "Khan Shaykhun and Khan Sheikhoun were both named in the report from Hama countryside.",
        ]
        let serial = try texts.map { try Self.places($0) }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var same = 0, runs = 0
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 32) { k in
            let i = k % texts.count
            let ok = (try? Self.places(texts[i])).map { Self.same($0, serial[i]) } ?? false
            results.lock.lock()
            results.runs += 1
            if ok { results.same += 1 }
            results.lock.unlock()
        }
        #expect(results.runs == 32)
        #expect(results.same == 32)
    }

    /// A run of words read after another run (the skeleton of "Shaykun" after "Khan") gives the
    /// same match however often it is read.
    @Test func repeatedRunsMatchAlike() throws {
        let text = "Regime forces shelled Khan Shaykun in southern Idleb on Monday. Families fled from Khan Shaykun "
            + "in Idleb province, and more shells fell on Khan Shaykun at night."
        let found = try Self.places(text)
        let khans = found.filter { $0.text == "Khan Shaykun" }
        #expect(!khans.isEmpty)
        #expect(khans.allSatisfy { $0.geonameid == 168325 })
        #expect(Set(khans.map(\.rule)).count == 1)
        #expect(khans.allSatisfy { $0.rule.contains("match:spelling-skeleton") })
        #expect(Self.same(try Self.places(text), found))
    }
}
