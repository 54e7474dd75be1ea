#!/usr/bin/env bash
# End-to-end browser test of the web UI (issue 9 acceptance) against a real `hub up`: broker,
# booking worker with demo referrals, and `hub web`, on free loopback ports in a temp directory.
# A dead letter is made first (a request to a test worker too slow for its lease), then
# e2e.mjs drives Debian's headless chromium through Playwright: sign in, PTL, filter, book a
# patient, cancel a clinic as clerk (refused) and as team leader (approved -> rebooking list),
# replay the dead letter. Screenshots go to $SCREENSHOT_DIR (default <build>/web-e2e-screenshots).
# Usage: web_e2e_test.sh <hub binary> <hub_test_worker binary> <screenshot dir>
set -euo pipefail
HUB="$1"
TEST_WORKER="$2"
SHOTS="${3:-$PWD/web-e2e-screenshots}"
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/../../.." && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  echo "web_e2e_test: playwright-core is not installed; run scripts/install-deps" >&2
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "web_e2e_test: $CHROMIUM not found; run scripts/install-deps (Debian package chromium)" >&2
  exit 1
fi

TMP="$(mktemp -d)"
UP_PID=""
WORKER_PID=""
cleanup() {
  [ -n "$WORKER_PID" ] && kill "$WORKER_PID" 2>/dev/null || true
  if [ -n "$UP_PID" ]; then
    kill -INT "$UP_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$UP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$UP_PID" 2>/dev/null || true
  fi
  if [ "${KEEP_TMP:-}" = "" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BROKER_PORT="$(free_port)"
WEB_PORT="$(free_port)"
ENDPOINT="tcp://127.0.0.1:$BROKER_PORT"

cat > "$TMP/hub.toml" <<TOML
# e2e test hub: plain TCP on loopback, short leases so a slow worker's request is dead-lettered.
[hub]
data_dir = "$TMP/var"
[broker]
endpoints = ["$ENDPOINT"]
curve = false
heartbeat_ms = 500
request_timeout_ms = 8000
max_attempts = 1
synchronous = "NORMAL"
services = ["booking", "ers", "cab", "print", "scan", "test"]
[booking]
rules_file = "$SRC/config/booking-rules.toml"
clinics_dir = "$TMP/clinics"
heartbeat_ms = 500
synchronous = "NORMAL"
[client]
endpoint = "$ENDPOINT"
curve = false
[up]
processes = ["broker", "worker booking", "web"]
demo_referrals = ${DEMO_REFERRALS:-400}
[web]
port = $WEB_PORT
static_dir = "$SRC/hub/web/static"
TOML
mkdir -p "$TMP/var" "$TMP/clinics" "$SHOTS"
# Two of the example clinics: fewer slots than demo referrals, so some patients wait to be booked.
cp "$SRC/config/clinics/CARD_PATEL_MON.toml" "$SRC/config/clinics/DERM_CHAUDHRY_MON.toml" "$TMP/clinics/"

"$HUB" up --config "$TMP/hub.toml" > "$TMP/up.log" 2>&1 &
UP_PID=$!
BASE="http://127.0.0.1:$WEB_PORT"
for _ in $(seq 1 1200); do
  [ -f "$TMP/var/.demo-loaded" ] && /usr/bin/python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$BASE/api/health" > /dev/null 2>&1 && break
  kill -0 "$UP_PID" 2>/dev/null || { echo "hub up exited"; cat "$TMP/up.log"; exit 1; }
  sleep 0.25
done
if [ ! -f "$TMP/var/.demo-loaded" ]; then echo "demo referrals not loaded in time"; tail -50 "$TMP/up.log"; exit 1; fi

PASSWORD="correct horse battery staple"
for u in clerk:clerk leader:team_leader integ:integration_admin; do
  echo "$PASSWORD" | "$HUB" ctl user add "${u%%:*}" --role "${u##*:}" --config "$TMP/hub.toml"
done

# One dead letter: a test.apply request held by a worker slower than the 8 s lease.
"$TEST_WORKER" --endpoint "$ENDPOINT" --db "$TMP/var/test.db" --service test --delay-ms 12000 > "$TMP/worker.log" 2>&1 &
WORKER_PID=$!
DEAD_ID="$(/usr/bin/python3 - "$ENDPOINT" <<'PY'
import sys, time, msgpack, zmq
ctx = zmq.Context()
time.sleep(1.0)  # the worker's READY reaches the broker
s = ctx.socket(zmq.REQ)
s.setsockopt(zmq.LINGER, 0)
s.connect(sys.argv[1])
msg_id = "01E2EDEADLETTER00000000000"
env = msgpack.packb({"id": msg_id, "type": "test.apply", "v": 1, "source": "e2e",
                     "ts": int(time.time() * 1000), "corr": "", "body": {"key": "e2e"}})
s.send_multipart([b"MDPC01", b"test", env])
if s.poll(40000):
    s.recv_multipart()
print(msg_id)
PY
)"
kill "$WORKER_PID" 2>/dev/null || true
wait "$WORKER_PID" 2>/dev/null || true
WORKER_PID=""

BASE_URL="$BASE" PASSWORD="$PASSWORD" DEAD_ID="$DEAD_ID" SCREENSHOT_DIR="$SHOTS" CHROMIUM="$CHROMIUM" \
  node "$HERE/e2e.mjs"
