//! A form page of sections (fieldsets) of controls, each with its label, hint and error: the
//! best-interest assessment's steps and a child's record are such forms
//! (`templates/sectioned_form.html`). One `aria-describedby` per control: its error, then its
//! hint.

use askama::Template;

use crate::i18n::Tr;

/// A form control.
pub enum Control {
    /// One line of text.
    Input {
        name: String,
        label: String,
        hint: Option<String>,
        value: String,
        error: Option<String>,
    },
    /// A text area.
    Text {
        name: String,
        label: String,
        hint: Option<String>,
        value: String,
        error: Option<String>,
    },
    /// One choice of a few, as radio buttons.
    Radios {
        name: String,
        legend: String,
        options: Vec<(&'static str, String)>,
        chosen: String,
        error: Option<String>,
    },
    /// One choice of a list, as a select.
    Select {
        name: String,
        label: String,
        options: Vec<(&'static str, String)>,
        chosen: String,
        error: Option<String>,
    },
    /// A yes/no checkbox.
    Check {
        name: String,
        label: String,
        checked: bool,
    },
}

impl Control {
    pub fn has_error(&self) -> bool {
        matches!(
            self,
            Control::Text { error: Some(_), .. }
                | Control::Input { error: Some(_), .. }
                | Control::Radios { error: Some(_), .. }
                | Control::Select { error: Some(_), .. }
        )
    }
}

/// A group of controls with its legend.
pub struct Section {
    pub legend: String,
    pub hint: Option<String>,
    pub controls: Vec<Control>,
}

/// A step in the list of steps at the top of each step page.
pub struct StepLink {
    pub title: String,
    pub href: String,
    pub done: bool,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "sectioned_form.html")]
pub(crate) struct SectionedPage {
    pub(crate) tr: Tr,
    pub(crate) username: String,
    pub(crate) csrf: String,
    pub(crate) heading: String,
    /// What the form is about ("Kind 2 (9 jaar) · uitzetting") and its state, if it has one.
    pub(crate) about: String,
    pub(crate) status: Option<String>,
    pub(crate) steps: Vec<StepLink>,
    pub(crate) intro: Option<String>,
    pub(crate) sections: Vec<Section>,
    pub(crate) action: String,
    pub(crate) version: Option<i64>,
    pub(crate) error_count: usize,
    pub(crate) button: String,
    pub(crate) summary_link: Option<String>,
    pub(crate) case_link: String,
}
