"""The local cloud is its user's alone: a web page on another origin, or a DNS-rebound host name, is refused.

A page anywhere on the web can make the developer's browser send requests to http://localhost:4566. Without a
check it could read secrets, create functions and run them on the developer's machine (a plain cross-origin POST
to the Lambda invoke route needs no preflight). So the AWS endpoint refuses a foreign `Origin` and a `Host` that
is not this machine before anything runs; SDKs and the CLI (no Origin) and pages on loopback keep working; API
Gateway invoke URLs answer CORS as their template asks. The last test drives Chromium against a page on
`http://evil.test` (mapped to 127.0.0.1) and shows its requests refused and its function never run.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from conftest import Stacks, unique

from localcloud.testing import python_function

Aws = Callable[[str], Any]
FOREIGN = "http://evil.example"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# What botocore sends, minus a valid signature: the local cloud routes JSON services by the credential scope.
SIGNED = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
MARKER_FUNCTION = """
import os

def handler(event, context):
    with open(os.environ["MARKER"], "a") as marker:
        marker.write("ran\\n")
    return {"ran": True}
"""


@pytest.fixture(scope="module")
def marked(aws: Aws, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A function that appends a line to a marker file each time it runs, and that file."""
    marker = tmp_path_factory.mktemp("origin") / "marker"
    iam, awslambda = aws("iam"), aws("lambda")
    name = unique("origin")
    python_function(awslambda, iam, name, MARKER_FUNCTION, Environment={"Variables": {"MARKER": str(marker)}})
    yield name, marker
    awslambda.delete_function(FunctionName=name)
    iam.delete_role(RoleName=name)


@pytest.fixture(scope="module")
def secret(aws: Aws) -> Iterator[str]:
    name = unique("origin-secret")
    aws("secretsmanager").create_secret(Name=name, SecretString="s3cr3t-value")
    yield name
    aws("secretsmanager").delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)


def runs(marker: Path) -> int:
    return len(marker.read_text().splitlines()) if marker.exists() else 0


def invoke(endpoint: str, name: str, headers: dict[str, str]) -> requests.Response:
    # A "simple" cross-origin request (text/plain POST): a browser sends it without asking first.
    return requests.post(
        f"{endpoint}/2015-03-31/functions/{name}/invocations",
        data="{}",
        headers={"Content-Type": "text/plain", **headers},
        timeout=30,
    )


def get_secret(endpoint: str, name: str, headers: dict[str, str]) -> requests.Response:
    return requests.post(
        endpoint,
        data=json.dumps({"SecretId": name}),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "secretsmanager.GetSecretValue",
            "Authorization": SIGNED.format(service="secretsmanager"),
            **headers,
        },
        timeout=30,
    )


def list_queues(endpoint: str, headers: dict[str, str]) -> requests.Response:
    return requests.post(
        endpoint,
        data="Action=ListQueues&Version=2012-11-05",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": SIGNED.format(service="sqs"),
            **headers,
        },
        timeout=30,
    )


def host_header(endpoint: str, name: str) -> dict[str, str]:
    return {"Host": f"{name}:{urlsplit(endpoint).port}"}


# -- a foreign Origin ---------------------------------------------------------------------------------------------
def test_a_foreign_origin_cannot_invoke_a_function(endpoint: str, marked: tuple[str, Path]) -> None:
    name, marker = marked
    before = runs(marker)

    response = invoke(endpoint, name, {"Origin": FOREIGN})

    assert response.status_code == 403, response.text
    assert response.headers["x-amzn-ErrorType"] == "AccessDeniedException"
    assert "http://evil.example" in response.json()["message"]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert runs(marker) == before  # refused before the function was started


def test_a_foreign_origin_cannot_read_a_secret_or_list_queues(endpoint: str, secret: str) -> None:
    read = get_secret(endpoint, secret, {"Origin": FOREIGN})
    listed = list_queues(endpoint, {"Origin": FOREIGN})

    assert read.status_code == 403, read.text
    assert "s3cr3t-value" not in read.text
    assert read.json()["__type"] == "AccessDeniedException"
    assert listed.status_code == 403, listed.text
    assert "<Code>AccessDenied</Code>" in listed.text  # the query protocol's error shape
    for response in (read, listed):
        assert "Access-Control-Allow-Origin" not in response.headers


