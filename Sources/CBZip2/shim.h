// libbz2: .bz2 corpora decompressed as they are read.
#include <bzlib.h>
