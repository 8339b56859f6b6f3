//! Reading, listing and changing cases.
//!
//! All filters of the case list are SQL. The signal filter reads the signals each case keeps
//! (`case_signals`, worked out first for the cases that have none under these rules). Where
//! signals cannot be kept (more rules than bits, or a writer holds the database) the list reads
//! the selection in order and keeps the cases that raise the rule, one evaluation per distinct
//! combination of the facts the rule reads ([`dakwacht_rules::RuleMatcher`]), at most
//! [`SCAN_LIMIT`] cases a page.

use std::collections::HashMap;

use dakwacht_core::access::{Action, Principal, Role};
use dakwacht_core::{Case, CaseFilter, Facts, Field, FieldError, Observation, RecordedStay};
use dakwacht_rules::{Rule, RuleSet};
use dakwacht_store::{
    AuditAction, CaseSummary, Change, FollowUp, FollowUpChange, KeptSignal, RejectedCase,
    Rejections, StayNews, Store, StoreError,
};

use crate::{Acting, Error};

/// A list of cases asked for: a filter within the own organisation, optionally only the cases
/// that raise one signal, one page after `after`.
pub struct CaseQuery<'a> {
    /// Its organisation is set to the user's own: the query cannot widen it.
    pub filter: CaseFilter,
    /// Only the cases that raise this rule's signal (a rule of `rules`).
    pub signal: Option<(&'a RuleSet, &'a Rule)>,
    /// The case reference of the last case of the previous page.
    pub after: Option<String>,
    pub limit: u32,
    /// Said in the audit line (`api`, `web`).
    pub via: &'static str,
}

/// One page of the case list.
pub struct CaseList {
    pub organisation: String,
    pub cases: Vec<CaseSummary>,
    /// Where the next page starts, when there is one.
    pub next_after: Option<String>,
    /// For a signal filter that stopped before filling the page: how many cases it read.
    pub scanned: Option<usize>,
}

/// A signal filter reads at most this many cases per page, in batches of [`SCAN_BATCH`]: a
/// rare signal on a large organisation answers with what it found so far and a link onwards.
pub const SCAN_LIMIT: usize = 20_000;
const SCAN_BATCH: u32 = 1_000;

/// A case with everything the case page shows.
#[derive(Debug, Clone)]
pub struct WholeCase {
    pub case: Case,
    /// Oldest first.
    pub history: Vec<Change>,
    /// The user name of the colleague who follows the family.
    pub assigned_to: Option<String>,
    /// A coming eviction.
    pub eviction_on: Option<jiff::civil::Date>,
    /// Every stay recorded by hand, removed ones included (the timeline has the others).
    pub stays: Vec<RecordedStay>,
    /// The records of the family's children, by number (read with the case, under its access
    /// check and audit line).
    pub children: Vec<dakwacht_core::Child>,
    /// Who started or saved which step of the children's assessments, and when (never what
    /// they say), oldest first.
    pub assessment_history: Vec<dakwacht_store::AssessmentChange>,
    /// The creation and every change of the children's records, oldest first.
    pub child_history: Vec<dakwacht_store::ChildChange>,
}

/// Families the follow-up list shows at most.
pub const FOLLOW_UP_LIMIT: u32 = 500;

/// What a follow-up list asks: families without news for `weeks`, or with an eviction within
/// `eviction_days` of `today`; only the principal's own (`mine`) when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUpAsked {
    pub today: jiff::civil::Date,
    pub weeks: u32,
    pub eviction_days: u32,
    pub mine: bool,
    /// Only families with a child separated from its parents or missing school.
    pub children_at_risk: bool,
}

/// How often a stay is applied again to a case that someone changed at the same moment.
const STAY_ATTEMPTS: u32 = 3;

/// What recording a stay came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stay {
    Recorded,
    /// Dated before the home was lost: nothing was recorded.
    BeforeLoss,
    /// The case cannot take it (it would break a rule): nothing was recorded.
    Refused(Vec<FieldError>),
}

/// What news of a stay makes of a case: the case to save with the news, and the answer once it
/// is saved; or an answer without saving anything.
enum Plan<T> {
    Save(Box<Case>, StayNews, T),
    Answer(T),
}

