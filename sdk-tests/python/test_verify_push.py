"""The whole Verify Push flow with twilio-python, unmodified, against `verify-push sandbox`:
the backend's side through the SDK, the phone's side through the sandbox's control API."""

import json
import re

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from conftest import ControlError, access_token_json

# A P-256 public key (base64 DER SubjectPublicKeyInfo), for a factor created through the SDK
# and never verified (the SDK has no key pair to sign with; the control API's phone has its own).
PUBLIC_KEY = (
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEBiun4oyFmN8jXkh2RNivIvWtFIeXbochHcF3fKy8CGOdGDEXJGDj"
    "pbmRffNylt70Vb7Uzukp6g/P7i5aMrjR5A=="
)
UNKNOWN_CHALLENGE = "YC" + "0" * 32


def login_challenge(service, identity, factor_sid, **extra):
    return service.entities(identity).challenges.create(
        factor_sid=factor_sid,
        details_message="Log in to Owl Bank?",
        details_fields=[
            {"label": "Location", "value": "Berlin"},
            {"label": "Browser", "value": "Firefox"},
        ],
        hidden_details={"ip": "172.168.1.234"},
        **extra,
    )


def test_json_line_has_the_documented_test_defaults(sandbox):
    assert re.fullmatch(r"http://127\.0\.0\.1:[0-9]+", sandbox.base_url)
    assert sandbox.control_url == sandbox.base_url + "/_sandbox"
    assert sandbox.account_sid == "AC" + "0" * 32
    assert sandbox.auth_token == "0" * 32
    assert sandbox.service_sid == "VA" + "0" * 32


def test_access_token_create_and_fetch(service, sandbox, identity):
    token = service.access_tokens.create(
        identity=identity, factor_type="push", factor_friendly_name="Ana's phone", ttl=120
    )
    assert token.sid.startswith("YK")
    assert token.account_sid == sandbox.account_sid
    assert token.service_sid == sandbox.service_sid
    assert token.entity_identity == identity
    assert token.factor_type == "push"
    assert token.factor_friendly_name == "Ana's phone"
    assert token.ttl == 120
    assert token.token
    assert token.date_created is not None

    fetched = service.access_tokens(token.sid).fetch()
    assert fetched.sid == token.sid
    assert fetched.token == token.token
    assert fetched.entity_identity == identity


def test_enroll_from_the_sdk_access_token(service, control, identity, sandbox):
    token = service.access_tokens.create(identity=identity, factor_type="push")
    device = control.enroll(access_token_json(token))
    assert device["factor_sid"].startswith("YF")
    assert device["identity"] == identity
    assert device["service_sid"] == sandbox.service_sid
    assert device["status"] == "verified"

    entity = service.entities(identity).fetch()
    assert entity.identity == identity
    assert entity.sid.startswith("YE")
    assert [e.identity for e in service.entities.list()] == [identity]


def test_enroll_from_the_enrollment_hand_off(service, control, identity):
    token = service.access_tokens.create(identity=identity, factor_type="push")
    hand_off = {
        "token": token.token,
        "serviceSid": token.service_sid,
        "identity": token.entity_identity,
        "factorType": token.factor_type,
    }
    device = control.enroll(hand_off)
    factor = service.entities(identity).factors(device["factor_sid"]).fetch()
    assert factor.status == "verified"


def test_factor_list_and_fetch(service, enrolled):
    identity, factor_sid = enrolled
    factors = service.entities(identity).factors.list()
    assert [f.sid for f in factors] == [factor_sid]

    factor = service.entities(identity).factors(factor_sid).fetch()
    assert factor.sid == factor_sid
    assert factor.identity == identity
    assert factor.factor_type == "push"
    assert factor.status == "verified"
    assert factor.config["notification_platform"] == "none"
    assert factor.config["credential_sid"]


def test_entity_create_and_factor_update(service, enrolled):
    identity, factor_sid = enrolled
    other = "user-" + "a1b2c3d4e5f60718"
    created = service.entities.create(identity=other)
    assert created.identity == other
    assert created.sid.startswith("YE")
    assert sorted(e.identity for e in service.entities.list()) == sorted([identity, other])

    with pytest.raises(TwilioRestException) as raised:
        service.entities.create(identity=other)
    assert raised.value.status == 409
    assert raised.value.code == 60301  # the entity already exists

    updated = service.entities(identity).factors(factor_sid).update(friendly_name="Ana's Pixel")
    assert updated.friendly_name == "Ana's Pixel"
    assert service.entities(identity).factors(factor_sid).fetch().friendly_name == "Ana's Pixel"


