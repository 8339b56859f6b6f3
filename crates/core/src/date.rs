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
