// zlib, for the training text kept (compressed) beside a char-RNN or Markov model.
#include <zlib.h>
