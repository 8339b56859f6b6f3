//! Helpers shared by the command-line tests that run the binary against a database URL or path.
#![allow(dead_code, clippy::unwrap_used)] // not every test file uses every helper

use std::process::{Command, Output};

pub const QUICKSCAN: &str = "../../../shared/data/quickscan-2025.csv";

/// Runs `dakwacht --database DATABASE ARGS…` as a user would.
pub fn dakwacht(database: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env_remove("DAKWACHT_DATABASE")
        .env_remove("DAKWACHT_RULES")
        .output()
        .expect("the binary runs")
}

/// Runs `dakwacht --database DATABASE ARGS…` with `input` on standard input (a password, say).
pub fn dakwacht_with_input(
    database: impl AsRef<std::ffi::OsStr>,
    args: &[&str],
    input: &str,
) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env_remove("DAKWACHT_DATABASE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The standard output of a command that must succeed.
pub fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub fn base_url() -> String {
    std::env::var("DAKWACHT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A schema of its own on the test server, dropped with [`Schema::drop`]; `None` (said loudly)
/// when there is no server and PostgreSQL is not required.
pub struct Schema {
    pub name: String,
    pub admin: sqlx::PgPool,
}

impl Schema {
    pub fn create(runtime: &tokio::runtime::Runtime, label: &str) -> Option<Schema> {
        let url = base_url();
        let admin = runtime.block_on(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(std::time::Duration::from_secs(3))
                .connect(&url),
        );
        let admin = match admin {
            Ok(admin) => admin,
            Err(error) if std::env::var_os("REQUIRE_POSTGRES").is_none() => {
                eprintln!("!!! SKIPPED: PostgreSQL test, no server at {url} ({error})");
                return None;
            }
            Err(error) => {
                panic!("REQUIRE_POSTGRES is set, but there is no PostgreSQL at {url}: {error}")
            }
        };
        let name = format!("dakwacht_cli_{label}_{}", std::process::id());
        runtime
            .block_on(
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
                )))
                .execute(&admin),
            )
            .unwrap();
        Some(Schema { name, admin })
    }

    /// The URL dakwacht is given: the test database, with this schema first on the path.
    pub fn url(&self) -> String {
        format!("{}?options=-c%20search_path%3D{}", base_url(), self.name)
    }

    pub fn drop(self, runtime: &tokio::runtime::Runtime) {
        let _ = runtime.block_on(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {} CASCADE",
                self.name
            )))
            .execute(&self.admin),
        );
    }
}

/// Signs in at a running `dakwacht serve` as a browser does: opens the sign-in page for its form
/// token (a hidden field and a cookie), then sends the form. Returns the whole HTTP answer.
pub fn sign_in_over_http(address: &str, username: &str, password: &str) -> String {
    use std::io::{Read, Write};
    let exchange = |request: String| {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let page = exchange(format!(
        "GET /login HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    ));
    let cookie = page
        .lines()
        .filter_map(|line| line.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with("dakwacht_login_csrf="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no form token cookie: {page}"))
        .to_string();
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let csrf = page[start..].split('"').next().unwrap();
    let form = format!(
        "csrf={csrf}&username={username}&password={}",
        password.replace(' ', "+")
    );
    exchange(format!(
        "POST /login HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    ))
}
