"""S3 answers with S3's own request headers (s3.py): `x-amz-request-id` and `x-amz-id-2`, which SDKs report as
`RequestId` and `HostId`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import unique

Aws = Callable[[str], Any]


def test_answers_and_errors_carry_s3s_request_ids(aws: Aws) -> None:
    s3 = aws("s3")
    with pytest.raises(ClientError) as caught:
        s3.list_objects_v2(Bucket=unique("no-such-bucket"))
    for metadata in (caught.value.response["ResponseMetadata"], s3.list_buckets()["ResponseMetadata"]):
        assert metadata["HostId"]  # x-amz-id-2
        assert metadata["HTTPHeaders"]["x-amz-request-id"] == metadata["RequestId"]
        assert "x-amzn-requestid" not in metadata["HTTPHeaders"]
