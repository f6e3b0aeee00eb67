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

    /// `bytes` compressed (nil for inputs over 4 GB, or when zlib fails).
    public static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count < Int(UInt32.max) else { return nil }
        // A deflate stream holds ≈ 270 kB of tables: set up once per thread and reset per use
        // (setting one up per article cost more than compressing it).
        guard let stream = Compressor.take() else { return nil }
        defer { Compressor.give(stream) }
        return stream.compress(bytes)
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

/// One reusable zlib deflate stream.
final class Compressor: @unchecked Sendable {
    private var z = z_stream()
    private let ok: Bool

    private static let lock = NSLock()
    nonisolated(unsafe) private static var idle: [Compressor] = []

    static func take() -> Compressor? {
        lock.lock()
        let c = idle.popLast()
        lock.unlock()
        if let c { return c }
        let n = Compressor()
        return n.ok ? n : nil
    }

    static func give(_ c: Compressor) {
        lock.lock()
        if idle.count < 64 { idle.append(c) }
        lock.unlock()
    }

    private init() {
        ok = deflateInit_(&z, Deflate.level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if ok { deflateEnd(&z) }
    }

    func compress(_ bytes: [UInt8]) -> [UInt8]? {
        guard deflateReset(&z) == Z_OK else { return nil }
        let bound = Int(deflateBound(&z, uLong(bytes.count)))
        var out = [UInt8](repeating: 0, count: 4 + bound)
        let n = UInt32(bytes.count)
        out[0] = UInt8(n & 0xFF)
        out[1] = UInt8(n >> 8 & 0xFF)
        out[2] = UInt8(n >> 16 & 0xFF)
        out[3] = UInt8(n >> 24 & 0xFF)
        let rc: Int32 = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                z.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
                z.avail_in = uInt(src.count)
                z.next_out = dst.baseAddress.map { $0 + 4 }
                z.avail_out = uInt(bound)
                let rc = deflate(&z, Z_FINISH)
                z.next_in = nil
                z.next_out = nil
                return rc
            }
        }
        guard rc == Z_STREAM_END else { return nil }
        out.removeLast(Int(z.avail_out))
        return out
    }
}
