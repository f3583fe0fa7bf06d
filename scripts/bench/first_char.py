"""Time to the first streamed character of a sample: POST with Accept: text/event-stream, read until
the first `event: text`. Usage: first_char.py HOST PORT BODY_JSON RUNS; prints the median in ms."""
import http.client
import statistics
import sys
import time

host, port, body, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), int(sys.argv[4])
times = []
for _ in range(runs):
    connection = http.client.HTTPConnection(host, port)
    start = time.perf_counter()
    connection.request("POST", "/api/charnn/sample", body,
                       {"Content-Type": "application/json", "Accept": "text/event-stream"})
    response = connection.getresponse()
    while True:
        line = response.fp.readline()
        if not line or line.startswith(b"event: text"):
            break
    times.append(1000 * (time.perf_counter() - start))
    connection.close()
print(f"{statistics.median(times):.1f}")
