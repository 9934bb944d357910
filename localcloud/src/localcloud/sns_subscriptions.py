"""SNS subscriptions that wait for confirmation, as AWS's HTTP(S) subscriptions do; listings as AWS pages them.

moto confirms every subscription at once. On AWS an `http`/`https` subscription is pending until its
endpoint confirms it: SNS posts a `SubscriptionConfirmation` (with a `Token` and a `SubscribeURL`) to the
endpoint, and nothing else is delivered there until the endpoint visits the URL or calls
ConfirmSubscription with the token. Here:

- Subscribe of `http`/`https` answers `pending confirmation` (the ARN only with `ReturnSubscriptionArn`),
  marks the subscription `PendingConfirmation`, and posts the signed confirmation message to the endpoint.
- ConfirmSubscription with that token (or a GET of the `SubscribeURL`, on the local cloud's endpoint)
  confirms it; an unknown token, or one of another topic, is `InvalidParameter` "Invalid parameter: Token".
- ListSubscriptions(ByTopic) name a pending subscription `PendingConfirmation`, and their `NextToken` is
  base64, as AWS's is (moto's was a bare number).

Email subscriptions are not held: the local cloud confirms them at once and mails to the local sink
(sns_delivery.py), so a stack's email subscriptions work without anyone clicking a link. Subscriptions made
by CloudFormation are confirmed at once too.
"""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
import threading
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import requests
from werkzeug.wrappers import Request, Response

from localcloud import sns_api
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.sns_subscriptions")

CONFIRMED_AT_SUBSCRIBE = ("http", "https")  # the protocols held until their endpoint confirms
CONFIRMATION_FIELDS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]


class _State:
    endpoint = "http://localhost:4566"  # the local cloud's, set by install
    tokens: dict[str, str] = {}  # noqa: RUF012 - confirmation token -> subscription ARN, process-wide


def is_pending(subscription: Any) -> bool:
    return subscription.attributes.get("PendingConfirmation") is True


def _confirm(backend: Any, topic_arn: str | None, token: str) -> str:
    from moto.sns.exceptions import SNSInvalidParameter

    arn = _State.tokens.get(token)
    subscription = backend.subscriptions.get(arn) if arn else None
    if subscription is None or subscription.topic.arn != topic_arn:
        raise SNSInvalidParameter("Invalid parameter: Token")
    subscription.attributes["PendingConfirmation"] = False
    subscription.attributes["ConfirmationWasAuthenticated"] = True
    subscription.confirmed = True
    return str(subscription.arn)


def _send_confirmation(subscription: Any, token: str) -> None:
    topic_arn = subscription.topic.arn
    data: dict[str, Any] = subscription.get_post_data(
        f"You have chosen to subscribe to the topic {topic_arn}.\n"
        "To confirm the subscription, visit the SubscribeURL included in this message.",
        str(uuid.uuid4()),
        None,
    )
    data.pop("UnsubscribeURL", None)
    query = urlencode({"Action": "ConfirmSubscription", "TopicArn": topic_arn, "Token": token})
    data.update(Type="SubscriptionConfirmation", Token=token, SubscribeURL=f"{_State.endpoint}/?{query}")
    sns_api.sign(subscription, data, CONFIRMATION_FIELDS)
    headers = {
        "Content-Type": "text/plain; charset=UTF-8",
        "x-amz-sns-message-type": "SubscriptionConfirmation",
        "x-amz-sns-message-id": data["MessageId"],
        "x-amz-sns-topic-arn": topic_arn,
    }

    def post() -> None:
        try:
            requests.post(subscription.endpoint, json=data, headers=headers, timeout=10)
        except requests.RequestException as error:
            log.warning("SNS subscription confirmation to %s not delivered: %s", subscription.endpoint, error)

    threading.Thread(target=post, name="sns-confirmation", daemon=True).start()


