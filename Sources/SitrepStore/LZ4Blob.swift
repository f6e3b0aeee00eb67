import CZstd

/// The stored records' third format (written from `v6-lz4` on): one LZ4 block behind a 9-byte
/// header — the magic `53 4C 5A 34` ("SLZ4"), a version byte `01`, the content size as a
/// little-endian `UInt32` — then the block (`LZ4_compress_default`).
///
/// Why: zstd level 1 spent ≈ 0.67 M instructions per generated article on its three records
/// (the analysis line ≈ 450,000 for ≈ 32 kB, the claims and casualties arrays ≈ 130,000 and
/// ≈ 90,000 for 3–4 kB each: zstd builds its entropy tables per frame); LZ4 takes ≈ 155,000,
/// ≈ 50,000 and ≈ 36,000 (≈ 0.24 M in all), for blobs ≈ 1.45× larger (the analysis ×4.9
/// instead of ×7.2).
///
/// Told from the older formats by its first bytes: zstd frames begin `28 B5 2F FD`; `Deflate`'s
/// records begin with a 4-byte length (`SLZ4` would be 878 MB) followed by a zlib header, whose
/// first byte always has the low nibble 8 (deflate) — the version byte `01` never has.
enum LZ4Blob {
    static let magic: [UInt8] = [0x53, 0x4C, 0x5A, 0x34]
    static let version: UInt8 = 1
    static let headerSize = 9
    /// LZ4 expands at most ≈ 255× (a run of one byte): a header declaring more is damaged.
    static let maxRatio = 255

    static func isLZ4(_ blob: [UInt8]) -> Bool {
        blob.count >= headerSize && blob[0] == 0x53 && blob[1] == 0x4C && blob[2] == 0x5A && blob[3] == 0x34
            && blob[4] == version
    }

    /// `bytes` as one record; nil for inputs LZ4 cannot take in one block (≥ 1 GB), which the
    /// caller stores as a zstd frame instead.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count < Int(Int32.max) / 2 else { return nil }
        let bound = Int(LZ4_compressBound(Int32(bytes.count)))
        guard bound > 0 || bytes.isEmpty else { return nil }
        let capacity = headerSize + Swift.max(bound, 1)
        // Compressed into a temporary buffer, then copied out at its exact size: a result sized
        // by the bound would hold ≈ 5× its bytes until the batch is written (≈ 40 MB of peak RSS
        // over the two batches in flight).
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { dst -> [UInt8]? in
            guard let base = dst.baseAddress else { return nil }
            for i in 0..<4 { base[i] = magic[i] }
            base[4] = version
            let n = UInt32(bytes.count)
            base[5] = UInt8(truncatingIfNeeded: n)
            base[6] = UInt8(truncatingIfNeeded: n >> 8)
            base[7] = UInt8(truncatingIfNeeded: n >> 16)
            base[8] = UInt8(truncatingIfNeeded: n >> 24)
            let written = bytes.withUnsafeBytes { src -> Int32 in
                LZ4_compress_default(
                    src.baseAddress?.assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(base + headerSize).assumingMemoryBound(to: CChar.self),
                    Int32(bytes.count), Int32(capacity - headerSize))
            }
            guard written > 0 else { return nil }
            return Array(UnsafeBufferPointer(start: base, count: headerSize + Int(written)))
        }
    }

    /// The bytes `compress` was given; nil when `blob` is not in this format or is damaged.
    static func decompress(_ blob: [UInt8]) -> [UInt8]? {
        guard isLZ4(blob) else { return nil }
        let n = Int(blob[5]) | Int(blob[6]) << 8 | Int(blob[7]) << 16 | Int(blob[8]) << 24
        let packed = blob.count - headerSize
        // A size beyond what this many bytes can expand to is a damaged header, not a reason to
        // allocate gigabytes.
        guard n < Int(Int32.max), n <= packed * maxRatio + 16 else { return nil }
        if n == 0 { return packed == 1 && blob[headerSize] == 0 ? [] : nil }
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: n) { dst, count in
            let got = blob.withUnsafeBytes { src -> Int32 in
                guard let base = src.baseAddress, let d = dst.baseAddress else { return -1 }
                return LZ4_decompress_safe(
                    (base + headerSize).assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(d).assumingMemoryBound(to: CChar.self), Int32(packed), Int32(n))
            }
            failed = got != Int32(n)
            count = failed ? 0 : n
        }
        return failed ? nil : out
    }
}
