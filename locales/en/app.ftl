# The page frame: header, navigation, footer, language switch, shared words.
app-name = lean-merchant
skip-to-content = Skip to content
footer-note = lean-merchant — a reference app for Lean's Link SDK. Sandbox data only; no real money moves.
nav-account = Account
nav-dashboard = Dashboard
nav-payments = Payments
nav-consents = Consents
nav-diagnostics = Diagnostics
nav-console = Console
nav-sandbox = Sandbox
nav-signed-in = Signed in
nav-sign-out = Sign out
nav-sign-in = Sign in
nav-create-account = Create account
lang-switch-label = Language
lang-switch-to = عرض الصفحة بالعربية

# Shared words
loading = Loading…
live-connecting = Connecting…
live-live = Live
live-reconnecting = Reconnecting…
try-again = Try again
cancel = Cancel
close = Close
bank-accounts-count = { $count ->
    [one] { $count } account
   *[other] { $count } accounts
}

# AppError, shown in plain words
error-sign-in-required = Please sign in to continue.
error-bad-credentials = That email and password do not match an account.
error-email-taken = An account with this email already exists. Sign in instead.
error-forbidden = That belongs to another account, so it cannot be used here.
error-not-found = { $what } was not found.
error-lean = Lean refused the request: { $message } ({ $code })
error-lean-unavailable = Lean could not be reached. Please try again in a moment.
error-internal = Something went wrong on our side. Please try again.
error-too-many-attempts = { $seconds ->
    [one] Too many attempts. Please wait a second and try again.
   *[other] Too many attempts. Please wait { $seconds } seconds and try again.
}
error-busy = The server is busy. Please try again in a few seconds.
error-cross-origin = This request came from another website, so it was refused. Go back to the app and try again from there.
error-too-large = That is more than this app accepts. Please shorten it and try again.
error-transport = The server could not be reached: { $detail }

# The Link SDK itself
sdk-not-loaded = The Lean Link SDK did not load. Check your connection and reload the page.
sdk-launch-refused = The Lean Link SDK refused to start: { $detail }
sdk-unreadable-callback = The SDK returned data this app could not read.
flow-not-saved = The outcome could not be saved: { $error }
