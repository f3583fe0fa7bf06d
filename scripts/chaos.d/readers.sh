# Readers during training: while char-RNN and word2vec training write checkpoints and models to a
# store, a loop of queries on the same store never fails ("database is locked" or otherwise) and
# always sees complete models.
S=$WORK/readers.sqlite
"$BIN/charnn" train "$CORPORA/refranes.txt" --name c --hidden 64 --layers 1 --max-steps 4 --eval-every 2 --store "$S" >/dev/null
"$BIN/w2v" train "$CORPORA/refranes.txt" --name w --dim 32 --epochs 1 --store "$S" >/dev/null
"$BIN/charnn" train --resume c --max-steps 400 --eval-every 2 --store "$S" >"$WORK/charnn.out" 2>&1 &
trainer1=$!
( for i in 1 2 3; do "$BIN/w2v" train "$CORPORA/biblia-rv1909.txt" --name w --dim 32 --epochs 1 --force --store "$S" || exit 1; done ) \
  >"$WORK/w2v.out" 2>&1 &
trainer2=$!
queries=0; query_failures=0
while kill -0 $trainer1 2>/dev/null || kill -0 $trainer2 2>/dev/null; do
  for q in "charnn sample --model c --length 40" "w2v nearest que --model w -n 5 --json" "charnn models --json" \
           "w2v models" "markov models" "charnn eval $CORPORA/refranes.txt --model c"; do
    read -ra argv <<<"$q"
    if ! out=$("$BIN/${argv[0]}" "${argv[@]:1}" --store "$S" 2>&1); then
      query_failures=$((query_failures + 1)); fail "query during training failed: $q: $(head -c 200 <<<"$out")"
    elif [[ $q == w2v\ nearest* ]] && [ "$(grep -c '"score"' <<<"$out")" -ne 5 ] && ! grep -q "not in the vocabulary" <<<"$out"; then
      query_failures=$((query_failures + 1)); fail "nearest saw an incomplete model: $(head -c 200 <<<"$out")"
    else ok; fi
    queries=$((queries + 1))
  done
done
wait $trainer1; check "charnn training beside the readers finished" test $? -eq 0
wait $trainer2; check "w2v training beside the readers finished" test $? -eq 0
check "no query said 'database is locked'" bash -c "! grep -qi locked $WORK/*.out"
note "$queries queries during training, $query_failures failed"
