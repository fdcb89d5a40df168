//! The database layer on the backend under test: migrations, the organizations table, the
//! materialized-path subtree query and the constraints both backends must enforce.

use std::time::Duration;

use cpaas_api::db::models::organization::{self, OrgKind};
use cpaas_api::db::schema::organizations;
use cpaas_tests::{TestApp, workspace_root};
use diesel::prelude::*;

fn versions(backend: &str) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(workspace_root().join("migrations").join(backend))
            .expect("migrations dir")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = versions("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, versions("postgres"));
    for backend in ["sqlite", "postgres"] {
        for name in &sqlite {
            for file in ["up.sql", "down.sql"] {
                let path = workspace_root()
                    .join("migrations")
                    .join(backend)
                    .join(name)
                    .join(file);
                assert!(path.is_file(), "{} missing", path.display());
            }
        }
    }
}

#[tokio::test]
async fn organizations_form_a_tree_queried_by_path() {
    let app = TestApp::spawn().await;
    let mut conn = app.connect();
    let provider =
        organization::insert(&mut conn, OrgKind::SystemProvider, None, "Kakapo").expect("provider");
    let other = organization::insert(&mut conn, OrgKind::SystemProvider, None, "Other")
        .expect("other provider");
    let reseller = organization::insert(&mut conn, OrgKind::Reseller, Some(provider.id), "R")
        .expect("reseller");
    let customer = organization::insert(&mut conn, OrgKind::Customer, Some(reseller.id), "C")
        .expect("customer");
    let direct = organization::insert(&mut conn, OrgKind::Customer, Some(provider.id), "D")
        .expect("direct customer");
    // Ids like 1 and 10 must not be confused by the prefix range.
    for i in 0..10 {
        organization::insert(
            &mut conn,
            OrgKind::Customer,
            Some(other.id),
            &format!("O{i}"),
        )
        .expect("customer of the other provider");
    }

    assert_eq!(provider.path, format!("/{}/", provider.id));
    assert_eq!(
        customer.path,
        format!("/{}/{}/{}/", provider.id, reseller.id, customer.id)
    );
    assert_eq!(direct.path, format!("/{}/{}/", provider.id, direct.id));
    assert_eq!(customer.kind(), Some(OrgKind::Customer));

    let names = |orgs: Vec<organization::Organization>| {
        let mut names: Vec<String> = orgs.into_iter().map(|o| o.name).collect();
        names.sort();
        names
    };
    let below_provider = organization::subtree(&mut conn, &provider.path).expect("subtree");
    assert_eq!(names(below_provider), ["C", "D", "Kakapo", "R"]);
    let below_reseller = organization::subtree(&mut conn, &reseller.path).expect("subtree");
    assert_eq!(names(below_reseller), ["C", "R"]);
    assert_eq!(
        organization::subtree(&mut conn, &other.path)
            .expect("subtree")
            .len(),
        11
    );
}

#[tokio::test]
async fn the_schema_enforces_parents() {
    let app = TestApp::spawn().await;
    let mut conn = app.connect();
    assert!(
        organization::insert(&mut conn, OrgKind::Reseller, None, "orphan").is_err(),
        "a reseller needs a parent"
    );
    let now = chrono_now();
    let dangling = diesel::insert_into(organizations::table)
        .values((
            organizations::kind.eq("customer"),
            organizations::parent_id.eq(Some(9999_i64)),
            organizations::path.eq("/9999/1/"),
            organizations::name.eq("dangling"),
            organizations::created_at.eq(now),
            organizations::updated_at.eq(now),
        ))
        .execute(&mut conn);
    assert!(
        dangling.is_err(),
        "the parent must exist (foreign key enforced)"
    );
    let provider =
        organization::insert(&mut conn, OrgKind::SystemProvider, None, "P").expect("provider");
    organization::insert(&mut conn, OrgKind::Reseller, Some(provider.id), "child").expect("child");
    let deleted = diesel::delete(organizations::table.find(provider.id)).execute(&mut conn);
    assert!(
        deleted.is_err(),
        "a parent with children cannot be deleted (foreign key)"
    );
}

