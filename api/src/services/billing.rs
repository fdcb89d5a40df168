//! R18: the monthly bill of a provider's numbers. A number is charged for the calendar days
//! (UTC) of the month it was assigned, at the monthly charge it was assigned with, prorated:
//! `charge × days / days_in_month`, rounded to the cent.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use cpaas_shared::{BillingLine, BillingReport, ErrorCode};
use diesel::prelude::*;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::number::NumberRow;
use crate::db::models::organization::OrgKind;
use crate::db::models::rfc3339;
use crate::db::schema::cpaas_numbers;
use crate::error::ApiError;
use crate::services::scope;

/// The first day of `YYYY-MM` and the first day of the month after.
pub fn month_bounds(month: &str) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let invalid = || {
        ApiError::new(
            ErrorCode::ValidationFailed,
            "The month parameter must look like 2026-11.",
        )
        .with_field("month", "must be a month such as 2026-11")
    };
    // Exactly `YYYY-MM`, as the document's pattern states.
    let shaped = month.len() == 7
        && month.bytes().enumerate().all(|(i, b)| {
            if i == 4 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(invalid());
    }
    let (year, month): (i32, u32) = (
        month[..4].parse().map_err(|_| invalid())?,
        month[5..].parse().map_err(|_| invalid())?,
    );
    let first = NaiveDate::from_ymd_opt(year, month, 1)
        .filter(|_| (2000..=2200).contains(&year))
        .ok_or_else(invalid)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .ok_or_else(invalid)?;
    Ok((first, next))
}

/// Days of `[first, next)` on which an assignment from `start` to `end` was active.
pub fn days_active(
    start: NaiveDateTime,
    end: Option<NaiveDateTime>,
    first: NaiveDate,
    next: NaiveDate,
) -> u32 {
    let from = start.date().max(first);
    let last = end
        .map_or(next.pred_opt().unwrap_or(next), |end| end.date())
        .min(next.pred_opt().unwrap_or(next));
    u32::try_from((last - from).num_days() + 1).unwrap_or(0)
}

/// The bill being read: the provider (in the caller's scope) and the month's bounds.
#[derive(Debug, Clone)]
pub struct Period {
    pub provider_id: i64,
    first: NaiveDate,
    next: NaiveDate,
}

impl Period {
    /// `YYYY-MM`.
    pub fn month(&self) -> String {
        format!("{:04}-{:02}", self.first.year(), self.first.month())
    }

    fn days(&self) -> u32 {
        u32::try_from((self.next - self.first).num_days()).unwrap_or(30)
    }
}

/// The bill of `month` (`YYYY-MM`; the current month when absent). Scope is checked first.
pub fn period(
    conn: &mut DbConnection,
    user: &PortalUser,
    provider_id: i64,
    month: Option<&str>,
) -> Result<Period, ApiError> {
    let provider = scope::find_visible(conn, user, OrgKind::SystemProvider, provider_id)?;
    let current = chrono::Utc::now().format("%Y-%m").to_string();
    let (first, next) = month_bounds(month.unwrap_or(&current))?;
    Ok(Period {
        provider_id: provider.id,
        first,
        next,
    })
}

/// Where a bill's lines are in their order (number, start, id): the last one read.
pub type After = (String, NaiveDateTime, i64);

/// Up to `limit` of the bill's lines after `after`, in order, each with its position.
pub fn lines(
    conn: &mut DbConnection,
    period: &Period,
    after: Option<&After>,
    limit: i64,
) -> Result<Vec<(After, BillingLine)>, ApiError> {
    use cpaas_numbers::dsl as n;
    let start = period.first.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = period.next.and_hms_opt(0, 0, 0).unwrap_or_default();
    let mut query = n::cpaas_numbers
        .filter(n::provider_id.eq(period.provider_id))
        .filter(n::start_date.lt(end))
        .filter(n::end_date.is_null().or(n::end_date.ge(start)))
        .order((n::number.asc(), n::start_date.asc(), n::id.asc()))
        .select(NumberRow::as_select())
        .limit(limit)
        .into_boxed();
    if let Some((number, started, id)) = after.cloned() {
        query = query.filter(
            n::number.gt(number.clone()).or(n::number.eq(number).and(
                n::start_date
                    .gt(started)
                    .or(n::start_date.eq(started).and(n::id.gt(id))),
            )),
        );
    }
    let rows: Vec<NumberRow> = query.load(conn)?;
    Ok(rows
        .iter()
        .map(|row| {
            (
                (row.number.clone(), row.start_date, row.id),
                line(period, row),
            )
        })
        .collect())
}

