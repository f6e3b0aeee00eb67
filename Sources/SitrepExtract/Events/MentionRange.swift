import SitrepAnnotate
import SitrepText

extension Array where Element == Mention {
    /// The mentions inside `span`, found by binary search (the taggers' lists are sorted by span)
    /// and walked in place: no array is built.
    func inside(_ span: Span) -> MentionsInside {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].span.start < span.start { lo = mid + 1 } else { hi = mid }
        }
        return MentionsInside(list: self, span: span, index: lo)
    }
}

/// The mentions of a sorted list that lie inside a span, in list order.
struct MentionsInside: Sequence, IteratorProtocol {
    let list: [Mention]
    let span: Span
    var index: Int

    mutating func next() -> Mention? {
        while index < list.count && list[index].span.start < span.end {
            let i = index
            index += 1
            if span.contains(list[i].span) { return list[i] }
        }
        return nil
    }
}
