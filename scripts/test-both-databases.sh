#!/usr/bin/env bash
# Runs the whole suite on SQLite and, at the same time, everything but the browser tests on
# PostgreSQL (TEST_DATABASE_URL). The two runs share nothing (each test makes its own SQLite
# file; only the second uses the server), so a 2-core machine takes as long as the longer one.
# The browser tests drive Chromium through the pages at a phone's width; what they would find
# on PostgreSQL the rest of the suite finds there already, and running them twice made
# `make test` take 13 minutes instead of about 10. Each line of output says which run it is from.
# Each run's log is kept in test-artifacts/; a failed run's failures are printed again at the
# end, where the other run's interleaved output cannot bury them.
set -uo pipefail
pytest=${1:?usage: test-both-databases.sh path/to/pytest}
logs=test-artifacts
mkdir -p "$logs"

echo "Running the suite on SQLite, and all but the browser tests on PostgreSQL, at the same time"
(env -u TEST_DATABASE_URL "$pytest" 2>&1 | tee "$logs/sqlite.log" | sed -u 's/^/[sqlite] /') &
sqlite=$!
("$pytest" -p no:cacheprovider --ignore=tests/browser 2>&1 | tee "$logs/postgresql.log" |
  sed -u 's/^/[postgresql] /') &
postgresql=$!
wait $sqlite
on_sqlite=$?
wait $postgresql
on_postgresql=$?

report() { # run exit-status
  [ "$2" -eq 0 ] && return
  local log="$logs/$1.log"
  echo "==== What failed on $1 (exit $2; whole log: $log) ===="
  if grep -qE '^=+ (FAILURES|ERRORS) =+$' "$log"; then
    sed -n '/^=* \(FAILURES\|ERRORS\) =*$/,/short test summary info/p' "$log" | tail -n 150
    grep -E '^(FAILED|ERROR) ' "$log"
  else
    tail -n 60 "$log"
  fi
}
report sqlite $on_sqlite
report postgresql $on_postgresql
echo "SQLite run: exit $on_sqlite; PostgreSQL run: exit $on_postgresql"
[ $on_sqlite -eq 0 ] && [ $on_postgresql -eq 0 ]
