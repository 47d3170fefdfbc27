//! `make bench`: every path on both databases, then the portal at a state's
//! scale on PostgreSQL.
//!
//! 1. **Seed**: `server seed --cases 100000` into `portal_bench` (skipped when
//!    that database already holds the whole caseload; `BENCH_RESEED=1` starts
//!    over), with accounts for 500 paying parents.
//! 2. **Load**: the release server on that database, 500 parents signed in,
//!    and wrk at 64 connections for `BENCH_SECONDS` (30) each on the dashboard's
//!    server function, the SSR overview page (random parent per request) and a
//!    static file (the machine's ceiling). Budgets: dashboard p95 ≤ 20 ms, SSR
//!    overview ≥ 25 % of the static file's requests per second.
//! 3. **Under attack**: a signed-in parent's overview page at 4 connections,
//!    first quiet, then while about 200 sign-ins a second with wrong passwords
//!    arrive from random addresses (through a trusted proxy, so neither the
//!    per-address block nor one address's lockout shields the server: the
//!    portal-wide limit and the hashing pool must). Budget: the overview's
//!    p95 under attack ≤ 3× its quiet p95, and the server's memory flat.
//! 4. **Soak**: `BENCH_SOAK_SECONDS` (600; 0 skips it) at a bounded rate (8
//!    connections, each waiting 40 ms between requests), the server's RSS read
//!    every 10 s.
//!
//! 0. **Paths** (first): the home page, advice, the stylesheet, a parent's
//!    overview, a 20-year history and the agency's file, at 16 connections for
//!    `BENCH_PATH_SECONDS` (10) each, on SQLite with the demo data and on
//!    PostgreSQL with the demo data beside the caseload: one table, each path
//!    as a ratio to the home page's requests per second (the budgets).
//!
//! The numbers go into docs/BENCHMARKS.md. Loopback only; every run bounded.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};

const CASES: u32 = 100_000;
const PARENTS: u32 = 500;
const CONNECTIONS: u32 = 64;
const SEED: u64 = 1;
const DASHBOARD_P95_BUDGET_MS: f64 = 20.0;
const SSR_SHARE_BUDGET: f64 = 0.25;
const UNDER_ATTACK_BUDGET: f64 = 3.0;

