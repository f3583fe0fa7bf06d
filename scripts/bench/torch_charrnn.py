"""PyTorch reference for scripts/bench-charnn: char-rnn's LSTM (one-hot input), RMSprop, clip 5.

Prints one JSON line: training chars/s (after warm-up), and batch-1 sampling chars/s.
"""
import json, math, sys, time
import torch
import torch.nn as nn

path, hidden, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
layers = int(sys.argv[4]) if len(sys.argv) > 4 else 2
torch.set_num_threads(2)
torch.manual_seed(0)
text = open(path, encoding="utf-8").read()
cut = int(len(text) * 0.9)
chars = sorted(set(text))
V = len(chars)
index = {c: i for i, c in enumerate(chars)}
data = torch.tensor([index[c] for c in text[:cut]], dtype=torch.long)
T, B = 50, 50
L = (len(data) - 1) // B
streams = data[: L * B + 1]


class CharRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(V, hidden, num_layers=layers)
        self.out = nn.Linear(hidden, V)

    def forward(self, x, state):
        y, state = self.lstm(nn.functional.one_hot(x, V).float(), state)
        return self.out(y), state


model = CharRNN()
opt = torch.optim.RMSprop(model.parameters(), lr=2e-3, alpha=0.95, eps=1e-8)
loss_fn = nn.CrossEntropyLoss()
state = None
chunk = torch.arange(B) * L


def batch(k):
    idx = chunk[None, :] + (k * T + torch.arange(T))[:, None]        # T×B
    return data[idx], data[idx + 1]


warmup, timed = 3, steps
for step in range(warmup + timed):
    if step == warmup:
        start = time.perf_counter()
    x, y = batch(step % (L // T))
    logits, state = model(x, state)
    state = tuple(s.detach() for s in state)
    loss = loss_fn(logits.reshape(-1, V), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.grad.clamp_(-5, 5)
    opt.step()
train_cps = timed * T * B / (time.perf_counter() - start)

# Batch-1 sampling, temperature 1, one symbol at a time (as char-rnn's sample.lua).
with torch.no_grad():
    s, x, n = None, torch.tensor([[index["\n"]]]), 5000
    start = time.perf_counter()
    for _ in range(n):
        logits, s = model(x, s)
        x = torch.multinomial(torch.softmax(logits[0, 0], -1), 1)[None]
    sample_cps = n / (time.perf_counter() - start)
print(json.dumps({"hidden": hidden, "layers": layers, "train_chars_per_s": train_cps, "sample_chars_per_s": sample_cps,
                  "last_loss": loss.item(), "torch": torch.__version__}))
