"""SQS requests answered as AWS answers them: the query API on a queue URL, unknown actions, parameter checks,
and the error shapes of the JSON protocol (sqs_api.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import botocore.auth
import botocore.credentials
import pytest
import requests
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ClientError
from conftest import unique

Aws = Callable[[str], Any]
# A SigV4 Authorization header's credential scope is all the local cloud reads to find the service.
AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x"


@pytest.fixture
def queue(aws: Aws) -> Iterator[str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=unique("api"))["QueueUrl"]
    yield url
    with contextlib.suppress(ClientError):  # a test may have deleted it
        sqs.delete_queue(QueueUrl=url)


@pytest.fixture
def fifo_queue(aws: Aws) -> Iterator[str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=unique("api") + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    yield url
    sqs.delete_queue(QueueUrl=url)


def presigned_get(url: str, params: dict[str, str], region: str = "us-east-1") -> requests.Response:
    """A GET signed in its query string (SigV4 query auth), as presigned URLs and the older SDKs send it."""
    request = AWSRequest(method="GET", url=url, params=params)
    botocore.auth.SigV4QueryAuth(botocore.credentials.Credentials("test", "test"), "sqs", region).add_auth(request)
    prepared = request.prepare()
    return requests.get(prepared.url, headers=dict(prepared.headers), timeout=10)


def error_of(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    return dict(caught.value.response["Error"])


# -- the query API on the queue URL --------------------------------------------------------------------
def test_a_query_signed_get_on_the_queue_url_reaches_the_queue(queue: str) -> None:
    response = presigned_get(queue, {"Action": "GetQueueAttributes", "AttributeName.1": "QueueArn"})
    assert response.status_code == 200, response.text
    assert "<GetQueueAttributesResponse" in response.text
    assert f"<Value>arn:aws:sqs:us-east-1:000000000000:{queue.rsplit('/', 1)[1]}</Value>" in response.text


def test_an_unsigned_post_with_an_action_on_the_queue_url_is_sqs(queue: str) -> None:
    response = requests.post(queue, data={"Action": "SendMessage", "MessageBody": "hello"}, timeout=10)
    assert response.status_code == 200, response.text
    assert "<SendMessageResponse" in response.text


def test_the_queue_url_refuses_actions_that_name_no_queue(queue: str) -> None:
    for action in ("CreateQueue", "ListQueues", "FooBar"):
        response = presigned_get(queue, {"Action": action, "QueueName": "x"})
        assert response.status_code == 400, response.text
        assert "<Code>InvalidAction</Code>" in response.text
        assert f"<Message>The action {action} is not valid for this endpoint.</Message>" in response.text


def test_the_queue_url_without_an_action_is_an_unknown_operation(queue: str) -> None:
    response = presigned_get(queue, {})
    assert response.status_code == 404
    assert "<UnknownOperationException" in response.text


def test_a_missing_queue_on_the_query_api_is_worded_as_aws_words_it(aws: Aws, queue: str) -> None:
    aws("sqs").delete_queue(QueueUrl=queue)
    response = presigned_get(queue, {"Action": "GetQueueAttributes", "AttributeName.1": "QueueArn"})
    assert response.status_code == 400
    assert "<Code>AWS.SimpleQueueService.NonExistentQueue</Code>" in response.text
    assert "The specified queue does not exist for this wsdl version." in response.text


def test_a_missing_required_parameter_is_named(queue: str) -> None:
    response = presigned_get(queue, {"Action": "SendMessage"})
    assert response.status_code == 400
    assert "<Code>MissingParameter</Code>" in response.text
    assert "The request must contain the parameter MessageBody." in response.text


# -- parameters over the JSON protocol -----------------------------------------------------------------
def test_invalid_parameter_values_name_aws_error_shape(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    error = error_of(lambda: sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=11))
    assert error["Code"] == "InvalidParameterValue"
    assert error["QueryErrorCode"] == "InvalidParameterValueException"
    assert error["Message"] == (
        "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."
    )
    error = error_of(lambda: sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=21))
    assert error["Message"] == (
        "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."
    )


def test_an_empty_message_body_is_a_missing_parameter(aws: Aws, queue: str) -> None:
    error = error_of(lambda: aws("sqs").send_message(QueueUrl=queue, MessageBody=""))
    assert (error["Code"], error["QueryErrorCode"]) == ("MissingParameter", "MissingRequiredParameterException")
    assert error["Message"] == "The request must contain the parameter MessageBody."


def test_a_message_over_the_queues_maximum_size_with_its_attributes_is_refused(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"MaximumMessageSize": "1024"})
    error = error_of(lambda: sqs.send_message(QueueUrl=queue, MessageBody="a" * 1025))
    assert error["Message"] == "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes."
    # the attributes count too: names, types and values
    attributes = {"note": {"DataType": "String", "StringValue": "b" * 20}}
    error = error_of(lambda: sqs.send_message(QueueUrl=queue, MessageBody="a" * 1000, MessageAttributes=attributes))
    assert error["Message"] == "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes."


@pytest.mark.parametrize("name", ["MessageGroupId", "MessageDeduplicationId"])
@pytest.mark.parametrize("value", ["", "a" * 129, "group 123"])
def test_message_group_and_deduplication_ids_are_checked(aws: Aws, queue: str, name: str, value: str) -> None:
    error = error_of(lambda: aws("sqs").send_message(QueueUrl=queue, MessageBody="x", **{name: value}))
    assert error["Code"] == "InvalidParameterValue"
    assert error["Message"] == (
        f"Value {value} for parameter {name} is invalid. Reason: {name} can only include alphanumeric and "
        "punctuation characters. 1 to 128 in length."
    )


def test_an_empty_string_attribute_is_refused(aws: Aws, queue: str) -> None:
    attributes = {"ErrorDetails": {"StringValue": "", "DataType": "String"}}
    error = error_of(lambda: aws("sqs").send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes))
    assert (
        error["Message"] == "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'."
    )


def test_batches_are_checked(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    entries = [{"Id": str(i), "ReceiptHandle": "r"} for i in range(11)]
    error = error_of(lambda: sqs.delete_message_batch(QueueUrl=queue, Entries=entries))
    assert (error["Code"], error["QueryErrorCode"]) == (
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "TooManyEntriesInBatchRequest",
    )
    assert error["Message"] == "Maximum number of entries per request are 10. You have sent 11."
    error = error_of(lambda: sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": "a:b", "MessageBody": "x"}]))
    assert error["Code"] == "AWS.SimpleQueueService.InvalidBatchEntryId"
    big = [{"Id": str(i), "MessageBody": "a" * 262_144} for i in range(4)] + [{"Id": "x", "MessageBody": "a"}]
    error = error_of(lambda: sqs.send_message_batch(QueueUrl=queue, Entries=big))
    assert error["Code"] == "AWS.SimpleQueueService.BatchRequestTooLong"
    assert error["Message"] == "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes."


def test_queue_type_attributes_are_checked(aws: Aws, queue: str, fifo_queue: str) -> None:
    sqs = aws("sqs")
    error = error_of(lambda: sqs.set_queue_attributes(QueueUrl=queue, Attributes={"FifoQueue": "true"}))
    assert (error["Code"], error["Message"]) == ("InvalidAttributeName", "Unknown Attribute FifoQueue.")
    sqs.set_queue_attributes(QueueUrl=fifo_queue, Attributes={"FifoQueue": "true"})  # no change: accepted
    error = error_of(lambda: sqs.set_queue_attributes(QueueUrl=fifo_queue, Attributes={"FifoQueue": "false"}))
    assert error["Code"] == "InvalidAttributeValue"
    assert (
        error["Message"] == "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported."
    )
    error = error_of(
        lambda: sqs.create_queue(QueueName=unique("std"), Attributes={"ContentBasedDeduplication": "true"})
    )
    assert (error["Code"], error["Message"]) == ("InvalidAttributeName", "Unknown Attribute ContentBasedDeduplication.")
    error = error_of(lambda: sqs.create_queue(QueueName=unique("std") + ".fifo"))
    assert error["Code"] == "InvalidParameterValue"
    error = error_of(lambda: sqs.create_queue(QueueName=unique("std"), Attributes={"FifoQueue": "false"}))
    assert (error["Code"], error["Message"]) == ("InvalidAttributeName", "Unknown Attribute FifoQueue.")


def test_a_receipt_handle_no_message_had_is_invalid(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    for call in (
        lambda: sqs.delete_message(QueueUrl=queue, ReceiptHandle="garbage"),
        lambda: sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle="garbage", VisibilityTimeout=5),
    ):
        error = error_of(call)
        assert (error["Code"], error["Message"]) == (
            "ReceiptHandleIsInvalid",
            'The input receipt handle "garbage" is not a valid receipt handle.',
        )


def test_changing_the_visibility_of_a_deleted_message_is_an_invalid_value(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    handle = sqs.receive_message(QueueUrl=queue)["Messages"][0]["ReceiptHandle"]
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=handle)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=handle)  # again: accepted
    error = error_of(lambda: sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=handle, VisibilityTimeout=5))
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValue",
        f"Value {handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available "
        "for visibility timeout change.",
    )


def test_a_body_or_string_attribute_with_invalid_characters_is_refused(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    error = error_of(lambda: sqs.send_message(QueueUrl=queue, MessageBody=f"bad-{chr(8)}-{chr(0xFFFF)}"))
    assert error["Code"] == "InvalidMessageContents"
    attributes = {"a": {"DataType": "String", "StringValue": f"bad-{chr(11)}"}}
    error = error_of(lambda: sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes))
    assert error["Code"] == "InvalidParameterValue"  # in an attribute, an invalid value
    assert error["Message"].startswith("Invalid characters found.")


def test_an_attribute_type_over_255_characters_is_refused(aws: Aws, queue: str) -> None:
    attributes = {"a": {"DataType": "Number." + "L" * 300, "StringValue": "1"}}
    error = error_of(lambda: aws("sqs").send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes))
    assert error["Code"] == "InvalidParameterValue"


def test_an_attribute_name_may_hold_any_letter(aws: Aws, queue: str) -> None:
    letters = {"attr.1øßä": {"DataType": "String", "StringValue": "ok"}}
    assert aws("sqs").send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=letters)["MessageId"]


@pytest.mark.parametrize("name", ["aWs.x", "AMAZON.x", ".x", "x.", "a..b"])
def test_attribute_names_aws_refuses_are_refused(aws: Aws, queue: str, name: str) -> None:
    attributes = {name: {"DataType": "String", "StringValue": "v"}}
    error = error_of(lambda: aws("sqs").send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes))
    assert error["Code"] == "InvalidParameterValue"


def test_a_fifo_batch_entry_without_a_group_is_an_invalid_value(aws: Aws, fifo_queue: str) -> None:
    entries = [{"Id": "1", "MessageBody": "x", "MessageDeduplicationId": "d"}]
    error = error_of(lambda: aws("sqs").send_message_batch(QueueUrl=fifo_queue, Entries=entries))
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValue",
        "The request must contain the parameter MessageGroupId.",
    )


def test_creating_a_queue_again_with_other_attribute_values_names_the_attribute(aws: Aws) -> None:
    sqs = aws("sqs")
    name = unique("again")
    url = sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "1", "ReceiveMessageWaitTimeSeconds": "1"})[
        "QueueUrl"
    ]
    try:
        assert sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "1"})["QueueUrl"] == url
        error = error_of(lambda: sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "2"}))
        assert (error["Code"], error["QueryErrorCode"]) == ("QueueAlreadyExists", "QueueNameExists")
        assert error["Message"] == (
            "A queue already exists with the same name and a different value for attribute DelaySeconds"
        )
    finally:
        sqs.delete_queue(QueueUrl=url)


def test_a_query_protocol_error_has_no_lower_case_message(queue: str) -> None:
    response = presigned_get(queue, {"Action": "ReceiveMessage", "MaxNumberOfMessages": "11"})
    assert response.status_code == 400
    assert "<Message>Value 11 for parameter MaxNumberOfMessages is invalid." in response.text
    assert "<message>" not in response.text


def test_a_batch_entry_with_invalid_contents_or_size_fails_alone(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"MaximumMessageSize": "1024"})
    entries = [
        {"Id": "good", "MessageBody": "ok"},
        {"Id": "control", "MessageBody": "\x01"},
        {"Id": "big", "MessageBody": "a" * 1025},
    ]
    result = sqs.send_message_batch(QueueUrl=queue, Entries=entries)
    assert [entry["Id"] for entry in result["Successful"]] == ["good"]
    failed = {entry["Id"]: (entry["Code"], entry["Message"]) for entry in result["Failed"]}
    assert failed["control"][0] == "InvalidMessageContents"
    assert failed["big"] == (
        "InvalidParameterValue",
        "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.",
    )


def test_a_second_purge_within_a_minute_is_refused_with_403(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    sqs.purge_queue(QueueUrl=queue)
    with pytest.raises(ClientError) as caught:
        sqs.purge_queue(QueueUrl=queue)
    assert caught.value.response["Error"]["Code"] == "AWS.SimpleQueueService.PurgeQueueInProgress"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_missing_queue_over_the_query_protocol_is_worded_for_it(aws: Aws) -> None:
    url = aws("sqs").meta.endpoint_url
    body = {"Action": "GetQueueUrl", "QueueName": unique("none"), "Version": "2012-11-05"}
    response = requests.post(url, data=body, timeout=10, headers={"Authorization": AUTHORIZATION})
    assert response.status_code == 400
    assert "The specified queue does not exist for this wsdl version." in response.text
