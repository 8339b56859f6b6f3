//! What the simulated users do: sign in, then the steps of a working day, each a goose
//! transaction. A user keeps what it learned from the pages it saw (case links, the next
//! page's link, the filters' choices) in its session data.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use goose::goose::GooseResponse;
use goose::prelude::*;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};

use crate::html;

type Failed = Box<TransactionError>;

// ---- accounts and sample cases, read once at the start ----------------------------------------

/// An account a simulated user signs in with.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    /// A professional's organisation.
    pub organisation: Option<String>,
}

/// The accounts of the test, handed out in turn.
pub struct Accounts {
    professionals: Vec<Account>,
    researchers: Vec<Account>,
    password: String,
    next_professional: AtomicUsize,
    next_researcher: AtomicUsize,
}

impl Accounts {
    /// From `DAKWACHT_LOAD_ACCOUNTS` (a file) and `DAKWACHT_LOAD_PASSWORD`.
    pub fn from_environment() -> Result<Self, String> {
        let path = std::env::var("DAKWACHT_LOAD_ACCOUNTS").map_err(
            |_| "set DAKWACHT_LOAD_ACCOUNTS to the accounts file (see --help of scripts/load)",
        )?;
        let password = std::env::var("DAKWACHT_LOAD_PASSWORD")
            .map_err(|_| "set DAKWACHT_LOAD_PASSWORD to the accounts' password")?;
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
        Self::parse(&text, password).map_err(|e| format!("{path}: {e}"))
    }

    /// Lines of `USERNAME<TAB>ROLE[<TAB>ORGANISATION]`.
    fn parse(text: &str, password: String) -> Result<Self, String> {
        let mut professionals = Vec::new();
        let mut researchers = Vec::new();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cells = line.split('\t');
            let username = cells.next().unwrap_or_default().trim().to_string();
            let role = cells.next().unwrap_or_default().trim();
            let organisation = cells
                .next()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_string);
            match (role, organisation) {
                ("professional", Some(organisation)) => professionals.push(Account {
                    username,
                    organisation: Some(organisation),
                }),
                ("researcher", _) => researchers.push(Account {
                    username,
                    organisation: None,
                }),
                _ => {
                    return Err(format!(
                        "line {}: expected USERNAME<TAB>professional<TAB>ORGANISATION or USERNAME<TAB>researcher",
                        number + 1
                    ));
                }
            }
        }
        if professionals.is_empty() || researchers.is_empty() {
            return Err("needs at least one professional and one researcher".into());
        }
        Ok(Accounts {
            professionals,
            researchers,
            password,
            next_professional: AtomicUsize::new(0),
            next_researcher: AtomicUsize::new(0),
        })
    }

    fn next(&self, researcher: bool) -> Account {
        let (list, next) = if researcher {
            (&self.researchers, &self.next_researcher)
        } else {
            (&self.professionals, &self.next_professional)
        };
        list[next.fetch_add(1, Ordering::Relaxed) % list.len()].clone()
    }
}

/// Case pages to open, by organisation: a sample over all the data, so that users do not only
/// open the cases of the first list pages.
#[derive(Default)]
pub struct Samples {
    by_organisation: HashMap<String, Vec<String>>,
}

impl Samples {
    /// From `DAKWACHT_LOAD_CASES`, if set: lines of `ORGANISATION<TAB>CASE_REF`.
    pub fn from_environment() -> Result<Self, String> {
        let Some(path) = std::env::var("DAKWACHT_LOAD_CASES")
            .ok()
            .filter(|p| !p.is_empty())
        else {
            return Ok(Samples::default());
        };
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let mut by_organisation: HashMap<String, Vec<String>> = HashMap::new();
        for line in text.lines() {
            if let Some((organisation, case_ref)) = line.split_once('\t')
                && !organisation.is_empty()
                && !case_ref.is_empty()
            {
                by_organisation
                    .entry(organisation.to_string())
                    .or_default()
                    .push(format!(
                        "/cases/{}/{}",
                        encode(organisation),
                        encode(case_ref)
                    ));
            }
        }
        Ok(Samples { by_organisation })
    }
}

