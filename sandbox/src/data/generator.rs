//! Deterministic mock-bank data: the same test user at the same bank always gets the same history,
//! whichever customer or entity connects them (as with Lean's own per-app test users).
//!
//! Every calendar day of an account's history is generated from its own seed
//! (bank, test user, account, date), so extending the window to "today" never changes earlier days,
//! and the opening balance is fixed per account. Amounts are kept in minor units (fils/halalas)
//! so that `closing = opening + Σ transactions` holds exactly.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use uuid::Uuid;

use crate::banks::MockBank;
use crate::state::{Account, Entity};

/// splitmix64: tiny, fast, and good enough for believable mock data.
pub struct Rng(u64);

impl Rng {
    pub fn from_parts(parts: &[&[u8]]) -> Rng {
        // FNV-1a over the parts, separated so ("ab","c") != ("a","bc").
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in parts {
            for b in part.iter().chain([0xffu8].iter()) {
                h ^= u64::from(*b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        Rng(h)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo + 1).max(1) as u64;
        lo + (self.next_u64() % span) as i64
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
    /// A v4-shaped UUID from the stream.
    pub fn uuid(&mut self) -> Uuid {
        let hi = self.next_u64().to_be_bytes();
        let lo = self.next_u64().to_be_bytes();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&hi);
        bytes[8..].copy_from_slice(&lo);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
    pub fn alnum(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        (0..len).map(|_| char::from(*self.pick(CHARS))).collect()
    }
    pub fn digits(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from(b'0' + self.range(0, 9) as u8)).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Current,
    Savings,
    CreditCard,
}

impl Kind {
    pub fn of(account: &Account) -> Kind {
        let name = account.name.to_ascii_lowercase();
        if name.contains("credit") {
            Kind::CreditCard
        } else if name.contains("saving") {
            Kind::Savings
        } else {
            Kind::Current
        }
    }
    /// Lean's `account_sub_type`.
    pub fn sub_type(self) -> &'static str {
        match self {
            Kind::Current => "CURRENT",
            Kind::Savings => "SAVINGS",
            Kind::CreditCard => "CREDIT",
        }
    }
    /// The v1 `type` field.
    pub fn v1_type(self) -> &'static str {
        match self {
            Kind::Current => "CURRENT",
            Kind::Savings => "SAVINGS",
            Kind::CreditCard => "CREDIT_CARD",
        }
    }
}

/// One generated transaction. `amount` is signed, in minor units.
#[derive(Clone, Debug)]
pub struct Txn {
    pub id: Uuid,
    pub booked_at: DateTime<Utc>,
    pub amount: i64,
    pub description: String,
    pub merchant: Option<String>,
    pub mcc: Option<&'static str>,
    /// Lean's insights category (SALARY_AND_REVENUE, GROCERIES, ...).
    pub category: &'static str,
    pub transaction_type: &'static str,
    pub sub_type: &'static str,
    pub reference: String,
    /// Balance right after this transaction, minor units.
    pub balance_after: i64,
    /// Position within its booking day, from 0.
    pub index: u32,
}

/// A day's transaction before booking: (local minute-of-day, signed amount, description,
/// merchant, category, transaction type, sub type).
type Draft = (i64, i64, String, Option<&'static Merchant>, &'static str, &'static str, &'static str);

pub struct History {
    pub kind: Kind,
    pub currency: &'static str,
    pub opening: i64,
    pub opening_at: DateTime<Utc>,
    /// Oldest first.
    pub txns: Vec<Txn>,
    pub closing: i64,
    /// Credit limit for cards, minor units.
    pub credit_limit: i64,
}

struct Merchant {
    name: &'static str,
    mcc: &'static str,
    category: &'static str,
    /// Typical spend range in major units.
    lo: i64,
    hi: i64,
    tx_type: &'static str,
}

const fn m(
    name: &'static str,
    mcc: &'static str,
    category: &'static str,
    lo: i64,
    hi: i64,
    tx_type: &'static str,
) -> Merchant {
    Merchant { name, mcc, category, lo, hi, tx_type }
}

const UAE_MERCHANTS: [Merchant; 16] = [
    m("CARREFOUR MOE", "5411", "GROCERIES", 45, 420, "POS"),
    m("LULU HYPERMARKET", "5411", "GROCERIES", 30, 350, "POS"),
    m("SPINNEYS JUMEIRAH", "5411", "GROCERIES", 25, 260, "POS"),
    m("STARBUCKS DUBAI MALL", "5814", "RESTAURANTS_DINING", 18, 65, "POS"),
    m("TALABAT.COM", "5812", "RESTAURANTS_DINING", 35, 180, "E_COMMERCE"),
    m("DELIVEROO AE", "5812", "RESTAURANTS_DINING", 40, 160, "E_COMMERCE"),
    m("CAREEM RIDE", "4121", "TRANSPORT", 15, 90, "E_COMMERCE"),
    m("ENOC STATION", "5541", "TRANSPORT", 80, 220, "POS"),
    m("RTA NOL TOPUP", "4111", "TRANSPORT", 20, 100, "E_COMMERCE"),
    m("AMAZON.AE", "5942", "RETAIL", 40, 900, "E_COMMERCE"),
    m("NOON.COM", "5311", "RETAIL", 30, 700, "E_COMMERCE"),
    m("IKEA DUBAI FESTIVAL", "5712", "RETAIL", 60, 1500, "POS"),
    m("VOX CINEMAS", "7832", "ENTERTAINMENT", 45, 160, "POS"),
    m("ASTER PHARMACY", "5912", "HEALTH_AND_WELLBEING", 20, 240, "POS"),
    m("FITNESS FIRST", "7997", "HEALTH_AND_WELLBEING", 250, 450, "E_COMMERCE"),
    m("EMIRATES AIRLINE", "4511", "TRAVEL", 900, 3800, "E_COMMERCE"),
];

const KSA_MERCHANTS: [Merchant; 16] = [
    m("PANDA RETAIL CO", "5411", "GROCERIES", 40, 400, "POS"),
    m("DANUBE HYPERMARKET", "5411", "GROCERIES", 35, 380, "POS"),
    m("TAMIMI MARKETS", "5411", "GROCERIES", 25, 250, "POS"),
    m("BARNS COFFEE", "5814", "RESTAURANTS_DINING", 12, 45, "POS"),
    m("HUNGERSTATION", "5812", "RESTAURANTS_DINING", 35, 170, "E_COMMERCE"),
    m("JAHEZ", "5812", "RESTAURANTS_DINING", 30, 150, "E_COMMERCE"),
    m("UBER SA", "4121", "TRANSPORT", 15, 95, "E_COMMERCE"),
    m("ALDREES PETROLEUM", "5541", "TRANSPORT", 60, 180, "POS"),
    m("CAREEM SA", "4121", "TRANSPORT", 15, 80, "E_COMMERCE"),
    m("AMAZON.SA", "5942", "RETAIL", 40, 850, "E_COMMERCE"),
    m("NOON SA", "5311", "RETAIL", 30, 650, "E_COMMERCE"),
    m("JARIR BOOKSTORE", "5942", "RETAIL", 50, 1200, "POS"),
    m("MUVI CINEMAS", "7832", "ENTERTAINMENT", 40, 150, "POS"),
    m("NAHDI PHARMACY", "5912", "HEALTH_AND_WELLBEING", 20, 230, "POS"),
    m("FITNESS TIME", "7997", "HEALTH_AND_WELLBEING", 200, 400, "E_COMMERCE"),
    m("SAUDIA AIRLINES", "4511", "TRAVEL", 700, 3500, "E_COMMERCE"),
];

/// How the monthly transfer from a current account to savings is described (a standing order; see
/// `super::payees`).
pub const SAVINGS_TRANSFER: &str = "TRANSFER TO SAVINGS ACCOUNT";

/// The monthly bills the generator books on current accounts (the 5th and the 10th), as
/// `(transaction description, biller's name, biller's short code)`: the direct debits behind them.
pub fn bills(bank: &MockBank) -> [(&'static str, &'static str, &'static str); 2] {
    let loc = locale(bank);
    if bank.country_code == "SAU" {
        [(loc.utility, "Saudi Electricity Company", "SEC"), (loc.telecom, "stc", "STC")]
    } else {
        [
            (loc.utility, "Dubai Electricity and Water Authority", "DEWA"),
            (loc.telecom, "Etisalat by e&", "ETISALAT"),
        ]
    }
}

/// The bank's local time as minutes east of UTC (the generator books in local time).
pub fn utc_offset_minutes(bank: &MockBank) -> i64 {
    locale(bank).utc_offset_minutes
}

struct Locale {
    currency: &'static str,
    merchants: &'static [Merchant],
    employer: &'static str,
    utility: &'static str,
    telecom: &'static str,
    landlord: &'static str,
    utc_offset_minutes: i64,
}

fn locale(bank: &MockBank) -> Locale {
    if bank.country_code == "SAU" {
        Locale {
            currency: "SAR",
            merchants: &KSA_MERCHANTS,
            employer: "PAYROLL ARAMCO SERVICES CO",
            utility: "SAUDI ELECTRICITY CO",
            telecom: "STC BILL PAYMENT",
            landlord: "EJAR RENT PAYMENT",
            utc_offset_minutes: 180,
        }
    } else {
        Locale {
            currency: "AED",
            merchants: &UAE_MERCHANTS,
            employer: "SALARY EMIRATES NBD PAYROLL",
            utility: "DEWA BILL PAYMENT",
            telecom: "ETISALAT BILL PAYMENT",
            landlord: "RENT CHEQUE EMAAR",
            utc_offset_minutes: 240,
        }
    }
}

fn at(day: NaiveDate, hour: i64, minute: i64) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::minutes(hour * 60 + minute)
}

/// The bank the entity is connected to (falls back to the first UAE mock bank).
pub fn bank_of(entity: &Entity) -> &'static MockBank {
    crate::banks::BANKS
        .iter()
        .find(|b| b.identifier == entity.bank_identifier)
        .unwrap_or(&crate::banks::BANKS[0])
}

