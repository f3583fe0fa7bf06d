"""The bench-writers table of one corpus: every row's test bits/char, training time, copied windows and
real words at T = 1.0, 0.8, 0.6, from what scripts/bench-writers left in its folder."""
import json, math, os, re, sys

folder, name = sys.argv[1], sys.argv[2]


def read(f):
    p = os.path.join(folder, f)
    return open(p, encoding="utf-8").read() if os.path.exists(p) else None


def seconds(f):
    s = read(f)
    return f"{int(s)} s" if s else "-"


def pct(x):
    return "-" if x is None else f"{100 * x:.1f}%"


rows = []
compare = read("compare.json")
if compare:
    for r in json.loads(compare):
        if r.get("bits_per_char") is None:
            continue
        t = seconds("lstm.seconds") if r["model"].startswith("char-RNN") else \
            seconds("mix.seconds") + " (mixing)" if r["model"].startswith("mixture") else "< 1 s"
        rows.append([r["model"], f'{r["bits_per_char"]:.4f}', t] + [pct(x) for x in r["copied"]]
                    + [pct(x) for x in r["real_words"]])

# PyTorch's samples: windows and words by code points (Verso's by grapheme clusters; the same on these texts).
train = read("fit.txt") or read("train.txt") or ""
windows = {train[i:i + 20] for i in range(len(train) - 19)}
words = set(re.findall(r"[^\W\d_]+", train.lower()))


def check(sample):
    ws = [sample[i:i + 20] for i in range(len(sample) - 19)]
    found = re.findall(r"[^\W\d_]+", sample.lower())
    return (sum(w in windows for w in ws) / len(ws) if ws else None,
            sum(w in words for w in found) / len(found) if found else None)


torch = read("torch.json")
if torch:
    t = json.loads(torch)
    checks = [check(read(f"torch-sample-{x}.txt") or "") for x in ("1.0", "0.8", "0.6")]
    rows.append(["PyTorch LSTM, same shape and steps", f'{t["bits_per_char"]:.4f}', seconds("torch.seconds")]
                + [pct(c[0]) for c in checks] + [pct(c[1]) for c in checks])
gpt = read("gpt.json")
if gpt:
    g = json.loads(gpt)
    rows.append([f'GPT 4x4x128 (nanoGPT CPU shape), {g["steps"]} steps', f'{g["test"] / math.log(2):.4f}',
                 f'{int(g.get("seconds", 0))} s'] + ["-"] * 6)

head = ["model", "test bits/char", "training", "copied T=1.0", "T=0.8", "T=0.6", "real words T=1.0", "T=0.8",
        "T=0.6"]
print(f"\n### {name}\n")
print("| " + " | ".join(head) + " |")
print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
for r in rows:
    print("| " + " | ".join(r) + " |")
