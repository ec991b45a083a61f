// The whole Verify Push flow with twilio-node, unmodified, against `verify-push sandbox`: the
// backend's side through the SDK, the phone's side through the sandbox's control API.
"use strict";

const { test, before, after, beforeEach } = require("node:test");
const assert = require("node:assert/strict");
const twilio = require("twilio");
const {
  startSandbox, Control, ControlError, clientFor, startReceiver, newIdentity, publicKey,
} = require("./sandbox");

const UNKNOWN_CHALLENGE = "YC" + "0".repeat(32);

let sandbox;
let control;
let client;
let service;

before(async () => {
  sandbox = await startSandbox();
  control = new Control(sandbox.control_url);
});

after(async () => {
  await sandbox.stop();
});

// Every test starts from an empty sandbox with its clock at the real time.
beforeEach(async () => {
  assert.deepEqual(await control.reset(), {});
  client = clientFor(sandbox);
  service = client.verify.v2.services(sandbox.service_sid);
});

/** A user whose virtual phone holds a verified push factor. */
async function enrolled() {
  const identity = newIdentity();
  const token = await service.accessTokens.create({ identity, factorType: "push" });
  // The access-token resource as twilio-node gives it (camelCase).
  const device = await control.enroll(token.toJSON());
  return { identity, factorSid: device.factor_sid };
}

function loginChallenge(identity, factorSid) {
  return service.entities(identity).challenges.create({
    factorSid,
    "details.message": "Log in to Owl Bank?",
    "details.fields": [
      { label: "Location", value: "Berlin" },
      { label: "Browser", value: "Firefox" },
    ],
    hiddenDetails: { ip: "172.168.1.234" },
  });
}

/** Resolves with the RestException `promise` rejects with. */
async function restError(promise) {
  await assert.rejects(promise, (error) => error instanceof twilio.RestException);
  try {
    await promise;
  } catch (error) {
    return error;
  }
}

async function controlError(promise) {
  await assert.rejects(promise, ControlError);
  try {
    await promise;
  } catch (error) {
    return error;
  }
}

async function unverifiedFactor(identity) {
  // What the mobile SDK's first call does, made with twilio-node itself: Basic `token` with
  // the access token as the password; the factor is created and left unverified.
  const token = await service.accessTokens.create({ identity, factorType: "push" });
  const device = clientFor(sandbox, "token", token.token);
  return device.verify.v2.services(sandbox.service_sid).entities(identity).newFactors.create({
    friendlyName: "unverified phone",
    factorType: "push",
    "binding.alg": "ES256",
    "binding.publicKey": publicKey(),
    "config.appId": "com.example.owlbank",
    "config.notificationPlatform": "none",
    "config.sdkVersion": "0.9.0",
  });
}