def test_challenge_with_details_is_approved_on_the_phone(service, control, enrolled):
    identity, factor_sid = enrolled
    challenge = login_challenge(service, identity, factor_sid)
    assert challenge.sid.startswith("YC")
    assert challenge.status == "pending"
    assert challenge.factor_sid == factor_sid
    assert challenge.details["message"] == "Log in to Owl Bank?"
    assert challenge.details["fields"] == [
        {"label": "Location", "value": "Berlin"},
        {"label": "Browser", "value": "Firefox"},
    ]
    assert challenge.hidden_details == {"ip": "172.168.1.234"}

    pending = control.challenges()
    assert len(pending) == 1
    assert pending[0]["sid"] == challenge.sid
    assert pending[0]["factor_sid"] == factor_sid
    assert pending[0]["identity"] == identity
    assert pending[0]["message"] == "Log in to Owl Bank?"
    assert pending[0]["fields"] == [
        {"label": "Location", "value": "Berlin"},
        {"label": "Browser", "value": "Firefox"},
    ]
    assert pending[0]["status"] == "pending"

    assert control.approve(challenge.sid) == {"sid": challenge.sid, "status": "approved"}
    fetched = service.entities(identity).challenges(challenge.sid).fetch()
    assert fetched.status == "approved"
    assert fetched.date_responded is not None
    assert control.challenges() == []


def test_challenge_denied_on_the_phone(service, control, enrolled):
    identity, factor_sid = enrolled
    challenge = login_challenge(service, identity, factor_sid)
    assert control.deny(challenge.sid) == {"sid": challenge.sid, "status": "denied"}
    assert service.entities(identity).challenges(challenge.sid).fetch().status == "denied"

    listed = service.entities(identity).challenges.list(status="denied")
    assert [c.sid for c in listed] == [challenge.sid]
    assert service.entities(identity).challenges.list(status="pending") == []


def test_challenge_expires_when_the_clock_advances(service, control, enrolled):
    identity, factor_sid = enrolled
    challenge = login_challenge(service, identity, factor_sid)
    control.advance(301)
    fetched = service.entities(identity).challenges(challenge.sid).fetch()
    assert fetched.status == "expired"
    assert control.challenges() == []
    # The phone can no longer answer it.
    with pytest.raises(ControlError) as raised:
        control.approve(challenge.sid)
    assert raised.value.status == 409
    assert raised.value.body["code"] == "challenge_not_pending"


def test_notification_resend(service, enrolled):
    identity, factor_sid = enrolled
    challenge = login_challenge(service, identity, factor_sid)
    notification = (
        service.entities(identity).challenges(challenge.sid).notifications.create(ttl=60)
    )
    assert notification.sid.startswith("NT")
    assert notification.challenge_sid == challenge.sid
    assert notification.identity == identity
    assert notification.priority == "high"
    assert notification.ttl == 60


def test_webhook_events_are_signed_for_request_validator(
    service, control, identity, receiver, sandbox
):
    webhook = service.webhooks.create(
        friendly_name="backend", event_types=["*"], webhook_url=receiver.url
    )
    assert webhook.sid.startswith("YW")
    assert webhook.status == "enabled"
    assert webhook.version == "v2"

    token = service.access_tokens.create(identity=identity, factor_type="push")
    factor_sid = control.enroll(access_token_json(token))["factor_sid"]
    challenge = login_challenge(service, identity, factor_sid)
    control.approve(challenge.sid)

    validator = RequestValidator(sandbox.auth_token)
    events = {}
    for _ in range(3):
        url, params, signature, _body = receiver.next()
        assert url == receiver.url
        assert validator.validate(url, params, signature), params
        forged = dict(params, entity_identity="someone-else")
        assert not validator.validate(url, forged, signature)
        events[params["type"]] = params
    assert set(events) == {"factor.created", "factor.verified", "challenge.approved"}
    for params in events.values():
        assert params["account_sid"] == sandbox.account_sid
        assert params["service_sid"] == sandbox.service_sid
        assert params["entity_identity"] == identity
        assert params["factor_sid"] == factor_sid
        assert params["factor_type"] == "push"
    approved = events["challenge.approved"]
    assert approved["challenge_sid"] == challenge.sid
    assert json.loads(approved["challenge_details"])["message"] == "Log in to Owl Bank?"
    assert json.loads(approved["challenge_hidden_details"]) == {"ip": "172.168.1.234"}


