//! `server` — the Child Support Portal.
//!
//! ```text
//! server [--config Leptos.toml] [serve]   migrate, then serve (default)
//! server [--config Leptos.toml] migrate   bring the database schema up to date
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::config::Config;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(name = "server", about = "The Child Support Portal", version)]
struct Cli {
    /// Runtime configuration file.
    #[arg(
        long,
        env = "PORTAL_CONFIG",
        default_value = "Leptos.toml",
        global = true
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database, then serve the portal (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .with_target(false)
        .init();

    let config = match Config::load(&cli.config) {
        Ok(config) => config,
        Err(error) => return fail(&error),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&error),
    };
    let outcome = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => server::serve::serve(config).await,
            Command::Migrate => migrate(config).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

async fn migrate(config: Config) -> Result<(), server::serve::ServeError> {
    let db = server::db::connect(&config.database.url, 1).await?;
    server::db::migrate(&db).await?;
    println!("database is up to date");
    Ok(())
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}
