//! Accounts, organisations and the audit log in the browser. An administrator manages every
//! organisation and account and reads the audit log; a coordinator manages the accounts of the
//! own organisation (coordinators and professionals only). Nobody here sees case content.
//!
//! Nobody sets or sees another person's password: a new account gets an activation link (24
//! hours, once), shown once to whoever may hand it out, and its user chooses the password (see
//! `activation`). An administrator gets no way into case content this way: an account with case
//! access that an administrator makes waits for a coordinator of its organisation, who approves
//! it (and then gets the link) or rejects it; where no coordinator could, the administrator is
//! refused (the rule is `dakwacht_app::Admission`).

use crate::auth::{Signed, SignedForm};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_app::{
    Acting, Admission, AdmissionRefusal, AuditAction, AuditFilter, Disabling, Error, Invitation,
    ManagedUsers, Reset, Store, StoreError, User,
};
use dakwacht_core::access::{Role, normalise_username};
use dakwacht_core::control::{TextKind, code_point, escape_controls, first_refused};
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::render;

fn role_label(tr: &Tr, role: Role) -> String {
    match role {
        Role::Admin => tr.t("role-admin"),
        Role::Coordinator => tr.t("role-coordinator"),
        Role::Professional => tr.t("role-professional"),
        Role::Researcher => tr.t("role-researcher"),
    }
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    tr: Tr,
    username: String,
    csrf: String,
    is_admin: bool,
    scope: String,
    users: Vec<UserLine>,
    roles: Vec<(&'static str, String)>,
    organisations: Vec<String>,
    error: Option<String>,
    form_username: String,
    /// What just happened to an account, with its activation link when there is one.
    notice: Option<Notice>,
    /// A coordinator's organisation: whether its professionals need a second factor.
    policies: Vec<PolicyLine>,
}

/// Whether an organisation's professionals need a second factor, with the button that turns it.
struct PolicyLine {
    required: bool,
    state: String,
    button: String,
    action: String,
}

async fn policy_lines<S: Store>(
    acting: &Acting<S>,
    tr: &Tr,
    organisations: &[String],
) -> Result<Vec<PolicyLine>, AppError> {
    let mut lines = Vec::with_capacity(organisations.len());
    for organisation in organisations {
        let required = acting.second_factor_policy(organisation).await?;
        let (state, button) = if required {
            ("policy-required", "policy-make-optional")
        } else {
            ("policy-optional", "policy-make-required")
        };
        lines.push(PolicyLine {
            required,
            state: tr.t1(state, "organisation", organisation),
            button: tr.t1(button, "organisation", organisation),
            action: format!(
                "/admin/organisations/{}/second-factor",
                crate::pages::encode_segment(organisation)
            ),
        });
    }
    Ok(lines)
}

#[derive(Deserialize)]
pub struct PolicyForm {
    required: String,
}

/// `POST /admin/organisations/{organisation}/second-factor`: whether the organisation's
/// professionals need a second factor (`required=yes|no`); back to the page it came from.
pub async fn set_policy<S: Store>(
    Path(organisation): Path<String>,
    SignedForm(Signed { user, .. }, acting, form): SignedForm<S, PolicyForm>,
) -> Result<Response, AppError> {
    let required = match form.required.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadForm),
    };
    acting
        .set_second_factor_policy(&organisation, required)
        .await?;
    Ok(Redirect::to(if user.user.role == Role::Admin {
        "/admin/organisations"
    } else {
        "/admin/users"
    })
    .into_response())
}

/// Shown once above the list: the link is not kept anywhere it could be read again.
pub struct Notice {
    heading: String,
    /// The whole activation address, to pass on.
    link: Option<String>,
    text: String,
}

struct UserLine {
    username: String,
    role: String,
    organisation: String,
    created_at: String,
    disabled: bool,
    status: String,
    /// The viewer is a coordinator and this account waits for approval.
    decide: bool,
    /// The account has no password yet and may get a new link.
    renew: bool,
    /// The account has a password that may be reset (not the viewer's own).
    reset: bool,
    /// The account is disabled and may be enabled again (not after a rejection).
    enable: bool,
    /// Whether it has a second factor, or needs one it has not set up.
    factor: String,
    /// Its sessions may be ended (an active account, not the viewer's own).
    end_sessions: bool,
    /// Its second factor may be taken away (it has one; not the viewer's own).
    reset_factor: bool,
    action_base: String,
}

