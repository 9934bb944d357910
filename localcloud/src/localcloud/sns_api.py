"""SNS requests checked as AWS checks them, at one place, before moto runs the action.

moto 5.2.5 accepts much that AWS refuses, so a program that works here could fail on AWS with
`InvalidParameter`. `CHECKS` applies AWS's rules, with AWS's codes and wording, per action:

- ARNs (`TopicArn` of any action, `SubscriptionArn`) with fewer than six parts; a subscription ARN without its id;
  a `TopicArn` of another region than the request's (AWS: `Invalid parameter: TopicArn`).
- Publish: an empty `Subject`, an empty message, a message over 256 KiB (its attributes' names, types and
  values count), `MessageStructure=json` that does not parse or has no string `default`, a
  `MessageDeduplicationId` to a standard topic, message attributes (name, type, value field), a phone number
  that is not E.164, a topic that does not exist (`NotFound`) or a platform endpoint that does not.
- PublishBatch: more than 10 entries, repeated or malformed ids, more than 256 KiB in all (attributes count), a
  FIFO topic's entry without `MessageGroupId` or (without content-based deduplication) `MessageDeduplicationId`.
- Subscribe: a protocol SNS does not have, an SQS endpoint that is not an ARN, attributes as below, the same
  endpoint again with other attributes. SetSubscriptionAttributes: an attribute subscriptions do not have; a
  `RawMessageDelivery` that is not true or false, a `FilterPolicy` or `RedrivePolicy` that is not JSON, a
  `deadLetterTargetArn` that is not an ARN (or not a FIFO queue, for a FIFO queue subscribed to a FIFO topic).
- Publish to a FIFO topic without `MessageGroupId`, or without `MessageDeduplicationId` when the topic does not
  deduplicate by content.
- CreateTopic: a name AWS refuses (1 to 256 letters, digits, `-`, `_`; `.fifo` exactly for a FIFO topic), an
  existing name with other attributes (or one it does not have) or tags. TagResource with a key twice.
- SetTopicAttributes of `FifoTopic`; AddPermission with a label already there or an action SNS has not.

Besides: SetSubscriptionAttributes of a missing subscription is `NotFound` "Subscription does not
exist"; GetSubscriptionAttributes names the `SubscriptionPrincipal`; GetTopicAttributes lists
`DeliveryPolicy`, `SignatureVersion` and the other optional attributes once set (moto listed an empty
`DeliveryPolicy` and never the others), and AWS's default `EffectiveDeliveryPolicy`; Put/GetDataProtectionPolicy
(moto has neither) keep a topic's policy; a notification is signed as the topic's
`SignatureVersion` says, `1` (SHA1) unless set to `2` (moto always signed version 2, and left `Subject` out
of the string it signed), with one `SigningCertURL` per signing key (moto: one per message), served by the
local cloud itself so that a signature can be checked offline (moto pointed at sns.{region}.amazonaws.com,
which has no such certificate), and an `UnsubscribeURL` naming the subscription (moto: a made-up one).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from moto.core.utils import camelcase_to_underscores
from werkzeug.wrappers import Request, Response

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

MAX_MESSAGE_BYTES = 262_144
CALLER_USER = "moto"  # the user moto's STS GetCallerIdentity names for any local credentials
MAX_BATCH_ENTRIES = 10
BATCH_ID = re.compile(r"^[A-Za-z0-9_-]+$")
PROTOCOLS = ("http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose")
SUBSCRIPTION_ATTRIBUTES = (
    "DeliveryPolicy",
    "FilterPolicy",
    "FilterPolicyScope",
    "RawMessageDelivery",
    "RedrivePolicy",
    "SubscriptionRoleArn",
    "ReplayPolicy",
)
FEEDBACK_ATTRIBUTES = ("SuccessFeedbackRoleArn", "SuccessFeedbackSampleRate", "FailureFeedbackRoleArn")
SUBSCRIPTION_DEFAULTS = {"RawMessageDelivery": "false", "FilterPolicyScope": "MessageAttributes"}
TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # a FIFO topic's name: this, then ".fifo"
E164 = re.compile(r"^\+?[1-9]\d{1,14}$")  # a phone number AWS publishes to
DATA_TYPE = re.compile(r"^(String|Number|Binary)(\..+)?$")  # a type, with an optional custom suffix
ATTRIBUTE_NAME = re.compile(r"^[\w.-]+$")
# The signing certificates, served at the local cloud's endpoint (where SigningCertURL points) by name.
CERTIFICATES: dict[str, bytes] = {}
CERTIFICATE_PATH = re.compile(r"^/(SimpleNotificationService-[0-9a-f]{32}\.pem)$")
_endpoint = ["http://localhost:4566"]  # the local cloud's, set by install
# Listed by GetTopicAttributes once set (moto lists DeliveryPolicy always, the others never).
OPTIONAL_TOPIC_ATTRIBUTES = (
    "DeliveryPolicy",
    "KmsMasterKeyId",
    "SignatureVersion",
    "TracingConfig",
    "ArchivePolicy",
    "FifoThroughputScope",
    *(f"{p}{f}" for p in ("Application", "Firehose", "HTTP", "Lambda", "SQS") for f in FEEDBACK_ATTRIBUTES),
)
VALUE_INVALID = "ParameterValueInvalid"
# What AWS answers for a topic's EffectiveDeliveryPolicy until a DeliveryPolicy is set (moto had another shape).
EFFECTIVE_DELIVERY_POLICY = {
    "http": {
        "defaultHealthyRetryPolicy": {
            "minDelayTarget": 20,
            "maxDelayTarget": 20,
            "numRetries": 3,
            "numMaxDelayRetries": 0,
            "numNoDelayRetries": 0,
            "numMinDelayRetries": 0,
            "backoffFunction": "linear",
        },
        "disableSubscriptionOverrides": False,
        "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"},
    }
}  # the code of a message attribute AWS refuses


class Refused(Exception):
    """An SNS error AWS would answer with, raised by a check."""

    def __init__(self, message: str, code: str = "InvalidParameter") -> None:
        super().__init__(message)
        self.code, self.message = code, message


def invalid(message: str) -> Refused:
    return Refused(f"Invalid parameter: {message}")


def check_arn(name: str, value: Any) -> None:
    if value is None:
        return
    parts = str(value).split(":")
    if len(parts) < 6:
        raise invalid(f"{name} Reason: An ARN must have at least 6 elements, not {len(parts)}")


def _check_topic_arn(response: Any, arn: Any) -> None:
    """Any action's TopicArn: six parts, and the region asked (a topic is not reached from another region)."""
    check_arn("TopicArn", arn)
    if arn is not None and str(arn).split(":")[3] != response.region:
        raise invalid("TopicArn")


