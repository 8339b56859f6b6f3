//! Letters for a case (spec/rights-and-letters.md, "Letters"): what the case and its
//! assessment fill in, and the file made from the text the writer checked, recorded in the case's
//! history in the same step, so no page or command can make a letter that is not recorded.
//!
//! A letter names the family and its address: only the case's own coordinators and
//! professionals make them (`Action::WriteCase`), and the text stays with the case.

use dakwacht_core::access::Action;
use dakwacht_core::{Case, Date, Lang};
use dakwacht_store::{AuditAction, MadeLetter, NewLetter, Store};
use dakwacht_texts::letters::{Letter, Letters, Values};

use crate::{Acting, Error};

/// The file a letter is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterFormat {
    /// Tagged PDF, to send.
    Pdf,
    /// DOCX, to change further in a word processor.
    Docx,
}

impl LetterFormat {
    pub fn parse(text: &str) -> Option<LetterFormat> {
        match text {
            "pdf" => Some(LetterFormat::Pdf),
            "docx" => Some(LetterFormat::Docx),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            LetterFormat::Pdf => "pdf",
            LetterFormat::Docx => "docx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            LetterFormat::Pdf => "application/pdf",
            LetterFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// What the text of a letter says, as the writer left it.
#[derive(Debug, Clone, Copy)]
pub struct LetterText<'a> {
    pub subject: &'a str,
    pub body: &'a str,
}

/// The values a case gives a letter: its municipality, its number of children, the day it lost
/// its home (all open for the writer to change).
pub fn case_values(case: &Case) -> Values {
    let mut values = Values::default();
    if let Some(municipality) = &case.municipality {
        values
            .given
            .insert("municipality".into(), municipality.as_str().to_string());
    }
    values
        .given
        .insert("children_count".into(), case.children.count.to_string());
    if let Some(lost) = case.home_lost_on {
        values.given.insert(
            "home_lost_on".into(),
            dakwacht_core::written::long_date_or_month(lost, Lang::Nl),
        );
    }
    values
}

/// The file of a letter: the document made of the values and the text, as PDF or DOCX.
pub fn letter_file(
    letters: &Letters,
    letter: &Letter,
    values: &Values,
    written_on: Date,
    text: LetterText<'_>,
    format: LetterFormat,
) -> Result<Vec<u8>, Error> {
    let document = letters.document(letter, values, written_on, text.subject, text.body);
    let made = match format {
        LetterFormat::Pdf => dakwacht_publish::letter::letter_pdf(&document),
        LetterFormat::Docx => dakwacht_publish::letter::letter_docx(&document),
    };
    made.map_err(|e| Error::Internal(e.to_string()))
}

impl<S: Store> Acting<S> {
    /// What the case (and, for a letter made from an assessment, the assessment `assessment`)
    /// fills in of a letter. Reading them is audited like any read of the case.
    pub async fn letter_values(
        &self,
        organisation: &str,
        case_ref: &str,
        letter: &Letter,
        assessment: Option<i64>,
    ) -> Result<Values, Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        let case = self.read_case(organisation, case_ref, "letter").await?;
        let mut values = case_values(&case);
        if letter.from_assessment {
            let Some(id) = assessment else {
                return Err(Error::NotFound);
            };
            let stored = self
                .assessment(organisation, case_ref, id, "letter")
                .await?;
            let assessment = stored.assessment;
            let decision = assessment
                .decision_described
                .clone()
                .unwrap_or_else(|| assessment.decision.label(Lang::Nl).to_string());
            values.given.insert("decision".into(), decision);
            if let Some(weighing) = &assessment.steps.weighing {
                values
                    .given
                    .insert("reasons".into(), weighing.reasons.clone());
            }
            if let Some(explanation) = &assessment.steps.explanation {
                values
                    .given
                    .insert("if_disagreeing".into(), explanation.if_disagreeing.clone());
                values
                    .given
                    .insert("sender_name".into(), explanation.by.clone());
            }
        }
        Ok(values)
    }

    /// Makes a letter for a case from the text the writer checked, and records it in the case's
    /// history (which letter, format, when, by whom, and the text) with its audit line. The
    /// file is made first: a letter that could not be made is not recorded as made.
    #[allow(clippy::too_many_arguments)] // each is one thing the writer chose
    pub async fn make_letter(
        &self,
        (organisation, case_ref): (&str, &str),
        letters: &Letters,
        letter: &Letter,
        values: &Values,
        written_on: Date,
        text: LetterText<'_>,
        format: LetterFormat,
    ) -> Result<Vec<u8>, Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        if self.store().case(organisation, case_ref).await?.is_none() {
            return Err(Error::NotFound);
        }
        let file = letter_file(letters, letter, values, written_on, text, format)?;
        let recorded = NewLetter {
            letter: &letter.id,
            format: format.code(),
            subject: text.subject,
            body: text.body,
        };
        match self
            .store()
            .record_letter(&self.actor(), organisation, case_ref, &recorded)
            .await
        {
            Err(dakwacht_store::StoreError::NotFound(_)) => Err(Error::NotFound),
            other => other.map(|_| file).map_err(Error::from),
        }
    }

    /// The letters made for a case, oldest first (their text included: the case's own
    /// organisation only; audited as a read of the case).
    pub async fn letters_made(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<Vec<MadeLetter>, Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        let made = self.store().letters_made(organisation, case_ref).await?;
        if !made.is_empty() {
            self.record(
                &self
                    .entry(AuditAction::ViewCase)
                    .case(organisation, case_ref)
                    .detail(format!("{via}: {} letter(s) made", made.len())),
            )
            .await?;
        }
        Ok(made)
    }
}
