//! Where requests go: Twilio's default host, a region and edge, or an explicit base URL.

use crate::InvalidInput;

/// Twilio's global (US1) Verify host.
pub const DEFAULT_BASE_URL: &str = "https://verify.twilio.com";

/// The base URL for the given explicit URL or region and edge.
///
/// An explicit base URL wins over region and edge. Region and edge must be given together:
/// region-only hosts (`verify.ie1.twilio.com`) routed to US1 and stopped working on 2026-04-28
/// (<https://www.twilio.com/docs/global-infrastructure/edge-locations>).
pub(crate) fn resolve(
    base_url: Option<&str>,
    region: Option<&str>,
    edge: Option<&str>,
    names: (&'static str, &'static str),
) -> Result<String, InvalidInput> {
    if let Some(url) = base_url {
        return check_base_url(url);
    }
    let (region_name, edge_name) = names;
    match (region, edge) {
        (None, None) => Ok(DEFAULT_BASE_URL.to_string()),
        (Some(region), Some(edge)) => {
            check_host_label(region, region_name)?;
            check_host_label(edge, edge_name)?;
            Ok(format!("https://verify.{edge}.{region}.twilio.com"))
        }
        (Some(_), None) => Err(InvalidInput::new(
            edge_name,
            format!(
                "must be set when {region_name} is (e.g. region ie1 with edge dublin): \
                 region-only hosts stopped working on 2026-04-28"
            ),
        )),
        (None, Some(_)) => Err(InvalidInput::new(
            region_name,
            format!("must be set when {edge_name} is (e.g. region ie1 with edge dublin)"),
        )),
    }
}

/// Region and edge become part of a host name: lower-case letters, digits and dashes only.
fn check_host_label(label: &str, field: &'static str) -> Result<(), InvalidInput> {
    let ok = !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            format!(
                "must be lower-case letters, digits and dashes (e.g. ie1, dublin), got {label:?}"
            ),
        ))
    }
}

/// The longest base URL accepted, in bytes: every request line starts with it, and servers
/// refuse long ones (414, 431). A real one (a host and maybe a proxy prefix) is far shorter.
pub(crate) const MAX_BASE_URL_BYTES: usize = 2048;

/// `https://…` anywhere, `http://…` only to a loopback host, so credentials never cross a
/// network in clear text.
fn check_base_url(url: &str) -> Result<String, InvalidInput> {
    if url.len() > MAX_BASE_URL_BYTES {
        return Err(InvalidInput::new(
            "base_url",
            format!(
                "must be at most {MAX_BASE_URL_BYTES} bytes, got {}",
                url.len()
            ),
        ));
    }
    // The URL parser silently drops tabs and line breaks; the value would then be shown (in
    // errors, `-v`) with them. Refuse every control character instead.
    if url.chars().any(char::is_control) {
        return Err(InvalidInput::new(
            "base_url",
            format!("must not contain control characters, got {url:?}"),
        ));
    }
    let parsed = url::Url::parse(url).map_err(|e| {
        InvalidInput::new(
            "base_url",
            format!("must be an absolute http(s) URL ({e}), got {url:?}"),
        )
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(InvalidInput::new(
            "base_url",
            "must not contain credentials; use Credentials instead",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(InvalidInput::new(
            "base_url",
            "must not have a query or fragment",
        ));
    }
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&parsed) => {}
        "http" => {
            return Err(InvalidInput::new(
                "base_url",
                format!(
                    "plain http:// is only allowed to a loopback host (127.0.0.1, ::1, localhost) \
                     so credentials never cross a network in clear text; use https://, got {url:?}"
                ),
            ));
        }
        other => {
            return Err(InvalidInput::new(
                "base_url",
                format!("must use https:// (or http:// to loopback), got scheme {other:?}"),
            ));
        }
    }
    Ok(url.trim_end_matches('/').to_string())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: (&str, &str) = ("region", "edge");

    #[test]
    fn default_is_twilios_global_host() {
        assert_eq!(resolve(None, None, None, NAMES).unwrap(), DEFAULT_BASE_URL);
    }

    #[test]
    fn region_and_edge_build_the_regional_host() {
        assert_eq!(
            resolve(None, Some("ie1"), Some("dublin"), NAMES).unwrap(),
            "https://verify.dublin.ie1.twilio.com"
        );
    }

    #[test]
    fn region_without_edge_is_refused_and_explains_why() {
        let err = resolve(None, Some("ie1"), None, NAMES).unwrap_err();
        assert_eq!(err.field(), "edge");
        assert!(err.rule().contains("2026-04-28"), "{err}");
        let err = resolve(None, None, Some("dublin"), NAMES).unwrap_err();
        assert_eq!(err.field(), "region");
    }

    #[test]
    fn host_injection_through_region_is_refused() {
        assert!(resolve(None, Some("ie1.evil.com/"), Some("dublin"), NAMES).is_err());
        assert!(resolve(None, Some("IE1"), Some("dublin"), NAMES).is_err());
    }

    #[test]
    fn plain_http_is_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
            "http://127.1.2.3",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        let err = check_base_url("http://verify.twilio.com").unwrap_err();
        assert_eq!(err.field(), "base_url");
        assert!(err.rule().contains("loopback"), "{err}");
        assert!(check_base_url("http://10.0.0.1").is_err());
        assert!(check_base_url("http://localhost.evil.com").is_err());
        assert!(check_base_url("ftp://127.0.0.1").is_err());
        assert!(check_base_url("not a url").is_err());
    }

    #[test]
    fn explicit_base_url_wins_and_loses_its_trailing_slash() {
        assert_eq!(
            resolve(
                Some("https://proxy.example.com/twilio/"),
                Some("ie1"),
                Some("dublin"),
                NAMES
            )
            .unwrap(),
            "https://proxy.example.com/twilio"
        );
    }

    #[test]
    fn oversized_or_control_character_urls_are_refused() {
        let long = format!("https://example.com/{}", "a".repeat(MAX_BASE_URL_BYTES));
        let err = check_base_url(&long).unwrap_err();
        assert!(err.rule().contains("at most"), "{err}");
        let err = check_base_url("http://127.0.0.1:9/\r\n\u{1b}[2Jpwned").unwrap_err();
        assert!(err.rule().contains("control characters"), "{err}");
        assert!(!err.to_string().contains('\r'), "{err}");
    }

    #[test]
    fn credentials_in_the_url_are_refused() {
        assert!(check_base_url("https://AC1:secret@verify.twilio.com").is_err());
    }
}
