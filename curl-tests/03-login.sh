#!/usr/bin/env bash
# Login: POST /auth/login gives a JWT for good credentials, 401 for a bad password or an unknown email.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "good credentials ($DEMO_EMAIL)"
login "$DEMO_EMAIL" "$DEMO_PASSWORD"
expect_json '.expires_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' "expires_at is an ISO UTC time"
expect_json '(.customer.id | startswith("c-")) and (.customer.name | length > 0)' "the customer's id and name"
expect_json '.customer.locale | IN("es", "en")' "the customer's language (the storefront switches to it)"
expect_json '.token | split(".")[1] | gsub("-"; "+") | gsub("_"; "/") | . + ("=" * ((4 - length % 4) % 4))
  | @base64d | fromjson | .sub | startswith("c-")' "the token's sub claim is the customer id"

section "bad password"
request POST /auth/login "$(payload login-bad-password.json --arg e "$DEMO_EMAIL" '.email = $e')"
expect_status 401
expect_json '.code == "unauthorized" and (has("token") | not)' "unauthorized, no token"
BAD_PASSWORD_MESSAGE=$(json .message)

section "unknown email"
request POST /auth/login "$(payload login-bad-password.json '.email = "nobody-\(now|floor)@example.com"')"
expect_status 401
expect_json '.message == $m' "the same message as a bad password (no account enumeration)" \
  --arg m "$BAD_PASSWORD_MESSAGE"

finish
