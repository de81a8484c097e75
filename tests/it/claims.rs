//! The worker's batch claims (`webhook_events::claim_many` and friends), straight against the database
//! (SQLite, or PostgreSQL in the PostgreSQL pass): of two instances each event goes to one, applied events
//! are recorded together, and claims handed back at shutdown are free again at once.

use lean_merchant::server::db::{self, webhook_events};

async fn database() -> (tempfile::TempDir, db::Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = match crate::common::fresh_postgres_database().await {
        Some(url) => url,
        None => format!("sqlite://{}?mode=rwc", dir.path().join("claims.db").display()),
    };
    let db = db::connect(&url).await.expect("database");
    (dir, db)
}

async fn store(db: &db::Db, ids: &[&str]) {
    for id in ids {
        let stored =
            webhook_events::insert_once(db, id, "entity.created", "{}", webhook_events::RECEIVED, None, None)
                .await
                .unwrap();
        assert!(stored);
    }
}

async fn status(db: &db::Db, id: &str) -> String {
    webhook_events::status_of(db, id).await.unwrap().expect("stored").0
}

#[tokio::test]
async fn each_event_is_claimed_by_one_instance_and_recorded_together() {
    let (_dir, db) = database().await;
    store(&db, &["e1", "e2", "e3"]).await;

    let mut a = webhook_events::claim_many(&db, &["e1", "e2"], "instance-a").await.unwrap();
    a.sort();
    assert_eq!(a, ["e1", "e2"]);
    // B asks for all three and gets only the one A does not hold.
    let b = webhook_events::claim_many(&db, &["e1", "e2", "e3"], "instance-b").await.unwrap();
    assert_eq!(b, ["e3"]);
    assert_eq!(status(&db, "e1").await, webhook_events::PROCESSING);

    webhook_events::finish_applied(&db, &a).await.unwrap();
    assert_eq!(status(&db, "e1").await, webhook_events::PROCESSED);
    assert_eq!(webhook_events::status_of(&db, "e2").await.unwrap(), Some(("processed".into(), 1)));
    // A processed event is not claimed again.
    assert!(webhook_events::claim_many(&db, &["e1"], "instance-b").await.unwrap().is_empty());
    assert!(webhook_events::claim_many(&db, &[], "instance-b").await.unwrap().is_empty());
}

#[tokio::test]
async fn claims_handed_back_are_free_at_once_and_only_the_owners_are() {
    let (_dir, db) = database().await;
    store(&db, &["r1", "r2"]).await;
    webhook_events::claim_many(&db, &["r1"], "instance-a").await.unwrap();
    webhook_events::claim_many(&db, &["r2"], "instance-b").await.unwrap();

    // A shutting down hands back what it holds, and only that.
    webhook_events::release_claims(&db, &["r1".into(), "r2".into()], "instance-a").await.unwrap();
    assert_eq!(status(&db, "r1").await, webhook_events::RECEIVED);
    assert_eq!(status(&db, "r2").await, webhook_events::PROCESSING);
    let pending: Vec<String> =
        webhook_events::pending(&db, 10).await.unwrap().into_iter().map(|e| e.event_id).collect();
    assert_eq!(pending, ["r1"]);
    assert_eq!(webhook_events::claim_many(&db, &["r1"], "instance-c").await.unwrap(), ["r1"]);
}
