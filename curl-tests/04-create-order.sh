#!/usr/bin/env bash
# Create an order: POST /orders with a bearer token, an Idempotency-Key and a card token -> 202 with the order id.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "place an order as $DEMO_EMAIL"
login
find_product '.stock >= 5'
UNIT_PRICE=$(jq -r .price <<<"$PRODUCT")
tokenize_card 4242424242424242
place_order "$PRODUCT_ID" 2 "$CARD_TOKEN"
expect_status 202
expect_json '(.order_id | test("^o-[0-9A-Za-z]{26}$")) and .status == "PENDING"' "order_id o-<26 chars>, status PENDING"
ORDER_ID=$(json .order_id)
expect_header Location "/orders/$ORDER_ID\$"

section "the order as stored"
request GET "/orders/$ORDER_ID" "" "$AUTH"
expect_status 200
expect_json '.id == $id and .customer_id == $c' "$ORDER_ID belongs to $CUSTOMER_ID" \
  --arg id "$ORDER_ID" --arg c "$CUSTOMER_ID"
expect_json '.items == [{product_id: $p, name: .items[0].name, unit_price: $price, quantity: 2}]' \
  "one line: 2 x $PRODUCT_ID at the catalog price $UNIT_PRICE" --arg p "$PRODUCT_ID" --argjson price "$UNIT_PRICE"
expect_json '.total == 2 * $price and .currency == "EUR"' "total = 2 x unit price" \
  --arg p "$PRODUCT_ID" --argjson price "$UNIT_PRICE"
expect_json '.address.postal_code == "28013" and .address.country == "ES"' "the address sent"
expect_json '.payment.id | startswith("pay_")' "an authorized payment reference"
note "order $ORDER_ID is $(json .status) (the workflow carries it on; see 09-checkout.sh)"

finish
