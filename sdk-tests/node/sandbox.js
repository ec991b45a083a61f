// Helpers of the twilio-node suite: one `verify-push sandbox --test-defaults --json` per run,
// a Twilio client pointed at it, the control API of its virtual phone, and a local HTTP server
// that receives webhooks.
//
// The sandbox binary is $VERIFY_PUSH_BIN, else $CARGO_TARGET_DIR/debug/verify-push, else
// target/debug/verify-push at the root of the checkout (`cargo build -p verify-push-cli`).
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const readline = require("node:readline");
const crypto = require("node:crypto");
const twilio = require("twilio");

const ROOT = path.resolve(__dirname, "..", "..");

function sandboxBinary() {
  if (process.env.VERIFY_PUSH_BIN) return process.env.VERIFY_PUSH_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(ROOT, "target");
  return path.join(target, "debug", "verify-push");
}

/** Starts the sandbox and resolves with its JSON line plus `stop()`. */
async function startSandbox() {
  const binary = sandboxBinary();
  if (!fs.existsSync(binary)) {
    throw new Error(`${binary} not found: run \`cargo build -p verify-push-cli\` or set VERIFY_PUSH_BIN`);
  }
  // The sandbox reads TWILIO_* from the environment; the suite wants the test defaults.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("TWILIO_")),
  );
  const child = spawn(binary, ["sandbox", "--test-defaults", "--json"], {
    env,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const line = await new Promise((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the sandbox exited (${code}) before its JSON line`)));
    child.once("error", reject);
  });
  const info = JSON.parse(line);
  return {
    ...info,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

class ControlError extends Error {
  constructor(status, body) {
    super(`${status}: ${JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

/** The sandbox's control API (the virtual phone and the clock), over plain HTTP. */
class Control {
  constructor(url) {
    this.url = url;
  }

  async request(method, path, body) {
    const response = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ControlError(response.status, json);
    return json;
  }

  enroll(accessToken) {
    return this.request("POST", "/devices", accessToken);
  }
  async challenges() {
    return (await this.request("GET", "/challenges")).challenges;
  }
  approve(sid) {
    return this.request("POST", `/challenges/${sid}/approve`);
  }
  deny(sid) {
    return this.request("POST", `/challenges/${sid}/deny`);
  }
  advance(seconds) {
    return this.request("POST", "/clock/advance", { seconds });
  }
  reset() {
    return this.request("POST", "/reset");
  }
}

/** A Twilio client for the sandbox: the one change a backend makes is the base URL. */
function clientFor(sandbox, username = sandbox.account_sid, password = sandbox.auth_token) {
  const client = twilio(username, password, { accountSid: sandbox.account_sid });
  client.verify.baseUrl = sandbox.base_url;
  return client;
}

/** A webhook receiver on 127.0.0.1; `next()` resolves with the next delivery. */
async function startReceiver() {
  const queued = [];
  const waiting = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const delivery = {
        url: `http://${request.headers.host}${request.url}`,
        params: Object.fromEntries(new URLSearchParams(body)),
        signature: request.headers["x-twilio-signature"],
        contentType: request.headers["content-type"],
        body,
      };
      response.writeHead(204).end();
      const waiter = waiting.shift();
      if (waiter) waiter(delivery);
      else queued.push(delivery);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/verify-events`,
    next(timeoutMs = 5000) {
      if (queued.length) return Promise.resolve(queued.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no webhook delivery")), timeoutMs);
        waiting.push((delivery) => {
          clearTimeout(timer);
          resolve(delivery);
        });
      });
    },
    stop() {
      // The sandbox keeps its delivery connections alive; close() alone would wait for them.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      return closed;
    },
  };
}

function newIdentity() {
  return "user-" + crypto.randomBytes(8).toString("hex");
}

/** A fresh P-256 public key, base64 DER SubjectPublicKeyInfo, as the mobile SDK sends it. */
function publicKey() {
  const { publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  return publicKey.export({ type: "spki", format: "der" }).toString("base64");
}

module.exports = { startSandbox, Control, ControlError, clientFor, startReceiver, newIdentity, publicKey };
