#!/usr/bin/env python3
"""webhook_receiver.py: a kefu webhook receiver for Python 3 (standard library only): verifies X-Kefu-Signature, drops repeats by X-Kefu-Delivery.

    KEFU_WEBHOOK_SECRET=... PORT=8000 python3 webhook_receiver.py

X-Kefu-Signature is "sha256=" and the hex HMAC-SHA256 of the raw body under
the webhook's secret: verify the bytes as received, before parsing them.
Delivery is at least once; a repeat has the same X-Kefu-Delivery id.
"""
import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ.get("KEFU_WEBHOOK_SECRET", "").encode()
# In production: a table with the delivery id as its primary key, written in
# the same transaction as the event's effects.
seen = set()


def verify(secret: bytes, body: bytes, header: str) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    want = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, header[7:])


def on_event(event: dict, delivery: str) -> None:
    print(delivery, event["event"], json.dumps(event["data"], ensure_ascii=False), flush=True)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > 1 << 20:
            self.send_response(413)
            self.end_headers()
            return
        body = self.rfile.read(n)
        if not verify(SECRET, body, self.headers.get("X-Kefu-Signature", "")):
            self.send_response(401)
            self.end_headers()
            return
        delivery = self.headers.get("X-Kefu-Delivery", "")
        if delivery in seen:
            self.send_response(200)  # a repeat: handled already
            self.end_headers()
            return
        try:
            on_event(json.loads(body), delivery)
        except Exception:
            self.send_response(500)  # kefu tries again later
            self.end_headers()
            return
        seen.add(delivery)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    if not SECRET:
        sys.exit("set KEFU_WEBHOOK_SECRET to the webhook's secret")
    server = ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000"))), Handler)
    print("listening on", server.server_address[1], flush=True)
    server.serve_forever()
