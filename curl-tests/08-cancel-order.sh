#!/usr/bin/env bash
# Cancel: POST /orders/{id}/cancel on a fresh order. The local workflow can be fast enough to start the shipment
# before the cancel arrives, so both outcomes are accepted and reported: 200 CANCELLED (payment voided or
# refunded, stock restored) or 409 too_late_to_cancel because the shipment was already being requested.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "a fresh order"
order_in_stock
STOCK_BEFORE=$(jq -r .stock <<<"$PRODUCT")  # read before the order took its unit

section "cancel it"
request POST "/orders/$ORDER_ID/cancel" "" "$AUTH"
expect_status 200 409
if [[ $STATUS == 200 ]]; then
  expect_json '.id == $id and .status == "CANCELLED"' "$ORDER_ID is CANCELLED" --arg id "$ORDER_ID"
  expect_json '.payment.status | IN("voided", "refunded")' "its payment was voided or refunded ($(json .payment.status))"
  PAYMENT_ID=$(json .payment.id)
  note "OUTCOME: cancelled before it shipped (payment $(json .payment.status))"

  section "it stays cancelled"
  # The workflow may still be running for this order: it must skip a cancelled order, never ship it.
  sleep 3
  request GET "/orders/$ORDER_ID" "" "$AUTH"
  expect_status 200
  expect_json '.status == "CANCELLED" and .shipment == null' "still CANCELLED, no shipment"
  request GET "/products/$PRODUCT_ID"
  expect_status 200
  expect_json '.stock == $before' "the unit is back in stock ($STOCK_BEFORE)" --argjson before "$STOCK_BEFORE"
  if [[ -n $PAYMENT_URL ]]; then
    request GET "$PAYMENT_URL/v1/payments/$PAYMENT_ID"
    expect_status 200
    expect_json '.status | IN("voided", "refunded")' "the Payment System agrees ($(json .status))"
  fi

  section "cancel again"
  request POST "/orders/$ORDER_ID/cancel" "" "$AUTH"
  expect_status 409
  expect_json '.code == "not_cancellable" and (.message | contains("CANCELLED"))' "a cancelled order cannot be cancelled again"
else
  expect_json '.code == "too_late_to_cancel"' "too late: the shipment is being requested"
  request GET "/orders/$ORDER_ID" "" "$AUTH"
  expect_status 200
  expect_json '.status | IN("SHIPPING", "SHIPPED")' "the order had already moved to shipping ($(json .status))"
  note "OUTCOME: 409, order $ORDER_ID was already $(json .status) when the cancel arrived (a fast local workflow)"
fi

finish
