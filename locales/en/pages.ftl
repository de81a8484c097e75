# Pages: home, sign-in and sign-up, developer console, sandbox panel, diagnostics, not found.

## Developer console (console-)
console-title = Developer console
console-intro = Webhooks this app received and the calls it made to Lean, newest first, live as they happen. Tokens, secrets and signature values are never shown.
console-scope-own = You see your own calls and webhooks: those made for you and those about your Lean customer. Other people's, and app-wide ones, are for the app's admins.
console-scope-everyone = { $refused ->
    [0] Admin view: every user's calls and webhooks. No webhook has been refused for its signature since the app started.
    [one] Admin view: every user's calls and webhooks. One webhook has been refused for its signature since the app started.
   *[other] Admin view: every user's calls and webhooks. { $refused } webhooks have been refused for their signature since the app started; a sample is listed.
}
console-loading = Loading the console…
console-forbidden = Only administrators (ADMIN_EMAILS) can open the developer console.
console-webhooks-title = Inbound webhooks
console-webhooks-caption = Webhooks received from Lean, newest first
console-calls-title = Outbound Lean API calls
console-calls-caption = Calls this app made to Lean's API, newest first
console-col-received = Received
console-col-type = Type
console-col-event-id = Event id
console-col-signature = Signature
console-col-processing = Processing
console-col-actions = Actions
console-col-when = When
console-col-method = Method
console-col-path = Path
console-col-status = Status
console-col-latency = Latency
console-no-webhooks = No webhooks yet. Connect a bank, or send a test webhook.
console-no-calls = No calls to Lean yet.
console-no-webhooks-match = No webhooks match this selection.
console-no-calls-match = No calls match this selection.
console-filter-invalid = The console cannot show that selection: pick a type and a state from the lists.
console-failed-calls-only = Failed calls only
console-pages-webhooks = Pages of webhooks
console-pages-calls = Pages of calls to Lean
console-newest = Newest
console-older = Older
console-filter-type = Type
console-filter-status = State
console-filter-all = All
console-status-received = received
console-status-processing = processing
console-status-processed = processed
console-status-failed = failed
console-status-rejected = rejected
console-verdict-valid = Valid signature
console-verdict-rejected = Rejected: { $reason }
console-reject-missing = the lean-signature header is missing
console-reject-malformed = the lean-signature header is not sha512=<hex>
console-reject-mismatch = the signature does not match the body
console-refused-note = Answered 401; the { $bytes ->
    [one] { $bytes } byte
   *[other] { $bytes } byte
} body was not stored.
console-attempts = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
}
console-replay = Replay
console-replay-label = Replay webhook { $id }
console-replay-started = Replaying: the worker applies the webhook again; its row updates here.
console-replay-malformed = This body is not a Lean event, so applying it again cannot help.
console-replay-busy = This webhook is being applied right now; try again in a moment.
console-the-webhook = That webhook
console-payload = Payload
console-payload-label = Webhook payload
console-no-answer = no answer
console-latency = { $ms } ms
console-test-type = Event type
console-test-send = Send a signed test webhook
console-test-type-invalid = Choose one of the listed event types.
console-test-accepted = Sent { $type } ({ $id }); the endpoint verified the signature and accepted it.
console-test-answered = Sent { $type } ({ $id }); the endpoint answered { $status }.

