"""SNS deliveries moto leaves out: subscriptions from CloudFormation, email over SMTP, Lambda.

- `AWS::SNS::Subscription` becomes a CloudFormation model (moto skips the type): Protocol, TopicArn,
  Endpoint, RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy; Ref is the ARN.
- Publish to an `email` / `email-json` subscription sends a real SMTP message to the mail sink
  (localhost:LOCALCLOUD_SMTP_PORT) in AWS's form: From `AWS Notifications <no-reply@sns.amazonaws.com>`
  (the topic's DisplayName instead of "AWS Notifications" when set), the Publish Subject or
  "AWS Notification Message", and the message followed by AWS's unsubscribe footer (`email-json`: the
  JSON notification instead).
- Publish to an `sqs` subscription goes through sns_sqs.py (AWS's envelope, FIFO, redrive, raw delivery).
- Publish to a `lambda` subscription invokes the function asynchronously (Event) through the Lambda
  runner with AWS's SNS event; a function that does not exist sends it to the `RedrivePolicy` queue. A topic
  with a `LambdaSuccessFeedbackRoleArn` logs each delivery to CloudWatch Logs as AWS does.
- Email subscriptions are confirmed at once (AWS waits for a click), but the confirmation mail is
  still sent so the flow is visible; its link, and the unsubscribe link, work against the local cloud.
- Without SMTP email (LOCALCLOUD_PROFILE=localstack-community) an email notification is recorded, not
  mailed, as LocalStack community's SNS does through its SES: `GET /_aws/ses` lists it in LocalStack's
  shape (Source `admin@localstack.com`, Subject `SNS-Subscriber-Endpoint`, the bare message as text) and no
  confirmation is sent.

moto's only delivery hook is `Subscription.publish` (moto/sns/models.py); it and `SNSBackend.subscribe`
are the two patched internals (patches.replace; the tripwire is moto_internals.py). `http(s)` and the
other protocols stay moto's. A `MessageStructure=json` message's entry for a protocol counts only if it is a
string, as on AWS; nothing is delivered to a subscription pending confirmation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import smtplib
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import TYPE_CHECKING, Any

from moto.core.common_models import CloudFormationModel
from moto.sns.models import SNSBackend, Subscription, sns_backends
from werkzeug.wrappers import Request, Response

from localcloud import lambda_runner, sns_sqs
from localcloud.cfn_model import CfnModel, Properties
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.config import Settings
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.sns_delivery")

SENDER_ADDRESS = "no-reply@sns.amazonaws.com"
DEFAULT_SENDER_NAME = "AWS Notifications"  # a topic's DisplayName replaces it, as on AWS
DEFAULT_SUBJECT = "AWS Notification Message"
CONFIRMATION_SUBJECT = "AWS Notification - Subscription Confirmation"
# What LocalStack community's SNS email publisher sends through its SES (sns/publisher.py EmailJsonTopicPublisher).
SES_RECORD_PATH = "/_aws/ses"
SES_RECORD_SENDER = "admin@localstack.com"
SES_RECORD_SUBJECT = "SNS-Subscriber-Endpoint"
EMAIL_PROTOCOLS = ("email", "email-json")
HANDLED_PROTOCOLS = (*EMAIL_PROTOCOLS, "lambda", "sqs")


class _State:
    """What the patched moto methods need at call time (set by install)."""

    settings: Settings | None = None
    mail: ThreadPoolExecutor | None = None  # one worker: mails leave in publish order
    invokes: ThreadPoolExecutor | None = None
    confirmed: set[str] = set()  # noqa: RUF012 - process-wide on purpose
    recorded: list[dict[str, Any]] = []  # noqa: RUF012 - GET /_aws/ses, when the profile sends no SMTP email


# -- SMTP -------------------------------------------------------------------------------------
def _smtp_host(settings: Settings) -> str:
    return "127.0.0.1" if settings.bind in ("", "0.0.0.0", "::", "localhost") else settings.bind


def _sender(subscription: Subscription) -> str:
    return formataddr((subscription.topic.display_name or DEFAULT_SENDER_NAME, SENDER_ADDRESS))


def _send_mail(sender: str, to: str, subject: str, body: str) -> None:
    settings = _State.settings
    assert settings is not None, "sns_delivery is not installed"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain="email.amazonses.com")
    message.set_content(body)
    try:
        with smtplib.SMTP(_smtp_host(settings), settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning(
            "SNS email to %s (%r) not delivered: no SMTP server answered on port %d (%s). Start the local cloud's "
            "mail sink or Mailpit there, or set LOCALCLOUD_SMTP_PORT.",
            to,
            subject,
            settings.smtp_port,
            error,
        )


def _record_mail(to: str, body: str) -> None:
    """LocalStack community's SNS email: SES records it for GET /_aws/ses and nothing is mailed."""
    settings = _State.settings
    assert settings is not None, "sns_delivery is not installed"
    _State.recorded.append(
        {
            "Id": f"{uuid.uuid4().hex[:16]}-{uuid.uuid4()}-000000",
            "Region": settings.region,
            "Destination": {"ToAddresses": [to]},
            "Source": SES_RECORD_SENDER,
            "Subject": SES_RECORD_SUBJECT,
            "Body": {"text_part": body, "html_part": None},
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
        }
    )


