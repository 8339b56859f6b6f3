//! Calendar dates, and dates that are only known to the month.
//!
//! Reporters often know only the month a family lost its home ("ergens in maart"); the interchange
//! format keeps that precision rather than inventing a day. Comparisons and durations then work on
//! months only.

use std::cmp::Ordering;
use std::fmt;

pub use jiff::civil::Date;

/// Parses an ISO 8601 calendar date, exactly `YYYY-MM-DD`.
///
/// Stricter than a general date parser on purpose: a file that says `2024-3-5` or `05-03-2024` is
/// ambiguous in a Dutch spreadsheet and must be corrected, not guessed.
pub fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if year < 1900 {
        return None;
    }
    Date::new(year as i16, month as i8, day as i8).ok()
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Writes a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Parses a date as a person types it in a form: day-month-year the Dutch way (`3-4-2024`,
/// `03-04-2024`) or ISO (`2024-04-03`). Surrounding spaces are ignored.
///
/// Only for forms: a person sees at once what the date became (the form shows it back), while
/// a file must stay exact (see [`parse_date`]). The order is told by where the four-digit year
/// stands, never guessed; a two-digit year, `/` or `.` are refused rather than read one way.
pub fn parse_typed_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Some(date) = parse_date(text) {
        return Some(date);
    }
    let mut parts = text.split('-');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !(1..=2).contains(&day.len()) || !(1..=2).contains(&month.len()) {
        return None;
    }
    let year = four_digit_year(year)?;
    let month = digits(month.as_bytes())?;
    let day = digits(day.as_bytes())?;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// A year written with four digits, from 1900 (as [`parse_date`] takes it).
fn four_digit_year(text: &str) -> Option<i16> {
    if text.len() != 4 {
        return None;
    }
    let year = i16::try_from(digits(text.as_bytes())?).ok()?;
    (year >= 1900).then_some(year)
}

/// Writes a date the Dutch way, `03-04-2024`: how a form shows a date back to a Dutch reader.
pub fn format_dutch_date(date: Date) -> String {
    format!("{:02}-{:02}-{:04}", date.day(), date.month(), date.year())
}

/// The Dutch wall-clock time (Europe/Amsterdam) of an instant: UTC+1, or UTC+2 from 01:00 UTC
/// on the last Sunday of March to 01:00 UTC on the last Sunday of October.
///
/// Written out rather than read from a time-zone database: the rule is the EU's (directive
/// 2000/84/EC, the Netherlands' since 1996), so no database file has to be present on the server
/// or built into it for the one zone dakwacht shows times in.
pub fn dutch_time(at: jiff::Timestamp) -> jiff::civil::DateTime {
    let utc = at.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let switch = |month: i8| {
        let last = Date::new(utc.year(), month, 31).unwrap_or(Date::MIN);
        let back = i64::from(last.weekday().to_sunday_zero_offset());
        last.checked_sub(jiff::Span::new().days(back))
            .unwrap_or(last)
            .at(1, 0, 0, 0)
    };
    let summer = switch(3) <= utc && utc < switch(10);
    let hours = if summer { 2 } else { 1 };
    utc.checked_add(jiff::Span::new().hours(hours))
        .unwrap_or(utc)
}

/// An instant as a Dutch reader reads it: `3 april 2024 om 14:05` (Dutch time, see
/// [`dutch_time`]); `3 April 2024 at 14:05` in English.
pub fn long_date_time(at: jiff::Timestamp, lang: crate::codes::Lang) -> String {
    let local = dutch_time(at);
    let word = match lang {
        crate::codes::Lang::Nl => "om",
        crate::codes::Lang::En => "at",
    };
    format!(
        "{} {word} {:02}:{:02}",
        crate::written::long_date(local.date(), lang),
        local.hour(),
        local.minute()
    )
}

/// A year and month, for dates known only to the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    year: i16,
    month: i8,
}