/// wrk's script: who asks for what, and the numbers printed at the end
/// (wrk's own report has no 95th percentile).
const SCRIPT: &str = r#"
local cookies = {}
local mode = os.getenv("BENCH_MODE")
local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")
local n = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_COOKIES")) do cookies[#cookies + 1] = line end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  n = n + 1
  local which = mode
  if mode == "mixed" then which = (n % 2 == 0) and "page" or "function" end
  if which == "static" then
    return wrk.format("GET", "/favicon.svg")
  elseif which == "path" then
    local cookie = os.getenv("BENCH_COOKIE") or ""
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    return wrk.format("GET", os.getenv("BENCH_PATH"), headers)
  end
  local cookie = cookies[math.random(#cookies)]
  if which == "attack" then
    local client = string.format("198.18.%d.%d", math.random(0, 255), math.random(1, 254))
    return wrk.format("POST", "/api/sign_in", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Sec-Fetch-Site"] = "same-origin",
      ["X-Forwarded-For"] = client,
    }, "email=someone%40example.com&password=a+wrong+guess+" .. n)
  elseif which == "page" then
    return wrk.format("GET", "/dashboard", { ["Cookie"] = cookie })
  else
    return wrk.format("POST", "/api/overview", {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Sec-Fetch-Site"] = "same-origin",
    }, "")
  end
end

function delay()
  return pause
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %d %.3f %d %d %d %d %d\n",
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"#;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("load benchmark: {error}");
            ExitCode::FAILURE
        }
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn run() -> Result<(), Failure> {
    if Command::new("wrk").arg("--version").output().is_err() {
        return Err("wrk is not installed (scripts/setup.sh --bench installs it)".into());
    }
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/portal_bench".to_owned());
    let seconds = env_number("BENCH_SECONDS", 30);
    let soak_seconds = env_number("BENCH_SOAK_SECONDS", 600);
    let work = tempfile::tempdir()?;

    let path_seconds = env_number("BENCH_PATH_SECONDS", 10);
    let script = work.path().join("portal.lua");
    std::fs::write(&script, SCRIPT)?;
    let embedded = format!(
        "sqlite://{}?mode=rwc",
        work.path().join("demo.db").display()
    );
    seed_demo(&embedded)?;
    let on_sqlite = compare_paths(&embedded, work.path(), &script, path_seconds)?;

    let seeded = seed(&url)?;
    if let Some(seeded) = &seeded {
        record(
            "seed",
            &[format!(
                "`server seed --cases {CASES}` on PostgreSQL: **{} cases, {} ledger entries in {:.0} s** \
                 ({:.0} cases/s, {} entries/s; 500 cases per transaction).",
                group(seeded.cases),
                group(seeded.entries),
                seeded.seconds,
                f64::from(seeded.cases) / seeded.seconds,
                group((seeded.entries as f64 / seeded.seconds).round() as u64),
            )],
        )?;
    }

    // The demo cases beside the generated ones: the paths' cases and caseworker.
    seed_demo(&url)?;
    let on_postgres = compare_paths(&url, work.path(), &script, path_seconds)?;
    record(
        "paths",
        &paths_table(path_seconds, &on_sqlite, &on_postgres),
    )?;

    let server = Server::start(&url, work.path())?;
    let cookies = work.path().join("cookies");
    sign_in_parents(&server, &cookies)?;
    let wrk = Wrk {
        address: server.address.clone(),
        script,
        cookies,
    };

    let ceiling = wrk.run("static", CONNECTIONS, seconds, 0)?;
    let dashboard = wrk.run("function", CONNECTIONS, seconds, 0)?;
    let overview = wrk.run("page", CONNECTIONS, seconds, 0)?;
    let share = overview.per_second() / ceiling.per_second();
    let mut lines = vec![
        format!(
            "wrk, {CONNECTIONS} connections, {seconds} s each, loopback; release server on the \
             {}-case PostgreSQL database (pool of 10), a random one of {PARENTS} signed-in parents per request.",
            group(CASES)
        ),
        String::new(),
        "| Route | Requests/s | p50 | p95 | p99 | max | Errors |".to_owned(),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |".to_owned(),
    ];
    for (name, result) in [
        ("static file `/favicon.svg` (ceiling)", &ceiling),
        ("dashboard server function `POST /api/overview`", &dashboard),
        ("SSR overview page `GET /dashboard`", &overview),
    ] {
        lines.push(result.row(name));
    }
    lines.push(String::new());
    lines.push(format!(
        "Budgets: dashboard p95 **{:.1} ms** (≤ {DASHBOARD_P95_BUDGET_MS} ms: {}); SSR overview **{:.0} %** of the \
         static file's rate (≥ {:.0} %: {}).",
        dashboard.p95_ms(),
        verdict(dashboard.p95_ms() <= DASHBOARD_P95_BUDGET_MS),
        share * 100.0,
        SSR_SHARE_BUDGET * 100.0,
        verdict(share >= SSR_SHARE_BUDGET),
    ));
    record("load", &lines)?;
    record("attack", &under_attack(&wrk, &server, seconds)?)?;

    if soak_seconds > 0 {
        let soak = soak(&wrk, &server, soak_seconds)?;
        record("soak", &soak)?;
    }
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The release `server` program (cargo builds it for this benchmark).
fn server_program(url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env("PORTAL_CONFIG", repository().join("Leptos.toml"))
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ROOT", repository().join("target/site"))
        .env("PORTAL_EMAIL_ENABLED", "false")
        .stdin(Stdio::null());
    command
}

struct Seeded {
    cases: u32,
    entries: u64,
    seconds: f64,
}

/// Seeds the caseload unless it is whole already; what a seed wrote.
fn seed(url: &str) -> Result<Option<Seeded>, Failure> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let (admin, name) = url
            .rsplit_once('/')
            .ok_or("BENCH_DATABASE_URL has no database name")?;
        let server = Database::connect(format!("{admin}/postgres")).await?;
        if std::env::var("BENCH_RESEED").is_ok_and(|v| v == "1") {
            server
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await?;
        }
        let exists = server
            .query_one_raw(sea_orm::Statement::from_string(
                server.get_database_backend(),
                format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
            ))
            .await?
            .is_some();
        if !exists {
            server
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await?;
        }
        Ok::<(), Failure>(())
    })?;

    let started = Instant::now();
    let out = server_program(url)
        .args([
            "seed",
            "--cases",
            &CASES.to_string(),
            "--seed",
            &SEED.to_string(),
        ])
        .args(["--accounts", &PARENTS.to_string()])
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    if !out.status.success() {
        return Err(format!("server seed failed: {text}").into());
    }
    // "N cases and E ledger entries written in T"
    let written = text
        .lines()
        .find(|line| line.contains("ledger entries written"))
        .and_then(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            Some((
                words.first()?.parse::<u32>().ok()?,
                words.get(3)?.parse::<u64>().ok()?,
            ))
        });
    let resumed = text.contains("resumed after");
    Ok(match written {
        Some((cases, entries)) if cases > 0 && !resumed => Some(Seeded {
            cases,
            entries,
            seconds: started.elapsed().as_secs_f64(),
        }),
        _ => None,
    })
}

