#!/usr/bin/env python3
"""A fake CarePlan Link relay for the client's tests (Python 3 standard library only).

Speaks the relay API of docs/protocol.md "Relay API (as built)" over HTTPS with required client
certificates, keeps everything in memory, and can be told to misbehave. Not a reference relay: it
implements what the client needs to be tested against, plus scripted faults.

Usage:
  fake_relay.py --cert SERVER.pem --key SERVER.key --ca CLIENT-CA.pem --log REQUESTS.jsonl
                [--faults FAULTS.json] [--tls-max 1.2] [--max-body BYTES] [--crl CRL.pem]
                [--known OFFICE]... [--disabled OFFICE]...

Prints "PORT <n>" on stdout once it listens on 127.0.0.1:<n>, then serves until killed.

Every request (after its body is read, before it is answered) is appended to the log as one JSON
line: n, connection (a number per TLS connection), office, method, path, headers (lower-case
names), body_size, body_sha256.

The faults file is a JSON list of rules, re-read whenever its content changes (counters restart).
The first rule that matches a request and has uses left decides what happens:
  match:   "method", "path" (exact), "path_prefix"; absent = any
  "times": how many requests the rule applies to (default 1; 0 = unlimited)
  then one of
    "status": S with optional "error" (JSON error body), "body" (raw text), "retry_after", "headers"
    "close": true          read the request, then close the connection without an answer
    "truncate": true       announce a body of 100 bytes, send 10, close
    "sleep": SECONDS       wait, then answer normally (or as "status" says, if given)
    "wrong_sha256": true   answer a download normally but with another X-Content-SHA256
"""

import argparse
import hashlib
import http.server
import json
import os
import re
import socket
import socketserver
import ssl
import sys
import threading
import time

MESSAGE_ID = re.compile(r"^[0-9A-Za-z._-]{1,64}$")
OFFICE = re.compile(r"^[0-9]{10}$")


class Store:
    """The relay's state: offices seen, pending and acknowledged messages."""

    def __init__(self, known, disabled):
        self.lock = threading.Lock()
        self.offices = {}  # number -> {"name", "enabled", "certificates": [PEM, newest first]}
        self.messages = {}  # (recipient, id) -> message dict
        self.sequence = 0
        for number in known + disabled:
            self.offices[number] = {"name": number, "enabled": number not in disabled, "certificates": []}

    def seen(self, office, name, pem):
        with self.lock:
            entry = self.offices.setdefault(office, {"name": name, "enabled": True, "certificates": []})
            if pem not in entry["certificates"]:
                entry["certificates"].insert(0, pem)