def _recorded_mail(request: Request) -> Response:
    if request.method == "DELETE":
        _State.recorded.clear()
        return Response(status=204)
    wanted_id, wanted_source = request.args.get("id") or None, request.args.get("email") or None
    messages = [
        m for m in list(_State.recorded) if wanted_id in (None, m["Id"]) and wanted_source in (None, m["Source"])
    ]
    return Response(json.dumps({"messages": messages}), mimetype="application/json")


def _submit(executor: ThreadPoolExecutor | None, job: Callable[[], None]) -> None:
    if executor is None:
        log.warning("SNS delivery dropped: the local cloud is stopping")
        return
    executor.submit(_logged, job)


def _logged(job: Callable[[], None]) -> None:
    try:
        job()
    except Exception:
        log.exception("SNS delivery failed")


def _unsubscribe_url(subscription: Subscription) -> str:
    assert _State.settings is not None
    return (
        f"{_State.settings.endpoint}/unsubscribe.html?SubscriptionArn={subscription.arn}"
        f"&Endpoint={subscription.endpoint}"
    )


def notification_text(subscription: Subscription, message: str) -> str:
    """The body AWS sends to an `email` subscription: the message, then the unsubscribe footer."""
    return (
        f"{message}\n\n--\n"
        "If you wish to stop receiving notifications from this topic, please click or visit the link below "
        f"to unsubscribe:\n{_unsubscribe_url(subscription)}\n\n"
        "Please do not reply directly to this email. If you have any questions or comments regarding this "
        "email, please contact us at https://aws.amazon.com/support\n"
    )


def confirmation_text(subscription: Subscription) -> str:
    assert _State.settings is not None
    link = (
        f"{_State.settings.endpoint}/confirmation.html?TopicArn={subscription.topic.arn}"
        f"&Token=local-{subscription.arn.rsplit(':', 1)[-1]}&Endpoint={subscription.endpoint}"
    )
    return (
        f"You have chosen to subscribe to the topic: \n{subscription.topic.arn}\n\n"
        "To confirm this subscription, click or visit the link below (If this was in error no action is "
        f"necessary): \n{link}\n\n"
        "(Local cloud: this subscription is already confirmed; the link only shows that.)\n\n"
        "Please do not reply directly to this email. If you wish to remove yourself from receiving all future "
        "SNS subscription confirmation requests please send an email to sns-opt-out\n"
    )


# -- deliveries (the patched moto methods) ----------------------------------------------------
def _lambda_event(
    subscription: Subscription, message: str, message_id: str, subject: str | None, attributes: dict[str, Any] | None
) -> dict[str, Any]:
    post = subscription.get_post_data(message, message_id, subject, message_attributes=attributes)
    return {
        "Records": [
            {
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription.arn,
                "EventSource": "aws:sns",
                "Sns": {
                    "SignatureVersion": "1",  # AWS says 1 to a function even when it signed with version 2
                    "Timestamp": post["Timestamp"],
                    "Signature": post["Signature"],
                    "SigningCertUrl": post["SigningCertURL"],
                    "MessageId": message_id,
                    "Message": message,
                    "MessageAttributes": attributes or {},
                    "Type": "Notification",
                    "UnsubscribeUrl": post["UnsubscribeURL"],
                    "TopicArn": subscription.topic.arn,
                    "Subject": subject,
                },
            }
        ]
    }


def _invoke_function(subscription: Subscription, event: dict[str, Any]) -> None:
    parts = subscription.endpoint.split(":")
    if len(parts) not in (7, 8) or parts[5] != "function":
        log.warning("SNS lambda subscription %s: endpoint %r is not a function ARN", subscription.arn, parts)
        return
    try:
        result = lambda_runner.invoke(
            ":".join(parts[:7]),
            json.dumps(event).encode(),
            invocation_type="Event",
            account_id=parts[4],
            region=parts[3],
            qualifier=parts[7] if len(parts) == 8 else None,
        )
    except lambda_runner.FunctionNotFoundError:
        sns = event["Records"][0]["Sns"]  # the function is gone: SNS's dead-letter queue, if it has one
        if not sns_sqs.dead_letter(
            subscription, sns["Message"], sns["MessageId"], sns["Subject"], sns["MessageAttributes"]
        ):
            log.warning("SNS → %s: the function does not exist", subscription.endpoint)
        return
    if result.function_error:
        log.warning("SNS → %s failed: %s", subscription.endpoint, result.payload[:500])
    if getattr(subscription.topic, "lambda_success_feedback_role_arn", None):
        sns = event["Records"][0]["Sns"]
        _log_delivery(subscription, sns["Message"], sns["MessageId"], result.status_code, result.request_id)


