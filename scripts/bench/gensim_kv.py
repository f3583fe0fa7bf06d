"""gensim side of scripts/bench-index.

usage: gensim_kv.py load VECTORS.bin KV      load_word2vec_format, then save KeyedVectors to KV
       gensim_kv.py query KV WORD            KeyedVectors.load(KV, mmap='r') + most_similar(WORD)
Each prints one JSON line with its own timing (the script also times the whole process).
"""
import json, sys, time
from gensim.models import KeyedVectors

start = time.perf_counter()
if sys.argv[1] == "load":
    kv = KeyedVectors.load_word2vec_format(sys.argv[2], binary=True)
    seconds = time.perf_counter() - start
    kv.save(sys.argv[3])
    print(json.dumps({"load_seconds": seconds, "words": len(kv.index_to_key)}))
else:
    kv = KeyedVectors.load(sys.argv[2], mmap="r")
    top = kv.most_similar(sys.argv[3], topn=10)
    print(json.dumps({"seconds": time.perf_counter() - start, "neighbours": [w for w, _ in top]}))
