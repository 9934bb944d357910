#!/usr/bin/env bash
# Idempotent retry: the same Idempotency-Key and body give the same order (one order, one payment);
# the same key with a different body is 422.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "first attempt"
login
find_product '.stock >= 5'
tokenize_card 4242424242424242
KEY="curl-retry-$(uuid)"
place_order "$PRODUCT_ID" 1 "$CARD_TOKEN" "$KEY"
expect_status 202
FIRST_ID=$(json .order_id)
FIRST_BODY=$ORDER_BODY

section "retry with the same key and body (a client that lost the answer)"
request POST /orders "$FIRST_BODY" "$AUTH" "Idempotency-Key: $KEY"
expect_status 202
expect_json '.order_id == $id' "the same order id $FIRST_ID" --arg id "$FIRST_ID"

section "only one order was created"
request GET "/orders?limit=20" "" "$AUTH"
expect_status 200
expect_json '[.items[] | select(.id == $id)] | length == 1' "$FIRST_ID once in the customer's orders" \
  --arg id "$FIRST_ID"
expect_json '[.items[] | select(.payment.id != null)] | group_by(.payment.id) | all(length == 1)' "no payment shared by two orders"

section "same key, different body"
request POST /orders "$(jq -c '.items[0].quantity = 2' <<<"$FIRST_BODY")" "$AUTH" "Idempotency-Key: $KEY"
expect_status 422
expect_json '.code == "idempotency_key_reused" and .field == "Idempotency-Key"' "idempotency_key_reused naming Idempotency-Key"

finish
