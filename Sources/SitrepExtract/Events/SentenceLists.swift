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
        // written through unsafe views (no uniqueness test per element, no copy of `starts` made
        // for the fill positions): `starts` has `count + 1` entries and every sentence index is
        // checked to lie in `0..<count` before use, so `s[si + 1]` is in bounds; the fill
        // positions of sentence `si` run from `starts[si]` below `starts[si + 1] <= pairs.count`,
        // so every entry of `items` is written exactly once
        let n = pairs.count
        let starts = [Int](unsafeUninitializedCapacity: count + 1) { s, initialized in
            s.initialize(repeating: 0)
            pairs.withUnsafeBufferPointer { p in
                for k in 0..<n {
                    let si = p[k].sentence
                    precondition(si >= 0 && si < count, "SentenceLists: sentence \(si) outside 0..<\(count)")
                    s[si + 1] += 1
                }
            }
            if count > 0 {
                for i in 1...count { s[i] += s[i - 1] }
            }
            initialized = count + 1
        }
        let items = [Int](unsafeUninitializedCapacity: n) { items, initialized in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: count + 1) { next in
                starts.withUnsafeBufferPointer { s in _ = next.initialize(fromContentsOf: s) }
                pairs.withUnsafeBufferPointer { p in
                    for k in 0..<n {
                        let si = p[k].sentence
                        items[next[si]] = p[k].index
                        next[si] += 1
                    }
                }
                _ = next.deinitialize()
            }
            initialized = n
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