fn chrono_now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[tokio::test]
async fn jobs_about_one_subject_are_claimed_one_at_a_time_oldest_first() {
    use cpaas_api::db::models::job;
    let app = TestApp::spawn().await;
    let mut conn = app.connect();
    // Due a day from now, so the api's own worker leaves them alone.
    let due = chrono::Utc::now().naive_utc() + chrono::TimeDelta::days(1);
    let later = due + chrono::TimeDelta::seconds(1);
    let lease = later + chrono::TimeDelta::minutes(5);
    let payload = serde_json::json!({ "kind": "test" });
    let first =
        job::enqueue(&mut conn, "test", &payload, due, Some("number:2019920778")).expect("first");
    let second =
        job::enqueue(&mut conn, "test", &payload, due, Some("number:2019920778")).expect("second");
    let other = job::enqueue(&mut conn, "test", &payload, due, None).expect("other");
    let claim = |conn: &mut cpaas_api::db::DbConnection| {
        job::claim(conn, (later, lease), "worker-a")
            .expect("claim")
            .map(|row| row.id)
    };
    assert_eq!(claim(&mut conn), Some(first), "the oldest first");
    assert_eq!(
        claim(&mut conn),
        Some(other),
        "not the second while the first is running"
    );
    assert_eq!(claim(&mut conn), None);
    assert!(job::complete(&mut conn, (first, "worker-a")).expect("done"));
    assert_eq!(claim(&mut conn), Some(second), "then the second");

    // A renewed lease keeps a long job from being claimed twice; a lapsed one frees it.
    let past_lease = lease + chrono::TimeDelta::seconds(1);
    let renewed = job::renew(
        &mut conn,
        (second, "worker-a"),
        past_lease + chrono::TimeDelta::minutes(5),
    )
    .expect("renewed");
    assert!(renewed);
    let again = job::claim(&mut conn, (past_lease, past_lease), "worker-b").expect("claim");
    assert_eq!(
        again.map(|row| row.id),
        Some(other),
        "the other's lease lapsed, not the second's"
    );
    // The worker whose lease lapsed changes nothing: worker-b holds the job now.
    let at = past_lease + chrono::TimeDelta::minutes(1);
    assert!(!job::renew(&mut conn, (other, "worker-a"), at).expect("renew"));
    assert!(!job::retry(&mut conn, (other, "worker-a"), at, "late").expect("retry"));
    assert!(!job::complete(&mut conn, (other, "worker-a")).expect("complete"));
    assert!(job::complete(&mut conn, (other, "worker-b")).expect("complete"));
}

#[tokio::test]
async fn a_job_that_keeps_dying_is_dead_and_no_longer_holds_up_its_subject() {
    use cpaas_api::db::models::job;
    use cpaas_api::db::schema::jobs;
    let app = TestApp::spawn_with(|s| {
        s.job_max_attempts = 2;
        s.job_poll_ms = 50;
    })
    .await;
    let mut conn = app.connect();
    let now = chrono::Utc::now().naive_utc();
    let mail = serde_json::json!({
        "kind": "send_mail", "to": ["alerts@kakapo.example"], "subject": "Test", "body": "Hello",
    });
    let subject = Some("number:2019920778");
    let dying = job::enqueue(&mut conn, "send_mail", &mail, now, subject).expect("dying");
    let behind = job::enqueue(&mut conn, "send_mail", &mail, now, subject).expect("behind");
    // Two claims whose workers died before finishing (as a crash leaves them).
    diesel::update(jobs::table.find(dying))
        .set(jobs::attempts.eq(2))
        .execute(&mut conn)
        .expect("claimed twice");
    let (dead_at, error): (Option<chrono::NaiveDateTime>, Option<String>) =
        cpaas_tests::eventually(Duration::from_secs(10), "the job buried", || async {
            let row: (Option<chrono::NaiveDateTime>, Option<String>) = jobs::table
                .find(dying)
                .select((jobs::dead_at, jobs::last_error))
                .first(&mut app.connect())
                .ok()?;
            row.0.is_some().then_some(row)
        })
        .await;
    assert!(dead_at.is_some());
    assert!(error.is_some_and(|e| e.contains("never finished")));
    // The job behind it on the same subject runs (and is gone once done).
    cpaas_tests::eventually(Duration::from_secs(10), "the next job done", || async {
        let left: i64 = jobs::table
            .filter(jobs::id.eq(behind))
            .count()
            .get_result(&mut app.connect())
            .ok()?;
        (left == 0).then_some(())
    })
    .await;
}

