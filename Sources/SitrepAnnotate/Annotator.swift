import SitrepGazetteer
import SitrepText

/// Runs every tagger over a document, in dependency order: time first (it fixes the anchor),
/// then places, actors (which use places' countries), weapons.
public struct Annotator: Sendable {
    public let time: TimeTagger
    public let places: PlaceTagger
    public let actors: ActorTagger
    public let weapons: WeaponTagger
    /// The time, actor and weapon filters in one table: a document's start marks are read once.
    let startMarks: StartMarks

    public init(time: TimeTagger, places: PlaceTagger, actors: ActorTagger, weapons: WeaponTagger) {
        self.time = time
        self.places = places
        self.actors = actors
        self.weapons = weapons
        var marks = time.startMarks
        marks.formUnion(actors.startMarks)
        marks.formUnion(weapons.startMarks)
        startMarks = marks
    }

    /// The bundled English data and gazetteer.
    public static func english() throws -> Annotator {
        try Annotator(
            time: .english(), places: .english(), actors: .english(), weapons: .english())
    }

    public func annotate(_ doc: Document, context: ArticleContext) -> Annotations {
        var annotations = Annotations()
        annotations.anchor = context.published
        let marks = startMarks.marks(doc.tokens)
        time.tag(doc, context: context, into: &annotations, marks: marks)
        places.tag(doc, context: context, into: &annotations, marks: marks)
        actors.tag(doc, context: context, into: &annotations, marks: marks)
        weapons.tag(doc, context: context, into: &annotations, marks: marks)
        Self.dropPlacesInsidePersonNames(&annotations)
        return annotations
    }

    /// A settlement named inside a person's name is the name, not the place ("Vladimir" in
    /// "Russian president Vladimir Putin", "Jordan" in "Michael Jordan"). Country- and
    /// region-level mentions inside the span stay: "Russian" there does name Russia.
    static func dropPlacesInsidePersonNames(_ annotations: inout Annotations) {
        // (spans read in place: filtering the mentions would copy each one)
        var people: [Span] = []
        for i in annotations.actors.indices where annotations.actors[i].actor?.kind == .person {
            people.append(annotations.actors[i].span)
        }
        guard !people.isEmpty, !annotations.places.isEmpty else { return }
        annotations.places.removeAll { mention in
            guard let place = mention.place, place.precision == .settlement || place.precision == .admin2 else { return false }
            return people.contains { $0.contains(mention.span) }
        }
    }
}

extension Array where Element == Mention {
    /// Sorts mentions by span (a stable sort), unless they are in span order already: a tagger
    /// finds most in document order, and one pass of comparisons costs less than a sort that
    /// moves every mention through a merge buffer. (A stable sort leaves an ordered list as it is.)
    mutating func sortBySpan() {
        let ordered = withUnsafeBufferPointer { m in
            var k = 1
            while k < m.count && !(m[k].span < m[k - 1].span) { k += 1 }
            return k >= m.count
        }
        if !ordered { sort { $0.span < $1.span } }
    }
}
