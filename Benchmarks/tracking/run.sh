#!/usr/bin/env bash
# The store's speed goals (issue 8), measured by `fmn bench store` on a temporary store:
#   one probe run of 10,000 items recorded   < 1 s
#   fmn log on 1,000 checkpoints, 100,000 item scores   < 200 ms
#   a 10 MB adapter committed   < 1 s
# Usage: Benchmarks/tracking/run.sh [extra fmn bench store options, e.g. --json]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product fmn --scratch-path .build-release
exec .build-release/release/fmn bench store "$@"
