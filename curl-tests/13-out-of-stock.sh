#!/usr/bin/env bash
# Out of stock: ordering a sold-out product (stock 0), or more than the last unit, is 409 out_of_stock and
# changes nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

login
tokenize_card 4242424242424242

section "a sold-out product"
find_product '.stock == 0'
place_order "$PRODUCT_ID" 1 "$CARD_TOKEN"
expect_status 409
expect_json '.code == "out_of_stock" and (.message | contains($p))' "out_of_stock naming $PRODUCT_ID" \
  --arg p "$PRODUCT_ID"
request GET "/products/$PRODUCT_ID"
expect_status 200
expect_json '.stock == 0' "stock still 0"

section "two of a product with one left"
find_product '.stock == 1'
place_order "$PRODUCT_ID" 2 "$CARD_TOKEN"
expect_status 409
expect_json '.code == "out_of_stock"' "out_of_stock"
request GET "/products/$PRODUCT_ID"
expect_status 200
expect_json '.stock == 1' "the last unit is still there"

finish