static ACCOUNTS: OnceLock<Accounts> = OnceLock::new();
static SAMPLES: OnceLock<Samples> = OnceLock::new();
/// Saves refused because someone else saved the case first.
static STALE_SAVES: AtomicU64 = AtomicU64::new(0);

pub fn set_accounts(accounts: Accounts) {
    let _ = ACCOUNTS.set(accounts);
}

pub fn set_samples(samples: Samples) {
    let _ = SAMPLES.set(samples);
}

pub fn stale_saves() -> u64 {
    STALE_SAVES.load(Ordering::Relaxed)
}

/// A path segment or query value as dakwacht writes it in its links.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---- a user's memory --------------------------------------------------------------------------

/// SplitMix64: small, and good enough to pick pages.
#[derive(Clone)]
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `options`, each as often as its weight says.
    fn weighted<T: Copy>(&mut self, options: &[(T, usize)]) -> Option<T> {
        let total = options.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.below(total);
        for &(option, weight) in options {
            if roll < weight {
                return Some(option);
            }
            roll -= weight;
        }
        None
    }

    fn pick<'a, T>(&mut self, list: &'a [T]) -> Option<&'a T> {
        (!list.is_empty()).then(|| &list[self.below(list.len())])
    }
}

/// What a user knows: who it is and what it saw.
#[derive(Clone)]
struct Memory {
    organisation: Option<String>,
    /// Case pages seen in lists (at most [`REMEMBERED`]).
    cases: Vec<String>,
    /// The next page's link of the last list seen.
    next_page: Option<String>,
    /// The case list's filter choices: (parameter, values).
    choices: Vec<(&'static str, Vec<String>)>,
    signals: Vec<String>,
    /// The dashboard's organisations (researchers).
    organisations: Vec<String>,
    dice: Dice,
}

const REMEMBERED: usize = 500;

/// Municipalities of the generated data, for the filters.
const MUNICIPALITIES: &[&str] = &[
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Almere",
    "Haarlem",
    "Groningen",
    "Tilburg",
    "Zwolle",
];

impl Memory {
    fn new(user: &GooseUser, organisation: Option<String>) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Memory {
            organisation,
            cases: Vec::new(),
            next_page: None,
            choices: Vec::new(),
            signals: Vec::new(),
            organisations: Vec::new(),
            dice: Dice(
                seed ^ (user.weighted_users_index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D),
            ),
        }
    }

    /// Takes in a list page: its case links, its next page, its filter choices.
    fn saw_list(&mut self, page: &str) {
        for link in html::case_links(page) {
            if self.cases.len() < REMEMBERED {
                self.cases.push(link);
            } else {
                let at = self.dice.below(REMEMBERED);
                self.cases[at] = link;
            }
        }
        self.next_page = html::next_page_link(page);
        if self.choices.is_empty() {
            for name in ["tenancy", "route", "situation"] {
                let values = html::select_options(page, name);
                if !values.is_empty() {
                    self.choices.push((name, values));
                }
            }
            self.signals = html::select_options(page, "signal");
        }
    }

    /// A case page to open: mostly one of the sample (all over the data), else one seen.
    fn some_case(&mut self) -> Option<String> {
        let sampled = self
            .organisation
            .as_ref()
            .and_then(|o| SAMPLES.get()?.by_organisation.get(o))
            .filter(|list| !list.is_empty());
        match sampled {
            Some(list) if self.cases.is_empty() || self.dice.chance(70) => {
                self.dice.pick(list).cloned()
            }
            _ => self.dice.pick(&self.cases).cloned(),
        }
    }

