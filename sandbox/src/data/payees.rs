//! An account's payees and payment instructions: beneficiaries, direct debits, standing orders and
//! scheduled payments (Lean's per-account Data API v2 resources).
//!
//! Like the history, they are deterministic per test user, bank and account (seeded with
//! [`generator::person_key`] and the account's name), and they agree with the history:
//! - direct debits are the two monthly bills the generator books on a current account (utility on
//!   the 5th, telecom on the 10th), with the last collection's date and amount;
//! - the standing order is the monthly transfer from the current account to the savings account
//!   on the 26th, with its first, last and next dates;
//! - scheduled payments are future one-off payments (dated next month) to the account's
//!   beneficiaries; being in the future, they are not in the history.
//!
//! Only current accounts have any: savings accounts and credit cards answer empty lists.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use uuid::Uuid;

use super::generator::{self, History, Kind, Rng, Txn};
use crate::banks::MockBank;
use crate::payments::validation::make_iban;
use crate::state::{Account, Entity};

/// Another local bank, where beneficiaries hold their accounts.
pub struct OtherBank {
    pub name: &'static str,
    pub bic: &'static str,
    /// The bank code that starts the BBAN of its IBANs.
    pub code: &'static str,
    pub street: &'static str,
    pub building_number: &'static str,
    /// None in the UAE, which has no postcodes.
    pub post_code: Option<&'static str>,
    pub town: &'static str,
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
}

const fn uae(
    name: &'static str,
    bic: &'static str,
    code: &'static str,
    street: &'static str,
    town: &'static str,
) -> OtherBank {
    OtherBank { name, bic, code, street, building_number: "1", post_code: None, town, country: "AE" }
}

const fn ksa(
    name: &'static str,
    bic: &'static str,
    code: &'static str,
    street: &'static str,
    building_number: &'static str,
    post_code: &'static str,
) -> OtherBank {
    OtherBank {
        name,
        bic,
        code,
        street,
        building_number,
        post_code: Some(post_code),
        town: "Riyadh",
        country: "SA",
    }
}

const UAE_BANKS: [OtherBank; 5] = [
    uae("Emirates NBD", "EBILAEAD", "026", "Baniyas Road", "Dubai"),
    uae("First Abu Dhabi Bank", "NBADAEAA", "035", "Khalifa Street", "Abu Dhabi"),
    uae("Abu Dhabi Commercial Bank", "ADCBAEAA", "030", "Sheikh Zayed Bin Sultan Street", "Abu Dhabi"),
    uae("Mashreq", "BOMLAEAD", "033", "Al Umniyati Street", "Dubai"),
    uae("Dubai Islamic Bank", "DUIBAEAD", "024", "Al Maktoum Road", "Dubai"),
];

const KSA_BANKS: [OtherBank; 5] = [
    ksa("Saudi National Bank", "NCBKSAJE", "10", "King Abdulaziz Road", "3208", "13519"),
    ksa("Al Rajhi Bank", "RJHISARI", "80", "Olaya Street", "8467", "12263"),
    ksa("Riyad Bank", "RIBLSARI", "20", "Eastern Ring Road", "6775", "13241"),
    ksa("Saudi Awwal Bank", "SABBSARI", "45", "Prince Abdulaziz Bin Musaed Street", "2907", "12283"),
    ksa("Alinma Bank", "INMASARI", "05", "King Fahd Road", "8011", "12214"),
];

const FIRST: [&str; 12] = [
    "Ahmed", "Mohammed", "Omar", "Khalid", "Yousef", "Hamdan", "Fatima", "Aisha", "Mariam", "Noura", "Layla",
    "Sara",
];
const MIDDLE: [&str; 6] = ["Abdullah", "Saeed", "Ali", "Hassan", "Rashid", "Ibrahim"];
const LAST: [&str; 8] =
    ["Al Mansouri", "Al Hashimi", "Al Qahtani", "Al Zaabi", "Al Otaibi", "Haddad", "Al Shamsi", "Al Harbi"];

/// One saved payee of an account.
pub struct Beneficiary {
    pub id: String,
    /// TRUSTED or ORDINARY.
    pub kind: &'static str,
    pub name: String,
    pub short_name: String,
    pub bank: &'static OtherBank,
    pub iban: String,
    pub reference: String,
}

pub struct DirectDebit {
    pub id: Uuid,
    pub name: &'static str,
    pub mandate: String,
    pub previous_at: DateTime<Utc>,
    /// Minor units, positive.
    pub previous_amount: i64,
}

pub struct StandingOrder {
    pub id: String,
    pub purpose: &'static str,
    pub reference: String,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    pub next_at: DateTime<Utc>,
    /// Minor units, positive; the same every month.
    pub amount: i64,
    /// The account it pays into (the entity's savings account).
    pub to_iban: String,
    pub to_name: String,
}

