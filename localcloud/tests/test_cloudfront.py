"""The CloudFront distribution from a template is served at the local edge: S3 site, SPA fallback, /api/*."""

from __future__ import annotations

import gzip
import json
import os
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import Stacks, unique

Aws = Callable[[str], Any]
EDGE = f"http://localhost:{os.environ.get('LOCALCLOUD_EDGE_PORT', '8080')}"
INDEX = b"<!doctype html><title>shop</title><div id=root></div>"


class EchoOrigin(BaseHTTPRequestHandler):
    """A loopback origin that answers with what it received."""

    seen: ClassVar[list[str]] = []  # the paths (with queries) that reached the origin

    def _echo(self) -> None:
        EchoOrigin.seen.append(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answer = json.dumps(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body.decode()}
        ).encode()
        query = parse_qs(urlsplit(self.path).query)  # the test says what the origin answers
        self.send_response(int(query.get("status", ["201"])[0]))
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Origin", "echo")
        if "cache-control" in query:
            self.send_header("Cache-Control", query["cache-control"][0])
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = _echo

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def echo_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoOrigin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _mock_api(aws: Aws) -> str:
    """A REST API with GET /products (MOCK integration) deployed to the stage named `api`."""
    apigw = aws("apigateway")
    api_id: str = apigw.create_rest_api(name=unique("edge-api"))["id"]
    root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
    products = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="products")["id"]
    method = {"restApiId": api_id, "resourceId": products, "httpMethod": "GET"}
    apigw.put_method(**method, authorizationType="NONE")
    apigw.put_integration(**method, type="MOCK", requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.put_method_response(**method, statusCode="200")
    products_json = '{"products": ["tea"]}'
    apigw.put_integration_response(**method, statusCode="200", responseTemplates={"application/json": products_json})
    apigw.create_deployment(restApiId=api_id, stageName="api")
    return api_id


@pytest.fixture
def site(stacks: Stacks, aws: Aws, echo_port: int) -> Iterator[dict[str, str]]:
    api_id = _mock_api(aws)
    out = stacks.deploy("cloudfront_site.yaml", {"ApiId": api_id, "EchoPort": str(echo_port)})
    s3 = aws("s3")
    bucket = out["SiteBucketName"]
    s3.put_object(Bucket=bucket, Key="index.html", Body=INDEX, ContentType="text/html")
    s3.put_object(Bucket=bucket, Key="assets/app.js", Body=b"console.log(1)", ContentType="text/javascript")
    s3.put_object(Bucket=bucket, Key="assets/logo.svg", Body=b"<svg/>", ContentType="image/svg+xml")
    yield {**out, "ApiId": api_id}
    _empty_bucket(aws, bucket)  # so DeleteStack can remove the bucket, as on AWS


def _get(out: dict[str, str], path: str, method: str = "GET", **kwargs: Any) -> requests.Response:
    headers = {"Host": f"{out['DistributionId'].lower()}.cloudfront.localhost", **kwargs.pop("headers", {})}
    return requests.request(method, EDGE + path, headers=headers, timeout=10, allow_redirects=False, **kwargs)


def _empty_bucket(aws: Aws, bucket: str) -> None:
    for obj in aws("s3").list_objects_v2(Bucket=bucket).get("Contents", []):
        aws("s3").delete_object(Bucket=bucket, Key=obj["Key"])


def test_distribution_exists_in_the_cloudfront_api(site: dict[str, str], aws: Aws) -> None:
    distribution = aws("cloudfront").get_distribution(Id=site["DistributionId"])["Distribution"]
    config = distribution["DistributionConfig"]
    assert site["DistributionIdAttribute"] == site["DistributionId"]
    assert distribution["DomainName"] == site["DistributionDomainName"] == EDGE.removeprefix("http://")
    assert config["DefaultRootObject"] == "index.html"
    assert [o["Id"] for o in config["Origins"]["Items"]] == ["site", "api", "echo"]
    assert [b["PathPattern"] for b in config["CacheBehaviors"]["Items"]] == ["/api/*", "/echo/*"]
    assert config["CustomErrorResponses"]["Quantity"] == 1


def test_index_assets_and_conditional_requests(site: dict[str, str], aws: Aws) -> None:
    root = _get(site, "/")
    assert root.status_code == 200
    assert root.content == INDEX
    assert root.headers["Content-Type"].startswith("text/html")
    assert root.headers["Via"].endswith("(CloudFront)")

    script = _get(site, "/assets/app.js")
    assert script.status_code == 200 and script.content == b"console.log(1)"
    assert script.headers["Content-Type"] == "text/javascript"
    etag = script.headers["ETag"]
    assert script.headers["Last-Modified"]
    assert _get(site, "/assets/logo.svg").headers["Content-Type"] == "image/svg+xml"

    head = _get(site, "/assets/app.js", method="HEAD")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] == str(len(b"console.log(1)"))
    assert head.headers["ETag"] == etag
    assert _get(site, "/assets/app.js", headers={"If-None-Match": etag}).status_code == 304


