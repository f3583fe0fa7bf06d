# Bad input: every command that reads a file or a model, given each kind of wrong input, must
# exit non-zero with one "Error:" line naming the problem and leave the store unchanged.
S=$WORK/bad.sqlite
R=$CORPORA/refranes.txt
"$BIN/charnn" train "$R" --name c --max-steps 3 --hidden 8 --layers 1 --seq-length 10 --batch-size 4 --store "$S" >/dev/null
"$BIN/w2v" train "$R" --name w --epochs 1 --dim 16 --store "$S" >/dev/null
"$BIN/markov" train "$R" --name m --order 3 --store "$S" >/dev/null
"$BIN/markov" train "$R" --name mw --unit word --store "$S" >/dev/null
"$BIN/w2v" docs train "$R" --name dd --unit line --min-count 1 --epochs 1 --dim 16 --store "$S" >/dev/null

# MARK: Bad files
B=$WORK/files; mkdir -p "$B/dir"
: > "$B/empty.txt"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10' > "$B/image.png"
cp /bin/ls "$B/ls"
printf 'hola mundo\nla mar est\xe1 serena\n' > "$B/latin1.txt"
head -c 2000 "$R" > "$B/short.txt"
declare -A expect=([missing]="no such file" [dir]="has no .txt files" [empty]="$B/empty.txt" [png]="$B/image.png"
                   [ls]="$B/ls" [latin1]="byte offset 21")
declare -A path=([missing]="$B/nope.txt" [dir]="$B/dir" [empty]="$B/empty.txt" [png]="$B/image.png"
                 [ls]="$B/ls" [latin1]="$B/latin1.txt")
file_commands=("charnn train @" "charnn eval @ --model c" "charnn compare @" "charnn sample --model c --preseed-file @"
               "w2v train @" "w2v eval @ --model w" "w2v eval-similarity @ --model w" "w2v import @ --name imp" "w2v tokens @"
               "markov train @" "markov eval @ --model m" "w2v docs train @ --name d2" "w2v docs similar dd --file @"
               "w2v docs infer dd --file @" "charnn import @ --name imp")
for cmd in "${file_commands[@]}"; do
  for kind in missing dir empty png ls latin1; do
    pattern=${expect[$kind]}
    # Files that are not text at all: the binary check names them (NUL byte), the importer its header.
    # A folder is a corpus of its .txt files (here none); the importer reads one vector file.
    case "$kind:$cmd" in dir:w2v\ import*|dir:charnn\ import*) pattern="is a directory";;
                         *:w2v\ import*|*:charnn\ import*) [ "$kind" = missing ] || pattern=${path[$kind]};;
                         png:*|ls:*) pattern="binary";; esac
    # An empty preseed is no preseed, and `tokens` of an empty file is empty (a filter, like cat).
    case "$kind:$cmd" in "empty:charnn sample"*|"empty:w2v tokens"*) continue;; esac
    read -ra argv <<<"${cmd//@/${path[$kind]}}"
    [[ $cmd != *tokens* ]] && argv+=(--store "$S")
    expect_error "$cmd ($kind)" "$pattern" "$S" "$BIN/${argv[0]}" "${argv[@]:1}"
  done
done
# --lenient: a bad file among good ones is skipped whole, named on stderr and recorded as skipped
# with its SHA-256; bad files only leave nothing to train on, which is one error line.
small=(--max-steps 2 --hidden 8 --layers 1 --seq-length 8 --batch-size 2)
for cmd in "charnn train" "w2v train" "markov train"; do
  read -ra argv <<<"$cmd"
  extra=(); [ "$cmd" = "charnn train" ] && extra=("${small[@]}")
  name=lenient-${argv[0]}
  if logged "$BIN/${argv[0]}" train "$R" "$B/latin1.txt" "$B/ls" --lenient --name "$name" "${extra[@]}" --store "$S" >/dev/null \
     && grep -q "skipped $B/latin1.txt is not valid UTF-8: bad byte at byte offset 21" "$LAST_STDERR" \
     && grep -q "skipped $B/ls looks binary" "$LAST_STDERR" \
     && "$BIN/${argv[0]}" models corpus "$name" --json --store "$S" | grep -q '"skipped" : "'"$B"'/ls looks binary'; then
    ok
  else
    fail "$cmd --lenient with two bad files among three"
  fi
  # The skipped file's line, then the one error line; the store unchanged.
  before=$(dump "$S")
  if err=$("$BIN/${argv[0]}" train "$B/latin1.txt" --lenient --name "$name-none" "${extra[@]}" --store "$S" 2>&1 >/dev/null)
  then fail "$cmd --lenient (every file bad): exit 0"
  elif [[ "$(tail -1 <<<"$err")" != "Error: $B/latin1.txt: lenient reading skipped every file"* ]] || [ "$(wc -l <<<"$err")" -ne 2 ]
  then fail "$cmd --lenient (every file bad): $(printf '%q' "$err")"
  else check "$cmd --lenient (every file bad): store unchanged" [ "$(dump "$S")" = "$before" ]; fi
