# shellcheck shell=bash disable=SC2034
# Shared helpers for the curl tests. Each script sources this file after `set -euo pipefail`.
#
# Configuration (environment):
#   API_URL        the API's base URL (…/_aws/execute-api/<id>/<stage> locally, https://<id>.execute-api…/<stage> on AWS);
#                  defaults to ApiUrl in $OUTPUTS_FILE (.artifacts/outputs-local.json, written by `make deploy-local`)
#   PAYMENT_URL    the Payment System, to tokenize test cards (default: PaymentUrl in $OUTPUTS_FILE)
#   MAIL_URL       a Mailpit-compatible mail API (default: MailUrl in $OUTPUTS_FILE when it is a URL); optional
#   DEMO_EMAIL / DEMO_PASSWORD   the customer who orders (default ana@example.com / Demo-1234)
#   OTHER_EMAIL / OTHER_PASSWORD a second customer (default john@example.com / DEMO_PASSWORD)
#   ORDER_TIMEOUT  seconds to wait for an order to reach a final status (default 120)
#   CURL_TIMEOUT   seconds per request (default 60: a cold Lambda start on a busy machine can take a while)
#   VERBOSE=1      print whole bodies instead of cutting them at 400 characters

CURL_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$CURL_TESTS_DIR")
PAYLOADS="$CURL_TESTS_DIR/payloads"
SCRIPT_NAME=$(basename "$0" .sh)

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "FAIL [$SCRIPT_NAME] $tool is not installed (apt-get install -y $tool)" >&2; exit 2; }
done

