"""Clustered synthetic word vectors for scripts/bench-index, in the word2vec binary format.

usage: synthetic_vectors.py OUT ROWS DIM [SEED]
Rows are w0, w1, …; each is one of ROWS/100 random centres plus Gaussian noise (σ 0.5 per
component against centres of σ 1), so every word has about 100 neighbours that matter.
"""
import sys
import numpy as np

out, rows, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
centres = rng.standard_normal((max(1, rows // 100), dim), dtype=np.float32)
with open(out, "wb") as f:
    f.write(f"{rows} {dim}\n".encode())
    block = 100_000
    for start in range(0, rows, block):
        n = min(block, rows - start)
        which = rng.integers(0, len(centres), n)
        vectors = centres[which] + 0.5 * rng.standard_normal((n, dim), dtype=np.float32)
        for i in range(n):
            f.write(b"w%d " % (start + i))
            f.write(vectors[i].astype("<f4").tobytes())
            f.write(b"\n")
