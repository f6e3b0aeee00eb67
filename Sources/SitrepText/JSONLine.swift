/// A JSON line of a fixed shape written straight into memory it owns: precomputed fragments
/// (`,"start":`) and values, with no separator bookkeeping and no intermediate Strings. The
/// caller writes the structure (commas, brackets) in its fragments. Noncopyable: it owns its
/// buffer, and `finish()` hands the line over as an array.
public struct JSONLine: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int
    /// False while writing into memory lent by `JSONLine.build` (not freed here).
    @usableFromInline var owned = true

    public init(capacity: Int) {
        self.capacity = Swift.max(64, capacity)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    /// Writes into `buffer` (not owned) until it is full, then into memory of its own.
    init(lent buffer: UnsafeMutableBufferPointer<UInt8>, fallback: Int) {
        if let b = buffer.baseAddress, buffer.count > 0 {
            base = b
            capacity = buffer.count
            owned = false
        } else {
            capacity = Swift.max(64, fallback)
            base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        }
    }

    deinit { if owned { base.deallocate() } }

    /// A line written by `body` (which writes no newline) and its newline, as an array: written
    /// straight into the array's memory, `capacity` bytes reserved up front, so no copy is made
    /// unless the line outgrows them.
    public static func build(capacity: Int, _ body: (inout JSONLine) -> Void) -> [UInt8] {
        var overflow: [UInt8]?
        let line = [UInt8](unsafeUninitializedCapacity: Swift.max(64, capacity)) { buffer, initialized in
            var w = JSONLine(lent: buffer, fallback: capacity)
            body(&w)
            w.raw(byte: 0x0A)
            if w.owned {
                overflow = [UInt8](UnsafeBufferPointer(start: w.base, count: w.count))
                initialized = 0
            } else {
                initialized = w.count
            }
        }
        return overflow ?? line
    }

    /// Room for `n` more bytes. (Wrapping arithmetic: `count` and `n` are sizes of memory
    /// allocated, far from overflowing; a trapping add costs an overflow branch per write.)
    @inlinable @inline(__always)
    mutating func reserve(_ n: Int) {
        if count &+ n > capacity { grow(n) }
    }

    @usableFromInline
    mutating func grow(_ n: Int) {
        let newCapacity = Swift.max(capacity * 2, count + n)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        if owned { base.deallocate() }
        owned = true
        base = newBase
        capacity = newCapacity
    }

    /// Appends a precomputed fragment verbatim, e.g. `,"kind":`.
    @inlinable @inline(__always)
    public mutating func raw(_ fragment: StaticString) {
        fragment.withUTF8Buffer { p in
            let n = p.count
            reserve(n)
            // a fragment is never the line's own memory: a plain copy (with the length known
            // where this is inlined, a few word moves), no overlap test
            if let src = p.baseAddress { UnsafeMutableRawPointer(base + count).copyMemory(from: src, byteCount: n) }
            count &+= n
        }
    }

    /// Appends one byte verbatim (`{`, `}`, `,`, `[`, `]`).
    @inlinable @inline(__always)
    public mutating func raw(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    /// Appends a quoted, escaped string. `withUTF8` on a copy reads a native string in place and
    /// a small (inline) one from a stack copy of its 16 bytes: no fallback, no allocation.
    ///
    /// The bytes are read in place through `utf8.withContiguousStorageIfAvailable` (a native
    /// string's storage, a small string's stack copy): no copy of the String, so no reference
    /// counting; the `withUTF8` fallback only for strings without contiguous UTF-8.
    @inlinable
    public mutating func string(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) { return done }
        var s = s
        s.withUTF8 { appendEscaped($0) }
    }

    /// Appends a quoted, escaped string, or `null`.
    @inlinable
    public mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// Appends UTF-8 bytes as a quoted, escaped string.
    public mutating func string(utf8 p: UnsafeBufferPointer<UInt8>) {
        appendEscaped(p)
    }

    /// Appends UTF-8 bytes (a slice of a document) as a quoted, escaped string.
    public mutating func string(utf8 slice: ArraySlice<UInt8>) {
        slice.withUnsafeBufferPointer { appendEscaped($0) }
    }

    /// The number of bytes written so far (an offset for `repeatBytes`).
    @inlinable
    public var byteCount: Int { count }

    /// Appends a copy of bytes already written at `start..<end` (an object written before in
    /// this line, e.g. the same actor mentioned again).
    @inlinable
    public mutating func repeatBytes(_ start: Int, _ end: Int) {
        guard start >= 0, start <= end, end <= count else { return }
        let n = end - start
        reserve(n)
        (base + count).update(from: base + start, count: n)
        count += n
    }

    /// Appends `null`.
    @inlinable @inline(__always)
    public mutating func null() {
        raw("null")
    }

    /// Appends bytes verbatim (e.g. an object rendered earlier), which are not the line's own
    /// memory. Up to 32 bytes (a cached word or rule) are copied with two to four overlapping
    /// word loads and stores, without a call; longer runs by `memcpy`.
    @inlinable @inline(__always)
    public mutating func append(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        reserve(n)
        guard let src = p.baseAddress else { return }
        let d = UnsafeMutableRawPointer(base + count)
        if n <= 32 {
            Self.copyShort(UnsafeRawPointer(src), n, d)
        } else {
            d.copyMemory(from: src, byteCount: n)
        }
        count &+= n
    }

    /// Copies `n` ≤ 32 bytes from `s` to `d` (not overlapping): short lengths as two
    /// overlapping loads and stores (first and last word, half-word, byte); every access stays
    /// inside the `n` bytes.
    @inlinable @inline(__always)
    static func copyShort(_ s: UnsafeRawPointer, _ n: Int, _ d: UnsafeMutableRawPointer) {
        if n >= 16 {
            let a = s.loadUnaligned(as: SIMD2<UInt64>.self)
            let b = s.loadUnaligned(fromByteOffset: n &- 16, as: SIMD2<UInt64>.self)
            d.storeBytes(of: a, as: SIMD2<UInt64>.self)
            d.storeBytes(of: b, toByteOffset: n &- 16, as: SIMD2<UInt64>.self)
        } else if n >= 8 {
            let a = s.loadUnaligned(as: UInt64.self)
            let b = s.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            d.storeBytes(of: a, as: UInt64.self)
            d.storeBytes(of: b, toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 {
            let a = s.loadUnaligned(as: UInt32.self)
            let b = s.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            d.storeBytes(of: a, as: UInt32.self)
            d.storeBytes(of: b, toByteOffset: n &- 4, as: UInt32.self)
        } else if n > 0 {
            // one to three bytes: first, middle and last (some the same byte)
            let x = s.load(as: UInt8.self), y = s.load(fromByteOffset: n >> 1, as: UInt8.self)
            let z = s.load(fromByteOffset: n &- 1, as: UInt8.self)
            d.storeBytes(of: x, as: UInt8.self)
            d.storeBytes(of: y, toByteOffset: n >> 1, as: UInt8.self)
            d.storeBytes(of: z, toByteOffset: n &- 1, as: UInt8.self)
        }
    }

    /// Appends the bytes written at `start..<end` to `array`.
    public func copyBytes(_ start: Int, _ end: Int, into array: inout [UInt8]) {
        array.append(contentsOf: bytesWritten(start, end))
    }

    /// The bytes written at `start..<end` (empty when out of range), read in place: valid until
    /// the next write to the line (a write may move its memory).
    public func bytesWritten(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        guard start >= 0, start <= end, end <= count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    /// Appends a newline and hands the line over.
    public consuming func finish() -> [UInt8] {
        raw(byte: 0x0A)
        let n = count
        let src = base
        return [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            if let dst = buffer.baseAddress { dst.update(from: src, count: n) }
            initialized = n
        }
    }
}
