//! `dakwacht`: follow families who lost their rented home, check their cases, publish the figures.

mod accounts;
mod backup;
mod check;
mod demo;
mod export;
mod generate;
mod import;
mod letter;
mod publish;
mod report;
mod retention;
mod subject;
mod texts;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use dakwacht_core::{CaseFilter, Date, DateOrMonth};
use std::sync::Arc;

use dakwacht_app::{Acting, App, PgStore, SqliteStore, Store};

#[derive(Parser)]
#[command(
    name = "dakwacht",
    version,
    about = "Follow families with children who lost their rented home, and publish the figures.",
    long_about = "dakwacht keeps family cases (from professionals or imported spreadsheets), checks them \
                  and reports the quickscan statistics. Data is kept in one database: an SQLite file by default."
)]
struct Cli {
    /// Where the cases are kept: a file path for SQLite (created on first use), or a
    /// `postgres://user@host/database` URL for a shared PostgreSQL database.
    #[arg(
        long,
        global = true,
        env = "DAKWACHT_DATABASE",
        default_value = "dakwacht.db"
    )]
    database: String,

    /// A rules file to use instead of the rules built into dakwacht (see `dakwacht rules`).
    #[arg(long, global = true, env = "DAKWACHT_RULES")]
    rules: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

/// The commands that work on the store [`run`] chooses (or on none: `rules`).
#[derive(Subcommand)]
enum StoreCommand {
    /// Read a CSV or XLSX file of cases and store it: new cases are added, known ones updated.
    ///
    /// The file must follow the interchange format. It is checked completely first: if any row has
    /// a problem, every problem is listed (line, column, value, what is expected) and nothing is
    /// stored. Importing the same file twice changes nothing the second time.
    Import {
        /// The file to import (.csv or .xlsx).
        file: PathBuf,
        /// A children file (.csv) beside the cases file: a record per child. Both are stored
        /// in one transaction, or nothing of either.
        #[arg(long)]
        children: Option<PathBuf>,
    },
    /// Write the stored cases to a CSV or XLSX file in the interchange format.
    ///
    /// What you export can be imported again and gives exactly the same cases. Text that a
    /// spreadsheet could run as a formula is made safe with a leading quote.
    ///
    /// A CSV file is written for Dutch Excel unless asked otherwise: `;` between the cells and
    /// UTF-8 with a byte-order mark, so that it opens correctly on a double click.
    Export {
        #[arg(long, value_enum, default_value_t = FileFormatArg::Csv)]
        format: FileFormatArg,
        /// The CSV delimiter: `;` (Dutch Excel, with a byte-order mark) or `,` (the plain form,
        /// without one, for other programs).
        #[arg(long, default_value = ";", value_parser = parse_delimiter)]
        delimiter: u8,
        /// A second header row with the columns' labels in this language (the first keeps the
        /// column names, so the file imports as it is).
        #[arg(long, value_enum)]
        labels: Option<LangArg>,
        /// File to write; without it, CSV goes to the screen (standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Also write the children file (CSV, in the same style) of the exported cases here.
        #[arg(long)]
        children: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Show statistics over the stored cases.
    Report {
        #[command(subcommand)]
        report: ReportKind,
    },
    /// Hold the cases against the legal and child-rights framework.
    ///
    /// Without --case: per rule, how many of the selected cases raise it (zeros included).
    /// With --case: the signals of one case, with explanation, legal sources and next steps.
    Check {
        /// One case, as ORGANISATION/CASE_REF.
        #[arg(long, value_name = "ORG/REF")]
        case: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Language of the texts.
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// List the rules of the legal framework with their citations, or check an edited rules file.
    Rules {
        /// Check this rules file and report the first problem (naming the rule), or that it is valid.
        #[arg(long, value_name = "FILE", conflicts_with = "variables")]
        validate: Option<PathBuf>,
        /// List the fields and functions a rule condition can use.
        #[arg(long)]
        variables: bool,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Language of the texts.
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
    },
    /// Start the web application (embedded SQLite; no other setup).
    ///
    /// On the first start, with no accounts yet, it prints a one-time link to create the first
    /// administrator.
    Serve {
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Start on a fresh demo database: the quickscan cases, two organisations and a demo
        /// account per role (printed on the console). Ignores --database.
        #[arg(long)]
        demo: bool,
        /// Send the session cookie over HTTPS only. Use it whenever dakwacht is reached over
        /// HTTPS (directly or behind a proxy).
        #[arg(long, env = "DAKWACHT_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Send Strict-Transport-Security (one year, subdomains included), so browsers reach
        /// this host over HTTPS only. Implied by --secure-cookies.
        #[arg(long)]
        hsts: bool,
        /// A disclosure policy file to use instead of the built-in one (policy/disclosure.toml)
        /// for every figure shown to researchers or published.
        #[arg(long, env = "DAKWACHT_POLICY")]
        policy: Option<PathBuf>,
    },
    /// Manage organisations.
    Organisation {
        #[command(subcommand)]
        command: OrganisationCommand,
    },
    /// Manage user accounts (for the web application).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Read the audit log: who viewed, changed, imported or exported what, and when.
    Audit {
        /// Only entries by this actor (e.g. `cli:anna` or `user:jan`).
        #[arg(long)]
        actor: Option<String>,
        /// Only entries of this action (view_case, import, export, add_user, …).
        #[arg(long, value_parser = accounts::parse_action)]
        action: Option<dakwacht_app::AuditAction>,
        /// Only entries about this organisation.
        #[arg(long)]
        organisation: Option<String>,
        /// Only entries about this case reference (with --organisation).
        #[arg(long)]
        case_ref: Option<String>,
        /// At most this many entries, newest first.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Check the log's hash chain instead: that no entry was changed or removed since it
        /// was written. Prints the last entry's hash, to note elsewhere; exits with 1 when the
        /// chain is broken.
        #[arg(long, conflicts_with_all = ["actor", "action", "organisation", "case_ref"])]
        verify: bool,
    },
    /// A family's request under the AVG about its case: everything kept about it as one JSON
    /// file (art. 15), or its erasure (art. 17). The operator's, here; the use case admits the
    /// organisation's own coordinators too (no page for it yet). The published figures keep what
    /// they said (see `publications`).
    Subject {
        #[command(subcommand)]
        command: SubjectCommand,
    },
    /// The publication bundles made, each with its figures as published (SHA-256 in the
    /// audit log): a case erased later does not change them.
    Publications {
        /// Print the figures (`cijfers.json`) of this publication exactly as published.
        #[arg(long)]
        show: Option<i64>,
    },
    /// Delete the closed cases whose retention period is over (AVG art. 5 lid 1 e).
    ///
    /// A case closed on the case page is kept for --years whole years after the day it was
    /// closed, then deleted wholly: its fields, notes, observations and change history (see the
    /// README, "Bewaartermijn"). Without --apply this is a dry run: it lists the cases it would
    /// delete and changes nothing. Either way the audit log gets one line, with counts only.
    /// Run it with --apply on a schedule (daily, say).
    Retention {
        /// Years a closed case is kept after the day it was closed (1 to 30).
        #[arg(long, env = "DAKWACHT_RETENTION_YEARS", default_value_t = dakwacht_core::Retention::DEFAULT_YEARS, value_parser = retention::parse_years)]
        years: u8,
        /// Delete them; without it, only list what would be deleted.
        #[arg(long)]
        apply: bool,
    },
    /// Make a letter for a case, as PDF or DOCX, and record it in the case's history.
    ///
    /// LETTER is one of letters/*.toml: no_self_help, refuse_notice, shelter_request,
    /// postal_address, child_explanation. The case fills in what it knows (municipality, number
    /// of children, the day the home was lost); names and addresses are never stored, so give
    /// them with --set NAME=VALUE, or leave them open to write on the paper. The letter's date and
    /// its term to answer are computed from today and printed for checking.
    Letter {
        letter: String,
        /// The case, as ORGANISATION/REFERENCE.
        #[arg(long)]
        case: String,
        /// pdf (to send) or docx (to change further).
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long)]
        output: PathBuf,
        /// A value to fill in, NAME=VALUE; again for each (`--set sender_name="A. de Vries"`).
        /// A newline in an address: `\n`.
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// For child_explanation: the number of the child's best-interest assessment.
        #[arg(long)]
        assessment: Option<i64>,
    },
}

