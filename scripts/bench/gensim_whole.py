"""gensim's whole process for scripts/bench-w2v: one epoch over a token file, reading included."""
import sys
from gensim.models import Word2Vec

tokens, arch = sys.argv[1], sys.argv[2]
Word2Vec(corpus_file=tokens, vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, workers=2,
         sg=1 if arch == "skipgram" else 0, seed=1, epochs=1)
