# Fuzzing: the libFuzzer targets over the text layer, its fast paths against ICU alone, the vector importers
# (word2vec and GloVe text, fastText .bin), the index loader and the safetensors reader, FUZZ_SECONDS each
# (default 60), under AddressSanitizer and LeakSanitizer. Longer runs by hand: scripts/fuzz all 3600 --keep.
for target in text tokens vectors fasttext index safetensors; do
  if out=$(scripts/fuzz "$target" "${FUZZ_SECONDS:-60}" 2>&1); then ok; note "$(tail -1 <<<"$out")"
  else fail "fuzz $target: $(tail -3 <<<"$out")"; fi
done
