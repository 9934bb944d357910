#!/usr/bin/env bash
# Someone else's order: another customer gets 404 for it (as if it did not exist), on read and on cancel.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "an order of $DEMO_EMAIL"
login "$DEMO_EMAIL" "$DEMO_PASSWORD"
OWNER=$CUSTOMER_ID
request GET "/orders?limit=20" "" "$AUTH"
expect_status 200
expect_json 'any(.items[]; .status != "CANCELLED")' "$DEMO_EMAIL has an order that is not cancelled"
ORDER_ID=$(json 'first(.items[] | select(.status != "CANCELLED")) | .id')

section "as $OTHER_EMAIL"
login "$OTHER_EMAIL" "$OTHER_PASSWORD"
[[ $CUSTOMER_ID != "$OWNER" ]] || fail "OTHER_EMAIL ($OTHER_EMAIL) is the same customer as DEMO_EMAIL"
request GET "/orders?limit=100" "" "$AUTH"
expect_status 200
expect_json 'all(.items[]; .customer_id == $c) and all(.items[]; .id != $id)' "their own orders only, not $ORDER_ID" \
  --arg id "$ORDER_ID" --arg c "$CUSTOMER_ID"
request GET "/orders/$ORDER_ID" "" "$AUTH"
expect_status 404
expect_json '.code == "not_found" and (has("items") | not)' "not_found, nothing of the order leaks"
request POST "/orders/$ORDER_ID/cancel" "" "$AUTH"
expect_status 404
expect_json '.code == "not_found"' "cancelling it is not_found too"

section "the owner's order is untouched"
login "$DEMO_EMAIL" "$DEMO_PASSWORD"
request GET "/orders/$ORDER_ID" "" "$AUTH"
expect_status 200
expect_json '.status != "CANCELLED"' "not cancelled by the other customer ($(json .status))"

finish
