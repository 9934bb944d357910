#!/usr/bin/env bash
# Catalog: GET /products (list, category filter, text search, pagination) and GET /categories.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

section "list"
request GET "/products"
expect_status 200
expect_json '.items | type == "array" and length > 0 and length <= 20' "a first page of 1-20 products (default limit 20)"
expect_json 'all(.items[]; (.id | startswith("p-")) and (.name.es | length > 0) and (.name.en | length > 0)
  and (.price | type == "number" and . > 0) and (.currency | test("^[A-Z]{3}$")) and .stock >= 0
  and (.image | startswith("/images/")))' "every product has id, es/en names, a positive integer price, currency, stock, image"
expect_json '[.items[].id] == ([.items[].id] | sort)' "products in id order"
FIRST=$(json '.items[0]')
CATEGORY=$(jq -r .category <<<"$FIRST")

section "category filter ($CATEGORY)"
request GET "/categories"
expect_status 200
expect_json 'any(.[]; .id == $c and .count > 0 and (.name.en | length > 0))' "GET /categories lists $CATEGORY with a count" \
  --arg c "$CATEGORY"
CATEGORY_COUNT=$(jq -r --arg c "$CATEGORY" '.[] | select(.id == $c) | .count' <<<"$BODY")
TOTAL=$(json '[.[].count] | add')
request GET "/products?category=$CATEGORY&limit=100"
expect_status 200
expect_json 'all(.items[]; .category == $c)' "only $CATEGORY products" --arg c "$CATEGORY"
expect_json '.items | length == $n' "as many as /categories counts ($CATEGORY_COUNT)" --argjson n "$CATEGORY_COUNT"
request GET "/products?category=no-such-category"
expect_status 200
expect_json '.items == [] and .next_token == null' "an unknown category is an empty page"

section "search"
# A word of the first product's English name: the search covers es/en names and descriptions.
TERM=$(jq -r '.name.en | ascii_downcase | [scan("[a-z]{4,}")][0] // empty' <<<"$FIRST")
[[ -n $TERM ]] || TERM=$(jq -r '.name.en | ascii_downcase | split(" ")[0]' <<<"$FIRST")
request GET "/products?q=$(jq -rn --arg t "$TERM" '$t | @uri')&limit=100"
expect_status 200
expect_json 'any(.items[]; .id == $id)' "q=$TERM finds $(jq -r .id <<<"$FIRST")" --arg t "$TERM" --arg id "$(jq -r .id <<<"$FIRST")"
expect_json 'all(.items[]; [.name.es, .name.en, .description.es, .description.en] | join(" ") | ascii_downcase | contains($t))' \
  "every hit mentions '$TERM'" --arg t "$TERM" --arg id "$(jq -r .id <<<"$FIRST")"
UPPER=$(tr '[:lower:]' '[:upper:]' <<<"$TERM")
HITS=$(json '[.items[].id]')
request GET "/products?q=$UPPER&limit=100"
expect_status 200
expect_json '[.items[].id] == $hits' "the search ignores case (q=$UPPER gives the same hits)" --argjson hits "$HITS"
request GET "/products?q=zzqqxxnothing"
expect_status 200
expect_json '.items == [] and .next_token == null' "no hits for nonsense"

section "pagination"
request GET "/products?limit=5"
expect_status 200
expect_json '(.items | length) == 5 and (.next_token | type == "string")' "5 items and a next_token"
PAGE1=$(json '[.items[].id]')
NEXT=$(json .next_token)
request GET "/products?limit=5&next_token=$(jq -rn --arg t "$NEXT" '$t | @uri')"
expect_status 200
expect_json '(.items | length) > 0 and ([.items[].id] | min) > ($p1 | max)' "page 2 continues after page 1 (no repeats)" \
  --argjson p1 "$PAGE1"
# Walk every page: together they hold the whole catalog exactly once.
SEEN='[]' NEXT="" PAGES=0
while :; do
  request -q GET "/products?limit=25${NEXT:+&next_token=$(jq -rn --arg t "$NEXT" '$t | @uri')}"
  [[ $STATUS == 200 ]] || fail "a catalog page answered $STATUS"
  SEEN=$(jq -c --argjson seen "$SEEN" '$seen + [.items[].id]' <<<"$BODY")
  PAGES=$((PAGES + 1))
  NEXT=$(json '.next_token // empty')
  [[ -n $NEXT && $PAGES -lt 100 ]] || break
done
BODY=$SEEN
expect_json 'length == $total and (unique | length) == $total' "$PAGES pages of 25 hold all $TOTAL products once" \
  --argjson total "$TOTAL"
request GET "/products?limit=0"
expect_status 400
expect_json '.code == "validation_error" and .field == "limit"' "limit=0 is refused naming the field 'limit'"
request GET "/products?next_token=not-a-token"
expect_status 400
expect_json '.field == "next_token"' "a forged next_token is refused naming 'next_token'"

finish
