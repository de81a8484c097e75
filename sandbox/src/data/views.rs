//! Lean's JSON shapes for generated data: v2 objects (data.yml) and the legacy v1 payloads.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::generator::{self, History, Kind, Txn};
use super::payees::{Beneficiary, DirectDebit, ScheduledPayment, StandingOrder};
use crate::state::{Account, Entity};

pub fn millis(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Minor units to Lean's decimal number.
pub fn money(minor: i64) -> Value {
    json!((minor as f64) / 100.0)
}

fn bic(entity: &Entity) -> &'static str {
    generator::bank_of(entity).swift_code.unwrap_or(if generator::bank_of(entity).country_code == "SAU" {
        "MOCKSA01"
    } else {
        "MOCKAEAD"
    })
}

fn bban(iban: &str) -> &str {
    iban.get(4..).unwrap_or(iban)
}

pub fn currency(entity: &Entity) -> &'static str {
    generator::bank_of(entity).currency
}

pub fn account_v2(entity: &Entity, account: &Account) -> Value {
    let person = generator::person(entity);
    let kind = Kind::of(account);
    let holder = person.full_name();
    json!({
        "entity_id": entity.id,
        "account_id": account.account_id,
        "account_holder_name": holder,
        "account_holder_short_name": person.first,
        "status": "ENABLED",
        "status_update_date_time": millis(entity.created_at),
        "currency": currency(entity),
        "account_type": entity.account_type,
        "account_sub_type": kind.sub_type(),
        "nickname": account.name,
        "description": account.name,
        "opening_date": account.history_start.to_string(),
        "maturity_date": null,
        "account": [
            {"scheme_name": "IBAN", "identification": account.iban, "name": holder},
            {"scheme_name": "BBAN", "identification": bban(&account.iban), "name": holder},
        ],
        "servicer": {"scheme_name": "BICFI", "identification": bic(entity)},
    })
}

pub fn account_v1(entity: &Entity, account: &Account) -> Value {
    let kind = Kind::of(account);
    json!({
        "account_id": account.account_id,
        "name": account.name,
        "currency_code": currency(entity),
        "type": kind.v1_type(),
        "iban": account.iban,
        "account_number": bban(&account.iban),
        "bank_identifier": entity.bank_identifier,
        "credit": null,
    })
}

fn indicator(minor: i64) -> &'static str {
    if minor < 0 {
        "DEBIT"
    } else {
        "CREDIT"
    }
}

fn amount(cur: &str, minor: i64) -> Value {
    json!({"currency": cur, "amount": money(minor.abs())})
}

/// OPENING_BOOKED at the start of the history, then CLOSING_BOOKED and INTERIM_AVAILABLE now.
pub fn balances_v2(entity: &Entity, account: &Account, h: &History, now: DateTime<Utc>) -> Vec<Value> {
    let cur = h.currency;
    let credit_line = if h.kind == Kind::CreditCard {
        json!([{"included": false, "amount": amount(cur, h.credit_limit), "type": "CREDIT"}])
    } else {
        json!([])
    };
    let mut out = vec![
        json!({
            "entity_id": entity.id,
            "account_id": account.account_id,
            "credit_debit_indicator": indicator(h.opening),
            "amount": amount(cur, h.opening),
            "type": "OPENING_BOOKED",
            "date_time": millis(h.opening_at),
            "credit_line": credit_line,
        }),
        json!({
            "entity_id": entity.id,
            "account_id": account.account_id,
            "credit_debit_indicator": indicator(h.closing),
            "amount": amount(cur, h.closing),
            "type": "CLOSING_BOOKED",
            "date_time": millis(now),
            "credit_line": credit_line,
        }),
    ];
    let available = if h.kind == Kind::CreditCard { h.credit_limit + h.closing } else { h.closing };
    out.push(json!({
        "entity_id": entity.id,
        "account_id": account.account_id,
        "credit_debit_indicator": indicator(available),
        "amount": amount(cur, available),
        "type": "INTERIM_AVAILABLE",
        "date_time": millis(now),
        "credit_line": credit_line,
    }));
    out
}

