pub mod bank;
pub mod dashboard;
pub mod diagnostics;
pub mod home;
pub mod not_found;
pub mod sign_in;
pub mod sign_up;
