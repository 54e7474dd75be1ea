#!/usr/bin/python3
"""7/MDP wire compatibility: a client and a worker written against the RFC with raw frames
(Debian's python3-zmq and python3-msgpack; none of the hub's C++ code) talk through the real
`hub broker` process. Run: /usr/bin/python3 mdp_wire_test.py <path to hub binary>

Checks: a REQ client (the RFC's recommended client socket) and a DEALER worker that omits the
credit frame get plain lock-step 7/MDP; heartbeats both ways; 8/MMI lookups; a duplicate
envelope id is answered from the journal without a second delivery; bad input gets a
hub.error reply; a worker DISCONNECT is honoured.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

HUB = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def envelope(id_, type_, body):
    return msgpack.packb({"id": id_, "type": type_, "v": 1, "source": "python",
                          "ts": int(time.time() * 1000), "corr": "", "body": body})


with tempfile.TemporaryDirectory() as tmp:
    config = os.path.join(tmp, "hub.toml")
    with open(config, "w") as f:
        f.write('[hub]\ndata_dir = "."\n[broker]\nheartbeat_ms = 250\nservices = ["echo"]\n'
                'curve = false\n[client]\ncurve = false\n')
    log = open(os.path.join(tmp, "broker.log"), "w+")
    broker = subprocess.Popen([HUB, "broker", "--config", config, "--endpoint", "tcp://127.0.0.1:*"],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        endpoint = None
        for _ in range(200):
            log.seek(0)
            m = re.search(r"listening on (tcp://127\.0\.0\.1:\d+)", log.read())
            if m:
                endpoint = m.group(1)
                break
            time.sleep(0.05)
        check(endpoint is not None, "broker started and printed its endpoint")

        ctx = zmq.Context()
        worker = ctx.socket(zmq.DEALER)
        worker.setsockopt(zmq.LINGER, 0)
        worker.connect(endpoint)
        # READY: empty, "MDPW01", 0x01, service   (no credit frame: plain 7/MDP)
        worker.send_multipart([b"", b"MDPW01", b"\x01", b"echo"])

        client = ctx.socket(zmq.REQ)
        client.setsockopt(zmq.LINGER, 0)
        client.setsockopt(zmq.RCVTIMEO, 5000)
        client.connect(endpoint)

        # 8/MMI. The worker's READY travels on another connection, so the broker may not have
        # seen it yet when the first lookup arrives: ask until it has (or 5 s pass).
        answer = None
        for _ in range(100):
            client.send_multipart([b"MDPC01", b"mmi.service", b"echo"])
            answer = client.recv_multipart()
            if answer[2] == b"200":
                break
            time.sleep(0.05)
        check(answer == [b"MDPC01", b"mmi.service", b"200"], "mmi.service echo -> 200")
        client.send_multipart([b"MDPC01", b"mmi.service", b"nosuch"])
        check(client.recv_multipart()[2] == b"404", "mmi.service nosuch -> 404")
        client.send_multipart([b"MDPC01", b"mmi.nosuch", b""])
        check(client.recv_multipart()[2] == b"501", "mmi.nosuch -> 501")

        poller = zmq.Poller()
        poller.register(worker, zmq.POLLIN)

        def worker_recv(timeout_ms=5000):
            """Next REQUEST for the worker, answering broker HEARTBEATs on the way."""
            deadline = time.time() + timeout_ms / 1000
            while time.time() < deadline:
                if dict(poller.poll(100)).get(worker):
                    frames = worker.recv_multipart()
                    if frames[2] == b"\x04":
                        worker.send_multipart([b"", b"MDPW01", b"\x04"])
                        continue
                    return frames
            return None

        # A request, delivered to the worker as REQUEST: empty, MDPW01, 0x02, address, empty, body
        req = envelope("01PYTHONWIRE0000000000000A", "test.echo", {"text": "hello"})
        client.send_multipart([b"MDPC01", b"echo", req])
        frames = worker_recv()
        check(frames is not None and len(frames) == 6 and frames[:3] == [b"", b"MDPW01", b"\x02"]
              and frames[4] == b"" and frames[5] == req, "worker receives the REQUEST frames of 7/MDP")
        reply = msgpack.packb({"id": "01PYTHONWIRE0000000000000B", "type": "test.echo", "v": 1,
                               "source": "python-worker", "ts": 1, "corr": "01PYTHONWIRE0000000000000A",
                               "body": {"text": "hello"}})
        worker.send_multipart([b"", b"MDPW01", b"\x03", frames[3], b"", reply])
        got = client.recv_multipart()
        check(got == [b"MDPC01", b"echo", reply], "client receives the REPLY (MDPC01, service, body)")

        # The same envelope id again: the journaled reply, no second delivery to the worker.
        client.send_multipart([b"MDPC01", b"echo", req])
        check(client.recv_multipart()[2] == reply, "duplicate id answered from the journal")
        check(worker_recv(600) is None, "duplicate not delivered to the worker again")

        # Bad input: a body that is not msgpack gets a hub.error reply naming the problem.
        client.send_multipart([b"MDPC01", b"echo", b"\xc1 definitely not msgpack"])
        err = msgpack.unpackb(client.recv_multipart()[2])
        check(err["type"] == "hub.error" and err["body"]["code"] == "invalid_argument",
              "non-msgpack body -> hub.error invalid_argument")

        # Heartbeats: stay silent (but for HEARTBEATs) for longer than the liveness window; the
        # broker must keep the worker registered because it answers heartbeats.
        worker_recv(1200)
        client.send_multipart([b"MDPC01", b"mmi.service", b"echo"])
        check(client.recv_multipart()[2] == b"200", "worker kept alive by heartbeats")

        # DISCONNECT: the broker forgets the worker.
        worker.send_multipart([b"", b"MDPW01", b"\x05"])
        time.sleep(0.3)
        client.send_multipart([b"MDPC01", b"mmi.service", b"echo"])
        check(client.recv_multipart()[2] == b"404", "DISCONNECT unregisters the worker")
        check(broker.poll() is None, "broker still running")
    finally:
        broker.terminate()
        broker.wait(10)
        if failures:
            log.seek(0)
            print(log.read())

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