pub struct ScheduledPayment {
    pub id: String,
    pub at: DateTime<Utc>,
    pub debtor_reference: String,
    /// Minor units, positive.
    pub amount: i64,
    /// Index into [`beneficiaries`].
    pub to: usize,
}

fn banks(bank: &MockBank) -> &'static [OtherBank; 5] {
    if bank.country_code == "SAU" {
        &KSA_BANKS
    } else {
        &UAE_BANKS
    }
}

fn seed(entity: &Entity, account: &Account, what: &str) -> Rng {
    let who = generator::person_key(entity);
    Rng::from_parts(&[who.as_bytes(), account.name.as_bytes(), what.as_bytes()])
}

fn business(entity: &Entity) -> bool {
    generator::bank_of(entity).account_type == "BUSINESS"
}

/// An IBAN at `bank` (valid check digits; UAE 23 characters, KSA 24).
fn iban_at(bank: &OtherBank, rng: &mut Rng) -> String {
    let (country, digits) = if bank.country == "SA" { ("SA", 18) } else { ("AE", 16) };
    make_iban(country, &format!("{}{}", bank.code, rng.digits(digits)))
}

/// The account's beneficiaries: for a personal current account a relative (TRUSTED), a friend
/// and a school (sometimes a second friend); for a business current account three suppliers.
/// Other accounts have none.
pub fn beneficiaries(entity: &Entity, account: &Account) -> Vec<Beneficiary> {
    if Kind::of(account) != Kind::Current {
        return Vec::new();
    }
    let bank = generator::bank_of(entity);
    let ksa = bank.country_code == "SAU";
    let others = banks(bank);
    let holder = generator::person(entity);
    let mut rng = seed(entity, account, "beneficiaries");
    let mut out = Vec::new();
    let mut add = |rng: &mut Rng, kind: &'static str, name: String, short_name: String, reference: String| {
        let other = rng.pick(others);
        let iban = iban_at(other, rng);
        out.push(Beneficiary {
            id: rng.uuid().to_string(),
            kind,
            name,
            short_name,
            bank: other,
            iban,
            reference,
        });
    };
    if business(entity) {
        let suppliers: [(&str, &str); 3] = if ksa {
            [
                ("Najd Logistics Co.", "Najd Logistics"),
                ("Riyadh Office Supplies Est.", "Riyadh Office Supplies"),
                ("Al Jazirah Trading Co.", "Al Jazirah Trading"),
            ]
        } else {
            [
                ("Gulf Freight Logistics LLC", "Gulf Freight"),
                ("Emirates Office Supplies LLC", "Emirates Office Supplies"),
                ("Creek Print Solutions FZ LLC", "Creek Print"),
            ]
        };
        for (name, short) in suppliers {
            let reference = format!("SUPPLIER-{}", rng.digits(6));
            add(&mut rng, "TRUSTED", name.to_string(), short.to_string(), reference);
        }
        return out;
    }
    // A relative shares the family name.
    let first = *rng.pick(&FIRST);
    let middle = *rng.pick(&MIDDLE);
    add(
        &mut rng,
        "TRUSTED",
        format!("{first} {middle} {}", holder.last),
        format!("{first} {}", holder.last),
        "FAMILY SUPPORT".to_string(),
    );
    let friends = 1 + usize::from(rng.chance(50));
    for _ in 0..friends {
        let (first, middle, last) = (*rng.pick(&FIRST), *rng.pick(&MIDDLE), *rng.pick(&LAST));
        let reference = format!("TRANSFER {}", rng.digits(4));
        add(&mut rng, "ORDINARY", format!("{first} {middle} {last}"), format!("{first} {last}"), reference);
    }
    let (school, short) = if ksa {
        ("Kingdom Schools Co.", "Kingdom Schools")
    } else {
        ("Emirates International School LLC", "EIS")
    };
    let reference = format!("STUDENT-{}", rng.digits(6));
    add(&mut rng, "ORDINARY", school.to_string(), short.to_string(), reference);
    out
}

/// The direct debits behind the monthly bills of a current account, with their last collection
/// (a bill with no collection in the history yet is left out).
pub fn direct_debits(entity: &Entity, account: &Account, h: &History) -> Vec<DirectDebit> {
    if h.kind != Kind::Current {
        return Vec::new();
    }
    let bank = generator::bank_of(entity);
    let ksa = bank.country_code == "SAU";
    let mut rng = seed(entity, account, "direct-debits");
    let mut out = Vec::new();
    for (description, name, code) in generator::bills(bank) {
        // Drawn for every bill, so that each keeps its id and mandate whatever the history holds.
        let id = rng.uuid();
        let number = rng.digits(8);
        let mandate =
            if ksa { format!("SAMA-DD-{code}-{number}") } else { format!("UAEDDS-{code}-{number}") };
        if let Some(last) = h.txns.iter().rev().find(|t| t.description == description) {
            out.push(DirectDebit {
                id,
                name,
                mandate,
                previous_at: last.booked_at,
                previous_amount: last.amount.abs(),
            });
        }
    }
    out
}

