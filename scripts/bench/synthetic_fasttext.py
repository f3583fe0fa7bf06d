"""A synthetic fastText .bin of cc.es.300.bin's shape, for scripts/bench-subwords (BENCH_RUNS=bin).

usage: synthetic_fasttext.py OUT [WORDS] [BUCKETS] [DIM] [SEED]   (default 2,000,000 2,000,000 300)
Laid out as FastText::saveModel writes it: magic and version 12, the arguments (skip-gram, ns, minn 3,
maxn 6), the dictionary ("</s>" first, then unique words of 7 to 16 lowercase letters, counts falling),
the input matrix (words + buckets rows of uniform noise in ±0.1) and a zero output matrix.
"""
import struct
import sys

import numpy as np

out = sys.argv[1]
words, buckets, dim = (int(a) for a in (sys.argv[2:5] + ["2000000", "2000000", "300"][len(sys.argv[2:5]):]))
rng = np.random.default_rng(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def suffix(i):
    """i as five letters: a fixed length, so stem + suffix never repeats."""
    s = b""
    for _ in range(5):
        s = bytes([97 + i % 26]) + s
        i //= 26
    return s


with open(out, "wb") as f:
    f.write(struct.pack("<ii", 793712314, 12))
    # dim ws epoch minCount neg wordNgrams loss(ns) model(sg) bucket minn maxn lrUpdateRate t
    f.write(struct.pack("<12id", dim, 5, 5, 5, 10, 1, 2, 2, buckets, 3, 6, 100, 1e-4))
    f.write(struct.pack("<iiiqq", words, words, 0, 10 * words, -1))
    lengths = rng.integers(2, 12, words)  # the stem; five letters follow
    entries = [b"</s>\0" + struct.pack("<qb", 10 * words, 0)]
    for i in range(1, words):
        # a random stem, then the index as five letters: every word distinct
        stem = letters[rng.integers(0, 26, lengths[i])].tobytes()
        entries.append(stem + suffix(i) + b"\0" + struct.pack("<qb", words - i + 5, 0))
    f.write(b"".join(entries))
    f.write(struct.pack("<?qq", False, words + buckets, dim))
    block = 50_000
    for start in range(0, words + buckets, block):
        n = min(block, words + buckets - start)
        f.write((rng.random((n, dim), dtype=np.float32) * 0.2 - 0.1).astype("<f4").tobytes())
    f.write(struct.pack("<?qq", False, words, dim))
    zeros = np.zeros((block, dim), dtype="<f4").tobytes()
    for start in range(0, words, block):
        f.write(zeros[: min(block, words - start) * dim * 4])
