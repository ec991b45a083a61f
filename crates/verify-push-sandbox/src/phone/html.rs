//! The phone page's HTML. Every value from a request (messages, fields, identities) is escaped.

use crate::device::{DeviceFactor, PendingChallenge};

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page.
pub(crate) fn page(
    factors: &[DeviceFactor],
    pending: &[PendingChallenge],
    done: Option<&str>,
    error: Option<&str>,
    enroll: Option<&str>,
) -> String {
    let mut body = String::new();
    if let Some(done) = done {
        body.push_str(&format!(
            r#"<p class="done" id="notice">{}</p>"#,
            escape(done)
        ));
    }
    if let Some(error) = error {
        body.push_str(&format!(
            r#"<p class="error" id="notice">{}</p>"#,
            escape(error)
        ));
    }
    if enroll.is_some() {
        body.push_str(
            r#"<p class="done" id="enroll-notice">A backend sent an enrollment: press Enroll below to add this phone.</p>"#,
        );
    }
    body.push_str("<h2>Pending login requests</h2>\n<div id=\"pending\">");
    if pending.is_empty() {
        body.push_str(r#"<p id="no-challenges">No pending challenges. New ones appear here.</p>"#);
    }
    for challenge in pending {
        let sid = escape(&challenge.sid);
        let mut fields = String::new();
        for (label, value) in &challenge.fields {
            fields.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(label),
                escape(value)
            ));
        }
        body.push_str(&format!(
            r#"<section class="challenge" id="challenge-{sid}">
<p class="message">{message}</p>
<table>{fields}</table>
<p class="meta">{sid} · for {identity} · expires {expires}</p>
<form method="post" action="/phone/challenges/{sid}/approve"><button id="approve-{sid}" class="approve">Approve</button></form>
<form method="post" action="/phone/challenges/{sid}/deny"><button id="deny-{sid}" class="deny">Deny</button></form>
</section>"#,
            message = escape(&challenge.message),
            identity = escape(&challenge.identity),
            expires = escape(&challenge.expiration_date),
        ));
    }
    body.push_str("</div>\n<h2>Enrolled factors</h2>");
    if factors.is_empty() {
        body.push_str("<p>None yet.</p>");
    } else {
        body.push_str("<ul>");
        for factor in factors {
            body.push_str(&format!(
                r#"<li class="factor">{} · {} · {}</li>"#,
                escape(&factor.sid),
                escape(&factor.identity),
                escape(&factor.friendly_name)
            ));
        }
        body.push_str("</ul>");
    }
    body.push_str(
        r#"<h2>Enroll this phone</h2>
<form method="post" action="/phone/enroll">
<p>Paste the enrollment JSON your backend returns (<code>{"token", "serviceSid", "identity", "factorType"}</code>, what <code>verify-push token create --enrollment</code> prints).</p>
<textarea id="enrollment" name="enrollment" rows="5" cols="70">"#,
    );
    body.push_str(&escape(enroll.unwrap_or("")));
    body.push_str(
        r#"</textarea><br>
<button id="enroll">Enroll</button>
</form>
<script>
"use strict";
// New login requests without a reload: re-read this page every second and swap in its pending
// challenges when they changed (a button being pressed is left alone).
setInterval(async () => {
  try {
    const response = await fetch("/", { cache: "no-store" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const now = document.getElementById("pending");
    const next = fresh.getElementById("pending");
    if (next && now && next.innerHTML !== now.innerHTML) now.replaceWith(next);
  } catch (_) { /* the sandbox stopped: keep the page as it is */ }
}, 1000);
</script>"#,
    );
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Virtual phone · verify-push sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 44rem; margin: 1rem auto; padding: 0 1rem; }}
.warning {{ background: #fff3cd; border: 1px solid #e0c36c; padding: .5rem .75rem; }}
.challenge {{ border: 1px solid #ccc; border-radius: .5rem; padding: .75rem; margin: .75rem 0; }}
.message {{ font-size: 1.2rem; font-weight: 600; }}
.meta {{ color: #666; font-size: .85rem; }}
form {{ display: inline-block; margin-right: .5rem; }}
button {{ font-size: 1rem; padding: .4rem 1rem; }}
.approve {{ background: #1a7f37; color: white; }} .deny {{ background: #cf222e; color: white; }}
.done {{ color: #1a7f37; }} .error {{ color: #cf222e; }}
th {{ text-align: left; padding-right: 1rem; }}
</style></head>
<body>
<h1>Virtual phone</h1>
<p class="warning" id="local-only">Local development only: this page belongs to the verify-push sandbox, which listens on
127.0.0.1 (loopback) and fakes Twilio Verify. Nothing here reaches Twilio or a real phone. Approve and
Deny sign the answer with this virtual device's key, exactly as <code>verify-push device approve</code> does.</p>
{body}
</body></html>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_requests_is_escaped() {
        let challenge = PendingChallenge {
            sid: "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into(),
            factor_sid: "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into(),
            identity: "user-0001".into(),
            message: "<script>alert(1)</script>".into(),
            fields: vec![("<b>".into(), "\"x\" & 'y'".into())],
            expiration_date: "2026-01-01T00:00:00Z".into(),
        };
        let html = page(&[], &[challenge], None, None, Some("</textarea><script>"));
        assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;"));
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;x&quot; &amp; &#39;y&#39;"));
        assert!(html.contains("approve-YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(html.contains("Local development only"));
    }
}
