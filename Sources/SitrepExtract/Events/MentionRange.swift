import SitrepAnnotate
import SitrepText

extension Array where Element == Mention {
    /// The mentions inside `span`, found by binary search (the taggers' lists are sorted by span).
    func inside(_ span: Span) -> [Mention] {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].span.start < span.start { lo = mid + 1 } else { hi = mid }
        }
        var out: [Mention] = []
        var i = lo
        while i < count && self[i].span.start < span.end {
            if span.contains(self[i].span) { out.append(self[i]) }
            i += 1
        }
        return out
    }
}
