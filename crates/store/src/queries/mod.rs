//! The statements SQLite and PostgreSQL share, written once for any [`crate::dialect::Dialect`].

/// A block `impl<D> Sql<D> { … }` of shared statements, with the bounds that every such block
/// needs: the values its statements bind and read on `D`. Rust does not carry a trait's
/// where-clauses about other types over to the trait's users, so these bounds cannot live on
/// [`crate::dialect::Dialect`]; they are written once here instead. (Called with parentheses, so
/// that rustfmt still formats the block.)
macro_rules! shared_sql {
    (impl<D> Sql<D> { $($body:tt)* }) => {
        impl<D> crate::dialect::Sql<D>
        where
            D: crate::dialect::Dialect,
            for<'a> &'a str: sqlx::Encode<'a, D> + sqlx::Type<D>,
            String: crate::dialect::Stored<D>,
            i64: crate::dialect::Stored<D>,
            bool: crate::dialect::Stored<D>,
            Option<String>: crate::dialect::Param<D>,
            Option<i64>: crate::dialect::Param<D>,
            Option<bool>: crate::dialect::Param<D>,
            for<'a> Option<&'a str>: sqlx::Encode<'a, D>,
            usize: sqlx::ColumnIndex<D::Row>,
            for<'r> crate::rows::StoredCase: sqlx::FromRow<'r, D::Row>,
            for<'r> crate::rows::VersionedCase: sqlx::FromRow<'r, D::Row>,
            for<'r> crate::rows::CaseWithHandEdit: sqlx::FromRow<'r, D::Row>,
            for<'r> crate::activation::LinkRow: sqlx::FromRow<'r, D::Row>,
            for<'r> crate::queries::children::ChildOfCase: sqlx::FromRow<'r, D::Row>,
            for<'r> (i64, i64): sqlx::FromRow<'r, D::Row>,
            for<'r> (Option<String>, i64, i64): sqlx::FromRow<'r, D::Row>,
            for<'r> (i64, i64, Option<String>): sqlx::FromRow<'r, D::Row>,
        {
            $($body)*
        }
    };
}

/// Writes methods of `impl Store for …` that run the function of the same name of
/// `Sql::<$dialect>` on the store's sqlx pool (the field `$pool`), from one line each:
/// `name(argument: Type, …) -> Output;` makes `async fn name(&self, argument: Type, …) ->
/// Result<Output, StoreError>`. The types are written as the stores' modules see them.
macro_rules! forward_to_sql {
    (
        dialect: $dialect:ty, pool: $pool:ident;
        $( $name:ident ( $($argument:ident : $type:ty),* ) -> $output:ty; )+
    ) => {
        $(
            async fn $name(&self, $($argument: $type),*) -> Result<$output, $crate::StoreError> {
                $crate::dialect::Sql::<$dialect>::$name(&self.$pool, $($argument),*).await
            }
        )+
    };
}

pub(crate) use forward_to_sql;

/// The names in the signatures of [`shared_store_methods!`] that the stores' modules do not
/// import for their own methods (a macro's types are looked up where it is used).
pub(crate) mod signature_types {
    pub(crate) use crate::{
        Admission, AssessmentChange, AuditFilter, AuditRecord, CaseSummary, Change, ChildChange,
        ClosedCase, FollowUp, FollowUpChange, Invitation, KeptSignal, LinkRequest, LinkState,
        MadeLetter, NewActivationLink, NewLetter, NewPublication, NewSession, NewUser,
        PublicationRecord, RetentionSummary, SecondFactorSeed, SessionKind, SessionRecord,
        StagedSession, StoredAssessment, StoredForImport, User,
    };
    pub(crate) use dakwacht_core::{Assessment, Child, ChildRow, Closure, Date, RecordedStay};
    pub(crate) use tokio::sync::mpsc::Sender;
}

