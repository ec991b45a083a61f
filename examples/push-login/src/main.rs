//! `cargo run -p push-login`: the example backend on http://127.0.0.1:3000 (or `PORT`), with
//! its SQLite file under your data directory; `--database sqlite://PATH` or `postgres://…`
//! (or `DATABASE_URL`) picks another.

use std::net::{Ipv4Addr, SocketAddr};

use push_login::{Config, Mode, say};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // rustls with ring (Cargo.toml): reqwest then has no provider of its own, so every reqwest
    // client of the process (the in-process sandbox's too) takes the process default, set here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = match Config::from_env() {
        Ok(mut config) => {
            let args: Vec<String> = std::env::args().skip(1).collect();
            match args.as_slice() {
                [] => {}
                [flag, url] if flag == "--database" => config.database = url.clone(),
                _ => {
                    eprintln!("usage: push-login [--database sqlite://PATH | postgres://…]");
                    return std::process::ExitCode::from(2);
                }
            }
            config
        }
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let port = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    let sandbox = matches!(config.mode, Mode::Sandbox);
    // Loopback by default: behind a proxy, set PUBLIC_URL and bind with a proxy in front.
    let running =
        match push_login::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
            Ok(running) => running,
            Err(e) => {
                eprintln!("error: cannot start: {e}");
                return std::process::ExitCode::from(1);
            }
        };
    if sandbox {
        say("No TWILIO_* variables: running against a local Verify sandbox (fake, loopback only).");
        if let Some(phone) = &running.phone_url {
            say(&format!("The virtual phone:  {phone}"));
        }
    }
    say(&format!("The push-login page: {}", running.url));
    say("Ctrl-C stops.");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = running.wait() => {}
    }
    std::process::ExitCode::SUCCESS
}
