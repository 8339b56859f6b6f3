//! Control characters in text: refused on the way in, escaped on the way out.
//!
//! A NUL, an escape sequence or a bidirectional override in a case reference or an organisation
//! name does nothing useful and a lot of harm: it can drive a terminal that prints the audit log,
//! forge a line in it, or make a name read differently from what is stored (`U+202E` turns
//! `abc` around). Every text that enters dakwacht (imports, forms, the API) is checked here, and
//! every value that is echoed back to a terminal or in an error is escaped here.

use std::borrow::Cow;

use crate::expected::Expected;

/// What kind of text is checked: only free notes may span lines or hold tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Names, references, codes, dates: one line.
    SingleLine,
    /// Notes: tabs and line breaks (LF, CR) are part of the text.
    MultiLine,
}

/// Whether `c` is refused in text of this kind: C0 controls (tab, LF and CR only outside
/// multi-line text), DEL, C1 controls and the bidirectional embeddings, overrides and isolates.
pub fn is_refused(c: char, kind: TextKind) -> bool {
    match c {
        '\t' | '\n' | '\r' => kind == TextKind::SingleLine,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => true,
        _ => is_bidi_control(c),
    }
}

/// The bidirectional embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first refused character of `text`, if any.
pub fn first_refused(text: &str, kind: TextKind) -> Option<char> {
    text.chars().find(|&c| is_refused(c, kind))
}

/// Checks a text; the error names the character, as `U+001B`.
pub fn check_text(text: &str, kind: TextKind) -> Result<(), Expected> {
    match first_refused(text, kind) {
        Some(c) => Err(Expected::NoControlCharacter {
            character: code_point(c),
        }),
        None => Ok(()),
    }
}

/// `U+001B`: how a character is named in messages.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A text safe to print on one line: every control character (tab and line breaks included),
/// every bidirectional control and the Unicode line and paragraph separators are written as
/// `\u{1B}`, so no value can forge a line or drive a terminal. Other text is unchanged.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    let needs_escape =
        |c: char| is_refused(c, TextKind::SingleLine) || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            escaped.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_controls_are_refused_everywhere() {
        for c in ['\u{0}', '\u{7}', '\u{1B}', '\u{7F}', '\u{85}', '\u{9B}'] {
            assert!(is_refused(c, TextKind::SingleLine), "{c:?}");
            assert!(is_refused(c, TextKind::MultiLine), "{c:?}");
        }
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            assert!(is_refused(c, TextKind::MultiLine), "{}", code_point(c));
        }
    }

    #[test]
    fn tabs_and_line_breaks_only_in_multi_line_text() {
        for c in ['\t', '\n', '\r'] {
            assert!(is_refused(c, TextKind::SingleLine));
            assert!(!is_refused(c, TextKind::MultiLine));
        }
        assert_eq!(
            check_text("line one\r\n\tline two", TextKind::MultiLine),
            Ok(())
        );
    }

    #[test]
    fn ordinary_text_passes() {
        for text in [
            "Den Haag",
            "’s-Hertogenbosch",
            "Zoë & Jaïr",
            "R-2025/001",
            "שלום",
            "😀",
        ] {
            assert_eq!(check_text(text, TextKind::SingleLine), Ok(()), "{text}");
            assert_eq!(escape_controls(text), text);
        }
    }

    #[test]
    fn the_error_names_the_first_refused_character() {
        assert_eq!(
            check_text("a\u{202E}b\u{1B}", TextKind::SingleLine),
            Err(Expected::NoControlCharacter {
                character: "U+202E".into()
            })
        );
        assert_eq!(code_point('\u{0}'), "U+0000");
    }

    #[test]
    fn escaping_leaves_no_control_and_no_line_break() {
        let hostile = "ok\n2026-01-01  admin  login\u{1B}[2J\u{7}\u{0}\u{202E}\u{2028}";
        let escaped = escape_controls(hostile);
        assert_eq!(
            escaped,
            "ok\\u{A}2026-01-01  admin  login\\u{1B}[2J\\u{7}\\u{0}\\u{202E}\\u{2028}"
        );
        assert!(escaped.chars().all(|c| !c.is_control()));
    }
}
