"""CloudFront cache policies, and the local edge's cache for the origins that are not S3 buckets.

- `AWS::CloudFront::CachePolicy` from a template (moto has no cache policies): Ref and GetAtt Id are its id; the
  edge reads its TTLs and query-string settings. The managed policies a template names by id are known too.
- The edge caches what a behaviour's policy lets CloudFront cache (Managing how long content stays in the cache):
  GET and HEAD answers of 200 from API Gateway and custom origins, for the origin's `Cache-Control` `s-maxage` or
  `max-age` held between the policy's MinTTL and MaxTTL, for DefaultTTL when the origin says nothing, and not at
  all for `no-store`, `no-cache` or `private` unless MinTTL is above 0. Errors CloudFront caches (404, 503, ...)
  are kept for the distribution's ErrorCachingMinTTL of their code, 10 s when its CustomErrorResponses do not
  say; a behaviour whose policy caches nothing (CachingDisabled) keeps nothing here. The cache key is the path,
  plus the query string when the policy puts it in the key. A hit says `X-Cache: Hit from cloudfront` with an `Age`.
- S3 origins are not cached here: they are read in-process, and a local redeploy then shows at once.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from moto.core.common_models import CloudFormationModel
from werkzeug.wrappers import Request, Response

from localcloud.cfn_model import CfnModel, Properties

if TYPE_CHECKING:
    from collections.abc import Callable

# The errors CloudFront caches, for the distribution's ErrorCachingMinTTL of that code (10 s by default), in a
# behaviour that caches at all ("How CloudFront processes HTTP 4xx and 5xx status codes from your origin").
CACHED_ERRORS = frozenset({400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504})
DEFAULT_ERROR_TTL = 10.0
MAX_ENTRIES = 2_000  # a bound for a long-running local cloud; the oldest entries go first


@dataclass(frozen=True)
class Policy:
    min_ttl: int = 0
    default_ttl: int = 0
    max_ttl: int = 0
    query_strings: str = "none"  # none | all | whitelist | allExcept
    query_names: frozenset[str] = frozenset()

    def key(self, request: Request) -> str:
        pairs = sorted(parse_qsl(request.query_string.decode(), keep_blank_values=True))
        if self.query_strings == "whitelist":
            pairs = [p for p in pairs if p[0] in self.query_names]
        elif self.query_strings == "allExcept":
            pairs = [p for p in pairs if p[0] not in self.query_names]
        elif self.query_strings != "all":
            pairs = []
        return f"{request.path}?{urlencode(pairs)}"

    def ttl(self, cache_control: str) -> float:
        """Seconds CloudFront keeps an answer with this Cache-Control header (0: not cached)."""
        directives = {}
        for part in cache_control.lower().split(","):
            name, _, value = part.strip().partition("=")
            directives[name] = value.strip('"')
        if {"no-store", "no-cache", "private"} & directives.keys():
            return self.min_ttl
        for name in ("s-maxage", "max-age"):
            if directives.get(name, "").isdigit():
                return min(max(int(directives[name]), self.min_ttl), self.max_ttl)
        return min(max(self.default_ttl, self.min_ttl), self.max_ttl)


# The managed policies by id (CloudFront Developer Guide, "Use managed cache policies").
MANAGED = {
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": Policy(),  # CachingDisabled
    "658327ea-f89d-4fab-a63d-7e88639e58f6": Policy(1, 86_400, 31_536_000),  # CachingOptimized
    "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": Policy(1, 86_400, 31_536_000),  # CachingOptimizedForUncompressedObjects
}
_policies: dict[str, Policy] = {}


def policy(policy_id: str) -> Policy:
    return _policies.get(policy_id) or MANAGED.get(policy_id) or Policy()


class CloudFrontCachePolicy(CfnModel, CloudFormationModel):
    """Ref and GetAtt Id are the policy's id; the edge reads its TTLs and query strings."""

    TYPE = "AWS::CloudFront::CachePolicy"
    ATTRIBUTES = ("Id", "LastModifiedTime")

    @classmethod
    def create(
        cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any
    ) -> CloudFrontCachePolicy:
        config = props["CachePolicyConfig"]
        keys = config.get("ParametersInCacheKeyAndForwardedToOrigin", {})
        queries = keys.get("QueryStringsConfig", {})
        policy_id = str(uuid.uuid4())
        _policies[policy_id] = Policy(
            min_ttl=int(config.get("MinTTL", 0)),
            default_ttl=int(config.get("DefaultTTL", 86_400)),
            max_ttl=int(config.get("MaxTTL", 31_536_000)),
            query_strings=str(queries.get("QueryStringBehavior", "none")),
            query_names=frozenset(str(q) for q in queries.get("QueryStrings", [])),
        )
        return cls(account_id, region_name, policy_id, LastModifiedTime=time.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def delete(self, account_id: str, region_name: str) -> None:
        _policies.pop(self.physical_resource_id, None)


@dataclass
class _Entry:
    stored: float
    expires: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class EdgeCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str, str], _Entry] = {}

    def answer(
        self,
        distribution_id: str,
        behavior: Any,
        request: Request,
        fetch: Callable[[], Response],
        error_ttls: dict[int, float] | None = None,
    ) -> tuple[Response, bool]:
        """The cached answer (True) or the origin's (False), kept when the behaviour's policy says so; an error
        CloudFront caches is kept for its ErrorCachingMinTTL (`error_ttls` by code; 10 s when not given)."""
        chosen = policy(getattr(behavior, "cache_policy_id", "") or "")
        if request.method not in ("GET", "HEAD") or not chosen.max_ttl:
            return fetch(), False
        # GET and HEAD share an entry, as on CloudFront; HEAD answers carry no body to keep.
        key = (distribution_id, getattr(behavior, "path_pattern", "*") or "*", chosen.key(request))
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry and entry.expires > now:
            response = Response(b"" if request.method == "HEAD" else entry.body, status=entry.status)
            response.headers.clear()
            for name, value in entry.headers:
                response.headers.add(name, value)
            response.headers["Age"] = str(int(now - entry.stored))
            return response, True
        response = fetch()
        status = response.status_code
        if status in CACHED_ERRORS:
            ttl = (error_ttls or {}).get(status, DEFAULT_ERROR_TTL)
        else:
            ttl = chosen.ttl(response.headers.get("Cache-Control", "")) if status == 200 else 0
        if request.method == "GET" and ttl > 0:
            kept = _Entry(now, now + ttl, status, list(response.headers.items()), response.get_data())
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[key] = kept
        return response, False