def _topic(response: Any, arn: str | None) -> Any:
    return response.backend.topics.get(arn) if arn else None


def _check_message_attributes(attributes: dict[str, Any], entry: int | None = None) -> None:
    """`entry`: the 1-based position of a PublishBatch entry, which AWS names when a DataType is missing."""
    for name, value in (attributes or {}).items():
        if len(name.encode()) >= 256:
            raise Refused("Length of message attribute name must be less than 256 bytes.", VALUE_INVALID)
        bad = next((c for c in name if not ATTRIBUTE_NAME.match(c)), None)
        if bad is not None:
            raise Refused(
                f"Invalid non-alphanumeric character '#x{ord(bad):X}' was found in the message attribute name. Can "
                "only include alphanumeric characters, hyphens, underscores, or dots.",
                VALUE_INVALID,
            )
        if name.startswith("."):
            raise Refused("Invalid message attribute name starting with character '.' was found.", VALUE_INVALID)
        if name.endswith("."):
            raise Refused("Invalid message attribute name ending with character '.' was found.", VALUE_INVALID)
        if ".." in name:
            raise Refused("Message attribute name can not have successive '.' character.", VALUE_INVALID)
        if value.get("DataType") is None:
            at = f"publishBatchRequestEntries.{entry}.member." if entry else ""
            raise Refused(
                f"1 validation error detected: Value null at '{at}messageAttributes.{name}.member.dataType' failed to "
                "satisfy constraint: Member must not be null",
                "ValidationError",
            )
        data_type = str(value.get("DataType"))
        kind = data_type.split(".")[0]
        if not DATA_TYPE.match(data_type):
            raise Refused(
                f"The message attribute '{name}' has an invalid message attribute type, the set of supported type "
                "prefixes is Binary, Number, and String.",
                VALUE_INVALID,
            )
        field, other = ("BinaryValue", "StringValue") if kind == "Binary" else ("StringValue", "BinaryValue")
        if value.get(field) in (None, "", b"") and value.get(other) not in (None, "", b""):
            raise Refused(
                f"The message attribute '{name}' with type '{kind}' must use field '{field[: -len('Value')]}'.",
                VALUE_INVALID,
            )
        if value.get(field) in (None, "", b""):
            raise Refused(
                f"The message attribute '{name}' must contain non-empty message attribute value for message "
                f"attribute type '{kind}'.",
                VALUE_INVALID,
            )