impl YearMonth {
    pub fn new(year: i16, month: i8) -> Option<Self> {
        ((1900..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    pub fn of(date: Date) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    pub fn month(self) -> i8 {
        self.month
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        // Year and month were checked on construction, so the first of the month always exists.
        Date::new(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i32 {
        (i32::from(later.year) - i32::from(self.year)) * 12
            + (i32::from(later.month) - i32::from(self.month))
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A date known to the day, or only to the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrMonth {
    Day(Date),
    Month(YearMonth),
}

/// How precisely a [`DateOrMonth`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Month,
}

impl Precision {
    pub fn code(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "day" => Some(Precision::Day),
            "month" => Some(Precision::Month),
            _ => None,
        }
    }
}

impl DateOrMonth {
    /// Parses `YYYY-MM-DD` or `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() == 7 {
            let b = text.as_bytes();
            if b[4] != b'-' {
                return None;
            }
            let year = digits(&b[0..4])?;
            let month = digits(&b[5..7])?;
            YearMonth::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?)
                .map(DateOrMonth::Month)
        } else {
            parse_date(text).map(DateOrMonth::Day)
        }
    }

    /// Parses a date or a month as a person types it in a form: the forms of
    /// [`parse_typed_date`], or a month as `4-2024`, `04-2024` or `2024-04`.
    pub fn parse_typed(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(date) = parse_typed_date(text) {
            return Some(DateOrMonth::Day(date));
        }
        if let Some(month) = DateOrMonth::parse(text) {
            return Some(month);
        }
        let (month, year) = text.split_once('-')?;
        if !(1..=2).contains(&month.len()) {
            return None;
        }
        let month = i8::try_from(digits(month.as_bytes())?).ok()?;
        YearMonth::new(four_digit_year(year)?, month).map(DateOrMonth::Month)
    }

    /// Writes the value the Dutch way: `03-04-2024`, or `04-2024` for a month.
    pub fn dutch(self) -> String {
        match self {
            DateOrMonth::Day(date) => format_dutch_date(date),
            DateOrMonth::Month(m) => format!("{:02}-{:04}", m.month(), m.year()),
        }
    }

    pub fn precision(self) -> Precision {
        match self {
            DateOrMonth::Day(_) => Precision::Day,
            DateOrMonth::Month(_) => Precision::Month,
        }
    }

    pub fn year_month(self) -> YearMonth {
        match self {
            DateOrMonth::Day(d) => YearMonth::of(d),
            DateOrMonth::Month(m) => m,
        }
    }

    /// The earliest day this value may stand for (the first of the month for month precision).
    pub fn first_day(self) -> Date {
        match self {
            DateOrMonth::Day(d) => d,
            DateOrMonth::Month(m) => m.first_day(),
        }
    }

    /// Rebuilds a value from its stored form: the first day and the precision.
    pub fn from_parts(first_day: Date, precision: Precision) -> Self {
        match precision {
            Precision::Day => DateOrMonth::Day(first_day),
            Precision::Month => DateOrMonth::Month(YearMonth::of(first_day)),
        }
    }

    /// Compares two values at the precision both share: by day when both have a day, otherwise by
    /// month. `2024-03` is neither before nor after `2024-03-15`: the comparison gives `Equal`.
    pub fn compare(self, other: DateOrMonth) -> Ordering {
        match (self, other) {
            (DateOrMonth::Day(a), DateOrMonth::Day(b)) => a.cmp(&b),
            _ => self.year_month().cmp(&other.year_month()),
        }
    }

    /// Whole calendar months from `self` to `end`, as the interchange spec defines them:
    /// `(y2−y1)·12 + (m2−m1)`, minus 1 when both have a day and the end day is before the start day.
    pub fn whole_months_until(self, end: DateOrMonth) -> i32 {
        let months = self.year_month().months_until(end.year_month());
        match (self, end) {
            (DateOrMonth::Day(start), DateOrMonth::Day(end)) if end.day() < start.day() => {
                months - 1
            }
            _ => months,
        }
    }
}

impl From<Date> for DateOrMonth {
    fn from(date: Date) -> Self {
        DateOrMonth::Day(date)
    }
}

impl fmt::Display for DateOrMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateOrMonth::Day(d) => f.write_str(&format_date(*d)),
            DateOrMonth::Month(m) => m.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> DateOrMonth {
        DateOrMonth::parse(text).unwrap()
    }

    #[test]
    fn parses_days_and_months_strictly() {
        assert_eq!(d("2024-03-05").to_string(), "2024-03-05");
        assert_eq!(d("2024-03").to_string(), "2024-03");
        assert_eq!(d("2024-02-29").precision(), Precision::Day);
        for bad in [
            "2023-02-29",
            "2024-13",
            "2024-00",
            "2024-3-5",
            "05-03-2024",
            "2024/03/05",
            "",
            "2024-03-5 ",
            "abcd-ef",
            "0000-01-01",
        ] {
            assert_eq!(DateOrMonth::parse(bad), None, "{bad:?} must be rejected");
        }
        assert_eq!(
            parse_date("2024-03"),
            None,
            "a plain date column does not take a month"
        );
    }

    #[test]
    fn a_typed_date_is_read_day_first_or_iso() {
        let april_third = Date::new(2024, 4, 3).unwrap();
        for typed in [
            "3-4-2024",
            "03-04-2024",
            "2024-04-03",
            " 3-04-2024 ",
            "03-4-2024",
        ] {
            assert_eq!(parse_typed_date(typed), Some(april_third), "{typed:?}");
        }
        for bad in [
            "3-4-24",
            "3/4/2024",
            "3.4.2024",
            "31-4-2024",
            "29-2-2023",
            "4-2024",
            "003-4-2024",
            "3-4-2024-1",
            "3--2024",
            "-3-4-2024",
            "1-1-1899",
            "",
        ] {
            assert_eq!(parse_typed_date(bad), None, "{bad:?} must be refused");
        }
        assert_eq!(format_dutch_date(april_third), "03-04-2024");
    }

    #[test]
    fn a_typed_month_is_read_too() {
        let april = DateOrMonth::Month(YearMonth::new(2024, 4).unwrap());
        for typed in ["4-2024", "04-2024", "2024-04"] {
            assert_eq!(DateOrMonth::parse_typed(typed), Some(april), "{typed:?}");
        }
        assert_eq!(
            DateOrMonth::parse_typed("3-4-2024"),
            Some(DateOrMonth::Day(Date::new(2024, 4, 3).unwrap()))
        );
        for bad in ["13-2024", "0-2024", "4-24", "2024-4", "april 2024"] {
            assert_eq!(
                DateOrMonth::parse_typed(bad),
                None,
                "{bad:?} must be refused"
            );
        }
        assert_eq!(april.dutch(), "04-2024");
        // Files stay strict: the typed forms are for forms only.
        assert_eq!(DateOrMonth::parse("3-4-2024"), None);
        assert_eq!(DateOrMonth::parse("04-2024"), None);
    }

    mod typed {
        use super::super::*;
        use proptest::prelude::*;

        fn any_date() -> impl Strategy<Value = Date> {
            (1900i16..=9999, 1i8..=12, 1i8..=31)
                .prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d).ok())
        }