fn factor_label(tr: &Tr, user: &User) -> String {
    tr.t(if user.second_factor {
        "users-factor-set"
    } else if user.needs_second_factor() {
        "users-factor-missing"
    } else {
        "users-factor-none"
    })
}

fn status_label(tr: &Tr, user: &User) -> String {
    tr.t(if user.disabled {
        "users-disabled"
    } else if user.awaiting_approval {
        "users-awaiting-approval"
    } else if !user.activated {
        "users-awaiting-activation"
    } else {
        "users-active"
    })
}

/// Why an administrator may not make an account or hand out its link, in the words of a password
/// reset (`reset`) or of a new account (see `Admission`).
fn refusal_text(tr: &Tr, refusal: AdmissionRefusal, organisation: &str, reset: bool) -> String {
    let key = match (refusal, reset) {
        (AdmissionRefusal::CasesWithoutCoordinator, true) => "reset-refused-no-coordinator",
        (AdmissionRefusal::CasesWithoutCoordinator, false) => "users-refused-no-coordinator",
        (AdmissionRefusal::CoordinatorFirst, _) => "users-refused-coordinator-first",
        (AdmissionRefusal::ForTheCoordinator, true) => "reset-refused-for-coordinator",
        (AdmissionRefusal::ForTheCoordinator, false) => "users-refused-for-coordinator",
    };
    tr.t1(key, "organisation", organisation)
}

/// The notice of a link just made for `username`.
fn link_notice(
    state_options: crate::Options,
    headers: &HeaderMap,
    tr: &Tr,
    heading: String,
    token: &str,
) -> Notice {
    Notice {
        heading,
        link: Some(crate::activation::address(
            headers,
            state_options.secure_cookies,
            token,
        )),
        text: tr.t("users-link-explained"),
    }
}

/// What the accounts page says on top after a change to an account.
enum Said {
    /// What the change did (a link to pass on, or what happens next).
    Done(Notice),
    /// Why the change was refused: the page comes with status 422.
    Refused(String),
}

