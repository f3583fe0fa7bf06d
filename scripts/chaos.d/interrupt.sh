# Ctrl-C (SIGINT) and SIGTERM during training, imports and index builds: each stops within a
# second with one line saying what was kept and how to go on, and exits 130 (143). A char-RNN
# run interrupted at random moments, each time resumed with the command it printed, ends on the
# bits of an uninterrupted run; the other trainers write nothing, and the store stays sound.
INTERRUPTS=${INTERRUPTS:-6}
S=$WORK/interrupt.sqlite
P=$CORPORA/poetry.txt
rand_upto() { echo $(( (RANDOM * 32768 + RANDOM) % $1 )); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# The tensors of a model's checkpoint LABEL, hashed.
tensors_hash() {
  sqlite3 "$S" "SELECT t.name, k.seq, hex(k.data) FROM tensors t JOIN checkpoints c ON c.id = t.checkpoint_id
    JOIN models m ON m.id = t.model_id JOIN tensor_chunks k ON k.tensor_id = t.id
    WHERE m.name = '$1' AND c.label = '$2' ORDER BY t.name, k.seq" | sha256sum | cut -c1-16
}
SLOWEST_STOP=0
# interrupt_at MS SIGNAL CMD...: runs CMD, sends SIGNAL after MS ms (if it still runs); sets RC,
# ERR (its stderr), SENT (1 when the signal reached it) and STOP_MS (signal to exit).
interrupt_at() {
  local ms=$1 sig=$2 pid t; shift 2
  "$@" >"$WORK/int.out" 2>"$WORK/int.err" &
  pid=$!
  sleep_ms "$ms"
  t=$(now_ms)
  if kill -"$sig" $pid 2>/dev/null; then SENT=1; else SENT=0; fi
  wait $pid; RC=$?
  STOP_MS=$(( $(now_ms) - t ))
  ERR=$(cat "$WORK/int.err")
  [ $SENT -eq 1 ] && [ $STOP_MS -gt $SLOWEST_STOP ] && SLOWEST_STOP=$STOP_MS
}
# stopped_well LABEL STATUS KEPT: the run exited STATUS within a second with one line naming KEPT.
stopped_well() {
  check "$1: exit $2 (got $RC)" test "$RC" -eq "$2"
  check "$1: stopped within a second (${STOP_MS} ms)" test "$STOP_MS" -le 1000
  check "$1: one line naming what was kept: $(printf '%q' "$ERR" | head -c 200)" \
    bash -c '[ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] && grep -q "interrupted (SIG[A-Z]*): .*$2" <<<"$1"' _ "$ERR" "$3"
  check "$1: integrity_check" integrity "$S"
}

# MARK: char-RNN: interrupted and resumed until done, against an uninterrupted run
NET=(--hidden 96 --layers 2 --seq-length 25 --batch-size 10 --eval-every 40 --dropout 0.2 --ema 0.99 --threads 1
     --max-steps 1000 --rng-seed 9)
t0=$(now_ms)
"$BIN/charnn" train "$P" --name straight "${NET[@]}" --store "$S" >/dev/null || fail "uninterrupted charnn run failed"
run_ms=$(( $(now_ms) - t0 ))
next=("$BIN/charnn" train "$P" --name cut "${NET[@]}" --store "$S")
interrupts=0; finished=0
for k in $(seq 1 $((INTERRUPTS * 3))); do
  # Past the start (the handler is installed after the options are read), before the end.
  interrupt_at $((150 + $(rand_upto $((run_ms / INTERRUPTS + 1))))) INT "${next[@]}"
  if [ $SENT -eq 0 ] || [ $RC -eq 0 ]; then finished=1; break; fi
  interrupts=$((interrupts + 1))
  stopped_well "charnn interrupt $k" 130 "model 'cut' is kept at step\|the store is unchanged"
  line=$(grep -o 'continue with: .*\|to start again: .*' <<<"$ERR" | sed 's/^[a-z ]*: //')
  [ -n "$line" ] || { fail "charnn interrupt $k: no command to go on with"; break; }
  eval "next=($line)"
  [ $interrupts -ge "$INTERRUPTS" ] && break
done
if [ $finished -eq 0 ]; then
  check "charnn: the printed command finishes the run" logged "${next[@]}"
fi
check "charnn: $interrupts interrupts, resumed: latest weights, moments and state equal the uninterrupted run's" \
  test "$(tensors_hash cut latest)" = "$(tensors_hash straight latest)"
check "charnn: the weight average equals the uninterrupted run's" \
  test "$(tensors_hash cut averaged)" = "$(tensors_hash straight averaged)"
check "charnn: the step and losses equal the uninterrupted run's" test \
  "$(sqlite3 "$S" "SELECT c.step, c.train_loss, c.val_loss FROM checkpoints c JOIN models m ON m.id = c.model_id WHERE m.name = 'cut' AND c.label = 'latest'")" = \
  "$(sqlite3 "$S" "SELECT c.step, c.train_loss, c.val_loss FROM checkpoints c JOIN models m ON m.id = c.model_id WHERE m.name = 'straight' AND c.label = 'latest'")"

# The issue's case: a first run of a new model, stopped after its start; resumed by the line.
interrupt_at 1500 INT "$BIN/charnn" train "$P" --time-limit 60s --threads 1 --name k1 --store "$S"
stopped_well "charnn train k1, Ctrl-C at 1.5 s" 130 "model 'k1' is kept at step"
check "charnn train k1: the resume line names --time-limit and the store" \
  grep -q "continue with: .*charnn train --resume k1 --store $S --time-limit [0-9]*s$" <<<"$ERR"
check "charnn train k1: --resume finds the model" logged "$BIN/charnn" train --resume k1 --max-steps 1 --store "$S"

# A second Ctrl-C ends the run at once (within the step), the store stays sound.
"$BIN/charnn" train "$P" --name twice --hidden 512 --layers 2 --threads 1 --store "$S" >/dev/null 2>&1 &
pid=$!; sleep 1.5; kill -INT $pid; kill -INT $pid; wait $pid; rc=$?
check "charnn: a second Ctrl-C exits 130 at once (got $rc)" test $rc -eq 130
check "charnn: a second Ctrl-C leaves the store sound" integrity "$S"
check "charnn: ... and every model readable" logged "$BIN/charnn" models --store "$S"

# MARK: the others: nothing written, the store as it was
BIG=$WORK/biblia2.txt; cat "$CORPORA/biblia-rv1909.txt" "$CORPORA/biblia-rv1909.txt" > "$BIG"
before=$(dump "$S")
interrupt_at 1200 TERM "$BIN/w2v" train "$BIG" --name w --dim 100 --epochs 20 --store "$S"
stopped_well "w2v train, SIGTERM" 143 "nothing was written"
check "w2v train, SIGTERM: the store is unchanged" test "$(dump "$S")" = "$before"
check "w2v train, SIGTERM: the line gives the command to start again" grep -q "to start again: .*w2v train" <<<"$ERR"
interrupt_at 1000 INT "$BIN/w2v" docs train "$BIG" --name d --dim 100 --epochs 20 --store "$S"
stopped_well "w2v docs train, Ctrl-C" 130 "nothing was written"
interrupt_at 300 INT "$BIN/markov" train "$BIG" --name m --order 8 --store "$S"
stopped_well "markov train, Ctrl-C" 130 "nothing was written"
check "w2v, docs, markov interrupted: the store is unchanged" test "$(dump "$S")" = "$before"

# An import of 120,000 vectors and an index build, each stopped in the middle.
python3 - "$WORK/big.vec" <<'EOF'
import random, sys
random.seed(3)
with open(sys.argv[1], "w") as f:
    f.write("120000 100\n")
    for i in range(120000):
        f.write("w%d %s\n" % (i, " ".join("%.4f" % random.uniform(-1, 1) for _ in range(100))))
EOF
t0=$(now_ms); "$BIN/w2v" import "$WORK/big.vec" --name v --no-index --store "$S" >/dev/null || fail "w2v import failed"
import_ms=$(( $(now_ms) - t0 ))
before=$(dump "$S")
interrupt_at $((import_ms / 2)) INT "$BIN/w2v" import "$WORK/big.vec" --name v2 --store "$S"
stopped_well "w2v import, Ctrl-C at $((import_ms / 2)) ms of $import_ms" 130 "nothing was written"
interrupt_at 400 INT "$BIN/w2v" index v --store "$S"
stopped_well "w2v index, Ctrl-C" 130 "nothing was written"
check "w2v import and index interrupted: the store is unchanged" test "$(dump "$S")" = "$before"
note "char-RNN: $interrupts interrupts then resumed to the uninterrupted bits; slowest stop ${SLOWEST_STOP} ms"
