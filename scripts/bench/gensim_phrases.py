"""gensim's Phrases on a token file (one pass), for scripts/bench-subwords (BENCH_RUNS=phrases).

usage: gensim_phrases.py TOKENS MIN_COUNT THRESHOLD VERSO.json
Times Phrases(LineSentence(TOKENS), min_count, threshold) whole (it reads as it counts), then checks
how many of its 1,000 best-scored bigrams are among Verso's (`w2v phrases NAME --list --json`).
gensim scores by its vocabulary's size where word2phrase (and Verso) use the corpus's words, so
the scores differ by a constant factor and rank the same pairs alike. Prints one JSON line.
"""
import json
import sys
import time

from gensim.models.phrases import Phrases
from gensim.models.word2vec import LineSentence

tokens, min_count, threshold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
start = time.perf_counter()
phrases = Phrases(LineSentence(tokens), min_count=min_count, threshold=threshold)
seconds = time.perf_counter() - start
words = sum(len(line.split()) for line in open(tokens, encoding="utf-8"))
found = phrases.export_phrases()
top = sorted(found.items(), key=lambda kv: -kv[1])[:1000]
verso = {p["phrase"] for p in json.load(open(sys.argv[4], encoding="utf-8"))["phrases"]}
shared = sum(1 for phrase, _ in top if phrase in verso)
print(json.dumps({"seconds": round(seconds, 1), "words": words, "words_per_s": round(words / seconds),
                  "phrases": len(found), "top": len(top), "top_found_by_verso": shared,
                  "missed_examples": [p for p, _ in top if p not in verso][:8]}))
