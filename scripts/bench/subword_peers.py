"""fastText's C++ trainer or gensim's FastText on a token file, for scripts/bench-subwords: trains with
the bench's settings, writes the vectors of the vocabulary (.vec) and prints one JSON line."""
import json, sys, time

tool, tokens, out = sys.argv[1], sys.argv[2], sys.argv[3]
words = sum(len(line.split()) for line in open(tokens, encoding="utf-8"))
settings = dict(dim=100, window=5, negative=5, epochs=5, minn=3, maxn=6, threads=2, min_count=5, sample=1e-3)
start = time.perf_counter()
if tool == "fasttext":
    import fasttext
    model = fasttext.train_unsupervised(
        tokens, model="skipgram", dim=100, ws=5, neg=5, epoch=5, minn=3, maxn=6, thread=2, minCount=5, t=1e-3,
        verbose=0)
    seconds = time.perf_counter() - start
    vocab = model.get_words()
    vector = model.get_word_vector
    oov = lambda w: model.get_word_vector(w)
else:
    from gensim.models import FastText
    model = FastText(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3, min_n=3, max_n=6, sg=1,
                     workers=2, seed=1)
    model.build_vocab(corpus_file=tokens)
    model.train(corpus_file=tokens, total_words=model.corpus_total_words, total_examples=model.corpus_count,
                epochs=5)
    seconds = time.perf_counter() - start
    vocab = model.wv.index_to_key
    vector = lambda w: model.wv[w]
with open(out, "w", encoding="utf-8") as f:
    f.write(f"{len(vocab)} 100\n")
    for w in vocab:
        f.write(w + " " + " ".join(f"{x:.6f}" for x in vector(w)) + "\n")
print(json.dumps({"tool": tool, "words": words, "seconds": seconds, "words_per_s": words * 5 / seconds,
                  "vocabulary": len(vocab), "settings": settings}))
