#!/usr/bin/env bash
# No token: the order routes answer 401 without a valid bearer token (missing, malformed, forged).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "no Authorization header"
request GET /orders
expect_status 401
request GET /orders/o-seed-0001
expect_status 401
request POST /orders "$(payload order.json '.items[0].product_id = "p-0001" | .payment_token = "tok_x"')" \
  "Idempotency-Key: $(uuid)"
expect_status 401
request POST /orders/o-seed-0001/cancel
expect_status 401

section "not a bearer JWT"
request GET /orders "" "Authorization: Bearer not-a-jwt"
expect_status 401
request GET /orders "" "Authorization: Basic YW5hQGV4YW1wbGUuY29tOkRlbW8tMTIzNA=="
expect_status 401

section "a forged token (claims changed, signature kept)"
login "$OTHER_EMAIL" "$OTHER_PASSWORD"
HEADER=${TOKEN%%.*} SIGNATURE=${TOKEN##*.}
# Claim to be another customer: the signature no longer matches, so the authorizer must refuse it.
CLAIMS=$(jq -rn --arg t "$TOKEN" '$t | split(".")[1] | gsub("-"; "+") | gsub("_"; "/") | . + ("=" * ((4 - length % 4) % 4))
  | @base64d | fromjson | .sub = "c-0001" | .email = "ana@example.com" | tojson | @base64 | gsub("\\+"; "-") | gsub("/"; "_") | rtrimstr("=") | rtrimstr("=")')
request GET /orders "" "Authorization: Bearer $HEADER.$CLAIMS.$SIGNATURE"
expect_status 401

section "the public routes need no token"
request GET "/products?limit=1"
expect_status 200

finish
