"""The storefront's files in the site bucket (UI build, product images, config.json), uploaded when changed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import mimetypes
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from stacks.preflight import say

ROOT = Path(__file__).resolve().parent.parent


def files(site_config: dict[str, Any]) -> dict[str, Path | bytes]:
    """The site bucket's intended content: the UI build (if any), the product images, the runtime config."""
    files: dict[str, Path | bytes] = {}
    dist = ROOT / "react-ui" / "dist"
    if dist.exists():
        files.update({p.relative_to(dist).as_posix(): p for p in dist.rglob("*") if p.is_file()})
    images = ROOT / "seed" / "images"
    if images.exists():
        files.update({f"images/{p.name}": p for p in images.iterdir() if p.is_file()})
    files["config.json"] = json.dumps(site_config, sort_keys=True).encode()
    return files


def changes(s3: Any, bucket: str | None, wanted: dict[str, Path | bytes]) -> dict[str, bytes]:
    """The files whose content differs from the bucket's (all of them when there is no bucket yet)."""
    existing: dict[str, str] = {}
    if bucket:
        with contextlib.suppress(ClientError):  # NoSuchBucket: everything is new
            existing = {
                obj["Key"]: obj["ETag"].strip('"')
                for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
                for obj in page.get("Contents", [])
            }
    changed: dict[str, bytes] = {}
    for key, content in sorted(wanted.items()):
        data = content.read_bytes() if isinstance(content, Path) else content
        if existing.get(key) != hashlib.md5(data, usedforsecurity=False).hexdigest():
            changed[key] = data
    return changed


def upload(s3: Any, bucket: str, site_config: dict[str, Any]) -> None:
    """Upload what changed; index.html and config.json are never cached, the hashed assets forever."""
    changed = changes(s3, bucket, files(site_config))
    for key, data in changed.items():
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        cache = "no-cache" if key in ("index.html", "config.json") else "public, max-age=31536000, immutable"
        s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type, CacheControl=cache)
    built = (ROOT / "react-ui" / "dist").exists()
    say(f"site: {len(changed)} file(s) uploaded to s3://{bucket}" + ("" if built else " (no react-ui/dist build yet)"))
