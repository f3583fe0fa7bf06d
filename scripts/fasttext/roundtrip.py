"""Checks a fastText .bin against Verso, through pip fasttext and gensim (scripts/fasttext-roundtrip).

  roundtrip.py train TEXT OUT.bin              a small skip-gram fastText model, as fastText trains it
  roundtrip.py compare MODEL.bin VECTORS.txt W2V MODEL [REFERENCE.bin]
      MODEL.bin loaded by fasttext.load_model and gensim's load_facebook_model gives every word of
      VECTORS.txt (Verso's `w2v export --format text`) the same vector, and unknown words the same
      cosines as `w2v similarity` of model MODEL; with REFERENCE.bin, also the same vectors as it.
Prints one line per check; exits 1 if any fails.
"""
import json
import subprocess
import sys

import numpy as np

UNKNOWN = ["cantábamosle", "perrito", "refranero", "xyzzyq", "casitas"]
failed = False


def check(label, ok, detail):
    global failed
    print(f"  {'ok  ' if ok else 'FAIL'}  {label:<58} {detail}")
    failed |= not ok


def read_text_vectors(path):
    with open(path, encoding="utf-8") as f:
        n, d = map(int, f.readline().split())
        rows = [line.rstrip("\n").split(" ") for line in f]
    assert len(rows) == n, (len(rows), n)
    return [r[0] for r in rows], np.array([[float(x) for x in r[1:]] for r in rows], dtype=np.float32)


def unit(v):
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def main():
    if sys.argv[1] == "train":
        import fasttext
        model = fasttext.train_unsupervised(
            sys.argv[2], model="skipgram", dim=16, epoch=2, bucket=20000, minCount=2, thread=1, verbose=0)
        model.save_model(sys.argv[3])
        return
    import fasttext
    from gensim.models.fasttext import load_facebook_model

    binary, vectors, w2v, name = sys.argv[2:6]
    reference = fasttext.load_model(sys.argv[6]) if len(sys.argv) > 6 else None
    ft = fasttext.load_model(binary)
    gs = load_facebook_model(binary).wv
    words, verso = read_text_vectors(vectors)
    scale = max(1.0, float(np.abs(verso).max()))
    check("fasttext reads the same words", list(ft.words) == words, f"{len(words)} words")
    ft_rows = np.array([ft.get_word_vector(w) for w in words])
    # fastText gives its end-of-line word "</s>" no n-grams; gensim gives it some, so it is left out there.
    plain = np.array([w != "</s>" for w in words])
    gs_rows = np.array([gs[w] for w in words])
    for label, rows, keep in [("fasttext.load_model", ft_rows, plain | True),
                              ("gensim load_facebook_model", gs_rows, plain)]:
        diff = float(np.abs(rows[keep] - verso[keep]).max())
        check(f"{label}: every word's vector equals Verso's", diff <= 1e-5 * scale, f"max |Δ| {diff:.1e}")
    anchors = words[1:6]
    worst = 0.0
    for oov in UNKNOWN:
        for anchor in anchors:
            out = subprocess.run([w2v, "similarity", oov, anchor, "--model", name, "--json"],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                check(f"w2v similarity {oov} {anchor}", False, out.stderr.strip())
                continue
            ours = json.loads(out.stdout)["similarity"]
            theirs = float(unit(ft.get_word_vector(oov)) @ unit(ft.get_word_vector(anchor)))
            worst = max(worst, abs(ours - theirs))
    check("unknown words: Verso's cosines equal fastText's", worst <= 1e-5, f"max |Δ| {worst:.1e} over "
          f"{len(UNKNOWN) * len(anchors)} pairs")
    gs_oov = max(float(np.abs(unit(gs[w]) - unit(ft.get_word_vector(w))).max()) for w in UNKNOWN)
    check("unknown words: gensim's vectors point as fastText's", gs_oov <= 1e-5, f"max |Δ| {gs_oov:.1e}")
    if reference is not None:
        diff = max(float(np.abs(reference.get_word_vector(w) - ft.get_word_vector(w)).max())
                   for w in list(reference.words) + UNKNOWN)
        check("the re-exported model equals fastText's original", diff <= 1e-5 * scale, f"max |Δ| {diff:.1e}")
    sys.exit(1 if failed else 0)


main()
