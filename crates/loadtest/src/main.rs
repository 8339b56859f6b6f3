//! `dakwacht-load`: a load test of the web application (issue 19), with goose.
//!
//! Signed-in users do a working day's clicks against a dakwacht server on this machine:
//! professionals (nine in ten users) page through and filter their organisation's case list,
//! open cases, open a case's form and save one change, look at the follow-up list and their
//! dashboard; researchers open the dashboard over all organisations, one organisation or one
//! municipality. Every request is named after its page, so the report has a line per page.
//!
//! Run it through `scripts/load`, which makes the data, the accounts and the server. By hand:
//!
//! ```text
//! DAKWACHT_LOAD_ACCOUNTS=accounts.tsv DAKWACHT_LOAD_PASSWORD=… \
//!   dakwacht-load --host http://127.0.0.1:8080 --users 50 --increase-rate 10 --run-time 60s
//! ```
//!
//! Goose's own options apply (`--help`); only a server on this machine is accepted as `--host`
//! (`127.0.0.1`, `localhost`, `[::1]`). The test stops after `--run-time` (60 s unless given).
//! Set by the environment:
//!
//! - `DAKWACHT_LOAD_ACCOUNTS` (required): the accounts, a line each, `USERNAME<TAB>ROLE` with
//!   `<TAB>ORGANISATION` for a professional; roles `professional` and `researcher`. Each
//!   simulated user signs in with the next account of its role.
//! - `DAKWACHT_LOAD_PASSWORD` (required): the password of every account.
//! - `DAKWACHT_LOAD_CASES`: cases to open, a line each, `ORGANISATION<TAB>CASE_REF` (a sample
//!   over all the data; without it, users open the cases they saw on the list pages).
//! - `DAKWACHT_LOAD_THINK_MS`: the pause between two steps of a user, `MIN-MAX` in
//!   milliseconds (default `2000-8000`: a brisk click every 5 s on average, all day long;
//!   `500-2000` is a stress test, `0-0` as fast as the server answers).
//! - `DAKWACHT_LOAD_SUMMARY`: a file to write the summary table to (Markdown).
//!
//! The exit status is 0 when no request failed, 2 when some did, 1 when the test could not run.
//! A save refused because someone else saved the case first (409, stale version) is the server
//! doing its work: it is counted apart, not as an error.

mod html;
mod summary;
mod work;

use std::process::ExitCode;
use std::time::Duration;

use goose::prelude::*;

