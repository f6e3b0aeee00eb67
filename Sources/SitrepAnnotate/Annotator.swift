import SitrepGazetteer
import SitrepText

/// Runs every tagger over a document, in dependency order: time first (it fixes the anchor),
/// then places, actors (which use places' countries), weapons.
public struct Annotator: Sendable {
    public let time: TimeTagger
    public let places: PlaceTagger
    public let actors: ActorTagger
    public let weapons: WeaponTagger

    public init(time: TimeTagger, places: PlaceTagger, actors: ActorTagger, weapons: WeaponTagger) {
        self.time = time
        self.places = places
        self.actors = actors
        self.weapons = weapons
    }

    /// The bundled English data and gazetteer.
    public static func english() throws -> Annotator {
        try Annotator(
            time: .english(), places: .english(), actors: .english(), weapons: .english())
    }

    public func annotate(_ doc: Document, context: ArticleContext) -> Annotations {
        var annotations = Annotations()
        annotations.anchor = context.published
        time.tag(doc, context: context, into: &annotations)
        places.tag(doc, context: context, into: &annotations)
        actors.tag(doc, context: context, into: &annotations)
        weapons.tag(doc, context: context, into: &annotations)
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