/// The accounts page after a change to an account, saying what became of it.
async fn accounts_after<S: Store>(
    state: &AppState<S>,
    user: &CurrentUser,
    tr: &Tr,
    said: Said,
) -> Result<Response, AppError> {
    let (problem, notice, status) = match said {
        Said::Done(notice) => (None, Some(notice), StatusCode::OK),
        Said::Refused(problem) => (Some(problem), None, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let page = users_page(state, user, tr, problem, String::new(), notice).await?;
    Ok((status, Html(render(&page))).into_response())
}

async fn users_page<S: Store>(
    state: &AppState<S>,
    user: &CurrentUser,
    tr: &Tr,
    error: Option<String>,
    form_username: String,
    notice: Option<Notice>,
) -> Result<UsersPage, AppError> {
    let acting = user.acting(state);
    let ManagedUsers {
        organisation: scope,
        users,
    } = acting.users().await?;
    let organisations = match &scope {
        None => acting.organisations().await?,
        Some(own) => vec![own.clone()],
    };
    // An administrator sets it on the organisations page.
    let policies = match &scope {
        None => Vec::new(),
        Some(_) => policy_lines(&acting, tr, &organisations).await?,
    };
    Ok(UsersPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        is_admin: scope.is_none(),
        scope: scope.unwrap_or_else(|| tr.t("users-all-organisations")),
        users: users
            .into_iter()
            .map(|u| UserLine {
                action_base: format!("/admin/users/{}", crate::pages::encode_segment(&u.username)),
                status: status_label(tr, &u),
                decide: u.awaiting_approval && !u.disabled && user.user.role == Role::Coordinator,
                renew: !u.activated && !u.awaiting_approval && !u.disabled,
                reset: u.activated && !u.disabled && u.username != user.user.username,
                enable: u.disabled && !u.rejected,
                factor: factor_label(tr, &u),
                end_sessions: !u.disabled && u.username != user.user.username,
                reset_factor: u.second_factor && u.username != user.user.username,
                username: u.username,
                role: role_label(tr, u.role),
                organisation: u.organisation.unwrap_or_else(|| "—".into()),
                created_at: u.created_at.chars().take(10).collect(),
                disabled: u.disabled,
            })
            .collect(),
        roles: acting
            .grantable_roles()
            .into_iter()
            .map(|r| (r.code(), role_label(tr, r)))
            .collect(),
        organisations,
        error,
        form_username,
        notice,
        policies,
    })
}

pub async fn users<S: Store>(
    Signed { state, user, tr }: Signed<S>,
) -> Result<Html<String>, AppError> {
    let page = users_page(&state, &user, &tr, None, String::new(), None).await?;
    Ok(Html(render(&page)))
}

#[derive(Deserialize)]
pub struct NewUserForm {
    username: String,
    role: String,
    #[serde(default)]
    organisation: String,
}

pub async fn add_user<S: Store>(
    headers: HeaderMap,
    SignedForm(Signed { state, user, tr }, acting, form): SignedForm<S, NewUserForm>,
) -> Result<Response, AppError> {
    let scope = acting.managed_organisation().await?;
    let refuse = |message: String| async {
        let page = users_page(
            &state,
            &user,
            &tr,
            Some(message),
            form.username.clone(),
            None,
        )
        .await?;
        Ok::<Response, AppError>(
            (StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response(),
        )
    };
    let Some(role) = Role::parse(&form.role).filter(|r| acting.grantable_roles().contains(r))
    else {
        return refuse(tr.t("users-choose-role")).await;
    };
    let username = match normalise_username(&form.username) {
        Ok(name) => name,
        Err(_) => {
            return refuse(tr.t("error-username")).await;
        }
    };
    // A coordinator's accounts are always of the own organisation, whatever the form says.
    let organisation = match (&scope, role.needs_organisation()) {
        (_, false) => None,
        (Some(own), true) => Some(own.clone()),
        (None, true) => Some(form.organisation.trim().to_string()).filter(|o| !o.is_empty()),
    };
    if role.needs_organisation() && organisation.is_none() {
        return refuse(tr.t1("users-needs-organisation", "role", role_label(&tr, role))).await;
    }
    let (token, link) = crate::activation::new_link()?;
    let admitted = acting
        .invite_user(Invitation {
            username: username.clone(),
            role,
            organisation: organisation.clone(),
            // Decided by the application from who is acting.
            by_administrator: false,
            link,
        })
        .await;
    let heading = tr.t1("users-created", "username", &username);
    let notice = match admitted {
        Ok(Admission::LinkReady) => link_notice(state.options, &headers, &tr, heading, &token),
        Ok(Admission::AwaitingApproval) => Notice {
            heading,
            link: None,
            text: tr.t1(
                "users-awaiting-approval-explained",
                "organisation",
                organisation.unwrap_or_default(),
            ),
        },
        Ok(Admission::Refused(refusal)) => {
            return refuse(refusal_text(
                &tr,
                refusal,
                organisation.as_deref().unwrap_or_default(),
                false,
            ))
            .await;
        }
        Err(Error::Store(StoreError::AlreadyExists(_))) => {
            return refuse(tr.t1("users-name-taken", "username", &username)).await;
        }
        Err(Error::Store(StoreError::NotFound(_))) => {
            return refuse(tr.t("users-unknown-organisation")).await;
        }
        Err(other) => return Err(other.into()),
    };
    accounts_after(&state, &user, &tr, Said::Done(notice)).await
}

/// What a coordinator (own organisation) or administrator does with one account:
/// `POST /admin/users/{username}/{action}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AccountAction {
    /// Disabled at once; not one's own account.
    Disable,
    /// A coordinator approves an account an administrator made in the own organisation, and
    /// gets its activation link.
    Approve,
    /// A coordinator rejects such an account: it is disabled.
    Reject,
    /// A new link for an account that has none that works (expired, lost), replacing any
    /// earlier one.
    RenewLink,
    /// A password reset: it stops working and the account's sessions end (asked first).
    Reset,
    /// A disabled account enabled again; a rejected one is "not found" (asked first).
    Enable,
    /// Every session of the account ends at once, wherever it is signed in.
    EndSessions,
    /// The account's second factor is taken away, when its user lost the phone and the
    /// recovery codes: set up again at the next sign-in (asked first).
    ResetSecondFactor,
}

impl AccountAction {
    /// The action of the last part of the address; anything else is "not found".
    fn from_path(part: &str) -> Result<Self, AppError> {
        Ok(match part {
            "disable" => Self::Disable,
            "approve" => Self::Approve,
            "reject" => Self::Reject,
            "activation-link" => Self::RenewLink,
            "reset" => Self::Reset,
            "enable" => Self::Enable,
            "end-sessions" => Self::EndSessions,
            "second-factor" => Self::ResetSecondFactor,
            _ => return Err(AppError::NotFound),
        })
    }
}

/// Does an account action. Another organisation's account is "not found". Those that make an
/// activation link show it once, to pass on; an administrator gets one only where no
/// coordinator decides (see `Admission`), and otherwise the accounts page says why not.
pub async fn account_action<S: Store>(
    headers: HeaderMap,
    Path((target, action)): Path<(String, String)>,
    SignedForm(Signed { state, user, tr }, acting, _): SignedForm<S, IgnoredAny>,
) -> Result<Response, AppError> {
    let action = AccountAction::from_path(&action)?;
    // Only the actions that hand out a link make one.
    use crate::activation::new_link;
    let done = match action {
        AccountAction::Disable => match acting.disable_user(&target).await? {
            Disabling::Yourself => Done::NotYourself("users-not-yourself"),
            _ => Done::Changed,
        },
        AccountAction::Reject => {
            acting.reject_user(&target).await?;
            Done::Changed
        }
        AccountAction::Enable => {
            acting.enable_user(&target).await?;
            Done::Changed
        }
        AccountAction::Approve => {
            let (token, link) = new_link()?;
            acting.approve_user(&target, &link).await?;
            Done::Link("users-approved", token)
        }
        // The application answers "not found" for an account awaiting approval.
        AccountAction::RenewLink => {
            let (token, link) = new_link()?;
            match acting.renew_activation_link(&target, &link).await? {
                Admission::LinkReady => Done::Link("users-new-link", token),
                Admission::Refused(refusal) => Done::Refused(refusal),
                Admission::AwaitingApproval => return Err(AppError::NotFound),
            }
        }
        AccountAction::Reset => {
            let (token, link) = new_link()?;
            match acting.reset_password(&target, &link).await? {
                Reset::LinkReady => Done::Link("reset-done", token),
                Reset::Refused(refusal) => Done::Refused(refusal),
                Reset::Yourself => Done::NotYourself("reset-not-yourself"),
            }
        }
        AccountAction::EndSessions => {
            if user.user.username == target {
                Done::NotYourself("end-sessions-not-yourself")
            } else {
                let ended = acting.end_sessions_of(&target).await?;
                Done::Notice(
                    tr.t1("end-sessions-done", "username", &target),
                    tr.t1("end-sessions-count", "count", ended),
                )
            }
        }
        AccountAction::ResetSecondFactor => match acting.reset_second_factor(&target).await? {
            None => Done::NotYourself("factor-reset-not-yourself"),
            Some(true) => Done::Notice(
                tr.t1("factor-reset-done", "username", &target),
                tr.t("factor-reset-next"),
            ),
            Some(false) => Done::Notice(
                tr.t1("factor-reset-none", "username", &target),
                String::new(),
            ),
        },
    };
    let problem = match done {
        Done::Changed => return Ok(Redirect::to("/admin/users").into_response()),
        Done::Link(heading, token) => {
            let heading = tr.t1(heading, "username", &target);
            let notice = link_notice(state.options, &headers, &tr, heading, &token);
            return accounts_after(&state, &user, &tr, Said::Done(notice)).await;
        }
        Done::Notice(heading, text) => {
            let notice = Notice {
                heading,
                link: None,
                text,
            };
            return accounts_after(&state, &user, &tr, Said::Done(notice)).await;
        }
        Done::NotYourself(key) => tr.t(key),
        Done::Refused(refusal) => {
            let organisation = organisation_of(&acting, &target).await?;
            refusal_text(&tr, refusal, &organisation, action == AccountAction::Reset)
        }
    };
    accounts_after(&state, &user, &tr, Said::Refused(problem)).await
}

/// What became of an account action, for the answer.
enum Done {
    /// Done; the accounts page again.
    Changed,
    /// Done, with a link to show once: the notice's heading key and the link's token.
    Link(&'static str, String),
    /// Refused because it is one's own account: the message key.
    NotYourself(&'static str),
    /// Refused by the rule of `Admission`.
    Refused(AdmissionRefusal),
    /// Done, with a notice: its heading and text.
    Notice(String, String),
}

/// A stored instant as the audit page shows it, in Dutch time to the second; as stored when it
/// is not one (it is shown, whatever it is).
fn audit_time(at: &str, lang: dakwacht_core::Lang) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(instant) => {
            let local = dakwacht_core::date::dutch_time(instant);
            format!(
                "{} {:02}:{:02}:{:02}",
                dakwacht_core::written::long_date(local.date(), lang),
                local.hour(),
                local.minute(),
                local.second()
            )
        }
        Err(_) => at.to_string(),
    }
}

/// A question before a change that cannot be undone at a click: yes, or back to the accounts.
#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    tr: Tr,
    username: String,
    csrf: String,
    is_admin: bool,
    heading: String,
    text: String,
    action: String,
    button: String,
}

