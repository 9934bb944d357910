#!/usr/bin/env bash
# Bad payloads: each is 400 validation_error naming the field at fault.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

login

# expect_field FIELD : 400 validation_error naming FIELD.
expect_field() {
  expect_status 400
  expect_json '.code == "validation_error" and .field == $f and (.message | length > 0)' "validation_error naming '$1'" \
    --arg f "$1"
}

section "quantity 0"
request POST /orders "$(payload order-zero-quantity.json)" "$AUTH" "Idempotency-Key: $(uuid)"
expect_field items.0.quantity

section "no address"
request POST /orders "$(payload order-no-address.json)" "$AUTH" "Idempotency-Key: $(uuid)"
expect_field address

section "a price from the client (prices come from the catalog only)"
request POST /orders "$(payload order-client-price.json)" "$AUTH" "Idempotency-Key: $(uuid)"
expect_field items.0.unit_price

section "country not an ISO code"
request POST /orders "$(payload order-bad-country.json)" "$AUTH" "Idempotency-Key: $(uuid)"
expect_field address.country

section "unknown product"
request POST /orders "$(payload order.json '.items[0].product_id = "p-9999" | .payment_token = "tok_not_used"')" \
  "$AUTH" "Idempotency-Key: $(uuid)"
expect_field items.0.product_id

section "no Idempotency-Key header"
request POST /orders "$(payload order.json '.items[0].product_id = "p-0001" | .payment_token = "tok_not_used"')" "$AUTH"
expect_field Idempotency-Key

section "not JSON"
request POST /orders '{"items": [' "$AUTH" "Idempotency-Key: $(uuid)"
expect_status 400
expect_json '.code == "validation_error"' "validation_error"

section "login with something that is not an email"
request POST /auth/login "$(payload login-not-an-email.json)"
expect_field email

finish