/// The demo cases into `url` (nothing to do when they are there).
fn seed_demo(url: &str) -> Result<(), Failure> {
    let out = server_program(url)
        .args(["seed", "--demo"])
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "server seed --demo failed: {}",
            String::from_utf8_lossy(&out.stdout)
        )
        .into());
    }
    Ok(())
}

/// The paths the budgets name, each with the demo account that asks for it
/// (none: signed out). The stylesheet's path is read from the home page.
const PATHS: [(&str, &str, Option<&str>); 6] = [
    ("home page `/` (signed out)", "/", None),
    ("advice `/advice`", "/advice", None),
    ("stylesheet `/pkg/portal.<hash>.css`", STYLESHEET, None),
    (
        "overview `/dashboard`, parent in arrears",
        "/dashboard",
        Some("behind.parent@example.com"),
    ),
    (
        "history of a 20-year weekly case (1,570 entries)",
        "/cases/CS-2016-000388/history",
        Some("olivia.price@example.com"),
    ),
    (
        "the agency's file `/caseload/CS-2020-004172`, caseworker",
        "/caseload/CS-2020-004172",
        Some("caseworker@example.com"),
    ),
];
const STYLESHEET: &str = "stylesheet";
/// Connections for the paths, as the budgets name them.
const PATH_CONNECTIONS: u32 = 16;
/// Each path is asked for this long before it is measured.
const WARM_UP_SECONDS: u64 = 2;

/// Each of [`PATHS`] on a fresh server on `url`, one after another.
fn compare_paths(url: &str, work: &Path, script: &Path, seconds: u64) -> Result<Vec<Run>, Failure> {
    let server = Server::start(url, work)?;
    let wrk = Wrk {
        address: server.address.clone(),
        script: script.to_path_buf(),
        cookies: work.join("no-cookies"),
    };
    std::fs::write(&wrk.cookies, "")?;
    let stylesheet = stylesheet_of(&server)?;
    let mut runs = Vec::new();
    for (name, path, account) in PATHS {
        let path = if path == STYLESHEET {
            stylesheet.as_str()
        } else {
            path
        };
        let cookie = account.map(|email| sign_in(&server, email)).transpose()?;
        // Warmed first: a first visit reads the ledger, later ones keep it.
        wrk.path(path, cookie.as_deref(), PATH_CONNECTIONS, WARM_UP_SECONDS)?;
        let run = wrk.path(path, cookie.as_deref(), PATH_CONNECTIONS, seconds)?;
        if run.errors > 0 {
            return Err(
                format!("{name}: {} errors (non-2xx or failed) on {url}", run.errors).into(),
            );
        }
        runs.push(run);
    }
    Ok(runs)
}

/// The fingerprinted stylesheet the home page links.
fn stylesheet_of(server: &Server) -> Result<String, Failure> {
    let out = Command::new("curl")
        .args(["--silent", "--fail"])
        .arg(format!("{}/", server.address))
        .output()?;
    let page = String::from_utf8_lossy(&out.stdout);
    page.split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("/pkg/") && href.ends_with(".css"))
        .map(str::to_owned)
        .ok_or_else(|| "the home page links no stylesheet under /pkg/".into())
}

