/// Converts UTF-8 byte offsets into Unicode scalar offsets (what Python's `text[start:end]`
/// indexes). Built once per document in one pass that skips ASCII eight bytes at a time; it
/// stores only where multi-byte scalars are, so pure-ASCII text costs nothing.
public struct ScalarOffsets: Sendable {
    /// Byte offset just after each multi-byte scalar, ascending.
    @usableFromInline let after: [Int32]
    /// Extra bytes (bytes minus scalars) up to and including each of those scalars.
    @usableFromInline let extra: [Int32]
    public let scalarCount: Int

    public init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.init(buffer, leads: [], scannedTo: 0)
    }

    /// The tables of a text given the offsets of its non-ASCII lead bytes up to `scannedTo`,
    /// ascending (the tokenizer notes them as it reads the text: `Tokenizer.tokenize(_:into:
    /// breaks:leads:)`); the bytes from `scannedTo` on are scanned.
    init(_ buffer: UnsafeBufferPointer<UInt8>, leads: [Int32], scannedTo: Int) {
        var after: [Int32] = []
        var extra: [Int32] = []
        var total: Int32 = 0
        let n = buffer.count
        if let p = buffer.baseAddress {
            var next = 0
            for lead in leads {
                let i = Int(lead)
                // ascending, inside the text, each a byte at or above 0x80 (else ignored)
                guard i >= next, i < n, p[i] >= 0x80 else { continue }
                next = Self.scalar(p, n, at: i, &total, &after, &extra)
            }
            var i = Swift.max(next, Swift.min(Swift.max(scannedTo, 0), n))
            while i < n {
                // skip ASCII 32 bytes, then a word, at a time
                while i &+ 32 <= n {
                    let raw = UnsafeRawPointer(p + i)
                    let any = raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                        | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                        | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    if any & 0x8080_8080_8080_8080 != 0 { break }
                    i &+= 32
                }
                while i + 8 <= n {
                    let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                guard i < n else { break }
                if p[i] < 0x80 {
                    i += 1
                    continue
                }
                i = Self.scalar(p, n, at: i, &total, &after, &extra)
            }
        }
        self.after = after
        self.extra = extra
        scalarCount = n - Int(total)
    }

    /// Records the scalar whose lead byte (at or above 0x80) is at `i`; returns its end.
    @inline(__always)
    static func scalar(
        _ p: UnsafePointer<UInt8>, _ n: Int, at i: Int, _ total: inout Int32, _ after: inout [Int32], _ extra: inout [Int32]
    ) -> Int {
        let b = p[i]
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        let end = Swift.min(n, i + length)
        // count continuation bytes actually present (valid UTF-8 always has them)
        var k = i + 1
        while k < end && p[k] & 0xC0 == 0x80 { k += 1 }
        total += Int32(k - i - 1)
        if k - i > 1 {
            after.append(Int32(k))
            extra.append(total)
        }
        return k
    }

    /// `scalar(_:)` for queries in (nearly) ascending order, such as the spans of mentions in
    /// text order: `hint` (start it at 0) keeps the number of multi-byte scalars before the last
    /// query, and the answer is found by stepping from there — a few steps at most, else by the
    /// binary search. (One query; a writer converting many offsets reads them through `withView`.)
    @inlinable public func scalar(_ byte: Int, hint: inout Int) -> Int {
        withView { $0.scalar(byte, hint: &hint) }
    }

    /// The scalar offset of byte offset `byte` (a scalar boundary).
    @inlinable public func scalar(_ byte: Int) -> Int {
        withView { $0.scalar(byte) }
    }
}

extension ScalarOffsets {
    /// The tables read in place (valid inside `withView`): a writer that converts every offset
    /// of a document reads them without reference counting or bounds checks.
    public struct View {
        @usableFromInline let after: UnsafePointer<Int32>?
        @usableFromInline let extra: UnsafePointer<Int32>?
        @usableFromInline let n: Int

        @inlinable
        init(after: UnsafePointer<Int32>?, extra: UnsafePointer<Int32>?, n: Int) {
            self.after = after
            self.extra = extra
            self.n = n
        }

        /// The scalar offset of byte offset `byte`, stepping from `hint` (see
        /// `ScalarOffsets.scalar(_:hint:)`).
        @inlinable @inline(__always)
        public func scalar(_ byte: Int, hint: inout Int) -> Int {
            guard n > 0, let after, let extra else { return byte }
            var k = Swift.min(Swift.max(hint, 0), n)
            // the usual answer: no multi-byte scalar between the last query and this one
            if (k == n || Int(after[k]) > byte) && (k == 0 || Int(after[k &- 1]) <= byte) {
                hint = k
                return k == 0 ? byte : byte &- Int(extra[k &- 1])
            }
            var steps = 0
            while k < n && Int(after[k]) <= byte && steps < 8 {
                k &+= 1
                steps &+= 1
            }
            while k > 0 && Int(after[k &- 1]) > byte && steps < 8 {
                k &-= 1
                steps &+= 1
            }
            if (k < n && Int(after[k]) <= byte) || (k > 0 && Int(after[k &- 1]) > byte) {
                var lo = 0, hi = n
                while lo < hi {
                    let mid = (lo &+ hi) >> 1
                    if Int(after[mid]) <= byte { lo = mid &+ 1 } else { hi = mid }
                }
                k = lo
            }
            hint = k
            return k == 0 ? byte : byte &- Int(extra[k &- 1])
        }

        /// The scalar offset of byte offset `byte` (a scalar boundary), by binary search: the
        /// number of multi-byte scalars ending at or before it.
        @inlinable @inline(__always)
        public func scalar(_ byte: Int) -> Int {
            guard n > 0, let after, let extra else { return byte }
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if Int(after[mid]) <= byte { lo = mid &+ 1 } else { hi = mid }
            }
            return lo == 0 ? byte : byte &- Int(extra[lo &- 1])
        }
    }

    /// Calls `body` with the tables read in place.
    @inlinable
    public func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try after.withUnsafeBufferPointer { a in
            try extra.withUnsafeBufferPointer { e in
                try body(View(after: a.baseAddress, extra: e.baseAddress, n: Swift.min(a.count, e.count)))
            }
        }
    }
}
