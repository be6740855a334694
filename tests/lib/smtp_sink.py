#!/usr/bin/env python3
"""smtp_sink.py PORT DIR [--fail N]: a real SMTP server (aiosmtpd) on 127.0.0.1:PORT
that writes every message it accepts to DIR/NNNN.eml (the bytes as received) and its
envelope to DIR/NNNN.env (MAIL FROM, then one RCPT TO per line). With --fail N the
first N messages are refused with 451 (a temporary failure). Writes DIR/ready when
listening; stops on SIGTERM. Used by tests/cli/messages.sh."""
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, fail):
        self.out, self.fail, self.n = out, fail, 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        if self.n <= self.fail:
            return "451 4.3.0 test server: try again later"
        base = os.path.join(self.out, "%04d" % self.n)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n" + "\n".join(envelope.rcpt_tos) + "\n")
        data = envelope.original_content or envelope.content
        with open(base + ".tmp", "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 OK"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    fail = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--fail" else 0
    c = Controller(Sink(out, fail), hostname="127.0.0.1", port=port)
    c.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    open(os.path.join(out, "ready"), "w").close()
    done.wait()
    c.stop()


if __name__ == "__main__":
    main()