done
expect_error "charnn train (shorter than one sequence)" "shorter than one batch" "$S" "$BIN/charnn" train "$B/short.txt" --store "$S"
# safetensors import: a file that is not a model, a name taken, an export that cannot be written.
"$BIN/charnn" export c "$WORK/c.safetensors" --store "$S" >/dev/null
head -c 100 "$WORK/c.safetensors" > "$B/cut.safetensors"
expect_error "charnn import (cut short)" "runs past the end" "$S" "$BIN/charnn" import "$B/cut.safetensors" --name x --store "$S"
expect_error "charnn import (name taken)" "already exists" "$S" "$BIN/charnn" import "$WORK/c.safetensors" --name c --store "$S"
expect_error "charnn import (name of a word2vec model)" "is a word2vec" "$S" \
  "$BIN/charnn" import "$WORK/c.safetensors" --name w --force --store "$S"
expect_error "charnn mix (order out of range)" "Markov order 99" "$S" "$BIN/charnn" mix c --order 99 --store "$S"
expect_error "charnn mix (a word chain)" "is a word model" "$S" "$BIN/charnn" mix c --markov mw --store "$S"
expect_error "charnn sample (temperature out of range)" "temperature 11.0 is not between 0 and 10" "$S" \
  "$BIN/charnn" sample --model c --temp 11 --store "$S"
check "charnn export creates missing folders" logged "$BIN/charnn" export c "$B/nope/deeper/c.safetensors" --store "$S"
expect_error "charnn export (a file in the way)" "cannot write" "$S" "$BIN/charnn" export c "$B/empty.txt/c.safetensors" --store "$S"

# MARK: Unknown models and models of the wrong kind
model_commands=("charnn sample --model @" "charnn eval $R --model @" "charnn report @ --out $WORK/r.html"
                "charnn train --resume @" "w2v nearest rey --model @" "w2v analogy rey hombre mujer --model @"
                "w2v similarity rey reina --model @" "w2v doesnt-match rey reina pan --model @" "w2v export $WORK/v.txt --model @"
                "w2v report @ --out $WORK/r.html" "markov sample --model @" "markov eval $R --model @"
                "charnn export @ $WORK/x.safetensors" "charnn mix @ --name mx")
for cmd in "${model_commands[@]}"; do
  read -ra argv <<<"${cmd//@/nope}"
  expect_error "$cmd (unknown model)" "'nope'" "$S" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$S"
  case $cmd in charnn*) other=w;; *) other=c;; esac
  read -ra argv <<<"${cmd//@/$other}"
  expect_error "$cmd (model of another kind)" "is a" "$S" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$S"
done
for tool in charnn w2v markov; do
  expect_error "$tool models rm (unknown)" "'nope'" "$S" "$BIN/$tool" models rm nope --store "$S"
done

# MARK: Bad stores
echo "just some text" > "$B/text.sqlite"
cp "$S" "$B/newer.sqlite"; sqlite3 "$B/newer.sqlite" "PRAGMA user_version = 99"
for cmd in "charnn models" "w2v nearest rey" "markov train $R --name x" "charnn sample"; do
  read -ra argv <<<"$cmd"
  expect_error "$cmd (not SQLite)" "not an SQLite database" "$B/text.sqlite" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$B/text.sqlite"
  expect_error "$cmd (newer schema)" "newer Verso" "$B/newer.sqlite" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$B/newer.sqlite"
  expect_error "$cmd (store is a folder)" "is a directory" "$S" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$B/dir"
done

