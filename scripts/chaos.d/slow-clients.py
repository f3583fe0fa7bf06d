"""Slow clients against a verso server on loopback (scripts/chaos server): SLOW connections that
send their request head a byte a second, STALLED ones that announce a body and send none, and
meanwhile a normal request every half second. Prints one JSON line: how many of each the server
closed and after how long, and the slowest normal answer. Bounded: at most LIMIT seconds."""
import json, socket, sys, threading, time, urllib.request

port, slow_count, stalled_count, limit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
head = b"GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
closed = {"slow": [], "stalled": []}
lock = threading.Lock()


def slow_client(kind):
    started = time.time()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=limit)
        s.settimeout(1.0)
        if kind == "stalled":
            s.sendall(b"POST /api/markov/sample HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000\r\n\r\n")
        i = 0
        while time.time() - started < limit:
            try:
                if kind == "slow":
                    s.send(head[i % len(head):i % len(head) + 1])
                    i += 1
                data = s.recv(4096)
                if data == b"" or kind == "stalled":  # closed (a stalled body may get a 4xx first)
                    if data == b"" or not s.recv(4096):
                        with lock:
                            closed[kind].append(time.time() - started)
                        return
            except socket.timeout:
                pass
            except OSError:  # reset or broken pipe: closed too
                with lock:
                    closed[kind].append(time.time() - started)
                return
    except OSError:
        pass


threads = [threading.Thread(target=slow_client, args=("slow",)) for _ in range(slow_count)]
threads += [threading.Thread(target=slow_client, args=("stalled",)) for _ in range(stalled_count)]
for t in threads:
    t.start()
normal, failed = [], 0
started = time.time()
while time.time() - started < limit and any(t.is_alive() for t in threads):
    t0 = time.time()
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/api/models" % port, timeout=5) as r:
            r.read()
        normal.append(time.time() - t0)
    except Exception:
        failed += 1
    time.sleep(0.5)
for t in threads:
    t.join(timeout=1)
print(json.dumps({
    "slow_closed": len(closed["slow"]), "slow_latest": max(closed["slow"], default=None),
    "stalled_closed": len(closed["stalled"]), "stalled_latest": max(closed["stalled"], default=None),
    "normal_answered": len(normal), "normal_failed": failed, "normal_slowest": max(normal, default=None),
}))
