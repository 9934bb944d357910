"""CloudFront: distributions from CloudFormation, served at the local edge (settings.edge_port).

CloudFormation (moto skips both types): `AWS::CloudFront::OriginAccessControl` and
`AWS::CloudFront::Distribution` land in moto's CloudFront backend (the template's DistributionConfig in
the API's Quantity/Items shape), so GetDistribution answers what the template said. GetAtt DomainName
is the local edge, `localhost:{edge_port}` (see README).

The edge, per request, does what a CloudFront edge does, for the origins that exist on this machine:
- picks the distribution by Host (`{distributionId}.cloudfront.localhost`, or its DomainName), else the most
  recently created enabled one, so `http://localhost:{edge_port}/` works with one storefront deployed;
- picks the cache behaviour by PathPattern (first match, in order), else the default behaviour;
- S3 origins (`{bucket}.s3[.{region}].amazonaws.com`) are read from moto's S3 in-process, so Content-Type,
  ETag, Last-Modified, HEAD, Range and 304 are S3's own answers; `/` serves DefaultRootObject;
- API Gateway origins (`{apiId}.execute-api.{region}.amazonaws.com`) go to the local cloud's
  `/_aws/execute-api/{apiId}{OriginPath}{path}`: like CloudFront, the whole request path is appended to
  OriginPath, so `/api/products` with an empty OriginPath reaches stage `api`, resource `/products`;
- other custom origins are proxied only when they are loopback hosts (502 with the reason otherwise);
- CustomErrorResponses replace an origin's 4xx/5xx with ResponsePagePath and ResponseCode (SPA fallback);
  like CloudFront they apply to every behaviour, API responses included. The edge requests the page itself
  (without the viewer's validators or Range) and answers the viewer's If-None-Match / If-Modified-Since
  against that page, as a cache does: 304 when they match and ResponseCode is 2xx, else the whole page.
- a behaviour with Compress gzips what CloudFront would (types, sizes, Accept-Encoding), with a weak ETag.
- API Gateway and custom origins are cached as the behaviour's cache policy says (cloudfront_cache.py); S3
  origins are not, so a local redeploy never serves stale files.
"""

from __future__ import annotations

import copy
import gzip
import http.client
import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from moto.core.common_models import CloudFormationModel
from moto.utilities.utils import get_partition
from werkzeug.http import is_resource_modified
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request, Response

from localcloud.cfn_model import CfnModel, Properties
from localcloud.cloudfront_cache import EdgeCache
from localcloud.config import DEFAULT_ACCOUNT

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.cloudfront")

