//! `verify-push webhook create|list|delete`: where Verify sends a service's events.

use verify_push::webhooks::EventType;

use crate::args::GlobalArgs;
use crate::backend_args::WebhookCommand;
use crate::config::{self, Env};
use crate::error::CliError;
use crate::{output, resource_output};

/// Runs a `webhook` subcommand.
pub async fn run(command: WebhookCommand, global: &GlobalArgs, env: &Env) -> Result<(), CliError> {
    let base_url = global.base_url.as_deref();
    match command {
        WebhookCommand::Create {
            name,
            url,
            events,
            service,
            output,
        } => {
            let target = config::resolve(base_url, service, env).await?;
            // Unknown names are passed on as they are (an open enum): Twilio decides, and a
            // name it adds later works without a new release.
            let events = events.iter().map(|e| EventType::from(e.as_str())).collect();
            let webhook = target
                .client
                .service(target.service.as_str())
                .webhooks()
                .create(name, url)
                .set_events(events)
                .send()
                .await?;
            let text = if output.json {
                resource_output::json(&webhook)?
            } else {
                resource_output::webhook_line(&webhook)
            };
            output::print(&text)
        }
        WebhookCommand::List { service, output } => {
            let target = config::resolve(base_url, service, env).await?;
            let webhooks = target
                .client
                .service(target.service.as_str())
                .webhooks()
                .list()
                .await?;
            let text = if output.json {
                resource_output::json(&webhooks)?
            } else {
                resource_output::webhooks(&webhooks)
            };
            output::print(&text)
        }
        WebhookCommand::Delete { sid, service } => {
            let target = config::resolve(base_url, service, env).await?;
            target
                .client
                .service(target.service.as_str())
                .webhooks()
                .delete(&sid)
                .await?;
            output::print(&format!("deleted {sid}\n"))
        }
    }
}
