//! Account-on-File consents this app created, the payment attempts made against them (each with its
//! idempotency key, stored before Lean is called) and the payments Lean reports for them.

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, Row};

use super::{now, Db};
use crate::model::{
    Consent, ConsentId, ConsentPayment, ConsentPaymentStatus, ConsentStatus, CustomerId, DestinationId,
    Money, UserId,
};

pub struct NewConsent<'a> {
    pub id: &'a ConsentId,
    pub user_id: &'a UserId,
    pub customer_id: &'a CustomerId,
    pub status: &'a ConsentStatus,
    pub destination_id: &'a DestinationId,
    pub destination_name: Option<&'a str>,
    pub currency: &'a str,
    pub reference: &'a str,
    pub purpose: &'a str,
    pub period_type: &'a str,
    pub max_individual_minor: Option<i64>,
    pub max_period_minor: Option<i64>,
    pub max_period_payments: Option<i64>,
    pub max_total_minor: Option<i64>,
    pub max_payments: Option<i64>,
    pub expires_at: &'a str,
}

/// Idempotent: the same consent stored twice keeps the first row.
pub async fn insert(db: &Db, c: &NewConsent<'_>) -> Result<(), sqlx::Error> {
    let ts = now();
    sqlx::query(
        "INSERT INTO consents (id, user_id, customer_id, status, destination_id, destination_name, currency,
                               reference, purpose, period_type, max_individual_minor, max_period_minor,
                               max_period_payments, max_total_minor, max_payments, expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(c.id)
    .bind(c.user_id)
    .bind(c.customer_id)
    .bind(c.status)
    .bind(c.destination_id)
    .bind(c.destination_name)
    .bind(c.currency)
    .bind(c.reference)
    .bind(c.purpose)
    .bind(c.period_type)
    .bind(c.max_individual_minor)
    .bind(c.max_period_minor)
    .bind(c.max_period_payments)
    .bind(c.max_total_minor)
    .bind(c.max_payments)
    .bind(c.expires_at)
    .bind(ts)
    .execute(db)
    .await?;
    Ok(())
}

/// Moves a consent to `status`, unless it already reached a final one (a redelivered or late
/// AUTHORISED never revives a REVOKED consent). Returns the owner only when the consent is ours and
/// something changed: the owner's pages refetch on that news, so "no change" must stay silent.
pub async fn set_status(
    db: &Db,
    consent_id: &ConsentId,
    status: &ConsentStatus,
    bank_identifier: Option<&str>,
) -> Result<Option<UserId>, sqlx::Error> {
    // The final statuses are FINAL_CONSENT_STATUSES (written out: queries are static text).
    let row = sqlx::query(
        "UPDATE consents SET status = $2, bank_identifier = COALESCE($3, bank_identifier), updated_at = $4
         WHERE id = $1 AND status NOT IN ('REVOKED', 'REJECTED', 'EXPIRED', 'CONSUMED')
           AND (status <> $2 OR COALESCE(bank_identifier, '') <> COALESCE($3, bank_identifier, ''))
         RETURNING user_id",
    )
    .bind(consent_id)
    .bind(status)
    .bind(bank_identifier)
    .bind(now())
    .fetch_optional(db)
    .await?;
    row.map(|r| r.try_get(0)).transpose()
}

macro_rules! consent_select {
    () => {
        "SELECT id, status, destination_id, destination_name, currency, reference, purpose, period_type,
                max_individual_minor, max_period_minor, max_period_payments, max_total_minor, max_payments,
                expires_at, bank_identifier, created_at, updated_at, user_id, customer_id
         FROM consents"
    };
}

fn consent_from_row(r: &AnyRow) -> Result<(UserId, CustomerId, Consent), sqlx::Error> {
    let currency: String = r.try_get(4)?;
    let money = |i: usize| -> Result<Option<Money>, sqlx::Error> {
        Ok(r.try_get::<Option<i64>, _>(i)?.map(|minor| Money::new(minor, &currency)))
    };
    Ok((
        r.try_get(17)?,
        r.try_get(18)?,
        Consent {
            consent_id: r.try_get(0)?,
            status: r.try_get(1)?,
            destination_id: r.try_get(2)?,
            destination_name: r.try_get(3)?,
            currency: currency.clone(),
            reference: r.try_get(5)?,
            purpose: r.try_get(6)?,
            period_type: r.try_get(7)?,
            max_individual: money(8)?,
            max_per_period: money(9)?,
            max_payments_per_period: r.try_get(10)?,
            max_total: money(11)?,
            max_payments: r.try_get(12)?,
            expires_at: r.try_get(13)?,
            bank_identifier: r.try_get(14)?,
            bank_name: None,
            created_at: r.try_get(15)?,
            updated_at: r.try_get(16)?,
            payments: Vec::new(),
            pay_attempt: String::new(),
        },
    ))
}

/// The consent with its owner's user id and Lean customer id (no payments attached).
pub async fn get<'e>(
    db: impl AnyExecutor<'e>,
    consent_id: &ConsentId,
) -> Result<Option<(UserId, CustomerId, Consent)>, sqlx::Error> {
    let row =
        sqlx::query(concat!(consent_select!(), " WHERE id = $1")).bind(consent_id).fetch_optional(db).await?;
    row.as_ref().map(consent_from_row).transpose()
}