def test_webhook_fetch_update_list_delete(service, receiver):
    webhook = service.webhooks.create(
        friendly_name="backend", event_types=["challenge.approved"], webhook_url=receiver.url
    )
    updated = service.webhooks(webhook.sid).update(
        event_types=["challenge.approved", "challenge.denied"], status="disabled"
    )
    assert sorted(updated.event_types) == ["challenge.approved", "challenge.denied"]
    assert updated.status == "disabled"
    assert service.webhooks(webhook.sid).fetch().status == "disabled"
    assert [w.sid for w in service.webhooks.list()] == [webhook.sid]
    assert service.webhooks(webhook.sid).delete() is True
    assert service.webhooks.list() == []


def test_factor_delete(service, enrolled):
    identity, factor_sid = enrolled
    assert service.entities(identity).factors(factor_sid).delete() is True
    assert service.entities(identity).factors.list() == []
    with pytest.raises(TwilioRestException) as raised:
        service.entities(identity).factors(factor_sid).fetch()
    assert raised.value.status == 404
    assert raised.value.code == 60390  # Factor not found


def test_entity_delete(service, enrolled):
    identity, _ = enrolled
    assert service.entities(identity).delete() is True
    assert service.entities.list() == []
    with pytest.raises(TwilioRestException) as raised:
        service.entities(identity).fetch()
    assert raised.value.status == 404
    assert raised.value.code == 60392  # Entity not found


def test_unknown_challenge_is_60391(service, enrolled):
    identity, _ = enrolled
    with pytest.raises(TwilioRestException) as raised:
        service.entities(identity).challenges(UNKNOWN_CHALLENGE).fetch()
    assert raised.value.status == 404
    assert raised.value.code == 60391  # Challenge not found
    assert raised.value.msg


def test_unknown_access_token_and_webhook_are_20404(service):
    for resource in (service.access_tokens("YK" + "0" * 32), service.webhooks("YW" + "0" * 32)):
        with pytest.raises(TwilioRestException) as raised:
            resource.fetch()
        assert raised.value.status == 404
        assert raised.value.code == 20404


def test_notification_for_an_expired_challenge_is_60323(service, control, enrolled):
    identity, factor_sid = enrolled
    challenge = login_challenge(service, identity, factor_sid)
    control.advance(301)
    with pytest.raises(TwilioRestException) as raised:
        service.entities(identity).challenges(challenge.sid).notifications.create()
    assert raised.value.status == 403
    assert raised.value.code == 60323


def create_unverified_factor(sandbox, service, identity):
    """What the mobile SDK's first call does, made with twilio-python itself: Basic `token` and
    the access token as the password, so the factor is created and left unverified."""
    token = service.access_tokens.create(identity=identity, factor_type="push")
    device_client = Client("token", token.token, account_sid=sandbox.account_sid)
    device_client.verify.base_url = sandbox.base_url
    return (
        device_client.verify.v2.services(sandbox.service_sid)
        .entities(identity)
        .new_factors.create(
            friendly_name="unverified phone",
            factor_type="push",
            binding_alg="ES256",
            binding_public_key=PUBLIC_KEY,
            config_app_id="com.example.owlbank",
            config_notification_platform="none",
            config_sdk_version="0.9.0",
        )
    )


def test_challenge_for_an_unverified_factor_is_60318(sandbox, service, identity):
    factor = create_unverified_factor(sandbox, service, identity)
    assert factor.sid.startswith("YF")
    assert factor.status == "unverified"
    with pytest.raises(TwilioRestException) as raised:
        login_challenge(service, identity, factor.sid)
    assert raised.value.status == 403
    assert raised.value.code == 60318


