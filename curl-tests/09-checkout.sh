#!/usr/bin/env bash
# Full checkout: log in, pick a product, tokenize a card, order, follow the order to its final status
# (printing each change), check the stock, the Payment System, and the confirmation mail (when MAIL_URL is set).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "browse and order as $DEMO_EMAIL"
login
find_product '.stock >= 5'
STOCK_BEFORE=$(jq -r .stock <<<"$PRODUCT")
tokenize_card 4242424242424242
place_order "$PRODUCT_ID" 2 "$CARD_TOKEN"
expect_status 202
ORDER_ID=$(json .order_id)
note "order $ORDER_ID accepted"

section "follow $ORDER_ID"
wait_for_final_status "$ORDER_ID"
BODY=$ORDER
if [[ $ORDER_STATUS != SHIPPED ]]; then
  fail "$ORDER_ID ended $ORDER_STATUS, expected SHIPPED (failure_code: $(json '.failure_code // "none"'))"
fi
expect_json '(.shipment.id | startswith("shp_")) and (.shipment.tracking_number | test("^TRK[0-9]{10}$"))' \
  "shipped with tracking number $(json .shipment.tracking_number)"
expect_json '.payment.status == "captured"' "payment captured"
PAYMENT_ID=$(json .payment.id)
TOTAL=$(json .total)

section "stock and payment"
request GET "/products/$PRODUCT_ID"
expect_status 200
expect_json '.stock <= $before - 2' "stock went down by the 2 units ($STOCK_BEFORE -> $(json .stock))" \
  --argjson before "$STOCK_BEFORE"
if [[ -n $PAYMENT_URL ]]; then
  request GET "$PAYMENT_URL/v1/payments/$PAYMENT_ID"
  expect_status 200
  expect_json '.status == "captured" and .order_id == $id and .amount == $total' "captured once for the order total $TOTAL" \
    --arg id "$ORDER_ID" --argjson total "$TOTAL"
  expect_json '[.operations[] | select(.type == "capture")] | length == 1' "exactly one capture"
fi

section "confirmation mail"
if [[ -z $MAIL_URL ]]; then
  note "MAIL_URL not set (on AWS the mail goes to the subscribed inbox): mail not checked"
else
  started=$SECONDS MAIL=""
  while :; do
    request -q GET "$MAIL_URL/api/v1/messages?limit=1000"
    [[ $STATUS == 200 ]] || fail "the mail API at $MAIL_URL answered $STATUS"
    # The order id is in the mail's first lines (Mailpit's Snippet); the subject carries the order's number.
    MAIL=$(jq -c --arg id "$ORDER_ID" 'first(.messages[] | select((.Snippet // "") | contains($id))
      | select(.Subject | test("enviado|shipped"; "i"))) // empty' <<<"$BODY")
    [[ -z $MAIL ]] || break
    ((SECONDS - started < 60)) || fail "no shipped mail naming $ORDER_ID at $MAIL_URL after 60s"
    sleep 1
  done
  BODY=$MAIL
  note "mail: $(json .Subject)"
  expect_json '.Subject | test("enviado|shipped"; "i")' "a mail says $ORDER_ID shipped"
  request GET "$MAIL_URL/api/v1/message/$(json .ID)"
  expect_status 200
  expect_json '(.Text // "") + (.HTML // "") | contains($id)' "the mail's text names the order" --arg id "$ORDER_ID"
fi

finish
