//! `dakwacht generate`: a synthetic, valid interchange CSV for demos and benchmarks.
//!
//! The random generator is SplitMix64, written here in a few lines: a generator crate may change
//! its output between versions, and "same seed, same file" must hold for years of benchmarks.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use dakwacht_core::{Alternative, ChildField, Field, LivingSituation, Reason, Route};

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Picks by weight.
    fn weighted<T: Copy>(&mut self, options: &[(T, u64)]) -> T {
        let total: u64 = options.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total);
        for &(value, weight) in options {
            if roll < weight {
                return value;
            }
            roll -= weight;
        }
        options[0].0
    }
}

const ORGANISATIONS: &[&str] = &[
    "Straatalliantie",
    "Stichting Kernkracht",
    "Ombudsman Metropool Amsterdam",
    "Ombudsman Rotterdam Rijnmond",
    "Defence for Children",
    "Sociaal Raadslieden Utrecht",
    "Buurtteam Den Haag Zuidwest",
    "Cliëntondersteuning Eindhoven",
    "Wijkteam Almere Haven",
    "Juridisch Spreekuur Haarlem",
];

const MUNICIPALITIES: &[&str] = &[
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Almere",
    "Haarlem",
    "Gooise Meren",
    "Groningen",
    "Tilburg",
    "Breda",
    "Nijmegen",
    "Zaanstad",
    "Arnhem",
    "'s-Hertogenbosch",
    "Zwolle",
    "Leiden",
    "Dordrecht",
];

const NOTES: &[&str] = &[
    "Werkte in de zorg; na ziekte inkomensval; schuldhulp betrokken.",
    "Gezin sliep eerst bij oma, daarna \"tijdelijk\" bij een kennis; kinderen wisselden van school.",
    "Verhuurder zei: \"u moet eruit\", zonder brief of rechter.\nContact via school verloren.",
    "Opvang geweigerd: geen regiobinding. Na inzet advocaat alsnog noodopvang.",
    "=geen formule, gewoon tekst",
    "Briefadres aangevraagd; toeslagen stopgezet in de tussentijd.",
];

fn code_case(rng: &mut SplitMix64, code: &str) -> String {
    // Real files are typed by hand: now and then a code arrives in capitals.
    if rng.chance(2) {
        code.to_uppercase()
    } else {
        code.to_string()
    }
}

fn unknown_or_empty(rng: &mut SplitMix64) -> &'static str {
    if rng.chance(30) { "unknown" } else { "" }
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// Days since 2000-01-01 to a date, for simple arithmetic on generated dates.
fn date_of(days: i64) -> dakwacht_core::Date {
    let base = dakwacht_core::Date::new(2000, 1, 1).unwrap_or(dakwacht_core::Date::MIN);
    base.checked_add(jiff::Span::new().days(days))
        .unwrap_or(base)
}

fn ymd(days: i64) -> String {
    dakwacht_core::date::format_date(date_of(days))
}

