import SitrepLanguage
import SitrepText

/// Recognizes weapons and means of attack, with their class: named systems ("BM-30 Smerch",
/// "Smerch long-range multiple rocket systems") and generic attack words ("shelling", "airstrike").
public struct WeaponTagger: Sendable {
    let lexicon: WeaponLexicon
    /// The phrases' first-token filter as start marks, for a tagger run on its own.
    let startMarks: StartMarks

    package init(lexicon: WeaponLexicon) {
        self.lexicon = lexicon
        let filter = lexicon.phrases.index.tokenFilter
        var marks = StartMarks()
        marks.add(filter.any, bit: StartMarks.slotWeaponAny)
        marks.add(filter.capital, bit: StartMarks.slotWeaponCapital)
        startMarks = marks
    }

    public static func english() throws -> WeaponTagger {
        try WeaponTagger(lexicon: .english())
    }

    static let hyphen = Fold.key("-")

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {
        tag(doc, context: context, into: &annotations, marks: startMarks.marks(doc.tokens))
    }

    /// `tag` with the document's start marks already read (`Annotator` reads them once for all
    /// taggers).
    func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations, marks: [UInt8]) {
        let tokens = doc.tokens
        let hyphen = Self.hyphen
        var found: [Mention] = []
        found.reserveCapacity(16)  // (most reports name a few: one allocation, no regrowth)
        // the scan reads tokens and marks through unsafe views (no bounds checks per token)
        tokens.withUnsafeBufferPointer { tp in
        marks.withUnsafeBufferPointer { marks in
        for sentence in doc.sentences {
            let limit = sentence.tokens.upperBound
            var i = sentence.tokens.lowerBound
            while i < limit {
                // cheap rejection: marks skipped eight at a time
                i = StartMarks.next(marks, from: i, to: limit, want: StartMarks.weapon)
                if i >= limit { break }
                let t = tp[i]
                // not the tail of a hyphenated compound ("anti-tank" is not a tank)
                let joined = i > sentence.tokens.lowerBound && !t.has(.spaceBefore) && tp[i - 1].key == hyphen
                guard t.kind == .word || t.kind == .number, !joined,
                    let m = lexicon.phrases.longest(tokens, at: i, limit: limit),
                    let entry = m.values.first
                else {
                    i += 1
                    continue
                }
                var end = m.end
                if !entry.generic {
                    // "Smerch long-range multiple rocket systems": descriptors extend a named system
                    while let d = lexicon.descriptors.longest(tokens, at: end, limit: limit) {
                        end = d.end
                    }
                }
                found.append(Mention(span: doc.span(of: i..<end), payload: .weapon(entry.ref), rule: entry.provenance))
                i = end
            }
        }
        }
        }
        if annotations.weapons.isEmpty {
            swap(&annotations.weapons, &found)  // handed over, not copied mention by mention
        } else {
            annotations.weapons.append(contentsOf: found)
        }
        annotations.weapons.sortBySpan()
    }
}