def _check_structure(message: str, structure: str | None) -> None:
    if structure != "json":
        return
    try:
        parsed = json.loads(message)
    except ValueError:
        raise invalid("Message Structure - JSON message body failed to parse") from None
    # a protocol's entry that is not a string is ignored, so a `default` that is not one is missing
    if not isinstance(parsed, dict) or not isinstance(parsed.get("default"), str):
        raise invalid("Message Structure - No default entry in JSON message body")


def _size(message: Any, attributes: dict[str, Any] | None) -> int:
    """What counts against the 256 KiB limit: the message, and each attribute's name, type and value."""

    def length(value: Any) -> int:
        return len(value) if isinstance(value, bytes) else len(str(value).encode())

    return length(message or "") + sum(
        length(name) + sum(length(v) for v in attribute.values()) for name, attribute in (attributes or {}).items()
    )


def _check_target(response: Any, params: dict[str, Any]) -> None:
    """The topic (or platform endpoint) published to exists, in the region asked."""
    arn = params.get("TopicArn") or params.get("TargetArn")
    if not arn or params.get("PhoneNumber") is not None:
        return
    if ":endpoint/" in str(arn):
        if arn not in response.backend.platform_endpoints:
            raise invalid("TargetArn Reason: No endpoint found for the target arn specified")
    elif _topic(response, arn) is None:
        raise Refused("Topic does not exist", "NotFound")


def _check_fifo_entry(topic: Any, entry: dict[str, Any]) -> None:
    """A message to a FIFO topic: a group, and a deduplication id unless the topic deduplicates by content."""
    if not entry.get("MessageGroupId"):
        raise invalid("The MessageGroupId parameter is required for FIFO topics")
    if not entry.get("MessageDeduplicationId") and str(topic.content_based_deduplication).lower() != "true":
        raise invalid(
            "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
            "provided explicitly"
        )


def _check_publish(response: Any) -> None:
    params = response.params
    check_arn("TargetArn", params.get("TargetArn"))
    if params.get("Subject") == "":
        raise invalid("Subject")
    message = params.get("Message")
    if not message:
        raise invalid("Empty message")
    number = params.get("PhoneNumber")
    if number is not None and not E164.match(str(number)):
        raise invalid(f"PhoneNumber Reason: {number} is not valid to publish to")
    _check_message_attributes(params.get("MessageAttributes") or {})
    if _size(message, params.get("MessageAttributes")) > MAX_MESSAGE_BYTES:
        raise invalid("Message too long")
    topic = _topic(response, params.get("TopicArn") or params.get("TargetArn"))
    if topic is not None and topic.fifo_topic:
        _check_fifo_entry(topic, params)
    if topic is not None and not topic.fifo_topic and params.get("MessageDeduplicationId") is not None:
        raise invalid(
            "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid "
            "for this topic type"
        )
    _check_structure(str(message), params.get("MessageStructure"))
    _check_target(response, params)


def _check_publish_batch(response: Any) -> None:
    params = response.params
    entries: list[dict[str, Any]] = params.get("PublishBatchRequestEntries") or []
    if len(entries) > MAX_BATCH_ENTRIES:
        raise Refused("The batch request contains more entries than permissible.", "TooManyEntriesInBatchRequest")
    ids = [str(entry.get("Id", "")) for entry in entries]
    if len(set(ids)) != len(ids):
        raise Refused("Two or more batch entries in the request have the same Id.", "BatchEntryIdsNotDistinct")
    for entry_id in ids:
        if len(entry_id) > 80:
            raise Refused(
                f"The Id of a batch entry in the batch request is too long: {entry_id}", "InvalidBatchEntryId"
            )
        if not BATCH_ID.match(entry_id):
            raise Refused(
                f"The Id of a batch entry in the batch request contains an impermissible character: {entry_id}",
                "InvalidBatchEntryId",
            )
    _check_target(response, params)
    topic = _topic(response, params.get("TopicArn"))
    for position, entry in enumerate(entries, start=1):
        _check_message_attributes(entry.get("MessageAttributes") or {}, position)
        _check_structure(str(entry.get("Message", "")), entry.get("MessageStructure"))
        if topic is not None and topic.fifo_topic:
            _check_fifo_entry(topic, entry)
    if sum(_size(entry.get("Message"), entry.get("MessageAttributes")) for entry in entries) > MAX_MESSAGE_BYTES:
        raise Refused("The length of all the messages put together is more than the limit.", "BatchRequestTooLong")