fn line(period: &Period, row: &NumberRow) -> BillingLine {
    let days = days_active(row.start_date, row.end_date, period.first, period.next);
    let monthly = u64::try_from(row.monthly_charge_cents).unwrap_or_default();
    let dim = u64::from(period.days());
    BillingLine {
        number_id: row.id,
        number: row.number.clone(),
        friendly_name: row.friendly_name.clone(),
        assigned_to: row.consumer_name.clone(),
        platform_id: row.platform_id,
        start_date: rfc3339(row.start_date),
        end_date: row.end_date.map(rfc3339),
        days_active: days,
        monthly_charge_cents: u32::try_from(monthly).unwrap_or(u32::MAX),
        charge_cents: (monthly * u64::from(days) * 2 + dim) / (2 * dim),
    }
}

/// The whole bill, for the JSON answer.
pub fn report(conn: &mut DbConnection, period: &Period) -> Result<BillingReport, ApiError> {
    let lines: Vec<BillingLine> = lines(conn, period, None, i64::MAX)?
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    Ok(BillingReport {
        provider_id: period.provider_id,
        month: period.month(),
        days_in_month: period.days(),
        total_numbers: u64::try_from(lines.len()).unwrap_or_default(),
        total_charge_cents: lines.iter().map(|l| l.charge_cents).sum(),
        lines,
    })
}

fn cents(value: u64) -> String {
    format!("{}.{:02}", value / 100, value % 100)
}

/// A text cell: quoted where CSV needs it, and never a formula. A spreadsheet runs a cell
/// beginning with `=`, `+`, `-`, `@`, a tab or a carriage return as one (a friendly name such as
/// `=HYPERLINK(…)`), so such a cell starts with an apostrophe, which shows it as text.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The CSV's first line.
pub const CSV_HEADER: &str =
    "number,friendly_name,assigned_to,start_date,end_date,days_active,monthly_charge,charge\n";

/// One number's CSV line.
pub fn csv_line(line: &BillingLine) -> String {
    format!(
        "{},{},{},{},{},{},{},{}\n",
        line.number,
        field(&line.friendly_name),
        field(&line.assigned_to),
        line.start_date,
        line.end_date.clone().unwrap_or_default(),
        line.days_active,
        cents(u64::from(line.monthly_charge_cents)),
        cents(line.charge_cents),
    )
}

/// The CSV's last line.
pub fn csv_total(numbers: u64, charge_cents: u64) -> String {
    format!("total,{numbers} numbers,,,,,,{}\n", cents(charge_cents))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("date")
    }

    #[test]
    fn days_are_counted_within_the_month() {
        let (first, next) = month_bounds("2026-02").expect("month");
        assert_eq!((next - first).num_days(), 28);
        assert_eq!(
            days_active(at(2026, 1, 5), None, first, next),
            28,
            "the whole month"
        );
        assert_eq!(
            days_active(at(2026, 2, 10), None, first, next),
            19,
            "from the 10th"
        );
        assert_eq!(
            days_active(at(2026, 2, 10), Some(at(2026, 2, 10)), first, next),
            1,
            "one day"
        );
        assert_eq!(
            days_active(at(2026, 1, 1), Some(at(2026, 2, 3)), first, next),
            3
        );
        assert!(
            month_bounds("2026-13").is_err()
                && month_bounds("26-1x").is_err()
                && month_bounds("").is_err()
        );
        assert_eq!(
            month_bounds("2026-12").expect("december").1,
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
        );
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(field("Smith, Jo"), "\"Smith, Jo\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for formula in ["+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(
                field(formula).trim_start_matches('"').starts_with('\''),
                "{formula:?}"
            );
        }
        assert_eq!(field("Front desk - 2"), "Front desk - 2");
        assert_eq!(cents(150), "1.50");
        assert_eq!(cents(5), "0.05");
    }
}
