import SitrepGazetteer

/// The place tagger's working storage for one document: hash maps, the readings pool and the
/// votes list, reused from one document to the next (emptied, not reallocated), and the
/// skeleton cache of the words met before. A tagger lends one to each document it tags
/// (`ScratchPool`): documents tagged at the same time on different threads each get their own.
struct PlaceScratch: ScratchStorage {
    /// Spelling skeletons of words read before (kept across documents: a pure cache).
    var skeletons = SkeletonTable()
    /// Per entry, its best records' range of the pool (`topPostings`).
    var tops = GrowingIndexMap(capacity: 32)
    /// Per entry, its ranked records' range of the pool.
    var ranked = GrowingIndexMap(capacity: 32)
    /// Token key of each one-word name → how it is used elsewhere (`filter`).
    var singles = GrowingIndexMap(capacity: 32)
    /// Phrase key → name number (`resolve`).
    var names = GrowingIndexMap(capacity: 32)
    /// Division → slot of its summed votes (`resolve`).
    var admin1 = GrowingIndexMap(capacity: 8)
    /// Records already taken as proximity anchors (`resolve`).
    var anchors = GrowingIndexMap(capacity: 16)
    var pool: [PlaceTagger.Reading] = []
    /// The names recognized, and those the filters keep (`recognize`; the kept list is handed
    /// back by `tag` when the document is tagged).
    var found: [PlaceTagger.Candidate] = []
    var kept: [PlaceTagger.Candidate] = []
    var votes: [Int] = []
    /// Place objects and rule texts made before (kept across documents).
    var made = MadeRefs()
    /// Priors of the records ranked before (kept across documents: a pure cache).
    var priors = PriorCache()
    /// The lists `resolve` works in (lent to it per document).
    var resolveBuffers = PlaceTagger.ResolveBuffers()

    /// Empties the per-document parts (the skeleton cache stays).
    mutating func reset(tokens: Int) {
        tops.reset(capacity: 32)
        pool.removeAll(keepingCapacity: true)
        votes.removeAll(keepingCapacity: true)
        pool.reserveCapacity(tokens / 4 + 16)
    }
}

/// The spelling skeletons of words read before: first words of a run by token key, later words
/// by the state before them and their key (`SkeletonTable.stepKey`), each with the state after
/// it (nil: the word does not fold to ASCII letters) and the index entry that state names
/// (-1: none). The names of a news stream repeat within a report and from one report to the
/// next: their letters are read once. A pure cache (what it returns is what reading the letters
/// gives), emptied when full.
struct SkeletonTable {
    typealias Read = (builder: NameSkeleton.Builder?, entry: Int)
    private(set) var wordSlot = GrowingIndexMap(capacity: 256)
    private(set) var words: [Read] = []
    private(set) var stepSlot = GrowingIndexMap(capacity: 256)
    private(set) var steps: [(from: NameSkeleton.Builder, word: UInt64, read: Read)] = []
    static let limit = 1 << 15

    @inline(__always)
    static func stepKey(_ from: NameSkeleton.Builder, _ word: UInt64) -> UInt64 {
        Gazetteer.extend(Gazetteer.extend(from.hash, from.state), word)
    }

    /// The first word of a run, read before.
    @inline(__always)
    func word(_ key: UInt64) -> Read? {
        guard let s = wordSlot[key] else { return nil }
        return words[s]
    }

    mutating func addWord(_ key: UInt64, _ builder: NameSkeleton.Builder?, _ entry: Int) {
        if words.count >= Self.limit {
            wordSlot.reset(capacity: 256)
            words.removeAll(keepingCapacity: true)
        }
        wordSlot.insert(key, words.count)
        words.append((builder, entry))
    }

    /// The state after `word` fed to `from`, read before (nil when not kept, or the key names
    /// another step).
    @inline(__always)
    func step(_ key: UInt64, from: NameSkeleton.Builder, word: UInt64) -> Read? {
        guard let s = stepSlot[key] else { return nil }
        let st = steps[s]
        guard st.word == word, st.from.hash == from.hash, st.from.state == from.state else { return nil }
        return st.read
    }

    /// Keeps a step (the first one read under its key).
    mutating func addStep(_ key: UInt64, from: NameSkeleton.Builder, word: UInt64, _ builder: NameSkeleton.Builder?,
                          _ entry: Int) {
        if steps.count >= Self.limit {
            stepSlot.reset(capacity: 256)
            steps.removeAll(keepingCapacity: true)
        }
        guard stepSlot[key] == nil else { return }
        stepSlot.insert(key, steps.count)
        steps.append((from, word, (builder, entry)))
    }
}

/// The priors of records ranked before, by record and name kind: `PlaceTagger.prior` is a pure
/// function of the two (and of the tagger's frozen gazetteer and bonuses), and a news stream
/// names the same places again and again. Emptied when full.
struct PriorCache {
    private var slot = GrowingIndexMap(capacity: 256)
    private var values: [Double] = []
    static let limit = 1 << 15

    /// `tagger.prior(r, kind)`, computed once per (record, kind).
    @inline(__always)
    mutating func prior(_ r: Int, _ kind: NameKind, _ tagger: PlaceTagger) -> Double {
        let key = UInt64(truncatingIfNeeded: r) << 8 | UInt64(kind.rawValue)
        if let s = slot[key] { return values[s] }
        if values.count >= Self.limit {
            slot.reset(capacity: 256)
            values.removeAll(keepingCapacity: true)
        }
        let p = tagger.prior(r, kind)
        slot.insert(key, values.count)
        values.append(p)
        return p
    }
}

/// The place objects and rule texts one scratch made or fetched, by rule key
/// (`PlaceRefCache.ruleKey`: the record and how it was resolved): what `PlaceRefCache` holds,
/// read without a lock. Emptied when full.
struct MadeRefs {
    private var slot = GrowingIndexMap(capacity: 64)
    private var keys: [UInt64] = []
    private var refs: [PlaceRef] = []
    private var rules: [String] = []
    static let limit = 1 << 14

    @inline(__always)
    subscript(_ key: UInt64) -> (ref: PlaceRef, rule: String)? {
        guard let s = slot[key] else { return nil }
        return (refs[s], rules[s])
    }

    mutating func add(_ key: UInt64, _ ref: PlaceRef, _ rule: String) {
        guard slot[key] == nil else { return }
        if keys.count >= Self.limit {
            slot.reset(capacity: 64)
            keys.removeAll(keepingCapacity: true)
            refs.removeAll(keepingCapacity: true)
            rules.removeAll(keepingCapacity: true)
        }
        slot.insert(key, keys.count)
        keys.append(key)
        refs.append(ref)
        rules.append(rule)
    }
}

extension PlaceTagger {
    /// The lists `resolve` works in, kept from one document to the next (emptied, not
    /// reallocated; `countryTotals` is kept all zero between documents).
    struct ResolveBuffers {
        var state: [CandidateState] = []
        var nameList: [NameState] = []
        var countryVotes: [(Int, Double)] = []
        var admin1Votes: [(Int, Double)] = []
        var countryTotals: [Double] = []
        var allAdmin1: [Double] = []
        var weights: [Double] = []
        var placeCountries: [Int] = []
        var placeVoted: [(country: Int, votes: Double)] = []
        var scores: [RecordScore] = []
        var anchors: [(lat: Double, lon: Double, cosLat: Double, key: UInt64)] = []
    }
}