pub fn transaction_v2(entity: &Entity, account: &Account, h: &History, t: &Txn) -> Value {
    let cur = h.currency;
    let card = t.transaction_type == "POS" || t.transaction_type == "E_COMMERCE";
    let last4 = &account.iban[account.iban.len().saturating_sub(4)..];
    json!({
        "entity_id": entity.id,
        "account_id": account.account_id,
        "transaction_id": t.id,
        "transaction_information": t.description,
        "transaction_reference": t.reference,
        "credit_debit_indicator": indicator(t.amount),
        "amount": amount(cur, t.amount),
        "transaction_mutability": "IMMUTABLE",
        "booking_date_time": millis(t.booked_at),
        "value_date_time": millis(t.booked_at),
        "status": "BOOKED",
        "statement_reference": [t.reference],
        "index": t.index,
        "balance": {
            "type": "INTERIM_BOOKED",
            "credit_debit_indicator": indicator(t.balance_after),
            "amount": amount(cur, t.balance_after),
        },
        "insights": {
            "description_cleansed": t.merchant.clone().unwrap_or_else(|| t.description.clone()),
            "category": t.category,
            "category_confidence": 0.93,
        },
        "charge_amount": {"amount": 0.0, "currency": cur, "charge_included": false},
        "bank_transaction_code": null,
        "proprietary_bank_transaction_code": null,
        "card_instrument": if card {
            json!({"authorization_type": "CONSUMER_DEVICE", "card_scheme_name": "VISA",
                   "identification": format!("************{last4}"), "name": account.name})
        } else { Value::Null },
        "merchant_details": match (&t.merchant, t.mcc) {
            (Some(name), Some(mcc)) => json!({"merchant_category_code": mcc, "merchant_name": name}),
            _ => Value::Null,
        },
        "currency_exchange": null,
        "creditor_account": null,
        "debtor_account": null,
        "creditor_agent": null,
        "debtor_agent": null,
        "local_time_zone": if cur == "SAR" { "Asia/Riyadh" } else { "Asia/Dubai" },
        "transaction_type": t.transaction_type,
        "sub_transaction_type": t.sub_type,
        "payment_modes": if t.transaction_type == "E_COMMERCE" { "ONLINE" } else { "OFFLINE" },
        "flags": [],
    })
}

pub fn transaction_v1(h: &History, t: &Txn) -> Value {
    json!({
        "id": t.id,
        "description": t.description,
        "amount": money(t.amount),
        "currency_code": h.currency,
        "index": t.index,
        "pending": false,
        "timestamp": millis(t.booked_at),
        "value_timestamp": millis(t.booked_at),
        "transaction_timestamp": millis(t.booked_at),
        "transaction_reference": t.reference,
        "running_balance": money(t.balance_after),
        "insights": {
            "description_cleansed": t.merchant.clone().unwrap_or_else(|| t.description.clone()),
            "category": t.category,
            "category_confidence": 0.93,
        },
    })
}

pub fn identity_v2(entity: &Entity) -> Value {
    let p = generator::person(entity);
    let address_line = format!("{} {}, {}, {}, {}", p.apartment, p.building, p.street, p.area, p.town);
    json!({
        "entity_id": entity.id,
        "full_legal_name": p.full_name().to_uppercase(),
        "name": p.first,
        "national_id": p.national_id,
        "birth_date": p.birth_date.to_string(),
        "gender": p.gender,
        "email_address": p.email,
        "phone": p.mobile,
        "mobile_number": p.mobile,
        "legal_structure": "",
        "address": {
            "address_line": address_line,
            "address_type": "RESIDENTIAL",
            "building_type": "Apartment",
            "apartment_or_villa_number": p.apartment,
            "building_name": p.building,
            "street": p.street,
            "area": p.area,
            "street_address": format!("{}, {}", p.building, p.street),
            "post_code": p.post_code,
            "town_name": p.town,
            "region": p.region,
            "po_box": p.po_box,
            "country": p.country,
        },
        "account_role": "ADMINISTRATOR",
        "party_type": "SOLE",
        "party_id": p.party_id,
        "party_number": p.party_id.trim_start_matches("PT_"),
    })
}

/// data.yml's `Beneficiary`: `creditor_agent` is a `BeneficiaryCreditorAgent` (BICFI and the
/// bank's postal address), `creditor_account` an `AccountIdentifier`. As in Lean's example, the
/// account holder names are the beneficiary's. No `supplementary_data`: nothing to put in it.
pub fn beneficiary(account: &Account, b: &Beneficiary) -> Value {
    let mut postal = json!({
        "street_name": b.bank.street,
        "building_number": b.bank.building_number,
        "town_name": b.bank.town,
        "country": b.bank.country,
    });
    if let Some(code) = b.bank.post_code {
        postal["post_code"] = json!(code);
    }
    json!({
        "account_id": account.account_id,
        "account_holder_name": b.name,
        "account_holder_short_name": b.short_name,
        "beneficiary_id": b.id,
        "beneficiary_type": b.kind,
        "creditor_agent": {
            "scheme_name": "BICFI",
            "identification": b.bank.bic,
            "name": b.bank.name,
            "postal_address": postal,
        },
        "creditor_account": {"scheme_name": "IBAN", "identification": b.iban, "name": b.name},
        "reference": b.reference,
    })
}

