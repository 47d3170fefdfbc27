//! The real `server` program, run by a test: a command with the
//! repository's configuration, started with its output in a file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use http::Request;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

use super::Page;

/// The `server` program with the repository's configuration on `url`.
pub fn server(url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env("PORTAL_CONFIG", repository().join("Leptos.toml"))
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_SITE_ROOT", repository().join("target/site"))
        .env("PORTAL_EMAIL_ENABLED", "false")
        .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn")
        .stdin(Stdio::null());
    command
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| panic!("the server crate has no parent folder"))
        .to_path_buf()
}

/// Runs `command` to its end; it must succeed.
pub fn finish(command: &mut Command) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A started program, killed (SIGKILL) when dropped, so that a failing
/// test leaves no server behind.
pub struct Running {
    child: Child,
    log: PathBuf,
}

/// Starts `command` with its output in `log` (a file, read while it runs).
pub fn start(command: &mut Command, log: &Path) -> Running {
    let out = std::fs::File::create(log).unwrap_or_else(|e| panic!("{e}"));
    let err = out.try_clone().unwrap_or_else(|e| panic!("{e}"));
    let child = command
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    Running {
        child,
        log: log.to_path_buf(),
    }
}

impl Running {
    /// What it printed so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Panics (with its output) if it has ended.
    pub fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("ended ({status}):\n{}", self.output());
        }
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for a started `serve` to say where it listens.
    pub async fn address(&mut self) -> SocketAddr {
        const RUNNING_AT: &str = "Child Support Portal is running at http://";
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = self.output();
            if let Some(line) = text.lines().find_map(|line| line.strip_prefix(RUNNING_AT)) {
                return line
                    .trim()
                    .parse()
                    .unwrap_or_else(|e| panic!("{line}: {e}"));
            }
            self.assert_running();
            assert!(
                Instant::now() < deadline,
                "the server did not start:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A real HTTP/1.1 connection to a running server, kept alive for as many
/// requests as the test sends on it.
pub async fn connection(address: SocketAddr) -> SendRequest<Body> {
    let stream = tokio::net::TcpStream::connect(address)
        .await
        .unwrap_or_else(|e| panic!("connect {address}: {e}"));
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(connection);
    sender
}

/// Sends `request` to a running server over a real connection.
pub async fn over_http(address: SocketAddr, request: Request<Body>) -> Page {
    let response = connection(address)
        .await
        .send_request(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Page::read(response).await
}
