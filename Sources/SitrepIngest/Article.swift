/// One article, however it came in: the contract's input record.
public struct Article: Sendable, Hashable {
    /// Caller's identifier, echoed back unchanged.
    public var id: String
    /// The body; every output offset refers to this exact string.
    public var text: String
    /// `YYYY-MM-DD` or an ISO 8601 date-time, when known.
    public var published: String?
    public var title: String?
    public var source: String?
    public var url: String?

    public init(id: String, text: String, published: String? = nil, title: String? = nil,
                source: String? = nil, url: String? = nil) {
        self.id = id
        self.text = text
        self.published = published
        self.title = title
        self.source = source
        self.url = url
    }
}

/// A problem with one input, reported as `sitrep: PATH[:LINE]: reason`.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: String

    public init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}

/// What reading an input yields, in input order.
public enum InputItem: Sendable {
    /// An article, with where it came from (`path` or `path:line`).
    case article(Article, origin: String)
    /// An input that gave no article: it counts as failed.
    case failure(InputError)
    /// A repaired problem (invalid UTF-8 replaced): the article is still produced.
    case warning(InputError)
}
