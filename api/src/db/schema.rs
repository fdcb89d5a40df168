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
        timezone -> Nullable<Text>,
        language -> Nullable<Text>,
        accounts_reference -> Nullable<Text>,
        trial_duration_days -> Integer,
        use_trial_licenses_until_expiration -> Bool,
        snapshot_report_frequency -> Text,
    }
}

diesel::table! {
    /// Portal accounts (R21). `email` is stored lower-cased; `password_hash` is argon2 PHC.
    portal_accounts (id) {
        id -> BigInt,
        organization_id -> BigInt,
        email -> Text,
        password_hash -> Text,
        send_technical_emails -> Bool,
        send_alerts -> Bool,
        send_invoices_and_receipts -> Bool,
        send_license_expiry_alerts -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        operator -> Bool,
        token_version -> Integer,
    }
}

diesel::table! {
    /// The web app's refresh cookies: only their hash is stored.
    portal_sessions (id) {
        id -> BigInt,
        account_id -> BigInt,
        token_hash -> Text,
        token_version -> Integer,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::joinable!(portal_sessions -> portal_accounts (account_id));

diesel::table! {
    /// Failed sign-ins per hashed (identity, client address).
    sign_in_throttles (key) {
        key -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(portal_accounts -> organizations (organization_id));

diesel::table! {
    /// The history log (R23). `changes` is a JSON array of `{field, old, new}`.
    history (id) {
        id -> BigInt,
        at -> Timestamp,
        account_id -> Nullable<BigInt>,
        actor -> Text,
        scope_path -> Text,
        object_kind -> Text,
        object_id -> BigInt,
        action -> Text,
        summary -> Text,
        changes -> Text,
        actor_path -> Nullable<Text>,
    }
}

diesel::table! {
    /// End users (R22); `(provider_id, user_id)` is unique.
    end_users (id) {
        id -> BigInt,
        customer_id -> BigInt,
        provider_id -> BigInt,
        user_id -> Text,
        name -> Text,
        timezone -> Nullable<Text>,
        language -> Nullable<Text>,
        external_reference -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        password_hash -> Nullable<Text>,
        token_version -> Integer,
    }
}

diesel::table! {
    /// Contact-center queues of a customer.
    queues (id) {
        id -> BigInt,
        customer_id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Media streams of a queue (R10).
    media_streams (id) {
        id -> BigInt,
        queue_id -> BigInt,
        name -> Text,
        language -> Nullable<Text>,
        media_type -> Text,
        conversation_can_be_transferred -> Bool,
        conversation_can_be_escalated -> Bool,
        timezone -> Nullable<Text>,
        in_office_profile -> Text,
        use_last_agent_if_available -> Bool,
        reopen_conversation_on_reply -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// CPaaS platforms of a provider (R1); the three secrets are sealed (`crate::crypto`).
    cpaas_platforms (id) {
        id -> BigInt,
        provider_id -> BigInt,
        kind -> Text,
        name -> Text,
        account_key -> Text,
        token_secret -> Text,
        outbound_api_key -> Text,
        user_confirmation_required -> Bool,
        user_can_block_numbers -> Bool,
        mms_available -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        webhook_token -> Nullable<Text>,
        monthly_charge_cents -> Integer,
    }
}

diesel::joinable!(cpaas_platforms -> organizations (provider_id));

diesel::table! {
    /// CPaaS number assignments (R6-R14); `end_date` null while active.
    cpaas_numbers (id) {
        id -> BigInt,
        number -> Text,
        friendly_name -> Text,
        platform_id -> Nullable<BigInt>,
        customer_id -> BigInt,
        scope_path -> Text,
        consumer_kind -> Text,
        end_user_id -> Nullable<BigInt>,
        media_stream_id -> Nullable<BigInt>,
        consumer_name -> Text,
        messaging_type -> Text,
        user_can_block_numbers -> Bool,
        provisioning_state -> Text,
        provisioning_detail -> Nullable<Text>,
        provisioning_attempts -> Integer,
        provisioning_updated_at -> Timestamp,
        webhook_auth_id -> Nullable<Text>,
        opt_in_state -> Text,
        opt_in_at -> Nullable<Timestamp>,
        start_date -> Timestamp,
        end_date -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        monthly_charge_cents -> Integer,
        initial_reply -> Nullable<Text>,
        provider_id -> BigInt,
        reseller_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(cpaas_numbers -> cpaas_platforms (platform_id));

diesel::table! {
    /// Durable work for the in-process worker.
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        run_at -> Timestamp,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        subject -> Nullable<Text>,
        lease_token -> Nullable<Text>,
        dead_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Bulk imports of CPaaS numbers (a job runs them row by row).
    number_imports (id) {
        id -> BigInt,
        customer_id -> BigInt,
        account_id -> BigInt,
        csv -> Text,
        status -> Text,
        total -> Integer,
        processed -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Each CSV line's result of a bulk import.
    number_import_rows (import_id, line) {
        import_id -> BigInt,
        line -> Integer,
        number -> Text,
        outcome -> Text,
        detail -> Nullable<Text>,
        number_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Every suffix of three characters or more of each distinct lowercased name a provider's
    /// numbers carry, with the field carrying it (substring search on the names).
    cpaas_number_name_suffixes (provider_id, suffix, name, field) {
        provider_id -> BigInt,
        suffix -> Text,
        name -> Text,
        field -> Text,
    }
}

diesel::table! {
    /// Every suffix of three digits or more of each number (substring search on the digits),
    /// by the number's provider.
    cpaas_number_suffixes (provider_id, suffix, number_id) {
        provider_id -> BigInt,
        suffix -> Text,
        number_id -> BigInt,
    }
}

diesel::table! {
    /// Messages to and from CPaaS numbers; `cpaas_number_id` null in the unassigned inbox.
    messages (id) {
        id -> BigInt,
        platform_id -> Nullable<BigInt>,
        cpaas_number_id -> Nullable<BigInt>,
        direction -> Text,
        our_number -> Text,
        remote_number -> Text,
        body -> Text,
        media_urls -> Text,
        reference_id -> Text,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(messages -> cpaas_numbers (cpaas_number_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    portal_accounts,
    portal_sessions,
    history,
    end_users,
    queues,
    media_streams,
    cpaas_platforms,
    cpaas_numbers,
    jobs,
    number_imports,
    messages,
    cpaas_number_suffixes,
    cpaas_number_name_suffixes,
    number_import_rows
);