def _log_delivery(subscription: Subscription, message: str, message_id: str, status: int, request_id: str) -> None:
    """The delivery status log AWS writes for a topic with a `LambdaSuccessFeedbackRoleArn`: one event in a new
    stream of the log group `sns/{region}/{account}/{topic}`."""
    from moto.logs.models import logs_backends

    topic = subscription.topic
    record = {
        "notification": {
            "messageMD5Sum": hashlib.md5(message.encode()).hexdigest(),  # noqa: S324 - AWS's field
            "messageId": message_id,
            "topicArn": topic.arn,
            "timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
        },
        "delivery": {
            "deliveryId": str(uuid.uuid4()),
            "destination": subscription.endpoint,
            "providerResponse": json.dumps({"lambdaRequestId": request_id}),
            "dwellTimeMs": 50,
            "statusCode": status,
        },
        "status": "SUCCESS",
    }
    group, stream = f"sns/{topic.sns_backend.region_name}/{topic.account_id}/{topic.name}", str(uuid.uuid4())
    backend = logs_backends[topic.account_id][topic.sns_backend.region_name]
    try:
        backend.ensure_log_group(group)
        backend.create_log_stream(group, stream)
        backend.put_log_events(
            group,
            stream,
            [{"timestamp": int(dt.datetime.now(dt.UTC).timestamp() * 1000), "message": json.dumps(record)}],
        )
    except Exception as error:
        log.warning("SNS delivery status log for %s not written: %s", topic.arn, error)


def _deliver(
    subscription: Subscription, message: str, message_id: str, subject: str | None, attributes: dict[str, Any] | None
) -> None:
    settings = _State.settings
    if subscription.protocol in EMAIL_PROTOCOLS and settings is not None and not settings.profile.sns_email_smtp:
        if subscription.protocol == "email":
            text = message
        else:
            text = json.dumps(subscription.get_post_data(message, message_id, subject, message_attributes=attributes))
        _record_mail(subscription.endpoint, text)
    elif subscription.protocol == "email":
        body = notification_text(subscription, message)
        sender, to, title = _sender(subscription), subscription.endpoint, subject or DEFAULT_SUBJECT
        _submit(_State.mail, lambda: _send_mail(sender, to, title, body))
    elif subscription.protocol == "email-json":
        envelope = subscription.get_post_data(message, message_id, subject, message_attributes=attributes)
        sender, to, title = _sender(subscription), subscription.endpoint, subject or DEFAULT_SUBJECT
        _submit(_State.mail, lambda: _send_mail(sender, to, title, json.dumps(envelope)))
    else:  # lambda
        event = _lambda_event(subscription, message, message_id, subject, attributes)
        _submit(_State.invokes, lambda: _invoke_function(subscription, event))


def _publish(
    self: Subscription,
    message: str,
    message_id: str,
    subject: str | None = None,
    message_attributes: dict[str, Any] | None = None,
    group_id: str | None = None,
    deduplication_id: str | None = None,
    message_structure: str | None = None,
) -> None:
    if self.attributes.get("PendingConfirmation") is True:
        return None  # nothing reaches an endpoint before it confirms (sns_subscriptions.py holds http(s) ones)
    if self.protocol not in HANDLED_PROTOCOLS:
        moto_publish = original(Subscription, "publish")
        return moto_publish(
            self, message, message_id, subject, message_attributes, group_id, deduplication_id, message_structure
        )
    # The same filtering moto applies to the protocols it delivers.
    matcher = self._filter_policy_matcher
    if matcher is not None and not matcher.matches(message_attributes, message):
        return None
    if message_structure == "json":
        message = structured(message, self.protocol)
    if self.protocol == "sqs":
        sns_sqs.deliver(self, message, message_id, subject, message_attributes, group_id, deduplication_id)
    else:
        _deliver(self, message, message_id, subject, message_attributes)
    return None


def structured(message: str, protocol: str) -> str:
    """A MessageStructure=json message's entry for a protocol: its own if a string (AWS ignores others), else
    `default` (moto sent a protocol's entry whatever it was)."""
    entries = json.loads(message)
    own = entries.get(protocol)
    return own if isinstance(own, str) else str(entries["default"])


