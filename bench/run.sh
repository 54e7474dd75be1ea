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
echo "== booking" >&2
"$build/bench/booking_bench" "$build/bin/hub" "$tmp/booking.json" $quick > "$tmp/booking.md"
echo "== cab" >&2
"$build/bench/cab_bench" "$tmp/cab.json" $quick > "$tmp/cab.md"
echo "== cab booking" >&2
"$build/bench/cab_book_bench" "$build/bin/hub" "$tmp/cab_book.json" $quick > "$tmp/cab_book.md"
echo "== print" >&2
"$build/bench/print_bench" "$tmp/print.json" $quick > "$tmp/print.md"
echo "== ers" >&2
"$build/bench/ers_bench" "$build/bin/hub" "$tmp/ers.json" $quick > "$tmp/ers.md"
echo "== scan" >&2
"$build/bench/scan_bench" "$tmp/scan.json" $quick > "$tmp/scan.md"
echo "== ptl" >&2
"$build/bench/ptl_bench" "$tmp/ptl.json" $quick > "$tmp/ptl.md"
echo "== web" >&2
"$build/bench/web_bench" "$build/bin/hub" "$tmp/web.json" $quick > "$tmp/web.md"

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
  echo "## Booking (bench/booking_bench.cpp)"
  echo
  echo "Intake-and-book runs the booking worker's shell in this process: envelope decoding, the"
  echo "engine, and booking.db (\`synchronous=FULL\`: records, audit, outbox, dedupe) in batches of 64,"
  echo "against 200 clinics x 52 weeks of slots. Latency is measured through the real broker and"
  echo "booking worker processes, with sink workers standing in for print and CaB."
  echo
  cat "$tmp/booking.md"
  echo
  echo "## CaB adapter slot search (bench/cab_bench.cpp)"
  echo
  echo "e-RS A015 \`GET /STU3/Slot\` over HTTP/1.1 on loopback against the adapter's server, with an"
  echo "in-memory booking gateway holding 50 clinics x 12 weeks of slots. The baseline is the same"
  echo "searches as plain function calls (no HTTP), measured in the same run."
  echo
  cat "$tmp/cab.md"
  echo
  echo "## CaB adapter booking through the broker (bench/cab_book_bench.cpp)"
  echo
  echo "e-RS A016 \`POST /STU3/Appointment\` (booked) over HTTP to \`hub adapter cab\` as a process,"
  echo "which books with ers.book through \`hub broker\` and \`hub worker booking\` (booking.db with"
  echo "\`synchronous=FULL\`); one keep-alive client, one booking after another; each booking's"
  echo "slots.changed makes the adapter reconcile meanwhile. The baseline is a read (slots.free)"
  echo "through the same broker and worker from an MDP client, measured in the same run."
  echo
  cat "$tmp/cab_book.md"
  echo
  echo "## Print adapter (bench/print_bench.cpp)"
  echo
  echo "Letters composed from config/letters and rendered to PDF with cairo and pango (fonts"
  echo "embedded), one thread; the baseline is a one-line, one-page PDF, measured in the same run."
  echo "Accept adds storing the letter in print.db; publish writes a whole batch (PDFs, manifests,"
  echo "fsync, rename); the adapter row is the request path of \`hub adapter print\` without its"
  echo "sockets (decode, map, render, store with dedupe record and outbox message, FULL sync)."
  echo
  cat "$tmp/print.md"
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
  echo
  echo "## Scan adapter (bench/scan_bench.cpp)"
  echo
  echo "Coversheets drawn to PDF with zint (DataMatrix or QR, and Code 128), cairo and pango, one"
  echo "thread; the generating baseline is a patch-code separator sheet (one page, no barcode)."
  echo "Decoding is ZXing-C++ (try harder, try rotations) on an A4 page rasterised once by"
  echo "pdftoppm at 200 dpi, straight and turned 2.5 degrees with noise; the decoding baseline is"
  echo "the same search over a page with no symbol. The PDF row adds running pdftoppm per page."
  echo
  cat "$tmp/scan.md"
  echo
  echo "## PTL and partial booking (bench/ptl_bench.cpp)"
  echo
  echo "The weekly PTL (RULES §1.9) over 1,000,000 synthetic open pathways (20 specialties, 200"
  echo "consultants, waits 0-800 days, 40% with a booked date): ComputePtl computes every row, sorts"
  echo "longest wait first and builds the summaries; targets < 5 s and < 1 GiB peak RSS (the input"
  echo "included). The baseline is one plain pass over the same input. The sweep fires the"
  echo "partial-booking invitation of 1,000,000 items in (date, entry id) order."
  echo
  cat "$tmp/ptl.md"
  echo
  echo "## Web UI, PTL page under load (bench/web_bench.cpp)"
  echo
  echo "booking.db filled with 100,000 demo referrals for the example clinics (most stay open on the"
  echo "waiting list); the real broker and \`hub worker booking\` processes; \`hub web\`'s server in the"
  echo "bench process. 8 keep-alive HTTP clients on loopback ask for PTL pages"
  echo "(\`GET /api/ptl?specialty=S&limit=100\`, signed in, 100 audit rows written per page) as fast as"
  echo "they are answered. Baseline: the same \`waitinglist.get\` over MDP by one client, no HTTP."
  echo
  cat "$tmp/web.md"
} > "$here/RESULTS.md"
cat "$here/RESULTS.md"
