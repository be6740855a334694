#!/usr/bin/env python3
"""event_recv.py PORT DIR SECRET [--fail N]: an HTTP receiver on 127.0.0.1:PORT for
Ballast's event webhooks, verifying as docs/api.md ("Webhooks") tells a receiver to:
Ballast-Signature must be "v1=" + hex HMAC-SHA256 of "<Ballast-Timestamp>.<body>" keyed
with SECRET (or, for @FILE, the text in FILE read at each request: the secret is known
once the webhook is added), the timestamp within 5 minutes, Ballast-Event-Id the body's "id". The
first N requests are answered 503 (to exercise retries). A verified event is appended to
DIR/events (one line: "<id> <type>") and its body kept as DIR/<id>.json; an id seen
before is counted in DIR/duplicates; a bad signature in DIR/bad_signatures (answered
401). Every request is counted in DIR/requests. Writes DIR/ready when listening; stops
on SIGTERM."""
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out, secret_arg = int(sys.argv[1]), sys.argv[2], sys.argv[3]
fail = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--fail" else 0
state = {"n": 0, "ids": set()}
lock = threading.Lock()


def note(name, line):
    with open(os.path.join(out, name), "a") as f:
        f.write(line + "\n")


def secret():
    if secret_arg.startswith("@"):
        with open(secret_arg[1:]) as f:
            return f.read().strip().encode()
    return secret_arg.encode()


def verified(headers, body):
    ts = headers.get("Ballast-Timestamp", "")
    sig = headers.get("Ballast-Signature", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
        return False
    want = "v1=" + hmac.new(secret(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, sig)


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def answer(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            state["n"] += 1
            note("requests", self.headers.get("Ballast-Event-Id", "-"))
            if state["n"] <= fail:
                return self.answer(503)
            if not verified(self.headers, body):
                note("bad_signatures", self.headers.get("Ballast-Event-Id", "-"))
                return self.answer(401)
            event = json.loads(body)
            if event["id"] != self.headers.get("Ballast-Event-Id"):
                note("bad_signatures", "id mismatch " + event["id"])
                return self.answer(400)
            if event["id"] in state["ids"]:
                note("duplicates", event["id"])
            else:
                state["ids"].add(event["id"])
                note("events", event["id"] + " " + event["type"])
                with open(os.path.join(out, event["id"] + ".json"), "wb") as f:
                    f.write(body)
        self.answer(204)


srv = ThreadingHTTPServer(("127.0.0.1", port), H)
signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
open(os.path.join(out, "ready"), "w").close()
srv.serve_forever()
