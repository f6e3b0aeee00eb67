// The few functions of zstd's stable API (zstd.h, v1.x) that the store uses, declared here so that
// building needs no development package: libzstd.so.1 keeps these signatures across all 1.x
// releases.
#include <stddef.h>

typedef struct ZSTD_CCtx_s ZSTD_CCtx;

size_t ZSTD_compressBound(size_t srcSize);
unsigned ZSTD_isError(size_t code);
ZSTD_CCtx *ZSTD_createCCtx(void);
size_t ZSTD_freeCCtx(ZSTD_CCtx *cctx);
size_t ZSTD_compressCCtx(ZSTD_CCtx *cctx, void *dst, size_t dstCapacity, const void *src, size_t srcSize,
                         int compressionLevel);
size_t ZSTD_decompress(void *dst, size_t dstCapacity, const void *src, size_t compressedSize);
unsigned long long ZSTD_getFrameContentSize(const void *src, size_t srcSize);

// LZ4's block API (lz4.h, stable since r1xx; liblz4.so.1): stored records from `v6-lz4` on.
int LZ4_compressBound(int inputSize);
int LZ4_compress_default(const char *src, char *dst, int srcSize, int dstCapacity);
int LZ4_decompress_safe(const char *src, char *dst, int compressedSize, int dstCapacity);