/// One generated row, in [`Field::ALL`] order plus `x_team`.
fn row(rng: &mut SplitMix64, index: u64) -> Vec<String> {
    use LivingSituation as S;
    let mut cells = vec![String::new(); Field::ALL.len() + 1];
    let mut set = |field: Field, value: String| cells[field as usize] = value;

    let organisation = ORGANISATIONS[rng.below(ORGANISATIONS.len() as u64) as usize];
    // Reported between 2024-01-01 and 2026-10-31; the home lost up to three years earlier.
    let reported = 8766 + rng.below(1035) as i64;
    let lost = reported - rng.below(1095) as i64;
    set(Field::CaseRef, format!("G-{index:07}"));
    set(Field::Organisation, organisation.to_string());
    set(Field::ReportedOn, ymd(reported));
    if rng.chance(94) {
        let m = MUNICIPALITIES[rng.below(MUNICIPALITIES.len() as u64) as usize];
        set(
            Field::Municipality,
            if rng.chance(3) {
                format!(" {} ", m.to_lowercase())
            } else {
                m.to_string()
            },
        );
    }
    set(
        Field::Household,
        rng.weighted(&[("one_parent", 75), ("two_parents", 20), ("unknown", 5)])
            .to_string(),
    );
    let children = rng.weighted(&[(1u64, 55), (2, 28), (3, 12), (4, 4), (6, 1)]);
    set(Field::ChildrenCount, children.to_string());
    if rng.chance(90) {
        let ages: Vec<String> = (0..children)
            .map(|_| {
                if rng.chance(8) {
                    "?".into()
                } else {
                    rng.below(18).to_string()
                }
            })
            .collect();
        set(Field::ChildrenAges, ages.join(";"));
    }
    let tenancy = rng.weighted(&[
        ("corporation", 60),
        ("private", 26),
        ("sublet", 13),
        ("", 1),
    ]);
    set(Field::Tenancy, code_case(rng, tenancy));
    let month_only = rng.chance(15);
    let lost_text = ymd(lost);
    set(
        Field::HomeLostOn,
        if month_only {
            lost_text[..7].to_string()
        } else {
            lost_text
        },
    );
    let route = rng.weighted(&[
        (Some(Route::CourtEviction), 40),
        (Some(Route::LeftOnLandlordRequest), 26),
        (Some(Route::LeftOther), 17),
        (Some(Route::RemovedWithoutCourt), 13),
        (None, 4),
    ]);
    let route_text = match route {
        Some(r) => code_case(rng, r.code()),
        None => unknown_or_empty(rng).to_string(),
    };
    set(Field::Route, route_text);
    let main = rng.weighted(&[
        (Reason::RentArrears, 35),
        (Reason::Nuisance, 15),
        (Reason::LandlordConflict, 15),
        (Reason::DomesticViolence, 8),
        (Reason::Crime, 4),
        (Reason::TemporaryContractEnd, 6),
        (Reason::SaleOrRenovation, 5),
        (Reason::RelationshipBreakdown, 6),
        (Reason::UnlawfulSublet, 4),
        (Reason::Other, 2),
    ]);
    set(Field::MainReason, main.code().to_string());
    if rng.chance(15) {
        let other = Reason::ALL[rng.below(Reason::ALL.len() as u64) as usize];
        if other != main {
            set(Field::OtherReasons, other.code().to_string());
        }
    }
    set(
        Field::LegalSupport,
        rng.weighted(&[
            ("none", 45),
            ("lawyer", 15),
            ("other_legal_help", 15),
            ("", 25),
        ])
        .to_string(),
    );
    if route == Some(Route::CourtEviction) {
        set(
            Field::DefaultJudgment,
            rng.weighted(&[("yes", 30), ("no", 50), ("unknown", 20)])
                .to_string(),
        );
    }
    let alternative = rng.weighted(&[
        (Alternative::None, 80),
        (Alternative::Shelter, 8),
        (Alternative::Hotel, 6),
        (Alternative::HolidayHome, 2),
        (Alternative::SocialNetworkReferral, 2),
        (Alternative::ChildrenOnly, 1),
        (Alternative::AdequateHousing, 1),
    ]);
    set(Field::AlternativeOffered, alternative.code().to_string());
    let after = if alternative == Alternative::AdequateHousing {
        S::Housed
    } else {
        rng.weighted(&[
            (S::SocialNetwork, 42),
            (S::Car, 10),
            (S::Tent, 8),
            (S::FamilyShelter, 10),
            (S::NightShelter, 4),
            (S::Hotel, 6),
            (S::HolidayHome, 6),
            (S::WomensShelter, 5),
            (S::RoughSleeping, 3),
            (S::Caravan, 3),
            (S::Squat, 1),
            (S::Institution, 1),
            (S::OtherNonConventional, 1),
        ])
    };
    set(Field::SituationAfter, after.code().to_string());
    // About half of the families are out of view by the time of reporting.
    let out_of_view = rng.chance(50);
    if out_of_view {
        set(Field::CurrentSituation, unknown_or_empty(rng).to_string());
        if rng.chance(80) {
            let seen = lost + rng.below((reported - lost + 1) as u64) as i64;
            // With a month-only loss date, "last seen" must not fall in an earlier month.
            let seen = if month_only { seen.max(lost) } else { seen };
            set(Field::LastSeenOn, ymd(seen));
            set(Field::LastSeenSituation, after.code().to_string());
        }
    } else if rng.chance(12) {
        set(Field::CurrentSituation, S::Housed.code().to_string());
        set(
            Field::RehousedOn,
            ymd(lost + rng.below((reported - lost + 1) as u64) as i64),
        );
    } else {
        let now = rng.weighted(&[
            (after, 50),
            (S::FamilyShelter, 25),
            (S::SocialNetwork, 15),
            (S::NightShelter, 10),
        ]);
        set(Field::CurrentSituation, now.code().to_string());
    }
    set(
        Field::ChildHeard,
        rng.weighted(&[("no", 60), ("yes", 10), ("unknown", 30)])
            .to_string(),
    );
    set(
        Field::BestInterestWeighed,
        rng.weighted(&[("no", 45), ("yes", 10), ("", 45)])
            .to_string(),
    );
    set(
        Field::FamilySeparated,
        rng.weighted(&[("no", 80), ("threatened", 14), ("yes", 6)])
            .to_string(),
    );
    set(
        Field::ShelterRefusedNoBinding,
        rng.weighted(&[("yes", 13), ("no", 20), ("unknown", 67)])
            .to_string(),
    );
    set(
        Field::SchoolDisrupted,
        rng.weighted(&[("yes", 25), ("no", 15), ("", 60)])
            .to_string(),
    );
    if rng.chance(35) {
        set(
            Field::Notes,
            NOTES[rng.below(NOTES.len() as u64) as usize].to_string(),
        );
    }
    cells[Field::ALL.len()] = if rng.chance(20) {
        format!("team {}", rng.below(40))
    } else {
        String::new()
    };
    cells
}