def test_a_null_origin_is_foreign(endpoint: str, marked: tuple[str, Path]) -> None:
    # Sandboxed iframes, data: URLs and file pages send `Origin: null`: anyone can make one.
    name, marker = marked
    before = runs(marker)

    assert invoke(endpoint, name, {"Origin": "null"}).status_code == 403
    assert runs(marker) == before


def test_a_preflight_from_a_foreign_origin_gets_no_cors(endpoint: str, marked: tuple[str, Path]) -> None:
    for path in ("/", f"/2015-03-31/functions/{marked[0]}/invocations"):
        response = requests.options(
            endpoint + path,
            headers={
                "Origin": FOREIGN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type,x-amz-target",
            },
            timeout=10,
        )

        assert response.status_code == 403, path
        assert "Access-Control-Allow-Origin" not in response.headers, path


def test_the_aws_endpoint_answers_no_cors_of_its_own(endpoint: str) -> None:
    # CORS answers only where a template asks for it (API Gateway, S3 bucket CORS, the edge): moto's global
    # `Access-Control-Allow-Origin: *` is off.
    response = list_queues(endpoint, {"Origin": "http://localhost:3000"})

    assert response.status_code == 200, response.text
    assert "Access-Control-Allow-Origin" not in response.headers


# -- a Host that is not this machine (DNS rebinding) ---------------------------------------------------------------
def test_a_rebound_host_name_is_refused(endpoint: str, marked: tuple[str, Path], secret: str) -> None:
    name, marker = marked
    before = runs(marker)
    evil = host_header(endpoint, "evil.example")

    invoked = invoke(endpoint, name, evil)
    read = get_secret(endpoint, secret, evil)
    listed = list_queues(endpoint, evil)
    health = requests.get(endpoint + "/_localstack/health", headers=evil, timeout=10)

    assert [r.status_code for r in (invoked, read, listed, health)] == [403, 403, 403, 403]
    assert "evil.example" in invoked.json()["message"]
    assert "s3cr3t-value" not in read.text
    # The `sync-` host prefix StartSyncExecution uses does not open a door for other names.
    assert get_secret(endpoint, secret, host_header(endpoint, "sync-evil.example")).status_code == 403
    assert runs(marker) == before


# -- the user's own callers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [
        {},  # SDKs, the CLI, curl
        {"Origin": "http://localhost:5173"},
        {"Origin": "http://127.0.0.1:8080"},
        {"Origin": "http://[::1]:3000"},
        {"Origin": "http://shop.localhost:8080"},
        {"Host": "127.0.0.1:{port}"},
        {"Host": "localhost.localstack.cloud:{port}"},
        {"Host": "s3.localhost.localstack.cloud:{port}"},
    ],
    ids=["no-origin", "localhost", "127.0.0.1", "ipv6", "dot-localhost", "ip-host", "ls-host", "ls-subdomain"],
)
def test_the_users_own_callers_still_work(
    endpoint: str, marked: tuple[str, Path], secret: str, headers: dict[str, str]
) -> None:
    name, marker = marked
    port = str(urlsplit(endpoint).port)
    headers = {k: v.replace("{port}", port) for k, v in headers.items()}
    before = runs(marker)

    invoked = invoke(endpoint, name, headers)
    read = get_secret(endpoint, secret, headers)

    assert invoked.status_code == 200, invoked.text
    assert invoked.json() == {"ran": True}
    assert runs(marker) == before + 1
    assert read.status_code == 200, read.text
    assert read.json()["SecretString"] == "s3cr3t-value"
    assert list_queues(endpoint, headers).status_code == 200


def test_boto3_is_unaffected(aws: Aws, marked: tuple[str, Path]) -> None:
    name, marker = marked
    before = runs(marker)

    response = aws("lambda").invoke(FunctionName=name, Payload=b"{}")

    assert response["StatusCode"] == 200
    assert runs(marker) == before + 1


