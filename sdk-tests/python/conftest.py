"""Fixtures of the twilio-python suite: one `verify-push sandbox --test-defaults --json` per run,
a twilio.rest.Client pointed at it, the control API of its virtual phone, a reset before every
test, and a local HTTP server that receives webhooks.

The sandbox binary is $VERIFY_PUSH_BIN, else $CARGO_TARGET_DIR/debug/verify-push, else
target/debug/verify-push at the root of the checkout (build it with
`cargo build -p verify-push-cli`)."""

import http.server
import json
import os
import pathlib
import queue
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from twilio.rest import Client

ROOT = pathlib.Path(__file__).resolve().parents[2]


def sandbox_binary():
    if os.environ.get("VERIFY_PUSH_BIN"):
        return pathlib.Path(os.environ["VERIFY_PUSH_BIN"])
    target = os.environ.get("CARGO_TARGET_DIR") or str(ROOT / "target")
    return pathlib.Path(target) / "debug" / "verify-push"


class Sandbox:
    """The running sandbox: what its one JSON line said, and its process."""

    def __init__(self):
        binary = sandbox_binary()
        if not binary.exists():
            raise RuntimeError(
                f"{binary} not found: run `cargo build -p verify-push-cli` or set VERIFY_PUSH_BIN"
            )
        # The sandbox reads TWILIO_* from the environment; the suite wants the test defaults.
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
        self.process = subprocess.Popen(
            [str(binary), "sandbox", "--test-defaults", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line:
            self.process.kill()
            raise RuntimeError("the sandbox exited without printing its JSON line")
        info = json.loads(line)
        self.base_url = info["base_url"]
        self.account_sid = info["account_sid"]
        self.auth_token = info["auth_token"]
        self.service_sid = info["service_sid"]
        self.control_url = info["control_url"]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ControlError(Exception):
    def __init__(self, status, body):
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body


class Control:
    """The sandbox's control API (the virtual phone and the clock), over plain HTTP."""

    def __init__(self, url):
        self.url = url

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"} if data is not None else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise ControlError(error.code, json.loads(error.read() or b"null")) from None

    def enroll(self, access_token_json):
        return self.request("POST", "/devices", access_token_json)[1]

    def challenges(self):
        return self.request("GET", "/challenges")[1]["challenges"]

    def approve(self, sid):
        return self.request("POST", f"/challenges/{sid}/approve")[1]

    def deny(self, sid):
        return self.request("POST", f"/challenges/{sid}/deny")[1]

    def advance(self, seconds):
        return self.request("POST", "/clock/advance", {"seconds": seconds})[1]

    def reset(self):
        return self.request("POST", "/reset")[1]


@pytest.fixture(scope="session")
def sandbox():
    running = Sandbox()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def control(sandbox):
    return Control(sandbox.control_url)


@pytest.fixture(autouse=True)
def fresh(control):
    """Every test starts from an empty sandbox with its clock at the real time."""
    control.reset()
    yield


@pytest.fixture
def client(sandbox):
    client = Client(sandbox.account_sid, sandbox.auth_token)
    # The only change a backend makes to use the sandbox instead of Twilio.
    client.verify.base_url = sandbox.base_url
    return client


@pytest.fixture
def service(client, sandbox):
    return client.verify.v2.services(sandbox.service_sid)


@pytest.fixture
def identity():
    return "user-" + uuid.uuid4().hex[:16]


def access_token_json(token):
    """The access-token resource as twilio-python gives it, in its own (snake_case) names."""
    return {
        "sid": token.sid,
        "account_sid": token.account_sid,
        "service_sid": token.service_sid,
        "entity_identity": token.entity_identity,
        "factor_type": token.factor_type,
        "factor_friendly_name": token.factor_friendly_name,
        "token": token.token,
        "url": token.url,
        "ttl": token.ttl,
    }


@pytest.fixture
def enrolled(service, control, identity):
    """A user whose virtual phone holds a verified push factor: (identity, factor_sid)."""
    token = service.access_tokens.create(identity=identity, factor_type="push")
    device = control.enroll(access_token_json(token))
    return identity, device["factor_sid"]


class Receiver:
    """A webhook receiver on 127.0.0.1: every POST is queued as (url, params, signature, body)."""

    def __init__(self):
        events = queue.Queue()
        self.events = events

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                url = f"http://{self.headers['Host']}{self.path}"
                params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                events.put((url, params, self.headers.get("X-Twilio-Signature"), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/verify-events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def next(self, timeout=5):
        return self.events.get(timeout=timeout)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()