test("JSON line has the documented test defaults", () => {
  assert.match(sandbox.base_url, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
  assert.equal(sandbox.control_url, sandbox.base_url + "/_sandbox");
  assert.equal(sandbox.account_sid, "AC" + "0".repeat(32));
  assert.equal(sandbox.auth_token, "0".repeat(32));
  assert.equal(sandbox.service_sid, "VA" + "0".repeat(32));
});

test("access token create and fetch", async () => {
  const identity = newIdentity();
  const token = await service.accessTokens.create({
    identity, factorType: "push", factorFriendlyName: "Ana's phone", ttl: 120,
  });
  assert.match(token.sid, /^YK[0-9a-f]{32}$/);
  assert.equal(token.accountSid, sandbox.account_sid);
  assert.equal(token.serviceSid, sandbox.service_sid);
  assert.equal(token.entityIdentity, identity);
  assert.equal(token.factorType, "push");
  assert.equal(token.factorFriendlyName, "Ana's phone");
  assert.equal(token.ttl, 120);
  assert.ok(token.token);
  assert.ok(token.dateCreated instanceof Date && !isNaN(token.dateCreated));

  const fetched = await service.accessTokens(token.sid).fetch();
  assert.equal(fetched.sid, token.sid);
  assert.equal(fetched.token, token.token);
});

test("enroll from the SDK's access token (camelCase)", async () => {
  const identity = newIdentity();
  const token = await service.accessTokens.create({ identity, factorType: "push" });
  const device = await control.enroll(token.toJSON());
  assert.match(device.factor_sid, /^YF/);
  assert.equal(device.identity, identity);
  assert.equal(device.service_sid, sandbox.service_sid);
  assert.equal(device.status, "verified");

  const entity = await service.entities(identity).fetch();
  assert.equal(entity.identity, identity);
  assert.deepEqual((await service.entities.list()).map((e) => e.identity), [identity]);
});

test("enroll from the enrollment hand-off", async () => {
  const identity = newIdentity();
  const token = await service.accessTokens.create({ identity, factorType: "push" });
  const device = await control.enroll({
    token: token.token, serviceSid: token.serviceSid, identity, factorType: "push",
  });
  const factor = await service.entities(identity).factors(device.factor_sid).fetch();
  assert.equal(factor.status, "verified");
});

test("factor list and fetch", async () => {
  const { identity, factorSid } = await enrolled();
  const factors = await service.entities(identity).factors.list();
  assert.deepEqual(factors.map((f) => f.sid), [factorSid]);
  const factor = await service.entities(identity).factors(factorSid).fetch();
  assert.equal(factor.identity, identity);
  assert.equal(factor.factorType, "push");
  assert.equal(factor.status, "verified");
  assert.equal(factor.config.notification_platform, "none");
});

test("entity create and factor update", async () => {
  const { identity, factorSid } = await enrolled();
  const other = "user-a1b2c3d4e5f60718";
  const created = await service.entities.create({ identity: other });
  assert.equal(created.identity, other);
  assert.match(created.sid, /^YE/);
  assert.deepEqual((await service.entities.list()).map((e) => e.identity).sort(), [identity, other].sort());

  const duplicate = await restError(service.entities.create({ identity: other }));
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.code, 60301); // the entity already exists

  const updated = await service.entities(identity).factors(factorSid).update({ friendlyName: "Ana's Pixel" });
  assert.equal(updated.friendlyName, "Ana's Pixel");
  assert.equal((await service.entities(identity).factors(factorSid).fetch()).friendlyName, "Ana's Pixel");
});

test("challenge with details and hidden details, approved on the phone", async () => {
  const { identity, factorSid } = await enrolled();
  const challenge = await loginChallenge(identity, factorSid);
  assert.match(challenge.sid, /^YC/);
  assert.equal(challenge.status, "pending");
  assert.equal(challenge.details.message, "Log in to Owl Bank?");
  assert.deepEqual(challenge.details.fields, [
    { label: "Location", value: "Berlin" },
    { label: "Browser", value: "Firefox" },
  ]);
  assert.deepEqual(challenge.hiddenDetails, { ip: "172.168.1.234" });

  const pending = await control.challenges();
  assert.equal(pending.length, 1);
  assert.equal(pending[0].sid, challenge.sid);
  assert.equal(pending[0].factor_sid, factorSid);
  assert.equal(pending[0].identity, identity);
  assert.equal(pending[0].message, "Log in to Owl Bank?");
  assert.deepEqual(pending[0].fields, [
    { label: "Location", value: "Berlin" },
    { label: "Browser", value: "Firefox" },
  ]);
  assert.equal(pending[0].status, "pending");

  assert.deepEqual(await control.approve(challenge.sid), { sid: challenge.sid, status: "approved" });
  const fetched = await service.entities(identity).challenges(challenge.sid).fetch();
  assert.equal(fetched.status, "approved");
  assert.ok(fetched.dateResponded instanceof Date);
  assert.deepEqual(await control.challenges(), []);
});

