//! The CSV of a bulk import: RFC 4180 quotes (no line breaks inside a field), a header line
//! naming known columns, at most [`MAX_ROWS`] rows.

/// One CSV row: its column → value (empty values left out).
pub type Row = std::collections::BTreeMap<String, String>;

pub const MAX_ROWS: usize = 10_000;

/// One CSV line's fields (quotes as in RFC 4180, no line breaks inside a field).
fn fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err("has an unclosed quote".to_owned());
    }
    out.push(field);
    Ok(out.into_iter().map(|f| f.trim().to_owned()).collect())
}

/// The rows of an import CSV as `(line, column → value)`.
pub fn rows(csv: &str) -> Result<Vec<(u32, Row)>, String> {
    let mut lines = csv
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines
        .next()
        .ok_or("is empty: put a header line first (number,user_id,…)")?;
    let header: Vec<String> = fields(header)?
        .into_iter()
        .map(|h| h.to_lowercase())
        .collect();
    let known = [
        "number",
        "user_id",
        "media_stream",
        "friendly_name",
        "messaging_type",
        "platform_id",
    ];
    if let Some(unknown) = header.iter().find(|h| !known.contains(&h.as_str())) {
        return Err(format!(
            "has an unknown column “{unknown}” (use {})",
            known.join(", ")
        ));
    }
    if !header.iter().any(|h| h == "number")
        || !header.iter().any(|h| h == "user_id" || h == "media_stream")
    {
        return Err("needs the columns number and user_id or media_stream".to_owned());
    }
    let mut out = Vec::new();
    for (index, line) in lines {
        let values = fields(line).map_err(|p| format!("line {}: {p}", index + 1))?;
        let row = header
            .iter()
            .cloned()
            .zip(values)
            .filter(|(_, v)| !v.is_empty())
            .collect();
        out.push((u32::try_from(index + 1).unwrap_or(u32::MAX), row));
    }
    if out.is_empty() {
        return Err("has no rows after the header".to_owned());
    }
    if out.len() > MAX_ROWS {
        return Err(format!(
            "has {} rows; at most {MAX_ROWS} at a time",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_with_quotes_and_checks() {
        let parsed = rows("number,user_id,friendly_name\n2019920778,chris@x.example,\"Tutt, Chris\"\n\n(201) 992-0780,chris@x.example,\"say \"\"hi\"\"\"\n").expect("rows");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].0, 2);
        assert_eq!(parsed[0].1["friendly_name"], "Tutt, Chris");
        assert_eq!(parsed[1].0, 4, "blank lines keep their numbers");
        assert_eq!(parsed[1].1["friendly_name"], "say \"hi\"");
        assert!(rows("").is_err());
        assert!(
            rows("number\n2019920778")
                .expect_err("no target")
                .contains("user_id")
        );
        assert!(
            rows("number,user_id,colour\n1,2,3")
                .expect_err("unknown")
                .contains("colour")
        );
        assert!(
            rows("number,user_id\n\"2019920778,x")
                .expect_err("quote")
                .contains("quote")
        );
        assert!(
            rows("number,user_id")
                .expect_err("no rows")
                .contains("no rows")
        );
    }
}
