#!/usr/bin/env bash
# Declined card: the Payment System tokenizes 4000000000000002 but declines it; the order is 402 and not created.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

login
find_product '.stock >= 5'
STOCK_BEFORE=$(jq -r .stock <<<"$PRODUCT")
request GET "/orders?limit=5" "" "$AUTH"
expect_status 200
ORDERS_BEFORE=$(json '[.items[].id]')

section "order with the declined card"
tokenize_card 4000000000000002
place_order "$PRODUCT_ID" 1 "$CARD_TOKEN"
expect_status 402
expect_json '.code == "payment_declined" and .field == "payment_token"' "payment_declined naming payment_token"
expect_json '(has("order_id") | not)' "no order id"

section "nothing was written"
request GET "/products/$PRODUCT_ID"
expect_status 200
expect_json '.stock == $before' "stock unchanged ($STOCK_BEFORE)" --argjson before "$STOCK_BEFORE"
request GET "/orders?limit=5" "" "$AUTH"
expect_status 200
expect_json '[.items[].id] == $before' "no new order in the list" --argjson before "$ORDERS_BEFORE"

finish
