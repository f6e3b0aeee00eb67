import CZstd
import Foundation

/// Compressed stored records (`articles.analysis`, `claims.rows`, `casualties.rows`), in one of
/// three formats told apart by their first bytes:
///
/// - **LZ4** (written from `v6-lz4` on, `LZ4Blob`): `SLZ4`, a version byte, the content size,
///   one LZ4 block. About 2.8× fewer instructions than zstd level 1 on these records, 1.45× larger.
/// - **zstd** (written from `v5-zstd` until `v6-lz4`, and for a record over 1 GB): one Zstandard
///   frame (RFC 8878) at level 1, with the content size in its header. It begins with the frame
///   magic `28 B5 2F FD`.
/// - **deflate** (written before): `Deflate`'s 4-byte little-endian length, then a zlib stream.
///   Its first four bytes could only equal the zstd magic for a 4.2 GB record, and its fifth is a
///   zlib header, which can never be `28 B5` (a zlib header's first two bytes are a multiple of 31).
///
/// zstd level 1 compresses the analysis JSON ≈ 2.5× faster than zlib level 1 on this machine
/// (≈ 400 against ≈ 155 MB/s) and smaller (6.0× against 5.6×); it decompresses ≈ 3× faster.
public enum StoredBlob {
    public static let level: Int32 = 1

    /// Whether `blob` is in the zstd format.
    public static func isZstd(_ blob: [UInt8]) -> Bool {
        blob.count >= 4 && blob[0] == 0x28 && blob[1] == 0xB5 && blob[2] == 0x2F && blob[3] == 0xFD
    }

    /// Whether `blob` is in the LZ4 format.
    public static func isLZ4(_ blob: [UInt8]) -> Bool {
        LZ4Blob.isLZ4(blob)
    }

    /// `bytes` compressed as stored (LZ4; nil when neither LZ4 nor zstd can take it, which no
    /// input under 4 GB makes happen).
    public static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        LZ4Blob.compress(bytes) ?? zstd(bytes)
    }

    /// `bytes` as one zstd frame (what `v5-zstd` wrote).
    public static func zstd(_ bytes: [UInt8]) -> [UInt8]? {
        // A compression context holds its tables: one per thread, reused (set up per record it
        // cost more than compressing a small one).
        guard let context = ZstdContext.take() else { return nil }
        defer { ZstdContext.give(context) }
        return context.compress(bytes)
    }

    /// The bytes `compress` (or `zstd`, or `Deflate.compress`) was given; nil when `blob` is in
    /// none of the formats or is damaged.
    public static func decompress(_ blob: [UInt8]) -> [UInt8]? {
        if LZ4Blob.isLZ4(blob) { return LZ4Blob.decompress(blob) }
        guard isZstd(blob) else { return Deflate.decompress(blob) }
        let size = blob.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        // Unknown (`-1`) and error (`-2`) are refused; a size beyond what a frame of this many
        // bytes could expand to is a damaged header, not a reason to allocate gigabytes (zstd
        // expands at most ≈ 32,000× per block of raw-run encoding).
        guard size < UInt64(Int32.max), size / 32_768 <= UInt64(blob.count) else { return nil }
        let n = Int(size)
        if n == 0 { return [] }
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: n) { dst, count in
            let got = blob.withUnsafeBytes { src in
                ZSTD_decompress(dst.baseAddress, n, src.baseAddress, src.count)
            }
            failed = ZSTD_isError(got) != 0 || got != n
            count = failed ? 0 : n
        }
        return failed ? nil : out
    }
}

/// One reusable zstd compression context, with its output buffer.
final class ZstdContext: @unchecked Sendable {
    private let context: OpaquePointer
    /// Compressed into, then copied out at its exact size (a result sized by the bound would
    /// hold ≈ 6× its bytes until the batch is written).
    private var scratch: [UInt8] = []

    private static let lock = NSLock()
    nonisolated(unsafe) private static var idle: [ZstdContext] = []

    static func take() -> ZstdContext? {
        lock.lock()
        let c = idle.popLast()
        lock.unlock()
        if let c { return c }
        return ZSTD_createCCtx().map(ZstdContext.init)
    }

    static func give(_ c: ZstdContext) {
        lock.lock()
        if idle.count < 64 { idle.append(c) }
        lock.unlock()
    }

    private init(_ context: OpaquePointer) {
        self.context = context
    }

    deinit {
        ZSTD_freeCCtx(context)
    }

    func compress(_ bytes: [UInt8]) -> [UInt8]? {
        let bound = ZSTD_compressBound(bytes.count)
        guard ZSTD_isError(bound) == 0 else { return nil }
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
        let n = scratch.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                ZSTD_compressCCtx(context, dst.baseAddress, dst.count, src.baseAddress, src.count, StoredBlob.level)
            }
        }
        guard ZSTD_isError(n) == 0, n <= scratch.count else { return nil }
        return Array(scratch[0..<n])
    }
}
