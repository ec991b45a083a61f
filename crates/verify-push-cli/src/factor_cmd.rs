//! `verify-push factor list|delete`: a user's enrolled phones, as the backend sees them.

use crate::args::GlobalArgs;
use crate::backend_args::FactorCommand;
use crate::config::{self, Env};
use crate::error::CliError;
use crate::{output, resource_output};

/// Runs a `factor` subcommand.
pub async fn run(command: FactorCommand, global: &GlobalArgs, env: &Env) -> Result<(), CliError> {
    let base_url = global.base_url.as_deref();
    match command {
        FactorCommand::List { entity, output } => {
            let target = config::resolve(base_url, entity.service.clone(), env).await?;
            let factors = target
                .client
                .service(target.service.as_str())
                .entity(entity.identity().as_str())
                .factors()
                .list()
                .await?;
            let text = if output.json {
                resource_output::json(&factors)?
            } else {
                resource_output::factors(&factors)
            };
            output::print(&text)
        }
        FactorCommand::Delete { sid, entity } => {
            let target = config::resolve(base_url, entity.service.clone(), env).await?;
            target
                .client
                .service(target.service.as_str())
                .entity(entity.identity().as_str())
                .factors()
                .delete(&sid)
                .await?;
            output::print(&format!("deleted {sid}\n"))
        }
    }
}
