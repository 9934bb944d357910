"""SNS mobile push and SMS requests checked as AWS checks them (sns_mobile.py, and Publish to a phone number)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import unique
from test_sns_api import refusal

Aws = Callable[[str], Any]
NO_ATTRIBUTES = (
    "ValidationError",
    "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
)
CREDENTIALS = {"PlatformPrincipal": "p", "PlatformCredential": "c"}


@pytest.mark.parametrize(
    ("name", "platform", "attributes", "expected"),
    [
        ("", "ADM", CREDENTIALS, ("InvalidParameter", "Invalid parameter:  Reason: cannot be empty")),
        (
            "a" * 257,
            "ADM",
            CREDENTIALS,
            ("InvalidParameter", f"Invalid parameter: {'a' * 257} Reason: must be at most 256 characters long"),
        ),
        (
            "@app",
            "ADM",
            CREDENTIALS,
            (
                "InvalidParameter",
                "Invalid parameter: @app Reason: must contain only characters "
                "'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'",
            ),
        ),
        ("app", "AAA", CREDENTIALS, ("InvalidParameter", "Invalid parameter: Platform Reason: AAA is not supported")),
        ("app", "ADM", {}, NO_ATTRIBUTES),
        (
            "app",
            "ADM",
            {"PlatformPrincipal": "p"},
            (
                "InvalidParameter",
                "Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential",
            ),
        ),
        (
            "app",
            "GCM",
            {"PlatformCredential": "c"},
            (
                "InvalidParameter",
                "Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal",
            ),
        ),
    ],
    ids=["empty-name", "long-name", "bad-char", "platform", "no-attributes", "no-credential", "no-principal"],
)
def test_platform_applications_aws_refuses_are_refused(
    aws: Aws, name: str, platform: str, attributes: dict[str, str], expected: tuple[str, str]
) -> None:
    create = aws("sns").create_platform_application
    assert refusal(lambda: create(Name=name, Platform=platform, Attributes=attributes)) == expected


def test_platform_application_attributes_need_an_arn_and_attributes(aws: Aws) -> None:
    sns = aws("sns")
    short_arn = (
        "InvalidParameter",
        "Invalid parameter: PlatformApplicationArn Reason: An ARN must have at least 6 elements, not 1",
    )
    assert refusal(lambda: sns.get_platform_application_attributes(PlatformApplicationArn="x")) == short_arn
    assert (
        refusal(lambda: sns.set_platform_application_attributes(PlatformApplicationArn="x", Attributes={})) == short_arn
    )
    missing = "arn:aws:sns:us-east-1:000000000000:app/ADM/missing"
    assert refusal(lambda: sns.set_platform_application_attributes(PlatformApplicationArn=missing, Attributes={})) == (
        NO_ATTRIBUTES
    )
    arn = sns.create_platform_application(Name=unique("app"), Platform="ADM", Attributes=CREDENTIALS)[
        "PlatformApplicationArn"
    ]
    try:
        sns.set_platform_application_attributes(
            PlatformApplicationArn=arn, Attributes={"SuccessFeedbackSampleRate": "50"}
        )
    finally:
        sns.delete_platform_application(PlatformApplicationArn=arn)


def test_sms_attributes_and_phone_numbers_are_checked(aws: Aws) -> None:
    sns = aws("sns")
    assert refusal(lambda: sns.set_sms_attributes(attributes={"Unknown": "x"})) == (
        "InvalidParameter",
        "Unknown is not a valid attribute",
    )
    assert refusal(lambda: sns.set_sms_attributes(attributes={"DefaultSMSType": "Loud"})) == (
        "InvalidParameter",
        "DefaultSMSType is invalid",
    )
    sns.set_sms_attributes(attributes={"DefaultSMSType": "Transactional"})
    assert refusal(lambda: sns.opt_in_phone_number(phoneNumber="invalid")) == (
        "InvalidParameter",
        "Invalid parameter: PhoneNumber Reason: input incorrectly formatted",
    )
    sns.opt_in_phone_number(phoneNumber="+4411111111")
    assert refusal(lambda: sns.publish(PhoneNumber="+1a234", Message="m")) == (
        "InvalidParameter",
        "Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to",
    )