use crate::work::{
    Accounts, Samples, professional_step, researcher_step, sign_in_professional, sign_in_researcher,
};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("dakwacht-load: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let asks_help = arguments.iter().any(|a| {
        a == "-h" || a == "--help" || a == "-V" || a == "--version" || a == "-l" || a == "--list"
    });
    if !asks_help {
        let host = host_argument(&arguments).ok_or(
            "give the server as --host http://127.0.0.1:PORT (only this machine is load-tested)",
        )?;
        check_loopback(&host)?;
    }
    let think = think_time(std::env::var("DAKWACHT_LOAD_THINK_MS").ok().as_deref())?;
    if !asks_help {
        let accounts = Accounts::from_environment()?;
        work::set_accounts(accounts);
        work::set_samples(Samples::from_environment()?);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let metrics = runtime
        .block_on(attack(think))
        .map_err(|e| format!("the load test failed: {e}"))?;
    if asks_help {
        return Ok(ExitCode::SUCCESS);
    }
    let lines = summary::lines(&metrics);
    let table = summary::markdown(&lines, work::stale_saves(), metrics.duration);
    println!("\n{table}");
    if let Ok(path) = std::env::var("DAKWACHT_LOAD_SUMMARY")
        && !path.is_empty()
    {
        std::fs::write(&path, &table).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    let errors: usize = lines.iter().map(|l| l.errors).sum();
    Ok(if errors == 0 && !lines.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The scenarios, with goose's defaults for a bounded test on this machine.
async fn attack(think: (Duration, Duration)) -> Result<GooseMetrics, GooseError> {
    let (min, max) = think;
    // One transaction a scenario, which draws the step (see `work::PROFESSIONAL_DAY`).
    let professional = scenario!("professional")
        .set_weight(9)?
        .set_wait_time(min, max)?
        .register_transaction(transaction!(sign_in_professional).set_on_start())
        .register_transaction(transaction!(professional_step).set_name("a step"));
    let researcher = scenario!("researcher")
        .set_weight(1)?
        .set_wait_time(min, max)?
        .register_transaction(transaction!(sign_in_researcher).set_on_start())
        .register_transaction(transaction!(researcher_step).set_name("a look"));
    GooseAttack::initialize()?
        .register_scenario(professional)
        .register_scenario(researcher)
        .set_default(GooseDefault::Users, 50)?
        .set_default(GooseDefault::RunTime, 60)?
        // No controller ports: the test listens nowhere.
        .set_default(GooseDefault::NoTelnet, true)?
        .set_default(GooseDefault::NoWebSocket, true)?
        .execute()
        .await
}

/// The `--host` (`-H`) argument, as goose reads it.
fn host_argument(arguments: &[String]) -> Option<String> {
    let mut found = None;
    let mut iter = arguments.iter();
    while let Some(argument) = iter.next() {
        if argument == "--" {
            break;
        }
        if argument == "--host" || argument == "-H" {
            found = iter.next().cloned();
        } else if let Some(value) = argument.strip_prefix("--host=") {
            found = Some(value.to_string());
        } else if let Some(value) = argument.strip_prefix("-H")
            && !value.is_empty()
            && !argument.starts_with("--")
        {
            found = Some(value.to_string());
        }
    }
    found
}

/// Refuses a host that is not this machine: the load test never leaves it.
fn check_loopback(host: &str) -> Result<(), String> {
    let url = url::Url::parse(host).map_err(|e| format!("--host {host}: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("--host {host}: give an http:// address"));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    };
    if loopback {
        Ok(())
    } else {
        Err(format!(
            "--host {host}: only a server on this machine is load-tested (127.0.0.1, localhost or [::1])"
        ))
    }
}

/// The pause between two steps of a user, from `MIN-MAX` milliseconds.
fn think_time(setting: Option<&str>) -> Result<(Duration, Duration), String> {
    let Some(setting) = setting.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((Duration::from_millis(2000), Duration::from_millis(8000)));
    };
    let wrong =
        || format!("DAKWACHT_LOAD_THINK_MS={setting}: give MIN-MAX in milliseconds, e.g. 500-2000");
    let (min, max) = setting.split_once('-').ok_or_else(wrong)?;
    let min: u64 = min.trim().parse().map_err(|_| wrong())?;
    let max: u64 = max.trim().parse().map_err(|_| wrong())?;
    if min > max {
        return Err(wrong());
    }
    Ok((Duration::from_millis(min), Duration::from_millis(max)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_host_is_found_in_each_spelling() {
        for given in [
            &["--host", "http://127.0.0.1:1"][..],
            &["-H", "http://127.0.0.1:1"],
            &["--host=http://127.0.0.1:1"],
            &["-Hhttp://127.0.0.1:1"],
            &[
                "--users",
                "5",
                "--host",
                "http://127.0.0.1:1",
                "--run-time",
                "5s",
            ],
        ] {
            assert_eq!(
                host_argument(&args(given)).as_deref(),
                Some("http://127.0.0.1:1"),
                "{given:?}"
            );
        }
        assert_eq!(host_argument(&args(&["--users", "5"])), None);
    }

    #[test]
    fn only_this_machine_is_accepted() {
        for host in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3/",
            "http://localhost:3000",
            "http://[::1]:8080",
            "https://LOCALHOST",
        ] {
            assert!(check_loopback(host).is_ok(), "{host}");
        }
        for host in [
            "http://10.0.0.1:8080",
            "http://example.org",
            "http://localhost.example.org",
            "http://0.0.0.0:8080",
            "ftp://127.0.0.1",
            "127.0.0.1:8080",
        ] {
            assert!(check_loopback(host).is_err(), "{host}");
        }
    }

    #[test]
    fn think_time_is_read() {
        assert_eq!(
            think_time(None),
            Ok((Duration::from_millis(2000), Duration::from_millis(8000)))
        );
        assert_eq!(
            think_time(Some("0-0")),
            Ok((Duration::ZERO, Duration::ZERO))
        );
        assert_eq!(
            think_time(Some(" 100 - 300 ")),
            Ok((Duration::from_millis(100), Duration::from_millis(300)))
        );
        assert!(think_time(Some("300-100")).is_err());
        assert!(think_time(Some("fast")).is_err());
    }
}
