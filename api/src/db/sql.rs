//! SQL helpers the queries share, on both backends.

diesel::define_sql_function! {
    /// SQL `lower(text)`.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// `%text%` in lower case with LIKE's wildcards escaped (use with `.escape('\\')`).
pub fn like_pattern(text: &str) -> String {
    format!("%{}%", escape_like(&text.to_lowercase()))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
