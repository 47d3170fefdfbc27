//! `server` — the Child Support Portal.
//!
//! ```text
//! server [--config Leptos.toml] [serve]   migrate, then serve (default)
//! server [--config Leptos.toml] migrate   bring the database schema up to date
//! server seed --demo                      the demo cases (once; not in production)
//! server seed --cases N [--seed S]        a large random caseload (not in production;
//!             [--through DATE]            run again after a stop, it writes the rest)
//! server backup FILE                     a consistent copy of the SQLite database, while serving
//! server caseworker add --email E --name N [--supervisor] --password-stdin
//!                                         a staff account (password read from standard input)
//! server ledger verify [--case N]         replay and check every case's ledger (exit 1 on a problem)
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use app::error::AppError;
use app::reader::AccountRole;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{EntityTrait, PaginatorTrait};
use server::config::{Config, Environment};
use server::seed::demo::DemoOutcome;
use server::seed::SeedError;
use tracing_subscriber::EnvFilter;

/// Freed memory is kept for the next request instead of going back to the
/// kernel after each large page (a statement is about 1 MB to build).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Write demo or generated data (refused in production).
    Seed(SeedArgs),
    /// Staff accounts.
    #[command(subcommand)]
    Caseworker(CaseworkerCommand),
    /// The ledger's own checks.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Copy the SQLite database to a new file, consistent even while the
    /// portal serves (PostgreSQL: use pg_dump, see docs/OPERATIONS.md).
    Backup {
        /// The copy; it must not exist yet.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum CaseworkerCommand {
    /// Create a caseworker's (or supervisor's) account.
    Add {
        #[arg(long)]
        email: String,
        /// Full name, as parents will see it.
        #[arg(long)]
        name: String,
        /// A supervisor: every case, and the audit log.
        #[arg(long)]
        supervisor: bool,
        /// Read the password from the first line of standard input (so it
        /// never shows in the shell's history or the process list).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
enum LedgerCommand {
    /// Replay every case (or one) from its entries and check what the pages
    /// rely on: charges due under an order, reversals, allocation, holds, and
    /// every view agreeing. One line per problem; exits non-zero if any.
    Verify {
        /// Only this case (its number, e.g. CS-2019-002931).
        #[arg(long, value_name = "N")]
        case: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
struct SeedArgs {
    /// The demo cases, with years of history (skipped when already there).
    #[arg(long, required_unless_present = "cases")]
    demo: bool,
    /// With --demo: only into a database without any case (`make run`).
    #[arg(long, requires = "demo")]
    if_empty: bool,
    /// This many random cases, with histories of 6 months to 5 years.
    #[arg(long, value_name = "N")]
    cases: Option<u32>,
    /// Seed of the random caseload: the same seed gives the same cases.
    #[arg(long, value_name = "S", default_value_t = 1, requires = "cases")]
    seed: u64,
    /// Their histories end on this day (YYYY-MM-DD; default today): the
    /// server's accrual then posts the charges due since, as after downtime.
    #[arg(long, value_name = "DATE", requires = "cases")]
    through: Option<chrono::NaiveDate>,
    /// Also give the paying parents of the first K cases an account
    /// (payer-S-n@generated.example, the demo password): for load tests.
    #[arg(long, value_name = "K", requires = "cases")]
    accounts: Option<u32>,
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
            Command::Serve => server::serve::serve(config).await.map_err(Into::into),
            Command::Migrate => migrate(config).await.map_err(Into::into),
            Command::Seed(args) => seed(config, args).await,
            Command::Caseworker(command) => caseworker(config, command).await,
            Command::Ledger(LedgerCommand::Verify { case }) => verify(config, case).await,
            Command::Backup { file } => backup(config, &file).await.map_err(Into::into),
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

async fn backup(config: Config, file: &std::path::Path) -> Result<(), server::db::DbError> {
    let db = server::db::connect(&config.database.url, 1).await?;
    server::db::backup(&db, file).await?;
    println!("backup written to {}", file.display());
    Ok(())
}

async fn seed(config: Config, args: SeedArgs) -> Result<(), Box<dyn std::error::Error>> {
    if config.site.environment == Environment::Production {
        return Err(SeedError::Production.into());
    }
    let db = server::db::connect(&config.database.url, 2).await?;
    server::db::migrate(&db).await?;
    let today = config.today();
    let has_cases = entity::cases::Entity::find().count(&db).await? > 0;
    if args.demo && args.if_empty && has_cases {
        println!("the database already has cases: demo data not added");
    } else if args.demo {
        match server::seed::demo::seed(&db, today).await? {
            DemoOutcome::Written { entries } => println!(
                "demo data written: {} cases, {entries} ledger entries",
                server::seed::demo::CASE_NUMBERS.len()
            ),
            DemoOutcome::AlreadyThere => println!("demo data already there: nothing to do"),
        }
    }
    if let Some(cases) = args.cases {
        let progress = ProgressBar::new(u64::from(cases)).with_style(ProgressStyle::with_template(
            "{bar:40} {pos}/{len} cases · {per_sec} · {elapsed} elapsed, about {eta} left",
        )?);
        let through = args.through.unwrap_or(today);
        let report =
            server::seed::caseload::seed(&db, cases, args.seed, through, &progress).await?;
        if report.resumed_after > 0 {
            println!(
                "{} cases of seed {} were there already: resumed after them",
                report.resumed_after, args.seed
            );
        }
        println!(
            "{} cases and {} ledger entries written in {:.1?}",
            report.cases, report.entries, report.elapsed
        );
        if let Some(count) = args.accounts {
            let created =
                server::seed::caseload::payer_accounts(&db, args.seed, count, chrono::Utc::now())
                    .await?;
            println!(
                "{created} accounts of paying parents created (payer-{}-n@generated.example)",
                args.seed
            );
        }
    }
    Ok(())
}

async fn verify(config: Config, case: Option<String>) -> Result<(), Box<dyn std::error::Error>> {
    let db = server::db::connect(&config.database.url, 2).await?;
    let Some(cases) = app::server::ledger::verify::cases_to_check(&db, case.as_deref()).await?
    else {
        return Err(format!("no case {}", case.unwrap_or_default()).into());
    };
    let started = std::time::Instant::now();
    let progress = ProgressBar::new(cases.len() as u64).with_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} cases · {per_sec} · {elapsed} elapsed, about {eta} left",
    )?);
    let found = app::server::ledger::verify::verify(&db, &cases, config.today(), |done| {
        progress.set_position(done)
    })
    .await?;
    progress.finish_and_clear();
    for finding in &found {
        println!("{finding}");
    }
    println!(
        "{} cases checked in {:.1?}: {} problems",
        cases.len(),
        started.elapsed(),
        found.len()
    );
    match found.is_empty() {
        true => Ok(()),
        false => Err(format!("{} problems in the ledger", found.len()).into()),
    }
}

async fn caseworker(
    config: Config,
    command: CaseworkerCommand,
) -> Result<(), Box<dyn std::error::Error>> {
    let CaseworkerCommand::Add {
        email,
        name,
        supervisor,
        password_stdin: _,
    } = command;
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    let role = if supervisor {
        AccountRole::Supervisor
    } else {
        AccountRole::Caseworker
    };
    let db = server::db::connect(&config.database.url, 1).await?;
    server::db::migrate(&db).await?;
    let attempt = app::account::service::Attempt::offline(config.security.clone());
    match app::account::service::records::add_staff(
        &db, &attempt, None, &name, &email, password, role,
    )
    .await
    {
        Ok(user) => {
            println!(
                "{} account created for {} <{}>",
                role.as_str(),
                user.name,
                email.trim()
            );
            Ok(())
        }
        Err(AppError::Invalid(problems)) => Err(problems
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    snake_case(&p.field),
                    snake_case(&p.problem).replace('_', " ")
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
            .into()),
        Err(error) => Err(error.into()),
    }
}

/// A field or problem by its serialized name (`password`, `password_too_weak`).
fn snake_case(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}