def test_unverified_factor_expires_after_an_hour(sandbox, service, control, identity):
    factor = create_unverified_factor(sandbox, service, identity)
    control.advance(3601)
    with pytest.raises(TwilioRestException) as raised:
        service.entities(identity).factors(factor.sid).fetch()
    assert raised.value.status == 404
    assert raised.value.code == 60390


def test_missing_details_message_is_60368(service, enrolled):
    identity, factor_sid = enrolled
    with pytest.raises(TwilioRestException) as raised:
        service.entities(identity).challenges.create(factor_sid=factor_sid)
    assert raised.value.status == 400
    assert raised.value.code == 60368


def test_wrong_auth_token_is_20003(sandbox):
    client = Client(sandbox.account_sid, "not-the-auth-token")
    client.verify.base_url = sandbox.base_url
    with pytest.raises(TwilioRestException) as raised:
        client.verify.v2.services(sandbox.service_sid).access_tokens.create(
            identity="user-00000001", factor_type="push"
        )
    assert raised.value.status == 401
    assert raised.value.code == 20003


def test_control_api_errors_are_json_with_a_code(control):
    with pytest.raises(ControlError) as raised:
        control.approve(UNKNOWN_CHALLENGE)
    assert raised.value.status == 404
    assert raised.value.body["code"] == "unknown_challenge"
    assert raised.value.body["message"]
    with pytest.raises(ControlError) as raised:
        control.enroll({"token": "not-an-access-token"})
    assert raised.value.status == 400
    assert raised.value.body["code"] == "invalid_enrollment"
    with pytest.raises(ControlError) as raised:
        control.advance(-5)
    assert raised.value.status == 400
    assert raised.value.body["code"] == "invalid_seconds"


def test_reset_forgets_everything(service, control, enrolled, receiver):
    identity, factor_sid = enrolled
    login_challenge(service, identity, factor_sid)
    service.webhooks.create(friendly_name="backend", event_types=["*"], webhook_url=receiver.url)
    assert control.reset() == {}
    assert service.entities.list() == []
    assert service.webhooks.list() == []
    assert control.challenges() == []


def test_services_create_fetch_update_list_delete(client, sandbox, control):
    created = client.verify.v2.services.create(
        friendly_name="Owl Bank tests",
        push_include_date=True,
        push_apn_credential_sid="CR" + "1" * 32,
        push_fcm_credential_sid="CR" + "2" * 32,
    )
    assert created.sid.startswith("VA")
    assert created.sid != sandbox.service_sid
    assert created.friendly_name == "Owl Bank tests"
    assert created.push["include_date"] is True
    assert created.push["apn_credential_sid"] == "CR" + "1" * 32
    assert created.push["fcm_credential_sid"] == "CR" + "2" * 32

    fetched = client.verify.v2.services(created.sid).fetch()
    assert fetched.friendly_name == "Owl Bank tests"
    assert client.verify.v2.services(sandbox.service_sid).fetch().sid == sandbox.service_sid

    updated = client.verify.v2.services(created.sid).update(friendly_name="Owl Bank staging")
    assert updated.friendly_name == "Owl Bank staging"
    assert {s.sid for s in client.verify.v2.services.list()} == {sandbox.service_sid, created.sid}

    # Each service keeps its own data.
    own = client.verify.v2.services(created.sid)
    token = own.access_tokens.create(identity="user-00000002", factor_type="push")
    assert token.service_sid == created.sid
    assert own.access_tokens(token.sid).fetch().sid == token.sid
    with pytest.raises(TwilioRestException) as raised:
        client.verify.v2.services(sandbox.service_sid).access_tokens(token.sid).fetch()
    assert raised.value.code == 20404

    # Push.IncludeDate: the challenge's details carry the date, on this service only.
    factor_sid = control.enroll(access_token_json(token))["factor_sid"]
    challenge = own.entities("user-00000002").challenges.create(
        factor_sid=factor_sid, details_message="Log in?"
    )
    assert challenge.details["date"]
    assert control.approve(challenge.sid)["status"] == "approved"
    assert own.entities("user-00000002").challenges(challenge.sid).fetch().status == "approved"

    assert client.verify.v2.services(created.sid).delete() is True
    with pytest.raises(TwilioRestException) as raised:
        client.verify.v2.services(created.sid).fetch()
    assert raised.value.status == 404
    assert raised.value.code == 20404
