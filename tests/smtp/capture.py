"""A real SMTP server for the tests: Debian's aiosmtpd on loopback, writing every message it
accepts as one JSON line (envelope, headers and decoded text and HTML parts).

    /usr/bin/python3 tests/smtp/capture.py --out FILE [--port N] [--temp-fail N] [--reject ADDRESS]...
        [--tls-cert PEM --tls-key PEM] [--login USER:PASSWORD]

It prints "listening on PORT" once it accepts connections. --temp-fail answers the first N
messages with 451 (try again later); --reject answers 550 for that recipient (no such mailbox);
--tls-cert and --tls-key offer STARTTLS with that certificate and require it; --login requires
that user and password (AUTH PLAIN or LOGIN), over TLS only. Each message's line says whether
it came over TLS and signed in.
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult


class Capture:
    def __init__(self, out, temp_fail, reject):
        self.out = out
        self.temp_fail = temp_fail
        self.reject = {address.lower() for address in reject}
        self.accepted = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.temp_fail > 0:
            self.temp_fail -= 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        parts = {"text/plain": None, "text/html": None}
        for part in message.walk():
            kind = part.get_content_type()
            if kind in parts and parts[kind] is None and not part.is_multipart():
                parts[kind] = part.get_content()
        self.accepted += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_to": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "reply_to": message["Reply-To"] and str(message["Reply-To"]),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
            "text": parts["text/plain"],
            "html": parts["text/html"],
            "secure": session.ssl is not None,
            "authenticated": bool(session.authenticated),
        }
        with open(self.out, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return f"250 2.0.0 Queued as {self.accepted}"


# A client that refuses the certificate (as a test means it to) is no news: keep the
# tests' output to what they say.
logging.getLogger("mail.log").setLevel(logging.CRITICAL)
warnings.filterwarnings("ignore", category=DeprecationWarning)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--temp-fail", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--login")
    args = parser.parse_args()
    handler = Capture(args.out, args.temp_fail, args.reject)
    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.login:
        user, password = args.login.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            given = (auth_data.login.decode(), auth_data.password.decode())
            return AuthResult(success=given == (user, password))

        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="capture.test", enable_SMTPUTF8=True, ident="capture", **options),
        "127.0.0.1",
        args.port,
    )
    port = server.sockets[0].getsockname()[1]
    print(f"listening on {port}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
