// glibc's malloc settings, which Swift cannot reach (malloc.h is not in its Glibc module).
#include <malloc.h>
#include "CProcess.h"

void verso_pin_mmap_threshold(void) {
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}
