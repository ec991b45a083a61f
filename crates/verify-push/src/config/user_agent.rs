//! The User-Agent header, in the style of Twilio's SDKs:
//! `verify-push/0.1.0 (linux x86_64) rust/1.95.0`, plus optional extensions.

/// The User-Agent for this build, with `extension` appended when given.
pub(crate) fn user_agent(extension: Option<&str>) -> String {
    let mut agent = format!(
        "verify-push/{} ({} {}) rust/{}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("VERIFY_PUSH_RUSTC_VERSION"),
    );
    if let Some(extension) = extension {
        agent.push(' ');
        agent.push_str(extension);
    }
    agent
}

/// The longest extension accepted, in bytes: room for several `product/version` tokens, far
/// below the header sizes servers refuse (often 8 KiB for all headers together).
pub(crate) const MAX_EXTENSION_BYTES: usize = 256;

/// Extensions end up in a header: printable ASCII only.
pub(crate) fn check_extension(extension: &str) -> Result<(), crate::InvalidInput> {
    if extension.len() > MAX_EXTENSION_BYTES {
        return Err(crate::InvalidInput::new(
            "user_agent_extension",
            format!(
                "must be at most {MAX_EXTENSION_BYTES} bytes, got {}",
                extension.len()
            ),
        ));
    }
    if !extension.is_empty() && extension.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Ok(())
    } else {
        Err(crate::InvalidInput::new(
            "user_agent_extension",
            "must be non-empty printable ASCII (it is sent as an HTTP header)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_library_platform_and_rust_version() {
        let agent = user_agent(None);
        assert!(
            agent.starts_with(&format!("verify-push/{} (", env!("CARGO_PKG_VERSION"))),
            "{agent}"
        );
        assert!(agent.contains(std::env::consts::OS) && agent.contains(std::env::consts::ARCH));
        let rust = agent.rsplit_once(" rust/").expect("rust/ part").1;
        assert!(rust.split('.').count() >= 3, "{agent}");
        assert!(rust.chars().next().unwrap().is_ascii_digit(), "{agent}");
    }

    #[test]
    fn extension_is_appended() {
        assert!(user_agent(Some("my-app/2.0")).ends_with(" my-app/2.0"));
        assert!(check_extension("bad\r\nheader").is_err());
        assert!(check_extension("").is_err());
        assert!(check_extension(&"a".repeat(MAX_EXTENSION_BYTES)).is_ok());
        let err = check_extension(&"a".repeat(MAX_EXTENSION_BYTES + 1)).unwrap_err();
        assert_eq!(err.field(), "user_agent_extension");
    }
}
