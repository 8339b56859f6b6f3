//! Dates written out for people: `3 april 2024` in Dutch, `3 April 2024` in English. Files and
//! the API keep `YYYY-MM-DD`; pages and letters use these.

use crate::codes::Lang;
use crate::date::{Date, DateOrMonth};

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(month: i8, lang: Lang) -> &'static str {
    let names = match lang {
        Lang::Nl => &MONTHS_NL,
        Lang::En => &MONTHS_EN,
    };
    // jiff's months are 1 to 12.
    names[usize::try_from(month - 1).unwrap_or(0).min(11)]
}

/// `3 april 2024`.
pub fn long_date(date: Date, lang: Lang) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name(date.month(), lang),
        date.year()
    )
}

/// `3 april 2024`, or `april 2024` for a date known only to the month.
pub fn long_date_or_month(date: DateOrMonth, lang: Lang) -> String {
    match date {
        DateOrMonth::Day(day) => long_date(day, lang),
        DateOrMonth::Month(month) => {
            format!("{} {}", month_name(month.month(), lang), month.year())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::YearMonth;

    #[test]
    fn dates_are_written_out_in_the_language() {
        let day = Date::new(2024, 4, 3).unwrap();
        assert_eq!(long_date(day, Lang::Nl), "3 april 2024");
        assert_eq!(long_date(day, Lang::En), "3 April 2024");
        let december = Date::new(2025, 12, 31).unwrap();
        assert_eq!(long_date(december, Lang::Nl), "31 december 2025");
        let month = DateOrMonth::Month(YearMonth::new(2024, 1).unwrap());
        assert_eq!(long_date_or_month(month, Lang::Nl), "januari 2024");
        assert_eq!(
            long_date_or_month(DateOrMonth::Day(day), Lang::En),
            "3 April 2024"
        );
    }
}
