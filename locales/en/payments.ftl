# The payments page: destinations, payment intents, pay / checkout, payment sources, verifyAddress.
pay-title = Payments
pay-subtitle = Pay your own destinations through Lean. Statuses follow Lean's webhooks live.

# Payment history
pay-history-title = Payment history
pay-history-loading = Loading payments…
pay-history-empty = No payments yet.
pay-col-created = Created
pay-col-to = To
pay-col-amount = Amount
pay-col-status = Status
pay-col-pay = Pay
pay-col-name = Name
pay-col-currency = Currency
pay-col-bank = Bank
pay-col-recipients = Recipients
pay-with-bank = Pay with bank
pay-with-open-finance = Pay with Open Finance

# Lean's payment statuses
pay-status-intent-created = Not paid yet
pay-status-pending-with-bank = Waiting for the bank
pay-status-accepted-by-bank = Paid: the bank accepted it
pay-status-rejected-by-bank = The bank rejected the payment
pay-status-failed = The payment failed
pay-status-unknown = Unknown status

# How a Link SDK flow ended
pay-outcome-paid = Payment submitted. Its status below follows the bank's answer as Lean reports it.
pay-outcome-done = Done. Lean is confirming it with the bank.
pay-outcome-cancelled = You closed Lean before finishing. Nothing was paid.
pay-outcome-redirect = Taking you to your bank…
pay-outcome-failed = It did not complete: { $detail }
pay-unknown-error = unknown error

# New payment
pay-form-title = New payment
pay-form-to = Pay to
pay-form-amount = Amount
pay-form-currency = Currency
pay-form-reference = Reference (optional, up to 32 characters)
pay-form-create = Create payment
pay-form-creating = Creating…
pay-add-destination-first = Add a destination first.
pay-no-destinations-option = No destinations yet
pay-destination-choose = Choose a destination.
pay-currency-choose = Choose AED or SAR.
pay-description-too-long = Use at most 32 characters.
pay-amount-empty = Enter an amount.
pay-amount-not-a-number = Enter the amount as a number, like 125.50.
pay-amount-decimals = Use at most two decimals.
pay-amount-too-large = That amount is too large.
pay-amount-not-positive = The amount must be more than zero.

# Destinations
pay-destinations-title = Payment destinations
pay-destinations-empty = No destinations yet. Add one above.
pay-destination-default = default
pay-destination-status-confirmed = Confirmed
pay-destination-status-pending = Being checked
pay-dest-form-title = Add a destination
pay-dest-name-label = Account holder's name
pay-dest-display-label = Display name (optional)
pay-dest-add = Add destination
pay-dest-adding = Adding…
pay-dest-added = Added { $name }.
pay-dest-name-two-words = Enter the account holder's full name: a first and a last name.
pay-dest-name-empty = Enter the account holder's name.
pay-too-long-140 = Use at most 140 characters.
pay-iban-format = Enter an IBAN, like AE07 0331 2345 6789 0123 456.
pay-iban-country = Only UAE (AE…) and Saudi (SA…) IBANs can be used.

# Lean's payment error codes in plain words
pay-lean-invalid-iban = Lean says this IBAN is not valid. Check it against the bank's details.
pay-lean-invalid-name = Lean needs the account holder's full name: at least a first and a last name.
pay-lean-invalid-amount = Lean did not accept this amount. Use a positive number with at most two decimals.
pay-lean-amount-under-min = This amount is below the smallest payment the bank allows.
pay-lean-amount-over-max = This amount is above the largest payment the bank allows.
pay-lean-unknown-destination = Lean does not know this destination any more. Pick another one.
pay-lean-unknown-intent = Lean does not know this payment.
pay-lean-unknown-source = Add a payment source (your bank account) before paying with “Pay with bank”.
pay-lean-payment-in-progress = A payment for this is already waiting for the bank.
pay-lean-already-paid = This has already been paid.
pay-lean-cool-off = Your bank is still setting up this recipient (cool-off). Try again in a moment.
pay-lean-beneficiary-not-found = This recipient is not set up at your bank yet. Add it to your payment source first.
pay-lean-invalid-parameters = Lean did not accept these details.

