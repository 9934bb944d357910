"""Error answers shaped as AWS shapes them (aws_errors.py): SNS's fields, SQS's JSON error shapes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import unique

Aws = Callable[[str], Any]


def test_an_sns_error_carries_code_message_and_type_only(aws: Aws) -> None:
    with pytest.raises(ClientError) as caught:
        aws("sns").get_topic_attributes(TopicArn=f"arn:aws:sns:us-east-1:000000000000:{unique('none')}")
    assert caught.value.response["Error"] == {
        "Type": "Sender",
        "Code": "NotFound",
        "Message": "Topic does not exist",
    }


def test_sqs_json_errors_name_the_shape_aws_names(aws: Aws) -> None:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=unique("errors"))["QueueUrl"]
    try:
        with pytest.raises(ClientError) as caught:
            sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="r", VisibilityTimeout=43_201)
        error = caught.value.response["Error"]
        assert (error["Code"], error["QueryErrorCode"]) == ("InvalidParameterValue", "InvalidParameterValueException")
    finally:
        sqs.delete_queue(QueueUrl=url)