test("challenge denied on the phone", async () => {
  const { identity, factorSid } = await enrolled();
  const challenge = await loginChallenge(identity, factorSid);
  assert.deepEqual(await control.deny(challenge.sid), { sid: challenge.sid, status: "denied" });
  assert.equal((await service.entities(identity).challenges(challenge.sid).fetch()).status, "denied");
  const denied = await service.entities(identity).challenges.list({ status: "denied" });
  assert.deepEqual(denied.map((c) => c.sid), [challenge.sid]);
  assert.deepEqual(await service.entities(identity).challenges.list({ status: "pending" }), []);
});

test("challenge expires when the clock advances", async () => {
  const { identity, factorSid } = await enrolled();
  const challenge = await loginChallenge(identity, factorSid);
  const { now } = await control.advance(301);
  assert.ok(!isNaN(Date.parse(now)));
  assert.equal((await service.entities(identity).challenges(challenge.sid).fetch()).status, "expired");
  assert.deepEqual(await control.challenges(), []);
  const error = await controlError(control.approve(challenge.sid));
  assert.equal(error.status, 409);
  assert.equal(error.body.code, "challenge_not_pending");
});

test("notification resend", async () => {
  const { identity, factorSid } = await enrolled();
  const challenge = await loginChallenge(identity, factorSid);
  const notification = await service.entities(identity).challenges(challenge.sid)
    .notifications.create({ ttl: 60 });
  assert.match(notification.sid, /^NT/);
  assert.equal(notification.challengeSid, challenge.sid);
  assert.equal(notification.identity, identity);
  assert.equal(notification.priority, "high");
  assert.equal(notification.ttl, 60);
});

test("webhook events are signed for validateRequest", async () => {
  const receiver = await startReceiver();
  try {
    const webhook = await service.webhooks.create({
      friendlyName: "backend", eventTypes: ["*"], webhookUrl: receiver.url,
    });
    assert.match(webhook.sid, /^YW/);
    assert.equal(webhook.status, "enabled");
    assert.equal(webhook.version, "v2");

    const { identity, factorSid } = await enrolled();
    const challenge = await loginChallenge(identity, factorSid);
    await control.approve(challenge.sid);

    const events = {};
    for (let i = 0; i < 3; i++) {
      const delivery = await receiver.next();
      assert.equal(delivery.url, receiver.url);
      assert.ok(
        twilio.validateRequest(sandbox.auth_token, delivery.signature, delivery.url, delivery.params),
        JSON.stringify(delivery.params),
      );
      const forged = { ...delivery.params, entity_identity: "someone-else" };
      assert.ok(!twilio.validateRequest(sandbox.auth_token, delivery.signature, delivery.url, forged));
      assert.ok(!twilio.validateRequest("another-auth-token", delivery.signature, delivery.url, delivery.params));
      // A form delivery has no bodySHA256 in its URL: the JSON-body validator must refuse it
      // rather than accept a body it did not hash.
      assert.match(delivery.contentType, /^application\/x-www-form-urlencoded/);
      assert.ok(!twilio.validateRequestWithBody(sandbox.auth_token, delivery.signature, delivery.url, delivery.body));
      events[delivery.params.type] = delivery.params;
    }
    assert.deepEqual(Object.keys(events).sort(), ["challenge.approved", "factor.created", "factor.verified"]);
    for (const params of Object.values(events)) {
      assert.equal(params.account_sid, sandbox.account_sid);
      assert.equal(params.service_sid, sandbox.service_sid);
      assert.equal(params.entity_identity, identity);
      assert.equal(params.factor_sid, factorSid);
    }
    const approved = events["challenge.approved"];
    assert.equal(approved.challenge_sid, challenge.sid);
    assert.equal(JSON.parse(approved.challenge_details).message, "Log in to Owl Bank?");
    assert.deepEqual(JSON.parse(approved.challenge_hidden_details), { ip: "172.168.1.234" });
  } finally {
    await receiver.stop();
  }
});

