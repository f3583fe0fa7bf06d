# verso serve under attack: schemathesis against /openapi.json (no 5xx, no response outside the
# schema), bad requests by hand, queries beside a trainer, and kill -9 under load (the store stays
# intact and a restarted server answers).
S=$WORK/server.sqlite
"$BIN/charnn" train "$CORPORA/refranes.txt" --name c --hidden 32 --layers 1 --max-steps 20 --eval-every 10 \
  --store "$S" >/dev/null
"$BIN/markov" train "$CORPORA/refranes.txt" --name m --order 4 --store "$S" >/dev/null
"$BIN/w2v" train "$CORPORA/refranes.txt" --name w --dim 32 --epochs 1 --min-count 2 --store "$S" >/dev/null
PORT=$((20000 + RANDOM % 20000))
start_server() {
  # Samples end after 5 s (30 by default): schemathesis gives up on a request after 10.
  "$BIN/verso" serve --store "$S" --port "$PORT" --request-timeout 5 >>"$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/models" >/dev/null && return 0; sleep 0.1; done
  return 1
}
status_of() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }
check "verso serve starts on the chaos store" start_server

# Bad requests by hand: a 4xx and a one-line JSON error each.
url=http://127.0.0.1:$PORT
for spec in "400|-X POST -d {\"temperatures\":\"x\"} $url/api/charnn/sample" \
            "400|-X POST -d [] $url/api/charnn/sample" \
            "400|-X POST -d {\"length\":-1} $url/api/markov/sample" \
            "404|$url/api/w2v/nearest?model=w&word=zzzqqq" \
            "404|$url/api/w2v/nearest?model=c&word=que" \
            "404|$url/../../etc/passwd" \
            "404|$url/api/charnn/sample" \
            "400|$url/api/w2v/nearest?model=w&word=que&n=abc"; do
  want=${spec%%|*}; read -ra args <<<"${spec#*|}"
  got=$(status_of "${args[@]}")
  if [ "$got" = "$want" ] || { [ "$want" = 404 ] && [ "$got" = 405 ]; }; then
    check "bad request ${args[*]: -1} has a JSON error" \
      python3 -c 'import json,sys; json.load(open(sys.argv[1]))["error"]' "$WORK/body"
  else
    fail "bad request ${args[*]}: status $got, expected $want: $(head -c 200 "$WORK/body")"
  fi
done
big=$WORK/big.json; python3 -c 'print("{\"seed\": \"" + "a" * 70000 + "\"}")' > "$big"
check "a 70 KB body is refused with 413" \
  test "$(status_of -X POST --data-binary @"$big" "$url/api/charnn/sample")" = 413

# What NIO's parser refuses is a JSON error too; a field of the wrong type names its range.
check "raw UTF-8 in the URL: 400 with a JSON error" bash -c \
  "[ \"\$(curl -s -o '$WORK/body' -w '%{http_code}' '$url/api/w2v/nearest?model=w&word=año')\" = 400 ] &&
   grep -q 'percent-encoded' '$WORK/body'"
long=$(head -c 100000 /dev/zero | tr '\0' a)
check "a 100 KB URL: 431 with a JSON error" bash -c \
  "[ \"\$(curl -s -o '$WORK/body' -w '%{http_code}' '$url/api/w2v/nearest?model=w&word=$long')\" = 431 ] &&
   python3 -c 'import json,sys; json.load(open(sys.argv[1]))[\"error\"]' '$WORK/body'"
check '{"length":"50"} names the range 0 to 20000' bash -c \
  "curl -s -X POST -d '{\"length\":\"50\"}' '$url/api/markov/sample' | grep -q 'an integer from 0 to 20000'"
# Starting: a taken port and an unknown host are one line, before anything says it is serving.
expect_error "verso serve on a taken port" "port $PORT is already in use" "$S" timeout 10 "$BIN/verso" serve --port "$PORT" --store "$S"
expect_error "verso serve --host nohost.invalid" "unknown host 'nohost.invalid'" "$S" \
  timeout 10 "$BIN/verso" serve --host nohost.invalid --port $((PORT + 2)) --store "$S"
expect_error "verso serve --store typo.sqlite" "no store at" "$S" timeout 10 "$BIN/verso" serve --port $((PORT + 3)) --store "$WORK/typo.sqlite"
# Slow clients (loopback, bounded): 150 trickling their head a byte a second and 50 announcing a
# body they never send are closed after the header and idle timeouts; normal requests are answered.
"$BIN/verso" serve --store "$S" --port $((PORT + 1)) --header-timeout 3 --idle-timeout 5 --max-connections 400 \
  >>"$WORK/serve-slow.log" 2>&1 &
slow_server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$((PORT + 1))/api/models" >/dev/null && break; sleep 0.1; done
result=$(python3 scripts/chaos.d/slow-clients.py $((PORT + 1)) 150 50 15)
kill -INT $slow_server; wait $slow_server 2>/dev/null
check "slow clients: $result" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["slow_closed"] == 150 and r["slow_latest"] < 3 + 2, "trickling heads closed after the header timeout"
assert r["stalled_closed"] == 50 and r["stalled_latest"] < 5 + 2, "stalled bodies closed after the idle timeout"
assert r["normal_answered"] >= 10 and r["normal_failed"] == 0 and r["normal_slowest"] < 2, "normal requests answered"
' "$result"

# schemathesis: generated requests for every operation of the OpenAPI document.
venv="${VERSO_SCHEMATHESIS_VENV:-$HOME/.cache/verso/schemathesis-venv}"
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis >/dev/null 2>&1
fi
if "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  logged "$venv/bin/schemathesis" run "$url/openapi.json" --url "$url" --max-examples "${SCHEMATHESIS_EXAMPLES:-40}" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --no-color >"$WORK/schemathesis.out" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    ok; note "schemathesis: $(grep -A1 '^Test cases' "$WORK/schemathesis.out" | tail -1 | xargs), no 5xx, all in the schema"
  else
    fail "schemathesis found problems: $(grep -E 'Failed|FAILED|Server error|conformance' "$WORK/schemathesis.out" | head -5)"
    tail -40 "$WORK/schemathesis.out" >&2; fi
else
  fail "schemathesis could not be installed from PyPI"
fi

# kill -9 under load: the store is intact and a restarted server answers.
( for _ in $(seq 1 400); do
    curl -s "$url/api/w2v/nearest?model=w&word=que" >/dev/null
    curl -s -X POST -d '{"model":"c","length":200,"temperatures":[0.5,1]}' "$url/api/charnn/sample" >/dev/null
  done ) &
load=$!
sleep 2
kill -9 "$SERVER"; wait "$SERVER" 2>/dev/null
kill "$load" 2>/dev/null; wait "$load" 2>/dev/null
check "the store is intact after kill -9 under load" integrity "$S"
check "a restarted server answers" start_server
check "… a nearest query" bash -c "curl -sf '$url/api/w2v/nearest?model=w&word=que' | grep -q neighbours"
kill -INT "$SERVER"  # Ctrl-C
for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
check "Ctrl-C stops the server within 5 s" bash -c "! kill -0 $SERVER 2>/dev/null"
wait "$SERVER"; rc=$?
check "… with exit status 0 (got $rc)" test $rc -eq 0
check "the server never crashed or dumped a trace" bash -c "! grep -qiE 'fatal|crash|backtrace' '$WORK/serve.log'"
