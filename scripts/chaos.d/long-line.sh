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
check "the long-line models answer" "$BIN/w2v" nearest que --model line --store "$S" >/dev/null
note "200 MB single line: w2v train peak RSS $w2v_mb MB, markov train $mb MB"