S3_ORIGIN = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.-]*?)\.s3(?:[.-](?:website[.-])?[a-z0-9-]+)?\.amazonaws\.com$")
API_ORIGIN = re.compile(r"^(?P<api>[a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com$")
DISTRIBUTION_HOST = re.compile(r"^(?P<id>[a-z0-9]+)\.cloudfront\.localhost$", re.IGNORECASE)
LOOPBACK = re.compile(r"^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}
# Request headers that describe this hop, not the viewer's request.
NOT_FORWARDED = HOP_BY_HOP | {"host", "content-length"}
# The viewer's conditions on its own copy of a URL: answered by the edge for a custom error page.
VIEWER_CONDITIONS = {"if-none-match", "if-match", "if-modified-since", "if-unmodified-since", "if-range", "range"}
# What a 304 carries (RFC 9110 15.4.5).
NOT_MODIFIED = {"etag", "last-modified", "cache-control", "expires", "vary", "content-location", "date"}

# What GetAtt Distribution.DomainName answers: the edge, set from the settings at install (see README).
_edge_domain = "localhost:8080"


def path_pattern_matches(pattern: str, path: str) -> bool:
    """CloudFront PathPattern: `*` any characters (slashes included), `?` one; case-sensitive; leading `/` optional."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in "/" + pattern.lstrip("/"))
    return re.fullmatch(regex, path) is not None


def _true(value: Any) -> bool:
    return str(value).lower() == "true"


def _items(container: Any, singular: str) -> list[Any]:
    """Quantity/Items lists, whether stored from CloudFormation (a list) or parsed from the API's XML."""
    if not isinstance(container, dict):
        return []
    items = container.get("Items") or []
    if isinstance(items, dict):
        items = items.get(singular, [])
    return items if isinstance(items, list) else [items]


class Edge:
    def __init__(self, cloud: LocalCloud) -> None:
        self.cloud = cloud
        self.settings = cloud.settings
        self._server: BaseWSGIServer | None = None
        self.cache = EdgeCache()

    # -- lifecycle ------------------------------------------------------------------------------------
    def start(self) -> None:
        self._server = make_server(self.settings.bind, self.settings.edge_port, self.wsgi, threaded=True)
        threading.Thread(target=self._server.serve_forever, name="cloudfront-edge", daemon=True).start()
        log.info("CloudFront edge listening on %s", self.settings.edge_url)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self.handle(request)
        except Exception:
            log.exception("edge request %s %s failed", request.method, request.path)
            response = _error(502, "The local CloudFront edge failed to reach the origin; see the local cloud log.")
        sent = 0 if request.method == "HEAD" else int(response.headers.get("Content-Length") or 0)
        self.cloud.calls.count_edge(request, sent)  # CloudFront bills each request and the bytes out
        return response(environ, start_response)

    # -- routing --------------------------------------------------------------------------------------
    def distribution(self, host: str) -> Any | None:
        from moto.cloudfront.models import cloudfront_backends

        distributions = list(cloudfront_backends[DEFAULT_ACCOUNT]["aws"].distributions.values())
        host = host.lower()
        named = DISTRIBUTION_HOST.match(host.split(":")[0])
        if named:
            return next((d for d in distributions if d.id.lower() == named.group("id").lower()), None)
        by_domain = [d for d in distributions if d.domain_name.lower() in (host, host.split(":")[0])]
        if len(by_domain) == 1:
            return by_domain[0]
        enabled = [d for d in distributions if _true(getattr(d.distribution_config, "Enabled", False))]
        return enabled[-1] if enabled else None

    def handle(self, request: Request) -> Response:
        distribution = self.distribution(request.host)
        if distribution is None:
            return _error(
                404,
                "No enabled CloudFront distribution answers for this host. Deploy a template with an "
                "AWS::CloudFront::Distribution, or address one as http://{distributionId}.cloudfront.localhost.",
            )
        config: Any = distribution.distribution_config
        if not _true(config.Enabled):
            return _error(403, f"Distribution {distribution.id} is disabled.")
        path = request.path
        if path == "/" and config.DefaultRootObject:
            path = "/" + config.DefaultRootObject.lstrip("/")
        behavior = self.behavior(distribution, path)

        def fetch() -> Response:
            return self.fetch(distribution, request.method, path, request)

        if S3_ORIGIN.match(self.origin(distribution, behavior).domain_name.lower()):
            response, hit = fetch(), False  # read in-process, never stale after a local redeploy
        else:  # API Gateway and custom origins: cached as the behaviour's cache policy says
            response, hit = self.cache.answer(distribution.id, behavior, request, fetch, _error_ttls(config))
        if response.status_code >= 400:
            response = self.custom_error(distribution, request, response)
        response = _compressed(behavior, request, response)
        response.headers["Via"] = f"1.1 {distribution.id.lower()}.cloudfront.localhost (CloudFront)"
        response.headers["X-Cache"] = f"{'Hit' if hit else 'Miss'} from cloudfront"
        response.headers["X-Amz-Cf-Id"] = uuid.uuid4().hex
        return response

    def behavior(self, distribution: Any, path: str) -> Any:
        config = distribution.distribution_config
        for behavior in _items(config.CacheBehaviors, "CacheBehavior"):
            if path_pattern_matches(behavior.path_pattern, path):
                return behavior
        return config.DefaultCacheBehavior

    def origin(self, distribution: Any, behavior: Any) -> Any:
        origins = {o.id: o for o in _items(distribution.distribution_config.Origins, "Origin")}
        return origins[behavior.target_origin_id]

    def fetch(self, distribution: Any, method: str, path: str, request: Request) -> Response:
        behavior = self.behavior(distribution, path)
        allowed = [m.upper() for m in behavior.allowed_methods.items]
        if method.upper() not in allowed:
            return _error(
                403,
                "This distribution is not configured to allow the HTTP request method that was used for this request.",
            )
        origin = self.origin(distribution, behavior)
        domain = origin.domain_name.lower()
        upstream_path = (origin.origin_path or "").rstrip("/") + path
        s3 = S3_ORIGIN.match(domain)
        if s3:
            return self.from_s3(origin, s3.group("bucket"), upstream_path, method, request)
        api = API_ORIGIN.match(domain)
        if api:
            return self.in_process(f"/_aws/execute-api/{api.group('api')}{quote(upstream_path)}", method, request)
        return self.from_custom_origin(origin, upstream_path, method, request)

    def custom_error(self, distribution: Any, request: Request, response: Response) -> Response:
        for rule in _items(distribution.distribution_config.CustomErrorResponses, "CustomErrorResponse"):
            if int(rule.get("ErrorCode", 0)) != response.status_code or not rule.get("ResponsePagePath"):
                continue
            # The edge asks the origin for the error page itself: the viewer's validators and Range describe
            # the viewer's copy of the requested URL, not the error page (forwarded, S3 answered 304 or 206).
            own = Request(
                EnvironBuilder(
                    path=rule["ResponsePagePath"],
                    headers=[(k, v) for k, v in request.headers.items() if k.lower() not in VIEWER_CONDITIONS],
                    environ_overrides={"REMOTE_ADDR": request.remote_addr or "127.0.0.1"},
                ).get_environ()
            )
            page = self.fetch(distribution, "GET", rule["ResponsePagePath"], own)
            if page.status_code >= 400:
                return page  # CloudFront returns the status the error page's own origin answered
            code = int(rule.get("ResponseCode") or response.status_code)
            if 200 <= code < 300 and not is_resource_modified(
                request.environ, etag=page.headers.get("ETag"), last_modified=page.headers.get("Last-Modified")
            ):
                # Answered as a cache answers a revalidation (RFC 9110 13.2): the viewer holds this page.
                return _copy(304, [(k, v) for k, v in page.headers.items() if k.lower() in NOT_MODIFIED], b"", "GET")
            page.status_code = code  # to a HEAD, werkzeug sends these headers (Content-Length included), no body
            return page
        return response

    # -- origins --------------------------------------------------------------------------------------
    def _forwarded_headers(self, request: Request) -> dict[str, str]:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in NOT_FORWARDED}
        headers["X-Forwarded-For"] = request.remote_addr or "127.0.0.1"
        return headers

    def from_s3(self, origin: Any, bucket: str, path: str, method: str, request: Request) -> Response:
        if method not in ("GET", "HEAD"):
            return _error(403, "The S3 origin only answers GET and HEAD through the local edge.")
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() in ("if-none-match", "if-match", "if-modified-since", "if-unmodified-since", "range")
        }
        if "If-None-Match" in headers:  # the weak ETag of a copy the edge compressed validates the same object
            headers["If-None-Match"] = headers["If-None-Match"].replace("W/", "")
        if getattr(origin, "origin_access_control_id", "") or origin.s3_access_identity:
            # CloudFront signs origin requests for an OAC (or OAI); moto checks that a request is signed,
            # not the signature, so private objects are readable exactly when the origin says it signs.
            headers["Authorization"] = (
                f"AWS4-HMAC-SHA256 Credential=cloudfront/20260101/{self.settings.region}/s3/aws4_request, "
                "SignedHeaders=host, Signature=0"
            )
        key = path.lstrip("/")
        response = self._call(f"/{bucket}/{quote(key)}", method, headers, b"", "")
        if response.status_code == 404 and "Authorization" in headers and not self._cloudfront_may_list(bucket):
            # S3 answers a missing key with 403, not 404, to a caller without s3:ListBucket - which is what
            # CloudFront is through an OAC whose bucket policy grants s3:GetObject only (SPA error pages rely on it).
            return _error(403, f"AccessDenied: {key} (CloudFront may not list bucket {bucket})")
        return response

    def _cloudfront_may_list(self, bucket: str) -> bool:
        answer = self._call(f"/{bucket}", "GET", {}, b"", "policy")
        if answer.status_code != 200:
            return False
        for statement in json.loads(answer.get_data() or b"{}").get("Statement", []):
            actions = statement.get("Action", [])
            actions = [actions] if isinstance(actions, str) else actions
            principal = json.dumps(statement.get("Principal", ""))
            lists = any(a in ("s3:ListBucket", "s3:*", "*") for a in actions)
            if statement.get("Effect") == "Allow" and "cloudfront.amazonaws.com" in principal and lists:
                return True
        return False

    def in_process(self, path: str, method: str, request: Request) -> Response:
        return self._call(
            path, method, self._forwarded_headers(request), request.get_data(), request.query_string.decode()
        )

    def _call(self, path: str, method: str, headers: dict[str, str], body: bytes, query: str) -> Response:
        headers = {**headers, "Host": f"localhost:{self.settings.port}"}
        answer = Client(self.cloud).open(path, method=method, headers=headers, data=body, query_string=query)
        return _copy(answer.status_code, list(answer.headers.items()), answer.get_data(), method)

    def from_custom_origin(self, origin: Any, path: str, method: str, request: Request) -> Response:
        host = origin.domain_name
        if not LOOPBACK.match(host.lower()):
            return _error(
                502,
                f"Origin {host} is not on this machine. The local CloudFront edge reaches S3 buckets and API Gateway "
                "APIs of the local cloud, and custom origins on loopback (localhost, 127.0.0.1) only.",
            )
        custom = getattr(origin, "custom_origin_config", None)
        https = custom is not None and custom.origin_protocol_policy == "https-only"
        port = int((custom.https_port if https else custom.http_port) or (443 if https else 80)) if custom else 80
        conn_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
        conn = conn_class(host.strip("[]"), port, timeout=30)
        target = quote(path) + (f"?{request.query_string.decode()}" if request.query_string else "")
        try:
            conn.request(
                method, target, body=request.get_data(), headers={**self._forwarded_headers(request), "Host": host}
            )
            answer = conn.getresponse()
            return _copy(answer.status, answer.getheaders(), answer.read(), method)
        except OSError as exc:
            return _error(502, f"Origin {host}:{port} did not answer: {exc}")
        finally:
            conn.close()


