#!/usr/bin/env python3
"""chat_recv.py PORT DIR SECRET: a local stand-in for the operators' chat platforms on
127.0.0.1:PORT, checking each request as the platform does (its documented payload and
signature) and answering as the platform answers:

  POST /slack     {"text": "..."}                                       -> 200 "ok"
  POST /feishu    {"msg_type":"text","content":{"text":..},"timestamp","sign"}
                  sign = base64(HMAC-SHA256(key = timestamp "\\n" SECRET, msg = ""))
                  -> {"code":0,"msg":"success"}, or {"code":19021,...} on a bad sign
  POST /dingtalk?timestamp=MS&sign=S  {"msgtype":"text","text":{"content":..}}
                  S = urlencoded base64(HMAC-SHA256(key = SECRET, msg = MS "\\n" SECRET))
                  -> {"errcode":0,"errmsg":"ok"}, or {"errcode":310000,...}

The text of each accepted message goes to DIR/<platform>.NNNN.txt; refusals are counted
in DIR/refused. Writes DIR/ready when listening; stops on SIGTERM."""
import base64
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lock = threading.Lock()
count = {"n": 0}


def sign_feishu(ts):
    key = ("%s\n%s" % (ts, secret)).encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def sign_dingtalk(ts):
    msg = ("%s\n%s" % (ts, secret)).encode()
    return base64.b64encode(hmac.new(secret.encode(), msg, hashlib.sha256).digest()).decode()


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def answer(self, code, body):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def keep(self, platform, text):
        with lock:
            count["n"] += 1
            with open(os.path.join(out, "%s.%04d.txt" % (platform, count["n"])), "w") as f:
                f.write(text)

    def refuse(self, why):
        with lock:
            with open(os.path.join(out, "refused"), "a") as f:
                f.write(why + "\n")

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            j = json.loads(body)
        except ValueError:
            self.refuse("not json")
            return self.answer(400, "invalid_payload")
        if url.path == "/slack":
            if not isinstance(j.get("text"), str):
                self.refuse("slack: no text")
                return self.answer(400, "no_text")
            self.keep("slack", j["text"])
            return self.answer(200, "ok")
        if url.path == "/feishu":
            ts, sign = j.get("timestamp", ""), j.get("sign", "")
            if (j.get("msg_type") != "text" or not ts or abs(time.time() - int(ts)) > 3600
                    or not hmac.compare_digest(sign, sign_feishu(ts))):
                self.refuse("feishu: bad sign or payload")
                return self.answer(200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"})
            self.keep("feishu", j["content"]["text"])
            return self.answer(200, {"code": 0, "msg": "success", "data": {}})
        if url.path == "/dingtalk":
            q = urllib.parse.parse_qs(url.query)
            ts, sign = q.get("timestamp", [""])[0], q.get("sign", [""])[0]
            if (j.get("msgtype") != "text" or not ts or abs(time.time() * 1000 - int(ts)) > 3600000
                    or not hmac.compare_digest(sign, sign_dingtalk(ts))):
                self.refuse("dingtalk: bad sign or payload")
                return self.answer(200, {"errcode": 310000, "errmsg": "sign not match"})
            self.keep("dingtalk", j["text"]["content"])
            return self.answer(200, {"errcode": 0, "errmsg": "ok"})
        self.refuse("unknown path " + url.path)
        self.answer(404, "not found")


srv = ThreadingHTTPServer(("127.0.0.1", port), H)
signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
open(os.path.join(out, "ready"), "w").close()
srv.serve_forever()
