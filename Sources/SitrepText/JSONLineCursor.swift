// A run of fixed fragments and numbers written through a plain cursor: one capacity check for
// the whole run instead of one per fragment, and the position kept in a register (a write
// through the line's memory may alias the line's own fields, so each `raw` reloads and stores
// its count).

extension JSONLine {
    /// Writes through a cursor into room for `bound` bytes, reserved up front. `body` must write
    /// at most `bound` bytes: each `Cursor` write states its own upper size (a fragment its
    /// length, an integer 20 bytes, `null` 4), so a caller sums those of the writes it makes.
    @inlinable @inline(__always)
    public mutating func run(_ bound: Int, _ body: (inout Cursor) -> Void) {
        reserve(bound)
        var c = Cursor(out: base + count)
        body(&c)
        count = c.out - base
    }

    /// A position in a line's reserved room (see `JSONLine.run`).
    public struct Cursor {
        @usableFromInline var out: UnsafeMutablePointer<UInt8>

        @inlinable init(out: UnsafeMutablePointer<UInt8>) {
            self.out = out
        }

        /// A fragment verbatim (its length in bytes).
        @inlinable @inline(__always)
        public mutating func raw(_ fragment: StaticString) {
            fragment.withUTF8Buffer { p in
                if let src = p.baseAddress { UnsafeMutableRawPointer(out).copyMemory(from: src, byteCount: p.count) }
                out += p.count
            }
        }

        /// One byte (1).
        @inlinable @inline(__always)
        public mutating func raw(byte: UInt8) {
            out[0] = byte
            out += 1
        }

        /// An integer (at most 20 bytes).
        @inlinable @inline(__always)
        public mutating func int(_ v: Int) {
            if UInt(bitPattern: v) < 10_000 {
                out += JSONLine.digits(v, out)
            } else {
                out = JSONLine.writeInt(v, out)
            }
        }

        /// An integer or `null` (at most 20 bytes).
        @inlinable @inline(__always)
        public mutating func int(_ v: Int?) {
            if let v { int(v) } else { null() }
        }

        /// `null` (4).
        @inlinable @inline(__always)
        public mutating func null() {
            UnsafeMutableRawPointer(out).storeBytes(of: UInt32(0x6C6C_756E).littleEndian, as: UInt32.self)
            out += 4
        }
    }
}
