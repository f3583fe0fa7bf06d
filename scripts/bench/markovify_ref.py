"""markovify reference for scripts/bench-markov: word chain of state size 2, build time and sentences/s."""
import json, sys, time
import markovify

text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
model = markovify.Text(text, state_size=2)
model.compile(inplace=True)
build = time.perf_counter() - start
start, made, n = time.perf_counter(), 0, 1000
for _ in range(n):
    if model.make_sentence(tries=10) is not None:
        made += 1
seconds = time.perf_counter() - start
print(json.dumps({"build_seconds": build, "sentences_per_s": n / seconds, "made": made}))