/// Every command, each once: those on the stored cases, then the ones on the SQLite file itself
/// and the one that needs no database (in this order in `--help`).
#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    OnStore(StoreCommand),
    /// Write a copy of the whole SQLite database to FILE, while dakwacht goes on working.
    ///
    /// The copy is the database as it was at one moment, checked, and complete when the command
    /// ends: FILE is never a half-written backup. FILE must not exist yet. For PostgreSQL use
    /// pg_dump (see the README).
    Backup {
        /// The backup file to write.
        file: PathBuf,
    },
    /// Replace the SQLite database by a backup made with `dakwacht backup`.
    ///
    /// The backup is checked first (a whole SQLite file, made by dakwacht, not by a newer
    /// version); nothing is changed if it fails. Then the current database is kept next to it as
    /// DATABASE.before-restore-TIME, and replaced. Stop `dakwacht serve` first: whoever is signed
    /// in must sign in again afterwards.
    Restore {
        /// The backup file to restore.
        file: PathBuf,
    },
    /// Write a made-up interchange CSV for demos and benchmarks (no real people in it).
    ///
    /// The same --cases and --seed always give the same file. Proportions follow the 2025
    /// quickscan; the file has the awkward corners real files have (month-only dates, `unknown`,
    /// mixed-case codes, quotes and line breaks in notes, an extra x_ column).
    Generate {
        /// Number of cases.
        #[arg(long, default_value_t = 1000)]
        cases: u64,
        /// Seed of the random generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// File to write; without it, the screen (standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Also write a children file (`spec/children.md`) for the generated cases: most
        /// children have a record, some fields unknown. The cases file stays the same.
        #[arg(long)]
        children: Option<PathBuf>,
    },
    /// The texts families read (the rules' explanations and next steps), one per line.
    ///
    /// With --check, holds each against the plain-language check (`texts/plain-language.toml`:
    /// sentence length, difficult words, "u" for families and "jij" for children) and names
    /// every sentence that fails, with its file; the exit status is 1 when one does. Use
    /// `--rules FILE` to check an edited rules file.
    Texts {
        /// Check the texts instead of listing them.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Subcommand)]
enum OrganisationCommand {
    /// Add an organisation.
    Add { name: String },
    /// List the organisations.
    List,
}

#[derive(Subcommand)]
enum SubjectCommand {
    /// Write everything kept about one case to a JSON file: its fields and history, stays,
    /// children, assessments, letters, closure, follow-up and the audit log's lines about it.
    Export {
        /// The case, as ORGANISATION/CASE_REF.
        #[arg(long)]
        case: String,
        /// The file to write (made readable by its owner only).
        #[arg(long)]
        output: PathBuf,
    },
    /// Erase one case and everything kept with it. The audit log keeps its lines about the case
    /// (no content), and the reason given here.
    Erase {
        /// The case, as ORGANISATION/CASE_REF.
        #[arg(long)]
        case: String,
        /// Why, for the audit log, without personal data (e.g. "AVG art. 17, verzoek 2026-12").
        #[arg(long)]
        reason: String,
        /// Erase indeed: without it, nothing happens (it cannot be undone).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account. The password is asked at the terminal, read from standard input, or
    /// chosen by the user through an activation link.
    Add {
        /// User name: lower-case letters, digits, '.', '-', '_' or '@'.
        username: String,
        /// admin, coordinator, professional or researcher.
        #[arg(long, value_parser = accounts::parse_role)]
        role: dakwacht_core::access::Role,
        /// The organisation of a coordinator or professional.
        #[arg(long)]
        organisation: Option<String>,
        /// Read the password as one line from standard input (for scripts).
        #[arg(long)]
        password_stdin: bool,
        /// Set no password: print a link (24 hours, once) with which the user chooses it.
        #[arg(long, conflicts_with = "password_stdin")]
        activation_link: bool,
    },
    /// List the accounts.
    List {
        /// Only the accounts of this organisation.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Disable an account: it can no longer sign in. Its history stays.
    Disable { username: String },
    /// Enable a disabled account again (not one a coordinator rejected).
    Enable { username: String },
    /// Reset a password: it stops working at once, every session of the account ends, and a
    /// link (24 hours, once) is printed with which the user chooses a new one.
    ResetPassword { username: String },
}

#[derive(Subcommand)]
enum ReportKind {
    /// The measures of the 2025 quickscan: counts and shares with numerator and denominator.
    Quickscan {
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Every measure per municipality, organisation, or quarter or year of `home_lost_on`
        /// instead of over the whole selection.
        #[arg(long, value_enum)]
        by: Option<ByArg>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// The duration of homelessness as a Kaplan–Meier estimate: families still homeless or out
    /// of view count as censored, with the 95% band, the median and the bounds for families
    /// lost from view.
    Duration {
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// The publication bundle: the figures as the disclosure policy lets them be published, as
    /// cijfers.xlsx, cijfers.csv and cijfers.json in the folder --output.
    Publish {
        /// The folder to write the files into (made when missing; files of the same name are
        /// replaced).
        #[arg(long)]
        output: PathBuf,
        /// A disclosure policy file instead of the built-in one (policy/disclosure.toml).
        #[arg(long, env = "DAKWACHT_POLICY")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
        #[command(flatten)]
        filter: FilterArgs,
    },
}

/// What `report quickscan --by` breaks the measures down by.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum ByArg {
    Municipality,
    Organisation,
    Quarter,
    Year,
}

impl From<ByArg> for dakwacht_core::BreakdownBy {
    fn from(by: ByArg) -> Self {
        match by {
            ByArg::Municipality => dakwacht_core::BreakdownBy::Municipality,
            ByArg::Organisation => dakwacht_core::BreakdownBy::Organisation,
            ByArg::Quarter => dakwacht_core::BreakdownBy::Quarter,
            ByArg::Year => dakwacht_core::BreakdownBy::Year,
        }
    }
}

/// `;` or `,`: the delimiters of the interchange format.
fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        ";" => Ok(b';'),
        "," => Ok(b','),
        other => Err(format!("'{other}': use ; (Dutch Excel) or , (plain)")),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FileFormatArg {
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// A readable table in Dutch.
    Text,
    /// Machine-readable: {"measures": [{"id", "numerator", "denominator", "percent"}, …]}.
    Json,
    /// A standalone web page.
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// Readable text.
    Text,
    /// Machine-readable JSON.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    /// Nederlands.
    Nl,
    /// English.
    En,
}

impl From<LangArg> for dakwacht_core::Lang {
    fn from(lang: LangArg) -> Self {
        match lang {
            LangArg::Nl => dakwacht_core::Lang::Nl,
            LangArg::En => dakwacht_core::Lang::En,
        }
    }
}

/// Which cases to include.
#[derive(clap::Args, Clone, Default)]
struct FilterArgs {
    /// Only cases of this organisation (exact name).
    #[arg(long)]
    organisation: Option<String>,
    /// Only cases in this municipality (case-insensitive).
    #[arg(long)]
    municipality: Option<String>,
    /// Only homes lost on or after this date (YYYY-MM-DD, or YYYY-MM for the whole month).
    #[arg(long, value_parser = parse_from)]
    from: Option<Date>,
    /// Only homes lost on or before this date (YYYY-MM-DD, or YYYY-MM for the whole month).
    #[arg(long, value_parser = parse_to)]
    to: Option<Date>,
}

fn parse_bound(text: &str) -> Result<DateOrMonth, String> {
    DateOrMonth::parse(text.trim())
        .ok_or_else(|| format!("'{text}' is not a date YYYY-MM-DD or a month YYYY-MM"))
}

fn parse_from(text: &str) -> Result<Date, String> {
    parse_bound(text).map(DateOrMonth::first_day)
}

fn parse_to(text: &str) -> Result<Date, String> {
    match parse_bound(text)? {
        DateOrMonth::Day(day) => Ok(day),
        DateOrMonth::Month(month) => Ok(month.first_day().last_of_month()),
    }
}

impl FilterArgs {
    fn to_filter(&self) -> CaseFilter {
        CaseFilter {
            organisation: self.organisation.clone(),
            municipality: self.municipality.clone(),
            home_lost_from: self.from,
            home_lost_to: self.to,
            ..CaseFilter::default()
        }
    }
}

fn is_postgres(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}

/// The application a command was given; only commands that keep or read cases open one.
fn take<S: Store>(app: Option<&Arc<App<S>>>) -> anyhow::Result<&Arc<App<S>>> {
    app.context("this command needs a database")
}

/// The operator's handle on the application: whoever runs the command line holds the database,
/// and every use case still checks and records what they do under their operating-system user.
fn operator<S: Store>(app: Option<&Arc<App<S>>>, command: &str) -> anyhow::Result<Acting<S>> {
    Ok(take(app)?.acting_as(import::operator(), format!("cli: {command}")))
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DAKWACHT_LOG")
                // sqlx warns about every statement over 1 s; on a million cases that is expected, not news.
                .unwrap_or_else(|_| "warn,sqlx::query=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("dakwacht: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("dakwacht: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Cli {
        database,
        rules,
        command,
    } = cli;
    match command {
        Command::OnStore(command) => on_store(command, &database, rules).await,
        Command::Backup { file } => {
            sqlite_only(&database)?;
            let app = App::open_sqlite(&database).await?;
            backup::backup(&app, &file).await
        }
        Command::Restore { file } => {
            sqlite_only(&database)?;
            // Not opened first: the database may be the damaged or too new one the backup replaces.
            backup::restore(&database, &file).await
        }
        // No database.
        Command::Texts { check } => match check {
            true => texts::check(rules.as_deref()),
            false => texts::list(rules.as_deref()),
        },
        Command::Generate {
            cases,
            seed,
            output,
            children,
        } => {
            generate::run(cases, seed, output.as_deref(), children.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A backup or restore works on an SQLite file; PostgreSQL has its own tools.
fn sqlite_only(database: &str) -> anyhow::Result<()> {
    if is_postgres(database) {
        anyhow::bail!(backup::POSTGRES_ROUTE)
    }
    Ok(())
}

/// Opens the application on the store a command needs (none for reading the rules, the demo
/// database for `serve --demo`) and runs the command on it.
async fn on_store(
    command: StoreCommand,
    database: &str,
    rules: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    match &command {
        StoreCommand::Rules { .. } => run_on::<SqliteStore>(command, rules, None).await,
        StoreCommand::Serve { demo: true, .. } => {
            let (demo, app) = demo::prepare().await?;
            let served = run_on(command, rules, Some(app)).await;
            // The server stopped: this run's demo database goes with it.
            drop(demo);
            served
        }
        _ if is_postgres(database) => {
            let app = App::<PgStore>::open_postgres(database)
                .await
                .context("cannot use the PostgreSQL database")?;
            run_on(command, rules, Some(app)).await
        }
        _ => {
            let app = App::open_sqlite(database).await?;
            run_on(command, rules, Some(app)).await
        }
    }
}

/// Runs a command through the application on the store it needs (opened by [`on_store`]):
/// every command works the same on SQLite and PostgreSQL.
async fn run_on<S: Store>(
    command: StoreCommand,
    rules: Option<PathBuf>,
    app: Option<Arc<App<S>>>,
) -> anyhow::Result<ExitCode> {
    let app = app.as_ref();
    match command {
        StoreCommand::Import { file, children } => {
            let acting = operator(app, "import")?;
            let code = import::run(&acting, &file, children.as_deref()).await?;
            if code == ExitCode::SUCCESS {
                import::keep_signals(&acting, &check::load_rules(rules.as_deref())?).await;
            }
            Ok(code)
        }
        StoreCommand::Export {
            format,
            delimiter,
            labels,
            output,
            children,
            filter,
        } => {
            let style = dakwacht_interchange::CsvStyle::with_delimiter(delimiter)
                .context("the delimiter is ; or ,")?
                .with_labels(labels.map(Into::into));
            export::run(
                &operator(app, "export")?,
                format,
                style,
                output.as_deref(),
                children.as_deref(),
                &filter.to_filter(),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Report {
            report:
                ReportKind::Quickscan {
                    format,
                    by: Some(by),
                    filter,
                },
        } => {
            report::breakdown(
                &operator(app, "report quickscan")?,
                by.into(),
                format,
                &filter.to_filter(),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Report {
            report:
                ReportKind::Quickscan {
                    format,
                    by: None,
                    filter,
                },
        } => {
            let rules = check::load_rules(rules.as_deref())?;
            report::quickscan(
                &operator(app, "report quickscan")?,
                &rules,
                format,
                &filter.to_filter(),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Report {
            report:
                ReportKind::Publish {
                    output,
                    policy,
                    lang,
                    filter,
                },
        } => {
            let rules = check::load_rules(rules.as_deref())?;
            let policy = report::load_policy(policy.as_deref())?;
            publish::publish(
                &operator(app, "report publish")?,
                &rules,
                &policy,
                &filter.to_filter(),
                &output,
                lang.into(),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Report {
            report: ReportKind::Duration { format, filter },
        } => {
            let rules = check::load_rules(rules.as_deref())?;
            report::duration(
                &operator(app, "report duration")?,
                &rules,
                format,
                &filter.to_filter(),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Check {
            case,
            format,
            lang,
            filter,
        } => {
            let rules = check::load_rules(rules.as_deref())?;
            let acting = operator(app, "check")?;
            let check = check::Check {
                acting: &acting,
                rules: &rules,
                format,
                lang: lang.into(),
            };
            match case {
                Some(reference) => check.one(&reference).await,
                None => check.all(&filter.to_filter()).await,
            }
        }
        StoreCommand::Serve {
            listen,
            demo: _,
            secure_cookies,
            hsts,
            policy,
        } => {
            let rules = check::load_rules(rules.as_deref())?;
            let policy = report::load_policy(policy.as_deref())?;
            let keeper = operator(app, "serve")?;
            let kept_rules = rules.again()?;
            // `run` opened the demo database for --demo.
            let state = dakwacht_web::AppState::on_with_policy(
                take(app)?.clone(),
                rules,
                dakwacht_web::Options {
                    secure_cookies,
                    hsts,
                },
                policy,
            )
            .await?;
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            let address = listener.local_addr()?;
            println!("dakwacht runs at http://{address}/ (stop with Ctrl+C)");
            if let Some(path) = state.setup_path() {
                println!(
                    "No accounts yet. Create the first administrator, once, at:\n  http://{address}{path}"
                );
            }
            // Cases changed by another dakwacht, or a new rules file: their signals are worked
            // out in the background, so the first dashboard does not wait for them; then the
            // dashboards that take long to count are counted ahead. Started once the address is
            // printed, so that it stays the first line.
            tokio::spawn(async move {
                if let Err(error) = keeper.keep_signals(&kept_rules).await {
                    tracing::warn!(
                        "signals not kept at start (the next count works them out): {error}"
                    );
                }
                let started = std::time::Instant::now();
                match keeper.prepare_dashboards(&kept_rules).await {
                    // For the operator (and scripts/load, which waits for it); a closed
                    // standard output is no reason to stop.
                    Ok(()) => {
                        use std::io::Write as _;
                        let _ = writeln!(
                            std::io::stdout(),
                            "dashboards counted ahead in {:.1} s",
                            started.elapsed().as_secs_f64()
                        );
                    }
                    Err(error) => {
                        tracing::warn!("dashboards not counted ahead (each view counts): {error}")
                    }
                }
            });
            dakwacht_web::serve(listener, state).await?;
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Organisation { command } => {
            let acting = operator(app, "organisation")?;
            match command {
                OrganisationCommand::Add { name } => {
                    accounts::add_organisation(&acting, &name).await
                }
                OrganisationCommand::List => accounts::list_organisations(&acting).await,
            }
        }
        StoreCommand::User { command } => {
            let acting = operator(app, "user")?;
            match command {
                UserCommand::Add {
                    username,
                    role,
                    organisation,
                    password_stdin,
                    activation_link,
                } => {
                    let password = if activation_link {
                        accounts::NewPassword::ActivationLink
                    } else {
                        accounts::NewPassword::Read {
                            from_stdin: password_stdin,
                        }
                    };
                    accounts::add_user(&acting, &username, role, organisation.as_deref(), password)
                        .await
                }
                UserCommand::List { organisation } => {
                    accounts::list_users(&acting, organisation.as_deref()).await
                }
                UserCommand::Disable { username } => {
                    accounts::disable_user(&acting, &username).await
                }
                UserCommand::Enable { username } => accounts::enable_user(&acting, &username).await,
                UserCommand::ResetPassword { username } => {
                    accounts::reset_password(&acting, &username).await
                }
            }
        }
        StoreCommand::Audit {
            actor,
            action,
            organisation,
            case_ref,
            limit,
            format,
            verify,
        } => {
            if verify {
                return accounts::verify_audit(&operator(app, "audit")?).await;
            }
            let filter = dakwacht_app::AuditFilter {
                actor,
                action,
                organisation,
                case_ref,
                limit: Some(limit),
            };
            accounts::audit(&operator(app, "audit")?, filter, format).await
        }
        StoreCommand::Letter {
            letter,
            case,
            format,
            output,
            set,
            assessment,
        } => {
            let asked = letter::Asked {
                letter: &letter,
                case: &case,
                format: &format,
                output: &output,
                set: &set,
                assessment,
            };
            let rules = check::load_rules(rules.as_deref())?;
            letter::run(&operator(app, "letter")?, &rules, asked).await
        }
        StoreCommand::Subject { command } => match command {
            SubjectCommand::Export { case, output } => {
                subject::export(&operator(app, "subject export")?, &case, &output).await
            }
            SubjectCommand::Erase { case, reason, yes } => {
                subject::erase(&operator(app, "subject erase")?, &case, &reason, yes).await
            }
        },
        StoreCommand::Publications { show } => {
            subject::publications(&operator(app, "publications")?, show).await
        }
        StoreCommand::Retention { years, apply } => {
            retention::run(&operator(app, "retention")?, years, apply).await
        }
        StoreCommand::Rules {
            validate,
            variables,
            format,
            lang,
        } => {
            if let Some(file) = validate {
                return check::validate(&file);
            }
            if variables {
                check::variables();
                return Ok(ExitCode::SUCCESS);
            }
            check::list(&check::load_rules(rules.as_deref())?, format, lang.into())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