/// What taking back a recorded stay came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StayRemoval {
    /// Removed, and what it set put back, except these fields: they were changed since.
    Removed { kept: Vec<Field> },
    /// The case without it would break a rule: nothing was removed.
    Refused(Vec<FieldError>),
}

/// Why a case is read together with its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFor {
    /// To show it: the API sends the version, so that a client can save later.
    Showing,
    /// For the edit form, which only those who may change the case open.
    Changing,
}

impl<S: Store> Acting<S> {
    /// A page of the own organisation's cases (audited).
    pub async fn list_cases(&self, query: CaseQuery<'_>) -> Result<CaseList, Error> {
        let organisation = self
            .own_organisation_for(
                "the case list is for coordinators and professionals",
                |organisation| Action::ReadCase { organisation },
            )
            .await?;
        let filter = CaseFilter {
            organisation: Some(organisation.clone()),
            ..query.filter
        };
        let limit = query.limit.max(1);
        let kept = match query.signal {
            Some((rules, rule)) => self.kept_signal(rules, rule).await?,
            None => None,
        };
        let (cases, next_after, scanned) = match (query.signal, kept) {
            (Some((rules, rule)), None) => {
                self.scan(&filter, rules, rule, query.after, limit).await?
            }
            (_, kept) => {
                let after = query.after.as_deref().map(|r| (organisation.as_str(), r));
                let store = self.store();
                let page = match kept {
                    Some(signal) => {
                        store
                            .case_page_raising(&filter, after, limit, signal)
                            .await?
                    }
                    None => store.case_page(&filter, after, limit).await?,
                };
                let last = (page.len() == limit as usize)
                    .then(|| page.last().map(|c| c.case_ref.clone()))
                    .flatten();
                (page, last, None)
            }
        };
        self.record(
            &self
                .entry(AuditAction::ListCases)
                .organisation(&organisation)
                .detail(format!("{}: {} case(s)", query.via, cases.len())),
        )
        .await?;
        Ok(CaseList {
            organisation,
            cases,
            next_after,
            scanned,
        })
    }

    /// `rule`'s signal as every case keeps it, after working out the signals of the cases that
    /// keep none under `rules`; `None` where signals cannot be kept (more rules than bits, or a
    /// writer holds the database): the list then reads the cases themselves.
    async fn kept_signal(&self, rules: &RuleSet, rule: &Rule) -> Result<Option<KeptSignal>, Error> {
        let Some(index) = rules.rules.iter().position(|r| r.id == rule.id) else {
            return Ok(None);
        };
        if !rules.fits_kept_signals() {
            return Ok(None);
        }
        let fingerprint = rules.fingerprint();
        // Works out only the cases due (none, mostly: the store finds that out cheaply).
        let judge = crate::statistics::judge(rules)?;
        match self
            .store()
            .keep_signals(fingerprint, &rules.variable_sets(), judge)
            .await
        {
            Ok(_) => {}
            Err(StoreError::Busy) => return Ok(None),
            Err(other) => return Err(other.into()),
        }
        Ok(Some(KeptSignal {
            rules: fingerprint,
            rule: index,
        }))
    }

    /// The cases that raise `rule`, read in batches until the page is full or the scan limit.
    async fn scan(
        &self,
        filter: &CaseFilter,
        rules: &RuleSet,
        rule: &Rule,
        after: Option<String>,
        limit: u32,
    ) -> Result<(Vec<CaseSummary>, Option<String>, Option<usize>), Error> {
        let organisation = filter.organisation.as_deref().unwrap_or_default();
        let evaluator = rules.evaluator();
        let mut matcher = evaluator.matcher(rule);
        let mut found = Vec::new();
        let mut read = 0;
        let mut cursor = after;
        let mut exhausted = false;
        while found.len() < limit as usize && read < SCAN_LIMIT {
            let position = cursor.as_deref().map(|r| (organisation, r));
            let batch = self
                .store()
                .cases_after(filter, position, SCAN_BATCH)
                .await?;
            exhausted = batch.len() < SCAN_BATCH as usize;
            // A rule over child records needs the batch's records: one read for the batch.
            let mut records: HashMap<String, Vec<dakwacht_core::Child>> = HashMap::new();
            if matcher.reads_children() && !batch.is_empty() {
                let refs: Vec<String> = batch
                    .iter()
                    .map(|case| case.case_ref.as_str().to_string())
                    .collect();
                for row in self.store().children_of_cases(organisation, &refs).await? {
                    records
                        .entry(row.case_ref.as_str().to_string())
                        .or_default()
                        .push(row.child);
                }
            }
            for case in batch {
                read += 1;
                cursor = Some(case.case_ref.as_str().to_string());
                let children = records
                    .get(case.case_ref.as_str())
                    .map_or(&[][..], Vec::as_slice);
                if matcher.raised_by_facts(&Facts::of_family(&case, children)) {
                    found.push(CaseSummary::of(&case));
                    if found.len() == limit as usize {
                        exhausted = false;
                        break;
                    }
                }
            }
            if exhausted {
                break;
            }
        }
        let last = if exhausted { None } else { cursor };
        let stopped_early = found.len() < limit as usize && last.is_some();
        Ok((found, last, stopped_early.then_some(read)))
    }

