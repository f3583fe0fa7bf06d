# Shared helpers for scripts/chaos: binaries, a scratch folder, checks that count and report.
BIN=${BIN:-$ROOT/.build/release}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/verso-chaos.XXXXXX")
CHECKS=0; FAILURES=0
CORPORA=$ROOT/corpora

ok()   { CHECKS=$((CHECKS + 1)); }
fail() { CHECKS=$((CHECKS + 1)); FAILURES=$((FAILURES + 1)); echo "FAIL [$SECTION] $*" >&2; }
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

# Peak resident memory (MB) of a command, read from the kernel when it exits (GNU time).
peak_rss_mb() { local out=$WORK/time.$$; /usr/bin/time -f %M -o "$out" "$@" >/dev/null 2>&1; local rc=$?; echo $(( $(tail -1 "$out") / 1024 )); return $rc; }

# A small tmpfs at $WORK/mnt-NAME (echoes its path), or nothing where mounting is not allowed.
small_disk() { local dir=$WORK/mnt-$1; mkdir -p "$dir"; mount -t tmpfs -o "size=$2" tmpfs "$dir" 2>/dev/null && echo "$dir"; }