def test_spa_fallback_serves_index_for_unknown_routes(site: dict[str, str], aws: Aws) -> None:
    # A missing key is S3's 403 through the OAC (no s3:ListBucket), which the 403 error response maps to the SPA.
    route = _get(site, "/products/42/reviews")
    assert route.status_code == 200
    assert route.content == INDEX
    assert route.headers["Content-Type"].startswith("text/html")


def test_spa_fallback_answers_a_revalidating_browser_with_the_page_or_304(site: dict[str, str], aws: Aws) -> None:
    """A browser reloading an app route sends the validators of the index.html it cached for that URL.

    CloudFront fetches a custom error page with a request of its own (the viewer's If-None-Match and Range are
    not part of it) and answers the viewer's validators against the page it serves, as a cache does: 304 when
    they match, the whole page when they do not. Never a 200 without a body (a blank page on reload).
    """
    index = _get(site, "/index.html")
    etag, modified = index.headers["ETag"], index.headers["Last-Modified"]

    matching = _get(site, "/checkout", headers={"If-None-Match": etag})
    assert matching.status_code == 304, (matching.status_code, matching.content)
    assert matching.content == b"" and matching.headers["ETag"] == etag
    assert _get(site, "/checkout", headers={"If-None-Match": f"W/{etag}"}).status_code == 304  # weak comparison
    assert _get(site, "/checkout", headers={"If-Modified-Since": modified}).status_code == 304

    old_date = "Thu, 01 Jan 2015 00:00:00 GMT"
    for stale in ({"If-None-Match": '"0123456789abcdef0123456789abcdef"'}, {"If-Modified-Since": old_date}):
        answer = _get(site, "/products/p-0001", headers=stale)
        assert (answer.status_code, answer.content) == (200, INDEX), stale
        assert answer.headers["ETag"] == etag and answer.headers["Content-Type"].startswith("text/html")
    # If-None-Match decides when both are sent (RFC 9110 13.1.3): a stale ETag with a fresh date is the page.
    both = _get(site, "/orders/o-1", headers={"If-None-Match": '"stale"', "If-Modified-Since": modified})
    assert (both.status_code, both.content) == (200, INDEX)

    # A Range belongs to the viewer's request for /checkout, not to CloudFront's request for the error page.
    ranged = _get(site, "/checkout", headers={"Range": "bytes=0-9"})
    assert (ranged.status_code, ranged.content) == (200, INDEX)

    head = _get(site, "/checkout", method="HEAD", headers={"If-None-Match": '"stale"'})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["Content-Length"] == str(len(INDEX))


def test_error_response_without_a_2xx_code_ignores_the_viewers_validators(
    stacks: Stacks, aws: Aws, echo_port: int
) -> None:
    """Validators only turn a 2xx into 304 (RFC 9110 13.2.1): a custom 404 page stays a 404 with its body."""
    params = {"ApiId": "abc123", "EchoPort": str(echo_port), "SpaResponseCode": "404"}
    out = stacks.deploy("cloudfront_site.yaml", params)
    bucket = out["SiteBucketName"]
    aws("s3").put_object(Bucket=bucket, Key="index.html", Body=INDEX, ContentType="text/html")
    try:
        etag = _get(out, "/index.html").headers["ETag"]
        answer = _get(out, "/nothing-here", headers={"If-None-Match": etag})
        assert (answer.status_code, answer.content) == (404, INDEX)
    finally:
        _empty_bucket(aws, bucket)