    /// The own organisation's families that need a follow-up: no news since `contact_before`
    /// (audited).
    pub async fn follow_up(
        &self,
        asked: FollowUpAsked,
    ) -> Result<(String, Vec<CaseSummary>), Error> {
        let organisation = self
            .own_organisation_for(
                "follow-up is for coordinators and professionals",
                |organisation| Action::ReadCase { organisation },
            )
            .await?;
        let day = |date: jiff::civil::Date| date.to_string();
        let FollowUpAsked {
            today,
            weeks,
            eviction_days,
            mine,
            children_at_risk,
        } = asked;
        let span = |days: i64| jiff::Span::new().days(days);
        let contact_before = today
            .checked_sub(span(7 * i64::from(weeks)))
            .unwrap_or(today);
        let eviction_before = today
            .checked_add(span(i64::from(eviction_days)))
            .unwrap_or(today);
        let username = match &self.principal {
            Principal::User { username, .. } => Some(username.clone()),
            Principal::Operator { .. } => None,
        };
        let query = FollowUp {
            contact_before: day(contact_before),
            today: day(today),
            eviction_before: day(eviction_before),
            assigned_to: if mine { username } else { None },
            children_at_risk,
            limit: FOLLOW_UP_LIMIT,
        };
        let found = self.store().follow_up(&organisation, &query).await?;
        let whose = match (mine, children_at_risk) {
            (true, true) => ", mine, children at risk",
            (true, false) => ", mine",
            (false, true) => ", children at risk",
            (false, false) => "",
        };
        self.record(
            &self
                .entry(AuditAction::ListCases)
                .organisation(&organisation)
                .detail(format!(
                    "follow-up, {weeks} weeks{whose}: {} case(s)",
                    found.len()
                )),
        )
        .await?;
        Ok((organisation, found))
    }

    /// The colleagues a case of the own organisation can be assigned to: its active
    /// professionals and coordinators, by user name.
    pub async fn colleagues(&self) -> Result<Vec<String>, Error> {
        let organisation = self.case_organisation().await?;
        let users = self.store().users(Some(&organisation)).await?;
        Ok(users
            .into_iter()
            .filter(|u| !u.disabled && !u.awaiting_approval)
            .filter(|u| matches!(u.role, Role::Professional | Role::Coordinator))
            .map(|u| u.username)
            .collect())
    }

