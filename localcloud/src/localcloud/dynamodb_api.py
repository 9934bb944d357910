"""DynamoDB requests checked and read as AWS does, where moto refuses, fails or lets through.

- **PartiQL numbers.** `UPDATE t SET Age=20 WHERE Username='x'`: AWS takes a number literal wherever a value
  goes. The PartiQL parser moto uses (py-partiql-parser's `UpdateParser`) took quoted strings and `?` only and
  failed on anything else with an AssertionError, which moto's server answered as an HTML 500 (that botocore
  retries). Here each number literal outside quotes in an UPDATE is read as a number (`N`).
- **ExecuteStatement with `Parameters: []`** is a `ValidationException` ("Member must have length greater than
  or equal to 1"), as the service model's constraint says; moto ran the statement.
- **Operations moto does not have** answer as AWS answers an unknown operation (400,
  `UnknownOperationException`), not an HTML 500 that botocore retries; DescribeContributorInsights answers
  `DISABLED` (contributor insights are never enabled here).
- **DeleteTable of a missing table** says which: "Requested resource not found: Table: x not found".
- **BatchWriteItem** writes its requests in their order (moto wrote every put, then every delete, so a delete
  and a put in one batch left stream records in the wrong order), and a put without the table's key is "The
  provided key element does not match the schema", as AWS words it.
- **CreateTable on demand with a `ProvisionedThroughput`** is refused in AWS's words ("One or more parameter
  values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is
  PAY_PER_REQUEST").
- **The AWS managed key `alias/aws/dynamodb`** that an SSE-KMS table without a key of its own gets is described
  as AWS describes it: `KeyManager` `AWS`, "Default key that protects my DynamoDB data when no other key is
  defined" (moto made it a customer managed key).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

NUMBER_MARK = "\x00number:"  # a number literal, quoted so that the parser reads it, then made an N again
NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
UNKNOWN_OPERATION = "com.amazon.coral.service#UnknownOperationException"
EMPTY_KEY_IN_BATCH = (
    "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
    "string value. Key: {}"
)
DEFAULT_KEY_DESCRIPTION = "Default key that protects my DynamoDB data when no other key is defined"


def _quote_numbers(statement: str) -> str:
    """The statement with every number literal that follows `=` outside quotes quoted and marked."""
    out: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(statement):
        c = statement[i]
        out.append(c)
        i += 1
        if quote is not None:
            if c == quote:
                quote = None
            continue
        if c in "'\"":
            quote = c
        elif c == "=":
            spaces = len(statement[i:]) - len(statement[i:].lstrip())
            match = NUMBER.match(statement, i + spaces)
            end = match.end() if match else -1
            if match and (end == len(statement) or not (statement[end].isalnum() or statement[end] in "_.")):
                out.append(f"{statement[i : i + spaces]}'{NUMBER_MARK}{match.group(0)}'")
                i = end
    return "".join(out)


def _unmark(values: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [
        (name, {"N": value["S"][len(NUMBER_MARK) :]})
        if isinstance(value, dict) and str(value.get("S", "")).startswith(NUMBER_MARK)
        else (name, value)
        for name, value in values
    ]


def _parse_update(self: Any, query: str) -> Any:
    from py_partiql_parser._internal.update_parser import UpdateParser

    table, updates, filters = original(UpdateParser, "parse")(self, _quote_numbers(query))
    return table, _unmark(updates), _unmark(filters)


def _execute_statement(self: Any) -> Any:
    from moto.dynamodb.exceptions import MockValidationException
    from moto.dynamodb.responses import DynamoHandler

    if self.body.get("Parameters") == []:
        raise MockValidationException(
            "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1"
        )
    return original(DynamoHandler, "execute_statement")(self)


def _delete_table(self: Any) -> Any:
    from moto.dynamodb.exceptions import ResourceNotFoundException
    from moto.dynamodb.responses import DynamoHandler

    name = self.body.get("TableName")
    try:
        return original(DynamoHandler, "delete_table")(self)
    except ResourceNotFoundException:
        raise ResourceNotFoundException(table_name=name) from None


def _batch_write_item(self: Any) -> Any:
    from moto.core.responses import ActionResult
    from moto.dynamodb.exceptions import MockValidationException
    from moto.dynamodb.models.utilities import dynamo_json_dump
    from moto.dynamodb.responses import validate_put_has_empty_keys

    batches: dict[str, list[dict[str, Any]]] = self.body["RequestItems"]
    writes: list[tuple[str, str, dict[str, Any]]] = []  # (table, PutRequest | DeleteRequest, item or key)
    for table_name, requests in batches.items():
        table = self.dynamodb_backend.get_table(table_name)
        for request in requests:
            kind, body = next(iter(request.items()))
            if kind == "PutRequest":
                item = body["Item"]
                if any(key and key not in item for key in (table.hash_key_attr, table.range_key_attr)):
                    raise MockValidationException("The provided key element does not match the schema")
                validate_put_has_empty_keys(item, table, custom_error_msg=EMPTY_KEY_IN_BATCH)
                writes.append((table_name, kind, item))
            else:
                writes.append((table_name, kind, body["Key"]))
    for kind in ("PutRequest", "DeleteRequest"):
        if self._contains_duplicates([dynamo_json_dump(w[2]) for w in writes if w[1] == kind]):
            raise MockValidationException("Provided list of item keys contains duplicates")
    for table_name, kind, value in writes:
        if kind == "PutRequest":
            self.dynamodb_backend.put_item(table_name, value)
        else:
            self.dynamodb_backend.delete_item(table_name, value)
    capacity = [{"TableName": name, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}} for name in batches]
    return ActionResult({"ConsumedCapacity": capacity, "ItemCollectionMetrics": {}, "UnprocessedItems": {}})


def _validate_table_creation(self: Any, billing_mode: str, throughput: Any, *args: Any, **kwargs: Any) -> None:
    from moto.dynamodb.exceptions import MockValidationException
    from moto.dynamodb.responses import DynamoHandler

    if billing_mode == "PAY_PER_REQUEST" and throughput:
        raise MockValidationException(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
            "specified when BillingMode is PAY_PER_REQUEST"
        )
    original(DynamoHandler, "_validate_table_creation")(self, billing_mode, throughput, *args, **kwargs)


def _describe_contributor_insights(self: Any) -> Any:
    from moto.core.responses import ActionResult

    table = self.dynamodb_backend.get_table(self.body.get("TableName"))  # ResourceNotFoundException
    answer: dict[str, Any] = {"TableName": table.name, "ContributorInsightsStatus": "DISABLED"}
    if self.body.get("IndexName"):
        answer["IndexName"] = self.body["IndexName"]
    return ActionResult(answer)


OWN_OPERATIONS = {"DescribeContributorInsights": _describe_contributor_insights}


def _dispatch(self: Any, request: Any, full_url: str, headers: Any) -> Any:
    from werkzeug.exceptions import HTTPException

    self.setup_class(request, full_url, headers)
    own = OWN_OPERATIONS.get(str(self._get_action() or ""))
    if own is not None:
        self.body = getattr(self, "params", {})
        try:
            return self.serialized(own(self))
        except HTTPException as error:  # moto's DynamoDB errors (JsonRESTError)
            return error.code, dict(error.get_headers()), error.description
    try:
        return self.call_action()
    except NotImplementedError:
        body = json.dumps({"__type": UNKNOWN_OPERATION})
        return 400, {"Content-Type": "application/x-amz-json-1.0", "status": 400}, body


def _get_default_encryption_key(self: Any, account_id: str, region: str) -> str:
    from moto.dynamodb.models.table import Table
    from moto.kms.models import kms_backends

    arn: str = original(Table, "_get_default_encryption_key")(self, account_id, region)
    key = kms_backends[account_id][region].describe_key(arn)
    key.description = DEFAULT_KEY_DESCRIPTION
    key.key_manager = "AWS"
    return arn


def install(cloud: LocalCloud) -> None:
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from py_partiql_parser._internal.update_parser import UpdateParser

    replace(UpdateParser, "parse", _parse_update)
    replace(DynamoHandler, "execute_statement", _execute_statement)
    replace(DynamoHandler, "delete_table", _delete_table)
    replace(DynamoHandler, "batch_write_item", _batch_write_item)
    replace(DynamoHandler, "_validate_table_creation", _validate_table_creation)
    replace(DynamoHandler, "_dispatch", _dispatch)
    replace(Table, "_get_default_encryption_key", _get_default_encryption_key)