# -- API Gateway answers CORS as its template asks ----------------------------------------------------------------
@pytest.fixture(scope="module")
def mock_api(aws: Aws) -> Iterator[dict[str, str]]:
    stacks = Stacks(aws("cloudformation"))
    yield stacks.deploy("apigateway_mock.yaml")
    stacks.delete_all()


@pytest.mark.parametrize("form", ["_aws", "user_request"])
def test_api_gateway_keeps_answering_any_origin_as_its_template_says(
    endpoint: str, mock_api: dict[str, str], form: str
) -> None:
    api = mock_api["ApiId"]
    base = (
        f"{endpoint}/_aws/execute-api/{api}/test"
        if form == "_aws"
        else f"{endpoint}/restapis/{api}/test/_user_request_"
    )

    preflight = requests.options(
        base + "/ping", headers={"Origin": FOREIGN, "Access-Control-Request-Method": "GET"}, timeout=10
    )
    unknown = requests.get(base + "/nowhere", headers={"Origin": FOREIGN}, timeout=10)

    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"  # the OPTIONS method's MOCK integration
    assert unknown.status_code == 404
    assert unknown.headers["Access-Control-Allow-Origin"] == "*"  # the template's DEFAULT_4XX gateway response


def test_api_gateway_host_form_is_served_on_the_local_domain_only(endpoint: str, mock_api: dict[str, str]) -> None:
    api = mock_api["ApiId"]
    local = requests.get(
        f"{endpoint}/test/ping",
        headers=host_header(endpoint, f"{api}.execute-api.localhost.localstack.cloud"),
        timeout=10,
    )
    rebound = requests.get(
        f"{endpoint}/test/ping", headers=host_header(endpoint, f"{api}.execute-api.evil.example"), timeout=10
    )

    assert local.status_code == 200, local.text
    assert rebound.status_code == 403


# -- a real browser on another origin -----------------------------------------------------------------------------
ATTACK_PAGE = """<!doctype html><html><body><pre id="out">pending</pre><script>
const cloud = "__CLOUD__";
const tries = {
  invoke: () => fetch(cloud + "/2015-03-31/functions/__FUNCTION__/invocations", {method: "POST", body: "{}"}),
  secret: () => fetch(cloud + "/", {method: "POST", body: JSON.stringify({SecretId: "__SECRET__"}), headers: {
    "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "secretsmanager.GetSecretValue",
    "Authorization": "__AUTH__"}}),
  buckets: () => fetch(cloud + "/"),
};
Promise.all(Object.entries(tries).map(([name, go]) => go().then(
  async r => name + "=read " + r.status + " " + (await r.text()).slice(0, 200),
  e => name + "=blocked " + e.name))).then(lines => {
  document.getElementById("out").textContent = lines.join("\\n") + "\\ndone";
});
</script></body></html>"""


class _PageHandler(BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_page_on_another_origin_is_refused_in_a_real_browser(
    endpoint: str, marked: tuple[str, Path], secret: str, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"this test needs Chromium at {CHROMIUM} (apt-get install -y chromium), or CHROMIUM=<path>")
    name, marker = marked
    before = runs(marker)
    page = ATTACK_PAGE.replace("__CLOUD__", endpoint).replace("__FUNCTION__", name).replace("__SECRET__", secret)
    handler = type(
        "Page", (_PageHandler,), {"page": page.replace("__AUTH__", SIGNED.format(service="secretsmanager")).encode()}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        # evil.test resolves to this machine for the browser only: the page's origin is http://evil.test:<port>.
        run = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--host-resolver-rules=MAP evil.test 127.0.0.1",
                "--virtual-time-budget=15000",
                "--dump-dom",
                f"http://evil.test:{server.server_address[1]}/{uuid.uuid4().hex}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
    out = run.stdout
    assert "done" in out, f"the page did not finish:\n{out}\n{run.stderr[-2000:]}"
    assert "invoke=blocked" in out and "secret=blocked" in out and "buckets=blocked" in out, out
    assert "s3cr3t-value" not in out
    assert runs(marker) == before, "the page's plain POST ran the function"
