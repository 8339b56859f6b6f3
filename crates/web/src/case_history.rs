//! Who changed what in a case, and when: its versions and the stays recorded or taken back, as
//! one list, newest first. A stay saved with the change it made is one line.

use dakwacht_app::{AssessmentChange, Change, ChildChange};
use dakwacht_core::RecordedStay;

use crate::i18n::Tr;
use crate::shown;

pub(crate) struct HistoryLine {
    pub at: String,
    pub by: String,
    pub what: String,
}

/// Something that happened to the case, before it is written out.
struct Event<'a> {
    at: &'a str,
    actor: &'a str,
    what: String,
}

/// The history of a case from its changes (oldest first) and its recorded stays, newest first.
pub(crate) fn history(
    changes: &[Change],
    stays: &[RecordedStay],
    (children, assessments): (&[ChildChange], &[AssessmentChange]),
    tr: &Tr,
) -> Vec<HistoryLine> {
    let labels = crate::case_form::field_labels(tr);
    // The news of stays: recorded, and taken back.
    let mut news: Vec<Option<Event>> = stays
        .iter()
        .flat_map(|stay| {
            let words = crate::stays::stay_words(&stay.observation, tr);
            let recorded = Event {
                at: &stay.recorded_at,
                actor: &stay.recorded_by,
                what: tr.t1("history-stay-recorded", "stay", words.as_str()),
            };
            let removed = stay.removed.as_ref().map(|(at, by)| Event {
                at,
                actor: by,
                what: tr.t1("history-stay-removed", "stay", words.as_str()),
            });
            std::iter::once(Some(recorded)).chain(removed.map(Some))
        })
        .collect();
    let mut events: Vec<Event> = changes
        .iter()
        .rev()
        .map(|change| {
            let what = match change.action.as_str() {
                "created" => tr.t("history-created"),
                "closed" => tr.t("history-closed"),
                "reopened" => tr.t("history-reopened"),
                _ if change.fields.is_empty() => tr.t("import-extra-columns"),
                _ => {
                    let names: Vec<&str> = change
                        .fields
                        .iter()
                        .map(|f| labels.get(f).map_or(f.name(), String::as_str))
                        .collect();
                    names.join(", ")
                }
            };
            // A stay is saved in one transaction with the change it makes: same moment, same
            // person.
            let with = news.iter_mut().find(|event| {
                event
                    .as_ref()
                    .is_some_and(|e| e.at == change.changed_at && e.actor == change.actor)
            });
            let what = match with.and_then(Option::take) {
                Some(stay) => tr.t2("history-stay-changed", "stay", stay.what, "fields", what),
                None => what,
            };
            Event {
                at: &change.changed_at,
                actor: &change.actor,
                what,
            }
        })
        .collect();
    events.extend(news.into_iter().flatten());
    // The children's records: made, and which fields changed (never what notes say).
    events.extend(children.iter().map(|change| {
        let child = i64::from(change.child_no);
        let fields: Vec<&str> = change.fields.iter().map(|f| f.label(tr.lang)).collect();
        Event {
            at: &change.changed_at,
            actor: &change.actor,
            what: match change.action.as_str() {
                "created" => tr.t1("history-child-created", "child", child),
                _ => tr.t2(
                    "history-child-changed",
                    "child",
                    child,
                    "fields",
                    fields.join(", "),
                ),
            },
        }
    }));
    // The children's assessments: which steps were saved, never what they say.
    events.extend(assessments.iter().map(|change| {
        let steps = change
            .steps
            .iter()
            .map(|s| s.number().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let child = i64::from(change.child_no);
        Event {
            at: &change.changed_at,
            actor: &change.actor,
            what: match change.action.as_str() {
                "created" => tr.t1("history-assessment-created", "child", child),
                "completed" => tr.t2(
                    "history-assessment-completed",
                    "child",
                    child,
                    "steps",
                    steps,
                ),
                _ => tr.t2("history-assessment-saved", "child", child, "steps", steps),
            },
        }
    }));
    // Newest first, by the moment itself (the stored texts differ in their fractions); among
    // equal moments, the later version first.
    events.sort_by_key(|event| std::cmp::Reverse(event.at.parse::<jiff::Timestamp>().ok()));
    events
        .into_iter()
        .map(|event| HistoryLine {
            at: shown::moment(event.at, tr),
            by: shown::who(event.actor, tr),
            what: event.what,
        })
        .collect()
}
