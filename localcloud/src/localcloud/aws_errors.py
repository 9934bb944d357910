"""Error answers shaped as AWS shapes them, where moto's serializer follows botocore's models instead.

- **SQS over the JSON protocol** names the error shape (`__type`, which boto3 shows as `QueryErrorCode`)
  besides the query code (`x-amzn-query-error`). For the codes botocore's SQS model does not list, AWS's
  shapes are `InvalidParameterValueException` (code `InvalidParameterValue`) and
  `MissingRequiredParameterException` (code `MissingParameter`); moto named them by the code.
- **SNS and SQS (query protocol)** errors carry `Code`, `Message` and `Type` only. botocore's error shapes
  of both have a `message` member, so moto's serializer wrote a second, lower-case `<message>` into them.

The one patched name is `moto.core.serialize.get_error_model`, what moto's serializers ask for an
exception's shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

SQS_ERROR_SHAPES = {
    "InvalidParameterValue": "InvalidParameterValueException",
    "MissingParameter": "MissingRequiredParameterException",
}


def _shape(name: str, code: str, *, sender_fault: bool) -> Any:
    from moto.core.errors import ErrorShape

    model = {
        "exception": True,
        "type": "structure",
        "members": {},
        "error": {"code": code, "senderFault": sender_fault},
    }
    return ErrorShape(shape_name=name, shape_model=model)


def _get_error_model(exception: Exception, default_service_model: Any) -> Any:
    from moto.core import serialize

    shape = original(serialize, "get_error_model")(exception, default_service_model)
    service = getattr(default_service_model, "service_name", None)
    code = getattr(exception, "code", None)
    if service == "sqs" and code in SQS_ERROR_SHAPES and shape.name == code:
        return _shape(SQS_ERROR_SHAPES[code], code, sender_fault=True)
    if service in ("sns", "sqs") and "message" in getattr(shape, "members", {}):
        return _shape(shape.name, shape.error_code, sender_fault=shape.is_sender_fault)
    return shape


def install(cloud: LocalCloud) -> None:
    from moto.core import serialize

    replace(serialize, "get_error_model", _get_error_model)