# Payment sources (Pay with bank)
pay-sources-title = Pay with bank: payment sources
pay-sources-intro = “Pay with bank” pays from a payment source: your bank account, with the destination as a recipient. Banks hold a new recipient in a cool-off period before it can be paid. Open Finance needs none of this.
pay-sources-empty = No payment sources yet.
pay-source-destination-label = Destination to add as a recipient
pay-source-source-label = Payment source
pay-source-none-yet = No payment source yet
pay-source-option = Source { $number } at { $bank }
pay-source-connect = Connect a bank for payments
pay-source-connect-help = Lean's advised way: one flow connects your bank with the payments permission and makes a payment source with the picked destination as its first recipient. “Add to payment source” (updatePaymentSource) adds more recipients.
pay-deprecated-group = Deprecated by Lean
pay-deprecated = Deprecated by Lean
pay-deprecated-title = Lean deprecated createPaymentSource (use connect with the payments permission) and createBeneficiary (use updatePaymentSource); they still work.
pay-source-create = Add a payment source
pay-source-update = Add to payment source
pay-bulk-title = Several payments at once (bulk)
pay-bulk-intro = One bulk payment intent (Lean's bulk_payment_intent_id) of 2 to 10 payments in one currency, paid in one go with Pay with bank: the payer picks one account for all, and each payment's status then moves on its own.
pay-bulk-line = Payment { $n }
pay-bulk-add-line = Add a payment
pay-bulk-remove-line = Remove
pay-bulk-create = Create bulk payment
pay-bulk-count = A bulk payment holds 2 to 10 payments.
pay-bulk-currency = This destination is paid in another currency than the bulk's.
pay-bulk-not-payable = Some payments of this bulk are already paid or on their way; pay the others one by one.
pay-bulk-badge = Bulk
pay-bulk-summary = { $count } payments, { $total } in all
pay-bulk-pay = Pay all with bank
pay-bulk-created = Bulk payment created: { $count } payments.
pay-options-title = Payment options (optional)
pay-options-intro = Lean's optional fields for “Pay with bank” (pay) and “Pay with Open Finance” (checkout). Left as they are, Lean asks the payer.
pay-option-account-label = Pay from this account (account_id)
pay-option-account-any = Let the payer choose
pay-option-account-help = Pay with bank only: Lean skips account selection and pays from this account of your payment sources.
pay-option-bank-label = Bank (bank_identifier)
pay-option-bank-any = Let the payer choose
pay-option-bank-help = Lean skips bank selection. With Pay with bank, it must be a bank you have a payment source at.
pay-option-name-label = Payer's name (customer_name)
pay-option-name-help = Pay with Open Finance only: the name Lean shows to the payer's bank.
pay-option-risk-label = Send risk details (risk_details)
pay-option-risk-help = Tells Lean the payment was started by the payer on the web (channel WEB, e-commerce, customer present), for its fraud checks.
pay-option-method = Choose Pay with bank or Pay with Open Finance.
pay-option-account-pay-only = An account can be chosen for Pay with bank only.
pay-option-name-checkout-only = The payer's name is sent with Pay with Open Finance only.
pay-option-name-invalid = Use a name of at most 140 characters, without line breaks.
pay-option-bank-unknown = Lean does not list this bank.
pay-option-bank-no-source = You have no payment source at this bank: add one below, or let the payer choose.
pay-option-account-unknown = This account is not one of your payment sources' accounts.
pay-option-account-other-bank = This account is at another bank than the one chosen.
pay-upgrade-bank-label = A bank connected for data only
pay-upgrade-button = Add payments to this bank
pay-upgrade-help = Lean's updatePaymentSource with the connection's entity_id: the person logs in to that bank once more, and the bank gets a payment source with the picked destination as its first recipient, without connecting it again.
pay-upgrade-choose-bank = Choose one of your connected banks.
pay-upgrade-bank-not-active = This bank needs a new login first: reconnect it on the dashboard.
pay-source-create-beneficiary = Add as beneficiary
pay-source-recipient-needs-source = Add a payment source first; then you can add more recipients to it.
pay-source-choose = Choose one of your payment sources.
pay-source-needed = Add a payment source first.
pay-source-added-head = Payment source added.
pay-recipient-added-head = Recipient added.
pay-recipient-state-confirming = Lean is confirming { $recipient } with your bank; this notice changes as soon as it does.
pay-recipient-state-cool-off = Your bank holds { $recipient } in its cool-off period until { $until }. “Pay with bank” to { $recipient } works once it ends; this notice changes then.
pay-recipient-state-cool-off-undated = Your bank holds { $recipient } in its cool-off period. “Pay with bank” to { $recipient } works once it ends; this notice changes then.
pay-recipient-state-ready = { $recipient } is ready at your bank: “Pay with bank” can pay it now.
pay-source-status-ready = Ready
pay-source-status-cool-off = In the bank's cool-off period
pay-source-status-setting-up = Being set up
pay-until = until

# verifyAddress
pay-verify-title = Verify your address
pay-verify-intro = Lean asks your bank whether the account holder's name matches yours. You log in to your bank in Lean's window; nothing is paid.
pay-verify-name-label = Your full name
pay-verify-name-hint = As your bank has it: at least a first and a last name. The app keeps it for your account.
pay-verify-button = Verify with my bank
pay-verify-busy = Verifying…
pay-verify-name-needed = Enter your full name first.
pay-name-empty = Enter your full name.
pay-name-one-word = Enter at least a first and a last name.
pay-name-too-long = Use at most 140 characters.
pay-name-not-a-name = Use letters only, with spaces, hyphens or apostrophes between the names.
pay-verify-success = Verified: your bank confirmed that { $name } holds the account.
pay-verify-mismatch = Not verified: the name on your bank account does not match { $name }. Check how your bank spells it and try again.
pay-verify-cancelled = You closed Lean before finishing. Nothing was checked.
pay-verify-failed = The verification did not complete. The details below say why.
pay-verify-last-check = Last check:
pay-verify-field-status = Status
pay-verify-field-secondary = Detail
pay-verify-field-message = Message from Lean
pay-verify-field-correlation = Reference for Lean support