test("webhook signature over a URL with a query string", async () => {
  const receiver = await startReceiver();
  try {
    const url = `${receiver.url}?tenant=owl&region=eu`;
    await service.webhooks.create({ friendlyName: "q", eventTypes: ["factor.verified"], webhookUrl: url });
    await enrolled();
    const delivery = await receiver.next();
    assert.equal(delivery.url, url);
    assert.equal(delivery.params.type, "factor.verified");
    assert.ok(twilio.validateRequest(sandbox.auth_token, delivery.signature, url, delivery.params));
    assert.ok(!twilio.validateRequest(sandbox.auth_token, delivery.signature, receiver.url, delivery.params));
  } finally {
    await receiver.stop();
  }
});

test("webhook fetch, update, list and delete", async () => {
  const webhook = await service.webhooks.create({
    friendlyName: "backend", eventTypes: ["challenge.approved"], webhookUrl: "http://127.0.0.1:9/hook",
  });
  const updated = await service.webhooks(webhook.sid).update({
    eventTypes: ["challenge.approved", "challenge.denied"], status: "disabled",
  });
  assert.deepEqual([...updated.eventTypes].sort(), ["challenge.approved", "challenge.denied"]);
  assert.equal(updated.status, "disabled");
  assert.equal((await service.webhooks(webhook.sid).fetch()).status, "disabled");
  assert.deepEqual((await service.webhooks.list()).map((w) => w.sid), [webhook.sid]);
  assert.equal(await service.webhooks(webhook.sid).remove(), true);
  assert.deepEqual(await service.webhooks.list(), []);
});

test("factor delete", async () => {
  const { identity, factorSid } = await enrolled();
  assert.equal(await service.entities(identity).factors(factorSid).remove(), true);
  assert.deepEqual(await service.entities(identity).factors.list(), []);
  const error = await restError(service.entities(identity).factors(factorSid).fetch());
  assert.equal(error.status, 404);
  assert.equal(error.code, 60390); // Factor not found
});

test("entity delete", async () => {
  const { identity } = await enrolled();
  assert.equal(await service.entities(identity).remove(), true);
  assert.deepEqual(await service.entities.list(), []);
  const error = await restError(service.entities(identity).fetch());
  assert.equal(error.status, 404);
  assert.equal(error.code, 60392); // Entity not found
});

test("unknown challenge is RestException 60391", async () => {
  const { identity } = await enrolled();
  const error = await restError(service.entities(identity).challenges(UNKNOWN_CHALLENGE).fetch());
  assert.equal(error.status, 404);
  assert.equal(error.code, 60391); // Challenge not found
  assert.equal(error.moreInfo, "https://www.twilio.com/docs/errors/60391");
});

test("unknown access token and webhook are RestException 20404", async () => {
  for (const resource of [service.accessTokens("YK" + "0".repeat(32)), service.webhooks("YW" + "0".repeat(32))]) {
    const error = await restError(resource.fetch());
    assert.equal(error.status, 404);
    assert.equal(error.code, 20404);
    assert.equal(error.moreInfo, "https://www.twilio.com/docs/errors/20404");
  }
});

test("notification for an expired challenge is RestException 60323", async () => {
  const { identity, factorSid } = await enrolled();
  const challenge = await loginChallenge(identity, factorSid);
  await control.advance(301);
  const error = await restError(
    service.entities(identity).challenges(challenge.sid).notifications.create(),
  );
  assert.equal(error.status, 403);
  assert.equal(error.code, 60323);
});

test("challenge for an unverified factor is RestException 60318", async () => {
  const identity = newIdentity();
  const factor = await unverifiedFactor(identity);
  assert.match(factor.sid, /^YF/);
  assert.equal(factor.status, "unverified");
  const error = await restError(loginChallenge(identity, factor.sid));
  assert.equal(error.status, 403);
  assert.equal(error.code, 60318);
});

test("an unverified factor expires after an hour", async () => {
  const identity = newIdentity();
  const factor = await unverifiedFactor(identity);
  await control.advance(3601);
  const error = await restError(service.entities(identity).factors(factor.sid).fetch());
  assert.equal(error.status, 404);
  assert.equal(error.code, 60390);
});

