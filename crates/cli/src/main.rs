//! `dakwacht`: follow families who lost their rented home, check their cases, publish the figures.

mod check;
mod export;
mod generate;
mod import;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use dakwacht_core::{CaseFilter, Date, DateOrMonth};
use dakwacht_store::SqliteStore;

#[derive(Parser)]
#[command(
    name = "dakwacht",
    version,
    about = "Follow families with children who lost their rented home, and publish the figures.",
    long_about = "dakwacht keeps family cases (from professionals or imported spreadsheets), checks them \
                  and reports the quickscan statistics. Data is kept in one database: an SQLite file by default."
)]
struct Cli {
    /// Where the cases are kept: a file path for SQLite (created on first use).
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

#[derive(Subcommand)]
enum Command {
    /// Read a CSV or XLSX file of cases and store it: new cases are added, known ones updated.
    ///
    /// The file must follow the interchange format. It is checked completely first: if any row has
    /// a problem, every problem is listed (line, column, value, what is expected) and nothing is
    /// stored. Importing the same file twice changes nothing the second time.
    Import {
        /// The file to import (.csv or .xlsx).
        file: PathBuf,
    },
    /// Write the stored cases to a CSV or XLSX file in the interchange format.
    ///
    /// What you export can be imported again and gives exactly the same cases. Text that a
    /// spreadsheet could run as a formula is made safe with a leading quote.
    Export {
        #[arg(long, value_enum, default_value_t = FileFormatArg::Csv)]
        format: FileFormatArg,
        /// File to write; without it, CSV goes to the screen (standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
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
    },
}

#[derive(Subcommand)]
enum ReportKind {
    /// The measures of the 2025 quickscan: counts and shares with numerator and denominator.
    Quickscan {
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        #[command(flatten)]
        filter: FilterArgs,
    },
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
        }
    }
}

async fn open_store(database: &str) -> anyhow::Result<SqliteStore> {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        anyhow::bail!(
            "PostgreSQL is not supported by this version of dakwacht yet; use an SQLite file path"
        );
    }
    Ok(SqliteStore::open(database).await?)
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
    match cli.command {
        Command::Generate {
            cases,
            seed,
            output,
        } => {
            generate::run(cases, seed, output.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { file } => import::run(&open_store(&cli.database).await?, &file).await,
        Command::Export {
            format,
            output,
            filter,
        } => {
            export::run(
                &open_store(&cli.database).await?,
                format,
                output.as_deref(),
                &filter.to_filter(),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            report: ReportKind::Quickscan { format, filter },
        } => {
            let rules = check::load_rules(cli.rules.as_deref())?;
            report::quickscan(
                &open_store(&cli.database).await?,
                &rules,
                format,
                &filter.to_filter(),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            case,
            format,
            lang,
            filter,
        } => {
            let rules = check::load_rules(cli.rules.as_deref())?;
            let store = open_store(&cli.database).await?;
            match case {
                Some(reference) => {
                    check::one(&store, &rules, &reference, format, lang.into()).await
                }
                None => check::all(&store, &rules, &filter.to_filter(), format, lang.into()).await,
            }
        }
        Command::Rules {
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
            check::list(
                &check::load_rules(cli.rules.as_deref())?,
                format,
                lang.into(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
