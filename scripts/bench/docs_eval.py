"""Author retrieval for scripts/bench-docs: gensim Doc2Vec PV-DBOW, TF-IDF, and Verso's vectors read from its store.

chunks.txt holds one 1,000-word chunk per line (Verso's tokens), labels.tsv its text, author and subgenre.
For each chunk the nearest chunk (cosine) from a different text scores 1 when it has the same author
(precision@1); the same for subgenre over the chunks whose text has one. Prints one JSON line per method.
"""
import json, sqlite3, sys, time

import numpy as np

work, store = sys.argv[1], sys.argv[2]
verso_runs = json.loads(sys.argv[3])  # {"dbow": {...}, "sif": {...}}: Verso's own training figures
chunks = [line.split() for line in open(f"{work}/chunks.txt", encoding="utf-8")]
labels = [line.rstrip("\n").split("\t") for line in open(f"{work}/labels.tsv", encoding="utf-8")]
texts = np.array([l[0] for l in labels])
authors = np.array([l[1] for l in labels])
subgenres = np.array([l[2] for l in labels])
words = sum(len(c) for c in chunks)
probe = list(range(0, len(chunks), max(1, len(chunks) // 200)))[:200]  # chunks timed for inference


def precision_at_1(vectors):
    """(author, subgenre) precision@1 of the nearest chunk of another text, cosine."""
    v = np.asarray(vectors, dtype=np.float64)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    sims = v @ v.T
    sims[texts[:, None] == texts[None, :]] = -np.inf
    nearest = sims.argmax(axis=1)
    author = float(np.mean(authors[nearest] == authors))
    known = subgenres != ""
    s = sims[np.ix_(known, known)]
    sub = subgenres[known]
    subgenre = float(np.mean(sub[s.argmax(axis=1)] == sub)) if known.sum() > 1 else None
    return author, subgenre


def report(method, vectors, train_words_per_s, infer_docs_per_s, extra=""):
    author, subgenre = precision_at_1(vectors)
    print(json.dumps({"method": method, "author_p1": author, "subgenre_p1": subgenre,
                      "train_words_per_s": train_words_per_s, "infer_docs_per_s": infer_docs_per_s,
                      "note": extra}), flush=True)


def verso_vectors(name):
    db = sqlite3.connect(store)
    (model,) = db.execute("SELECT id FROM models WHERE name = ?", (name,)).fetchone()
    rows = db.execute("SELECT vector FROM documents WHERE model_id = ? ORDER BY idx", (model,)).fetchall()
    return np.stack([np.frombuffer(r[0], dtype="<f4") for r in rows])


for name, run in verso_runs.items():
    vectors = verso_vectors(name)
    assert len(vectors) == len(chunks), f"{name}: {len(vectors)} vectors for {len(chunks)} chunks"
    report(f"verso {name}", vectors, run["words_per_s"], run["infer_docs_per_s"], run.get("note", ""))

if len(sys.argv) > 4 and sys.argv[4] == "0":  # BENCH_PEERS=0: Verso alone
    sys.exit(0)

from gensim.models.doc2vec import Doc2Vec, TaggedDocument

tagged = [TaggedDocument(c, [i]) for i, c in enumerate(chunks)]
model = Doc2Vec(dm=0, dbow_words=1, vector_size=100, window=5, negative=5, sample=1e-3, min_count=5,
                epochs=10, workers=2, seed=1)
model.build_vocab(tagged)
start = time.perf_counter()
model.train(tagged, total_examples=len(tagged), epochs=model.epochs)
seconds = time.perf_counter() - start
start = time.perf_counter()
for i in probe:
    model.infer_vector(chunks[i])
infer = len(probe) / (time.perf_counter() - start)
report("gensim Doc2Vec PV-DBOW", np.stack([model.dv[i] for i in range(len(chunks))]), words * 10 / seconds, infer,
       f"gensim {__import__('gensim').__version__}, dbow_words=1")

from sklearn.feature_extraction.text import TfidfVectorizer

start = time.perf_counter()
tfidf = TfidfVectorizer(analyzer=str.split, min_df=2, sublinear_tf=True)
matrix = tfidf.fit_transform(" ".join(c) for c in chunks)
fit = time.perf_counter() - start
start = time.perf_counter()
tfidf.transform(" ".join(chunks[i]) for i in probe)
infer = len(probe) / (time.perf_counter() - start)
report("TF-IDF (scikit-learn)", matrix.toarray(), words / fit, infer,
       f"{matrix.shape[1]} terms, sublinear tf, min_df 2")