/// The monthly transfer from a current account to the entity's savings account, when both exist
/// and it has run at least once.
pub fn standing_orders(entity: &Entity, account: &Account, h: &History) -> Vec<StandingOrder> {
    if h.kind != Kind::Current {
        return Vec::new();
    }
    let Some(savings) = entity.accounts.iter().find(|a| Kind::of(a) == Kind::Savings) else {
        return Vec::new();
    };
    let runs: Vec<&Txn> = h.txns.iter().filter(|t| t.description == generator::SAVINGS_TRANSFER).collect();
    let (Some(first), Some(last)) = (runs.first(), runs.last()) else { return Vec::new() };
    let mut rng = seed(entity, account, "standing-orders");
    let next_at = last.booked_at.checked_add_months(Months::new(1)).unwrap_or(last.booked_at);
    vec![StandingOrder {
        id: rng.uuid().to_string(),
        purpose: "Monthly transfer to savings",
        reference: format!("SAVINGS-{}", rng.digits(6)),
        first_at: first.booked_at,
        last_at: last.booked_at,
        next_at,
        amount: last.amount.abs(),
        to_iban: savings.iban.clone(),
        to_name: generator::person(entity).full_name(),
    }]
}

/// `day` of the month after `today` at `hour`:00 local time, in UTC.
fn next_month_at(bank: &MockBank, today: NaiveDate, day: u32, hour: i64) -> DateTime<Utc> {
    let first = today.with_day(1).unwrap_or(today).checked_add_months(Months::new(1)).unwrap_or(today);
    let date = first.with_day(day).unwrap_or(first);
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::minutes(hour * 60)
        - Duration::minutes(generator::utc_offset_minutes(bank))
}

/// Future one-off payments from a current account to its beneficiaries, dated next month: a
/// family transfer and school fees (personal), or a supplier invoice (business). Amounts are seeded
/// by the month they fall in.
pub fn scheduled_payments(entity: &Entity, account: &Account, now: DateTime<Utc>) -> Vec<ScheduledPayment> {
    let payees = beneficiaries(entity, account);
    if payees.is_empty() {
        return Vec::new();
    }
    let bank = generator::bank_of(entity);
    let today = now.date_naive();
    // (beneficiary, day of next month, local hour, label, amount range in major units)
    type Plan = (usize, u32, i64, &'static str, (i64, i64));
    let plans: Vec<Plan> = if business(entity) {
        vec![(0, 5, 11, "INV", (5_000, 40_000))]
    } else {
        vec![
            (0, 2, 9, "FAMILY SUPPORT", (1_000, 3_000)),
            (payees.len() - 1, 15, 10, "SCHOOL FEES", (3_500, 9_000)),
        ]
    };
    plans
        .into_iter()
        .map(|(to, day, hour, label, (lo, hi))| {
            let at = next_month_at(bank, today, day, hour);
            let month = at.format("%Y-%m").to_string();
            let mut rng = Rng::from_parts(&[
                generator::person_key(entity).as_bytes(),
                account.name.as_bytes(),
                b"scheduled-payments",
                label.as_bytes(),
                month.as_bytes(),
            ]);
            let amount = rng.range(lo / 50, hi / 50) * 50 * 100;
            let debtor_reference = if label == "INV" {
                format!("INV-{}", rng.digits(6))
            } else {
                format!("{label} {}", at.format("%b %Y").to_string().to_uppercase())
            };
            ScheduledPayment { id: rng.uuid().to_string(), at, debtor_reference, amount, to }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_banks_get_valid_ibans() {
        let mut rng = Rng::from_parts(&[b"t"]);
        for b in UAE_BANKS.iter().chain(KSA_BANKS.iter()) {
            let iban = iban_at(b, &mut rng);
            assert!(crate::payments::validation::valid_iban(&iban), "{iban}");
            assert_eq!(iban.len(), if b.country == "SA" { 24 } else { 23 });
        }
    }

    #[test]
    fn next_month_is_in_the_future() {
        let bank = &crate::banks::BANKS[0];
        let now = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap().and_hms_opt(23, 59, 0).unwrap().and_utc();
        let at = next_month_at(bank, now.date_naive(), 2, 9);
        assert_eq!(at.to_rfc3339(), "2026-01-02T05:00:00+00:00");
        assert!(at > now);
    }
}
