"""A character GPT of nanoGPT's documented CPU shape, trained for a fixed time: scripts/bench-auto's peer.

nanoGPT's README, "I only have a macbook": 4 layers, 4 heads, 128 wide, block 64, batch 12, no dropout,
AdamW lr 1e-3 (warm-up 100 steps, cosine to 1e-4, betas 0.9/0.99, weight decay 0.1), clip 1.0. Written
here (pre-norm blocks, GELU MLP, tied embeddings, as nanoGPT's model.py) so no foreign code is committed.
The text is split as Verso splits it: the last 10% validates. The run ends at the time limit; the loss
printed is the best full-validation loss (nats/char, every window of 64 scored once) of its evaluations.

usage: gpt_char.py TEXT_OR_FOLDER SECONDS [--threads 2]
prints one JSON line: best_val, steps, chars_per_s, evaluations
"""
import argparse, copy, json, math, os, time
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("path")
ap.add_argument("seconds", type=float)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--test", help="also score this file (symbols the text lacks skipped) with the best weights")
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1337)


def read(path):
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.endswith(".txt"))
        return "".join(open(os.path.join(path, n), encoding="utf-8").read() for n in names)
    return open(path, encoding="utf-8").read()


text = read(args.path)
chars = sorted(set(text))
index = {c: i for i, c in enumerate(chars)}
data = torch.tensor([index[c] for c in text], dtype=torch.long)
cut = int(len(data) * 0.9)
train, val = data[:cut], data[cut:]
V, block, batch, layers, heads, width = len(chars), 64, 12, 4, 4, 128


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv, self.proj = nn.Linear(width, 3 * width), nn.Linear(width, width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(width, dim=2)
        q, k, v = (t.view(B, T, heads, C // heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok, self.pos = nn.Embedding(V, width), nn.Embedding(block, width)
        self.blocks = nn.Sequential(*[Block() for _ in range(layers)])
        self.ln, self.head = nn.LayerNorm(width), nn.Linear(width, V, bias=False)
        self.head.weight = self.tok.weight

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        return self.head(self.ln(self.blocks(x)))


model = GPT()
decay = [p for p in model.parameters() if p.dim() >= 2]
no_decay = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=1e-3, betas=(0.9, 0.99))


@torch.no_grad()
def validation_loss(val=val):
    model.eval()
    total, count = 0.0, 0
    windows = (len(val) - 1) // block
    for start in range(0, windows, 256):
        rows = torch.arange(start, min(windows, start + 256)) * block
        x = torch.stack([val[r:r + block] for r in rows.tolist()])
        y = torch.stack([val[r + 1:r + 1 + block] for r in rows.tolist()])
        total += F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1), reduction="sum").item()
        count += y.numel()
    model.train()
    return total / count


def step(lr):
    for group in opt.param_groups:
        group["lr"] = lr
    starts = torch.randint(len(train) - block - 1, (batch,))
    x = torch.stack([train[s:s + block] for s in starts.tolist()])
    y = torch.stack([train[s + 1:s + 1 + block] for s in starts.tolist()])
    loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()


# The step count the time allows (measured on the first 30 steps, evaluation time set aside) sets the
# cosine's length, as nanoGPT's lr_decay_iters = max_iters; up to 20 evaluations spread over the run.
start = time.perf_counter()
for s in range(30):
    step(1e-3 * (s + 1) / 100)
per_step = (time.perf_counter() - start) / 30
eval_start = time.perf_counter()
best = validation_loss()
best_state = copy.deepcopy(model.state_dict())
per_eval = time.perf_counter() - eval_start
evaluations = max(1, min(20, int(0.08 * args.seconds / per_eval)))  # at most 8% of the time, as Verso's --auto
total = max(100, int((args.seconds - (time.perf_counter() - start) - evaluations * per_eval) / per_step))
every = max(1, total // evaluations)
s, done = 30, 1
while s < total and time.perf_counter() - start < args.seconds:
    lr = 1e-3 * min(1, (s + 1) / 100)
    if s >= 100:
        lr = 1e-4 + 0.5 * (1e-3 - 1e-4) * (1 + math.cos(math.pi * (s - 100) / max(1, total - 100)))
    step(lr)
    s += 1
    if s % every == 0 or s == total:
        loss = validation_loss()
        if loss < best:
            best, best_state = loss, copy.deepcopy(model.state_dict())
        done += 1
if s % every != 0 and s != total:  # the time limit came between evaluations
    loss = validation_loss()
    if loss < best:
        best, best_state = loss, copy.deepcopy(model.state_dict())
    done += 1
elapsed = time.perf_counter() - start
result = {"best_val": best, "steps": s, "chars_per_s": s * batch * block / elapsed, "evaluations": done,
          "symbols": V, "seconds": elapsed}
if args.test:
    model.load_state_dict(best_state)
    test_text = read(args.test)
    test = torch.tensor([index[c] for c in test_text if c in index], dtype=torch.long)
    result["test"] = validation_loss(test)
    result["test_unknown"] = sum(1 for c in test_text if c not in index)
print(json.dumps(result))
