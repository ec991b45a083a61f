//! Twilio's webhook signature, computed: HMAC-SHA1 with the auth token over the URL and the
//! sorted form parameters (or the URL with `bodySHA256` for other bodies), and the port variants
//! of the URL the official validators also try. Pure functions, no token handling.

use std::collections::{BTreeMap, BTreeSet};

use base64::{Engine as _, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::error::WebhookError;
use crate::types::SecretString;

pub(crate) type HmacSha1 = Hmac<Sha1>;

/// An HMAC-SHA1 is 20 bytes; anything else in the header cannot match.
pub(crate) const SIGNATURE_LEN: usize = 20;

/// The header's bytes: base64 of a 20-byte HMAC-SHA1.
pub(crate) fn decode_signature(signature: Option<&str>) -> Result<Vec<u8>, WebhookError> {
    let signature = signature.map(str::trim).unwrap_or_default();
    if signature.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    match STANDARD.decode(signature) {
        Ok(bytes) if bytes.len() == SIGNATURE_LEN => Ok(bytes),
        _ => Err(WebhookError::MalformedSignature),
    }
}

/// HMAC-SHA1 keyed with the auth token over the URL followed by the concatenated parameters.
pub(crate) fn signature_mac(token: &SecretString, url: &str, params: &[u8]) -> HmacSha1 {
    // HMAC accepts keys of any length (RFC 2104 hashes long ones), so this cannot fail.
    let mut mac = <HmacSha1 as KeyInit>::new_from_slice(token.expose_secret().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(url.as_bytes());
    mac.update(params);
    mac
}

/// The form parameters as Twilio signs them: sorted by name; a repeated name's values sorted
/// and de-duplicated (twilio-python `sorted(set(values))`, twilio-node
/// `Array.from(new Set(v)).sort()`); each as name then value, no separators.
pub(crate) fn concatenated_params(body: &[u8]) -> Vec<u8> {
    let mut params: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(body) {
        params
            .entry(name.into_owned())
            .or_default()
            .insert(value.into_owned());
    }
    let mut out = Vec::with_capacity(body.len());
    for (name, values) in &params {
        for value in values {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(value.as_bytes());
        }
    }
    out
}

/// The non-empty `bodySHA256` query parameter of the URL, if any (the first one, like
/// twilio-go's `Query().Get` and twilio-python's `query["bodySHA256"][0]`).
pub(crate) fn body_hash_param(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "bodySHA256")
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.is_empty())
}

pub(crate) fn sha256_hex(body: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(body);
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest.iter() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The URL with the port and without it: as given plus the default port (`:443`, `:80`) when it
/// has none, as given plus without its port when it has one (twilio-python `add_port` /
/// `remove_port`, twilio-go `addPort` / `removePort`). Edited as a string, never re-serialized:
/// the signature covers the exact characters Twilio used.
pub(crate) fn port_variants(url: &str) -> Result<[String; 2], WebhookError> {
    let invalid = |reason| WebhookError::InvalidUrl { reason };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or(invalid("not an absolute URL (no scheme://)"))?;
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        "443"
    } else if scheme.eq_ignore_ascii_case("http") {
        "80"
    } else {
        return Err(invalid("the scheme is not http or https"));
    };
    let authority_start = scheme.len() + "://".len();
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    // Skip any user info; the port follows the host (after the `]` of an IPv6 literal).
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let host_and_port = &authority[host_start..];
    let search_from = if host_and_port.starts_with('[') {
        host_and_port
            .find(']')
            .ok_or(invalid("an IPv6 host has no closing bracket"))?
    } else {
        0
    };
    let colon = host_and_port[search_from..]
        .find(':')
        .map(|i| search_from + i);
    let host_len = colon.unwrap_or(host_and_port.len());
    if host_len == 0 {
        return Err(invalid("the URL has no host"));
    }

    let authority_end = authority_start + authority_len;
    match colon {
        None => {
            let with_port = format!(
                "{}:{default_port}{}",
                &url[..authority_end],
                &url[authority_end..]
            );
            Ok([url.to_owned(), with_port])
        }
        Some(colon) => {
            let port = &host_and_port[colon + 1..];
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid("the port is not a number"));
            }
            let port_start = authority_start + host_start + colon;
            let without_port = format!("{}{}", &url[..port_start], &url[authority_end..]);
            Ok([url.to_owned(), without_port])
        }
    }
}
