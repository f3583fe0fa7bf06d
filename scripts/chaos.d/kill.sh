# Kill -9 during training: after every kill the store passes PRAGMA integrity_check, lists, and
# holds either the model as of its last commit or nothing; char-RNN training resumes from its
# last checkpoint. Half the kills are random moments, half are triggered by the store's WAL being
# written (a checkpoint or model write under way).
KILLS=${KILLS:-20}
S=$WORK/kill.sqlite
rand_upto() { echo $(( (RANDOM * 32768 + RANDOM) % $1 )); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
wal_mtime() { stat -c %y "$S-wal" 2>/dev/null || echo none; }
listed() { "$BIN/$1" models --json --store "$S" | grep -q "\"name\" : \"$2\""; }
latest_step() { sqlite3 "$S" "SELECT c.step FROM checkpoints c JOIN models m ON m.id = c.model_id WHERE m.name = '$1' AND c.label = 'latest'" 2>/dev/null; }
KILLED_IN_WRITE=0; KILLS_DONE=""

# Runs "$@" in the background and SIGKILLs it: after a random delay below $1 ms when $2 is
# "random", else as soon as the WAL is written after that delay. A run that finished first is
# started again with half the delay (three tries). Sets $KILL_HOW.
run_and_kill() {
  local limit=$1 how=$2 try pid before; shift 2
  for try in 1 2 3; do
    "$@" >/dev/null 2>&1 &
    pid=$!
    sleep_ms "$(rand_upto "$limit")"
    if [ "$how" = wal ]; then
      before=$(wal_mtime)
      while kill -0 $pid 2>/dev/null && [ "$(wal_mtime)" = "$before" ]; do :; done
    fi
    if kill -9 $pid 2>/dev/null; then KILL_HOW=$how; else KILL_HOW=finished; fi
    wait $pid 2>/dev/null
    [ "$KILL_HOW" != finished ] && break
    limit=$((limit / 2 + 1))
  done
  [ "$KILL_HOW" = wal ] && KILLED_IN_WRITE=$((KILLED_IN_WRITE + 1))
  KILLS_DONE="$KILLS_DONE $KILL_HOW"
}

# MARK: char-RNN: kill, check, resume
P=$CORPORA/poetry.txt
NET=(--hidden 384 --layers 1 --seq-length 20 --batch-size 8 --eval-every 2 --val-frac 0.01 --threads 1 --max-steps 100000)
n_char=$((KILLS * 2 / 5)); resumed=0
# A first run killed at once leaves no model; then one short complete run, which the kills resume.
run_and_kill 300 random "$BIN/charnn" train "$P" --name fresh "${NET[@]}" --store "$S"
check "charnn first run killed ($KILL_HOW): no model, or a complete one" \
  bash -c "! $BIN/charnn models --json --store $S | grep -q '\"fresh\"' || $BIN/charnn sample --model fresh --length 20 --store $S >/dev/null"
"$BIN/charnn" train "$P" --name c "${NET[@]}" --max-steps 2 --store "$S" >/dev/null
for k in $(seq 1 $n_char); do
  seen=$(latest_step c); seen=${seen:-0}
  how=$([ $((k % 2)) -eq 0 ] && echo wal || echo random)
  if listed charnn c; then run_and_kill 3000 $how "$BIN/charnn" train --resume c --max-steps 100000 --store "$S"
  else run_and_kill 3000 $how "$BIN/charnn" train "$P" --name c "${NET[@]}" --store "$S"; fi
  check "charnn kill $k ($KILL_HOW): integrity_check" integrity "$S"
  check "charnn kill $k: models lists" "$BIN/charnn" models --store "$S" >/dev/null
  if listed charnn c; then
    step=$(latest_step c)
    check "charnn kill $k: no committed checkpoint lost ($seen -> $step)" test "$step" -ge "$seen"
    check "charnn kill $k: sample reads a complete model" "$BIN/charnn" sample --model c --length 30 --store "$S" >/dev/null
    out=$("$BIN/charnn" train --resume c --max-steps $((step + 2)) --store "$S" 2>&1)
    check "charnn kill $k: --resume continues from step $step" grep -q "^trained c: step $((step + 2)) " <<<"$out"
    resumed=$((resumed + 1))
  else
    check "charnn kill $k: a model with no checkpoint is invisible to sample" \
      expect_error "sample" "no char-RNN model named 'c'" "$S" "$BIN/charnn" sample --model c --store "$S"
  fi
done
note "char-RNN: $n_char kills, $resumed resumed (checkpoint every 2 steps, so at most 2 steps of work lost)"

# MARK: word2vec and Markov: a model killed mid-training is absent or complete
# Each run replaces the model of the previous one (--force): the old one must survive a kill.
BIG=$WORK/biblia2.txt; cat "$CORPORA/biblia-rv1909.txt" "$CORPORA/biblia-rv1909.txt" > "$BIG"
full_run() { local t0=$SECONDS; "$@" >/dev/null 2>&1 || fail "uninterrupted run failed: $*"; echo $(( (SECONDS - t0 + 1) * 1000 )); }
w2v_cmd=("$BIN/w2v" train "$CORPORA/biblia-rv1909.txt" --name w --dim 50 --epochs 2 --force --store "$S")
mk_cmd=("$BIN/markov" train "$BIG" --name m --order 7 --force --store "$S")
w2v_ms=$(full_run "${w2v_cmd[@]}"); mk_ms=$(full_run "${mk_cmd[@]}")
w2v_words=$("$BIN/w2v" nearest dios -n 1 --model w --json --store "$S" >/dev/null && sqlite3 "$S" "SELECT COUNT(*) FROM vocab v JOIN models m ON m.id = v.model_id WHERE m.name = 'w'")
n_other=$(( (KILLS - n_char) / 2 ))
for k in $(seq 1 $n_other); do
  how=$([ $((k % 2)) -eq 0 ] && echo wal || echo random)
  run_and_kill "$w2v_ms" $how "${w2v_cmd[@]}"
  check "w2v kill $k ($KILL_HOW): integrity_check" integrity "$S"
  check "w2v kill $k: model still listed" listed w2v w
  check "w2v kill $k: nearest answers" "$BIN/w2v" nearest dios --model w --store "$S" >/dev/null
  check "w2v kill $k: vocabulary complete" test "$(sqlite3 "$S" "SELECT COUNT(*) FROM vocab v JOIN models m ON m.id = v.model_id WHERE m.name = 'w'")" = "$w2v_words"
  how=$([ $((k % 2)) -eq 1 ] && echo wal || echo random)
  run_and_kill "$mk_ms" $how "${mk_cmd[@]}"
  check "markov kill $k ($KILL_HOW): integrity_check" integrity "$S"
  check "markov kill $k: model still listed" listed markov m
  check "markov kill $k: samples" "$BIN/markov" sample --model m --length 50 --store "$S" >/dev/null
done
# A first training killed as it writes leaves nothing behind, or (killed just after its commit) all of it.
run_and_kill 200 wal "$BIN/w2v" train "$CORPORA/biblia-rv1909.txt" --name w2 --dim 50 --epochs 1 --store "$S"
check "w2v first run killed ($KILL_HOW): absent or complete" \
  bash -c "! $BIN/w2v models --json --store $S | grep -q '\"w2\"' || $BIN/w2v nearest dios --model w2 --store $S >/dev/null"
note "word2vec and Markov: $((2 * n_other + 1)) kills (uninterrupted runs ${w2v_ms} ms and ${mk_ms} ms)"
note "$KILLED_IN_WRITE kills landed while the WAL was being written; by trigger:$(grep -o -e random -e wal -e finished <<<"$KILLS_DONE" | sort | uniq -c | awk '{ printf " %s %s", $1, $2 }')"
check "kill: at least $KILLS processes killed" test "$(grep -o -e random -e wal <<<"$KILLS_DONE" | wc -l)" -ge "$KILLS"

# An index build killed at any moment leaves the model queryable: the old index or none, never half.
"$BIN/w2v" index w --lists 64 --store "$S" >/dev/null 2>&1 || fail "w2v index on the Bible model failed"
index_ms=$(full_run "$BIN/w2v" index w --lists 64 --store "$S")
for k in 1 2 3 4; do
  how=$([ $((k % 2)) -eq 0 ] && echo wal || echo random)
  run_and_kill "$index_ms" $how "$BIN/w2v" index w --lists $((32 * k)) --store "$S"
  check "w2v index kill $k ($KILL_HOW): integrity_check" integrity "$S"
  check "w2v index kill $k: nearest answers without a warning" \
    bash -c "$BIN/w2v nearest dios --model w --store $S 2>&1 >/dev/null | (! grep -q warning)"
  check "w2v index kill $k: the index is whole (one row per list)" test \
    "$(sqlite3 "$S" "SELECT i.lists = (SELECT COUNT(*) FROM vector_lists l WHERE l.model_id = i.model_id) FROM vector_indexes i JOIN models m ON m.id = i.model_id WHERE m.name = 'w'")" = 1
done
note "w2v index: 4 kills during builds (uninterrupted build ${index_ms} ms)"

# A large import (its rows written once, under a rollback journal instead of the WAL) killed at any
# moment, replacing an imported model: the next opener plays the hot journal back, so the store holds
# the old model or the new one, whole, and the next writer has it back in WAL mode.
BIGVEC=$WORK/big.bin
python3 - "$BIGVEC" <<'PY'
import array, random, sys
rows, dim = 30000, 300  # 36 MB of rows, above the store's write-once size (32 MB)
random.seed(5)
base = array.array("f", [random.uniform(-1, 1) for _ in range(64 * dim)])
with open(sys.argv[1], "wb") as f:
    f.write(b"%d %d\n" % (rows, dim))
    for i in range(rows):
        f.write(b"v%d " % i + base[(i % 64) * dim:(i % 64 + 1) * dim].tobytes() + b"\n")
PY
import_ms=$(full_run "$BIN/w2v" import "$BIGVEC" --name big --no-index --force --store "$S")
big_rows() { sqlite3 "$S" "SELECT COUNT(*) FROM vocab v JOIN models m ON m.id = v.model_id WHERE m.name = 'big'"; }
hot=0
for k in 1 2 3 4 5 6; do
  how=$([ $((k % 2)) -eq 0 ] && echo wal || echo random)
  run_and_kill "$import_ms" $how "$BIN/w2v" import "$BIGVEC" --name big --no-index --force --store "$S"
  [ -s "$S-journal" ] && hot=$((hot + 1))  # killed mid-transaction: the journal is still there
  # A query first: it meets the hot journal (a read-only connection alone could not play it back).
  check "w2v import kill $k ($KILL_HOW): nearest answers" "$BIN/w2v" nearest v7 --model big --store "$S" >/dev/null
  check "w2v import kill $k: integrity_check" integrity "$S"
  check "w2v import kill $k: the imported model is whole" test "$(big_rows)" = 30000
  check "w2v import kill $k: the Bible model answers" "$BIN/w2v" nearest dios --model w --store "$S" >/dev/null
done
"$BIN/w2v" import "$BIGVEC" --name big --no-index --force --store "$S" >/dev/null 2>&1 ||
  fail "w2v import after the kills failed"
check "w2v import: the store is back in WAL mode" \
  test "$(sqlite3 "$S" 'PRAGMA journal_mode')" = wal
note "w2v import: 6 kills during large imports, $hot of them leaving a hot journal" \
  "(uninterrupted import ${import_ms} ms)"

# A --force retrain killed before its first checkpoint keeps the model it was to replace.
old_step=$(latest_step c)
run_and_kill 400 random "$BIN/charnn" train "$P" --name c --force "${NET[@]}" --store "$S"
check "charnn --force killed ($KILL_HOW): integrity_check" integrity "$S"
check "charnn --force killed: a complete model c is listed" listed charnn c
check "charnn --force killed: sample reads it" "$BIN/charnn" sample --model c --length 30 --store "$S" >/dev/null
note "charnn --force killed early: model c at step $(latest_step c) (was $old_step)"
