//! The summary table: per page, the requests, errors and p50/p95/p99 response times, against
//! issue 19's targets (p99 under 100 ms for pages, under 300 ms for the dashboard, no errors).

use std::fmt::Write as _;

use goose::metrics::GooseMetrics;

/// One page's figures. Times in milliseconds, from goose's microsecond buckets (each within
/// 0.8 % of the times it holds).
#[derive(Debug, PartialEq)]
pub struct Line {
    pub name: String,
    pub requests: usize,
    pub errors: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Line {
    /// The issue's target for this page's p99, in ms; `None` for signing in (its password hash
    /// is slow on purpose).
    pub fn target(&self) -> Option<f64> {
        let page = self
            .name
            .split_once(' ')
            .map_or(self.name.as_str(), |(_, p)| p);
        if page.starts_with("sign in") {
            None
        } else if page.starts_with("dashboard") {
            Some(300.0)
        } else {
            Some(100.0)
        }
    }
}

/// The lines of a finished test, by name (`GET case page`, `POST case: save`, …).
pub fn lines(metrics: &GooseMetrics) -> Vec<Line> {
    let ms = |us: u64| us as f64 / 1000.0;
    let mut lines: Vec<Line> = metrics
        .requests
        .iter()
        .map(|(name, request)| {
            let times = &request.raw_data;
            Line {
                name: name.clone(),
                requests: request.success_count + request.fail_count,
                errors: request.fail_count,
                p50: ms(times.percentile_us(0.50)),
                p95: ms(times.percentile_us(0.95)),
                p99: ms(times.percentile_us(0.99)),
                max: ms(times.maximum_time_us),
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        page_of(&a.name)
            .cmp(page_of(&b.name))
            .then(a.name.cmp(&b.name))
    });
    lines
}

fn page_of(name: &str) -> &str {
    name.split_once(' ').map_or(name, |(_, page)| page)
}

/// The table in Markdown, with the stale saves and the test's length under it.
pub fn markdown(lines: &[Line], stale_saves: u64, seconds: usize) -> String {
    let mut out = String::new();
    out.push_str("| Request | Requests | Errors | Error % | p50 ms | p95 ms | p99 ms | max ms | p99 target | Met |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
    for line in lines {
        let share = if line.requests == 0 {
            0.0
        } else {
            100.0 * line.errors as f64 / line.requests as f64
        };
        let (target, met) = match line.target() {
            Some(target) => (
                format!("< {target}"),
                if line.p99 < target && line.errors == 0 {
                    "yes"
                } else {
                    "no"
                },
            ),
            None => ("–".to_string(), "–"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {share:.2} | {:.1} | {:.1} | {:.1} | {:.1} | {target} | {met} |",
            line.name, line.requests, line.errors, line.p50, line.p95, line.p99, line.max
        );
    }
    let requests: usize = lines.iter().map(|l| l.requests).sum();
    let errors: usize = lines.iter().map(|l| l.errors).sum();
    let _ = writeln!(
        out,
        "\n{requests} requests in {seconds} s ({:.1}/s), {errors} errors; {stale_saves} saves refused as stale (409, someone saved the case first: not an error).",
        if seconds == 0 {
            0.0
        } else {
            requests as f64 / seconds as f64
        }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_follow_the_issue() {
        let line = |name: &str| Line {
            name: name.into(),
            requests: 10,
            errors: 0,
            p50: 1.0,
            p95: 2.31,
            p99: 150.0,
            max: 150.04,
        };
        assert_eq!(line("GET case page").target(), Some(100.0));
        assert_eq!(
            line("GET dashboard: all organisations").target(),
            Some(300.0)
        );
        assert_eq!(line("POST sign in").target(), None);
        let table = markdown(&[line("GET case page"), line("GET dashboard")], 3, 10);
        assert!(
            table.contains(
                "| GET case page | 10 | 0 | 0.00 | 1.0 | 2.3 | 150.0 | 150.0 | < 100 | no |"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "| GET dashboard | 10 | 0 | 0.00 | 1.0 | 2.3 | 150.0 | 150.0 | < 300 | yes |"
            ),
            "{table}"
        );
        assert!(
            table.contains("20 requests in 10 s (2.0/s), 0 errors; 3 saves refused"),
            "{table}"
        );
    }
}