# A store in a folder nobody may write: queries work (read-only), writes fail before any work.
if ro=$(small_disk ro 16m); then
  cp "$S" "$ro/s.sqlite"; mount -o remount,ro "$ro"
  check "read-only store: models lists" "$BIN/charnn" models --store "$ro/s.sqlite" >/dev/null
  check "read-only store: nearest answers" "$BIN/w2v" nearest rey --model w --store "$ro/s.sqlite" >/dev/null
  check "read-only store: sample answers" "$BIN/markov" sample --model m --length 20 --store "$ro/s.sqlite" >/dev/null
  for cmd in "charnn train $R --name x" "w2v train $R --name x" "markov train $R --name x" "w2v import $WORK/v.txt --name x" \
             "charnn models rm c" "charnn train --resume c --max-steps 5"; do
    read -ra argv <<<"$cmd"
    expect_error "$cmd (read-only store)" "read-only" "$ro/s.sqlite" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$ro/s.sqlite"
  done
  expect_error "charnn train (new store, read-only folder)" "its folder $ro is not writable" "$ro/new.sqlite" \
    "$BIN/charnn" train "$R" --name x --store "$ro/new.sqlite"
else
  note "read-only store: skipped (cannot mount a tmpfs here)"
fi

# A store on a full disk: no room to open it, or no room for the model being written.
if full=$(small_disk full 4m); then
  "$BIN/markov" train "$R" --name small --order 2 --store "$full/s.sqlite" >/dev/null
  dd if=/dev/zero of="$full/filler" bs=4k count=800 2>/dev/null   # leaves a few hundred KB
  for cmd in "w2v train $R --name big" "charnn train $R --name big --hidden 256 --max-steps 2 --eval-every 1" "markov train $R --name big --order 8"; do
    read -ra argv <<<"$cmd"
    expect_error "$cmd (disk fills while writing)" "disk is full" "$full/s.sqlite" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$full/s.sqlite"
    check "$cmd (disk full): integrity" integrity "$full/s.sqlite"
  done
  cat /dev/zero > "$full/filler2" 2>/dev/null
  rm -f "$full/s.sqlite-shm" "$full/s.sqlite-wal"
  expect_error "markov models (no room to open the store)" "disk is full" "$full/s.sqlite" "$BIN/markov" models --store "$full/s.sqlite"
  umount "$full"
else
  note "full disk: skipped (cannot mount a tmpfs here)"
fi

# MARK: Analogy files with malformed lines: reported by line number, the rest evaluated
printf ': capital\natenas grecia madrid españa\nonly three words\nrey reina hombre mujer\n\ntoo many words in this line\n' > "$B/analogies.txt"
out=$("$BIN/w2v" eval "$B/analogies.txt" --model w --json --store "$S" 2>"$WORK/err")
check "analogy file: malformed lines 3 and 6 named" grep -q "malformed lines 3, 6" "$WORK/err"
field() { sed -n "s/^  \"$1\" : \([0-9]*\).*/\1/p" <<<"$out"; }
check "analogy file: the rest evaluated" test "$(( $(field questions) + $(field skipped) ))" = 2

# MARK: Names across kinds: checked before any training, with or without --force
# (each command would otherwise train for a while first: the refusal must come at once).
for cmd in "w2v train $CORPORA/biblia-rv1909.txt --name c --force" "w2v train $R --name m" \
           "markov train $CORPORA/biblia-rv1909.txt --name w --force" "markov train $R --name c" \
           "charnn train $R --name w --force" "charnn train $R --name m" "w2v import $WORK/v.txt --name c --force"; do
  read -ra argv <<<"$cmd"
  start=$SECONDS
  expect_error "$cmd (name of another kind)" "is a" "$S" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$S"
  check "$cmd (name of another kind): refused within 2 s" test $((SECONDS - start)) -le 2
done
for cmd in "w2v train $R --name w" "markov train $R --name m" "charnn train $R --name c"; do
  read -ra argv <<<"$cmd"
  expect_error "$cmd (name taken, no --force)" "already exists" "$S" "$BIN/${argv[0]}" "${argv[@]:1}" --store "$S"
done

# MARK: Models too large for this machine: refused before any work, naming both sizes
expect_error "charnn train --hidden 200000" "this machine has" "$S" \
  "$BIN/charnn" train "$R" --name huge --hidden 200000 --store "$S"
expect_error "w2v train --dim 10000000" "this machine has" "$S" \
  "$BIN/w2v" train "$R" --name huge --dim 10000000 --store "$S"

# MARK: --auto sizes a new model to a time limit: without one, or beside what it chooses, one line
expect_error "charnn train --auto (no --time-limit)" "needs a --time-limit" "$S" \
  "$BIN/charnn" train "$R" --name a --auto --store "$S"
