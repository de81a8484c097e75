-- The user's full name as their bank holds it, asked for on the payments page and sent to Lean's
-- verifyAddress as `customer_name`. Sign-up asks only for an email, so this is kept apart from users.
CREATE TABLE user_profiles (
    user_id    TEXT PRIMARY KEY REFERENCES users(id),
    full_name  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
