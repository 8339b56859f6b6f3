//! `dakwacht organisation …`, `dakwacht user …` and `dakwacht audit`: administration at the
//! command line. Whoever runs these has the database file, so they act as the operator; every
//! change is still recorded in the audit log under their operating-system user.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::Context as _;
use dakwacht_app::{
    ACTIVATION_HOURS, Acting, Admission, AuditAction, AuditFilter, Disabling, Invitation,
    NewActivationLink, NewUser, Reset, Store,
};
use dakwacht_core::access::Role;
use dakwacht_core::control::{TextKind, check_text, escape_controls};
use dakwacht_core::password;

use crate::OutputFormat;

pub async fn add_organisation<S: Store>(
    acting: &Acting<S>,
    name: &str,
) -> anyhow::Result<ExitCode> {
    if let Err(expected) = check_text(name.trim(), TextKind::SingleLine) {
        anyhow::bail!(
            "organisation name '{}': {expected}",
            escape_controls(name.trim())
        );
    }
    if acting.add_organisation(name).await? {
        println!("Organisation '{}' added.", name.trim());
    } else {
        println!("Organisation '{}' exists already.", name.trim());
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn list_organisations<S: Store>(acting: &Acting<S>) -> anyhow::Result<ExitCode> {
    for name in acting.organisations().await? {
        println!("{name}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The new password: one line from standard input with `--password-stdin` (for scripts), else
/// asked twice at the terminal without echo.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
    let second = rpassword::prompt_password("Password again: ")?;
    anyhow::ensure!(
        first == second,
        "the two passwords differ; nothing was changed"
    );
    Ok(first)
}

/// How a new account gets its password.
pub enum NewPassword {
    /// Typed by the operator (at the terminal, or one line of standard input).
    Read { from_stdin: bool },
    /// Chosen by the user through a link printed here (`--activation-link`), so that not even
    /// the operator knows it.
    ActivationLink,
}

pub async fn add_user<S: Store>(
    acting: &Acting<S>,
    username: &str,
    role: Role,
    organisation: Option<&str>,
    password: NewPassword,
) -> anyhow::Result<ExitCode> {
    let username =
        dakwacht_core::access::normalise_username(username).map_err(anyhow::Error::msg)?;
    let organisation = organisation.map(str::trim).filter(|o| !o.is_empty());
    match (role.needs_organisation(), organisation) {
        (true, None) => {
            anyhow::bail!("a {role} belongs to an organisation: add --organisation NAME")
        }
        (false, Some(_)) => {
            anyhow::bail!("a {role} works across organisations: leave out --organisation")
        }
        _ => {}
    }
    let from_stdin = match password {
        NewPassword::Read { from_stdin } => from_stdin,
        NewPassword::ActivationLink => {
            return add_with_link(acting, username, role, organisation).await;
        }
    };
    let password_hash = password::hash(&read_password(from_stdin)?, &username)?;
    acting
        .add_user(&NewUser {
            username: username.clone(),
            role,
            organisation: organisation.map(str::to_string),
            password_hash,
        })
        .await?;
    println!("User '{username}' added as {role}.");
    Ok(ExitCode::SUCCESS)
}

/// Adds an account without a password and prints its activation link. The operator has the
/// database anyway, so needs nobody's approval.
async fn add_with_link<S: Store>(
    acting: &Acting<S>,
    username: String,
    role: Role,
    organisation: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let (token, link) = new_link()?;
    let admitted = acting
        .invite_user(Invitation {
            username: username.clone(),
            role,
            organisation: organisation.map(str::to_string),
            by_administrator: false,
            link,
        })
        .await?;
    anyhow::ensure!(
        admitted == Admission::LinkReady,
        "the account was not added ({admitted:?})"
    );
    println!("User '{username}' added as {role}, without a password.");
    print_link(&token);
    Ok(ExitCode::SUCCESS)
}

/// A fresh activation link: its token, and what the store keeps of it.
fn new_link() -> anyhow::Result<(String, NewActivationLink)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no secure random numbers: {e}"))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let expires_at = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(ACTIVATION_HOURS))?
        .to_string();
    let link = NewActivationLink {
        token_hash: dakwacht_app::token_hash(&token),
        expires_at,
    };
    Ok((token, link))
}

fn print_link(token: &str) {
    println!(
        "Activation link, valid {ACTIVATION_HOURS} hours and only once (give it to the user in person or through a secure channel; put the server's address in front, as in https://dakwacht.example.org/activate/…):"
    );
    println!("  /activate/{token}");
}

/// Resets a password: it stops working at once, and the user chooses a new one through the
/// printed link. The operator has the database anyway, so needs nobody's approval.
pub async fn reset_password<S: Store>(
    acting: &Acting<S>,
    username: &str,
) -> anyhow::Result<ExitCode> {
    let username = username.trim().to_lowercase();
    let (token, link) = new_link()?;
    match acting.reset_password(&username, &link).await {
        Ok(Reset::LinkReady) => {
            println!("The password of '{username}' no longer works; its sessions ended.");
            print_link(&token);
            Ok(ExitCode::SUCCESS)
        }
        Ok(other) => anyhow::bail!("the password was not reset ({other:?})"),
        Err(dakwacht_app::Error::NotFound) => anyhow::bail!(
            "no active user '{username}' with a password (a new account gets a new link with the pages)"
        ),
        Err(other) => Err(other.into()),
    }
}

pub async fn enable_user<S: Store>(acting: &Acting<S>, username: &str) -> anyhow::Result<ExitCode> {
    let username = username.trim().to_lowercase();
    match acting.enable_user(&username).await {
        Ok(true) => println!("User '{username}' enabled again."),
        Ok(false) => println!("User '{username}' was not disabled."),
        Err(dakwacht_app::Error::NotFound) => {
            anyhow::bail!("no user '{username}' that can be enabled (a rejected account stays off)")
        }
        Err(other) => return Err(other.into()),
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn list_users<S: Store>(
    acting: &Acting<S>,
    organisation: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let users = acting.users_of(organisation).await?;
    let width = users.iter().map(|u| u.username.len()).max().unwrap_or(0);
    for user in users {
        println!(
            "{:<width$}  {:<12}  {:<30}  {}",
            user.username,
            user.role.code(),
            user.organisation.as_deref().unwrap_or("—"),
            if user.disabled {
                "disabled"
            } else if user.awaiting_approval {
                "awaiting approval"
            } else if !user.activated {
                "not activated"
            } else {
                "active"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn disable_user<S: Store>(
    acting: &Acting<S>,
    username: &str,
) -> anyhow::Result<ExitCode> {
    let username = username.trim().to_lowercase();
    match acting.disable_user(&username).await {
        Ok(Disabling::Disabled) => println!("User '{username}' disabled."),
        Ok(Disabling::WasDisabled | Disabling::Yourself) => {
            println!("User '{username}' was disabled already.")
        }
        Err(dakwacht_app::Error::NotFound) => anyhow::bail!("no user '{username}'"),
        Err(other) => return Err(other.into()),
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn audit<S: Store>(
    acting: &Acting<S>,
    filter: AuditFilter,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let records = acting.audit_log(&filter).await?;
    match format {
        OutputFormat::Json => {
            let list: Vec<serde_json::Value> = records
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "at": r.at,
                        "actor": r.entry.actor,
                        "action": r.entry.action.code(),
                        "organisation": r.entry.organisation,
                        "case_ref": r.entry.case_ref,
                        "detail": r.entry.detail,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&list)?);
        }
        OutputFormat::Text => {
            for r in records {
                let case = match (&r.entry.organisation, &r.entry.case_ref) {
                    (Some(o), Some(c)) => format!("{o}/{c}"),
                    (Some(o), None) => o.clone(),
                    _ => String::new(),
                };
                // Every logged value is escaped: a name or detail with a line break or an
                // escape sequence must not forge a line of this log or drive the terminal.
                println!(
                    "{}  {:<20}  {:<16}  {:<30}  {}",
                    escape_controls(&r.at),
                    escape_controls(&r.entry.actor),
                    r.entry.action.code(),
                    escape_controls(&case),
                    escape_controls(r.entry.detail.as_deref().unwrap_or(""))
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn parse_action(text: &str) -> Result<AuditAction, String> {
    AuditAction::parse(text.trim()).ok_or_else(|| {
        not_one_of(
            text,
            "an audit action",
            AuditAction::ALL.iter().map(|a| a.code()),
        )
    })
}

pub fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| not_one_of(text, "a role", Role::ALL.iter().map(|r| r.code())))
}

/// "'x' is not a role; one of: admin, coordinator, …"
fn not_one_of<'a>(text: &str, what: &str, codes: impl Iterator<Item = &'a str>) -> String {
    format!(
        "'{text}' is not {what}; one of: {}",
        codes.collect::<Vec<_>>().join(", ")
    )
}

/// `dakwacht audit --verify`: checks the hash chain of the whole audit log.
pub async fn verify_audit<S: Store>(acting: &Acting<S>) -> anyhow::Result<ExitCode> {
    let found = acting.verify_audit_log().await?;
    let before = if found.unchained > 0 {
        format!(
            ", of which the first {} from before the chain (not verifiable)",
            found.unchained
        )
    } else {
        String::new()
    };
    println!("Audit log: {} entries{before}.", found.entries);
    if let Some((id, hash)) = &found.last {
        println!("Last entry: {id}, hash {hash}");
        println!("Note this hash elsewhere: an entry cut off at the end shows only against it.");
    }
    if found.intact() {
        println!("The chain is intact: no entry was changed or removed.");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("The chain is BROKEN:");
    for (id, why) in &found.breaks {
        eprintln!("  entry {id}: {why}");
    }
    Ok(ExitCode::FAILURE)
}