def _check_subscription_attribute(name: str, value: Any, prefix: str) -> None:
    if name == "RawMessageDelivery" and str(value).lower() not in ("true", "false"):
        raise invalid(f"{prefix}RawMessageDelivery: Invalid value [{value}]. Must be true or false.")
    if name in ("FilterPolicy", "RedrivePolicy") and value:
        try:
            policy = json.loads(str(value))
        except ValueError as error:
            raise invalid(f"{prefix}{name}: failed to parse JSON. {error}") from None
        target = policy.get("deadLetterTargetArn") if name == "RedrivePolicy" and isinstance(policy, dict) else None
        if target is not None and len(str(target).split(":")) < 6:
            raise invalid(f"{prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn")


def _check_subscribe(response: Any) -> None:
    params = response.params
    check_arn("TopicArn", params.get("TopicArn"))
    protocol, endpoint = str(params.get("Protocol") or ""), str(params.get("Endpoint") or "")
    if protocol not in PROTOCOLS:
        raise invalid(f"Amazon SNS does not support this protocol string: {protocol}")
    if protocol == "sqs" and not endpoint.startswith("arn:"):
        raise invalid("SQS endpoint ARN")
    attributes = params.get("Attributes") or {}
    for name, value in attributes.items():
        _check_subscription_attribute(name, value, "Attributes Reason: ")
    existing = response.backend._find_subscription(params.get("TopicArn"), endpoint, protocol)
    if existing is None:
        return
    current = {**SUBSCRIPTION_DEFAULTS, **{k: v for k, v in existing.attributes.items() if v not in (None, "")}}
    for name, value in attributes.items():  # subscribing again is no change, unless an attribute differs
        if name in SUBSCRIPTION_ATTRIBUTES and str(current.get(name, "")).lower() != str(value).lower():
            raise invalid("Attributes Reason: Subscription already exists with different attributes")


def _check_set_subscription_attributes(response: Any) -> None:
    params = response.params
    name = params.get("AttributeName")
    if name not in SUBSCRIPTION_ATTRIBUTES:
        raise invalid("AttributeName")
    if params.get("SubscriptionArn") not in response.backend.subscriptions:
        raise Refused("Subscription does not exist", "NotFound")
    _check_subscription_attribute(str(name), params.get("AttributeValue") or "", "")
    subscription = response.backend.subscriptions[params["SubscriptionArn"]]
    if name == "RedrivePolicy" and subscription.topic.fifo_topic and subscription.endpoint.endswith(".fifo"):
        target = str(json.loads(params.get("AttributeValue") or "{}").get("deadLetterTargetArn", ""))
        if not target.endswith(".fifo"):
            raise invalid("RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.")


def _check_unsubscribe(response: Any) -> None:
    arn = response.params.get("SubscriptionArn")
    if not arn:
        raise invalid("SubscriptionArn Reason: no value for required parameter")
    check_arn("SubscriptionArn", arn)
    if len(str(arn).split(":")) == 6:
        raise invalid("SubscriptionId")


