extension ClaimExtractor {
    /// The per-token actor tables of a document's claims (`endAt`, `startAt`, `cover`), kept per
    /// thread from document to document: all entries are -1 between documents (a document
    /// resets only the entries its mentions set), so a document neither allocates nor fills
    /// three arrays of its token count.
    final class TokenTables {
        private(set) var capacity = 256
        private(set) var base: UnsafeMutablePointer<Int32>

        init() {
            base = UnsafeMutablePointer<Int32>.allocate(capacity: 3 * capacity)
            base.initialize(repeating: -1, count: 3 * capacity)
        }

        deinit { base.deallocate() }

        /// Three tables of at least `n` entries each, every entry -1: `endAt`, `startAt`, `cover`.
        func tables(_ n: Int) -> (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) {
            if n > capacity {
                base.deallocate()
                capacity = Swift.max(n, capacity * 2)
                base = UnsafeMutablePointer<Int32>.allocate(capacity: 3 * capacity)
                base.initialize(repeating: -1, count: 3 * capacity)
            }
            return (base, base + capacity, base + 2 * capacity)
        }

        /// Sets back to -1 the entries the mentions at token `ranges` set.
        func reset(_ ranges: [Range<Int>]) {
            let p = base
            let endAt = p, startAt = p + capacity, cover = p + 2 * capacity
            for r in ranges where !r.isEmpty && r.upperBound <= capacity {
                endAt[r.upperBound - 1] = -1
                startAt[r.lowerBound] = -1
                for k in r { cover[k] = -1 }
            }
        }

        /// This thread's tables.
        static var current: TokenTables { perThread.value }
        static let perThread = PerThread { TokenTables() }
    }
}