class Faults:
    """Scripted misbehaviour, read from a JSON file that tests rewrite between requests."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.text = None
        self.rules = []

    def take(self, method, path):
        with self.lock:
            self._reload()
            for rule in self.rules:
                if rule.get("method", method) != method:
                    continue
                if "path" in rule and rule["path"] != path:
                    continue
                if "path_prefix" in rule and not path.startswith(rule["path_prefix"]):
                    continue
                times = rule.get("times", 1)
                if times != 0 and rule["_used"] >= times:
                    continue
                rule["_used"] += 1
                return rule
        return None

    def _reload(self):
        if not self.path or not os.path.exists(self.path):
            return
        with open(self.path, encoding="utf-8") as f:
            text = f.read()
        if text != self.text:
            self.text = text
            self.rules = json.loads(text) if text.strip() else []
            if not isinstance(self.rules, list) or not all(isinstance(rule, dict) for rule in self.rules):
                raise ValueError("the faults file must hold a JSON list of rule objects")
            for rule in self.rules:
                rule["_used"] = 0


class RequestLog:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.file = open(path, "a", encoding="utf-8")
        self.count = 0

    def record(self, entry):
        with self.lock:
            self.count += 1
            entry["n"] = self.count
            self.file.write(json.dumps(entry) + "\n")
            self.file.flush()


def utc_now():
    return int(time.time())  # docs/protocol.md: times are seconds since the epoch


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real relay
    server_version = "fake-relay"

    def log_message(self, format, *args):  # quiet: the request log is what tests read
        pass

    def setup(self):
        super().setup()
        self.connection_number = self.server.next_connection()
        der = self.connection.getpeercert(binary_form=True)
        subject = dict(item for rdn in self.connection.getpeercert()["subject"] for item in rdn)
        self.office = subject.get("serialNumber", "")
        self.server.store.seen(self.office, subject.get("commonName", ""), ssl.DER_cert_to_PEM_cert(der))

    def do_GET(self):
        self.handle_api("GET")

    def do_POST(self):
        self.handle_api("POST")

    def do_DELETE(self):
        self.handle_api("DELETE")

    # --- plumbing -----------------------------------------------------------------------------

    def handle_api(self, method):
        body = self.read_body()
        if body is None:
            return
        self.server.log.record({
            "connection": self.connection_number,
            "office": self.office,
            "method": method,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body_size": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
        })
        rule = self.server.faults.take(method, self.path)
        if rule is not None:
            if "sleep" in rule:
                time.sleep(rule["sleep"])
            if rule.get("close"):
                self.close_connection = True
                return
            if rule.get("truncate"):
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b'{"messages":')
                self.wfile.flush()
                self.close_connection = True
                return
            if "status" in rule:
                self.answer_rule(rule)
                return
        self.route(method, body, rule or {})

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is None:
            if self.command == "POST":
                self.send_error_json(411, "length_required", "Content-Length required")
                return None
            return b""
        return self.rfile.read(int(length))

    def answer_rule(self, rule):
        if "body" in rule:
            payload = rule["body"].encode("utf-8")
            content_type = "application/json; charset=utf-8"
        else:
            error = rule.get("error", "internal")
            payload = json.dumps({"error": error, "message": "injected " + error}).encode()
            content_type = "application/json; charset=utf-8"
        headers = dict(rule.get("headers", {}))
        if "retry_after" in rule:
            headers["Retry-After"] = str(rule["retry_after"])
        self.send(rule["status"], payload, content_type, headers)

    def send(self, status, payload, content_type="application/json; charset=utf-8", headers=None):
        self.send_response(status)
        if payload or status != 204:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def send_json(self, status, document):
        self.send(status, json.dumps(document).encode("utf-8"))

    def send_error_json(self, status, code, message):
        self.send_json(status, {"error": code, "message": message})

    # --- the API ------------------------------------------------------------------------------

    def route(self, method, body, rule):
        path, _, query = self.path.partition("?")
        if method == "POST" and path == "/v1/messages":
            return self.upload(body)
        if method == "GET" and path == "/v1/inbox":
            return self.inbox(query)
        if path.startswith("/v1/messages/"):
            message_id = path[len("/v1/messages/"):]
            if method == "GET":
                return self.download(message_id, rule)
            if method == "DELETE":
                return self.acknowledge(message_id)
        if method == "GET" and path.startswith("/v1/offices/"):
            return self.office_entry(path[len("/v1/offices/"):])
        if method == "GET" and path == "/v1/crl":
            return self.crl()
        if method == "GET" and path == "/healthz":
            return self.send_json(200, {"status": "ok", "storage": "memory"})
        self.send_error_json(404, "not_found", "no such resource")

    def upload(self, body):
        message_id = self.headers.get("X-Message-Id", "")
        recipient = self.headers.get("X-Recipient-Office", "")
        kind = self.headers.get("X-Message-Kind", "envelope")
        if not MESSAGE_ID.match(message_id) or not OFFICE.match(recipient) or recipient == self.office \
                or kind not in ("envelope", "receipt"):
            return self.send_error_json(400, "bad_request", "bad message headers")
        if len(body) > self.server.max_body:
            return self.send_error_json(413, "too_large", "body over the limit")
        store = self.server.store
        with store.lock:
            sender_entry = store.offices.get(self.office)
            if sender_entry is not None and not sender_entry["enabled"]:
                return self.send_error_json(403, "sender_disabled", "sender disabled")
            recipient_entry = store.offices.get(recipient)
            if recipient_entry is None:
                return self.send_error_json(404, "unknown_recipient", "unknown recipient")
            if not recipient_entry["enabled"]:
                return self.send_error_json(403, "recipient_disabled", "recipient disabled")
            digest = hashlib.sha256(body).hexdigest()
            existing = store.messages.get((recipient, message_id))
            if existing is not None:
                if existing["sender"] != self.office or existing["sha256"] != digest:
                    return self.send_error_json(409, "conflict", "message id taken")
                return self.send_json(201, existing["answer"])
            store.sequence += 1
            answer = {"message_id": message_id, "sha256": digest, "received_at": utc_now()}
            store.messages[(recipient, message_id)] = {
                "sender": self.office, "kind": kind, "body": body, "sha256": digest,
                "received_at": answer["received_at"], "sequence": store.sequence,
                "acknowledged": False, "answer": answer,
            }
        self.send_json(201, answer)

    def pending(self):
        store = self.server.store
        with store.lock:
            mine = [(m["sequence"], key[1], m) for key, m in store.messages.items()
                    if key[0] == self.office and not m["acknowledged"]]
        return sorted(mine, key=lambda item: item[0])

    def inbox(self, query):
        limit = 1000
        for part in query.split("&"):
            if part.startswith("limit="):
                limit = min(int(part[len("limit="):]), 1000)
        entries = [{"message_id": message_id, "from": m["sender"], "kind": m["kind"], "size": len(m["body"]),
                    "sha256": m["sha256"], "received_at": m["received_at"]}
                   for _, message_id, m in self.pending()[:limit]]
        self.send_json(200, {"messages": entries})

    def find_pending(self, message_id):
        store = self.server.store
        with store.lock:
            message = store.messages.get((self.office, message_id))
            if message is None or message["acknowledged"]:
                return None
            return message

    def download(self, message_id, rule):
        message = self.find_pending(message_id)
        if message is None:
            return self.send_error_json(404, "not_found", "not pending")
        digest = message["sha256"]
        if rule.get("wrong_sha256"):
            digest = hashlib.sha256(message["body"] + b"x").hexdigest()
        self.send(200, message["body"], "application/cms", {
            "X-Sender-Office": message["sender"], "X-Message-Kind": message["kind"],
            "X-Content-SHA256": digest})

    def acknowledge(self, message_id):
        message = self.find_pending(message_id)
        if message is None:
            return self.send_error_json(404, "not_found", "not pending")
        with self.server.store.lock:
            message["acknowledged"] = True
            message["body"] = b""
        self.send(204, b"")

    def office_entry(self, number):
        store = self.server.store
        with store.lock:
            entry = store.offices.get(number)
            if entry is None:
                return self.send_error_json(404, "not_found", "unknown office")
            document = {"office": number, "name": entry["name"], "enabled": entry["enabled"],
                        "certificates": list(entry["certificates"])}
        self.send_json(200, document)

    def crl(self):
        if not self.server.crl_path:
            return self.send_error_json(404, "not_found", "no CRL configured")
        with open(self.server.crl_path, "rb") as f:
            self.send(200, f.read(), "application/pkix-crl")


def linger(sock):
    """Closes gracefully after a refused handshake: the TLS alert has been sent; stop sending, then
    read what the client still sends until it closes. Under TLS 1.3 the client has already sent its
    request when the alert arrives; closing with those bytes unread makes the kernel send a reset,
    which can destroy the alert in the client's receive buffer (the client then sees only "connection
    reset", not why). The real relay should close the same way."""
    try:
        sock.shutdown(socket.SHUT_WR)  # on an SSLSocket this also drops the TLS layer: plain reads follow
        sock.settimeout(5)
        while sock.recv(65536):
            pass
    except OSError:
        pass


