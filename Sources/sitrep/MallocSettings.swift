#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator settings for the commands that analyse many articles.
enum MallocSettings {
    /// Freed memory stays with the process: a worker's arena is made writable 64 MB at once and
    /// is not trimmed, and blocks below 32 MB come from the arenas, not from their own `mmap`.
    /// By default each worker's arena grows page by page, one `mprotect` per step
    /// (`extract --jobs 2` on 2,000 articles: ≈ 1,300 calls; with these settings ≈ 45), and
    /// each takes the address space's lock that all threads share. Measured on the 2-vCPU VM (`extract --jobs 1/2`, 2,000 articles, medians
    /// of ≈ 20-40 rounds per mode, noisy): `--jobs 2` wall ≈ 2-4 % less, speed-up over one job
    /// +0.01 to +0.04. Output is unchanged: only where memory comes from; the peak resident
    /// memory too (untouched pages stay unbacked). To take effect for every worker it must run
    /// before they first allocate (`Sitrep.main` calls it for `extract`). Without glibc (or
    /// without `mallopt`) nothing changes.
    static func keepFreedMemory() {
        #if canImport(Glibc)
        // (`mallopt` is declared in <malloc.h>, which the Glibc module does not import)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, topPad: Int32 = -2, mmapThreshold: Int32 = -3  // M_* in <malloc.h>
        _ = mallopt(topPad, 64 << 20)
        _ = mallopt(trimThreshold, 1 << 30)
        _ = mallopt(mmapThreshold, 32 << 20)  // (glibc's largest allowed value on 64-bit)
        #endif
    }
}