    /// A filter of the case list as a query (`tenancy=private`, sometimes two filters).
    fn some_filter(&mut self) -> String {
        let mut parts = vec![self.one_filter()];
        if self.dice.chance(25) {
            let other = self.one_filter();
            let name = |p: &str| p.split('=').next().unwrap_or_default().to_string();
            if name(&other) != name(&parts[0]) {
                parts.push(other);
            }
        }
        parts.join("&")
    }

    fn one_filter(&mut self) -> String {
        let kinds = self.choices.len() + 2;
        let kind = self.dice.below(kinds);
        if let Some((name, values)) = self.choices.get(kind) {
            let value = self.dice.pick(values).cloned().unwrap_or_default();
            return format!("{name}={}", encode(&value));
        }
        if kind == self.choices.len() {
            let municipality = self
                .dice
                .pick(MUNICIPALITIES)
                .copied()
                .unwrap_or("Amsterdam");
            format!("municipality={}", encode(municipality))
        } else {
            "out_of_view=1".to_string()
        }
    }
}

fn memory(user: &mut GooseUser) -> Result<&mut Memory, Failed> {
    user.get_session_data_mut::<Memory>()
        .ok_or_else(|| "this user has not signed in".into())
}

// ---- requests ---------------------------------------------------------------------------------

/// Gets a page; its text when it answered 200 (anything else is counted as failed by goose).
async fn page(user: &mut GooseUser, path: &str, name: &'static str) -> Result<String, Failed> {
    let request = GooseRequest::builder().path(path).name(name).build();
    let goose = user.request(request).await?;
    let response = goose.response?;
    let status = response.status();
    if status != StatusCode::OK {
        return Err(format!("{name}: {path} answered {status}").into());
    }
    Ok(response.text().await?)
}

/// Posts a form, urlencoded as a browser sends it; 303 (a redirect) is the expected answer.
async fn post_form(
    user: &mut GooseUser,
    path: &str,
    fields: &[(String, String)],
    name: &'static str,
) -> Result<GooseResponse, Failed> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let builder = user
        .get_request_builder(&GooseMethod::Post, path)?
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body);
    let request = GooseRequest::builder()
        .method(GooseMethod::Post)
        .path(path)
        .name(name)
        .expect_status_code(303)
        .set_request_builder(builder)
        .build();
    user.request(request).await
}

/// Where a redirect points.
fn location(goose: &GooseResponse) -> Option<String> {
    let response = goose.response.as_ref().ok()?;
    response
        .headers()
        .get(LOCATION)?
        .to_str()
        .ok()
        .map(str::to_string)
}

// ---- signing in -------------------------------------------------------------------------------

/// Signs in with the next account of the role, as a browser does: the form (with its token in
/// a cookie and a hidden field), then the password. Redirects are not followed, so each
/// request is timed on its own.
async fn sign_in(user: &mut GooseUser, researcher: bool) -> Result<Account, Failed> {
    let accounts = ACCOUNTS.get().ok_or("no accounts were read")?;
    let account = accounts.next(researcher);
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .user_agent("dakwacht-load");
    user.set_client_builder(client).await.map_err(Box::new)?;
    let form = page(user, "/login", "sign in: form").await?;
    let csrf = html::form_fields(&form, |action| action == "/login")
        .and_then(|fields| fields.into_iter().find(|(name, _)| name == "csrf"))
        .map(|(_, value)| value)
        .ok_or("the sign-in page has no form token")?;
    let fields = [
        ("csrf".to_string(), csrf),
        ("username".to_string(), account.username.clone()),
        ("password".to_string(), accounts.password.clone()),
    ];
    let mut goose = post_form(user, "/login", &fields, "sign in").await?;
    let status = goose.response.as_ref().map(|r| r.status()).ok();
    match location(&goose).as_deref() {
        Some("/") if status == Some(StatusCode::SEE_OTHER) => Ok(account),
        Some(other) => {
            let tag = format!(
                "sign-in of {} went to {other} (an account with a second factor?)",
                account.username
            );
            user.set_failure(&tag, &mut goose.request, None, None)?;
            Err(tag.into())
        }
        None => Err(format!("sign-in of {} refused: {status:?}", account.username).into()),
    }
}

