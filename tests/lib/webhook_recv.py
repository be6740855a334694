#!/usr/bin/env python3
"""webhook_recv.py PORT DIR SECRET [--fail N]: an HTTP receiver on 127.0.0.1:PORT for
Ballast's message webhooks. Each POST must carry X-Ballast-Signature: sha256=<hex
HMAC-SHA256 of the body with SECRET> (else 401) and X-Ballast-Idempotency-Key; the
first N requests are answered 503 (to exercise retries); the others are stored as
DIR/NNNN.json with the key in DIR/NNNN.key, and a key seen before is counted in
DIR/duplicates. Writes DIR/ready when listening; stops on SIGTERM."""
import hashlib
import hmac
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
fail = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--fail" else 0
state = {"n": 0, "stored": 0, "keys": set()}
lock = threading.Lock()


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
            if state["n"] <= fail:
                return self.answer(503)
            want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(want, self.headers.get("X-Ballast-Signature", "")):
                with open(os.path.join(out, "bad_signatures"), "a") as f:
                    f.write("x\n")
                return self.answer(401)
            key = self.headers.get("X-Ballast-Idempotency-Key", "")
            if key in state["keys"]:
                with open(os.path.join(out, "duplicates"), "a") as f:
                    f.write(key + "\n")
            state["keys"].add(key)
            state["stored"] += 1
            base = os.path.join(out, "%04d" % state["stored"])
            with open(base + ".key", "w") as f:
                f.write(key + "\n")
            with open(base + ".json", "wb") as f:
                f.write(body)
        self.answer(204)


srv = ThreadingHTTPServer(("127.0.0.1", port), H)
signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
open(os.path.join(out, "ready"), "w").close()
srv.serve_forever()
