#!/usr/bin/env python3
"""Verso char-RNN exchange files (charnn export) in PyTorch: evaluate, sample, train, write back.

  python scripts/torch/charrnn.py eval MODEL.safetensors TEXT [--json]
  python scripts/torch/charrnn.py sample MODEL.safetensors [--seed TEXT] [--length N] [--temp T] [--top-p P]
  python scripts/torch/charrnn.py train MODEL.safetensors TEXT --out OUT.safetensors [--steps N] [--device cuda]
  torchrun --nproc-per-node 8 scripts/torch/charrnn.py train ...      (DDP: GPUs, or machines with --nnodes)

The model is an nn.LSTM (nn.GRU, nn.RNN) over one-hot symbols, dropout after every layer, and an
nn.Linear decoder: Verso's network, so `eval` prints what `charnn eval` prints. OUT imports with
`charnn import OUT --name NAME`. Without torch, safetensors and regex importable, the script makes
a virtualenv ($VERSO_TORCH_VENV, default ~/.cache/verso/torch-venv), installs them and reruns itself.
"""
import os
import subprocess
import sys


def ensure_packages():
    try:
        import regex  # noqa: F401
        import safetensors  # noqa: F401
        import torch  # noqa: F401
        return
    except ImportError:
        pass
    venv = os.environ.get("VERSO_TORCH_VENV", os.path.expanduser("~/.cache/verso/torch-venv"))
    python = os.path.join(venv, "bin", "python")
    if os.path.abspath(sys.prefix) == os.path.abspath(venv):
        subprocess.check_call([python, "-m", "pip", "install", "-q", "torch", "safetensors", "regex", "numpy"])
    else:
        if not os.path.exists(python):
            print(f"charrnn.py: making a virtualenv with PyTorch in {venv} (large download, once)", file=sys.stderr)
            subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "torch", "safetensors", "regex", "numpy"])
    os.execv(python, [python] + sys.argv)


ensure_packages()  # also when imported (scripts/torch/make-reference): reruns that script in the venv

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import unicodedata  # noqa: E402

import regex  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

CELLS = {"lstm": (nn.LSTM, 4), "gru": (nn.GRU, 3), "rnn": (nn.RNN, 1)}
GATE_ORDER = {"lstm": "i,f,g,o", "gru": "r,z,n", "rnn": "h"}


class CharRNN(nn.Module):
    """One-hot symbols → `layers` recurrent layers, dropout after each → linear → logits."""

    def __init__(self, cell, vocab, hidden, layers, dropout):
        super().__init__()
        rnn_class, self.gates = CELLS[cell]
        self.cell, self.vocab, self.hidden = cell, vocab, hidden
        self.rnn = rnn_class(vocab, hidden, layers, dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)  # nn.LSTM drops between layers only; Verso after the last too
        self.decoder = nn.Linear(hidden, vocab)
        if cell == "gru":
            # Verso's GRU has no recurrent bias inside the reset gate: keep bias_hh's n part at zero.
            for k in range(layers):
                bias = getattr(self.rnn, f"bias_hh_l{k}")
                with torch.no_grad():
                    bias[2 * hidden:] = 0
                keep = torch.ones_like(bias)
                keep[2 * hidden:] = 0
                bias.register_hook(lambda grad, keep=keep: grad * keep)

    def forward(self, x, state=None):  # x: [T, B] symbol ids → logits [T, B, V]
        out, state = self.rnn(F.one_hot(x, self.vocab).to(self.decoder.weight.dtype), state)
        return self.decoder(self.drop(out)), state


def load(path, device="cpu"):
    """The model of an exchange file, its metadata and its vocabulary."""
    with safe_open(path, "pt") as f:
        meta = f.metadata() or {}
        tensors = {name: f.get_tensor(name) for name in f.keys()}
    if "vocabulary" not in meta:
        sys.exit(f"Error: {path} has no vocabulary in its metadata (write it with charnn export)")
    vocab = json.loads(meta["vocabulary"])
    config = json.loads(meta.get("config", "{}"))
    hh = tensors["weight_hh_l0"]
    hidden = hh.shape[1]
    cell = meta.get("cell") or {4: "lstm", 3: "gru", 1: "rnn"}[hh.shape[0] // hidden]
    if meta.get("gate_order", GATE_ORDER[cell]) != GATE_ORDER[cell]:
        sys.exit(f"Error: {path}: gate_order {meta['gate_order']} is not PyTorch's {GATE_ORDER[cell]}")
    layers = sum(1 for name in tensors if name.startswith("weight_ih_l"))
    dropout = float(config.get("network", {}).get("dropout", meta.get("dropout", 0)))
    model = CharRNN(cell, len(vocab), hidden, layers, dropout)
    model.rnn.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("decoder.")})
    model.decoder.load_state_dict({"weight": tensors["decoder.weight"], "bias": tensors["decoder.bias"]})
    return model.to(device), meta, vocab