pub async fn sign_in_professional(user: &mut GooseUser) -> TransactionResult {
    let account = sign_in(user, false).await?;
    let memory = Memory::new(user, account.organisation);
    user.set_session_data(memory);
    case_list_first_page(user).await
}

pub async fn sign_in_researcher(user: &mut GooseUser) -> TransactionResult {
    sign_in(user, true).await?;
    let memory = Memory::new(user, None);
    user.set_session_data(memory);
    dashboard_all(user).await
}

// ---- a working day ----------------------------------------------------------------------------

/// What a professional does next.
#[derive(Clone, Copy)]
enum Step {
    FirstPage,
    Filter,
    Search,
    Signal,
    NextPage,
    Case,
    Save,
    Dashboard,
    FollowUp,
}

/// A professional's day: mostly the case list and case pages, now and then a save, the
/// follow-up list and the dashboard (weights out of 60).
const PROFESSIONAL_DAY: &[(Step, usize)] = &[
    (Step::FirstPage, 10),
    (Step::Filter, 8),
    (Step::Search, 3),
    (Step::Signal, 1),
    (Step::NextPage, 6),
    (Step::Case, 20),
    (Step::Save, 5),
    (Step::Dashboard, 3),
    (Step::FollowUp, 4),
];

/// What a researcher looks at next: the dashboard over all organisations, over one, or over
/// one municipality.
#[derive(Clone, Copy)]
enum Look {
    All,
    Organisation,
    Municipality,
}

const RESEARCHER_DAY: &[(Look, usize)] = &[
    (Look::All, 3),
    (Look::Organisation, 2),
    (Look::Municipality, 1),
];

/// A professional's next step, drawn for each user on its own (goose's own weighting would
/// have every user take the same steps in the same order).
pub async fn professional_step(user: &mut GooseUser) -> TransactionResult {
    match memory(user)?.dice.weighted(PROFESSIONAL_DAY) {
        Some(Step::FirstPage) | None => case_list_first_page(user).await,
        Some(Step::Filter) => case_list_filtered(user).await,
        Some(Step::Search) => case_list_search(user).await,
        Some(Step::Signal) => case_list_signal(user).await,
        Some(Step::NextPage) => case_list_next_page(user).await,
        Some(Step::Case) => case_page(user).await,
        Some(Step::Save) => edit_and_save(user).await,
        Some(Step::Dashboard) => own_dashboard(user).await,
        Some(Step::FollowUp) => follow_up(user).await,
    }
}

pub async fn researcher_step(user: &mut GooseUser) -> TransactionResult {
    match memory(user)?.dice.weighted(RESEARCHER_DAY) {
        Some(Look::All) | None => dashboard_all(user).await,
        Some(Look::Organisation) => dashboard_organisation(user).await,
        Some(Look::Municipality) => dashboard_municipality(user).await,
    }
}

// ---- the case list ----------------------------------------------------------------------------

async fn case_list(user: &mut GooseUser, path: &str, name: &'static str) -> TransactionResult {
    let text = page(user, path, name).await?;
    memory(user)?.saw_list(&text);
    Ok(())
}

async fn case_list_first_page(user: &mut GooseUser) -> TransactionResult {
    case_list(user, "/cases", "cases: first page").await
}

async fn case_list_filtered(user: &mut GooseUser) -> TransactionResult {
    let query = memory(user)?.some_filter();
    case_list(user, &format!("/cases?{query}"), "cases: filter").await
}

/// Part of a reference typed in the search field (`G-0012345`: four digits match about a
/// thousand of a million cases).
async fn case_list_search(user: &mut GooseUser) -> TransactionResult {
    let digits = memory(user)?.dice.below(10_000);
    case_list(
        user,
        &format!("/cases?q={digits:04}"),
        "cases: search reference",
    )
    .await
}

