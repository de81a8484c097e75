//! The sandbox's mock-bank test users. Lean gives each app its own five users with
//! different login behaviours; the sandbox uses one fixed set so tests can hard-code them.

use std::time::Duration;

/// Lean's sandbox accepts `1111` for every OTP challenge (REFERENCE §10).
pub const OTP_CODE: &str = "1111";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Credentials are enough.
    Simple,
    /// Needs the one-time code after the password.
    Otp,
    /// The bank reports the online-banking account as locked.
    Locked,
    /// The bank fails with a technical error.
    BankError,
    /// Like `Simple`, but the bank takes a while to answer.
    Slow,
}

pub struct TestUser {
    pub username: &'static str,
    pub password: &'static str,
    pub behaviour: Behaviour,
}

pub const USERS: [TestUser; 5] = [
    TestUser { username: "user_simple", password: "pass_simple", behaviour: Behaviour::Simple },
    TestUser { username: "user_otp", password: "pass_otp", behaviour: Behaviour::Otp },
    TestUser { username: "user_locked", password: "pass_locked", behaviour: Behaviour::Locked },
    TestUser { username: "user_bank_error", password: "pass_bank_error", behaviour: Behaviour::BankError },
    TestUser { username: "user_slow", password: "pass_slow", behaviour: Behaviour::Slow },
];

pub const SLOW_LOGIN: Duration = Duration::from_secs(2);

/// What the mock bank says about a login attempt. `status` values are Lean's
/// LinkSDK secondary statuses (REFERENCE §9.6, §11.4).
#[derive(Debug, PartialEq, Eq)]
pub enum LoginOutcome {
    Ok,
    MfaRequired,
    InvalidMfa,
    InvalidCredentials,
    Failed { status: &'static str, message: &'static str },
}

impl LoginOutcome {
    pub fn status(&self) -> &'static str {
        match self {
            LoginOutcome::Ok => "OK",
            LoginOutcome::MfaRequired => "MFA_REQUIRED",
            LoginOutcome::InvalidMfa => "INVALID_MFA",
            LoginOutcome::InvalidCredentials => "INVALID_CREDENTIALS",
            LoginOutcome::Failed { status, .. } => status,
        }
    }
    pub fn message(&self) -> &'static str {
        match self {
            LoginOutcome::Ok => "Logged in.",
            LoginOutcome::MfaRequired => "Enter the one-time code sent by your bank.",
            LoginOutcome::InvalidMfa => "That code is not right.",
            LoginOutcome::InvalidCredentials => "Invalid username or password",
            LoginOutcome::Failed { message, .. } => message,
        }
    }
}

/// Checks credentials (and the OTP when given). Returns the behaviour too so the caller can
/// apply the slow user's delay where a person would notice it.
pub fn login(username: &str, password: &str, otp: Option<&str>) -> (LoginOutcome, Option<Behaviour>) {
    let Some(user) = USERS.iter().find(|u| u.username == username.trim() && u.password == password) else {
        return (LoginOutcome::InvalidCredentials, None);
    };
    let outcome = match user.behaviour {
        Behaviour::Simple | Behaviour::Slow => LoginOutcome::Ok,
        Behaviour::Otp => match otp.map(str::trim) {
            None | Some("") => LoginOutcome::MfaRequired,
            Some(OTP_CODE) => LoginOutcome::Ok,
            Some(_) => LoginOutcome::InvalidMfa,
        },
        Behaviour::Locked => LoginOutcome::Failed {
            status: "EU_ACCOUNT_LOCKED",
            message: "Your online banking is locked. Please contact your bank to unlock it.",
        },
        Behaviour::BankError => LoginOutcome::Failed {
            status: "BANK_ISSUE",
            message: "Your bank is having technical problems. Please try again later.",
        },
    };
    (outcome, Some(user.behaviour))
}
