//! A PostgreSQL server of the test's own (initdb + pg_ctl on a free port, in
//! a temporary folder), which the test may stop and start again without
//! touching the machine's shared server.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct ThrowawayPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl ThrowawayPostgres {
    /// Creates and starts the server, or `None` (with a loud notice) when
    /// PostgreSQL's programs are not installed. With `CI=true` that fails.
    pub fn start() -> Option<Self> {
        let Some(bin) = bin_dir() else {
            if std::env::var("CI").is_ok_and(|ci| ci == "true") {
                panic!("CI=true and PostgreSQL's initdb/pg_ctl cannot be found");
            }
            eprintln!("\n*** SKIPPED: PostgreSQL's initdb/pg_ctl not found ***\n");
            return None;
        };
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let port = free_port();
        let server = Self { dir, bin, port };
        // initdb refuses to run as root: the folder goes to `postgres`.
        if is_root() {
            run(Command::new("chown")
                .arg("postgres:")
                .arg(server.dir.path()));
        }
        run(server
            .as_owner("initdb")
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--no-sync",
            ])
            .arg("-D")
            .arg(server.data()));
        server.start_again();
        Some(server)
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// An immediate shutdown, as in a crash: connections are cut, nothing is
    /// tidied up (the next start recovers from the write-ahead log).
    pub fn stop(&self) {
        run(self
            .as_owner("pg_ctl")
            .args(["stop", "-w", "-m", "immediate", "-D"])
            .arg(self.data()));
    }

    pub fn start_again(&self) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        run(self
            .as_owner("pg_ctl")
            .args(["start", "-w", "-t", "60", "-o", &options, "-l"])
            .arg(self.dir.path().join("server.log"))
            .arg("-D")
            .arg(self.data()));
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `program` from PostgreSQL's folder, as the owner of the data.
    fn as_owner(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }
}

impl Drop for ThrowawayPostgres {
    fn drop(&mut self) {
        let _ = self
            .as_owner("pg_ctl")
            .args(["stop", "-m", "immediate", "-D"])
            .arg(self.data())
            .output();
    }
}

fn bin_dir() -> Option<PathBuf> {
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    from_pg_config.filter(|dir| Path::new(dir).join("initdb").exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port()
}

fn run(command: &mut Command) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