/// One generated child of a case, in [`ChildField::ALL`] order; `age` is the age the case gives
/// it (`None` for `?` or no ages). Drawn from a generator of its own, so that the cases file
/// stays the same whether children are asked for or not.
fn child_row(
    rng: &mut SplitMix64,
    case: &[String],
    child_no: usize,
    age: Option<u8>,
) -> Vec<String> {
    let mut cells = vec![String::new(); ChildField::ALL.len()];
    let mut set = |field: ChildField, value: &str| cells[field as usize] = value.to_string();
    set(ChildField::CaseRef, &case[Field::CaseRef as usize]);
    set(
        ChildField::Organisation,
        &case[Field::Organisation as usize],
    );
    set(ChildField::ChildNo, &child_no.to_string());
    let age = age.or_else(|| rng.chance(40).then(|| rng.below(18) as u8));
    if let Some(age) = age {
        set(ChildField::Age, &age.to_string());
    }
    set(
        ChildField::StaysWith,
        rng.weighted(&[
            ("one_parent", 55),
            ("both_parents", 20),
            ("other_family", 10),
            ("foster_care", 3),
            ("institution", 1),
            ("", 11),
        ]),
    );
    set(
        ChildField::Separated,
        rng.weighted(&[("no", 70), ("threatened", 12), ("yes", 6), ("", 12)]),
    );
    let school = match age {
        Some(age) if !(4..=16).contains(&age) => "not_school_age",
        _ => rng.weighted(&[
            ("attends_same", 40),
            ("changed_school", 25),
            ("missing_school", 10),
            ("unknown", 25),
        ]),
    };
    set(ChildField::School, school);
    if matches!(school, "changed_school" | "missing_school") && rng.chance(50) {
        set(ChildField::SchoolDaysMissed, &rng.below(120).to_string());
    }
    let heard = rng.weighted(&[("no", 60), ("yes", 15), ("", 25)]);
    set(ChildField::Heard, heard);
    if heard == "yes" && rng.chance(70) {
        set(
            ChildField::HeardBy,
            rng.weighted(&[
                ("social_work", 50),
                ("court", 10),
                ("municipality", 20),
                ("shelter", 20),
            ]),
        );
    }
    set(
        ChildField::BestInterestAssessed,
        rng.weighted(&[("no", 55), ("yes", 10), ("", 35)]),
    );
    set(
        ChildField::YouthCare,
        rng.weighted(&[("no", 40), ("yes", 25), ("", 35)]),
    );
    cells
}

/// The children of a generated case: most have a record, some do not.
fn children_rows(seed: u64, index: u64, case: &[String]) -> Vec<Vec<String>> {
    let mut rng = SplitMix64(seed ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let count: usize = case[Field::ChildrenCount as usize].parse().unwrap_or(0);
    let ages: Vec<Option<u8>> = case[Field::ChildrenAges as usize]
        .split(';')
        .map(|age| age.parse().ok())
        .collect();
    let mut rows = Vec::with_capacity(count);
    for child_no in 1..=count {
        if rng.chance(85) {
            let age = ages.get(child_no - 1).copied().flatten();
            rows.push(child_row(&mut rng, case, child_no, age));
        }
    }
    rows
}

/// A CSV line of cells.
fn csv_line(line: &mut String, cells: &[String]) {
    line.clear();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&quote(cell));
    }
    line.push('\n');
}

/// Where a generated file goes: a new file readable by the owner only, or the screen.
fn open(output: Option<&Path>) -> anyhow::Result<std::io::BufWriter<Box<dyn Write>>> {
    let out: Box<dyn Write> = match output {
        Some(path) => Box::new(
            // Made-up cases, but written like real ones: readable by the owner only.
            dakwacht_app::create_private(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    Ok(std::io::BufWriter::with_capacity(1 << 20, out))
}

/// Writes `cases` generated cases to `output`, and with `children` a children file beside it.
pub fn run(
    cases: u64,
    seed: u64,
    output: Option<&Path>,
    children: Option<&Path>,
) -> anyhow::Result<()> {
    let mut out = open(output)?;
    let header: Vec<&str> = Field::ALL
        .iter()
        .map(|f| f.name())
        .chain(["x_team"])
        .collect();
    writeln!(out, "{}", header.join(","))?;
    let mut children_out = match children {
        Some(path) => {
            let mut file = open(Some(path))?;
            let header: Vec<&str> = ChildField::ALL.iter().map(|f| f.name()).collect();
            writeln!(file, "{}", header.join(","))?;
            Some(file)
        }
        None => None,
    };
    let mut rng = SplitMix64(seed);
    let mut line = String::with_capacity(512);
    for index in 1..=cases {
        let case = row(&mut rng, index);
        csv_line(&mut line, &case);
        out.write_all(line.as_bytes())?;
        if let Some(file) = &mut children_out {
            for child in children_rows(seed, index, &case) {
                csv_line(&mut line, &child);
                file.write_all(line.as_bytes())?;
            }
        }
    }
    out.flush()?;
    if let Some(mut file) = children_out {
        file.flush()?;
    }
    Ok(())
}
