/// Per sentence, a list of indices (claims or casualties) in one flat buffer: what an array of
/// arrays holds, built with three allocations per document instead of one per non-empty sentence.
/// Each sentence's list keeps the order its entries were added in.
struct SentenceLists {
    /// `items[starts[s]..<starts[s + 1]]` is sentence `s`'s list.
    private(set) var starts: [Int]
    private(set) var items: [Int]

    /// `pairs` are (sentence, index) in the order they were found; a stable counting sort groups
    /// them by sentence.
    init(sentences count: Int, pairs: [(sentence: Int, index: Int)]) {
        var starts = [Int](repeating: 0, count: count + 1)
        for p in pairs { starts[p.sentence + 1] += 1 }
        if count > 0 {
            for s in 1...count { starts[s] += starts[s - 1] }
        }
        var next = starts
        var items = [Int](repeating: 0, count: pairs.count)
        for p in pairs {
            items[next[p.sentence]] = p.index
            next[p.sentence] += 1
        }
        self.starts = starts
        self.items = items
    }

    var count: Int { starts.count - 1 }

    /// Sentence `s`'s list.
    @inline(__always)
    subscript(_ s: Int) -> ArraySlice<Int> { items[starts[s]..<starts[s + 1]] }

    @inline(__always)
    func isEmpty(_ s: Int) -> Bool { starts[s] == starts[s + 1] }
}
