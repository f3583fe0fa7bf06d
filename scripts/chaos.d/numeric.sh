# Numerical faults: a learning rate that diverges stops training with a clear message, writes
# nothing of the diverged run and keeps the last good checkpoint; NaN never reaches the store.
S=$WORK/numeric.sqlite
R=$CORPORA/refranes.txt
NET=(--hidden 64 --layers 1 --seq-length 20 --batch-size 10 --eval-every 5)
"$BIN/markov" train "$R" --name m --order 2 --store "$S" >/dev/null   # so the store exists before the dumps
expect_error "charnn train --lr 100 (diverges at once)" "no checkpoint had been saved" "$S" \
  "$BIN/charnn" train "$R" --name c --lr 100 "${NET[@]}" --max-steps 50 --store "$S"
"$BIN/charnn" train "$R" --name c "${NET[@]}" --max-steps 10 --store "$S" >/dev/null
expect_error "charnn train --resume --lr 100 (diverges after a checkpoint)" "last good checkpoint (step 10) is kept" "$S" \
  "$BIN/charnn" train --resume c --lr 100 --max-steps 50 --store "$S"
check "the kept checkpoint samples" "$BIN/charnn" sample --model c --length 40 --store "$S" >/dev/null
out=$("$BIN/charnn" train --resume c --max-steps 15 --store "$S" 2>&1)
check "training resumes from the kept checkpoint" grep -q "^trained c: step 15 " <<<"$out"
expect_error "charnn train --optimizer adam --lr 1e6 --grad-clip 0" "try a lower --lr" "$S" \
  "$BIN/charnn" train "$R" --name a --optimizer adam --lr 1e6 --grad-clip 0 "${NET[@]}" --max-steps 50 --store "$S"
for alpha in 1e30 1e6; do
  expect_error "w2v train --alpha $alpha (diverges)" "diverged" "$S" "$BIN/w2v" train "$R" --name w --alpha "$alpha" --epochs 1 --store "$S"
done
"$BIN/w2v" train "$R" --name w --epochs 1 --store "$S" >/dev/null   # word vectors live in vocab rows
# Every stored float is finite: the store refuses NaN/Inf on write (unit-tested in VersoStoreTests),
# and nothing above wrote any: read every float32 in the store back (tensors and word vectors)
# and test its exponent bits.
read -r floats nonfinite < <(sqlite3 "$S" "SELECT hex(c.data) FROM tensor_chunks c JOIN tensors t ON t.id = c.tensor_id WHERE t.dtype = 'float32' UNION ALL SELECT hex(vector) FROM vocab WHERE vector IS NOT NULL" |
  perl -ne 'chomp; for (unpack("V*", pack("H*", $_))) { $n++; $bad++ if ($_ & 0x7F800000) == 0x7F800000 } END { print $n + 0, " ", $bad + 0, "\n" }')
check "every stored float is finite ($floats read, $nonfinite not)" test "$floats" -gt 0 -a "$nonfinite" -eq 0
