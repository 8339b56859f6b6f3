//! Every use case for every kind of principal, on a real database: the application layer is the
//! one place where access is decided, so this table is the whole access policy as it is enforced.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::sync::Arc;

use dakwacht_app::{
    Acting, App, AuditAction, AuditFilter, Error, ImportMessage, Invitation, NewActivationLink,
    NewUser, Principal, ReadFor, Written,
};
use dakwacht_core::access::Role;
use dakwacht_core::{Case, CaseFilter, ColumnSet, Observation};
use dakwacht_rules::RuleSet;
use dakwacht_testkit::{Database, TestStore};
use tokio::sync::mpsc;

const A: &str = "Straatalliantie";
const B: &str = "Stichting Kernkracht";

use dakwacht_testkit::quickscan_cases;

fn operator() -> Principal {
    Principal::Operator {
        os_user: "beheer".into(),
    }
}

fn user(name: &str, role: Role, organisation: Option<&str>) -> Principal {
    Principal::User {
        username: name.into(),
        role,
        organisation: organisation.map(str::to_string),
    }
}

fn link(token: &str) -> NewActivationLink {
    NewActivationLink {
        token_hash: dakwacht_app::token_hash(token),
        expires_at: "2999-01-01T00:00:00Z".into(),
    }
}

/// A database with the quickscan cases (organisations A and B among them) and the accounts the
/// use cases act on.
async fn application<S: TestStore>(database: &Database<S>) -> Arc<App<S>> {
    let app = App::new(database.open().await).unwrap();
    let acting = app.acting_as(operator(), "test: setup");
    let (sender, receiver) = mpsc::channel(2);
    sender
        .send(ImportMessage::Cases(quickscan_cases()))
        .await
        .unwrap();
    sender.send(ImportMessage::Commit).await.unwrap();
    drop(sender);
    acting.import("quickscan", receiver).await.unwrap();
    for (name, role, organisation) in [
        ("admin", Role::Admin, None),
        ("coordinator.a", Role::Coordinator, Some(A)),
        ("professional.a", Role::Professional, Some(A)),
        ("coordinator.b", Role::Coordinator, Some(B)),
        ("researcher", Role::Researcher, None),
        ("colleague.a", Role::Professional, Some(A)),
        ("disabled.a", Role::Professional, Some(A)),
    ] {
        acting
            .add_user(&NewUser {
                username: name.into(),
                role,
                organisation: organisation.map(str::to_string),
                password_hash: "x".into(),
            })
            .await
            .unwrap();
    }
    // An account still to be activated, and one an administrator made that awaits approval by
    // the organisation's coordinator.
    let invitation = |username: &str| Invitation {
        username: username.into(),
        role: Role::Professional,
        organisation: Some(A.into()),
        by_administrator: false,
        link: link(username),
    };
    acting.invite_user(invitation("pending.a")).await.unwrap();
    acting.disable_user("disabled.a").await.unwrap();
    let admin = app.acting_as(user("admin", Role::Admin, None), "test: setup");
    admin.invite_user(invitation("to-approve.a")).await.unwrap();
    admin.invite_user(invitation("to-reject.a")).await.unwrap();
    app
}