/// Whose data this is: the bank and the test user who connected it (older state without the user
/// falls back to the entity).
pub fn person_key(entity: &Entity) -> String {
    let user = entity.connected_by.clone().unwrap_or_else(|| entity.id.to_string());
    format!("{}:{user}", entity.bank_identifier)
}

/// The account's history from `history_start` up to `now` (nothing is booked in the future).
pub fn history(entity: &Entity, account: &Account, now: DateTime<Utc>) -> History {
    let until = now.date_naive();
    let bank = bank_of(entity);
    let loc = locale(bank);
    let kind = Kind::of(account);
    let who = person_key(entity);
    let ids: [&[u8]; 2] = [who.as_bytes(), account.name.as_bytes()];
    let mut base = Rng::from_parts(&ids);
    let salary = base.range(18_000, 35_000) * 100;
    // Spending follows income, so balances drift only a little month to month.
    let rent = salary / 4 / 10_000 * 10_000;
    let saving_transfer = salary / 10 / 10_000 * 10_000;
    let lifestyle = salary as f64 / 2_000_000.0;
    let credit_limit = base.range(2, 6) * 10_000 * 100;
    let opening = match kind {
        Kind::Current => base.range(8_000, 25_000) * 100 + base.range(0, 99),
        Kind::Savings => base.range(20_000, 120_000) * 100 + base.range(0, 99),
        Kind::CreditCard => -(base.range(500, 4_000) * 100 + base.range(0, 99)),
    };
    let start = account.history_start;
    let mut balance = opening;
    let mut txns = Vec::new();
    let mut last_cycle_spend: i64 = 0;
    let mut cycle_spend: i64 = 0;

    let mut day = start;
    while day <= until {
        let date_str = day.to_string();
        let mut rng = Rng::from_parts(&[ids[0], ids[1], date_str.as_bytes()]);
        let mut today: Vec<Draft> = Vec::new();
        let dom = day.day();
        match kind {
            Kind::Current => {
                if dom == 25 {
                    today.push((
                        7 * 60 + 5,
                        salary,
                        format!("{} {}", loc.employer, day.format("%b %Y").to_string().to_uppercase()),
                        None,
                        "SALARY_AND_REVENUE",
                        "LOCAL_BANK_TRANSFER",
                        "DEPOSIT",
                    ));
                }
                if dom == 1 {
                    today.push((
                        9 * 60,
                        -rent,
                        loc.landlord.to_string(),
                        None,
                        "RENT_AND_SERVICES",
                        "CHEQUE",
                        "MONEY_TRANSFER",
                    ));
                }
                if dom == 5 {
                    today.push((
                        10 * 60 + 12,
                        -(rng.range(350, 950) * 100 + rng.range(0, 99)),
                        loc.utility.to_string(),
                        None,
                        "RENT_AND_SERVICES",
                        "BILL_PAYMENTS",
                        "MONEY_TRANSFER",
                    ));
                }
                if dom == 10 {
                    today.push((
                        11 * 60 + 40,
                        -(rng.range(199, 449) * 100),
                        loc.telecom.to_string(),
                        None,
                        "RENT_AND_SERVICES",
                        "BILL_PAYMENTS",
                        "MONEY_TRANSFER",
                    ));
                }
                if dom == 26 {
                    today.push((
                        8 * 60 + 30,
                        -saving_transfer,
                        SAVINGS_TRANSFER.to_string(),
                        None,
                        "TRANSFER",
                        "SAME_BANK_TRANSFER",
                        "MONEY_TRANSFER",
                    ));
                }
                if rng.chance(6) {
                    today.push((
                        rng.range(9 * 60, 21 * 60),
                        -(rng.range(2, 10) * 100 * 100),
                        "ATM CASH WITHDRAWAL".to_string(),
                        None,
                        "OTHER",
                        "ATM",
                        "WITHDRAWAL",
                    ));
                }
                let n = rng.range(0, 2) + i64::from(rng.chance(50));
                for _ in 0..n {
                    let merchant = rng.pick(loc.merchants);
                    if merchant.category == "TRAVEL" && !rng.chance(10) {
                        continue;
                    }
                    let amount =
                        (rng.range(merchant.lo * 100, merchant.hi * 100) as f64 * lifestyle).round() as i64;
                    today.push((
                        rng.range(8 * 60, 23 * 60),
                        -amount,
                        format!("{} {}", merchant.name, loc.currency),
                        Some(merchant),
                        merchant.category,
                        merchant.tx_type,
                        "PURCHASE",
                    ));
                }
            }
            Kind::Savings => {
                if dom == 26 {
                    today.push((
                        8 * 60 + 31,
                        saving_transfer,
                        "TRANSFER FROM CURRENT ACCOUNT".to_string(),
                        None,
                        "TRANSFER",
                        "SAME_BANK_TRANSFER",
                        "DEPOSIT",
                    ));
                }
                if day.succ_opt().map(|d| d.month() != day.month()).unwrap_or(false) && balance > 0 {
                    // ~2.5% a year, paid monthly.
                    let profit = balance * 25 / 1000 / 12;
                    today.push((
                        23 * 60 + 50,
                        profit,
                        "PROFIT CREDIT".to_string(),
                        None,
                        "LOANS_AND_INVESTMENT",
                        "OTHER",
                        "PROFIT",
                    ));
                }
                if rng.chance(2) {
                    today.push((
                        rng.range(9 * 60, 20 * 60),
                        -(rng.range(5, 30) * 100 * 100),
                        "TRANSFER TO CURRENT ACCOUNT".to_string(),
                        None,
                        "TRANSFER",
                        "SAME_BANK_TRANSFER",
                        "MONEY_TRANSFER",
                    ));
                }
            }
            Kind::CreditCard => {
                if dom == 15 {
                    let due = if last_cycle_spend > 0 { last_cycle_spend } else { (-balance).max(0) };
                    if due > 0 {
                        today.push((
                            12 * 60,
                            due,
                            "CARD PAYMENT RECEIVED - THANK YOU".to_string(),
                            None,
                            "TRANSFER",
                            "SAME_BANK_TRANSFER",
                            "REPAYMENTS",
                        ));
                    }
                    last_cycle_spend = cycle_spend;
                    cycle_spend = 0;
                }
                let n = rng.range(0, 2);
                for _ in 0..n {
                    let merchant = rng.pick(loc.merchants);
                    if merchant.category == "TRAVEL" && !rng.chance(20) {
                        continue;
                    }
                    let amount = rng.range(merchant.lo * 100, merchant.hi * 100);
                    cycle_spend += amount;
                    today.push((
                        rng.range(8 * 60, 23 * 60),
                        -amount,
                        format!("{} {}", merchant.name, loc.currency),
                        Some(merchant),
                        merchant.category,
                        merchant.tx_type,
                        "PURCHASE",
                    ));
                }
            }
        }
        today.sort_by_key(|t| t.0);
        for (index, (minute, amount, description, merchant, category, tx_type, sub_type)) in
            today.into_iter().enumerate()
        {
            // Minutes are local time; Lean reports UTC.
            let booked_at = at(day, 0, minute - loc.utc_offset_minutes);
            if booked_at > now {
                break;
            }
            balance += amount;
            txns.push(Txn {
                id: rng.uuid(),
                booked_at,
                amount,
                description,
                merchant: merchant.map(|m| m.name.to_string()),
                mcc: merchant.map(|m| m.mcc),
                category,
                transaction_type: tx_type,
                sub_type,
                reference: rng.alnum(12),
                balance_after: balance,
                index: index as u32,
            });
        }
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    History {
        kind,
        currency: loc.currency,
        opening,
        opening_at: at(start, 0, 0),
        txns,
        closing: balance,
        credit_limit: if kind == Kind::CreditCard { credit_limit } else { 0 },
    }
}

pub struct Person {
    pub first: &'static str,
    pub last: &'static str,
    pub gender: &'static str,
    pub birth_date: NaiveDate,
    pub national_id: String,
    pub mobile: String,
    pub email: String,
    pub building: String,
    pub street: &'static str,
    pub area: &'static str,
    pub town: &'static str,
    pub region: &'static str,
    pub country: &'static str,
    pub post_code: String,
    pub po_box: String,
    pub apartment: String,
    pub party_id: String,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// The account holder behind an entity; deterministic per entity.
pub fn person(entity: &Entity) -> Person {
    let bank = bank_of(entity);
    // The same test user is the same person at every bank.
    let user = entity.connected_by.clone().unwrap_or_else(|| entity.id.to_string());
    let mut rng = Rng::from_parts(&[user.as_bytes(), b"identity"]);
    const FIRST: [(&str, &str); 10] = [
        ("Ahmed", "MALE"),
        ("Mohammed", "MALE"),
        ("Omar", "MALE"),
        ("Khalid", "MALE"),
        ("Yousef", "MALE"),
        ("Fatima", "FEMALE"),
        ("Aisha", "FEMALE"),
        ("Mariam", "FEMALE"),
        ("Noura", "FEMALE"),
        ("Layla", "FEMALE"),
    ];
    const LAST: [&str; 8] = [
        "Al Mansouri",
        "Al Hashimi",
        "Al Qahtani",
        "Al Zaabi",
        "Al Otaibi",
        "Haddad",
        "Al Shamsi",
        "Al Harbi",
    ];
    let (first, gender) = *rng.pick(&FIRST);
    let last = *rng.pick(&LAST);
    let year = rng.range(1970, 2000) as i32;
    let birth_date =
        NaiveDate::from_ymd_opt(year, rng.range(1, 12) as u32, rng.range(1, 28) as u32).unwrap_or_default();
    let email = format!(
        "{}.{}{}@example.com",
        first.to_lowercase(),
        last.to_lowercase().replace(' ', ""),
        rng.range(10, 99)
    );
    let ksa = bank.country_code == "SAU";
    let (national_id, mobile, street, area, town, region, country) = if ksa {
        (
            format!("1{}", rng.digits(9)),
            format!("+9665{}", rng.digits(8)),
            "King Fahd Road",
            "Al Olaya",
            "Riyadh",
            "Riyadh Province",
            "SA",
        )
    } else {
        (
            format!("784-{year}-{}-{}", rng.digits(7), rng.digits(1)),
            format!("+9715{}", rng.digits(8)),
            "Sheikh Zayed Road",
            "Al Barsha",
            "Dubai",
            "Dubai",
            "AE",
        )
    };
    Person {
        first,
        last,
        gender,
        birth_date,
        national_id,
        mobile,
        email,
        building: format!("Tower {}", rng.range(1, 40)),
        street,
        area,
        town,
        region,
        country,
        post_code: rng.digits(5),
        po_box: rng.digits(5),
        apartment: rng.range(101, 2404).to_string(),
        party_id: format!("PT_{}", rng.digits(16)),
    }
}
