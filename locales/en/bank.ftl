# The dashboard (dash-), a bank's data page and its components (bank-), and Link SDK outcomes (flow-).
# Dates stay ISO (YYYY-MM-DD) in both languages; amounts use Latin digits.

## Dashboard
dash-title = Your banks
dash-lead = Connections appear here as soon as Lean confirms them.
dash-empty = No banks connected yet.
dash-empty-hint = Use “Connect a bank” to link one from Lean's sandbox.
dash-history-title = Recent Link SDK outcomes
dash-history-lead = Every time the Link SDK closes, its answer is kept here. Quote the correlation id to Lean support if something went wrong.
dash-history-empty = None yet.
dash-col-when = When (UTC)
dash-col-flow = Flow
dash-col-status = Status
dash-col-detail = Detail
dash-col-exit-point = Exit point
dash-col-correlation = Correlation id

## Bank card (dashboard)
bank-connect = Connect a bank
bank-connecting = Connecting…
bank-connect-again = Connect again
bank-status-active = Active
bank-status-reconnect-required = Reconnect required
bank-status-consent-expired = Consent expired
bank-status-deleted = Disconnected
bank-data-fetching = Fetching data from the bank…
bank-data-ready = Data ready
bank-data-failed = The bank could not provide data
bank-data-refreshing = Data refresh in progress
bank-permissions-granted = Permissions granted
bank-permission-identity = Identity
bank-permission-accounts = Accounts
bank-permission-balance = Balances
bank-permission-transactions = Transactions
bank-permission-payments = Payments
bank-view-data = Accounts and transactions
bank-disconnect = Disconnect
bank-disconnect-question = Disconnect { $bank }? Lean stops sharing its data with this app.
bank-disconnect-yes = Yes, disconnect
bank-disconnect-keep = Keep it

## Bank page
bank-back = ← Your banks
bank-loading = Asking Lean for this bank's data…
bank-not-yours = This bank connection is not one of yours.
bank-the-bank = The bank
bank-pending = Lean is still fetching this data from the bank.
bank-pending-hint = It appears here by itself as soon as Lean says it is ready; there is no need to reload.
bank-failed = { $bank } could not provide this data:
bank-lean-code = Lean's code:
bank-consent-expired = Your consent to share { $bank } data has expired. Connect the bank again to renew it.
bank-reconnect-required = { $bank } needs you to log in again before Lean can fetch new data.
bank-reconnect = Reconnect
bank-reconnecting = Reconnecting…
bank-accounts-title = Accounts
bank-no-accounts = Lean found no accounts at this bank.
bank-kind-current = Current account
bank-kind-savings = Savings
bank-kind-credit-card = Credit card
bank-balance = Balance
bank-balance-available = Available now
bank-balance-booked = Booked balance
bank-transactions-title = Transactions
bank-from = From
bank-to = To
bank-tx-loading = Loading transactions…
bank-tx-empty = No transactions in these dates.
bank-col-date = Date
bank-col-description = Description
bank-col-category = Category
bank-col-amount = Amount
bank-pages-label = Transaction pages
bank-newer = Newer
bank-older = Older
bank-page-of = Page { $page } of { $total }
bank-identity-title = Account holder
bank-identity-name = Name
bank-identity-email = Email
bank-identity-mobile = Mobile
bank-identity-address = Address
bank-refresh = Refresh data
bank-refresh-running = Lean is fetching fresh data from the bank…
bank-refresh-done = Data is up to date.
bank-refresh-failed = The last refresh failed; try again later.
bank-refresh-consent-expired = The consent has expired; connect the bank again.
bank-refresh-reconnect = The bank needs you to log in again.

## Charts
bank-charts-loading = Drawing the last 90 days…
bank-chart-spending-title = Spending by category · last 90 days
bank-chart-balance-title = Balance over time
bank-chart-no-spending = No spending in this period.
bank-chart-not-enough = Not enough history to draw.
bank-chart-spending-label = Spending by category: { $summary }
bank-chart-balance-label = Balance from { $from } to { $to }: { $start } to { $end }; lowest { $low }, highest { $high }
bank-chart-high = High { $amount }
bank-chart-low = Low { $amount }
bank-month-1 = Jan
bank-month-2 = Feb
bank-month-3 = Mar
bank-month-4 = Apr
bank-month-5 = May
bank-month-6 = Jun
bank-month-7 = Jul
bank-month-8 = Aug
bank-month-9 = Sep
bank-month-10 = Oct
bank-month-11 = Nov
bank-month-12 = Dec

## Lean's transaction categories (insights.category)
bank-category-groceries = Groceries
bank-category-restaurants-dining = Restaurants and dining
bank-category-transport = Transport
bank-category-retail = Shopping
bank-category-entertainment = Entertainment
bank-category-health-and-wellbeing = Health and wellbeing
bank-category-travel = Travel
bank-category-money-transfer = Money transfers
bank-category-transfer = Transfers
bank-category-rent-and-services = Rent and services
bank-category-bill-payments = Bills
bank-category-salary-and-revenue = Salary and income
bank-category-loans-and-investment = Loans and investments
bank-category-education = Education
bank-category-other = Other

## Validation (server)
bank-error-date = Enter a date like 2026-01-31.
bank-error-date-order = The start date must not be after the end date.
bank-error-page = That page does not exist.
bank-error-account-id = That is not an account id.
bank-error-entity-id = That is not a bank connection id.
bank-error-no-reconnect = This bank does not need reconnecting.
bank-error-refresh-running = A refresh of this bank is already running; its progress shows here.

## Link SDK outcomes
flow-connected = Bank connected. Lean is confirming it; it will appear below in a moment.
flow-already-connected = { $bank } was already connected. Lean refreshed that connection instead of adding a second one.
flow-renewed = Bank connected again. Its data appears here as soon as Lean confirms the new consent.
flow-cancelled = You closed the bank connection before finishing. Nothing was connected.
flow-error = The bank connection did not complete:
flow-unknown-error = unknown error
flow-other-status = The Link SDK closed with status { $status }.
flow-support-reference = Reference for Lean support:
flow-status-success = Success
flow-status-error = Error
flow-status-cancelled = Cancelled
flow-status-redirect = Redirected
flow-status-closed = Closed
flow-error-method = “{ $method }” is not a Link SDK method.
flow-error-status = “{ $status }” is not a Link SDK status.
flow-error-too-long = The callback data is too long to store.