/// Asks before a change to `target`'s account that cannot be undone at a click.
pub async fn confirm_form<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((target, action)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let action = AccountAction::from_path(&action)?;
    // Only an account this user manages is asked about; another is "not found".
    let managed = user.acting(&state).users().await?;
    let Some(account) = managed.users.iter().find(|u| u.username == target) else {
        return Err(AppError::NotFound);
    };
    let (path, heading, text, button) = match action {
        AccountAction::Reset => ("reset", "reset-heading", "reset-confirm", "reset-button"),
        AccountAction::Enable => (
            "enable",
            "enable-heading",
            "enable-confirm",
            "enable-button",
        ),
        AccountAction::ResetSecondFactor => (
            "second-factor",
            "factor-reset-heading",
            "factor-reset-confirm",
            "factor-reset-button",
        ),
        // The others are done at once.
        _ => return Err(AppError::NotFound),
    };
    let organisation = account.organisation.clone().unwrap_or_else(|| "—".into());
    let page = ConfirmPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        is_admin: managed.organisation.is_none(),
        heading: tr.t1(heading, "username", &target),
        text: tr.t3(
            text,
            ["username", "role", "organisation"],
            [&target, &role_label(&tr, account.role), &organisation],
        ),
        action: format!(
            "/admin/users/{}/{path}",
            crate::pages::encode_segment(&target)
        ),
        button: tr.t(button),
    };
    Ok(Html(render(&page)).into_response())
}