/// The owner of a consent, if it is one of ours.
pub async fn owner<'e>(
    db: impl AnyExecutor<'e>,
    consent_id: &ConsentId,
) -> Result<Option<UserId>, sqlx::Error> {
    let row =
        sqlx::query("SELECT user_id FROM consents WHERE id = $1").bind(consent_id).fetch_optional(db).await?;
    row.map(|r| r.try_get(0)).transpose()
}

/// The user's consents, newest first, each with its payments and the attempt id for "Pay now".
pub async fn list_for_user(db: &Db, user_id: &UserId) -> Result<Vec<Consent>, sqlx::Error> {
    let rows = sqlx::query(concat!(consent_select!(), " WHERE user_id = $1 ORDER BY created_at DESC, id"))
        .bind(user_id)
        .fetch_all(db)
        .await?;
    let mut consents =
        rows.iter().map(|r| consent_from_row(r).map(|(_, _, c)| c)).collect::<Result<Vec<_>, _>>()?;
    let mut payments = payments_for_user(db, user_id).await?;
    let open = open_attempts(db, user_id).await?;
    for c in &mut consents {
        c.payments = payments.remove(&c.consent_id).unwrap_or_default();
        c.payments.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        c.pay_attempt = open.get(&c.consent_id).cloned().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    }
    Ok(consents)
}

type ByConsent = std::collections::HashMap<ConsentId, Vec<ConsentPayment>>;

async fn payments_for_user(db: &Db, user_id: &UserId) -> Result<ByConsent, sqlx::Error> {
    let mut out = ByConsent::new();
    // Our attempts, with what Lean last said about the payment each one made.
    let attempts = sqlx::query(
        "SELECT a.consent_id, a.payment_id, a.amount_minor, a.currency, a.status, a.error_code, a.created_at,
                p.status, p.failure_code
         FROM consent_payment_attempts a LEFT JOIN consent_payments p ON p.id = a.payment_id
         WHERE a.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    for r in &attempts {
        let lean_status: Option<ConsentPaymentStatus> = r.try_get(7)?;
        let failure: Option<String> = r.try_get(8)?;
        let error: Option<String> = r.try_get(5)?;
        out.entry(r.try_get(0)?).or_default().push(ConsentPayment {
            payment_id: r.try_get(1)?,
            amount: Money::new(r.try_get(2)?, r.try_get::<String, _>(3)?),
            status: lean_status.unwrap_or(r.try_get(4)?),
            code: failure.or(error),
            created_at: r.try_get(6)?,
        });
    }
    // Payments Lean made without an attempt of ours (an `immediate_payment` on authorisation).
    let others = sqlx::query(
        "SELECT p.consent_id, p.id, p.amount_minor, p.currency, p.status, p.failure_code, p.created_at
         FROM consent_payments p JOIN consents c ON c.id = p.consent_id
         WHERE c.user_id = $1
           AND NOT EXISTS (SELECT 1 FROM consent_payment_attempts a WHERE a.payment_id = p.id)",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    for r in &others {
        let amount: Option<i64> = r.try_get(2)?;
        out.entry(r.try_get(0)?).or_default().push(ConsentPayment {
            payment_id: r.try_get(1)?,
            amount: Money::new(
                amount.unwrap_or_default(),
                r.try_get::<Option<String>, _>(3)?.unwrap_or_default(),
            ),
            status: r.try_get(4)?,
            code: r.try_get(5)?,
            created_at: r.try_get(6)?,
        });
    }
    Ok(out)
}

/// Per consent, the latest attempt Lean never answered: "Pay now" repeats it rather than starting a
/// new one, so a lost answer can never turn into a second payment.
async fn open_attempts(
    db: &Db,
    user_id: &UserId,
) -> Result<std::collections::HashMap<ConsentId, String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT consent_id, id FROM consent_payment_attempts
         WHERE user_id = $1 AND status = 'SENDING' ORDER BY created_at",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

/// A payment attempt as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub id: String,
    pub idempotency_key: String,
    pub user_id: UserId,
    pub consent_id: ConsentId,
    pub amount_minor: i64,
    pub currency: String,
    pub status: String,
    pub payment_id: Option<String>,
    pub error_code: Option<String>,
}

