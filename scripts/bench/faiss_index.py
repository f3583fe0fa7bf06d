"""faiss beside Verso's IVF index (issue 31): IndexIVFFlat, IndexHNSWFlat and IndexIVFPQ on the unit rows of a
word2vec binary file, each tuned to recall@10 >= 0.95 against exact inner-product search (IndexFlatIP) on the
same sampled queries (each query's own word left out, as `w2v nearest` leaves it out). For each: build seconds,
the search setting reached, single-query p50 and batched per-query latency, resident memory added, and the
index's size written to disk. Then `verso serve`'s /api/w2v/nearest p50 over the same query words, one request
at a time on one kept-alive connection, when a server URL and model are given.

Usage: faiss_index.py VECTORS.bin THREADS [SERVER_URL MODEL]   (prints one JSON line, then a markdown table)
"""
import http.client
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse

import faiss
import numpy as np


def read_word2vec_binary(path):
    with open(path, "rb") as f:
        rows, dim = map(int, f.readline().split())
        words, matrix = [], np.empty((rows, dim), dtype=np.float32)
        for r in range(rows):
            word = bytearray()
            while True:
                c = f.read(1)
                if c == b" ":
                    break
                if c != b"\n":
                    word += c
            words.append(word.decode("utf-8", "replace"))
            matrix[r] = np.frombuffer(f.read(4 * dim), dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms > 0, norms, 1)
    return words, np.ascontiguousarray(matrix)


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def recall(index, queries, ids, truth):
    _, found = index.search(queries, 11)
    hits = 0
    for q, row in enumerate(found):
        mine = [i for i in row if i != ids[q]][:10]
        hits += len(set(mine) & truth[q])
    return hits / (10 * len(ids))


def latencies(index, queries):
    single = []
    for q in queries:
        started = time.perf_counter()
        index.search(q[None, :], 11)
        single.append(time.perf_counter() - started)
    started = time.perf_counter()
    index.search(queries, 11)
    batched = (time.perf_counter() - started) / len(queries)
    return 1000 * statistics.median(single), 1000 * batched


def on_disk_mb(index):
    with tempfile.NamedTemporaryFile(suffix=".faiss") as f:
        faiss.write_index(index, f.name)
        return os.path.getsize(f.name) / 1e6


def tune(index, queries, ids, truth, knob, values):
    """The first value of the search knob reaching recall 0.95 (else the last), and its recall."""
    for value in values:
        setattr(index, knob, value) if knob != "efSearch" else setattr(index.hnsw, knob, value)
        r = recall(index, queries, ids, truth)
        if r >= 0.95:
            return value, r
    return values[-1], r


def main():
    path, threads = sys.argv[1], int(sys.argv[2])
    faiss.omp_set_num_threads(threads)
    words, x = read_word2vec_binary(path)
    n, d = x.shape
    rng = np.random.default_rng(1)
    ids = rng.choice(n, size=min(1000, n), replace=False)
    queries = x[ids]
    flat = faiss.IndexFlatIP(d)
    flat.add(x)
    _, exact = flat.search(queries, 11)
    truth = [set([i for i in row if i != ids[q]][:10]) for q, row in enumerate(exact)]
    del flat
    nlist = max(1, round(n ** 0.5))
    rows = []
    for name in ["IndexIVFFlat", "IndexHNSWFlat", "IndexIVFPQ"]:
        before = rss_mb()
        started = time.perf_counter()
        if name == "IndexIVFFlat":
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, nlist, faiss.METRIC_INNER_PRODUCT)
        elif name == "IndexHNSWFlat":
            index = faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
        else:
            m = next(m for m in (d // 2, d // 3, d // 4, d // 5) if d % m == 0)
            index = faiss.IndexIVFPQ(faiss.IndexFlatIP(d), d, nlist, m, 8, faiss.METRIC_INNER_PRODUCT)
        if not index.is_trained:
            sample = x[rng.choice(n, size=min(n, max(64 * nlist, 10000), 131072), replace=False)]
            index.train(sample)
        index.add(x)
        build = time.perf_counter() - started
        added = rss_mb() - before
        if name == "IndexHNSWFlat":
            setting, r = tune(index, queries, ids, truth, "efSearch", [16, 32, 64, 128, 256, 512, 1024])
            knob = "efSearch"
        else:
            setting, r = tune(index, queries, ids, truth, "nprobe", [1, 2, 4, 8, 16, 32, 64, 128, 256, 512])
            knob = "nprobe"
        single, batched = latencies(index, queries)
        rows.append(dict(index=name, build_s=build, knob=knob, setting=setting, recall=r, single_ms=single,
                         batched_ms=batched, memory_mb=added, disk_mb=on_disk_mb(index)))
        del index
    served = None
    if len(sys.argv) > 4:
        url, model = urllib.parse.urlparse(sys.argv[3]), sys.argv[4]
        connection = http.client.HTTPConnection(url.hostname, url.port)
        times = []
        for q in ids:
            target = "/api/w2v/nearest?" + urllib.parse.urlencode({"model": model, "word": words[q], "n": 10})
            started = time.perf_counter()
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            times.append(time.perf_counter() - started)
            if response.status != 200:
                raise SystemExit(f"faiss_index: {target} answered {response.status}")
        served = 1000 * statistics.median(times)
    print(json.dumps(dict(rows=n, dim=d, threads=threads, faiss=rows, verso_serve_p50_ms=served)))
    print(f"\n{n} × {d} unit vectors, {threads} threads, recall@10 over {len(ids)} sampled words")
    print("| index | build (s) | setting | recall@10 | single query p50 (ms) | batched (ms/query) | memory (MB) | on disk (MB) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| faiss {r['index']} | {r['build_s']:.1f} | {r['knob']} {r['setting']} | {r['recall']:.3f} | "
              f"{r['single_ms']:.3f} | {r['batched_ms']:.3f} | {r['memory_mb']:.0f} | {r['disk_mb']:.0f} |")
    if served is not None:
        print(f"| verso serve, /api/w2v/nearest (HTTP, JSON) | | default probe | | {served:.3f} | | | |")


if __name__ == "__main__":
    main()
