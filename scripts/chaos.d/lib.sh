# Shared helpers for scripts/chaos: binaries, a scratch folder, checks that count and report.
# Section scripts share this shell: the harness's own variables are CHECKS, FAILURES, SECTION*
# and LAST_STDERR; a section keeps its own counters under other names.
BIN=${BIN:-$ROOT/.build/release}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/verso-chaos.XXXXXX")
CHECKS=0; FAILURES=0
CORPORA=$ROOT/corpora

ok()   { CHECKS=$((CHECKS + 1)); }
fail() { CHECKS=$((CHECKS + 1)); FAILURES=$((FAILURES + 1)); echo "FAIL [$SECTION] $*" >&2; show_stderr; }
note() { echo "  [$SECTION] $*"; }
check() { local label=$1; shift; if "$@"; then ok; else fail "$label"; fi; }

# The store's whole content (schema and rows), hashed: equal before and after means unchanged.
dump() { [ -e "$1" ] && sqlite3 -readonly "$1" .dump 2>/dev/null | sha256sum | cut -c1-16 || echo absent; }
integrity() { [ "$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)" = ok ]; }

# expect_error LABEL PATTERN STORE CMD...: CMD must exit non-zero with exactly one stderr line,
# "Error: …" containing PATTERN (fixed string, case-insensitive), and leave STORE unchanged.
expect_error() {
  local label=$1 pattern=$2 store=$3; shift 3
  local before after err rc lines
  before=$(dump "$store")
  err=$("$@" 2>&1 >/dev/null); rc=$?
  after=$(dump "$store")
  lines=$(printf '%s\n' "$err" | wc -l)
  if [ $rc -eq 0 ]; then fail "$label: exit 0 (expected an error)"; return; fi
  if [ "$lines" -ne 1 ] || [[ "$err" != Error:* ]]; then fail "$label: not one 'Error:' line: $(printf '%q' "$err" | head -c 300)"; return; fi
  if ! grep -qiF -- "$pattern" <<<"$err"; then fail "$label: '$err' does not name '$pattern'"; return; fi
  if [ "$before" != "$after" ]; then fail "$label: the store changed"; return; fi
  ok
  [ -n "${VERBOSE:-}" ] && echo "    $label -> $err"
  return 0
}

# expect_option_error LABEL PATTERN STORE CMD...: as expect_error for a refused option, whose
# "Error: …" line ArgumentParser follows with the usage and a pointer to --help.
expect_option_error() {
  local label=$1 pattern=$2 store=$3; shift 3
  local before err rc first rest
  before=$(dump "$store")
  err=$("$@" 2>&1 >/dev/null); rc=$?
  first=$(head -1 <<<"$err"); rest=$(tail -n +2 <<<"$err" | grep -v '^Usage: \|^  See .* --help\|^$\|^        ')
  if [ $rc -eq 0 ]; then fail "$label: exit 0 (expected an error)"; return; fi
  if [[ "$first" != Error:* ]] || [ -n "$rest" ]; then fail "$label: not an 'Error:' line and the usage: $(printf '%q' "$err" | head -c 300)"; return; fi
  if ! grep -qiF -- "$pattern" <<<"$first"; then fail "$label: '$first' does not name '$pattern'"; return; fi
  if [ "$before" != "$(dump "$store")" ]; then fail "$label: the store changed"; return; fi
  ok
}

# A command whose stderr a later failing check should show: run it with `logged CMD...`.
LAST_STDERR=$WORK/last.stderr
: > "$LAST_STDERR"
logged() { "$@" 2>"$LAST_STDERR"; local rc=$?; echo $rc > "$LAST_STDERR.status"; cat "$LAST_STDERR" >&2; return $rc; }
# Shows what the last logged command said on stderr, and how it ended, under a failed check.
show_stderr() {
  # A crash report is long: its head says what trapped ("Fatal error", "Program crashed", the
  # crashing frame); a one-line error is all of it. Keep the whole file beside the log too.
  if [ -s "$LAST_STDERR" ]; then
    grep -v '^\s*$' "$LAST_STDERR" | head -25 | sed 's/^/    stderr: /' >&2
    cp "$LAST_STDERR" "${CHAOS_KEEP:-${TMPDIR:-/tmp}}/verso-chaos-failed-$SECTION-$CHECKS.stderr" 2>/dev/null
  fi
  [ -s "$LAST_STDERR.status" ] && echo "    exit status: $(cat "$LAST_STDERR.status")" >&2
  : > "$LAST_STDERR"; : > "$LAST_STDERR.status"
}

# Peak resident memory (MB) of a command, read from the kernel when it exits (GNU time). Its
# stderr is kept for show_stderr, and a signal that killed it (the OOM killer's SIGKILL) is named.
peak_rss_mb() {
  local out=$WORK/time.$$ rc
  /usr/bin/time -f %M -o "$out" "$@" >/dev/null 2>"$LAST_STDERR"; rc=$?
  echo "$rc $(grep -o 'terminated by signal [0-9]*' "$out")" > "$LAST_STDERR.status"
  echo $(( $(tail -1 "$out") / 1024 )); return $rc
}

# A small tmpfs at $WORK/mnt-NAME (echoes its path), or nothing where mounting is not allowed.
small_disk() { local dir=$WORK/mnt-$1; mkdir -p "$dir"; mount -t tmpfs -o "size=$2" tmpfs "$dir" 2>/dev/null && echo "$dir"; }