def _subscribe(self: SNSBackend, topic_arn: str, endpoint: str, protocol: str) -> Subscription:
    subscription: Subscription = original(SNSBackend, "subscribe")(self, topic_arn, endpoint, protocol)
    settings = _State.settings
    smtp = settings is None or settings.profile.sns_email_smtp
    if protocol in EMAIL_PROTOCOLS and smtp and subscription.arn not in _State.confirmed:
        _State.confirmed.add(subscription.arn)
        body, sender = confirmation_text(subscription), _sender(subscription)
        _submit(_State.mail, lambda: _send_mail(sender, endpoint, CONFIRMATION_SUBJECT, body))
    return subscription


# -- CloudFormation: AWS::SNS::Subscription ---------------------------------------------------
def _attribute_value(name: str, value: Any) -> Any:
    if name == "RawMessageDelivery":
        return str(value).lower() == "true"
    return json.dumps(value) if isinstance(value, dict | list) else value


class SnsSubscriptionResource(CfnModel, CloudFormationModel):
    """AWS::SNS::Subscription: a subscription in moto's SNS backend, owned by a stack; Ref is its ARN."""

    TYPE = "AWS::SNS::Subscription"
    ATTRIBUTES = ("Arn",)
    # The subscription attributes the template may set, in the order they are set.
    SUBSCRIPTION_ATTRIBUTES = (
        "FilterPolicyScope",
        "FilterPolicy",
        "RawMessageDelivery",
        "RedrivePolicy",
        "DeliveryPolicy",
    )

    @classmethod
    def create(
        cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any
    ) -> SnsSubscriptionResource:
        missing = [p for p in ("Protocol", "TopicArn") if not props.get(p)]
        if missing:
            raise ValueError(f"AWS::SNS::Subscription {kwargs.get('LogicalId', name)}: {missing} required")
        topic_arn = str(props["TopicArn"])
        region = topic_arn.split(":")[3] or region_name
        backend: SNSBackend = sns_backends[account_id][region]
        subscription = backend.subscribe(topic_arn, str(props.get("Endpoint", "")), str(props["Protocol"]))
        # The scope first: moto validates a FilterPolicy against the scope already set.
        for attribute in cls.SUBSCRIPTION_ATTRIBUTES:
            if attribute in props:
                value = _attribute_value(attribute, props[attribute])
                backend.set_subscription_attributes(subscription.arn, attribute, value)
        return cls(account_id, region, subscription.arn)

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        sns_backends[account_id][resource_name.split(":")[3] or region_name].unsubscribe(resource_name)

    def delete(self, account_id: str, region_name: str) -> None:
        sns_backends[self.account_id][self.region_name].unsubscribe(self.physical_resource_id)


# -- the confirmation and unsubscribe links ----------------------------------------------------
def _page(title: str, text: str) -> Response:
    body = f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
    return Response(body + f"<p>{html.escape(text)}</p></body></html>", mimetype="text/html")


def _confirmation_page(request: Request) -> Response:
    topic_arn, endpoint = request.args.get("TopicArn", ""), request.args.get("Endpoint", "")
    parts = topic_arn.split(":")
    subscriptions = list(sns_backends[parts[4]][parts[3]].subscriptions.values()) if len(parts) == 6 else []
    found = [s for s in subscriptions if s.topic.arn == topic_arn and s.endpoint == endpoint]
    if not found:
        return _page("Subscription not found", f"No subscription of {endpoint} to {topic_arn}.")
    return _page("Subscription confirmed!", f"Your subscription's id is: {found[0].arn}")


def _unsubscribe_page(request: Request) -> Response:
    arn = request.args.get("SubscriptionArn", "")
    parts = arn.split(":")
    if len(parts) < 7:
        return _page("Subscription not found", f"{arn!r} is not a subscription ARN.")
    sns_backends[parts[4]][parts[3]].unsubscribe(arn)
    return _page("Subscription removed!", f"Your subscription to the topic {':'.join(parts[:6])} has been removed.")


def install(cloud: LocalCloud) -> None:
    _State.settings = cloud.settings
    replace(Subscription, "publish", _publish)
    replace(SNSBackend, "subscribe", _subscribe)
    cloud.add_route(
        "sns_confirmation_link",
        lambda r: r.method == "GET" and r.path == "/confirmation.html" and "TopicArn" in r.args,
        _confirmation_page,
    )
    cloud.add_route(
        "sns_unsubscribe_link",
        lambda r: r.method == "GET" and r.path == "/unsubscribe.html" and "SubscriptionArn" in r.args,
        _unsubscribe_page,
    )
    if not cloud.settings.profile.sns_email_smtp:
        cloud.add_route(
            "ses_recorded_mail", lambda r: r.method in ("GET", "DELETE") and r.path == SES_RECORD_PATH, _recorded_mail
        )

    def start() -> None:
        _State.mail = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sns-email")
        _State.invokes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sns-lambda")

    def stop() -> None:
        for executor in (_State.mail, _State.invokes):
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
        _State.mail = _State.invokes = None

    cloud.add_service("sns_delivery", start, stop)