/// Declares the use cases in their groups: the enum `UseCase`, `ALL` of them, and a list per
/// group, so that no list is written twice.
macro_rules! use_cases {
    ($($(#[$doc:meta])* $group:ident: [$($case:ident),+ $(,)?],)+) => {
        /// Every use case that concerns data, each on organisation A's data where it has a subject.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum UseCase {
            $($($case,)+)+
        }

        const ALL: &[UseCase] = &[$($(UseCase::$case,)+)+];

        $(
            $(#[$doc])*
            #[allow(dead_code)] // a group may serve only to declare its use cases
            const $group: &[UseCase] = &[$(UseCase::$case,)+];
        )+
    };
}

use_cases! {
    /// The lists and forms about the user's own organisation (whichever it is).
    OWN_ORGANISATION: [
        ListCases, FollowUp, CaseOrganisation, ImportOrganisation, ExportOrganisation, Colleagues,
    ],
    /// The work on organisation A's cases.
    CASES_OF_A: [
        ReadCase, ReadWholeCase, ReadCaseVersioned, CaseForChange, SaveCase, AddObservation,
        RemoveStay, CheckImport, CheckChildrenImport, Import, ExportColumns, Export, MayChangeCasesOfA, AssignCase,
        SetEvictionDate, Closure, CloseCase, ReopenCase, Assessments, StartAssessment,
        ReadAssessment, SaveAssessment, LetterValues, MakeLetter, LettersMade,
    ],
    /// The accounts of the own organisation: an administrator's and a coordinator's.
    OWN_ACCOUNTS: [
        Users, UsersOfA, AddUserToA, InviteToA, RenewLink, DisableColleague, ResetColleague,
        EnableColleague,
    ],
    /// The own account: every signed-in user's (the operator has no password here).
    OWN_ACCOUNT: [ChangeOwnPassword],
    /// Approving belongs to a coordinator of the account's organisation.
    APPROVAL: [Approve, Reject],
    /// Figures as counted ("niet voor publicatie"), of one organisation or of all.
    FIGURES: [FiguresOfA, FiguresOfAll, BreakdownOfA],
    /// Figures as the disclosure policy lets them be published.
    PUBLISHED: [PublishedOfA, PublishedOfAll],
    /// The publication bundle: coordinators and researchers.
    BUNDLE: [BundleOfA],
    /// The rest: the whole export, organisations and the audit log.
    OTHERS: [
        ExportAll, Organisations, OrganisationsToCount, AddOrganisation, AuditLog, Retention,
        RetentionApplied,
    ],
    /// What was published, kept as published, and the audit log's chain: with the audit log.
    AUDIT: [Publications, PublishedFigures, VerifyAuditLog],
    /// An account's sessions and second factor, and an organisation's choice for its
    /// professionals: with its accounts.
    ACCOUNT_SECURITY: [EndSessions, ResetSecondFactor, SecondFactorPolicyOfA, SetSecondFactorPolicyOfA],
    /// A family's request under the AVG: the organisation's coordinators (and the operator).
    DATA_SUBJECT: [SubjectExport, EraseCase],
}

fn of_a(filter: CaseFilter) -> CaseFilter {
    CaseFilter {
        organisation: Some(A.into()),
        ..filter
    }
}

/// How a use case ended for a principal.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Done (or ended for a reason that is not about access, such as a name taken).
    Done,
    /// Refused by the access check (and recorded).
    Refused(&'static str),
    /// Not found: another organisation's account is not in reach, so it does not exist for them.
    NotInReach,
}

/// A child record of a case, as a children file's row.
fn child_of(case: &dakwacht_core::Case) -> dakwacht_core::ChildRow {
    dakwacht_core::ChildRow {
        organisation: case.organisation.clone(),
        case_ref: case.case_ref.clone(),
        child: dakwacht_core::Child {
            child_no: 1,
            ..dakwacht_core::Child::default()
        },
    }
}

/// Runs one use case (`app` makes what it needs first, as the operator).
async fn attempt<S: TestStore>(
    app: &Arc<App<S>>,
    acting: &Acting<S>,
    use_case: UseCase,
    rules: &RuleSet,
) -> Outcome {
    let case_of_a = quickscan_cases()
        .into_iter()
        .find(|c| c.organisation.as_str() == A)
        .unwrap();
    let reference = case_of_a.case_ref.as_str().to_string();
    let outcome: Result<(), Error> = match use_case {
        UseCase::ListCases => acting
            .list_cases(dakwacht_app::CaseQuery {
                filter: CaseFilter::default(),
                signal: None,
                after: None,
                limit: 10,
                via: "test",
            })
            .await
            .map(drop),
        UseCase::FollowUp => acting
            .follow_up(dakwacht_app::FollowUpAsked {
                today: jiff::civil::date(2026, 1, 1),
                weeks: 8,
                eviction_days: 42,
                mine: false,
                children_at_risk: false,
            })
            .await
            .map(drop),
        UseCase::ReadCase => acting.read_case(A, &reference, "test").await.map(drop),
        UseCase::Colleagues => acting.colleagues().await.map(drop),
        UseCase::AssignCase => acting.assign_case(A, &reference, None).await,
        UseCase::SetEvictionDate => {
            acting
                .set_eviction_date(A, &reference, Some(jiff::civil::date(2030, 1, 1)))
                .await
        }
        UseCase::ReadWholeCase => acting
            .read_whole_case(A, &reference, "test")
            .await
            .map(drop),
        UseCase::ReadCaseVersioned => acting
            .case_with_version(A, &reference, ReadFor::Showing, "test")
            .await
            .map(drop),
        UseCase::CaseForChange => acting
            .case_with_version(A, &reference, ReadFor::Changing, "test")
            .await
            .map(drop),
        UseCase::SaveCase => acting.save_case(&case_of_a, Some(1)).await.map(drop),
        UseCase::AddObservation => {
            let observation = Observation {
                on: None,
                situation: dakwacht_core::LivingSituation::FamilyShelter,
                source: dakwacht_core::ObservationSource::Recorded,
            };
            acting
                .add_observation(A, &reference, &observation)
                .await
                .map(|_| ())
        }
        // An undated stay per attempt (it changes no field, so the case keeps its version).
        UseCase::RemoveStay => {
            let setup = app.acting_as(operator(), "test: setup");
            let stay = Observation {
                on: None,
                situation: dakwacht_core::LivingSituation::Car,
                source: dakwacht_core::ObservationSource::Recorded,
            };
            setup.add_observation(A, &reference, &stay).await.unwrap();
            let whole = setup.read_whole_case(A, &reference, "test").await.unwrap();
            let id = whole.stays.iter().rfind(|s| !s.is_removed()).unwrap().id;
            acting.remove_stay(A, &reference, id).await.map(drop)
        }
        UseCase::CaseOrganisation => acting.case_organisation().await.map(drop),
        UseCase::ImportOrganisation => acting.import_organisation().await.map(drop),
        UseCase::ExportOrganisation => acting.export_organisation().await.map(drop),
        UseCase::CheckImport => acting
            .check_import(A, &ColumnSet::all(), &[(2, case_of_a.clone())])
            .await
            .map(drop),
        UseCase::CheckChildrenImport => acting
            .check_children_import(
                A,
                &dakwacht_core::ChildColumnSet::all(),
                &std::collections::HashMap::new(),
                &[(2, child_of(&case_of_a))],
            )
            .await
            .map(drop),
        UseCase::Import => {
            let (sender, receiver) = mpsc::channel(2);
            sender
                .send(ImportMessage::Cases(vec![case_of_a.clone()]))
                .await
                .unwrap();
            sender.send(ImportMessage::Commit).await.unwrap();
            drop(sender);
            acting.import("test", receiver).await.map(drop)
        }
        UseCase::ExportColumns => acting
            .export_columns(&of_a(CaseFilter::default()))
            .await
            .map(drop),
        UseCase::Export | UseCase::ExportAll => {
            let filter = if use_case == UseCase::Export {
                of_a(CaseFilter::default())
            } else {
                CaseFilter::default()
            };
            let (sender, mut receiver) = mpsc::channel::<Vec<Case>>(4);
            let writing = async move {
                while receiver.recv().await.is_some() {}
                Written::Whole
            };
            acting
                .export(&filter, "test", sender, writing)
                .await
                .map(drop)
        }
        UseCase::FiguresOfA => acting
            .figures(
                of_a(CaseFilter::default()),
                rules,
                dakwacht_app::Wanted::Dashboard,
                "test",
            )
            .await
            .map(drop),
        UseCase::FiguresOfAll => acting
            .figures(
                CaseFilter::default(),
                rules,
                dakwacht_app::Wanted::Dashboard,
                "test",
            )
            .await
            .map(drop),
        UseCase::BreakdownOfA => acting
            .breakdown(
                of_a(CaseFilter::default()),
                dakwacht_core::BreakdownBy::Municipality,
                dakwacht_core::Lang::Nl,
                "test",
            )
            .await
            .map(drop),
        UseCase::BundleOfA => {
            let policy = dakwacht_stats::disclosure::Policy::built_in().unwrap();
            acting
                .bundle(
                    of_a(CaseFilter::default()),
                    rules,
                    &policy,
                    "test",
                    dakwacht_core::Lang::Nl,
                )
                .await
                .map(drop)
        }
        UseCase::PublishedOfA | UseCase::PublishedOfAll => {
            let filter = match use_case {
                UseCase::PublishedOfA => of_a(CaseFilter::default()),
                _ => CaseFilter::default(),
            };
            let policy = dakwacht_stats::disclosure::Policy::built_in().unwrap();
            acting
                .publication(
                    filter,
                    rules,
                    &policy,
                    dakwacht_app::Wanted::Dashboard,
                    "test",
                    dakwacht_core::Lang::Nl,
                )
                .await
                .map(drop)
        }
        UseCase::Users => acting.users().await.map(drop),
        UseCase::UsersOfA => acting.users_of(Some(A)).await.map(drop),
        UseCase::AddUserToA => {
            acting
                .add_user(&NewUser {
                    username: "new.a".into(),
                    role: Role::Professional,
                    organisation: Some(A.into()),
                    password_hash: "x".into(),
                })
                .await
        }
        UseCase::InviteToA => acting
            .invite_user(Invitation {
                username: "invited.a".into(),
                role: Role::Professional,
                organisation: Some(A.into()),
                by_administrator: false,
                link: link("invite"),
            })
            .await
            .map(drop),
        UseCase::RenewLink => acting
            .renew_activation_link("pending.a", &link("renew"))
            .await
            .map(drop),
        UseCase::Approve => acting.approve_user("to-approve.a", &link("approve")).await,
        UseCase::Reject => acting.reject_user("to-reject.a").await,
        UseCase::DisableColleague => acting.disable_user("colleague.a").await.map(drop),
        UseCase::ResetColleague => {
            // An account with a password per attempt: a reset takes it away.
            let name = format!("reset.{}", acting.principal().actor().replace(':', "-"));
            app.acting_as(operator(), "test: setup")
                .add_user(&NewUser {
                    username: name.clone(),
                    role: Role::Professional,
                    organisation: Some(A.into()),
                    password_hash: "x".into(),
                })
                .await
                .unwrap();
            acting.reset_password(&name, &link(&name)).await.map(drop)
        }
        UseCase::EnableColleague => acting.enable_user("disabled.a").await.map(drop),
        // The stored hash is no real one: the current password is "wrong", after the check.
        UseCase::ChangeOwnPassword => acting
            .change_own_password("x", "een nieuw lang wachtwoord", "session")
            .await
            .map(drop),
        UseCase::Organisations => acting.organisations().await.map(drop),
        UseCase::OrganisationsToCount => acting.organisations_to_count().await.map(drop),
        UseCase::MayChangeCasesOfA => acting.may_change_cases_of(A).await,
        UseCase::Closure => acting.closure(A, &reference).await.map(drop),
        // Closed and opened again right after, so every principal finds the case as it was.
        UseCase::CloseCase => acting
            .close_case(A, &reference, dakwacht_core::ClosingReason::Rehoused)
            .await
            .map(drop),
        UseCase::ReopenCase => acting.reopen_case(A, &reference).await.map(drop),
        UseCase::Retention | UseCase::RetentionApplied => acting
            .retention(
                dakwacht_core::Retention::default(),
                dakwacht_app::today(),
                use_case == UseCase::RetentionApplied,
            )
            .await
            .map(drop),
        UseCase::Assessments => acting.assessments_of(A, &reference, "test").await.map(drop),
        UseCase::StartAssessment => acting
            .start_assessment(
                A,
                &reference,
                1,
                dakwacht_core::AssessedDecision::Eviction,
                None,
            )
            .await
            .map(drop),
        // An assessment the operator starts for each attempt, read or saved by the principal.
        UseCase::ReadAssessment | UseCase::SaveAssessment => {
            let setup = app.acting_as(operator(), "test: setup");
            let id = setup
                .start_assessment(
                    A,
                    &reference,
                    1,
                    dakwacht_core::AssessedDecision::ShelterRefusal,
                    None,
                )
                .await
                .unwrap();
            if use_case == UseCase::ReadAssessment {
                acting.assessment(A, &reference, id, "test").await.map(drop)
            } else {
                let draft = dakwacht_core::Assessment::draft(
                    1,
                    dakwacht_core::AssessedDecision::ShelterRefusal,
                    None,
                );
                acting
                    .save_assessment((A, &reference), id, &draft, 1)
                    .await
                    .map(drop)
            }
        }
        UseCase::LetterValues | UseCase::MakeLetter | UseCase::LettersMade => {
            let today = dakwacht_app::today();
            let contacts = dakwacht_texts::contacts::Contacts::built_in(today).unwrap();
            let letters = dakwacht_texts::letters::Letters::built_in(rules, &contacts).unwrap();
            let letter = letters.get("shelter_request").unwrap();
            match use_case {
                UseCase::LetterValues => acting
                    .letter_values(A, &reference, letter, None)
                    .await
                    .map(drop),
                UseCase::MakeLetter => acting
                    .make_letter(
                        (A, &reference),
                        &letters,
                        letter,
                        &dakwacht_texts::letters::Values::default(),
                        today,
                        dakwacht_app::letters::LetterText {
                            subject: "Verzoek",
                            body: "Geacht college,",
                        },
                        dakwacht_app::letters::LetterFormat::Docx,
                    )
                    .await
                    .map(drop),
                _ => acting.letters_made(A, &reference, "test").await.map(drop),
            }
        }
        UseCase::AddOrganisation => acting.add_organisation("Nieuwe stichting").await.map(drop),
        UseCase::Publications => acting.publications().await.map(drop),
        // None was made: in reach, but not found.
        UseCase::PublishedFigures => match acting.published_figures(1).await {
            Err(Error::NotFound) => Ok(()),
            other => other.map(drop),
        },
        UseCase::VerifyAuditLog => acting.verify_audit_log().await.map(drop),
        UseCase::EndSessions => acting.end_sessions_of("colleague.a").await.map(drop),
        UseCase::ResetSecondFactor => acting.reset_second_factor("colleague.a").await.map(drop),
        UseCase::SecondFactorPolicyOfA => acting.second_factor_policy(A).await.map(drop),
        UseCase::SetSecondFactorPolicyOfA => {
            acting.set_second_factor_policy(A, false).await.map(drop)
        }
        UseCase::SubjectExport => acting.subject_export(A, &reference).await.map(drop),
        UseCase::EraseCase => {
            // A case of A of its own per attempt: an erasure takes it away.
            let mut doomed = case_of_a.clone();
            doomed.case_ref = dakwacht_core::case::CaseRef::parse(&format!(
                "erase-{}",
                acting.principal().actor().replace(':', "-")
            ))
            .unwrap();
            app.acting_as(operator(), "test: setup")
                .save_case(&doomed, None)
                .await
                .unwrap();
            acting
                .erase_case(A, doomed.case_ref.as_str(), "test")
                .await
                .map(drop)
        }
        UseCase::AuditLog => acting
            .audit_log(&AuditFilter {
                actor: None,
                action: None,
                organisation: None,
                case_ref: None,
                limit: Some(1),
            })
            .await
            .map(drop),
    };
    match outcome {
        Err(Error::Refused { why, .. }) => Outcome::Refused(why),
        Err(Error::NotFound) => Outcome::NotInReach,
        _ => Outcome::Done,
    }
}

/// Who may run which use case: the access policy of `core::access` as the use cases apply it.
fn expected(who: &str, use_case: UseCase) -> bool {
    use UseCase::*;
    let own_organisation = OWN_ORGANISATION.contains(&use_case);
    // The work on cases: a coordinator's and a professional's, in their own organisation.
    let case_work = own_organisation || CASES_OF_A.contains(&use_case);
    let own_accounts = OWN_ACCOUNTS.contains(&use_case);
    let figures = FIGURES.contains(&use_case);
    let published = PUBLISHED.contains(&use_case);
    let bundle = BUNDLE.contains(&use_case);
    let audit = AUDIT.contains(&use_case);
    let account_security = ACCOUNT_SECURITY.contains(&use_case);
    let data_subject = DATA_SUBJECT.contains(&use_case);
    match who {
        // Everything (counting included: the operator holds all the data anyway), but approving belongs to a coordinator of the organisation, and the
        // operator has no organisation of its own for the lists and forms that are about one.
        "operator" => {
            !(APPROVAL.contains(&use_case) || own_organisation || OWN_ACCOUNT.contains(&use_case))
        }
        "admin" => {
            own_accounts
                || audit
                || account_security
                || matches!(
                    use_case,
                    Organisations | AddOrganisation | AuditLog | ChangeOwnPassword
                )
        }
        "coordinator.a" => {
            case_work
                || own_accounts
                || account_security
                || data_subject
                || figures
                || published
                || bundle
                || APPROVAL.contains(&use_case)
                || use_case == ChangeOwnPassword
        }
        // Figures are always of the own organisation for them, whatever is asked.
        "professional.a" => case_work || figures || published || use_case == ChangeOwnPassword,
        // Their own organisation's lists and forms, figures of their own; nothing of A (its
        // accounts are not in reach: not found).
        "coordinator.b" => {
            own_organisation
                || figures
                || published
                || bundle
                || matches!(use_case, Users | ChangeOwnPassword)
        }
        // The published figures only: the figures as counted are an organisation's own.
        "researcher" => {
            published || bundle || matches!(use_case, OrganisationsToCount | ChangeOwnPassword)
        }
        _ => unreachable!(),
    }
}

/// One database for the whole table: the use cases that change something leave the others'
/// answers as they were (the account approved is not the one rejected; a case saved unchanged
/// keeps its version).
async fn every_use_case_for_every_role_and_organisation<S: TestStore>(database: &Database<S>) {
    let rules = RuleSet::built_in().unwrap();
    let app = application(database).await;
    let principals = [
        ("operator", operator()),
        ("admin", user("admin", Role::Admin, None)),
        (
            "coordinator.a",
            user("coordinator.a", Role::Coordinator, Some(A)),
        ),
        (
            "professional.a",
            user("professional.a", Role::Professional, Some(A)),
        ),
        (
            "coordinator.b",
            user("coordinator.b", Role::Coordinator, Some(B)),
        ),
        ("researcher", user("researcher", Role::Researcher, None)),
    ];
    let mut wrong = Vec::new();
    for (who, principal) in principals {
        for &use_case in ALL {
            let acting = app.acting_as(principal.clone(), format!("test: {use_case:?}"));
            let outcome = attempt(&app, &acting, use_case, &rules).await;
            if (outcome == Outcome::Done) != expected(who, use_case) {
                wrong.push(format!("{who} {use_case:?}: {outcome:?}"));
            }
            // Every refusal is in the audit log, with what was asked.
            if matches!(outcome, Outcome::Refused(_)) {
                let refusals = app
                    .acting_as(operator(), "test")
                    .audit_log(&AuditFilter {
                        actor: Some(match who {
                            "operator" => "cli:beheer".to_string(),
                            _ => format!("user:{who}"),
                        }),
                        action: Some(AuditAction::AccessRefused),
                        organisation: None,
                        case_ref: None,
                        limit: None,
                    })
                    .await
                    .unwrap();
                let asked = format!("test: {use_case:?}");
                if !refusals.iter().any(|r| {
                    r.entry
                        .detail
                        .as_deref()
                        .is_some_and(|d| d.starts_with(&asked))
                }) {
                    wrong.push(format!("{who} {use_case:?}: refused but not recorded"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

async fn an_import_with_a_case_of_another_organisation_is_refused_and_stores_nothing<
    S: TestStore,
>(
    database: &Database<S>,
) {
    let app = application(database).await;
    let professional = app.acting_as(user("professional.a", Role::Professional, Some(A)), "test");
    let mut cases = quickscan_cases();
    for case in &mut cases {
        case.notes = dakwacht_core::case::Notes::parse("changed by the import");
    }
    let (sender, receiver) = mpsc::channel(4);
    sender.send(ImportMessage::Cases(cases)).await.unwrap();
    sender.send(ImportMessage::Commit).await.unwrap();
    drop(sender);
    let refused = professional.import("mixed.csv", receiver).await;
    assert!(matches!(refused, Err(Error::Refused { .. })), "{refused:?}");
    // Not even the cases of the own organisation were stored.
    let operator = app.acting_as(operator(), "test");
    let (case, version) = operator
        .case_with_version(A, "QS-01", ReadFor::Showing, "test")
        .await
        .unwrap();
    assert_eq!(version, 1);
    assert_eq!(case.notes, None);
}

/// A case that breaks a rule of the interchange spec is refused by the use case itself, as an
/// import refuses it: a default judgment needs a court case.
async fn a_case_that_breaks_a_rule_is_not_saved<S: TestStore>(database: &Database<S>) {
    let app = application(database).await;
    let operator = app.acting_as(operator(), "test");
    let (mut case, version) = operator
        .case_with_version(A, "QS-01", ReadFor::Changing, "test")
        .await
        .unwrap();
    assert_eq!(
        case.default_judgment,
        Some(true),
        "QS-01 had a default judgment"
    );
    case.route = Some(dakwacht_core::Route::RemovedWithoutCourt);
    let refused = operator.save_case(&case, Some(version)).await;
    let Err(Error::Store(dakwacht_app::StoreError::Rejected(rejected))) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(rejected.cases[0].case_ref, "QS-01");
    assert_eq!(
        rejected.cases[0].errors[0].field,
        dakwacht_core::Field::DefaultJudgment
    );
    let (stored, same) = operator
        .case_with_version(A, "QS-01", ReadFor::Showing, "test")
        .await
        .unwrap();
    assert_eq!(
        (stored.route, same),
        (Some(dakwacht_core::Route::CourtEviction), version)
    );

    // Without the default judgment it is a case like any other.
    case.default_judgment = None;
    assert!(operator.save_case(&case, Some(version)).await.is_ok());
}

dakwacht_testkit::on_both_stores!(
    database: every_use_case_for_every_role_and_organisation,
    an_import_with_a_case_of_another_organisation_is_refused_and_stores_nothing,
    a_case_that_breaks_a_rule_is_not_saved,
);

/// The web and the command line reach the store only through this crate: neither lists the
/// store among its dependencies (tests may, as a dev-dependency), and `App` keeps its store
/// private, so a handler cannot skip a use case's check. The compiler enforces the second; this
/// test keeps the first from slipping back.
#[test]
fn the_web_and_the_command_line_do_not_depend_on_the_store() {
    for crate_dir in ["web", "cli"] {
        let manifest = std::fs::read_to_string(format!(
            "{}/../{crate_dir}/Cargo.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let manifest: toml::Table = manifest.parse().unwrap();
        let dependencies = manifest["dependencies"].as_table().unwrap();
        assert!(
            !dependencies.contains_key("dakwacht-store"),
            "crates/{crate_dir} depends on the store directly"
        );
        assert!(dependencies.contains_key("dakwacht-app"), "{crate_dir}");
    }
}
