//! `dakwacht serve --demo`: a working application in one command, on made-up accounts and the
//! published (anonymised) quickscan cases.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use dakwacht_core::access::Role;
use dakwacht_interchange::CaseReader;
use std::sync::Arc;

use dakwacht_app::{App, ImportMessage, NewUser, Principal, SqliteStore};
use tokio::sync::mpsc;

/// The 23 cases of the 2025 quickscan (`shared/data/quickscan-2025.csv`), built into the binary.
const QUICKSCAN: &[u8] = include_bytes!("../demo/quickscan-2025.csv");

/// The demo accounts: user name, role, organisation.
const ACCOUNTS: &[(&str, Role, Option<&str>)] = &[
    ("beheer", Role::Admin, None),
    (
        "coordinator.straat",
        Role::Coordinator,
        Some("Straatalliantie"),
    ),
    (
        "professional.straat",
        Role::Professional,
        Some("Straatalliantie"),
    ),
    (
        "professional.kernkracht",
        Role::Professional,
        Some("Stichting Kernkracht"),
    ),
    ("onderzoek", Role::Researcher, None),
];

/// What the demo directories are called in the temporary directory.
const DIR_PREFIX: &str = "dakwacht-demo-";
/// Locked by the server of a demo directory for as long as it runs.
const RUNNING: &str = "running.lock";

/// This run's demo database: a directory of its own, so two demo servers never touch each other's
/// data. It is removed when this value is dropped (the server stopped); a server stopped with
/// Ctrl+C has no time for that, and its directory is removed by the next demo start instead.
pub struct Demo {
    dir: tempfile::TempDir,
    /// Held locked while the server runs: the operating system releases it when the process
    /// ends, however it ends, which is how a later start knows the directory is abandoned.
    _running: std::fs::File,
}

impl Demo {
    pub fn database(&self) -> PathBuf {
        self.dir.path().join("dakwacht-demo.db")
    }
}

/// A fresh demo database in the temporary directory, filled.
pub async fn prepare() -> anyhow::Result<(Demo, Arc<App<SqliteStore>>)> {
    prepare_in(&std::env::temp_dir()).await
}

async fn prepare_in(parent: &Path) -> anyhow::Result<(Demo, Arc<App<SqliteStore>>)> {
    remove_abandoned(parent);
    let dir = tempfile::Builder::new()
        .prefix(DIR_PREFIX)
        .tempdir_in(parent)
        .context("cannot make a directory for the demo database")?;
    // Locked under another name first and then renamed, so no other start ever sees the lock
    // file free while this run is being set up.
    let unlocked = dir.path().join("starting.lock");
    let running = std::fs::File::create(&unlocked)?;
    running.lock()?;
    std::fs::rename(&unlocked, dir.path().join(RUNNING))?;
    let demo = Demo {
        dir,
        _running: running,
    };
    let path = demo.database();
    let app = App::open_sqlite(path.to_str().context("temporary path is not UTF-8")?).await?;
    let acting = app.acting_as(
        Principal::Operator {
            os_user: "demo".to_string(),
        },
        "cli: serve --demo",
    );

    let mut cases = Vec::new();
    for (line, row) in
        CaseReader::csv(QUICKSCAN)?.map_err(|e| anyhow::anyhow!("demo data header: {e:?}"))?
    {
        cases.push(row.map_err(|errors| anyhow::anyhow!("demo data, line {line}: {errors:?}"))?);
    }
    let (tx, rx) = mpsc::channel(2);
    tx.send(ImportMessage::Cases(cases)).await?;
    tx.send(ImportMessage::Commit).await?;
    drop(tx);
    acting.import("quickscan-2025.csv (demo)", rx).await?;

    let password = crate::demo::password()?;
    let hash = dakwacht_core::password::hash_unchecked(&password)?;
    for (username, role, organisation) in ACCOUNTS {
        acting
            .add_user(&NewUser {
                username: (*username).to_string(),
                role: *role,
                organisation: organisation.map(str::to_string),
                password_hash: hash.clone(),
            })
            .await?;
    }
    println!(
        "Demo database: {} (quickscan 2025 cases, this run's own; removed when it stops)",
        path.display()
    );
    println!("Demo accounts, all with the password {password}");
    for (username, role, organisation) in ACCOUNTS {
        println!(
            "  {username:<26} {:<13} {}",
            role.code(),
            organisation.unwrap_or("—")
        );
    }
    Ok((demo, app))
}

/// Removes the demo directories of servers that no longer run: nobody holds their lock. A
/// directory without a lock file is left alone (it is not one of ours, or not set up yet).
fn remove_abandoned(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(DIR_PREFIX) {
            continue;
        }
        let Ok(lock) = std::fs::File::open(entry.path().join(RUNNING)) else {
            continue;
        };
        if lock.try_lock().is_ok() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A readable random password for this run (four groups of four letters).
fn password() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no secure random numbers: {e}"))?;
    let letters: Vec<char> = bytes.iter().map(|b| (b'a' + b % 26) as char).collect();
    Ok(letters
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests fail loudly on purpose
    use super::*;

    async fn accounts(app: &Arc<App<SqliteStore>>) -> usize {
        let operator = Principal::Operator {
            os_user: "test".into(),
        };
        let acting = app.acting_as(operator, "test");
        acting.users_of(None).await.unwrap().len()
    }

    #[tokio::test]
    async fn two_demo_servers_have_databases_of_their_own() {
        let temp = tempfile::tempdir().unwrap();
        let (first, first_store) = prepare_in(temp.path()).await.unwrap();
        let (second, second_store) = prepare_in(temp.path()).await.unwrap();
        assert_ne!(first.database(), second.database());

        // Preparing the second left the first as it was, and both work.
        assert!(first.database().is_file());
        assert_eq!(accounts(&first_store).await, ACCOUNTS.len());
        assert_eq!(accounts(&second_store).await, ACCOUNTS.len());

        // A stopped server's directory goes with it; the other stays.
        let second_dir = second.dir.path().to_path_buf();
        drop(second_store);
        drop(second);
        assert!(!second_dir.exists());
        assert!(first.database().is_file());

        // A server killed without cleaning up leaves a directory nobody holds: the next start
        // removes it, and still not the running one.
        let abandoned = temp.path().join(format!("{DIR_PREFIX}killed"));
        std::fs::create_dir(&abandoned).unwrap();
        std::fs::write(abandoned.join(RUNNING), b"").unwrap();
        std::fs::write(abandoned.join("dakwacht-demo.db"), b"old").unwrap();
        let (third, _third_store) = prepare_in(temp.path()).await.unwrap();
        assert!(!abandoned.exists());
        assert!(first.database().is_file());
        assert!(third.database().is_file());
        assert_eq!(accounts(&first_store).await, ACCOUNTS.len());
    }
}