/// The methods of `impl Store for …` whose statements both databases share (see
/// [`forward_to_sql!`]). The methods a store does its own way (imports, saves, scans) are
/// written out in its `impl`.
#[rustfmt::skip]
macro_rules! shared_store_methods {
    (dialect: $dialect:ty, pool: $pool:ident) => {
        $crate::queries::forward_to_sql! {
            dialect: $dialect, pool: $pool;
            cases_after(filter: &CaseFilter, after: Option<(&str, &str)>, limit: u32) -> Vec<Case>;
            extra_columns(filter: &CaseFilter) -> Vec<String>;
            municipality_count(filter: &CaseFilter) -> u64;
            municipalities(filter: &CaseFilter) -> Vec<(String, u64)>;
            home_losses_by_month(filter: &CaseFilter) -> Vec<(String, u64)>;
            case_with_version(organisation: &str, case_ref: &str) -> Option<(Case, i64)>;
            cases_by_ref(organisation: &str, case_refs: &[String]) -> Vec<StoredForImport>;
            history(organisation: &str, case_ref: &str) -> Vec<Change>;
            children(organisation: &str, case_ref: &str) -> Vec<Child>;
            children_of_cases(organisation: &str, case_refs: &[String]) -> Vec<ChildRow>;
            child_history(organisation: &str, case_ref: &str) -> Vec<ChildChange>;
            child_extra_columns(filter: &CaseFilter) -> Vec<String>;
            add_organisation(actor: &Actor, name: &str) -> bool;
            organisations() -> Vec<String>;
            add_user(actor: &Actor, user: &NewUser) -> ();
            users(organisation: Option<&str>) -> Vec<User>;
            set_user_disabled(actor: &Actor, username: &str, disabled: bool) -> bool;
            change_password(username: &str, password_hash: &str, keep_session: &str) -> ();
            new_link(actor: &Actor, request: &LinkRequest<'_>, link: &NewActivationLink) -> Admission;
            invite_user(actor: &Actor, invitation: &Invitation) -> Admission;
            decide_user(actor: &Actor, organisation: &str, username: &str, approved_with: Option<&NewActivationLink>) -> bool;
            activation_link(token_hash: &str) -> LinkState;
            activate_user(token_hash: &str, password_hash: &str) -> LinkState;
            user_for_login(username: &str) -> Option<(User, String)>;
            audit_log(filter: &AuditFilter) -> Vec<AuditRecord>;
            verify_audit_chain() -> crate::audit_chain::AuditVerification;
            create_session(username: &str, session: &NewSession) -> bool;
            session(token_hash: &str, kind: SessionKind, active_since: &str) -> Option<(User, String)>;
            staged_session(token_hash: &str) -> Option<StagedSession>;
            set_pending_secret(token_hash: &str, secret: Option<&str>) -> bool;
            finish_sign_in(unfinished_hash: &str, session: &NewSession) -> bool;
            second_factor_seed(username: &str) -> Option<SecondFactorSeed>;
            accept_code_step(username: &str, step: i64) -> bool;
            enrol_second_factor(username: &str, secret: &str, step: i64, recovery_hashes: &[String], keep_session: &str) -> ();
            spend_recovery_code(username: &str, code_hash: &str) -> Option<i64>;
            end_sessions_of(actor: &Actor, username: &str, organisation: Option<&str>) -> u64;
            remove_second_factor(actor: &Actor, username: &str, organisation: Option<&str>) -> bool;
            second_factor_policy(organisation: &str) -> bool;
            set_second_factor_policy(actor: &Actor, organisation: &str, required: bool) -> bool;
            end_session(token_hash: &str) -> ();
            sessions_of(username: &str) -> Vec<SessionRecord>;
            end_sessions_named(actor: &Actor, username: &str, ids: &[String], keep: &str) -> u64;
            end_all_sessions(actor: &Actor, organisation: Option<&str>, keep: &str) -> u64;
            case_page(filter: &CaseFilter, after: Option<(&str, &str)>, limit: u32) -> Vec<CaseSummary>;
            case_page_raising(filter: &CaseFilter, after: Option<(&str, &str)>, limit: u32, signal: KeptSignal) -> Vec<CaseSummary>;
            follow_up(organisation: &str, asked: &FollowUp) -> Vec<CaseSummary>;
            follow_up_of(organisation: &str, case_ref: &str) -> (Option<String>, Option<String>);
            change_follow_up(actor: &Actor, organisation: &str, case_ref: &str, change: &FollowUpChange) -> ();
            recorded_stays(organisation: &str, case_ref: &str) -> Vec<RecordedStay>;
            set_closure(actor: &Actor, organisation: &str, case_ref: &str, to: Option<&Closure>) -> bool;
            closure(organisation: &str, case_ref: &str) -> Option<Closure>;
            closed_cases(last_day: Date) -> Vec<ClosedCase>;
            delete_closed(actor: &Actor, last_day: Date, about: &str) -> RetentionSummary;
            erase_case(actor: &Actor, organisation: &str, case_ref: &str, why: &str) -> RetentionSummary;
            record_publication(actor: &Actor, publication: &NewPublication<'_>) -> (i64, String);
            publications() -> Vec<PublicationRecord>;
            publication(id: i64) -> Option<(PublicationRecord, String)>;
            record_letter(actor: &Actor, organisation: &str, case_ref: &str, letter: &NewLetter<'_>) -> i64;
            letters_made(organisation: &str, case_ref: &str) -> Vec<MadeLetter>;
            assessments(organisation: &str, case_ref: &str) -> Vec<StoredAssessment>;
            assessment_history(organisation: &str, case_ref: &str) -> Vec<AssessmentChange>;
            create_assessment(actor: &Actor, organisation: &str, case_ref: &str, assessment: &Assessment) -> i64;
            save_assessment(actor: &Actor, case: (&str, &str), id: i64, assessment: &Assessment, expected_version: i64) -> i64;
            save_child(actor: &Actor, case: (&str, &str), child: &Child) -> bool;
        }

        async fn audit(&self, entry: &$crate::AuditEntry) -> Result<(), $crate::StoreError> {
            // A transaction of its own: the chain's last hash is read and followed in it.
            let tx = <$dialect as $crate::dialect::Dialect>::begin_write(&self.$pool).await?;
            $crate::dialect::Sql::<$dialect>::commit_audited(tx, entry).await
        }
    };
}

pub(crate) use shared_store_methods;

mod accounts;
mod activation;
mod assessments;
mod cases;
pub(crate) mod children;
mod closing;
mod letters;
mod publications;
mod second_factor;

/// Sends the records of a stream to an export in batches of [`EXPORT_BATCH`], each row made
/// into its record by `record`; stops early, without an error, when the receiving end is gone
/// (the writer failed and says why). Returns how many were sent.
pub(crate) async fn send_in_batches<Row, Record, E>(
    mut rows: impl futures_util::Stream<Item = Result<Row, E>> + Unpin,
    batches: &tokio::sync::mpsc::Sender<Vec<Record>>,
    record: impl Fn(Row) -> Result<Record, crate::StoreError>,
) -> Result<u64, crate::StoreError>
where
    crate::StoreError: From<E>,
{
    use futures_util::TryStreamExt;
    let mut batch = Vec::with_capacity(EXPORT_BATCH);
    let mut sent = 0;
    while let Some(row) = rows.try_next().await? {
        batch.push(record(row)?);
        sent += 1;
        if batch.len() == EXPORT_BATCH && batches.send(std::mem::take(&mut batch)).await.is_err() {
            return Ok(sent);
        }
    }
    if !batch.is_empty() {
        let _ = batches.send(batch).await;
    }
    Ok(sent)
}

/// Records are sent to an export this many at a time.
const EXPORT_BATCH: usize = 1000;

/// The fields a history entry's `changes` (`{"field": [old, new]}`) names, as `field_of` reads
/// a name; none for a creation, and none that it cannot name.
pub(crate) fn changed_fields<F>(
    changes: Option<String>,
    field_of: impl Fn(&str) -> Option<F>,
) -> Vec<F> {
    changes
        .and_then(|c| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&c).ok())
        .map(|m| m.keys().filter_map(|k| field_of(k)).collect())
        .unwrap_or_default()
}

/// The time of a change as stored: RFC 3339 in UTC, whose text order is time order.
fn now() -> String {
    jiff::Timestamp::now().to_string()
}
