/// Converts UTF-8 byte offsets into Unicode scalar offsets (what Python's `text[start:end]`
/// indexes). Built once per document; a pure-ASCII document needs no table.
public struct ScalarOffsets: Sendable {
    /// `table[b]` = number of scalars that start before byte `b`; empty for ASCII text.
    @usableFromInline let table: [Int32]
    public let scalarCount: Int

    public init(_ p: UnsafeBufferPointer<UInt8>) {
        var ascii = true
        for b in p where b >= 0x80 {
            ascii = false
            break
        }
        if ascii {
            table = []
            scalarCount = p.count
            return
        }
        var t = [Int32](repeating: 0, count: p.count + 1)
        var count: Int32 = 0
        for k in 0..<p.count {
            t[k] = count
            if p[k] & 0xC0 != 0x80 { count += 1 }
        }
        t[p.count] = count
        table = t
        scalarCount = Int(count)
    }

    /// The scalar offset of byte offset `byte`.
    @inlinable public func scalar(_ byte: Int) -> Int {
        table.isEmpty ? byte : Int(table[byte])
    }
}
