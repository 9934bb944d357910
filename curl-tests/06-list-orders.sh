#!/usr/bin/env bash
# List orders: GET /orders gives the caller's orders, newest first, in pages.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "first page"
login
request GET "/orders?limit=5" "" "$AUTH"
expect_status 200
expect_json '.items | length > 0 and length <= 5' "1-5 orders"
expect_json 'all(.items[]; .customer_id == $c)' "all of them $CUSTOMER_ID's" --arg c "$CUSTOMER_ID"
expect_json '[.items[].created_at] == ([.items[].created_at] | sort | reverse)' "newest first"
expect_json 'all(.items[]; (.id | startswith("o-")) and (.status | IN("PENDING","PAID","SHIPPING","SHIPPED","CANCELLING","CANCELLED","FAILING","PAYMENT_FAILED","FAILED"))
  and .total == ([.items[] | .unit_price * .quantity] | add))' "ids o-…, known statuses, totals that add up"

if [[ $(json '.next_token // empty') != "" ]]; then
  section "second page"
  PAGE1=$(json '[.items[].id]')
  OLDEST=$(json '.items[-1].created_at')
  request GET "/orders?limit=5&next_token=$(jq -rn --arg t "$(json .next_token)" '$t | @uri')" "" "$AUTH"
  expect_status 200
  expect_json '(.items | length) > 0 and ([.items[].id] - $p1 | length) == (.items | length)' "no order of page 1 again" \
    --argjson p1 "$PAGE1"
  expect_json 'all(.items[]; .created_at <= $oldest)' "older than page 1" --arg oldest "$OLDEST"
else
  note "one page only ($DEMO_EMAIL has few orders): pagination not exercised"
fi

section "limit out of range"
request GET "/orders?limit=101" "" "$AUTH"
expect_status 400
expect_json '.field == "limit"' "limit=101 refused naming 'limit'"

finish