def save(path, model, meta):
    """Writes the model back as an exchange file with `meta` (charnn import reads it)."""
    tensors = {k: v.detach().float().cpu().contiguous() for k, v in model.rnn.state_dict().items()}
    tensors["decoder.weight"] = model.decoder.weight.detach().float().cpu().contiguous()
    tensors["decoder.bias"] = model.decoder.bias.detach().float().cpu().contiguous()
    save_file(tensors, path, metadata=meta)


def read_symbols(path):
    """The text as Verso reads it: UTF-8, BOM dropped, CRLF → LF, the file's last newline dropped,
    NFC, then extended grapheme clusters (Unicode's, as ICU segments them)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit(f"Error: {path} is not UTF-8 (byte {e.start})")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    text = text.removesuffix("\n")
    return regex.findall(r"\X", unicodedata.normalize("NFC", text))


def encode(symbols, vocab):
    index = {s: i for i, s in enumerate(vocab)}
    ids = [index[s] for s in symbols if s in index]
    return torch.tensor(ids, dtype=torch.long), len(symbols) - len(ids)


def stream_chunks(ids, steps, streams, pad):
    """Verso's StreamBatches: the ids as `streams` contiguous streams, `steps` at a time; inputs
    and targets [chunks·steps, streams]. With `pad` every prediction counts (targets −1 fill the
    last chunk); without, the remainder is dropped (training)."""
    predictions = len(ids) - 1
    if pad:
        length = -(-predictions // streams)
        chunks = -(-length // steps)
    else:
        length = predictions // streams
        chunks = length // steps
    t = torch.arange(chunks * steps).unsqueeze(1)
    pos = torch.arange(streams).unsqueeze(0) * length + t
    valid = (t < length) & (pos < predictions)
    safe = pos.clamp(max=max(predictions - 1, 0))
    inputs = torch.where(valid, ids[safe], torch.zeros_like(safe))
    targets = torch.where(valid, ids[safe + 1], torch.full_like(safe, -1))
    return inputs, targets, chunks


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


@torch.no_grad()
def cross_entropy(model, ids, steps, batch, device):
    """Mean −ln p(next symbol) over every prediction, state carried from zero: `charnn eval`'s."""
    model.eval()
    streams = min(batch, len(ids) - 1)
    inputs, targets, chunks = stream_chunks(ids, steps, streams, pad=True)
    total, count, state = 0.0, 0, None
    for k in range(chunks):
        x = inputs[k * steps:(k + 1) * steps].to(device)
        y = targets[k * steps:(k + 1) * steps].to(device)
        logits, state = model(x, state)
        losses = F.cross_entropy(logits.reshape(-1, model.vocab), y.reshape(-1), ignore_index=-1, reduction="none")
        total += losses.double().sum().item()
        count += int((y >= 0).sum())
    return total / max(count, 1), count


def cmd_eval(args):
    device = pick_device(args.device)
    model, meta, vocab = load(args.model, device)
    ids, unknown = encode(read_symbols(args.text), vocab)
    if len(ids) < 2:
        sys.exit(f"Error: {args.text} has no text the model can score")
    steps, batch = int(meta.get("seq_length", 50)), int(meta.get("batch_size", 50))
    nats, chars = cross_entropy(model, ids, steps, batch, device)
    name = os.path.basename(args.model).removesuffix(".safetensors")
    if args.json:
        print(json.dumps({"model": name, "nats_per_char": nats, "bits_per_char": nats / math.log(2),
                          "chars": chars, "unknown_chars": unknown}, indent=2, sort_keys=True))
    else:
        print(f"{name}: {nats:.4f} nats/char, {nats / math.log(2):.4f} bits/char over {chars} chars "
              f"({unknown} unknown chars skipped)")


@torch.no_grad()
def cmd_sample(args):
    device = pick_device(args.device)
    model, _, vocab = load(args.model, device)
    model.eval()
    generator = torch.Generator(device=device).manual_seed(args.rng_seed)
    seed_ids, _ = encode(regex.findall(r"\X", unicodedata.normalize("NFC", args.seed)), vocab)
    state, out = None, list(args.seed)
    x = seed_ids.unsqueeze(1).to(device) if len(seed_ids) else torch.tensor([[0]], device=device)
    logits, state = model(x, state)
    for _ in range(args.length):
        p = F.softmax(logits[-1, 0] / args.temp, dim=-1)
        if args.top_p < 1:  # nucleus: the smallest set of symbols whose probability reaches top-p
            sorted_p, order = p.sort(descending=True)
            keep = sorted_p.cumsum(0) - sorted_p < args.top_p
            p = torch.zeros_like(p).scatter(0, order[keep], sorted_p[keep])
        symbol = torch.multinomial(p, 1, generator=generator)
        out.append(vocab[symbol.item()])
        logits, state = model(symbol.view(1, 1), state)
    print("".join(out))


