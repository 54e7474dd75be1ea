#!/usr/bin/env bash
# Runs every benchmark against a release build and records the results:
#   bench/RESULTS.md   — the tables, with the command and machine that produced them
#   bench/results.json — one flat JSON object, key -> number (each benchmark merges its keys)
# Usage: bench/run.sh <build dir> [--quick]
set -euo pipefail
build=${1:-build/release}
quick=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== broker" >&2
"$build/bench/broker_bench" "$build/bin/hub" "$tmp/broker.json" $quick > "$tmp/broker.md"
echo "== ers" >&2
"$build/bench/ers_bench" "$build/bin/hub" "$tmp/ers.json" $quick > "$tmp/ers.md"

/usr/bin/python3 - "$here/results.json" "$tmp"/*.json <<'PY'
import json, sys
path, parts = sys.argv[1], sys.argv[2:]
try:
    merged = json.load(open(path))
except (OSError, ValueError):
    merged = {}
for p in parts:
    merged.update(json.load(open(p)))
json.dump(dict(sorted(merged.items())), open(path, "w"), indent=2)
open(path, "a").write("\n")
PY

{
  echo "# Benchmark results"
  echo
  echo "Produced by \`make bench\` (\`bench/run.sh $build $quick\`) on $(date -u +%Y-%m-%d),"
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)."
  echo "Release build; broker journal with \`synchronous=FULL\` on local disk; loopback TCP without"
  echo "CURVE; clients, workers and broker all on this machine. Machine-readable: \`results.json\`."
  echo
  echo "## Broker (bench/broker_bench.cpp)"
  echo
  echo "Clients are asynchronous MDP clients (DEALER) each keeping up to 64 requests in flight;"
  echo "2 echo workers with credit 64; 1 KiB envelopes. The plain relay is \`zmq_proxy\` between a"
  echo "ROUTER and a DEALER with workers echoing frames: the same traffic with no MDP bookkeeping"
  echo "and no journal, measured in the same run as the ceiling."
  echo
  cat "$tmp/broker.md"
  echo
  echo "## e-Referral adapter, HL7 v2 over MLLP (bench/ers_bench.cpp)"
  echo
  echo "\`hub adapter ers\` as a process with \`hub broker\` and a sink booking worker forwarding"
  echo "every referral at the same time; raw-socket MLLP senders; the REF^I12 sample (5.7 KB) with"
  echo "a distinct referral id per message; ers.db with \`synchronous=FULL\`; each AA only after the"
  echo "referral is committed to the outbox (group commit of what arrived together). Senders keep"
  echo "32 messages unacknowledged per connection; send-wait-send, for comparison, makes each"
  echo "message wait for a commit (an fsync) of its own."
  echo
  cat "$tmp/ers.md"
} > "$here/RESULTS.md"
cat "$here/RESULTS.md"