def _check_create_topic(response: Any) -> None:
    params = response.params
    name = str(params.get("Name") or "")
    fifo = str((params.get("Attributes") or {}).get("FifoTopic", "false")).lower() == "true"
    base = name[: -len(".fifo")] if fifo and name.endswith(".fifo") else name
    if not TOPIC_NAME.match(base) or fifo != name.endswith(".fifo"):
        raise invalid("Topic Name")
    topic = next((t for t in response.backend.topics.values() if t.name == name), None)
    if topic is None:
        return
    for key, value in (params.get("Attributes") or {}).items():
        current = getattr(topic, camelcase_to_underscores(key), None)
        if key == "FifoTopic" and str(value).lower() == "false" and not topic.fifo_topic:
            continue  # AWS keeps no explicit FifoTopic=false: asking for it again is no difference
        if current in (None, "") or str(current).lower() != str(value).lower():
            raise invalid("Attributes Reason: Topic already exists with different attributes")
    tags = {t["Key"]: t["Value"] for t in params.get("Tags") or []}
    existing = response.backend.list_tags_for_resource(topic.arn) if tags else {}
    if any(existing.get(key) != value for key, value in tags.items()):
        raise invalid("Tags Reason: Topic already exists with different tags")


def _check_set_topic_attributes(response: Any) -> None:
    if response.params.get("AttributeName") == "FifoTopic":  # only CreateTopic chooses the type
        raise invalid("AttributeName")


def _check_add_permission(response: Any) -> None:
    from moto.sns.models import VALID_POLICY_ACTIONS

    params = response.params
    topic = _topic(response, params.get("TopicArn"))
    if topic is None:
        return  # moto's NotFound
    if any(s.get("Sid") == params.get("Label") for s in json.loads(topic.policy).get("Statement", [])):
        raise invalid("Statement already exists")
    if any(action not in VALID_POLICY_ACTIONS for action in params.get("ActionName") or []):
        raise invalid("Policy statement action out of service scope!")


def _check_tag_resource(response: Any) -> None:
    keys = [t.get("Key") for t in response.params.get("Tags") or []]
    if len(set(keys)) != len(keys):
        raise invalid("Duplicated keys are not allowed.")


CHECKS: dict[str, Callable[[Any], None]] = {
    "Publish": _check_publish,
    "PublishBatch": _check_publish_batch,
    "Subscribe": _check_subscribe,
    "SetSubscriptionAttributes": _check_set_subscription_attributes,
    "Unsubscribe": _check_unsubscribe,
    "CreateTopic": _check_create_topic,
    "TagResource": _check_tag_resource,
    "SetTopicAttributes": _check_set_topic_attributes,
    "AddPermission": _check_add_permission,
}


def _data_protection_topic(response: Any) -> Any:
    arn = response.params.get("ResourceArn")
    check_arn("ResourceArn", arn)
    topic = _topic(response, arn)
    if topic is None:
        raise Refused("Topic does not exist", "NotFound")
    return topic


def _put_data_protection_policy(response: Any) -> dict[str, Any]:
    _data_protection_topic(response).data_protection_policy = response.params.get("DataProtectionPolicy") or ""
    return {}


def _get_data_protection_policy(response: Any) -> dict[str, Any]:
    return {"DataProtectionPolicy": getattr(_data_protection_topic(response), "data_protection_policy", "")}


# Actions moto 5.2.5 does not implement, answered here.
ACTIONS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "PutDataProtectionPolicy": _put_data_protection_policy,
    "GetDataProtectionPolicy": _get_data_protection_policy,
}


def _answer(self: Any, result: Any) -> Any:
    from moto.core.responses import ActionResult

    status, response_headers, body = self.serialized(ActionResult(result))
    response_headers["status"] = status
    response_headers, body = self._enrich_response(response_headers, body)
    return status, response_headers, body


