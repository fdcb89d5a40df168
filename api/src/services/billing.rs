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
    let (year, month) = month.trim().split_once('-').ok_or_else(invalid)?;
    let (year, month): (i32, u32) = (
        year.parse().map_err(|_| invalid())?,
        month.parse().map_err(|_| invalid())?,
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

/// The bill of `month` (`YYYY-MM`; the current month when absent). Scope is checked first.
pub fn report(
    conn: &mut DbConnection,
    user: &PortalUser,
    provider_id: i64,
    month: Option<&str>,
) -> Result<BillingReport, ApiError> {
    let provider = scope::find_visible(conn, user, OrgKind::SystemProvider, provider_id)?;
    let current = chrono::Utc::now().format("%Y-%m").to_string();
    let (first, next) = month_bounds(month.unwrap_or(&current))?;
    let start = first.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    let rows: Vec<NumberRow> = cpaas_numbers::table
        .filter(cpaas_numbers::provider_id.eq(provider.id))
        .filter(cpaas_numbers::start_date.lt(end))
        .filter(
            cpaas_numbers::end_date
                .is_null()
                .or(cpaas_numbers::end_date.ge(start)),
        )
        .order((cpaas_numbers::number.asc(), cpaas_numbers::start_date.asc()))
        .select(NumberRow::as_select())
        .load(conn)?;
    let days_in_month = u32::try_from((next - first).num_days()).unwrap_or(30);
    let lines: Vec<BillingLine> = rows
        .iter()
        .map(|row| {
            let days = days_active(row.start_date, row.end_date, first, next);
            let monthly = u64::try_from(row.monthly_charge_cents).unwrap_or_default();
            let dim = u64::from(days_in_month);
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
        })
        .collect();
    Ok(BillingReport {
        provider_id: provider.id,
        month: format!("{:04}-{:02}", first.year(), first.month()),
        days_in_month,
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

/// The report as CSV: one line per number, then the total.
pub fn csv(report: &BillingReport) -> String {
    let mut out = String::from(
        "number,friendly_name,assigned_to,start_date,end_date,days_active,monthly_charge,charge\n",
    );
    for line in &report.lines {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            line.number,
            field(&line.friendly_name),
            field(&line.assigned_to),
            line.start_date,
            line.end_date.clone().unwrap_or_default(),
            line.days_active,
            cents(u64::from(line.monthly_charge_cents)),
            cents(line.charge_cents),
        ));
    }
    out.push_str(&format!(
        "total,{} numbers,,,,,,{}\n",
        report.total_numbers,
        cents(report.total_charge_cents)
    ));
    out
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
