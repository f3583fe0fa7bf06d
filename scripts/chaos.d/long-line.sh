# A 200 MB file that is one single line (text8-style): read in pieces cut at spaces, so
# word2vec and Markov training work in bounded memory instead of holding the line at once.
LINE=$WORK/one-line.txt
tr '\n' ' ' < "$CORPORA/refranes.txt" > "$WORK/line-part.txt"
: > "$LINE"
while [ "$(stat -c %s "$LINE")" -lt 200000000 ]; do cat "$WORK/line-part.txt" "$WORK/line-part.txt" "$WORK/line-part.txt" "$WORK/line-part.txt" >> "$LINE"; done
check "the long-line file is one line of 200 MB" test "$(wc -l < "$LINE")" -eq 0
S=$WORK/long-line.sqlite
mb=$(peak_rss_mb "$BIN/w2v" train "$LINE" --name line --dim 16 --epochs 1 --store "$S"); rc=$?
check "w2v train on a 200 MB line succeeds" test $rc -eq 0
check "w2v train on a 200 MB line: peak RSS $mb MB < 1000 MB" test "$mb" -lt 1000
w2v_mb=$mb
mb=$(peak_rss_mb "$BIN/markov" train "$LINE" --name line-m --order 2 --store "$S"); rc=$?
check "markov train on a 200 MB line succeeds" test $rc -eq 0
check "markov train on a 200 MB line: peak RSS $mb MB < 2000 MB" test "$mb" -lt 2000
check "the long-line models answer" logged "$BIN/w2v" nearest que --model line --store "$S" >/dev/null
# Disk pressure: the token file w2v writes beside the corpus's pass has no room. That used to be an
# unchecked write and a SIGBUS when the short file was read through its mapping; now it is one line.
if tiny=$(small_disk tmp 1M); then
  TMPDIR=$tiny expect_error "w2v train with a full temporary folder" "no space left on device" "$S" \
    "$BIN/w2v" train "$CORPORA/biblia-rv1909.txt" --name full-tmp --dim 8 --epochs 1 --store "$S"
else
  note "mounting a tmpfs is not allowed here: the full temporary folder check is skipped"
fi
note "200 MB single line: w2v train peak RSS $w2v_mb MB, markov train $mb MB"
