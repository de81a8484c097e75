//! The statuses beneficiaries and intent payments move through, and the sandbox's rule for the
//! bank's verdict. Transitions are made in `sources`, `pay`, `account_on_file` and `timers`.

/// A new beneficiary (and a source whose beneficiaries are all new) until the cool-off ends.
pub const COOL_OFF: &str = "AWAITING_BENEFICIARY_COOL_OFF";
pub const ACTIVE: &str = "ACTIVE";
pub const PENDING_WITH_BANK: &str = "PENDING_WITH_BANK";
pub const ACCEPTED_BY_BANK: &str = "ACCEPTED_BY_BANK";
pub const REJECTED_BY_BANK: &str = "REJECTED_BY_BANK";
pub const FAILED: &str = "FAILED";

/// Sandbox outcome rule: cents `.66` → REJECTED_BY_BANK, `.99` → FAILED, else accepted.
/// Keying it on the amount lets a merchant's test pick the outcome without a scenario call.
pub fn bank_outcome(amount: f64) -> &'static str {
    let cents = ((amount * 100.0).round() as i64).rem_euclid(100);
    match cents {
        66 => REJECTED_BY_BANK,
        99 => FAILED,
        _ => ACCEPTED_BY_BANK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_outcomes() {
        assert_eq!(bank_outcome(10.66), REJECTED_BY_BANK);
        assert_eq!(bank_outcome(10.99), FAILED);
        assert_eq!(bank_outcome(10.0), ACCEPTED_BY_BANK);
    }
}
