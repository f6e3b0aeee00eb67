import CZlib
import Foundation

/// The compressed records' first format: ingest wrote `articles.analysis` (and the packed claims
/// and casualties) in it from `v2-analysis-deflate` until `v5-zstd`; `StoredBlob` writes zstd now
/// and reads both (rows from before `v2-analysis-deflate` hold the line as TEXT).
///
/// Format: the uncompressed length as 4 bytes little-endian, then a zlib stream (RFC 1950,
/// level 1). The JSON of one article's analysis (≈ 32 kB, mostly mentions) shrinks ≈ 6.5×; at
/// level 1 that costs ≈ 0.1–0.15 ms per article on an ingest worker and nearly halves the bytes
/// the writer thread puts through the WAL and into the database (generated corpus: 65 → 36 kB
/// per article).
public enum Deflate {
    public static let level: Int32 = 1

    /// `bytes` compressed (nil for inputs over 4 GB, or when zlib fails). Nothing writes this
    /// format any more (`StoredBlob` writes zstd); it stays for the tests that make rows as
    /// earlier versions stored them, so a one-shot `compress2` serves.
    public static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count < Int(UInt32.max) else { return nil }
        let bound = Int(compressBound(uLong(bytes.count)))
        var out = [UInt8](repeating: 0, count: 4 + bound)
        let n = UInt32(bytes.count)
        for k in 0..<4 { out[k] = UInt8(n >> (8 * UInt32(k)) & 0xFF) }
        var size = uLongf(bound)
        let rc = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress.map { $0 + 4 }, &size, src.baseAddress, uLong(src.count), level)
            }
        }
        guard rc == Z_OK else { return nil }
        out.removeLast(bound - Int(size))
        return out
    }

    /// The bytes `compress` was given; nil when `blob` is not in the format or is damaged.
    public static func decompress(_ blob: [UInt8]) -> [UInt8]? {
        guard blob.count >= 4 else { return nil }
        let n = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        if n == 0 { return [] }
        // deflate expands at most ≈ 1,032×: a larger length is a damaged header, not a reason to
        // allocate gigabytes
        guard n / 1_032 <= blob.count else { return nil }
        var out = [UInt8](repeating: 0, count: n)
        var size = uLongf(n)
        let rc = out.withUnsafeMutableBufferPointer { dst in
            blob.withUnsafeBufferPointer { src in
                uncompress(dst.baseAddress, &size, src.baseAddress.map { $0 + 4 }, uLong(blob.count - 4))
            }
        }
        guard rc == Z_OK, Int(size) == n else { return nil }
        return out
    }
}
