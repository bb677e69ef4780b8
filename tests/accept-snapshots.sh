#!/usr/bin/env bash
# Accepts every pending snapshot: renames each *.received.cs under tests/ over its *.verified.cs.
# Review the diff (git diff) before committing.
set -euo pipefail
cd "$(dirname "$0")"
find . -name '*.received.cs' -print0 | while IFS= read -r -d '' received; do
  mv "$received" "${received%.received.cs}.verified.cs"
  echo "accepted ${received%.received.cs}.verified.cs"
done
