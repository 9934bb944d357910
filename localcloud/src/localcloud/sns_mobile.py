"""SNS mobile push and SMS requests checked as AWS checks them (the checks sns_api.py runs before moto).

moto accepts any platform application name, platform and attributes, any SMS attribute and any phone
number to opt in; AWS refuses them with `InvalidParameter` (or `ValidationError` for an empty attribute
map, which the query protocol sends as nothing at all):

- CreatePlatformApplication: a name of 1 to 256 letters, digits, `.`, `_`, `-`; a platform SNS has;
  `PlatformPrincipal` and `PlatformCredential` together.
- Get/SetPlatformApplicationAttributes: an ARN of at least six parts; Set: some attributes.
- SetSMSAttributes: only the attributes SMS has, `DefaultSMSType` Promotional or Transactional.
- OptInPhoneNumber: an E.164 number.

`install` adds these checks to sns_api's `CHECKS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from localcloud import sns_api
from localcloud.sns_api import E164, Refused, check_arn, invalid

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

PLATFORMS = ("ADM", "APNS", "APNS_SANDBOX", "BAIDU", "Baidu", "FCM", "GCM", "MPNS", "WNS")
APPLICATION_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
SMS_ATTRIBUTES = (
    "MonthlySpendLimit",
    "DeliveryStatusIAMRole",
    "DeliveryStatusSuccessSamplingRate",
    "DefaultSenderID",
    "DefaultSMSType",
    "UsageReportS3Bucket",
)
SMS_TYPES = ("Promotional", "Transactional")
NO_ATTRIBUTES = (
    "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null"
)


def _check_attributes_given(attributes: Any) -> None:
    if not attributes:
        raise Refused(NO_ATTRIBUTES, "ValidationError")


def _check_create_platform_application(response: Any) -> None:
    params = response.params
    name, platform = str(params.get("Name") or ""), str(params.get("Platform") or "")
    reason = ""
    if not name:
        reason = "cannot be empty"
    elif len(name) > 256:
        reason = "must be at most 256 characters long"
    elif not APPLICATION_NAME.match(name):
        reason = "must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'"
    if reason:
        raise invalid(f"{name} Reason: {reason}")
    if platform not in PLATFORMS:
        raise invalid(f"Platform Reason: {platform} is not supported")
    attributes = params.get("Attributes") or {}
    _check_attributes_given(attributes)
    for given, missing in (("PlatformCredential", "PlatformPrincipal"), ("PlatformPrincipal", "PlatformCredential")):
        if given in attributes and missing not in attributes:
            raise invalid(f"Attributes Reason: {given} attribute provided without {missing}")


def _check_get_platform_application_attributes(response: Any) -> None:
    check_arn("PlatformApplicationArn", response.params.get("PlatformApplicationArn") or "")


def _check_set_platform_application_attributes(response: Any) -> None:
    check_arn("PlatformApplicationArn", response.params.get("PlatformApplicationArn") or "")
    _check_attributes_given(response.params.get("Attributes"))


def _check_set_sms_attributes(response: Any) -> None:
    attributes = response.params.get("attributes") or {}
    for name in attributes:
        if name not in SMS_ATTRIBUTES:
            raise Refused(f"{name} is not a valid attribute")
    if "DefaultSMSType" in attributes and attributes["DefaultSMSType"] not in SMS_TYPES:
        raise Refused("DefaultSMSType is invalid")


def _check_opt_in_phone_number(response: Any) -> None:
    if not E164.match(str(response.params.get("phoneNumber") or "")):
        raise invalid("PhoneNumber Reason: input incorrectly formatted")


CHECKS: dict[str, Callable[[Any], None]] = {
    "CreatePlatformApplication": _check_create_platform_application,
    "GetPlatformApplicationAttributes": _check_get_platform_application_attributes,
    "SetPlatformApplicationAttributes": _check_set_platform_application_attributes,
    "SetSMSAttributes": _check_set_sms_attributes,
    "OptInPhoneNumber": _check_opt_in_phone_number,
}


def install(cloud: LocalCloud) -> None:
    sns_api.CHECKS.update(CHECKS)
