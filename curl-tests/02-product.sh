#!/usr/bin/env bash
# One product: GET /products/{id} returns what the list shows; an unknown id is 404.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "one product"
request GET "/products?limit=3"
expect_status 200
LISTED=$(json '.items[-1]')
ID=$(jq -r .id <<<"$LISTED")
request GET "/products/$ID"
expect_status 200
expect_json '.id == $listed.id' "the product $ID" --argjson listed "$LISTED"
expect_json '. == $listed' "the same fields as in the list" --argjson listed "$LISTED"
expect_json '.name.es != "" and .name.en != "" and .description.en != "" and (.price | floor == .)' \
  "names and description in es and en, an integer price (minor units)"

section "unknown product"
request GET "/products/p-9999"
expect_status 404
expect_json '.code == "not_found" and (.message | contains("p-9999"))' "not_found naming p-9999"

finish