/// One table of every path on both databases, with the budgets' verdicts.
fn paths_table(seconds: u64, sqlite: &[Run], postgres: &[Run]) -> Vec<String> {
    let mut lines = vec![
        format!(
            "wrk, {PATH_CONNECTIONS} connections, {seconds} s each, loopback, release server; SQLite: the demo data; \
             PostgreSQL: the demo data beside the {}-case caseload. × `/`: requests per second over the home page's in \
             the same run.",
            group(CASES)
        ),
        String::new(),
        "| Path | SQLite req/s | p50 | p99 | × `/` | PostgreSQL req/s | p50 | p99 | × `/` |".to_owned(),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |".to_owned(),
    ];
    let ms = |us: u64| format!("{:.1} ms", us as f64 / 1000.0);
    let cells = |runs: &[Run], at: usize| {
        let (run, home) = (&runs[at], &runs[0]);
        format!(
            "{} | {} | {} | {:.2}",
            group(run.per_second().round() as u64),
            ms(run.p50),
            ms(run.p99),
            run.per_second() / home.per_second().max(0.001)
        )
    };
    for (at, (name, _, _)) in PATHS.iter().enumerate() {
        lines.push(format!(
            "| {name} | {} | {} |",
            cells(sqlite, at),
            cells(postgres, at)
        ));
    }
    lines.push(String::new());
    for (database, runs) in [("SQLite", sqlite), ("PostgreSQL", postgres)] {
        let ratio = |at: usize| runs[at].per_second() / runs[0].per_second().max(0.001);
        let spread = runs
            .iter()
            .map(|run| run.p99 as f64 / run.p50.max(1) as f64)
            .fold(0.0, f64::max);
        let budget = |name: &str, ratio: f64, at_least: f64| {
            format!(
                "{name} **{ratio:.3}×** (≥ {at_least}×: {})",
                verdict(ratio >= at_least)
            )
        };
        lines.push(format!(
            "Budgets on {database}: {}; {}; {}; {}; p99 at most **{spread:.1}×** p50 (≤ 4×: {}).",
            budget("stylesheet", ratio(2), 1.5),
            budget("overview", ratio(3), 0.3),
            budget("20-year history", ratio(4), 0.2),
            budget("agency's file", ratio(5), 0.2),
            verdict(spread <= 4.0),
        ));
    }
    lines
}

/// The release server, serving the bench database on a free port.
struct Server {
    child: Child,
    address: String,
    log: PathBuf,
}

impl Server {
    fn start(url: &str, work: &Path) -> Result<Self, Failure> {
        let log = work.join("server.log");
        let out = std::fs::File::create(&log)?;
        let child = server_program(url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            // wrk stands in for a proxy, so the attack comes from many addresses.
            .env("PORTAL_TRUSTED_PROXIES", "127.0.0.1")
            // Only sign-ins are throttled; 500 from one address are not failures.
            .env("RUST_LOG", "warn,server=info")
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()?;
        let mut server = Server {
            child,
            address: String::new(),
            log: log.clone(),
        };
        // Accrual runs at start-up; measuring starts once it is done.
        let deadline = Instant::now() + Duration::from_secs(900);
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(at) = text
                .lines()
                .find_map(|line| line.split("running at ").nth(1))
            {
                server.address = at.trim().to_owned();
            }
            if !server.address.is_empty() && text.contains("accrual done") {
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("the server stopped ({status}):\n{text}").into());
            }
            if Instant::now() > deadline {
                return Err(format!("the server was not ready in 15 minutes:\n{text}").into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Resident memory, in KiB.
    /// The server's resident memory in KiB, or why it could not be read.
    fn memory(&self) -> Result<u64, Failure> {
        self.rss_kib()
            .ok_or_else(|| "the server's memory (VmRSS) could not be read".into())
    }

    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // What went wrong on the server's side, if anything, for the reader.
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        for line in text
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("WARN"))
            .take(20)
        {
            eprintln!("server: {line}");
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Signs the parents in through the real sign-in; their cookies, one a line.
fn sign_in_parents(server: &Server, cookies: &Path) -> Result<(), Failure> {
    let mut jar = String::new();
    for index in 0..PARENTS {
        let email = server::seed::caseload::payer_email(SEED, index);
        writeln!(jar, "{}", sign_in(server, &email)?)?;
    }
    std::fs::write(cookies, jar)?;
    Ok(())
}

/// Signs `email` in (the demo password); its session cookie, `name=value`.
fn sign_in(server: &Server, email: &str) -> Result<String, Failure> {
    let out = Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--dump-header",
            "-",
            "--output",
            "/dev/null",
        ])
        .args(["--header", "Sec-Fetch-Site: same-origin"])
        .args(["--data-urlencode", &format!("email={email}")])
        .args([
            "--data-urlencode",
            &format!("password={}", server::seed::demo::DEMO_PASSWORD),
        ])
        // The portal-wide limit on sign-ins asks the rest to wait (429).
        .args([
            "--retry",
            "20",
            "--retry-delay",
            "1",
            "--retry-all-errors",
            "--fail",
        ])
        .arg(format!("{}/api/sign_in", server.address))
        .output()?;
    let headers = String::from_utf8_lossy(&out.stdout);
    let cookie = headers
        .lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, value)| value.trim().split(';').next())
        .find(|pair| pair.starts_with(&format!("{}=", server::sessions::COOKIE_NAME)))
        .ok_or_else(|| format!("{email} could not sign in:\n{headers}"))?;
    Ok(cookie.to_owned())
}