/// Asks before the sessions of every managed account end (ASVS 5.0, 7.4.5).
pub async fn confirm_end_all_sessions<S: Store>(
    Signed { state, user, tr }: Signed<S>,
) -> Result<Response, AppError> {
    let organisation = user.acting(&state).managed_organisation().await?;
    let text = match &organisation {
        Some(own) => tr.t1("end-all-sessions-confirm", "scope", own),
        None => tr.t("end-all-sessions-confirm-all"),
    };
    let page = ConfirmPage {
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        is_admin: organisation.is_none(),
        heading: tr.t("end-all-sessions-heading"),
        text,
        action: "/admin/sessions/end-all".into(),
        button: tr.t("end-all-sessions-button"),
        tr,
    };
    Ok(Html(render(&page)).into_response())
}

/// Ends the sessions of every account this user manages, but the own session asking: everybody
/// else signs in again.
pub async fn end_all_sessions<S: Store>(
    SignedForm(Signed { state, user, tr }, acting, _): SignedForm<S, IgnoredAny>,
) -> Result<Response, AppError> {
    let ended = acting.end_all_sessions(&user.token_hash).await?;
    let notice = Notice {
        heading: tr.t("end-all-sessions-done"),
        link: None,
        text: tr.t1("end-all-sessions-count", "count", ended),
    };
    accounts_after(&state, &user, &tr, Said::Done(notice)).await
}

/// The organisation of an account this principal manages ("" for none).
async fn organisation_of<S: Store>(acting: &Acting<S>, target: &str) -> Result<String, AppError> {
    let managed = acting.users().await?.users;
    let account = managed.into_iter().find(|u| u.username == target);
    Ok(account.and_then(|u| u.organisation).unwrap_or_default())
}

