//! Passwords, session ids and the session cookie.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The session cookie's name.
pub(crate) const COOKIE_NAME: &str = "push_login_session";

/// How long a session lasts (the cookie's Max-Age and the row's expiry).
pub(crate) const SESSION_SECS: i64 = 7 * 24 * 3600;

/// An Argon2id PHC string for `password`, with a random salt from the OS.
pub(crate) fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored PHC string (constant time, in the argon2 crate).
pub(crate) fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A fresh random id: 32 bytes from the OS's CSPRNG, hex.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 32];
    // The OS generator failing means the process cannot do anything safely: stop.
    getrandom::fill(&mut bytes).expect("the OS random number generator failed");
    hex::encode(bytes)
}

/// The session id from the request's cookies.
pub(crate) fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `Set-Cookie` for a new session: HttpOnly (no script reads it), SameSite=Lax (no cross-site
/// POST carries it), Secure when the page is served over https.
pub(crate) fn set_cookie(id: &str, secure: bool) -> String {
    format!(
        "{COOKIE_NAME}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECS}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` that removes the session cookie.
pub(crate) fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip() {
        let phc = hash_password("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(password_matches("correct horse", &phc));
        assert!(!password_matches("wrong", &phc));
        assert!(!password_matches("correct horse", "not a hash"));
    }

    #[test]
    fn the_cookie_is_found_and_checked() {
        let id = random_id();
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, format!("a=b; {COOKIE_NAME}={id}").parse().unwrap());
        assert_eq!(session_cookie(&headers), Some(id));
        headers.insert(COOKIE, format!("{COOKIE_NAME}=<script>").parse().unwrap());
        assert_eq!(session_cookie(&headers), None);
        assert!(set_cookie("x", true).contains("HttpOnly; SameSite=Lax"));
        assert!(set_cookie("x", true).ends_with("; Secure"));
    }
}
