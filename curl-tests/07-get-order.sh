#!/usr/bin/env bash
# Get one order: GET /orders/{id} for one of the caller's orders; an unknown id is 404.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "one of $DEMO_EMAIL's orders"
login
request GET "/orders?limit=1" "" "$AUTH"
expect_status 200
expect_json '.items | length == 1' "the customer has an order"
LISTED=$(json '.items[0]')
ORDER_ID=$(jq -r .id <<<"$LISTED")
request GET "/orders/$ORDER_ID" "" "$AUTH"
expect_status 200
expect_json '.id == $listed.id and .customer_id == $c' "order $ORDER_ID of $CUSTOMER_ID" \
  --argjson listed "$LISTED" --arg c "$CUSTOMER_ID"
expect_json '.status == $listed.status and .total == $listed.total and .items == $listed.items' "as the list shows it" \
  --argjson listed "$LISTED"
expect_json '.total == ([.items[] | .unit_price * .quantity] | add) and (.address | has("postal_code"))' \
  "a total that adds up and an address"
expect_json '(.created_at | endswith("Z")) and .updated_at >= .created_at' "ISO UTC times, updated_at >= created_at"

section "unknown order"
request GET "/orders/o-00000000000000000000000000" "" "$AUTH"
expect_status 404
expect_json '.code == "not_found"' "not_found"

finish