// ---- organisations ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage {
    tr: Tr,
    username: String,
    csrf: String,
    organisations: Vec<String>,
    error: Option<String>,
    policies: Vec<PolicyLine>,
}

pub async fn organisations<S: Store>(
    Signed { state, user, tr }: Signed<S>,
) -> Result<Html<String>, AppError> {
    let acting = user.acting(&state);
    let organisations = acting.organisations().await?;
    let policies = policy_lines(&acting, &tr, &organisations).await?;
    Ok(Html(render(&OrganisationsPage {
        tr,
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        organisations,
        error: None,
        policies,
    })))
}

#[derive(Deserialize)]
pub struct OrganisationForm {
    name: String,
}

pub async fn add_organisation<S: Store>(
    SignedForm(Signed { user, tr, .. }, acting, form): SignedForm<S, OrganisationForm>,
) -> Result<Response, AppError> {
    let name = form.name.trim();
    let control = first_refused(name, TextKind::SingleLine);
    let problem = if name.is_empty() || name.chars().count() > 100 {
        Some(tr.t("organisations-name-length"))
    } else if let Some(character) = control {
        Some(tr.t1(
            "organisations-name-control",
            "character",
            code_point(character),
        ))
    } else if !acting.add_organisation(name).await? {
        Some(tr.t1("organisations-taken", "name", name))
    } else {
        None
    };
    match problem {
        None => Ok(Redirect::to("/admin/organisations").into_response()),
        Some(error) => {
            let organisations = acting.organisations().await?;
            let page = OrganisationsPage {
                policies: policy_lines(&acting, &tr, &organisations).await?,
                tr,
                username: user.user.username.clone(),
                csrf: user.csrf_token.clone(),
                organisations,
                error: Some(error),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
        }
    }
}

// ---- audit log -------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    organisation: Option<String>,
    case_ref: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    tr: Tr,
    username: String,
    csrf: String,
    actor: String,
    action: String,
    organisation: String,
    case_ref: String,
    actions: Vec<&'static str>,
    entries: Vec<AuditLine>,
    limit: u32,
}

struct AuditLine {
    /// RFC 3339, UTC, as stored (the `datetime` of the shown time).
    at: String,
    /// `1 december 2026 12:17:44`, Dutch time: to the second, as an audit log needs.
    shown_at: String,
    actor: String,
    action: &'static str,
    organisation: String,
    case_ref: String,
    detail: String,
}

const AUDIT_PAGE: u32 = 500;

pub async fn audit_log<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Query(query): Query<AuditQuery>,
) -> Result<Html<String>, AppError> {
    let text = crate::form::filled;
    let filter = AuditFilter {
        actor: text(&query.actor),
        action: text(&query.action).and_then(|a| AuditAction::parse(&a)),
        organisation: text(&query.organisation),
        case_ref: text(&query.case_ref),
        limit: Some(AUDIT_PAGE),
    };
    let records = user.acting(&state).audit_log(&filter).await?;
    let lang = tr.lang;
    Ok(Html(render(&AuditPage {
        tr,
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        actor: filter.actor.clone().unwrap_or_default(),
        action: filter
            .action
            .map(|a| a.code())
            .unwrap_or_default()
            .to_string(),
        organisation: filter.organisation.clone().unwrap_or_default(),
        case_ref: filter.case_ref.clone().unwrap_or_default(),
        actions: AuditAction::ALL.iter().map(|a| a.code()).collect(),
        entries: records
            .into_iter()
            // Shown escaped, as on the command line: a logged file name or detail must not
            // turn text around (bidi controls) or hide what it says.
            .map(|r| AuditLine {
                shown_at: audit_time(&r.at, lang),
                at: r.at,
                actor: escape_controls(&r.entry.actor).into_owned(),
                action: r.entry.action.code(),
                organisation: escape_controls(&r.entry.organisation.unwrap_or_default())
                    .into_owned(),
                case_ref: escape_controls(&r.entry.case_ref.unwrap_or_default()).into_owned(),
                detail: escape_controls(&r.entry.detail.unwrap_or_default()).into_owned(),
            })
            .collect(),
        limit: AUDIT_PAGE,
    })))
}