/// data.yml's `DirectDebit`.
pub fn direct_debit(entity: &Entity, account: &Account, h: &History, d: &DirectDebit) -> Value {
    json!({
        "entity_id": entity.id,
        "account_id": account.account_id,
        "direct_debit_id": d.id,
        "name": d.name,
        "status_code": "ACTIVE",
        "frequency": "MONTHLY",
        "mandate_identification": d.mandate,
        "previous_payment_date_time": millis(d.previous_at),
        "previous_payment_amount": amount(h.currency, d.previous_amount),
    })
}

/// data.yml's `StandingOrder` (it has no `entity_id`): an open-ended monthly order, so the final
/// payment, its amount, the number of payments and the frequency's interval are null.
pub fn standing_order(entity: &Entity, account: &Account, h: &History, o: &StandingOrder) -> Value {
    let cur = h.currency;
    let bank = generator::bank_of(entity);
    json!({
        "account_id": account.account_id,
        "standing_order_id": o.id,
        "standing_order_status_code": "ACTIVE",
        "standing_order_type": "BETWEEN_MY_ACCOUNTS",
        "purpose": o.purpose,
        "first_payment_date_time": millis(o.first_at),
        "last_payment_date_time": millis(o.last_at),
        "next_payment_date_time": millis(o.next_at),
        "final_payment_date_time": null,
        "frequency": {"frequency_type": "MONTHLY", "interval": null},
        "number_of_payments": null,
        "reference": o.reference,
        "first_payment_amount": amount(cur, o.amount),
        "last_payment_amount": amount(cur, o.amount),
        "next_payment_amount": amount(cur, o.amount),
        "final_payment_amount": null,
        "creditor_agent": {"identification_type": "BICFI", "identification": bic(entity), "name": bank.name},
        "creditor_account": {"scheme_name": "IBAN", "identification": o.to_iban, "name": o.to_name},
    })
}

/// data.yml's `ScheduledPayment`: the account holder's names, the payee's bank as a
/// `CreditorAgent` and its account as an `AccountIdentification`.
pub fn scheduled_payment(
    entity: &Entity,
    account: &Account,
    cur: &str,
    p: &ScheduledPayment,
    to: &Beneficiary,
) -> Value {
    let holder = generator::person(entity);
    json!({
        "entity_id": entity.id,
        "account_id": account.account_id,
        "account_holder_name": holder.full_name(),
        "account_holder_short_name": holder.first,
        "scheduled_payment_id": p.id,
        "scheduled_type": "EXECUTION",
        "scheduled_payment_date_time": millis(p.at),
        "debtor_reference": p.debtor_reference,
        "instructed_amount": amount(cur, p.amount),
        "creditor_agent": {"identification_type": "BICFI", "identification": to.bank.bic, "name": to.bank.name},
        "creditor_account": {"scheme_name": "IBAN", "identification": to.iban, "name": to.name},
    })
}

pub fn identity_v1(entity: &Entity) -> Value {
    let p = generator::person(entity);
    json!({
        "type": "identity",
        "full_name": p.full_name(),
        "mobile_number": p.mobile,
        "email_address": p.email,
        "gender": p.gender,
        "birth_date": p.birth_date.to_string(),
        "national_identity_number": p.national_id,
        "address": format!("{} {}, {}, {}, {}", p.apartment, p.building, p.street, p.area, p.town),
    })
}

/// `data_status` for refresh webhooks (`transaction_availability`) and REST (`transactionAvailability`).
pub fn data_status(entity: &Entity, status: &str, rest: bool, today: NaiveDate) -> Value {
    let has = |p: &str| entity.permissions.iter().any(|g| g == p);
    let state = |p: &str| {
        if !has(p) {
            "UNSUPPORTED"
        } else if status == "PENDING" {
            "PENDING"
        } else {
            "OK"
        }
    };
    let accounts: Vec<Value> = entity
        .accounts
        .iter()
        .map(|a| {
            let start = a.history_start;
            let months = super::complete_months(start, today);
            let mut v = json!({
                "account_id": a.account_id,
                "balance": state("balance"),
                "identity": state("identity"),
                "transactions": state("transactions"),
                "beneficiaries": state("beneficiaries"),
                "direct_debits": state("direct_debits"),
                "standing_orders": state("standing_orders"),
                "scheduled_payments": state("scheduled_payments"),
            });
            if rest {
                v["transactionAvailability"] = json!({"start": start.to_string(), "end": today.to_string()});
            } else {
                v["transaction_availability"] = json!({"start": start.to_string(),
                    "end": today.to_string(), "complete_months": months});
            }
            v
        })
        .collect();
    json!({
        "accounts": state("accounts"),
        "identity": state("identity"),
        "account_data": accounts,
    })
}