struct Wrk {
    address: String,
    script: PathBuf,
    cookies: PathBuf,
}

struct Run {
    requests: u64,
    seconds: f64,
    errors: u64,
    /// Latencies in microseconds.
    p50: u64,
    p95: u64,
    p99: u64,
    max: u64,
}

impl Wrk {
    fn run(
        &self,
        mode: &str,
        connections: u32,
        seconds: u64,
        pause_ms: u32,
    ) -> Result<Run, Failure> {
        self.run_with(mode, connections, seconds, pause_ms, &[])
    }

    /// `path` at `connections` for `seconds`, with `cookie` (or none).
    fn path(
        &self,
        path: &str,
        cookie: Option<&str>,
        connections: u32,
        seconds: u64,
    ) -> Result<Run, Failure> {
        let env = [("BENCH_PATH", path), ("BENCH_COOKIE", cookie.unwrap_or(""))];
        self.run_with("path", connections, seconds, 0, &env)
    }

    fn run_with(
        &self,
        mode: &str,
        connections: u32,
        seconds: u64,
        pause_ms: u32,
        env: &[(&str, &str)],
    ) -> Result<Run, Failure> {
        let out = Command::new("wrk")
            .args(["--threads", "2", "--connections", &connections.to_string()])
            .args(["--duration", &format!("{seconds}s"), "--timeout", "10s"])
            .arg("--script")
            .arg(&self.script)
            .arg(&self.address)
            .env("BENCH_MODE", mode)
            .env("BENCH_PAUSE_MS", pause_ms.to_string())
            .env("BENCH_COOKIES", &self.cookies)
            .envs(env.iter().copied())
            .output()?;
        let text = String::from_utf8_lossy(&out.stdout);
        print!("{mode}: {text}");
        let numbers: Vec<f64> = text
            .lines()
            .find_map(|line| line.strip_prefix("RESULT "))
            .ok_or_else(|| {
                format!(
                    "wrk printed no result:\n{text}{}",
                    String::from_utf8_lossy(&out.stderr)
                )
            })?
            .split_whitespace()
            .filter_map(|word| word.parse().ok())
            .collect();
        let [requests, seconds, errors, p50, p95, p99, max] = numbers[..] else {
            return Err(format!("unexpected wrk result: {text}").into());
        };
        Ok(Run {
            requests: requests as u64,
            seconds,
            errors: errors as u64,
            p50: p50 as u64,
            p95: p95 as u64,
            p99: p99 as u64,
            max: max as u64,
        })
    }
}

impl Run {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds.max(0.001)
    }

    fn p95_ms(&self) -> f64 {
        self.p95 as f64 / 1000.0
    }

    fn row(&self, name: &str) -> String {
        let ms = |us: u64| format!("{:.1} ms", us as f64 / 1000.0);
        format!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            group(self.per_second().round() as u64),
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            ms(self.max),
            self.errors
        )
    }
}

