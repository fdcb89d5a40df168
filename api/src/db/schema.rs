//! The portable schema: only column types both SQLite and PostgreSQL map the same way.

diesel::table! {
    /// The reseller hierarchy: system providers, resellers and customers. `path` is the
    /// materialized path of ids from the root, e.g. `/1/7/42/`, so "this level and below" is one
    /// indexed range query.
    organizations (id) {
        id -> BigInt,
        kind -> Text,
        parent_id -> Nullable<BigInt>,
        path -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}