expect_error "charnn train --auto --hidden" "chooses --hidden" "$S" \
  "$BIN/charnn" train "$R" --name a --auto --time-limit 1m --hidden 64 --store "$S"
expect_error "charnn train --auto --resume" "new model" "$S" \
  "$BIN/charnn" train --resume c --auto --time-limit 1m --store "$S"

# MARK: Output files: missing folders are created; what cannot be written is one line naming it
out_dir=$WORK/out/new/folder
check "charnn report creates missing folders" logged "$BIN/charnn" report c --out "$out_dir/c.html" --store "$S"
check "w2v report creates missing folders" logged "$BIN/w2v" report w --out "$out_dir/w.html" --store "$S"
check "w2v export creates missing folders" logged "$BIN/w2v" export "$out_dir/w.txt" --model w --store "$S"
check "the three files are there" test -s "$out_dir/c.html" -a -s "$out_dir/w.html" -a -s "$out_dir/w.txt"
for target in "$R/inside.html:not a folder" "$B/dir:it is a folder" "/proc/verso.html:cannot"; do
  file=${target%%:*}; why=${target#*:}
  expect_error "charnn report --out $file" "$why" "$S" "$BIN/charnn" report c --out "$file" --store "$S"
  expect_error "w2v report --out $file" "$why" "$S" "$BIN/w2v" report w --out "$file" --store "$S"
  expect_error "w2v export $file" "$why" "$S" "$BIN/w2v" export "$file" --model w --store "$S"
done
if full=$(small_disk out-full 1m); then
  dd if=/dev/zero of="$full/filler" bs=4k count=250 2>/dev/null
  expect_error "w2v export to a full disk" "no space left" "$S" "$BIN/w2v" export "$full/v.txt" --model w --store "$S"
  check "w2v export to a full disk leaves no partial file" test ! -e "$full/v.txt"
  umount "$full"
fi

# MARK: A new store created by several processes at once: each waits for the other, none fails
C=$WORK/created-at-once.sqlite
pids=()
for i in 1 2 3 4; do
  "$BIN/markov" train "$R" --name "m$i" --order 2 --store "$C" >"$WORK/at-once.$i" 2>&1 &
  pids+=($!)
done
for i in 1 2 3 4; do
  wait "${pids[$((i - 1))]}"; rc=$?
  cp "$WORK/at-once.$i" "$LAST_STDERR"; echo "$rc" > "$LAST_STDERR.status"
  check "trainer $i of 4 started at once on a new store" test $rc -eq 0
done
check "the store created at once holds the 4 models" \
  test "$(sqlite3 "$C" 'SELECT COUNT(*) FROM models')" -eq 4

# MARK: Refusals a new user meets: each one line naming the problem (or the behaviour the README promises)
P=$CORPORA/poetry.txt
tiny=(--hidden 8 --layers 1 --seq-length 10 --batch-size 4)
expect_option_error "charnn train --max-steps 0" "--max-steps must be at least 1" "$S" \
  "$BIN/charnn" train "$R" --max-steps 0 --store "$S"
expect_option_error "w2v train --epochs 0" "--epochs" "$S" "$BIN/w2v" train "$R" --epochs 0 --store "$S"
# Negative numbers are values: the range is named, not "Missing value".
expect_error "charnn sample --temp -1" "temperature -1.0 is not between 0 and 10" "$S" \
  "$BIN/charnn" sample --model c --temp -1 --store "$S"
expect_error "charnn sample --length -5" "length -5 is negative" "$S" "$BIN/charnn" sample --model c --length -5 --store "$S"
expect_option_error "w2v train --window -1" "--window" "$S" "$BIN/w2v" train "$R" --window -1 --store "$S"
expect_option_error "w2v train --epochs -1" "--epochs" "$S" "$BIN/w2v" train "$R" --epochs -1 --store "$S"
expect_option_error "markov sample --length -3" "length" "$S" "$BIN/markov" sample --model m --length -3 --store "$S"
expect_option_error "w2v nearest -n -5" "-n must be positive" "$S" "$BIN/w2v" nearest rey -n -5 --model w --store "$S"
expect_option_error "charnn train --time-limit 0s" "--time-limit must be longer than 0s" "$S" \
  "$BIN/charnn" train "$R" --time-limit 0s --store "$S"
expect_option_error "charnn train --threads 0" "--threads must be at least 1" "$S" "$BIN/charnn" train "$R" --threads 0 --store "$S"
expect_option_error "w2v train --threads 0" "--threads must be at least 1" "$S" "$BIN/w2v" train "$R" --threads 0 --store "$S"
expect_error "charnn train --resume c --hidden 64" "--hidden cannot change" "$S" \
  "$BIN/charnn" train --resume c --hidden 64 --store "$S"
# A mistyped store on a query or a models command: said, and nothing created.
for cmd in "charnn models" "w2v models" "markov models" "charnn sample" "w2v nearest rey" "markov sample" \
           "charnn models rm c" "w2v index w"; do
  read -ra argv <<<"$cmd"
  expect_error "$cmd --store typo.sqlite" "no store at $WORK/typo.sqlite" "$S" \
    "$BIN/${argv[0]}" "${argv[@]:1}" --store "$WORK/typo.sqlite"
  check "$cmd --store typo.sqlite creates nothing" test ! -e "$WORK/typo.sqlite"
done
# One repeated character: nothing to learn, said as such.
head -c 5000 /dev/zero | tr '\0' a > "$B/aaaa.txt"
expect_error "charnn train (one repeated character)" "holds one distinct character ('a')" "$S" \
  "$BIN/charnn" train "$B/aaaa.txt" --store "$S"
expect_error "w2v train (one repeated word)" "holds 1 distinct word(s)" "$S" "$BIN/w2v" train "$B/aaaa.txt" --store "$S"
check "w2v train (one word): no advice to lower a --min-count of 1" \
  bash -c "! '$BIN/w2v' train '$B/aaaa.txt' --store '$S' 2>&1 | grep -q 'min-count'"
# Vector files: a field that is not a number, a byte-order mark, an absurd header.
printf '1 3\na 1 2 x\n' > "$B/field.vec"
printf '\xef\xbb\xbf1 3\nbom 1 2 3\n' > "$B/bom.vec"
printf '99999999999999999999 300\na 1 2 3\n' > "$B/huge.vec"
expect_error "w2v import (a field that is not a number)" "field 4 ('x') is not a number" "$S" \
  "$BIN/w2v" import "$B/field.vec" --name f --store "$S"
expect_error "w2v import (absurd header)" "asks for 99999999999999999999 words" "$S" \
  "$BIN/w2v" import "$B/huge.vec" --name f --store "$S"
check "w2v import reads a file with a UTF-8 byte-order mark" logged "$BIN/w2v" import "$B/bom.vec" --name bom --store "$S"
"$BIN/w2v" models rm bom --store "$S" >/dev/null
# Names: 1 to 128 characters, no control characters; tables escape what they print.
for bad in "" $'two\nlines' $'esc\e[31mred' "$(printf 'n%.0s' $(seq 129))"; do
  why="cannot be empty"; [[ "$bad" == *$'\n'* || "$bad" == *$'\e'* ]] && why="control character"
  [ ${#bad} -gt 128 ] && why="at most 128 characters"
  expect_error "markov train --name $(printf '%q' "$bad" | head -c 40)" "$why" "$S" \
    "$BIN/markov" train "$R" --name "$bad" --store "$S"
done
T=$WORK/names.sqlite
"$BIN/markov" train "$R" --name plain --order 2 --store "$T" >/dev/null
sqlite3 "$T" "UPDATE models SET name = 'a' || char(10) || 'b' || char(27) || '[31m' WHERE name = 'plain'"
check "markov models: a stored name with a newline and an escape is printed escaped" \
  bash -c "out=\$('$BIN/markov' models --store '$T'); [ \$(wc -l <<<\"\$out\") -eq 3 ] && ! grep -q \$'\\e' <<<\"\$out\""
# models rm gives the space back to the disk.
"$BIN/w2v" train "$P" --name big --dim 200 --min-count 1 --epochs 1 --store "$T" >/dev/null
on_disk() { echo $(( $(stat -c %s "$1") + $(stat -c %s "$1-wal" 2>/dev/null || echo 0) )); }
size_before=$(on_disk "$T"); "$BIN/w2v" models rm big --store "$T" >/dev/null; size_after=$(on_disk "$T")
check "w2v models rm gives the space back ($size_before -> $size_after bytes)" test $((size_after * 2)) -lt "$size_before"
check "verso store compact runs" logged "$BIN/verso" store compact --store "$T"