/// Stores the attempt with a fresh idempotency key, or finds it if it exists already (a retry or
/// a double click): either way the stored row, whose key is then sent to Lean.
pub async fn begin_attempt(
    db: &Db,
    id: &str,
    user_id: &UserId,
    consent_id: &ConsentId,
    amount_minor: i64,
    currency: &str,
) -> Result<Attempt, sqlx::Error> {
    let ts = now();
    sqlx::query(
        "INSERT INTO consent_payment_attempts (id, idempotency_key, user_id, consent_id, amount_minor, currency,
                                               status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'SENDING', $7, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(user_id)
    .bind(consent_id)
    .bind(amount_minor)
    .bind(currency)
    .bind(ts)
    .execute(db)
    .await?;
    get_attempt(db, id).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn get_attempt(db: &Db, id: &str) -> Result<Option<Attempt>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, idempotency_key, user_id, consent_id, amount_minor, currency, status, payment_id, error_code
         FROM consent_payment_attempts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(Attempt {
            id: r.try_get(0)?,
            idempotency_key: r.try_get(1)?,
            user_id: r.try_get(2)?,
            consent_id: r.try_get(3)?,
            amount_minor: r.try_get(4)?,
            currency: r.try_get(5)?,
            status: r.try_get(6)?,
            payment_id: r.try_get(7)?,
            error_code: r.try_get(8)?,
        })
    })
    .transpose()
}

/// Lean answered with a payment: the attempt is settled and the payment recorded.
pub async fn attempt_sent(
    db: &Db,
    attempt: &Attempt,
    payment_id: &str,
    status: &ConsentPaymentStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE consent_payment_attempts SET status = 'SENT', payment_id = $2, updated_at = $3 WHERE id = $1",
    )
    .bind(&attempt.id)
    .bind(payment_id)
    .bind(now())
    .execute(db)
    .await?;
    upsert_payment(
        db,
        payment_id,
        &attempt.consent_id,
        status,
        Some(attempt.amount_minor),
        Some(&attempt.currency),
        None,
    )
    .await
}

/// Lean refused the payment (limits, consent not authorised): nothing was paid.
pub async fn attempt_refused(db: &Db, attempt_id: &str, code: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE consent_payment_attempts SET status = 'REFUSED', error_code = $2, updated_at = $3
         WHERE id = $1 AND status = 'SENDING'",
    )
    .bind(attempt_id)
    .bind(code)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}

/// Records what Lean says about a payment. Order-tolerant: a status never moves backwards, so a
/// late or redelivered `payment.created` cannot undo PROCESSED.
pub async fn upsert_payment<'e>(
    db: impl AnyExecutor<'e>,
    payment_id: &str,
    consent_id: &ConsentId,
    status: &ConsentPaymentStatus,
    amount_minor: Option<i64>,
    currency: Option<&str>,
    failure_code: Option<&str>,
) -> Result<(), sqlx::Error> {
    // Ranks: CREATED 1, PROCESSING 2, PROCESSED and FAILED 3 (Lean's AoF lifecycle, §6.5).
    sqlx::query(
        "INSERT INTO consent_payments (id, consent_id, status, amount_minor, currency, failure_code, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (id) DO UPDATE SET
            status = CASE
                WHEN (CASE excluded.status WHEN 'CREATED' THEN 1 WHEN 'PROCESSING' THEN 2
                          WHEN 'PROCESSED' THEN 3 WHEN 'FAILED' THEN 3 ELSE 0 END)
                  >= (CASE consent_payments.status WHEN 'CREATED' THEN 1 WHEN 'PROCESSING' THEN 2
                          WHEN 'PROCESSED' THEN 3 WHEN 'FAILED' THEN 3 ELSE 0 END)
                THEN excluded.status ELSE consent_payments.status END,
            amount_minor = COALESCE(consent_payments.amount_minor, excluded.amount_minor),
            currency = COALESCE(consent_payments.currency, excluded.currency),
            failure_code = COALESCE(excluded.failure_code, consent_payments.failure_code),
            updated_at = excluded.updated_at",
    )
    .bind(payment_id)
        .bind(consent_id)
        .bind(status)
        .bind(amount_minor)
        .bind(currency)
        .bind(failure_code)
        .bind(now())
        .execute(db)
        .await?;
    Ok(())
}

/// How many payments Lean reported for a consent (tests and diagnostics).
pub async fn count_payments(db: &Db, consent_id: &ConsentId) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM consent_payments WHERE consent_id = $1")
        .bind(consent_id)
        .fetch_one(db)
        .await?
        .try_get(0)
}
