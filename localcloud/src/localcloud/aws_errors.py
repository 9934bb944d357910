"""Error answers shaped as AWS shapes them, where moto's serializer follows botocore's models instead.

- **SQS over the JSON protocol** names the error shape (`__type`, which boto3 shows as `QueryErrorCode`)
  besides the query code (`x-amzn-query-error`). For the codes botocore's SQS model does not list, AWS's
  shapes are `InvalidParameterValueException` (code `InvalidParameterValue`) and
  `MissingRequiredParameterException` (code `MissingParameter`); moto named them by the code.
- **SNS and SQS over the query (XML) protocol**: errors carry `Code`, `Message` and `Type` only.
  botocore's error shapes of both have a `message` member, so moto's XML serializer wrote a second,
  lower-case `<message>` into them. (SQS's JSON answers do carry `message` for modelled errors, as AWS's.)

Patched: `moto.core.serialize.get_error_model` (the shape moto's serializers give an exception) and
`QuerySerializer._serialize_error_metadata` (the XML error's fields).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

XML_WITHOUT_LOWER_CASE_MESSAGE = ("sns", "sqs")
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
    return shape


def _serialize_error_metadata(self: Any, serialized: Any, error: Exception, shape: Any) -> None:
    from moto.core.serialize import QuerySerializer

    original(QuerySerializer, "_serialize_error_metadata")(self, serialized, error, shape)
    if self.service_model.service_name in XML_WITHOUT_LOWER_CASE_MESSAGE:
        serialized.pop("message", None)


def install(cloud: LocalCloud) -> None:
    from moto.core import serialize

    replace(serialize, "get_error_model", _get_error_model)
    replace(serialize.QuerySerializer, "_serialize_error_metadata", _serialize_error_metadata)
