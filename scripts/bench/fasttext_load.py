"""Times fastText's own load_model on a .bin, for scripts/bench-subwords (BENCH_RUNS=bin).

usage: fasttext_load.py MODEL.bin OUT.npy [REFERENCE.npy]
Prints JSON: load seconds, peak RSS, word count; saves the vectors of 1,000 of its words and of five
unknown words to OUT.npy, and with REFERENCE.npy also the largest difference from those (|Δ|, and
1 − cosine for the unknown words, whose rows a store may keep only where they are not zero).
"""
import json
import resource
import sys
import time

import fasttext
import numpy as np

UNKNOWN = ["cantábamosle", "desalmadamente", "zzxq", "madrileñísimo", "reconstruyéndolas"]
start = time.perf_counter()
model = fasttext.load_model(sys.argv[1])
seconds = time.perf_counter() - start
words = model.words
sample = [words[i] for i in range(0, len(words), max(1, len(words) // 1000))][:1000]
known = np.array([model.get_word_vector(w) for w in sample])
unknown = np.array([model.get_word_vector(w) for w in UNKNOWN])
np.save(sys.argv[2], np.concatenate([known, unknown]))
result = {"seconds": round(seconds, 2), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
          "words": len(words), "a_word": words[len(words) // 2]}
if len(sys.argv) > 3:
    reference = np.load(sys.argv[3])
    result["max_abs_diff_known"] = float(np.abs(reference[: len(sample)] - known).max())
    unit = lambda m: m / np.linalg.norm(m, axis=1, keepdims=True)
    result["max_1_minus_cos_unknown"] = float((1 - (unit(reference[len(sample):]) * unit(unknown)).sum(1)).max())
print(json.dumps(result))
