#!/usr/bin/python3
# tests/lib/smtp-receiver.py: an SMTP server on 127.0.0.1 for the mail tests (Debian's python3-aiosmtpd); writes each message it accepts to DIR.
#
# usage: smtp-receiver.py PORT DIR [USER PASSWORD]
# For message n it writes DIR/n.eml (the bytes received, as sent) and then
# DIR/n.json: the envelope, the AUTH login (with USER and PASSWORD given,
# AUTH PLAIN/LOGIN is offered without TLS and a wrong password refused), and
# the message as Python's email package decodes it (RFC 2047 headers,
# MIME parts with their transfer encoding undone), so the tests check kefu's
# mail with a decoder that is not kefu's. Prints "ready" once listening;
# stops on SIGTERM.
import email
import email.policy
import itertools
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, out = int(sys.argv[1]), sys.argv[2]
creds = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else None
counter = itertools.count(1)


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = creds is not None and (auth_data.login.decode(), auth_data.password.decode()) == creds
    if ok:
        session.kefu_login = creds[0]
    return AuthResult(success=ok, handled=False)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        n = next(counter)
        raw = envelope.original_content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            parts.append({
                'type': part.get_content_type(),
                'charset': part.get_content_charset(),
                'encoding': part.get('Content-Transfer-Encoding'),
                'body': part.get_content(),
            })
        raw_headers = {}
        for k, v in email.message_from_bytes(raw, policy=email.policy.compat32).items():
            raw_headers[k.lower()] = v
        data = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'auth_login': getattr(session, 'kefu_login', None),
            'content_type': msg.get_content_type(),
            'headers': {k: str(msg[k]) for k in ('From', 'To', 'Subject', 'Date', 'Message-ID', 'Auto-Submitted')},
            'raw_headers': raw_headers,
            'parts': parts,
        }
        with open(os.path.join(out, f'{n}.eml'), 'wb') as f:
            f.write(raw)
        tmp = os.path.join(out, f'.{n}.json')
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(data, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(out, f'{n}.json'))
        return '250 OK'


kwargs = {}
if creds:
    kwargs = {'authenticator': authenticate, 'auth_require_tls': False}
controller = Controller(Handler(), hostname='127.0.0.1', port=port, **kwargs)
controller.start()
print('ready', flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
signal.signal(signal.SIGINT, lambda *_: done.set())
done.wait()
controller.stop()
