#!/usr/bin/env bash
# Runs the whole test suite N times in a row while a CPU hog keeps every core busy, and prints one line per run
# (time, passed, failed) and a total. Flaky tests show up here long before they block a landing.
# Needs the test services (`pnpm services up`) and a build (`pnpm build`). Usage: scripts/flake-hunt.sh [N]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=${FLEET_FLAKE_DIR:-$(mktemp -d /tmp/fleet-flake.XXXXXX)}
mkdir -p "$out"
hogs=()
stop_hogs() { for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; done; hogs=(); }
trap stop_hogs EXIT
for _ in $(seq 1 "$(nproc)"); do
  ( trap 'exit 0' TERM; while :; do :; done ) &
  hogs+=($!)
done
echo "flake-hunt: $runs runs, ${#hogs[@]} busy loops on $(nproc) cores, logs in $out"
green=0
for i in $(seq 1 "$runs"); do
  t0=$(date +%s)
  bash scripts/clean-test-leftovers.sh >/dev/null
  FLEET_TEST_REPORT="$out/run-$i.json" bash scripts/bounded-test.sh "${FLEET_FLAKE_BUDGET:-2400}" pnpm test >"$out/run-$i.log" 2>&1
  rc=$?
  line=$(node scripts/test-summary.mjs "run$i=$out/run-$i.json=$rc" 2>&1)
  [ $rc -eq 0 ] && green=$((green + 1))
  echo "run $i: $(( $(date +%s) - t0 ))s, exit $rc, ${line%% (*}"
  [ $rc -eq 0 ] || grep -E 'FAIL|Unhandled|Error:|still running|^   (file|test) ' "$out/run-$i.log" | head -n 20 | sed 's/^/    /'
done
echo "flake-hunt: $green of $runs runs green"
[ "$green" -eq "$runs" ]