# -- the patched responses --------------------------------------------------------------------------
def _subscribe(self: Any) -> Any:
    from moto.core.responses import ActionResult
    from moto.sns.responses import SNSResponse

    protocol = self._get_param("Protocol")
    existing = self.backend._find_subscription(self._get_param("TopicArn"), self._get_param("Endpoint"), protocol)
    result = original(SNSResponse, "subscribe")(self)
    subscription = self.backend.subscriptions[result.result["SubscriptionArn"]]
    if existing is None and protocol in CONFIRMED_AT_SUBSCRIBE:
        subscription.attributes["PendingConfirmation"] = True
        subscription.attributes["ConfirmationWasAuthenticated"] = False
        subscription.confirmed = False
        token = secrets.token_hex(144)
        _State.tokens[token] = subscription.arn
        _send_confirmation(subscription, token)
    if is_pending(subscription) and str(self._get_param("ReturnSubscriptionArn")).lower() != "true":
        return ActionResult({"SubscriptionArn": "pending confirmation"})
    return result


def _confirm_subscription(self: Any) -> Any:
    from moto.core.responses import ActionResult

    arn = _confirm(self.backend, self._get_param("TopicArn"), str(self._get_param("Token") or ""))
    return ActionResult({"SubscriptionArn": arn})


def _listed(subscriptions: list[Any], next_token: Any) -> Any:
    from moto.core.responses import ActionResult

    listed = [
        {
            "SubscriptionArn": "PendingConfirmation" if is_pending(s) else s.arn,
            "Owner": s.owner,
            "Protocol": s.protocol,
            "Endpoint": s.endpoint,
            "TopicArn": s.topic.arn,
        }
        for s in subscriptions
    ]
    token = base64.b64encode(str(next_token).encode()).decode() if next_token is not None else None
    return ActionResult({"Subscriptions": listed, "NextToken": token})


def _page(token: Any) -> str | None:
    """moto's page offset from AWS's base64 NextToken (a bare number is accepted as well)."""
    if not token:
        return None
    try:
        return base64.b64decode(str(token), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return str(token)


def _list_subscriptions(self: Any) -> Any:
    return _listed(*self.backend.list_subscriptions(next_token=_page(self._get_param("NextToken"))))


def _list_subscriptions_by_topic(self: Any) -> Any:
    topic_arn, page = self._get_param("TopicArn"), _page(self._get_param("NextToken"))
    return _listed(*self.backend.list_subscriptions_by_topic(topic_arn, next_token=page))


def _subscribe_url(request: Request) -> Response:
    """GET of a SubscribeURL: what AWS answers there, an XML ConfirmSubscriptionResponse."""
    from moto.sns.exceptions import SNSException
    from moto.sns.models import sns_backends

    topic_arn = request.args.get("TopicArn", "")
    parts = topic_arn.split(":")
    try:
        if len(parts) != 6:
            raise sns_api.Refused("Invalid parameter: TopicArn")
        arn = _confirm(sns_backends[parts[4]][parts[3]], topic_arn, request.args.get("Token", ""))
    except (sns_api.Refused, SNSException) as error:
        body = (
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>"
            f"<Message>{error}</Message></Error></ErrorResponse>"
        )
        return Response(body, status=400, mimetype="text/xml")
    body = (
        '<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult>'
        f"<SubscriptionArn>{arn}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>"
    )
    return Response(body, mimetype="text/xml")


def install(cloud: LocalCloud) -> None:
    from moto.sns.responses import SNSResponse

    _State.endpoint = cloud.settings.endpoint
    replace(SNSResponse, "subscribe", _subscribe)
    replace(SNSResponse, "confirm_subscription", _confirm_subscription)
    replace(SNSResponse, "list_subscriptions", _list_subscriptions)
    replace(SNSResponse, "list_subscriptions_by_topic", _list_subscriptions_by_topic)
    cloud.add_route(
        "sns_subscribe_url",
        lambda r: r.method == "GET" and r.path == "/" and r.args.get("Action") == "ConfirmSubscription",
        _subscribe_url,
    )