## Sandbox panel (panel-)
panel-title = Sandbox panel
panel-intro = The embedded Lean sandbox: its test users, and switches that make Lean answer the way you need for a demo. Everything here changes only the local sandbox.
panel-embedded-only = The sandbox panel exists only with the embedded sandbox.
panel-the-panel = The sandbox panel
panel-users-title = Test users
panel-users-hint = Log in to Lean Mockbank with these. The one-time code is always:
panel-col-user = User
panel-col-password = Password
panel-col-behaviour = Behaviour
panel-behaviour-simple = Logs straight in.
panel-behaviour-otp = Asks for a one-time code: 1111.
panel-behaviour-locked = The bank says the account is locked.
panel-behaviour-bank-error = The bank has a technical problem.
panel-behaviour-slow = Logs in after a 2-second delay.
panel-expire-title = Expire a bank session
panel-expire-hint = The bank logs the user out: their banks answer RECONNECT_REQUIRED until they reconnect.
panel-test-user = Test user
panel-expire-button = Expire session
panel-expired = { $count ->
    [0] The bank logged { $user } out. None of your banks is connected with { $user }, so nothing of yours changed.
    [one] The bank logged { $user } out: your bank connected with { $user } now asks you to log in again (RECONNECT_REQUIRED). Its card on the dashboard says so.
   *[other] The bank logged { $user } out: your { $count } banks connected with { $user } now ask you to log in again (RECONNECT_REQUIRED). Their cards on the dashboard say so.
}
panel-next-title = Next data call
panel-next-hint = One-shot: the next time the app reads this bank's data, Lean answers this way.
panel-bank = Bank
panel-outcome = Outcome
panel-code = Code (FAILED)
panel-next-button = Set next call
panel-no-banks = Connect a bank first; then you can script its next data call.
panel-how-pending = PENDING (the bank is still preparing the data)
panel-next-call-set = The next data call for { $bank } will end { $how }. Open the bank's page to see it.
panel-fault-title = Inject a fault
panel-fault-hint = Lean's API answers with errors or slowly, for a share of calls. The app retries reads.
panel-fault = Fault
panel-fault-option-500 = 500 Internal server error
panel-fault-option-429 = 429 Rate limited
panel-fault-option-latency = Added latency
panel-rate = Rate (0–1)
panel-latency = Latency (ms)
panel-fault-button = Inject
panel-fault-500 = { $percent }% of Lean API calls now fail with 500 INTERNAL_SERVER_ERROR.
panel-fault-429 = { $percent }% of Lean API calls are now refused with 429 RATE_LIMIT_EXCEEDED.
panel-fault-latency = { $percent }% of Lean API calls now take { $ms } ms longer.
panel-fault-clear-hint = Clear the scenarios to stop it.
panel-clear-title = Clear scenarios
panel-clear-button = Clear all scenarios
panel-cleared = All scenarios are cleared: the sandbox behaves normally again. Expired sessions stay expired until the user reconnects.
panel-choose-test-user = Choose one of the test users.
panel-choose-own-bank = Choose one of your own banks.
panel-choose-outcome = Choose one of the listed outcomes.
panel-choose-code = Choose one of the listed codes.
panel-rate-invalid = The rate is a number from 0 to 1.
panel-latency-invalid = The delay is 0 to 60000 milliseconds.
panel-fault-invalid = Choose a fault: 500, 429 or latency.
panel-no-reason = no reason given
panel-sandbox-refused = The sandbox refused ({ $status }): { $message }

## Diagnostics (diag-)
diag-title = Diagnostics
diag-intro = What this server sees of its configuration and of Lean. Secret values are never shown.
diag-running = Running the checks…
diag-forbidden = Only administrators (ADMIN_EMAILS) can see diagnostics.
diag-database-ok = The database answers.
diag-lean-ok = Lean issued a token: the credentials work.
diag-ok = OK
diag-failing = Failing
diag-checks-title = Checks
diag-check-database = Database
diag-check-lean = Lean credentials
diag-register-title = Register in Lean's dashboard
diag-webhook-url = Webhook URL (Development → Webhooks)
diag-redirect-urls = Redirect URLs (Integration settings)
diag-lean-env = Lean environment:
diag-last-webhook-title = Last webhook received
diag-none-yet = None yet.
diag-settings-title = Settings
diag-col-variable = Variable
diag-col-state = State
diag-set = set
diag-not-set = not set (default)
diag-catch-up = Catch up missed webhooks now
diag-caught-up-nothing = { $seen ->
    [one] Checked { $seen } event from Lean: nothing was missing.
   *[other] Checked { $seen } events from Lean: nothing was missing.
}
diag-caught-up = Checked { $seen } events from Lean: { $new ->
    [one] { $new } was missing and is being applied.
   *[other] { $new } were missing and are being applied.
}

## Home (home-)
home-title = Link a bank account in under a minute
home-lead = lean-merchant shows every step of Lean's open-banking Link SDK: sign in, connect a bank, and watch the connection arrive live as Lean's signed webhooks come in.
home-create-account = Create an account
home-sign-in = Sign in
home-step-sign-up = Sign up
home-step-sign-up-detail = we create your Lean customer.
home-step-connect = Connect a bank
home-step-connect-detail = Lean's Link SDK opens over this page.
home-step-live = See it live
home-step-live-detail = the bank appears when Lean's webhook lands.

## Sign in and sign up (auth-)
auth-sign-in-title = Sign in
auth-sign-in-submit = Sign in
auth-new-here = New here?
auth-create-account-link = Create an account
auth-sign-up-title = Create your account
auth-sign-up-intro = You'll connect a sandbox bank next. No real bank details are needed.
auth-sign-up-submit = Create account
auth-have-account = Already have an account?
auth-sign-in-link = Sign in
auth-email = Email
auth-password = Password
auth-please-wait = Please wait…
auth-email-invalid = Enter an email address like name@example.com.
auth-password-too-short = Use a password of at least 8 characters.
auth-password-too-long = Use a password of at most 128 characters.
auth-password-missing = Enter your password.

## Page not found (notfound-)
notfound-title = Page not found
notfound-text = There is nothing at this address.
notfound-home-link = Go to the start page
