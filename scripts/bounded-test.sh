#!/usr/bin/env bash
# Runs a test command (CI: `pnpm test`, the README's) with a time budget. Vitest's own timeouts cannot fire while a worker is blocked in a
# synchronous call or a child in the kernel, so a hung suite would otherwise run until the CI machine is
# taken away, with no word on what hung. Past the budget this prints the test files and tests that were
# still running (from scripts/progress-reporter.ts), the process tree with kernel wait channels and the
# kernel's last lines, then stops the run and exits 124.
# Usage: scripts/bounded-test.sh BUDGET_SECONDS COMMAND...   e.g. `bounded-test.sh 1800 pnpm test` (the README's test command)
set -uo pipefail
budget=${1:?usage: bounded-test.sh BUDGET_SECONDS COMMAND...}
shift
progress=$(mktemp /tmp/fleet-test-progress.XXXXXX)
export FLEET_TEST_PROGRESS=$progress

# Its own process group, so the whole tree (vitest, workers, their children) can be stopped at once.
setsid "$@" &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  if [ $(( $(date +%s) - start )) -ge "$budget" ]; then
    echo
    echo "!! tests still running after ${budget}s: stopping them. Still running:"
    # A file or test that started and has not ended.
    awk -F'\t' '
      $2 == "file-start" { files[$3] = $1 }
      $2 == "file-end"   { delete files[$3] }
      $2 == "test-start" { tests[$3 "\t" $4] = $1 }
      $2 == "test-end"   { sub(/^[a-z]+ /, "", $4); delete tests[$3 "\t" $4] }
      END {
        for (f in files) print "   file " f " (since " files[f] ")"
        for (t in tests) { split(t, p, "\t"); print "   test " p[1] " > " p[2] " (since " tests[t] ")" }
      }' "$progress"
    echo "-- processes (stat, kernel wait channel, elapsed):"
    ps --ppid 2 -p 2 --deselect -o pid,ppid,stat,wchan:24,etime,args --forest | cut -c1-220
    echo "-- kernel, last lines:"
    dmesg 2>/dev/null | tail -n 20
    kill -TERM -- "-$pid" 2>/dev/null
    sleep 5
    kill -KILL -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$progress"
    exit 124
  fi
  sleep 2
done
wait "$pid"
rc=$?
rm -f "$progress"
exit $rc
