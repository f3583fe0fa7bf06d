"""gensim reference for scripts/bench-w2v: trains on a token file, prints one JSON line."""
import json, sys, time
from gensim.models import Word2Vec

tokens, arch, questions = sys.argv[1], sys.argv[2], sys.argv[3]
words = sum(len(line.split()) for line in open(tokens, encoding="utf-8"))
model = Word2Vec(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, workers=2,
                 sg=1 if arch == "skipgram" else 0, seed=1)
model.build_vocab(corpus_file=tokens)
start = time.perf_counter()
model.train(corpus_file=tokens, total_words=model.corpus_total_words, total_examples=model.corpus_count, epochs=5)
seconds = time.perf_counter() - start
score, _ = model.wv.evaluate_word_analogies(questions, restrict_vocab=30000, case_insensitive=True)
top = model.wv.most_similar(positive=["rey", "mujer"], negative=["hombre"], topn=3)
print(json.dumps({"arch": arch, "words": words, "seconds": seconds, "words_per_s": words * 5 / seconds,
                  "analogy_accuracy": score, "rey-hombre+mujer": [w for w, _ in top]}))