/// Every migration's `down.sql` runs on this backend after its `up.sql`, and its `up.sql` runs
/// again after it; the name search's suffixes are rebuilt from the numbers already stored when
/// its migration runs again.
#[tokio::test]
async fn migrations_revert_and_run_again() {
    use cpaas_api::db::{DbConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

    /// Reverts the migrations from `version` on (all of them when none), then runs them again.
    fn redo<C: MigrationHarness<B>, B: diesel::backend::Backend>(
        conn: &mut C,
        migrations: fn() -> EmbeddedMigrations,
        version: Option<&str>,
    ) {
        loop {
            let applied = conn.applied_migrations().expect("applied migrations");
            let Some(last) = applied.iter().max() else {
                break;
            };
            if version.is_some_and(|v| last.to_string().as_str() < v) {
                break;
            }
            conn.revert_last_migration(migrations()).expect("reverts");
        }
        conn.run_pending_migrations(migrations())
            .expect("runs again");
    }
    fn redo_from(conn: &mut DbConnection, version: Option<&str>) {
        match conn {
            DbConnection::Sqlite(c) => redo(c, || SQLITE_MIGRATIONS, version),
            DbConnection::Postgresql(c) => redo(c, || POSTGRES_MIGRATIONS, version),
        }
    }

    let app = TestApp::spawn().await;
    let w = super::numbers::world(&app, false).await;
    cpaas_tests::bulk::numbers(&app, &w.owner(), 30);
    let mut conn = app.connect();
    redo_from(&mut conn, Some("20261127000018"));
    let path = format!("/api/v1/providers/{}/cpaas-numbers?search=tutt", w.provider);
    let res = app.call(&w.token, reqwest::Method::GET, &path, None).await;
    let page: cpaas_shared::Page<cpaas_shared::CpaasNumber> = res.json().await.expect("page");
    assert_eq!(
        page.total, 30,
        "numbers stored before the migration are found by name"
    );
    let path = format!(
        "/api/v1/providers/{}/cpaas-numbers?search=front%20desk%2012",
        w.provider
    );
    let res = app.call(&w.token, reqwest::Method::GET, &path, None).await;
    let page: cpaas_shared::Page<cpaas_shared::CpaasNumber> = res.json().await.expect("page");
    let found: Vec<&str> = page
        .items
        .iter()
        .map(|i| i.friendly_name.as_str())
        .collect();
    assert_eq!(found, ["Front Desk 12"], "and by friendly name");
    // The triggers are back: a name given after the migration is found too.
    let id = page.items[0].id;
    let path = format!("/api/v1/cpaas-numbers/{id}");
    let body = serde_json::json!({"friendly_name": "Night line"});
    let res = app
        .call(&w.token, reqwest::Method::PATCH, &path, Some(body))
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::OK, "{path}");
    let path = format!(
        "/api/v1/providers/{}/cpaas-numbers?search=night",
        w.provider
    );
    let res = app.call(&w.token, reqwest::Method::GET, &path, None).await;
    let page: cpaas_shared::Page<cpaas_shared::CpaasNumber> = res.json().await.expect("page");
    let found: Vec<i64> = page.items.iter().map(|i| i.id).collect();
    assert_eq!(found, [id], "a friendly name given after the migration");

    redo_from(&mut conn, None);
    let count: i64 = organizations::table
        .count()
        .get_result(&mut conn)
        .expect("schema back");
    assert_eq!(
        count, 0,
        "reverting every migration dropped the data with the tables"
    );
}

#[tokio::test]
async fn reads_go_on_while_another_connection_writes() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn().await;
    app.create_admin("admin@kakapo.example", "correct horse battery", "Kakapo");
    let login = app
        .session("admin@kakapo.example", "correct horse battery")
        .await;
    let provider = login.account.organization_id;
    // Another connection holds a write transaction meanwhile (on SQLite: the write lock).
    let mut writer = app.connect();
    let begin = match app.backend {
        cpaas_shared::DatabaseBackend::Sqlite => "BEGIN IMMEDIATE;",
        cpaas_shared::DatabaseBackend::Postgresql => "BEGIN;",
    };
    writer
        .batch_execute(&format!("{begin} UPDATE organizations SET name = name;"))
        .expect("writing");
    for path in [
        "/api/v1/auth/me".to_owned(),
        format!("/api/v1/providers/{provider}"),
        format!("/api/v1/providers/{provider}/resellers"),
        format!("/api/v1/providers/{provider}/cpaas-numbers?search=201"),
        format!("/api/v1/providers/{provider}/history"),
    ] {
        let read = app.call(&login.access_token, reqwest::Method::GET, &path, None);
        let res = tokio::time::timeout(Duration::from_secs(2), read)
            .await
            .unwrap_or_else(|_| panic!("GET {path} waited for the writer"));
        assert_eq!(res.status(), reqwest::StatusCode::OK, "{path}");
    }
    writer.batch_execute("ROLLBACK;").expect("released");
}