def cmd_train(args):
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    rank = int(os.environ.get("RANK", "0"))
    device = pick_device(args.device, local_rank=int(os.environ.get("LOCAL_RANK", "0")))
    if distributed:
        torch.distributed.init_process_group("nccl" if device.type == "cuda" else "gloo")
    world = torch.distributed.get_world_size() if distributed else 1
    torch.manual_seed(args.rng_seed + rank)
    model, meta, vocab = load(args.model, device)
    config = json.loads(meta.get("config", "{}"))
    ids, unknown = encode(read_symbols(args.text), vocab)
    if unknown:
        sys.exit(f"Error: {args.text} has {unknown} symbols the model does not know")
    val_frac = config.get("valFrac", 0.1)
    cut = int(len(ids) * (1 - val_frac))
    train_ids, val_ids = ids[:cut], ids[cut:]
    steps = args.seq_length or int(meta.get("seq_length", 50))
    batch = args.batch_size or int(meta.get("batch_size", 50))
    lr = args.lr or config.get("learningRate", 2e-3)
    inputs, targets, chunks = stream_chunks(train_ids, steps, batch, pad=False)
    if chunks == 0:
        sys.exit(f"Error: {args.text} is too short for {batch} streams of {steps} symbols")
    mine = slice(rank * batch // world, (rank + 1) * batch // world)  # this process's streams
    inputs, targets = inputs[:, mine], targets[:, mine]
    net = torch.nn.parallel.DistributedDataParallel(model) if distributed else model
    if config.get("optimizer", "rmsprop") == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-8)
    else:
        optimizer = torch.optim.RMSprop(model.parameters(), lr=lr, alpha=config.get("rmspropAlpha", 0.95), eps=1e-8)
    clip = config.get("gradClip", 5.0)
    state, k = None, 0
    model.train()
    for step in range(args.steps):
        if k == chunks:  # a new epoch: streams start again from a zero state
            state, k = None, 0
        x = inputs[k * steps:(k + 1) * steps].to(device)
        y = targets[k * steps:(k + 1) * steps].to(device)
        logits, state = net(x, state)
        state = detach(state)
        loss = F.cross_entropy(logits.reshape(-1, model.vocab), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if config.get("clipMode", "value") == "norm":
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        else:
            torch.nn.utils.clip_grad_value_(model.parameters(), clip)
        optimizer.step()
        k += 1
        if rank == 0 and (step + 1) % max(1, args.steps // 10) == 0:
            print(f"step {step + 1}/{args.steps}: train loss {loss.item():.4f}", file=sys.stderr)
    if rank == 0:
        val, _ = cross_entropy(model, val_ids, steps, batch, device) if len(val_ids) > 1 else (None, 0)
        old = json.loads(meta.get("checkpoint", '{"step": 0, "epoch": 0}'))
        epoch = old.get("epoch", 0) + args.steps * batch * steps / max(len(train_ids), 1)
        facts = {"step": old.get("step", 0) + args.steps, "epoch": epoch, "train_loss": loss.item(), "lr": lr}
        if val is not None:
            facts["val_loss"] = val
        meta = dict(meta, checkpoint=json.dumps(facts, sort_keys=True), corpus=corpus_info(args.text),
                    trained_by=f"PyTorch {torch.__version__} on {world} × {device.type}")
        save(args.out, model, meta)
        print(f"trained {args.steps} steps on {world} × {device.type}: val {val:.4f} nats/char → {args.out}"
              if val is not None else f"trained {args.steps} steps → {args.out}")
    if distributed:
        torch.distributed.destroy_process_group()


def corpus_info(path):
    """The corpus as Verso records it (CorpusInfo): one member, its SHA-256 and size."""
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    full, size = os.path.abspath(path), os.path.getsize(path)
    member = {"path": full, "sha256": digest, "bytes": size}
    return json.dumps(dict(member, members=[member]), sort_keys=True, ensure_ascii=False)


def pick_device(name, local_rank=0):
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda":
        if not torch.cuda.is_available():
            sys.exit("Error: --device cuda, but PyTorch sees no GPU")
        return torch.device("cuda", local_rank)
    return torch.device(name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("eval", help="cross-entropy of a text, as charnn eval")
    e.add_argument("model")
    e.add_argument("text")
    e.add_argument("--json", action="store_true")
    s = sub.add_parser("sample", help="temperature (and nucleus) sampling")
    s.add_argument("model")
    s.add_argument("--seed", default="\n")
    s.add_argument("--length", type=int, default=500)
    s.add_argument("--temp", type=float, default=0.6)
    s.add_argument("--top-p", type=float, default=1.0)
    s.add_argument("--rng-seed", type=int, default=0)
    t = sub.add_parser("train", help="continue training (CPU, CUDA, or DDP under torchrun)")
    t.add_argument("model")
    t.add_argument("text")
    t.add_argument("--out", required=True)
    t.add_argument("--steps", type=int, default=1000)
    t.add_argument("--lr", type=float)
    t.add_argument("--batch-size", type=int, help="streams in all (shared among DDP processes)")
    t.add_argument("--seq-length", type=int)
    t.add_argument("--rng-seed", type=int, default=0)
    for p in (e, s, t):
        p.add_argument("--device", default="cpu", help="cpu, cuda or auto")
        p.add_argument("--threads", type=int, default=2, help="CPU threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    {"eval": cmd_eval, "sample": cmd_sample, "train": cmd_train}[args.command](args)


if __name__ == "__main__":
    main()
