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

/// The sentences and rule ids of a document's incidents, in two flat lists: each incident holds
/// ranges of them. Only the last incident of a document grows, so its ranges always end the lists
/// (a document's incidents allocate no lists of their own; the buffers are reused per thread).
struct IncidentLists {
    private(set) var sentences: [Int] = []
    private(set) var rules: [Int32] = []

    /// Emptied for the next document, keeping the buffers.
    mutating func reset() {
        if !sentences.isEmpty { sentences.removeAll(keepingCapacity: true) }
        if !rules.isEmpty { rules.removeAll(keepingCapacity: true) }
    }

    /// Makes `inc` the last incident: its (empty) ranges start at the lists' ends.
    mutating func start(_ inc: inout EventExtractor.Incident) {
        inc.sentences = sentences.count..<sentences.count
        inc.rules = rules.count..<rules.count
    }

    /// Appends a sentence to the last incident `inc`.
    mutating func appendSentence(_ s: Int, to inc: inout EventExtractor.Incident) {
        sentences.append(s)
        inc.sentences = inc.sentences.lowerBound..<sentences.count
    }

    /// Appends rule ids to the last incident `inc`.
    mutating func appendRules<C: Collection<Int32>>(_ ids: C, to inc: inout EventExtractor.Incident) {
        rules.append(contentsOf: ids)
        inc.rules = inc.rules.lowerBound..<rules.count
    }

    /// The last of an incident's sentences (`range`: its `sentences`), if any.
    func lastSentence(in range: Range<Int>) -> Int? {
        range.isEmpty ? nil : sentences[range.upperBound - 1]
    }
}