def _error_ttls(config: Any) -> dict[int, float]:
    """ErrorCachingMinTTL by error code, from the distribution's CustomErrorResponses."""
    rules = _items(config.CustomErrorResponses, "CustomErrorResponse")
    return {int(r["ErrorCode"]): float(r["ErrorCachingMinTTL"]) for r in rules if "ErrorCachingMinTTL" in r}


def _copy(status: int, headers: list[tuple[str, str]], body: bytes, method: str) -> Response:
    response = Response(body, status=status)
    response.headers.clear()
    for name, value in headers:
        if name.lower() not in HOP_BY_HOP:
            response.headers.add(name, value)
    if method == "HEAD" or status == 304:
        response.direct_passthrough = True  # keep the origin's Content-Length for an empty body
    return response


# Content types CloudFront compresses (Serving compressed files, "File types that CloudFront compresses").
COMPRESSIBLE = {
    "application/javascript", "application/json", "application/xml", "application/xhtml+xml", "application/rss+xml",
    "application/x-javascript", "application/vnd.ms-fontobject", "application/x-font-ttf", "font/otf", "font/ttf",
    "image/svg+xml", "text/css", "text/csv", "text/html", "text/javascript", "text/js", "text/plain", "text/xml",
}  # fmt: skip


def _compressed(behavior: Any, request: Request, response: Response) -> Response:
    """Gzip as CloudFront does for a behaviour with Compress: a viewer that accepts gzip, a listed type, 1,000 to
    10,000,000 bytes with a Content-Length, not already encoded; a strong ETag becomes weak (W/)."""
    if not _true(getattr(behavior, "compress", False)) or request.method != "GET" or response.status_code != 200:
        return response
    accepted = {part.split(";")[0].strip().lower() for part in request.headers.get("Accept-Encoding", "").split(",")}
    length = response.headers.get("Content-Length", "")
    if (
        "gzip" not in accepted
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
        or not length.isdigit()
        or not 1_000 <= int(length) <= 10_000_000
    ):
        return response
    response.set_data(gzip.compress(response.get_data(), mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag = response.headers.get("ETag", "")
    if etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag
    elif etag and not etag.startswith("W/"):
        del response.headers["ETag"]
    return response


def _error(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


# -- CloudFormation ----------------------------------------------------------------------------------


def _cloudfront_backend(account_id: str, region_name: str) -> Any:
    from moto.cloudfront.models import cloudfront_backends

    return cloudfront_backends[account_id][get_partition(region_name)]


class CloudFrontOriginAccessControl(CfnModel, CloudFormationModel):
    """Ref and GetAtt Id are the control's id."""

    TYPE = "AWS::CloudFront::OriginAccessControl"
    ATTRIBUTES = ("Id",)

    @classmethod
    def create(
        cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any
    ) -> CloudFrontOriginAccessControl:
        config = props["OriginAccessControlConfig"]
        for required in ("Name", "OriginAccessControlOriginType", "SigningBehavior", "SigningProtocol"):
            if required not in config:
                raise KeyError(f"OriginAccessControlConfig.{required}")
        control = _cloudfront_backend(account_id, region_name).create_origin_access_control(config)
        return cls(account_id, region_name, control.id)

    @classmethod
    def update(
        cls, original: Any, name: str, props: Properties, account_id: str, region_name: str
    ) -> CloudFrontOriginAccessControl:
        config = props["OriginAccessControlConfig"]
        backend = _cloudfront_backend(account_id, region_name)
        backend.update_origin_access_control(original.physical_resource_id, config)
        return original

    def delete(self, account_id: str, region_name: str) -> None:
        _cloudfront_backend(account_id, region_name).origin_access_controls.pop(self.physical_resource_id, None)


def _quantity_items(values: list[Any] | None, convert: Callable[[Any], Any] = lambda v: v) -> dict[str, Any]:
    values = values or []
    return {"Quantity": len(values), "Items": [convert(v) for v in values]}


def _cache_behavior(cfn: dict[str, Any]) -> dict[str, Any]:
    api = copy.deepcopy(cfn)
    api.setdefault("Compress", False)  # CloudFormation's default; moto's own would be true
    methods = cfn.get("AllowedMethods", ["GET", "HEAD"])
    cached = cfn.get("CachedMethods", ["GET", "HEAD"])
    api["AllowedMethods"] = {**_quantity_items(methods), "CachedMethods": _quantity_items(cached)}
    api.pop("CachedMethods", None)
    return api


def _origin(cfn: dict[str, Any]) -> dict[str, Any]:
    api = copy.deepcopy(cfn)
    if "S3OriginConfig" in api:
        api["S3OriginConfig"] = {"OriginAccessIdentity": api["S3OriginConfig"].get("OriginAccessIdentity", "")}
    custom = api.get("CustomOriginConfig")
    if custom is not None:
        custom["OriginSslProtocols"] = _quantity_items(custom.pop("OriginSSLProtocols", ["TLSv1.2"]))
    api["CustomHeaders"] = _quantity_items(api.pop("OriginCustomHeaders", []))
    return api


def distribution_config_from_cfn(cfn: dict[str, Any]) -> dict[str, Any]:
    """The CloudFormation DistributionConfig (plain lists) in the API's shape (Quantity/Items) moto stores."""
    config: dict[str, Any] = {
        "CallerReference": str(uuid.uuid4()),
        "Comment": cfn.get("Comment", ""),
        "Enabled": cfn["Enabled"],
        "Origins": _quantity_items(cfn["Origins"], _origin),
        "DefaultCacheBehavior": _cache_behavior(cfn["DefaultCacheBehavior"]),
        "CacheBehaviors": _quantity_items(cfn.get("CacheBehaviors"), _cache_behavior),
        "CustomErrorResponses": _quantity_items(
            cfn.get("CustomErrorResponses"),
            lambda r: {
                **r,
                "ErrorCode": int(r["ErrorCode"]),
                **({"ResponseCode": str(r["ResponseCode"])} if "ResponseCode" in r else {}),
            },
        ),
        "DefaultRootObject": cfn.get("DefaultRootObject", ""),
        "PriceClass": cfn.get("PriceClass", "PriceClass_All"),
        "HttpVersion": cfn.get("HttpVersion", "http2"),
        "IsIPV6Enabled": cfn.get("IPV6Enabled", True),
    }
    if cfn.get("Aliases"):
        config["Aliases"] = _quantity_items(cfn["Aliases"])
    if cfn.get("ViewerCertificate"):
        config["ViewerCertificate"] = cfn["ViewerCertificate"]
    if cfn.get("Logging"):
        config["Logging"] = {"Enabled": True, **cfn["Logging"]}
    geo = (cfn.get("Restrictions") or {}).get("GeoRestriction")
    if geo:
        config["Restrictions"] = {
            "GeoRestriction": {"RestrictionType": geo["RestrictionType"], "Items": geo.get("Locations", [])}
        }
    if cfn.get("WebACLId"):
        config["WebACLId"] = cfn["WebACLId"]
    return config


class CloudFrontDistribution(CfnModel, CloudFormationModel):
    """Ref and GetAtt Id are the distribution's id; GetAtt DomainName is the local edge (see README)."""

    TYPE = "AWS::CloudFront::Distribution"
    ATTRIBUTES = ("Id", "DomainName")

    @classmethod
    def create(
        cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any
    ) -> CloudFrontDistribution:
        config = distribution_config_from_cfn(props["DistributionConfig"])
        tags = [{"Key": t["Key"], "Value": t["Value"]} for t in props.get("Tags", [])]
        distribution, _, _ = _cloudfront_backend(account_id, region_name).create_distribution(config, tags)
        _remember_origin_access_controls(distribution, props["DistributionConfig"])
        distribution.domain_name = _edge_domain
        return cls(account_id, region_name, distribution.id, DomainName=distribution.domain_name)

    @classmethod
    def update(
        cls, original: Any, name: str, props: Properties, account_id: str, region_name: str
    ) -> CloudFrontDistribution:
        config = distribution_config_from_cfn(props["DistributionConfig"])
        distribution, _, _ = _cloudfront_backend(account_id, region_name).update_distribution(
            config, original.physical_resource_id, True
        )
        _remember_origin_access_controls(distribution, props["DistributionConfig"])
        return original

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _cloudfront_backend(account_id, region_name)
        if self.physical_resource_id in backend.distributions:
            backend.delete_distribution(self.physical_resource_id, True)


def _remember_origin_access_controls(distribution: Any, cfn: dict[str, Any]) -> None:
    """moto's Origin drops OriginAccessControlId; keep it so GetDistribution shows it."""
    by_id = {o["Id"]: o.get("OriginAccessControlId", "") for o in cfn["Origins"]}
    for origin in distribution.distribution_config.Origins["Items"]:
        origin.origin_access_control_id = by_id.get(origin.id, "")


def install(cloud: LocalCloud) -> None:
    global _edge_domain
    _edge_domain = f"localhost:{cloud.settings.edge_port}"
    if not cloud.settings.profile.cloudfront_edge:
        log.info("CloudFront edge not served (profile %s)", cloud.settings.profile.name)
        return  # the profile's CloudFormation makes distributions placeholders (cloudformation_engine.py)
    edge = Edge(cloud)
    cloud.add_service("cloudfront-edge", edge.start, edge.stop)