def test_compress_gzips_what_cloudfront_compresses(site: dict[str, str], aws: Aws) -> None:
    """Serving compressed files: the default behaviour has Compress, /echo/* does not (CloudFormation's default)."""
    bundle = b"console.log('a shop');\n" * 100  # 2,400 bytes: within 1,000..10,000,000
    s3 = aws("s3")
    s3.put_object(Bucket=site["SiteBucketName"], Key="assets/bundle.js", Body=bundle, ContentType="text/javascript")
    s3.put_object(Bucket=site["SiteBucketName"], Key="assets/photo.png", Body=b"\x89PNG" + bytes(2000))
    plain = _get(site, "/assets/bundle.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.content == bundle
    strong = plain.headers["ETag"]

    raw = requests.get(
        EDGE + "/assets/bundle.js",
        headers={"Host": f"{site['DistributionId'].lower()}.cloudfront.localhost", "Accept-Encoding": "gzip, br"},
        timeout=10,
        stream=True,
    )
    assert raw.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in raw.headers["Vary"]
    body = raw.raw.read()
    assert gzip.decompress(body) == bundle and int(raw.headers["Content-Length"]) == len(body) < len(bundle)
    assert raw.headers["ETag"] == f"W/{strong}"  # a strong ETag becomes weak on a compressed copy
    again = _get(site, "/assets/bundle.js", headers={"Accept-Encoding": "gzip", "If-None-Match": f"W/{strong}"})
    assert again.status_code == 304

    assert "Content-Encoding" not in _get(site, "/assets/app.js", headers={"Accept-Encoding": "gzip"}).headers  # small
    png = _get(site, "/assets/photo.png", headers={"Accept-Encoding": "gzip"})
    assert png.status_code == 200 and "Content-Encoding" not in png.headers  # not a listed type
    echo = _get(site, "/echo/x", headers={"Accept-Encoding": "gzip", "X-Padding": "p" * 2000})
    assert len(echo.content) > 2000 and "Content-Encoding" not in echo.headers  # behaviour without Compress


def test_plain_localhost_serves_the_latest_distribution(site: dict[str, str], aws: Aws) -> None:
    assert requests.get(EDGE + "/", timeout=10).content == INDEX
    unknown = requests.get(EDGE + "/", headers={"Host": "enotthere.cloudfront.localhost"}, timeout=10)
    assert unknown.status_code == 404 and "No enabled CloudFront distribution" in unknown.text


def test_custom_origin_gets_method_path_query_headers_and_body(site: dict[str, str], aws: Aws) -> None:
    answer = _get(
        site,
        "/echo/orders",
        method="POST",
        params={"page": "2", "tag": ["a", "b"]},
        headers={"Authorization": "Bearer t0k", "Content-Type": "application/json", "Idempotency-Key": "k-1"},
        data=b'{"sku": "tea"}',
    )
    assert answer.status_code == 201
    assert answer.headers["X-Origin"] == "echo"
    seen = answer.json()
    # CloudFront appends the whole request path to OriginPath.
    assert seen["method"] == "POST"
    assert seen["path"] == "/origin-root/echo/orders?page=2&tag=a&tag=b"
    assert seen["headers"]["Authorization"] == "Bearer t0k"
    assert seen["headers"]["Idempotency-Key"] == "k-1"
    assert seen["headers"]["Content-Type"] == "application/json"
    assert seen["body"] == '{"sku": "tea"}'


def test_api_behaviour_reaches_the_stage_named_api(site: dict[str, str], aws: Aws, endpoint: str) -> None:
    direct = requests.get(f"{endpoint}/_aws/execute-api/{site['ApiId']}/api/products", timeout=10)
    if direct.status_code != 200:
        pytest.skip(f"the local cloud's execute-api route answers {direct.status_code}; built by another layer")
    through_edge = _get(site, "/api/products")
    assert through_edge.status_code == 200
    assert through_edge.json() == direct.json() == {"products": ["tea"]}


def test_api_origin_answers_are_passed_back_unchanged(stacks: Stacks, aws: Aws, endpoint: str) -> None:
    """Whatever the local cloud's execute-api URL answers, the edge answers the same."""
    api_id = _mock_api(aws)
    out = stacks.deploy("cloudfront_api.yaml", {"ApiId": api_id})
    for path in ("/api/products", "/api/nothing-here", "/other-stage/products"):
        direct = requests.get(f"{endpoint}/_aws/execute-api/{api_id}{path}", timeout=10)
        through_edge = _get(out, path)
        assert (through_edge.status_code, through_edge.content) == (direct.status_code, direct.content), path


def test_remote_custom_origin_is_refused_with_a_reason(stacks: Stacks) -> None:
    template = (
        "Resources:\n  Distribution:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n"
        "      DistributionConfig:\n        Enabled: true\n        Origins:\n          - Id: web\n"
        "            DomainName: example.com\n            CustomOriginConfig:\n"
        "              OriginProtocolPolicy: https-only\n        DefaultCacheBehavior:\n"
        "          TargetOriginId: web\n          ViewerProtocolPolicy: allow-all\n"
        "          CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad\n"
        "Outputs:\n  DistributionId:\n    Value: !Ref Distribution\n"
    )
    out = stacks.deploy(template)
    answer = _get(out, "/")
    assert answer.status_code == 502
    assert "Origin example.com is not on this machine" in answer.text


def test_deleting_the_stack_removes_the_distribution(stacks: Stacks, aws: Aws) -> None:
    out = stacks.deploy("cloudfront_api.yaml", {"ApiId": "abc123"})
    stack_id = stacks.cfn.describe_stacks(StackName=stacks.created[-1])["Stacks"][0]["StackId"]
    stacks.cfn.delete_stack(StackName=stack_id)
    assert stacks.wait(stack_id)["StackStatus"] == "DELETE_COMPLETE"
    ids = [d["Id"] for d in aws("cloudfront").list_distributions()["DistributionList"].get("Items", [])]
    assert out["DistributionId"] not in ids
    assert _get(out, "/").status_code == 404


def test_api_and_custom_origins_are_cached_as_the_cache_policy_says(stacks: Stacks, aws: Aws, echo_port: int) -> None:
    out = stacks.deploy("cloudfront_cached.yaml", {"EchoPort": str(echo_port)})
    assert out["CachePolicyId"]
    tag = unique("q") + "&status=200"  # CloudFront caches 200s (and 203, 300, 301, 410), not the echo's 201

    def reached(path: str) -> int:
        return sum(1 for seen in EchoOrigin.seen if seen.startswith(path))

    # The origin's max-age, within the policy's MaxTTL: the second GET is the edge's, with an Age.
    kept = f"/catalog?tag={tag}&cache-control=public,max-age=30"
    first, second = _get(out, kept), _get(out, kept)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("Miss from cloudfront", "Hit from cloudfront")
    assert second.json() == first.json() and second.headers["X-Origin"] == "echo"
    assert int(second.headers["Age"]) >= 0 and reached(f"/catalog?tag={tag}") == 1
    assert _get(out, kept, method="HEAD").headers["X-Cache"] == "Hit from cloudfront"
    # The query string is in the key; a write is never served from the cache.
    assert _get(out, f"/catalog?page=2&tag={tag}&cache-control=max-age=30").headers["X-Cache"] == "Miss from cloudfront"
    assert _get(out, kept, method="POST", data=b"{}").headers["X-Cache"] == "Miss from cloudfront"
    # No Cache-Control (DefaultTTL 0), no-store, and a CachingDisabled behaviour: every request reaches the origin.
    for path in (
        f"/plain?tag={tag}",
        f"/private?tag={tag}&cache-control=no-store",
        f"/fresh/x?tag={tag}&cache-control=max-age=30",
    ):
        assert [_get(out, path).headers["X-Cache"] for _ in range(2)] == ["Miss from cloudfront"] * 2, path
        assert reached(path.split("&")[0]) == 2, path
    # Errors: a 404 is kept for the default ErrorCachingMinTTL (10 s), a 503 not (its ErrorCachingMinTTL is 0).
    tag = tag.replace("status=200", "status=404")
    assert [_get(out, f"/gone?tag={tag}").headers["X-Cache"] for _ in range(2)] == [
        "Miss from cloudfront",
        "Hit from cloudfront",
    ]
    tag = tag.replace("status=404", "status=503")
    assert [_get(out, f"/busy?tag={tag}").headers["X-Cache"] for _ in range(2)] == ["Miss from cloudfront"] * 2


def test_the_edge_counts_each_viewer_request_and_the_bytes_it_sent(site: dict[str, str], endpoint: str) -> None:
    """What CloudFront bills: requests, and data transferred out (here the bodies); a HEAD sends no body."""
    calls = f"{endpoint}/_localcloud/calls"
    requests.delete(calls, timeout=10)
    _get(site, "/assets/app.js")
    _get(site, "/assets/logo.svg", method="HEAD")
    _get(site, "/index.html", headers={"X-Localcloud-Not-Billed": "1"})  # an observer's: counted, not billed
    counts = requests.get(calls, timeout=10).json()
    assert counts["calls"]["cloudfront:Request"] == 3 and counts["not_billed"]["cloudfront:Request"] == 1
    assert counts["edge_bytes_out"] == len(b"console.log(1)")
