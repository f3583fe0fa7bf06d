"""Plain-Python interpolated Witten-Bell character model: the reference for scripts/bench-markov.

P(w|h) = (C(h,w) + T(h)·P(w|h')) / (C(h) + T(h)), down to the uniform distribution over the
training alphabet; unknown held-out characters are skipped. Prints one JSON line per order.
"""
import json, math, sys, time
from collections import defaultdict

train = open(sys.argv[1], encoding="utf-8").read()
held = open(sys.argv[2], encoding="utf-8").read()
orders = [int(o) for o in sys.argv[3].split(",")]
alphabet = sorted(set(train))
V = len(alphabet)
for order in orders:
    start = time.perf_counter()
    counts = [defaultdict(lambda: defaultdict(int)) for _ in range(order + 1)]
    for i, ch in enumerate(train):
        for k in range(order + 1):
            if i - k < 0:
                break
            counts[k][train[i - k:i]][ch] += 1
    totals = [{h: (sum(d.values()), len(d)) for h, d in level.items()} for level in counts]
    build = time.perf_counter() - start
    known = [c for c in held if c in set(alphabet)]
    nll = 0.0
    for i in range(1, len(known)):
        p = 1.0 / V
        for k in range(order + 1):
            if i - k < 0:
                break
            h = "".join(known[i - k:i])
            if h not in totals[k]:
                break
            c, t = totals[k][h]
            p = (counts[k][h].get(known[i], 0) + t * p) / (c + t)
        nll -= math.log(p)
    print(json.dumps({"order": order, "build_seconds": build, "nats_per_char": nll / (len(known) - 1)}), flush=True)
