//! `dakwacht serve --demo`: a working application in one command, on made-up accounts and the
//! published (anonymised) quickscan cases.

use std::path::PathBuf;

use anyhow::Context as _;
use dakwacht_core::access::Role;
use dakwacht_interchange::CaseReader;
use dakwacht_store::{Actor, ImportMessage, NewUser, SqliteStore, Store};
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

/// A fresh database in the temporary directory, filled; returns its path.
pub async fn prepare() -> anyhow::Result<(PathBuf, SqliteStore)> {
    // One fixed file, made anew on every start, so demo runs do not pile up in the temp directory.
    let path = std::env::temp_dir().join("dakwacht-demo.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let store = SqliteStore::open(path.to_str().context("temporary path is not UTF-8")?).await?;
    let actor = Actor::cli("demo");

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
    store
        .import(&actor, "quickscan-2025.csv (demo)", rx)
        .await?;

    let password = crate::demo::password()?;
    let hash = dakwacht_core::password::hash(&password)?;
    for (username, role, organisation) in ACCOUNTS {
        store
            .add_user(
                &actor,
                &NewUser {
                    username: (*username).to_string(),
                    role: *role,
                    organisation: organisation.map(str::to_string),
                    password_hash: hash.clone(),
                },
            )
            .await?;
    }
    println!(
        "Demo database: {} (quickscan 2025 cases, made fresh on every start)",
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
    Ok((path, store))
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
