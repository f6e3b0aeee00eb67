// The system zlib (Debian: zlib1g-dev), for compressing stored analysis records.
#include <zlib.h>