/// A signal filter: the list reads cases until a page is full (or its scan limit).
async fn case_list_signal(user: &mut GooseUser) -> TransactionResult {
    let memory = memory(user)?;
    let signals = memory.signals.clone();
    let Some(signal) = memory.dice.pick(&signals).cloned() else {
        return case_list_first_page(user).await;
    };
    case_list(
        user,
        &format!("/cases?signal={}", encode(&signal)),
        "cases: signal filter",
    )
    .await
}

/// The next page of the last list seen (by its keyset link); pages deeper each time.
async fn case_list_next_page(user: &mut GooseUser) -> TransactionResult {
    match memory(user)?.next_page.clone() {
        Some(next) => case_list(user, &next, "cases: next page").await,
        None => case_list_first_page(user).await,
    }
}

// ---- cases ------------------------------------------------------------------------------------

async fn case_page(user: &mut GooseUser) -> TransactionResult {
    let Some(path) = memory(user)?.some_case() else {
        return case_list_first_page(user).await;
    };
    page(user, &path, "case page").await.map(drop)
}

/// Opens a case's form and saves one change: the notes, or where the family was last seen.
async fn edit_and_save(user: &mut GooseUser) -> TransactionResult {
    let Some(path) = memory(user)?.some_case() else {
        return case_list_first_page(user).await;
    };
    let edit = format!("{path}/edit");
    let form = page(user, &edit, "case: edit form").await?;
    let Some(mut fields) = html::form_fields(&form, |action| action.ends_with("/edit")) else {
        return Err(format!("{edit}: no case form on the page").into());
    };
    // Where the family was last seen changes only when the case has the day of it (the
    // situation needs one, and the day may not be after the case was reported).
    let seen_on = fields
        .iter()
        .any(|(name, value)| name == "last_seen_on" && !value.trim().is_empty());
    let situations = if seen_on {
        html::select_options(&form, "last_seen_situation")
    } else {
        Vec::new()
    };
    let memory = memory(user)?;
    if situations.is_empty() || memory.dice.chance(50) {
        let note = format!("Gebeld, afspraak gemaakt ({}).", memory.dice.below(1000));
        set_field(&mut fields, "notes", |old| {
            // One line of the test at the end, replaced each time: the notes do not grow.
            let kept = old
                .rsplit_once("\n[load] ")
                .map_or(old, |(before, _)| before);
            format!("{kept}\n[load] {note}")
        });
    } else {
        let situation = memory.dice.pick(&situations).cloned().unwrap_or_default();
        set_field(&mut fields, "last_seen_situation", |_| situation);
    }
    let mut goose = post_form(user, &edit, &fields, "case: save").await?;
    let status = goose.response.as_ref().map(|r| r.status()).ok();
    match status {
        Some(StatusCode::SEE_OTHER) => Ok(()),
        // Someone saved this case in between: the form says so, as it should.
        Some(StatusCode::CONFLICT) => {
            STALE_SAVES.fetch_add(1, Ordering::Relaxed);
            user.set_success(&mut goose.request)
        }
        _ => {
            let body = match goose.response {
                Ok(response) => response.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            let problem = html::error_text(&body);
            Err(format!("{edit}: saving answered {status:?}: {problem}").into())
        }
    }
}

/// Changes a form field (adds it when the form had none).
fn set_field(fields: &mut Vec<(String, String)>, name: &str, change: impl FnOnce(&str) -> String) {
    match fields.iter_mut().find(|(n, _)| n == name) {
        Some((_, value)) => *value = change(value),
        None => fields.push((name.to_string(), change(""))),
    }
}

// ---- overviews --------------------------------------------------------------------------------

async fn own_dashboard(user: &mut GooseUser) -> TransactionResult {
    page(user, "/dashboard", "dashboard").await.map(drop)
}

async fn follow_up(user: &mut GooseUser) -> TransactionResult {
    let query = match memory(user)?.dice.below(5) {
        0 => "?mine=1",
        1 => "?children=1",
        _ => "",
    };
    page(user, &format!("/follow-up{query}"), "follow-up")
        .await
        .map(drop)
}

/// The researcher's start: the dashboard over all organisations.
async fn dashboard_all(user: &mut GooseUser) -> TransactionResult {
    let text = page(user, "/dashboard", "dashboard: all organisations").await?;
    let memory = memory(user)?;
    if memory.organisations.is_empty() {
        memory.organisations = html::select_options(&text, "organisation");
    }
    Ok(())
}

async fn dashboard_organisation(user: &mut GooseUser) -> TransactionResult {
    let memory = memory(user)?;
    let organisations = memory.organisations.clone();
    let Some(organisation) = memory.dice.pick(&organisations).cloned() else {
        return dashboard_all(user).await;
    };
    let path = format!("/dashboard?organisation={}", encode(&organisation));
    page(user, &path, "dashboard: one organisation")
        .await
        .map(drop)
}

async fn dashboard_municipality(user: &mut GooseUser) -> TransactionResult {
    let memory = memory(user)?;
    let municipality = memory
        .dice
        .pick(MUNICIPALITIES)
        .copied()
        .unwrap_or("Amsterdam");
    let path = format!("/dashboard?municipality={}", encode(municipality));
    page(user, &path, "dashboard: municipality").await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_read_and_handed_out_in_turn() {
        let text = "# accounts\nprof-1\tprofessional\tStichting Kernkracht\nres-1\tresearcher\n\nprof-2\tprofessional\tStraatalliantie\n";
        let accounts = Accounts::parse(text, "secret".into()).expect("accounts");
        let names: Vec<String> = (0..3).map(|_| accounts.next(false).username).collect();
        assert_eq!(names, ["prof-1", "prof-2", "prof-1"]);
        assert_eq!(accounts.next(true).username, "res-1");
        assert_eq!(
            accounts.next(false).organisation.as_deref(),
            Some("Straatalliantie")
        );
        assert!(Accounts::parse("prof\tprofessional\n", "x".into()).is_err());
        assert!(Accounts::parse("prof\tprofessional\tA\n", "x".into()).is_err());
    }

    #[test]
    fn steps_come_as_often_as_their_weight() {
        let mut dice = Dice(7);
        let mut counts = [0usize; 3];
        for _ in 0..60_000 {
            match dice.weighted(&[(0, 1), (1, 2), (2, 3)]) {
                Some(i) => counts[i] += 1,
                None => panic!("no option drawn"),
            }
        }
        for (i, count) in counts.iter().enumerate() {
            let expected = 10_000 * (i + 1);
            assert!(count.abs_diff(expected) < 600, "{counts:?}");
        }
        assert_eq!(dice.weighted::<u8>(&[]), None);
    }

    #[test]
    fn segments_are_encoded_as_dakwacht_does() {
        assert_eq!(
            encode("Cliëntondersteuning Eindhoven"),
            "Cli%C3%ABntondersteuning%20Eindhoven"
        );
        assert_eq!(encode("G-0000001"), "G-0000001");
    }

    #[test]
    fn the_test_line_of_the_notes_is_replaced() {
        let mut fields = vec![("notes".to_string(), "Eerste gesprek.".to_string())];
        for n in 0..3 {
            set_field(&mut fields, "notes", |old| {
                let kept = old
                    .rsplit_once("\n[load] ")
                    .map_or(old, |(before, _)| before);
                format!("{kept}\n[load] {n}")
            });
        }
        assert_eq!(fields[0].1, "Eerste gesprek.\n[load] 2");
        set_field(&mut fields, "last_seen_situation", |_| "hotel".into());
        assert_eq!(fields[1], ("last_seen_situation".into(), "hotel".into()));
    }
}