        proptest! {
            /// Every valid date written in each form a person may type reads back to itself.
            #[test]
            fn every_written_form_reads_back(date in any_date()) {
                let (y, m, d) = (date.year(), date.month(), date.day());
                for written in [
                    format!("{d}-{m}-{y}"),
                    format!("{d:02}-{m:02}-{y}"),
                    format_date(date),
                    format_dutch_date(date),
                ] {
                    prop_assert_eq!(parse_typed_date(&written), Some(date), "{}", written);
                    prop_assert_eq!(
                        DateOrMonth::parse_typed(&written),
                        Some(DateOrMonth::Day(date)),
                        "{}",
                        written
                    );
                }
                prop_assert_eq!(
                    DateOrMonth::parse_typed(&DateOrMonth::Day(date).dutch()),
                    Some(DateOrMonth::Day(date))
                );
            }

            #[test]
            fn every_written_month_reads_back(y in 1900i16..=9999, m in 1i8..=12) {
                let month = DateOrMonth::Month(YearMonth::new(y, m).unwrap());
                for written in [format!("{m}-{y}"), format!("{m:02}-{y}"), month.to_string()] {
                    prop_assert_eq!(DateOrMonth::parse_typed(&written), Some(month), "{}", written);
                }
            }
        }
    }

    #[test]
    fn instants_read_in_dutch_time() {
        use crate::codes::Lang;
        let at = |text: &str| long_date_time(text.parse().unwrap(), Lang::Nl);
        assert_eq!(
            at("2024-04-03T12:05:00Z"),
            "3 april 2024 om 14:05",
            "summer time"
        );
        assert_eq!(
            at("2024-12-01T23:30:00Z"),
            "2 december 2024 om 00:30",
            "winter, next day"
        );
        // 2024's switches: 31 March and 27 October, at 01:00 UTC.
        assert_eq!(at("2024-03-31T00:59:00Z"), "31 maart 2024 om 01:59");
        assert_eq!(at("2024-03-31T01:00:00Z"), "31 maart 2024 om 03:00");
        assert_eq!(at("2024-10-27T00:59:00Z"), "27 oktober 2024 om 02:59");
        assert_eq!(at("2024-10-27T01:00:00Z"), "27 oktober 2024 om 02:00");
        assert_eq!(
            long_date_time("2026-12-01T14:05:00Z".parse().unwrap(), Lang::En),
            "1 December 2026 at 15:05"
        );
    }

    #[test]
    fn whole_months_follow_the_spec() {
        assert_eq!(d("2024-01-15").whole_months_until(d("2024-07-15")), 6);
        assert_eq!(
            d("2024-01-15").whole_months_until(d("2024-07-14")),
            5,
            "end day before start day"
        );
        assert_eq!(d("2024-01-31").whole_months_until(d("2024-02-29")), 0);
        assert_eq!(
            d("2023-12-01").whole_months_until(d("2024-01-01")),
            1,
            "across a year"
        );
        // Month precision: days are ignored on both sides.
        assert_eq!(d("2024-01").whole_months_until(d("2024-07-01")), 6);
        assert_eq!(d("2024-01-31").whole_months_until(d("2024-07")), 6);
        assert_eq!(d("2024-03").whole_months_until(d("2025-03-17")), 12);
    }

    #[test]
    fn comparison_uses_the_shared_precision() {
        assert_eq!(d("2024-03").compare(d("2024-03-31")), Ordering::Equal);
        assert_eq!(d("2024-03").compare(d("2024-04-01")), Ordering::Less);
        assert_eq!(d("2024-03-02").compare(d("2024-03-01")), Ordering::Greater);
    }

    #[test]
    fn stored_parts_round_trip() {
        for text in ["2024-03", "2024-03-09"] {
            let v = d(text);
            assert_eq!(DateOrMonth::from_parts(v.first_day(), v.precision()), v);
        }
    }
}
