//! Spreadsheet formula injection: a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage
//! return) may run as a formula when a coordinator opens an exported file in Excel. Exports put a
//! `'` in front of such text; imports take exactly that `'` off again, so a round trip is exact.

use std::borrow::Cow;

fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Makes a text cell safe to open in a spreadsheet.
pub fn escape_formula(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some(c) if is_trigger(c) => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Undoes [`escape_formula`].
pub fn unescape_formula(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some('\''), Some(c)) if is_trigger(c) => Cow::Borrowed(&text[1..]),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes_exactly() {
        for text in ["=SUM(A1)", "+31", "-3", "@x", "plain", "'quoted", ""] {
            assert_eq!(unescape_formula(&escape_formula(text)), text);
        }
        assert_eq!(escape_formula("=1+1"), "'=1+1");
        assert_eq!(escape_formula("Den Haag"), "Den Haag");
        assert_eq!(
            unescape_formula("'hello"),
            "'hello",
            "only a protective quote is removed"
        );
    }
}