    /// Assigns a case to a colleague of its organisation who follows the family, or to nobody.
    pub async fn assign_case(
        &self,
        organisation: &str,
        case_ref: &str,
        assignee: Option<&str>,
    ) -> Result<(), Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        let change = FollowUpChange::AssignTo(assignee.map(str::to_string));
        Ok(self
            .store()
            .change_follow_up(&self.actor(), organisation, case_ref, &change)
            .await?)
    }

    /// Registers the date of a coming eviction, or removes it.
    pub async fn set_eviction_date(
        &self,
        organisation: &str,
        case_ref: &str,
        eviction_on: Option<jiff::civil::Date>,
    ) -> Result<(), Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        let change = FollowUpChange::EvictionOn(eviction_on.map(|d| d.to_string()));
        Ok(self
            .store()
            .change_follow_up(&self.actor(), organisation, case_ref, &change)
            .await?)
    }

    /// Records that a case was shown (`via`: the page, the API, the command).
    async fn record_view(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<(), Error> {
        self.record(
            &self
                .entry(AuditAction::ViewCase)
                .case(organisation, case_ref)
                .detail(via),
        )
        .await
    }

    /// One case with its recorded observations (audited).
    pub async fn read_case(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<Case, Error> {
        Ok(self
            .read_case_and_stays(organisation, case_ref, via)
            .await?
            .0)
    }

    /// One case with its recorded observations and its children's records: what its signals
    /// are held against (audited once, as a read).
    pub async fn read_family(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<(Case, Vec<dakwacht_core::Child>), Error> {
        let case = self.read_case(organisation, case_ref, via).await?;
        let children = self.store().children(organisation, case_ref).await?;
        Ok((case, children))
    }

    /// A case with the version it was read at and its children's records, to show it with
    /// its signals (audited once, as a read).
    pub async fn family_with_version(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<(Case, i64, Vec<dakwacht_core::Child>), Error> {
        let (case, version) = self
            .case_with_version(organisation, case_ref, ReadFor::Showing, via)
            .await?;
        let children = self.store().children(organisation, case_ref).await?;
        Ok((case, version, children))
    }

    /// One case with its recorded observations, and every stay recorded by hand (audited).
    async fn read_case_and_stays(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<(Case, Vec<RecordedStay>), Error> {
        self.allow(Action::ReadCase { organisation }).await?;
        let mut case = self
            .store()
            .case(organisation, case_ref)
            .await?
            .ok_or(Error::NotFound)?;
        let stays = self.store().recorded_stays(organisation, case_ref).await?;
        case.observations = stays
            .iter()
            .filter(|stay| !stay.is_removed())
            .map(|stay| stay.observation)
            .collect();
        self.record_view(organisation, case_ref, via).await?;
        Ok((case, stays))
    }

    /// One case with its recorded observations, its change history (oldest first), its
    /// recorded stays and who follows it: the whole case on one page (audited once, as a read).
    pub async fn read_whole_case(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<WholeCase, Error> {
        let (case, stays) = self
            .read_case_and_stays(organisation, case_ref, via)
            .await?;
        let history = self.store().history(organisation, case_ref).await?;
        let (assigned_to, eviction_on) = self.store().follow_up_of(organisation, case_ref).await?;
        let children = self.store().children(organisation, case_ref).await?;
        let assessment_history = self
            .store()
            .assessment_history(organisation, case_ref)
            .await?;
        let child_history = self.store().child_history(organisation, case_ref).await?;
        Ok(WholeCase {
            case,
            history,
            assigned_to,
            eviction_on: eviction_on
                .as_deref()
                .and_then(dakwacht_core::date::parse_date),
            stays,
            children,
            assessment_history,
            child_history,
        })
    }

    /// The organisation whose cases this principal keeps: for the form of a new case.
    pub async fn case_organisation(&self) -> Result<String, Error> {
        self.own_organisation_for(
            "cases are kept by coordinators and professionals",
            |organisation| Action::WriteCase { organisation },
        )
        .await
    }

    /// Whether this principal may change the cases of `organisation`: asked before a form is
    /// even read, so that another organisation's case is "not found" whatever the form holds.
    pub async fn may_change_cases_of(&self, organisation: &str) -> Result<(), Error> {
        self.allow(Action::WriteCase { organisation }).await
    }

    /// A case with the version it was read at (audited as a read), to show it or to change it:
    /// a change based on that version cannot overwrite a later one.
    pub async fn case_with_version(
        &self,
        organisation: &str,
        case_ref: &str,
        purpose: ReadFor,
        via: &'static str,
    ) -> Result<(Case, i64), Error> {
        let action = match purpose {
            ReadFor::Showing => Action::ReadCase { organisation },
            ReadFor::Changing => Action::WriteCase { organisation },
        };
        self.allow(action).await?;
        // One read: the version is always that of the content returned, so a save based on it
        // cannot overwrite a change the editor never saw.
        let (case, version) = self
            .store()
            .case_with_version(organisation, case_ref)
            .await?
            .ok_or(Error::NotFound)?;
        self.record_view(organisation, case_ref, via).await?;
        Ok((case, version))
    }

    /// The records of a case's children, by number, for someone who may read the case (the
    /// read is audited as a view of the case, `via` saying where; another organisation's case
    /// is refused as for the case itself).
    pub async fn children_of(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<Vec<dakwacht_core::Child>, Error> {
        self.allow(Action::ReadCase { organisation }).await?;
        // A case that does not exist is not found, not a family without records.
        let store = self.store();
        if store.case(organisation, case_ref).await?.is_none() {
            return Err(Error::NotFound);
        }
        let children = store.children(organisation, case_ref).await?;
        self.record_view(organisation, case_ref, via).await?;
        Ok(children)
    }

    /// Saves a child's record entered by hand (created or changed, in the child's history and
    /// the audit log); whether anything changed. A record that no longer fits its case is
    /// [`StoreError::ChildDoesNotFit`].
    pub async fn save_child(
        &self,
        organisation: &str,
        case_ref: &str,
        child: &dakwacht_core::Child,
    ) -> Result<bool, Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        match self
            .store()
            .save_child(&self.actor(), (organisation, case_ref), child)
            .await
        {
            Err(StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// Saves a case entered by hand: `expected_version` `None` creates it, `Some(v)` changes it
    /// only if it is still at `v` (the store audits the change with its fields). A case that
    /// breaks a rule of the interchange spec (a default judgment without a court case, dates out
    /// of order) is refused as an import would refuse it, whoever calls: the pages and the API
    /// check their input first, but the rule is kept here, where nobody can skip it.
    pub async fn save_case(
        &self,
        case: &Case,
        expected_version: Option<i64>,
    ) -> Result<i64, Error> {
        self.allow(Action::WriteCase {
            organisation: case.organisation.as_str(),
        })
        .await?;
        let errors = case.check();
        if !errors.is_empty() {
            return Err(Error::Store(StoreError::Rejected(Rejections {
                cases: vec![RejectedCase {
                    organisation: case.organisation.to_string(),
                    case_ref: case.case_ref.to_string(),
                    errors,
                }],
                children: Vec::new(),
                total: 1,
            })));
        }
        Ok(self
            .store()
            .save_case(&self.actor(), case, expected_version)
            .await?)
    }

    /// Saves what a family answered in the rights check into its case: each interchange column
    /// the answers fill in (`columns`, column → code) replaces the stored value, the others stay.
    /// Saved like any change by hand, on the version read (audited, in the case's history).
    /// `Ok(Err(problems))` when the case would break a rule of the interchange spec with them
    /// (each problem with its field, value and what is expected), and nothing is saved.
    pub async fn save_answers(
        &self,
        organisation: &str,
        case_ref: &str,
        columns: &std::collections::BTreeMap<String, String>,
    ) -> Result<Result<Vec<dakwacht_core::Field>, Vec<dakwacht_core::FieldError>>, Error> {
        let (case, version) = self
            .case_with_version(organisation, case_ref, ReadFor::Changing, "rights check")
            .await?;
        let names: Vec<&str> = dakwacht_core::Field::ALL.iter().map(|f| f.name()).collect();
        let Ok(header) = dakwacht_interchange::header::Columns::from_header(names.iter().copied())
        else {
            return Err(Error::Internal("the interchange columns".into()));
        };
        let cells: Vec<String> = dakwacht_core::Field::ALL
            .iter()
            .map(|f| {
                columns
                    .get(f.name())
                    .cloned()
                    .unwrap_or_else(|| case.text(*f))
            })
            .collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let mut changed = match dakwacht_interchange::row::parse_row(&header, 1, &cells) {
            Ok(changed) => changed,
            Err(errors) => {
                return Ok(Err(errors
                    .into_iter()
                    .map(|e| {
                        let field = e
                            .column
                            .as_deref()
                            .and_then(dakwacht_core::Field::from_header)
                            .unwrap_or(dakwacht_core::Field::CaseRef);
                        dakwacht_core::FieldError::new(field, e.value, e.expected)
                    })
                    .collect()));
            }
        };
        changed.observations = case.observations.clone();
        let fields: Vec<dakwacht_core::Field> = dakwacht_core::Field::ALL
            .iter()
            .copied()
            .filter(|f| changed.text(*f) != case.text(*f))
            .collect();
        if fields.is_empty() {
            return Ok(Ok(fields));
        }
        match self.save_case(&changed, Some(version)).await {
            Ok(_) => Ok(Ok(fields)),
            Err(Error::Store(StoreError::Rejected(rejections))) => Ok(Err(rejections
                .cases
                .into_iter()
                .flat_map(|c| c.errors)
                .collect())),
            Err(other) => Err(other),
        }
    }

    /// Records where the family stayed on a date. The stay joins the timeline and, when it is the
    /// latest news, becomes the case's situation now and its last contact ([`Case::after_stay`]),
    /// in one transaction with the case's history (the store audits it). A change someone made
    /// meanwhile is read again and kept, never undone. A stay before the home was lost, or one the
    /// case cannot take, is not recorded.
    pub async fn add_observation(
        &self,
        organisation: &str,
        case_ref: &str,
        observation: &Observation,
    ) -> Result<Stay, Error> {
        self.stay_news(organisation, case_ref, |case, _| {
            let before_loss = observation
                .on
                .zip(case.home_lost_on)
                .is_some_and(|(on, lost)| on.compare(lost).is_lt());
            if before_loss {
                return Ok(Plan::Answer(Stay::BeforeLoss));
            }
            let after = case.after_stay(observation);
            let errors = after.check();
            if !errors.is_empty() {
                return Ok(Plan::Answer(Stay::Refused(errors)));
            }
            Ok(Plan::Save(
                Box::new(after),
                StayNews::Record(*observation),
                Stay::Recorded,
            ))
        })
        .await
    }

    /// Takes back a stay recorded by mistake (`stay_id`, from [`WholeCase::stays`]): it leaves
    /// the timeline but stays in the history, and what it set in the case goes back to what it
    /// was, except where someone changed it since ([`Case::without_stay`]). Not found when the
    /// case has no such stay, or it was removed already. A correction is a removal followed by
    /// the right stay.
    pub async fn remove_stay(
        &self,
        organisation: &str,
        case_ref: &str,
        stay_id: i64,
    ) -> Result<StayRemoval, Error> {
        self.stay_news(organisation, case_ref, |case, stays| {
            let stay = stays
                .iter()
                .find(|stay| stay.id == stay_id && !stay.is_removed())
                .ok_or(Error::NotFound)?;
            let undone = case.without_stay(&stay.effects);
            let errors = undone.case.check();
            if !errors.is_empty() {
                return Ok(Plan::Answer(StayRemoval::Refused(errors)));
            }
            let removed = StayRemoval::Removed { kept: undone.kept };
            Ok(Plan::Save(
                Box::new(undone.case),
                StayNews::Remove(stay_id),
                removed,
            ))
        })
        .await
    }

    /// News of a stay, planned by `plan` from the case and its stays as stored now and saved with
    /// the case in one transaction; planned again on the case as it is then when someone changed
    /// it at the same moment, so their change is kept, never undone.
    async fn stay_news<T>(
        &self,
        organisation: &str,
        case_ref: &str,
        plan: impl Fn(&Case, &[RecordedStay]) -> Result<Plan<T>, Error>,
    ) -> Result<T, Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        let mut attempts = 0;
        loop {
            let (case, version) = self
                .store()
                .case_with_version(organisation, case_ref)
                .await?
                .ok_or(Error::NotFound)?;
            let stays = self.store().recorded_stays(organisation, case_ref).await?;
            let (after, news, answer) = match plan(&case, &stays)? {
                Plan::Answer(answer) => return Ok(answer),
                Plan::Save(after, news, answer) => (after, news, answer),
            };
            match self
                .store()
                .save_with_stay(&self.actor(), &after, Some(version), Some(news))
                .await
            {
                Err(StoreError::StaleVersion { .. }) if attempts < STAY_ATTEMPTS => attempts += 1,
                other => return other.map(|_| answer).map_err(Error::from),
            }
        }
    }

    /// One case by `organisation/case_ref` as the operator sees it (for `dakwacht check`).
    pub async fn case(&self, organisation: &str, case_ref: &str) -> Result<Option<Case>, Error> {
        self.allow(Action::ReadCase { organisation }).await?;
        let case = self.store().case(organisation, case_ref).await?;
        if case.is_some() {
            self.record(
                &self
                    .entry(AuditAction::ViewCase)
                    .case(organisation, case_ref)
                    .detail("check"),
            )
            .await?;
        }
        Ok(case)
    }
}