test("missing details.message is RestException 60368", async () => {
  const { identity, factorSid } = await enrolled();
  const error = await restError(service.entities(identity).challenges.create({ factorSid }));
  assert.equal(error.status, 400);
  assert.equal(error.code, 60368);
});

test("wrong auth token is RestException 20003", async () => {
  const wrong = clientFor(sandbox, sandbox.account_sid, "not-the-auth-token");
  const error = await restError(
    wrong.verify.v2.services(sandbox.service_sid).accessTokens.create({ identity: "user-00000001", factorType: "push" }),
  );
  assert.equal(error.status, 401);
  assert.equal(error.code, 20003);
});

test("control API errors are JSON with a code", async () => {
  const error = await controlError(control.approve(UNKNOWN_CHALLENGE));
  assert.equal(error.status, 404);
  assert.equal(error.body.code, "unknown_challenge");
  assert.ok(error.body.message);
  const enrollment = await controlError(control.enroll({ token: "not-an-access-token" }));
  assert.equal(enrollment.status, 400);
  assert.equal(enrollment.body.code, "invalid_enrollment");
  const seconds = await controlError(control.advance(-5));
  assert.equal(seconds.status, 400);
  assert.equal(seconds.body.code, "invalid_seconds");
});

test("reset forgets everything", async () => {
  const { identity, factorSid } = await enrolled();
  await loginChallenge(identity, factorSid);
  await service.webhooks.create({ friendlyName: "b", eventTypes: ["*"], webhookUrl: "http://127.0.0.1:9/hook" });
  assert.deepEqual(await control.reset(), {});
  assert.deepEqual(await service.entities.list(), []);
  assert.deepEqual(await service.webhooks.list(), []);
  assert.deepEqual(await control.challenges(), []);
});

test("services create, fetch, update, list and delete", async () => {
  const services = client.verify.v2.services;
  const created = await services.create({
    friendlyName: "Owl Bank tests",
    "push.includeDate": true,
    "push.apnCredentialSid": "CR" + "1".repeat(32),
    "push.fcmCredentialSid": "CR" + "2".repeat(32),
  });
  assert.match(created.sid, /^VA/);
  assert.notEqual(created.sid, sandbox.service_sid);
  assert.equal(created.friendlyName, "Owl Bank tests");
  assert.equal(created.push.include_date, true);
  assert.equal(created.push.apn_credential_sid, "CR" + "1".repeat(32));
  assert.equal(created.push.fcm_credential_sid, "CR" + "2".repeat(32));

  assert.equal((await services(created.sid).fetch()).friendlyName, "Owl Bank tests");
  const updated = await services(created.sid).update({ friendlyName: "Owl Bank staging" });
  assert.equal(updated.friendlyName, "Owl Bank staging");
  assert.deepEqual(
    (await services.list()).map((s) => s.sid).sort(),
    [sandbox.service_sid, created.sid].sort(),
  );

  // Each service keeps its own data.
  const token = await services(created.sid).accessTokens.create({ identity: "user-00000002", factorType: "push" });
  assert.equal(token.serviceSid, created.sid);
  const elsewhere = await restError(services(sandbox.service_sid).accessTokens(token.sid).fetch());
  assert.equal(elsewhere.code, 20404);

  // Push.IncludeDate: the challenge's details carry the date, on this service only.
  const device = await control.enroll(token.toJSON());
  const challenge = await services(created.sid).entities("user-00000002").challenges.create({
    factorSid: device.factor_sid, "details.message": "Log in?" });
  assert.ok(challenge.details.date);
  assert.equal((await control.approve(challenge.sid)).status, "approved");
  assert.equal((await services(created.sid).entities("user-00000002").challenges(challenge.sid).fetch()).status, "approved");

  assert.equal(await services(created.sid).remove(), true);
  const gone = await restError(services(created.sid).fetch());
  assert.equal(gone.status, 404);
  assert.equal(gone.code, 20404);
});
