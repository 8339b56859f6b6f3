//! Helpers shared by the command-line tests that run the binary against a database URL or path;
//! the rest (databases, the quickscan file, HTTP to `dakwacht serve`) is in `dakwacht-testkit`.
#![allow(dead_code, clippy::unwrap_used)] // not every test file uses every helper

use std::process::{Command, Output};

pub use dakwacht_testkit::QUICKSCAN;

/// Runs `dakwacht --database DATABASE ARGS…` as a user would.
pub fn dakwacht(database: &(impl AsRef<std::ffi::OsStr> + ?Sized), args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env_remove("DAKWACHT_DATABASE")
        .env_remove("DAKWACHT_RULES")
        .output()
        .expect("the binary runs")
}

/// Runs `dakwacht generate ARGS…`, which needs no database, and returns what it wrote to
/// standard output; it must succeed.
pub fn generate(args: &[&str]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .arg("generate")
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
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
    // A command that refuses its arguments exits before it reads: then the pipe is closed, and
    // what it said is in its output.
    let written = child.stdin.take().unwrap().write_all(input.as_bytes());
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().unwrap()
}

/// The path of a file `name` in `dir`, as text for a command line.
pub fn file_in(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_str().unwrap().to_string()
}

/// Fails, showing `output` whole, unless it holds `expected`.
#[track_caller]
pub fn assert_says(output: &str, expected: impl AsRef<str>) {
    let expected = expected.as_ref();
    assert!(output.contains(expected), "{expected:?} not in:\n{output}");
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
