#!/usr/bin/env bash
# Run every curl test script (NN-*.sh, in order), continue past failures, end with "N passed, N failed".
# Exit status: 0 when every script passed, 1 otherwise. Configuration: see lib.sh / README.md.
set -euo pipefail
cd "$(dirname "$0")"

passed=0 failed=0
failures=()
for script in [0-9][0-9]-*.sh; do
  echo "######## $script"
  if bash "$script" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$script")
  fi
done
echo
if [[ $failed -gt 0 ]]; then echo "failed: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
