// liblzma: .xz corpora decompressed as they are read.
#include <lzma.h>

// LZMA_CONCATENATED is a macro over UINT32_C, which Swift does not import.
static const uint32_t verso_lzma_concatenated = LZMA_CONCATENATED;
