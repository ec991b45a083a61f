//! Twilio's webhook signature, `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the auth
//! token, over the full URL followed by every POST parameter's name and value, sorted by name
//! (<https://www.twilio.com/docs/usage/webhooks/webhooks-security>; twilio-python
//! `twilio/request_validator.py`: for a repeated name, its values sorted).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// The `X-Twilio-Signature` value for a form POST of `params` to `url`.
pub(crate) fn sign(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut data = String::from(url);
    for (name, value) in sorted {
        data.push_str(name);
        data.push_str(value);
    }
    let mut mac = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(data.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    // Vectors from twilio-python tests/unit/test_request_validator.py (verify-push-flow.md §4).
    #[test]
    fn matches_twilio_python_vectors() {
        let call = params(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]);
        assert_eq!(
            sign(
                "12345",
                "https://mycompany.com/myapp.php?foo=1&bar=2",
                &call
            ),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        assert_eq!(
            sign(
                "12345",
                "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                &call
            ),
            "kvajT1Ptam85bY51eRf/AJRuM3w="
        );
        let repeated = params(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert_eq!(
            sign(
                "12345",
                "https://mycompany.com/myapp.php?foo=1&bar=2",
                &repeated
            ),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
    }
}