class FakeRelay(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, context, args):
        super().__init__(("127.0.0.1", 0), Handler)
        self.context = context
        self.store = Store(args.known, args.disabled)
        self.faults = Faults(args.faults)
        self.log = RequestLog(args.log)
        self.max_body = args.max_body
        self.crl_path = args.crl
        self.connections = 0
        self.connections_lock = threading.Lock()

    def next_connection(self):
        with self.connections_lock:
            self.connections += 1
            return self.connections

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, in the connection's own thread, so a client that stalls or fails
        # its handshake does not hold up the others. A refused client certificate ends it with an alert.
        tls = self.context.wrap_socket(request, server_side=True, do_handshake_on_connect=False)
        try:
            tls.do_handshake()
        except (ssl.SSLError, OSError) as e:
            print("handshake failed: %s" % e, file=sys.stderr, flush=True)
            linger(tls)
            tls.close()
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        except (ssl.SSLError, OSError) as e:
            print("connection error: %s" % e, file=sys.stderr, flush=True)
        finally:
            try:
                tls.close()
            except OSError:
                pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--faults")
    parser.add_argument("--tls-max", choices=["1.2", "1.3"], default="1.3")
    parser.add_argument("--max-body", type=int, default=16 << 20)
    parser.add_argument("--crl")
    parser.add_argument("--known", action="append", default=[])
    parser.add_argument("--disabled", action="append", default=[])
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.maximum_version = ssl.TLSVersion.TLSv1_2 if args.tls_max == "1.2" else ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(args.cert, args.key)
    context.load_verify_locations(args.ca)
    context.verify_mode = ssl.CERT_REQUIRED  # no HTTP without a client certificate from the CA

    server = FakeRelay(context, args)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
