//! `cpaas`: the CPaaS Bridge server and its operator commands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cpaas_api::carrier::simulator::{Behaviour, Simulator};
use cpaas_api::{Application, Settings, db, openapi, services, telemetry};

#[derive(Parser)]
#[command(
    name = "cpaas",
    version,
    about = "CPaaS Bridge: SMS/MMS numbers on Inteliquent"
)]
struct Cli {
    /// TOML configuration file (environment variables CPAAS_* override it).
    #[arg(long, env = "CPAAS_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the API, the SPA and the webhook (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Load the demo data (idempotent) and print the demo sign-in. For local runs only.
    Demo,
    /// Run the Inteliquent simulator alone (Services API, Message Broker, `/control` API).
    Simulator {
        #[arg(long, default_value = "127.0.0.1:9090")]
        bind: String,
        /// Time from enabling messaging on a number to it working.
        #[arg(long, default_value_t = 3000)]
        provisioning_delay_ms: u64,
    },
    /// Create a provider-level portal account that receives alerts (the first admin).
    CreateAdmin {
        #[arg(long)]
        email: String,
        /// At least 10 characters. Prefer the environment variable over the command line.
        #[arg(long, env = "CPAAS_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        /// The system provider to attach it to (created if missing). Optional when there is
        /// exactly one provider.
        #[arg(long)]
        provider_name: Option<String>,
        /// Make it an operator: it sees every provider and may create and delete providers.
        #[arg(long)]
        operator: bool,
    },
}

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init("info");
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("cpaas: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        print!("{}", openapi::document_json()?);
        return Ok(());
    }
    if let Command::Simulator {
        bind,
        provisioning_delay_ms,
    } = &command
    {
        return simulator(bind, *provisioning_delay_ms).await;
    }
    let settings = Settings::load(cli.config.as_deref())?;
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(&settings),
        Command::CreateAdmin {
            email,
            password,
            provider_name,
            operator,
        } => create_admin(
            &settings,
            (&email, &password),
            provider_name.as_deref(),
            operator,
        ),
        Command::Demo => demo(&settings),
        Command::Openapi | Command::Simulator { .. } => Ok(()),
    }
}

/// `cpaas simulator`: the Inteliquent simulator alone.
async fn simulator(bind: &str, provisioning_delay_ms: u64) -> anyhow::Result<()> {
    let simulator = Simulator::new(Behaviour {
        provisioning_delay_ms,
        ..Behaviour::default()
    })?;
    let listener = std::net::TcpListener::bind(bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    let address = listener.local_addr()?;
    println!(
        "Inteliquent simulator on http://{address}: Services API at /Services/2.0.0, \
         Message Broker at /msgbroker/rest, control API at /control"
    );
    simulator.serve(listener)?.await?;
    Ok(())
}

/// `cpaas serve`: until SIGTERM or SIGINT.
async fn serve(settings: Settings) -> anyhow::Result<()> {
    let bind = settings.bind.clone();
    let app = Application::build(settings).await?;
    tracing::info!(
        version = cpaas_api::VERSION,
        database = app.backend().label(),
        "CPaaS Bridge listening on http://{}",
        local_address(&bind, app.port())
    );
    app.run_until_stopped().await?;
    Ok(())
}

/// `cpaas migrate`.
fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let (target, mut conn, applied) = migrated_connection(settings)?;
    let version = db::schema_version(&mut conn)?;
    println!(
        "{} database: applied {} migration(s); schema version {version}",
        target.backend().label(),
        applied.len()
    );
    Ok(())
}

/// `cpaas create-admin`.
fn create_admin(
    settings: &Settings,
    (email, password): (&str, &str),
    provider_name: Option<&str>,
    operator: bool,
) -> anyhow::Result<()> {
    let (_, mut conn, _) = migrated_connection(settings)?;
    let account =
        services::accounts::create_admin(&mut conn, email, password, provider_name, operator)
            .map_err(|e| anyhow::anyhow!("{}", e.body().message))?;
    println!(
        "created portal account {} (id {}) for organization {}, receiving alerts{}",
        account.email,
        account.id,
        account.organization_id,
        if account.operator { ", operator" } else { "" }
    );
    Ok(())
}

/// `cpaas demo`: for the built-in simulator only.
fn demo(settings: &Settings) -> anyhow::Result<()> {
    anyhow::ensure!(
        settings.carrier == cpaas_api::config::CarrierKind::Simulator,
        "cpaas demo loads demo data for the built-in simulator only: unset CPAAS_CARRIER \
         (or set it to simulator)"
    );
    let (_, mut conn, _) = migrated_connection(settings)?;
    let keys =
        cpaas_api::crypto::SecretBox::load(settings.secret_key.as_ref(), &settings.data_dir)?;
    let created = services::demo::load(&mut conn, &keys)
        .map_err(|e| anyhow::anyhow!("{}", e.body().message))?;
    for item in &created {
        println!("demo: created {item}");
    }
    println!(
        "demo sign-in: {} / {}",
        services::demo::ADMIN_EMAIL,
        services::demo::ADMIN_PASSWORD
    );
    Ok(())
}

/// A direct connection with every migration applied (for the one-shot commands).
fn migrated_connection(
    settings: &Settings,
) -> anyhow::Result<(db::DatabaseTarget, db::DbConnection, Vec<String>)> {
    std::fs::create_dir_all(&settings.data_dir)?;
    let target = db::DatabaseTarget::parse(&settings.database_url())?;
    let mut conn = db::establish(&target)?;
    let applied = db::run_migrations(&mut conn)?;
    Ok((target, conn, applied))
}

/// `host:port` with the port actually bound (the configured one may be 0).
fn local_address(bind: &str, port: u16) -> String {
    let host = bind.rsplit_once(':').map_or(bind, |(host, _)| host);
    format!("{host}:{port}")
}