def _dispatch(self: Any, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
    from moto.sns.exceptions import SNSException

    self.setup_class(request, full_url, headers)
    action = str(self._get_action())
    try:
        _check_topic_arn(self, self.params.get("TopicArn"))
        check = CHECKS.get(action)
        if check is not None:
            check(self)
        if action in ACTIONS:
            return _answer(self, ACTIONS[action](self))
    except Refused as refused:
        return _answer(self, SNSException(refused.code, refused.message))
    return self.call_action()


def _get_topic_attributes(self: Any) -> Any:
    """moto's attributes, a DeliveryPolicy only once set, and the optional attributes that were set."""
    from moto.core.responses import ActionResult

    topic = self.backend.get_topic(self._get_param("TopicArn"))
    attributes: dict[str, Any] = {
        "Owner": topic.account_id,
        "Policy": topic.policy,
        "TopicArn": topic.arn,
        "DisplayName": topic.display_name,
        "SubscriptionsPending": topic.subscriptions_pending,
        "SubscriptionsConfirmed": topic.subscriptions_confimed,
        "SubscriptionsDeleted": topic.subscriptions_deleted,
        "EffectiveDeliveryPolicy": topic.effective_delivery_policy,
    }
    if topic.fifo_topic:
        attributes["FifoTopic"] = topic.fifo_topic
        attributes["ContentBasedDeduplication"] = topic.content_based_deduplication
    for name in OPTIONAL_TOPIC_ATTRIBUTES:
        value = getattr(topic, camelcase_to_underscores(name), None)
        if value not in (None, ""):
            attributes[name] = value
    return ActionResult({"Attributes": attributes})


def _get_subscription_attributes(self: Any, arn: str) -> dict[str, Any]:
    """AWS names who subscribed; locally that is the caller STS's GetCallerIdentity names (moto's user)."""
    from moto.sns.models import SNSBackend

    attributes: dict[str, Any] = original(SNSBackend, "get_subscription_attributes")(self, arn)
    attributes.setdefault("SubscriptionPrincipal", f"arn:aws:iam::{self.account_id}:user/{CALLER_USER}")
    return attributes


def sign(subscription: Any, data: dict[str, Any], fields: list[str]) -> None:
    """Sign `fields` of a message to a subscription as its topic's SignatureVersion says (1: SHA1, 2: SHA256)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    version = str(getattr(subscription.topic, "signature_version", None) or "1")
    string_to_sign = "".join(f"{name}\n{data[name]}\n" for name in fields)
    algorithm = hashes.SHA256() if version == "2" else hashes.SHA1()  # noqa: S303 - AWS's SignatureVersion 1
    signature = subscription.private_key().sign(string_to_sign.encode(), padding.PKCS1v15(), algorithm)
    data["SignatureVersion"] = version
    data["Signature"] = base64.b64encode(signature).decode()


def _get_post_data(self: Any, message: str, message_id: str, subject: str | None, *args: Any, **kwargs: Any) -> Any:
    """A notification signed as the topic's SignatureVersion says: SHA1 (version 1, AWS's default) or SHA256."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.sns.models import Subscription, sns_backends

    data: dict[str, Any] = original(Subscription, "get_post_data")(self, message, message_id, subject, *args, **kwargs)
    sign(
        self,
        data,
        ["Message", "MessageId", *(["Subject"] if "Subject" in data else []), "Timestamp", "TopicArn", "Type"],
    )
    # One certificate per signing key (moto named a new one per message), and the subscription's own ARN to
    # unsubscribe (moto wrote a made-up id in us-east-1).
    cert_name = data["SigningCertURL"].rpartition("/")[2]
    public_key = self.private_key().public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    stable_name = f"SimpleNotificationService-{hashlib.sha256(public_key).hexdigest()[:32]}.pem"
    keys = sns_backends[DEFAULT_ACCOUNT_ID][self.topic.sns_backend.region_name]._message_public_keys
    if cert_name in keys:
        CERTIFICATES[stable_name] = keys.pop(cert_name)
    data["SigningCertURL"] = f"{_endpoint[0]}/{stable_name}"
    region = self.topic.sns_backend.region_name
    data["UnsubscribeURL"] = f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={self.arn}"
    return data


def _certificate(request: Request) -> Response:
    match = CERTIFICATE_PATH.match(request.path)
    certificate = CERTIFICATES.get(match.group(1)) if match else None
    if certificate is None:
        return Response("no such certificate", status=404, mimetype="text/plain")
    return Response(certificate, mimetype="application/x-x509-ca-cert")


def install(cloud: LocalCloud) -> None:
    from moto.sns import models

    _endpoint[0] = cloud.settings.endpoint
    cloud.add_route(
        "sns_signing_certificate", lambda r: r.method == "GET" and bool(CERTIFICATE_PATH.match(r.path)), _certificate
    )
    from moto.sns.models import SNSBackend, Subscription
    from moto.sns.responses import SNSResponse

    replace(models, "DEFAULT_EFFECTIVE_DELIVERY_POLICY", EFFECTIVE_DELIVERY_POLICY)

    replace(SNSResponse, "_dispatch", _dispatch)
    replace(SNSResponse, "get_topic_attributes", _get_topic_attributes)
    replace(Subscription, "get_post_data", _get_post_data)
    replace(SNSBackend, "get_subscription_attributes", _get_subscription_attributes)
