#!/usr/bin/env python3
"""smtp_sink.py PORT DIR [--fail N] [--delay SECS]: a real SMTP server (aiosmtpd) on 127.0.0.1:PORT
that writes every message it accepts to DIR/NNNN.eml (the bytes as received) and its
envelope to DIR/NNNN.env (MAIL FROM, then one RCPT TO per line). With --fail N the
first N messages are refused with 451 (a temporary failure). With --delay the server
keeps each message (writes it) and waits SECS before answering, so a test can kill the
sender between the two. Writes DIR/ready when
listening; stops on SIGTERM. Used by tests/cli/messages.sh."""
import asyncio
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, fail, delay):
        self.out, self.fail, self.delay, self.n = out, fail, delay, 0

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
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 OK"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    opts = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    fail, delay = int(opts.get("--fail", 0)), float(opts.get("--delay", 0))
    c = Controller(Sink(out, fail, delay), hostname="127.0.0.1", port=port)
    c.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    open(os.path.join(out, "ready"), "w").close()
    done.wait()
    c.stop()


if __name__ == "__main__":
    main()
