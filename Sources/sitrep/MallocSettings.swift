#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator settings for the commands that analyse many articles.
enum MallocSettings {
    /// Freed memory stays with the process: the arenas grow in 64 MB steps and are not trimmed,
    /// and blocks below 32 MB come from the arenas, not from their own `mmap`. By default each
    /// worker's arena grows and shrinks page by page as documents come and go (`extract --jobs 2`
    /// on 2,000 articles: ≈ 1,300 `mprotect` calls, plus `madvise` and the page faults that
    /// follow; with these settings ≈ 50); each of those takes the address space's lock that all
    /// threads share. Measured on the 2-vCPU VM (`extract --jobs 1/2`, 2,000 articles, medians
    /// of ≈ 20-50 rounds): `--jobs 2` wall 0.175 -> 0.167 s with the cores far apart, speed-up
    /// over one job 1.77 -> 1.80 (far) and 1.88 -> 1.91-1.94 (near). Output is unchanged: only
    /// where memory comes from. Without glibc (or without `mallopt`) nothing changes.
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