OUTPUTS_FILE=${OUTPUTS_FILE:-$ROOT_DIR/.artifacts/outputs-local.json}
_output() {  # one key of the deployment's outputs file, or nothing
  if [[ -f $OUTPUTS_FILE ]]; then jq -r --arg key "$1" '.[$key] // empty' "$OUTPUTS_FILE"; fi
}
API_URL=${API_URL:-$(_output ApiUrl)}
API_URL=${API_URL%/}
PAYMENT_URL=${PAYMENT_URL:-$(_output PaymentUrl)}
PAYMENT_URL=${PAYMENT_URL%/}
MAIL_URL=${MAIL_URL-$(_output MailUrl)}
[[ $MAIL_URL == http://* || $MAIL_URL == https://* ]] || MAIL_URL=""  # on AWS the output is a sentence, not a URL
MAIL_URL=${MAIL_URL%/}
DEMO_EMAIL=${DEMO_EMAIL:-ana@example.com}
DEMO_PASSWORD=${DEMO_PASSWORD:-Demo-1234}
OTHER_EMAIL=${OTHER_EMAIL:-john@example.com}
OTHER_PASSWORD=${OTHER_PASSWORD:-$DEMO_PASSWORD}
ORDER_TIMEOUT=${ORDER_TIMEOUT:-120}
CURL_TIMEOUT=${CURL_TIMEOUT:-60}
VERBOSE=${VERBOSE:-0}

if [[ -z $API_URL ]]; then
  echo "FAIL [$SCRIPT_NAME] API_URL is not set and $OUTPUTS_FILE does not exist." >&2
  echo "     Deploy locally (make deploy-local), or export API_URL=\$(make -s outputs | jq -r .ApiUrl)," >&2
  echo "     or pass the API's URL: API_URL=https://<id>.execute-api.<region>.amazonaws.com/<stage>" >&2
  exit 2
fi

TERMINAL_STATUSES=(SHIPPED PAYMENT_FAILED FAILED CANCELLED)
CHECKS_PASSED=0
CHECKS_FAILED=0

# ---------------------------------------------------------------------------------------------- reporting
section() { printf '\n== %s: %s\n' "$SCRIPT_NAME" "$*"; }
note() { printf '   %s\n' "$*"; }

pass() {
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  printf '   ok   %s\n' "$*"
}

# A mismatch ends the script: later checks would only repeat the same cause.
fail() {
  CHECKS_FAILED=$((CHECKS_FAILED + 1))
  printf 'FAIL [%s] %s\n' "$SCRIPT_NAME" "$*" >&2
  printf '   last request: %s %s -> %s %s\n' "${LAST_METHOD:-}" "${LAST_URL:-}" "${STATUS:-}" "$(_short "${BODY:-}")" >&2
  printf '%s: %d checks passed, %d failed\n' "$SCRIPT_NAME" "$CHECKS_PASSED" "$CHECKS_FAILED"
  exit 1
}

# The script's last line; run-all.sh reads the exit code, people read this.
finish() {
  printf '%s: %d checks passed, %d failed\n' "$SCRIPT_NAME" "$CHECKS_PASSED" "$CHECKS_FAILED"
  [[ $CHECKS_FAILED -eq 0 ]]
}

_short() {  # a body on one line: compact JSON, cut unless VERBOSE=1
  local text
  text=$(jq -c . <<<"$1" 2>/dev/null) || text=$(tr '\n' ' ' <<<"$1")
  if [[ $VERBOSE != 1 && ${#text} -gt 400 ]]; then text="${text:0:400}… (${#text} chars)"; fi
  printf '%s' "$text"
}

# ---------------------------------------------------------------------------------------------- HTTP
# request [-q] METHOD URL|/path [BODY] [HEADER...]
#   A path is relative to API_URL. BODY is JSON text ("" for none). Each HEADER is "Name: value".
#   Sets STATUS, BODY (the answer's body) and HEADERS (the answer's headers, CRLF stripped).
#   -q: print nothing (polling); otherwise prints what is sent and what comes back, bearer tokens shortened.
request() {
  local quiet=0
  if [[ $1 == -q ]]; then quiet=1; shift; fi
  local method=$1 url=$2 body=${3:-}
  shift 2
  if [[ $# -gt 0 ]]; then shift; fi
  if [[ $url == /* ]]; then url="$API_URL$url"; fi
  local -a args=(-sS -X "$method" --max-time "$CURL_TIMEOUT" -o "$_BODY_FILE" -D "$_HEADER_FILE" -w '%{http_code}')
  local header shown_headers=""
  for header in "$@"; do
    args+=(-H "$header")
    if [[ $header == Authorization:* ]]; then header="Authorization: Bearer ${header:22:12}…"; fi
    shown_headers+=" [$header]"
  done
  if [[ -n $body ]]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  LAST_METHOD=$method LAST_URL=$url
  [[ $quiet == 1 ]] || printf '   > %s %s%s %s\n' "$method" "$url" "$shown_headers" "$(_short "$body")"
  if ! STATUS=$(curl "${args[@]}" "$url"); then
    STATUS=000 BODY=""
    fail "$method $url: no HTTP answer (is the deployment up? API_URL=$API_URL)"
  fi
  BODY=$(cat "$_BODY_FILE")
  HEADERS=$(tr -d '\r' <"$_HEADER_FILE")
  [[ $quiet == 1 ]] || printf '   < %s %s\n' "$STATUS" "$(_short "$BODY")"
}
_BODY_FILE=$(mktemp)
_HEADER_FILE=$(mktemp)
trap 'rm -f "$_BODY_FILE" "$_HEADER_FILE"' EXIT

# expect_status CODE... : the last answer's status is one of these.
expect_status() {
  local code
  for code in "$@"; do
    if [[ $STATUS == "$code" ]]; then pass "status $STATUS"; return 0; fi
  done
  fail "expected status $* from $LAST_METHOD $LAST_URL, got $STATUS"
}

# expect_json FILTER [WHAT [JQ ARGS...]] : the jq FILTER is true for the last body; the jq args after WHAT
# (--arg k v, --argjson k v) give it values: expect_json '.stock == $n' "stock is $N" --argjson n "$N"
expect_json() {
  local filter=$1 what=${2:-$1}
  shift $(($# < 2 ? $# : 2))
  if jq -e "$@" "$filter" <<<"$BODY" >/dev/null 2>&1; then
    pass "$what"
  else
    fail "expected $what (jq: $filter) in the answer to $LAST_METHOD $LAST_URL"
  fi
}

# expect_header NAME REGEX : the last answer has that header (case-insensitive name) matching REGEX.
expect_header() {
  local value
  value=$(grep -i "^$1:" <<<"$HEADERS" | head -n1 | cut -d: -f2- | sed 's/^ *//') || true
  if [[ $value =~ $2 ]]; then pass "header $1: $value"; else fail "expected header $1 matching /$2/, got '${value}'"; fi
}

# json FILTER : print a value of the last body (raw). Safe inside $(…): it prints nothing else.
json() { jq -r "$1" <<<"$BODY"; }

# payload FILE [jq args...] [FILTER] : a payload file from payloads/, compacted, optionally filled in by jq.
payload() {
  local file="$PAYLOADS/$1"; shift
  [[ -f $file ]] || { echo "FAIL [$SCRIPT_NAME] missing payload $file" >&2; exit 2; }
  if [[ $# -eq 0 ]]; then jq -c . "$file"; else jq -c "$@" "$file"; fi
}

uuid() {
  if [[ -r /proc/sys/kernel/random/uuid ]]; then cat /proc/sys/kernel/random/uuid
  else printf 'curl-%s-%s-%s' "$(date +%s)" "$$" "$RANDOM"; fi
}

# ---------------------------------------------------------------------------------------------- the shop
# login [EMAIL] [PASSWORD] : POST /auth/login; sets TOKEN, AUTH ("Authorization: Bearer …") and CUSTOMER_ID.
login() {
  local email=${1:-$DEMO_EMAIL} password=${2:-$DEMO_PASSWORD}
  request POST /auth/login "$(payload login.json --arg e "$email" --arg p "$password" '.email = $e | .password = $p')"
  expect_status 200
  expect_json '(.token | split(".") | length == 3) and (.customer.email | ascii_downcase) == ($e | ascii_downcase)' \
    "a JWT for $email" --arg e "$email"
  TOKEN=$(json .token)
  CUSTOMER_ID=$(json .customer.id)
  AUTH="Authorization: Bearer $TOKEN"
}

# tokenize_card [CARD_NUMBER] : POST $PAYMENT_URL/v1/tokens; sets CARD_TOKEN.
tokenize_card() {
  local number=${1:-4242424242424242}
  [[ -n $PAYMENT_URL ]] || fail "PAYMENT_URL is not set (the Payment System tokenizes cards; see curl-tests/README.md)"
  request POST "$PAYMENT_URL/v1/tokens" "$(payload card.json --arg n "$number" '.card_number = $n')"
  expect_status 201
  expect_json '.id | startswith("tok_")' "a card token"
  CARD_TOKEN=$(json .id)
}

# find_product JQ_CONDITION : the first product (by id) for which the condition holds, over every catalog page;
# sets PRODUCT_ID and PRODUCT (its JSON). Fails when none does.
find_product() {
  local condition=$1 next="" page
  PRODUCT_ID="" PRODUCT=""
  while :; do
    page="/products?limit=100${next:+&next_token=$(jq -rn --arg t "$next" '$t|@uri')}"
    request -q GET "$page"
    [[ $STATUS == 200 ]] || fail "GET $page answered $STATUS while looking for a product ($condition)"
    PRODUCT=$(jq -c "first(.items[] | select($condition)) // empty" <<<"$BODY")
    if [[ -n $PRODUCT ]]; then
      PRODUCT_ID=$(jq -r .id <<<"$PRODUCT")
      # The listing may be up to CATALOG_CACHE_SECONDS old (a warm App Server caches it); the product itself is
      # read from the table, so the stock a script compares against comes from there.
      request -q GET "/products/$PRODUCT_ID"
      [[ $STATUS == 200 ]] || fail "GET /products/$PRODUCT_ID answered $STATUS"
      PRODUCT=$(jq -c "select($condition) // empty" <<<"$BODY")
      [[ -n $PRODUCT ]] || fail "product $PRODUCT_ID no longer matches $condition (the listing was older)"
      note "product $PRODUCT_ID ($(jq -r '.name.en + ", stock " + (.stock|tostring)' <<<"$PRODUCT")) matches $condition"
      return 0
    fi
    next=$(json '.next_token // empty')
    [[ -n $next ]] || fail "no product in the catalog matches $condition"
  done
}

# place_order PRODUCT_ID QUANTITY CARD_TOKEN [IDEMPOTENCY_KEY] : POST /orders as $AUTH (no status check).
# Sets ORDER_BODY (the JSON sent) and IDEMPOTENCY_KEY.
place_order() {
  IDEMPOTENCY_KEY=${4:-$(uuid)}
  ORDER_BODY=$(payload order.json --arg p "$1" --argjson q "$2" --arg t "$3" \
    '.items[0].product_id = $p | .items[0].quantity = $q | .payment_token = $t')
  request POST /orders "$ORDER_BODY" "$AUTH" "Idempotency-Key: $IDEMPOTENCY_KEY"
}

# order_in_stock : log in as DEMO_EMAIL, tokenize the good card and place a 1-unit order of a product with
# plenty of stock; expects 202 and sets ORDER_ID.
order_in_stock() {
  login
  find_product '.stock >= 5'
  tokenize_card 4242424242424242
  place_order "$PRODUCT_ID" 1 "$CARD_TOKEN"
  expect_status 202
  expect_json '(.order_id | startswith("o-")) and .status == "PENDING"' "order_id o-… and status PENDING"
  ORDER_ID=$(json .order_id)
}

is_terminal() {
  local status
  for status in "${TERMINAL_STATUSES[@]}"; do [[ $1 == "$status" ]] && return 0; done
  return 1
}

# wait_for_final_status ORDER_ID [TIMEOUT] : poll GET /orders/{id} (as $AUTH) until a terminal status,
# printing each status change with the seconds elapsed; sets ORDER (the last body) and ORDER_STATUS.
wait_for_final_status() {
  local order_id=$1 timeout=${2:-$ORDER_TIMEOUT} started=$SECONDS last=""
  note "following $order_id until a final status (up to ${timeout}s)"
  while :; do
    request -q GET "/orders/$order_id" "" "$AUTH"
    [[ $STATUS == 200 ]] || fail "GET /orders/$order_id answered $STATUS while following the order"
    ORDER=$BODY
    ORDER_STATUS=$(json .status)
    if [[ $ORDER_STATUS != "$last" ]]; then
      note "$(printf '%4ds' $((SECONDS - started)))  ${last:-(start)} -> $ORDER_STATUS"
      last=$ORDER_STATUS
    fi
    if is_terminal "$ORDER_STATUS"; then pass "$order_id reached $ORDER_STATUS"; return 0; fi
    if ((SECONDS - started > timeout)); then
      fail "$order_id still $ORDER_STATUS after ${timeout}s (ORDER_TIMEOUT); is the workflow running?"
    fi
    sleep 1
  done
}