/// The overview page quiet, then while wrong-password sign-ins flood in
/// (20 connections each pausing 100 ms: about 200 a second, bounded).
fn under_attack(wrk: &Wrk, server: &Server, seconds: u64) -> Result<Vec<String>, Failure> {
    const READERS: u32 = 4;
    let quiet = wrk.run("page", READERS, seconds, 0)?;
    let before = server.memory()?;
    let started = Instant::now();
    let (attack, attacked, samples) = std::thread::scope(|scope| {
        let attack = scope.spawn(|| wrk.run("attack", 20, seconds + 4, 100));
        std::thread::sleep(Duration::from_secs(2));
        let attacked = scope.spawn(|| wrk.run("page", READERS, seconds, 0));
        // The server's memory every half second while the attack lasts.
        let mut samples = Vec::new();
        while !attack.is_finished() {
            std::thread::sleep(Duration::from_millis(500));
            if let Some(rss) = server.rss_kib() {
                samples.push((started.elapsed(), rss));
            }
        }
        (attack.join(), attacked.join(), samples)
    });
    let attack = attack.map_err(|_| "the attack's wrk thread panicked")??;
    let attacked = attacked.map_err(|_| "the readers' wrk thread panicked")??;
    let after = server.memory()?;
    // Flat: the second half of the attack needs no more than the first.
    let half = Duration::from_secs((seconds + 4) / 2);
    let peak_in = |early: bool| {
        samples
            .iter()
            .filter(|(at, _)| (*at < half) == early)
            .map(|(_, rss)| *rss)
            .max()
            .unwrap_or(before)
    };
    let (first_half, second_half) = (peak_in(true), peak_in(false));
    let flat = second_half as f64 <= first_half as f64 * 1.05;
    let ratio = attacked.p95 as f64 / quiet.p95.max(1) as f64;
    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    Ok(vec![
        format!(
            "The SSR overview `GET /dashboard` at {READERS} connections, {seconds} s quiet, then {seconds} s while \
             wrong-password sign-ins arrive from random addresses through a trusted proxy (20 connections, 100 ms \
             apart; `security.credential_checks_per_second` = 30)."
        ),
        String::new(),
        "| Load | Requests/s | p50 | p95 | p99 | max | Errors |".to_owned(),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |".to_owned(),
        quiet.row("overview, quiet"),
        attacked.row("overview, under attack"),
        attack.row("the attack: `POST /api/sign_in`, wrong passwords"),
        String::new(),
        format!(
            "Budget: overview p95 under attack **{ratio:.2}×** its quiet p95 (≤ {UNDER_ATTACK_BUDGET}×: {}). \
             Server RSS {} before the attack; at most {} in its first half and {} in its second \
             (flat, ≤ +5 %: {}); {} after. The rise is the hashing pool's working set (argon2 takes \
             19 MiB a hash, one hash per core), taken once and kept.",
            verdict(ratio <= UNDER_ATTACK_BUDGET),
            mib(before),
            mib(first_half),
            mib(second_half),
            verdict(flat),
            mib(after),
        ),
    ])
}

/// A bounded mixed load for `seconds`; the server's memory every 10 s.
fn soak(wrk: &Wrk, server: &Server, seconds: u64) -> Result<Vec<String>, Failure> {
    const CONNECTIONS: u32 = 8;
    const PAUSE_MS: u32 = 40;
    let before = server.memory()?;
    let (run, samples) = std::thread::scope(|scope| {
        let load = scope.spawn(|| wrk.run("mixed", CONNECTIONS, seconds, PAUSE_MS));
        let mut samples = Vec::new();
        while !load.is_finished() {
            std::thread::sleep(Duration::from_secs(10));
            if let Some(rss) = server.rss_kib() {
                samples.push(rss);
            }
        }
        (load.join(), samples)
    });
    let run = run.map_err(|_| "the soak's wrk thread panicked")??;
    let first = samples.first().copied().unwrap_or(before);
    let last = samples.last().copied().unwrap_or(before);
    let peak = samples.iter().copied().max().unwrap_or(before);
    let growth = (last as f64 - first as f64) / first.max(1) as f64;
    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    Ok(vec![
        format!(
            "{} s of the dashboard function and the SSR overview in turn, {CONNECTIONS} connections each pausing \
             {PAUSE_MS} ms: **{} requests ({:.0}/s), {} errors**, p95 {:.1} ms, p99 {:.1} ms.",
            seconds,
            group(run.requests),
            run.per_second(),
            run.errors,
            run.p95_ms(),
            run.p99 as f64 / 1000.0,
        ),
        format!(
            "Server RSS: {} before, {} after the first 10 s, {} at the end, peak {} — **{:+.1} %** from the first \
             sample to the last ({} samples, every 10 s).",
            mib(before),
            mib(first),
            mib(last),
            mib(peak),
            growth * 100.0,
            samples.len()
        ),
    ])
}

/// `1234567` → `1,234,567`.
fn group(number: impl Into<u64>) -> String {
    let digits = number.into().to_string();
    let mut out = String::new();
    for (n, digit) in digits.chars().enumerate() {
        if n > 0 && (digits.len() - n) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Rewrites the section `<!-- name -->` … `<!-- /name -->` of
/// docs/BENCHMARKS.md (the same convention as the browser benchmarks').
fn record(name: &str, lines: &[String]) -> Result<(), Failure> {
    let doc = repository().join("docs/BENCHMARKS.md");
    let text = std::fs::read_to_string(&doc)?;
    let (start, end) = (format!("<!-- {name} -->"), format!("<!-- /{name} -->"));
    let (Some(from), Some(to)) = (text.find(&start), text.find(&end)) else {
        return Err(format!("{} has no {start} … {end} section", doc.display()).into());
    };
    let updated = format!(
        "{}\n{}\n{}",
        &text[..from + start.len()],
        lines.join("\n"),
        &text[to..]
    );
    std::fs::write(&doc, updated)?;
    Ok(())
}
