"""The moto internals the local cloud relies on: every patched attribute and every private name, signature or field
a layer reads, with what the layer assumes about it. `moto_internals.py` checks this list against the installed moto.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localcloud.stepfunctions_exec import PARSER_ERRORS

PINNED_MOTO = "5.2.5"


@dataclass(frozen=True)
class Internal:
    """A moto name (`module:Qualified.name`) a layer relies on, and what the layer assumes about it.

    For a patched attribute the checks apply to moto's original, as `patches.replace` recorded it.
    """

    path: str
    layer: str
    params: tuple[str, ...] | None = None  # its parameters exactly; a trailing "..." allows more after them
    has_params: tuple[str, ...] = ()  # parameters it must have, wherever
    text: tuple[str, ...] = ()  # phrases its source must contain
    names: tuple[str, ...] = ()  # names its code must use (attributes an __init__ sets)
    attrs: tuple[str, ...] = ()  # attributes it must have (methods of a class, cache_clear of an lru_cache)
    probe: Callable[[Any], bool] | None = None  # anything else, asked of the object itself


def _default_schedule_group_is_empty(backend_class: Any) -> bool:
    from moto.scheduler.models import ScheduleGroup

    backend = backend_class("us-east-1", "000000000000")
    group = backend.schedule_groups["default"]
    return isinstance(group, ScheduleGroup) and group.schedules == {}


def _rule_keeps_its_schedule(backend_class: Any) -> bool:
    events = backend_class("us-east-1", "000000000000")
    events.put_rule("r", scheduled_expression="rate(1 hour)")
    rule = events.event_buses["default"].rules["r"]
    return (rule.scheduled_expression, rule.state, rule.targets) == ("rate(1 hour)", "ENABLED", [])


def _parser_error_has_code_not_type(name: str, type_: Any) -> bool:
    from moto.stepfunctions.parser import api

    return type_ is None and getattr(api, name).code == name


def _is_cloudformation_model(cls: Any) -> bool:
    from moto.core.common_models import CloudFormationModel

    return issubclass(cls, CloudFormationModel)


_PARSING = "moto.cloudformation.parsing"
_CFN_MODELS = "moto.cloudformation.models"
_LAMBDA = "moto.awslambda.models"
_SFN = "moto.stepfunctions"
_SFN_SERVICE = f"{_SFN}.parser.asl.component.state.exec.state_task.service"
_SFN_CLIENT_MODULES = tuple(
    f"{_SFN}.parser.asl.component.state.exec.state_task.{name}"
    for name in (
        "lambda_eval_utils",
        *(
            f"service.state_task_service_{service}"
            for service in ("aws_sdk", "dynamodb", "sqs", "sns", "sfn", "events", "unsupported")
        ),
    )
)
_CACHED = ("get_model_list", "get_model_map", "get_name_type_map")

INTERNALS: tuple[Internal, ...] = (
    # moto itself: the pin every other entry was written against.
    Internal("moto:__version__", "localcloud", probe=lambda version: version == PINNED_MOTO),
    # cfn_model: moto finds CloudFormation models through lru-cached lookups over direct subclasses.
    Internal(
        f"{_PARSING}:get_model_list",
        "cfn_model",
        attrs=("cache_clear",),
        text=("CloudFormationModel.__subclasses__()",),
    ),
    *(Internal(f"{_PARSING}:{name}", "cfn_model", attrs=("cache_clear",)) for name in _CACHED[1:]),
    # cloudformation_engine: stack lifecycle, events, rollback, exports; cloudformation_templates: how templates read;
    # s3: bucket policy conditions.
    Internal(f"{_PARSING}:resource_class_from_type", "cloudformation_engine", params=("resource_type",)),
    Internal(
        f"{_PARSING}:parse_and_create_resource",
        "cloudformation_engine",
        params=("logical_id", "resource_json", "resources_map", "account_id", "region_name"),
    ),
    Internal(f"{_PARSING}:parse_resource", "cloudformation_templates", params=("resource_json", "resources_map")),
    Internal(f"{_PARSING}:NULL_MODELS", "cloudformation_engine"),
    Internal(f"{_PARSING}:OutputMap", "cloudformation_engine"),
    Internal(
        f"{_PARSING}:clean_json",
        "stepfunctions_exec",
        probe=lambda clean_json: clean_json({"ResultPath": None, "Next": "A"}, {}) == {"Next": "A"},
    ),
    Internal(
        f"{_PARSING}:ResourceMap._delete_resource",
        "cloudformation_engine",
        params=("self", "parsed_resource", "resource_json"),
    ),
    Internal(
        f"{_PARSING}:ResourceMap.__init__",
        "cloudformation_engine",
        names=("_parsed_resources", "_resource_json_map", "_account_id", "_region_name", "stack_id"),
    ),
    Internal(f"{_PARSING}:ResourceMap", "cloudformation_engine", attrs=("create", "update")),
    Internal(f"{_PARSING}:ResourceMap.load_conditions", "cloudformation_engine", names=("lazy_condition_map",)),
    Internal(f"{_CFN_MODELS}:Stack.update", "cloudformation_engine", params=("self", "template", "...")),
    Internal(
        f"{_CFN_MODELS}:Stack",
        "cloudformation_engine",
        attrs=("_add_stack_event", "_parse_template", "_create_resource_map", "_create_output_map"),
    ),
    Internal(
        f"{_CFN_MODELS}:CloudFormationBackend",
        "cloudformation_engine",
        attrs=("create_stack", "delete_stack", "execute_change_set", "_validate_export_uniqueness"),
    ),
    *(
        Internal(f"{_CFN_MODELS}:CloudFormationBackend.{name}", "cloudformation_engine")
        for name in ("create_stack", "delete_stack", "execute_change_set")
    ),
    Internal(f"{_CFN_MODELS}:yaml_tag_constructor", "cloudformation_templates", params=("loader", "tag", "node")),
    Internal(
        "moto.cloudformation.responses:yaml_tag_constructor",
        "cloudformation_templates",
        params=("loader", "tag", "node"),
    ),
    Internal(
        "moto.dynamodb.models.table:Table.create_from_cloudformation_json",
        "cloudformation_templates",
        has_params=("cloudformation_json",),
    ),
    Internal("moto.sns.models:Topic.has_cfn_attr", "cloudformation_templates", params=("attr",)),
    Internal("moto.sns.models:Topic.get_cfn_attribute", "cloudformation_templates", params=("self", "attribute_name")),
    Internal("moto.s3.models:FakeBucket.get_permission", "s3", params=("self", "action", "resource")),
    Internal("moto.s3.responses:S3Response._enrich_response", "s3", params=("headers", "body")),
    Internal("moto.s3.responses:S3Response._send_response", "s3", text=("cls._enrich_response(headers, body)",)),
    Internal("moto.core.serialize:S3Serializer", "s3", attrs=("DEFAULT_HOST_ID",)),
    Internal("moto.secretsmanager.responses:SecretsManagerResponse.create_secret", "secretsmanager", params=("self",)),
    Internal(
        "moto.secretsmanager.exceptions:ValidationException.__init__", "secretsmanager", params=("self", "message")
    ),
    Internal(
        "moto.ssm.models:Parameter.create_from_cloudformation_json",
        "cloudformation_templates",
        has_params=("cloudformation_json",),
    ),
    # dynamodb_transactions: the item writes it serialises.
    *(
        Internal(f"moto.dynamodb.models:DynamoDBBackend.{name}", "dynamodb_transactions")
        for name in ("put_item", "update_item", "delete_item", "transact_write_items")
    ),
    # lambda_runner: the one place moto's invoke paths meet, and the fields a FunctionSpec reads.
    Internal(
        f"{_LAMBDA}:LambdaFunction.invoke",
        "lambda_runner",
        params=("self", "body", "request_headers", "response_headers"),
    ),
    Internal(f"{_LAMBDA}:LambdaBackend.invoke", "lambda_runner", text=("fn.invoke(body, headers, response_headers)",)),
    Internal(
        f"{_LAMBDA}:LambdaFunction.__init__",
        "lambda_runner",
        text=("code_bytes", "run_time", "handler", "timeout", "memory_size", "environment_vars"),
    ),
    Internal(
        f"{_LAMBDA}:LambdaFunction.update_from_cloudformation_json",
        "lambda_runner",
        params=("original_resource", "new_resource_name", "cloudformation_json", "account_id", "region_name"),
    ),
    Internal(f"{_LAMBDA}:LambdaFunction._create_zipfile_from_plaintext_code", "lambda_runner"),
    # lambda_api: AWS's function shape around moto's configuration, the model router, routable function names.
    Internal(f"{_LAMBDA}:LambdaFunction.__init__", "lambda_api", params=("self", "account_id", "spec", "...")),
    Internal(f"{_LAMBDA}:LambdaFunction.get_configuration", "lambda_api", params=("self", "on_create")),
    *(
        Internal(
            f"{_LAMBDA}:LambdaFunction.{name}", "lambda_api", params=("self", arg), text=("self.get_configuration()",)
        )
        for name, arg in (("update_configuration", "config_updates"), ("update_function_code", "updated_spec"))
    ),
    Internal(
        "moto.awslambda.urls:url_paths",
        "lambda_api",
        probe=lambda paths: any(r"(?P<function_name>[\w_:%-]+)" in path for path in paths),
    ),
    Internal("moto.core.utils:convert_regex_to_flask_path", "lambda_api", text=('for token in ["$"]',)),
    Internal("moto.core.routing:get_service_router", "lambda_api", params=("service_name",)),
    Internal("moto.core.request:Request", "lambda_api", attrs=("raw_path",)),
    Internal("moto.awslambda.exceptions:LambdaClientError.__init__", "lambda_api", params=("self", "error", "message")),
    Internal("moto.core.exceptions:JsonRESTError.__init__", "lambda_api", names=("description",)),
    Internal("moto.core.responses:BaseResponse.call_action", "lambda_api", text=("http_error.description",)),
    Internal("moto.core.exceptions:_RESTError.__init__", "lambda_api", names=("error_type", "message")),
    # ... a published version is a copy of $LATEST; listings and layer versions are shaped from moto's JSON.
    Internal(
        f"{_LAMBDA}:LambdaStorage.publish_version",
        "lambda_api",
        params=("self", "name_or_arn", "description"),
        text=("copy.copy(",),
    ),
    Internal(
        "moto.awslambda.responses:LambdaResponse._set_configuration_qualifier",
        "lambda_api",
        params=("configuration", "function_name", "qualifier"),
    ),
    Internal("moto.ec2.models.subnets:SubnetBackend.get_subnet", "lambda_api", params=("self", "subnet_id")),
    Internal("moto.ec2.models.subnets:Subnet.__init__", "lambda_api", names=("vpc_id",)),
    Internal(f"{_LAMBDA}:LayerVersion.get_layer_version", "lambda_api", params=("self",), text=('"LicenseInfo"',)),
    *(
        Internal(f"moto.awslambda.responses:LambdaResponse.{name}", "lambda_api", params=("self",), text=(f'"{key}"',))
        for name, key in (("list_functions", "Functions"), ("list_versions_by_function", "Versions"))
    ),
    # event_source_mapping: a mapping's shape, from moto's configuration and its source type.
    Internal(
        f"{_LAMBDA}:EventSourceMapping.get_configuration",
        "event_source_mapping",
        params=("self",),
        text=('"StateTransitionReason"', "if v is not None"),
    ),
    Internal(f"{_LAMBDA}:EventSourceMapping._get_service_source_from_arn", "event_source_mapping"),
    Internal(
        f"{_LAMBDA}:EventSourceMapping.__init__",
        "event_source_mapping",
        names=("function_name", "region", "account_id"),
    ),
    # lambda_operations: the functions, their versions and aliases, where moto's storage keeps them.
    Internal(f"{_LAMBDA}:LambdaStorage.__init__", "lambda_operations", names=("_functions", "_aliases")),
    Internal(f"{_LAMBDA}:LambdaStorage._get_latest", "lambda_operations", text=('self._functions[name]["latest"]',)),
    Internal(f"{_LAMBDA}:LambdaStorage._get_version", "lambda_operations", text=('self._functions[name]["versions"]',)),
    Internal(f"{_LAMBDA}:LambdaAlias.__init__", "lambda_operations", names=("function_version", "revision_id")),
    Internal(
        f"{_LAMBDA}:LambdaAlias.update",
        "lambda_operations",
        params=("self", "description", "function_version", "routing_config"),
    ),
    Internal(f"{_LAMBDA}:LambdaFunction.get_configuration", "lambda_operations", text=("self.code_sha_256",)),
    Internal(f"{_LAMBDA}:LambdaAlias.to_json", "lambda_operations", params=("self",), text=('"RoutingConfig"',)),
    Internal(f"{_LAMBDA}:LambdaBackend.__init__", "lambda_operations", names=("_lambdas", "_event_source_mappings")),
    # rest_operations: moto's URL maps and response classes say which operations it serves.
    *(Internal(f"moto.{name}.urls:url_paths", "rest_operations") for name in ("awslambda", "apigateway")),
    Internal("moto.apigateway.responses:APIGatewayResponse", "rest_operations", attrs=("get_integration",)),
    # ... and a success's status: moto's call_action (inherited) takes it from the handler's headers only.
    *(
        Internal(
            f"moto.{path}.call_action",
            "rest_operations",
            params=("self",),
            text=("self._transform_response(headers, response)",),
        )
        for path in ("awslambda.responses:LambdaResponse", "apigateway.responses:APIGatewayResponse")
    ),
    Internal("moto.core.responses:BaseResponse._transform_response", "rest_operations", text=('get("status", 200)',)),
    Internal("moto.core.responses:BaseResponse", "rest_operations", attrs=("_get_action", "boto3_service_name")),
    Internal("moto.core.utils:get_service_model", "rest_operations", params=("service_name",)),
    # apigateway_api: AWS's NotFoundException for each missing part of a REST API.
    Internal("moto.apigateway.models:APIGatewayBackend.get_rest_api", "apigateway_api", params=("self", "function_id")),
    Internal(
        "moto.apigateway.models:APIGatewayBackend.get_integration_response",
        "apigateway_api",
        params=("self", "function_id", "resource_id", "method_type", "status_code"),
    ),
    *(
        Internal(f"moto.apigateway.models:APIGatewayBackend.{name}", "apigateway_api", params=("self", *args))
        for name, args in (
            ("get_resource", ("function_id", "resource_id")),
            ("get_integration", ("function_id", "resource_id", "method_type")),
            ("get_vpc_link", ("vpc_link_id",)),
        )
    ),
    *(
        Internal(f"moto.apigateway.models:RestAPI.{name}", "apigateway_api", params=("self", *args))
        for name, args in (
            ("get_request_validator", ("validator_id",)),
            ("delete_request_validator", ("validator_id",)),
        )
    ),
    Internal("moto.apigateway.models:APIGatewayBackend.__init__", "apigateway_api", names=("apis", "vpc_links")),
    Internal("moto.apigateway.models:RestAPI.__init__", "apigateway_api", names=("resources", "request_validators")),
    Internal(
        "moto.apigateway.models:RestAPI.to_dict",
        "apigateway_api",
        params=("self",),
        text=("PROP_ENDPOINT_CONFIGURATION",),
    ),
    Internal("moto.apigateway.models:Resource", "apigateway_api", attrs=("get_integration", "get_method")),
    Internal("moto.apigateway.models:RequestValidator.to_dict", "apigateway_api", params=("self",)),
    *(
        Internal(f"moto.apigateway.models:{name}.to_json", "apigateway_api", params=("self",))
        for name in ("Method", "Integration", "IntegrationResponse", "MethodResponse", "Stage", "VpcLink")
    ),
    Internal("moto.apigateway.models:Method.__init__", "apigateway_api", names=("authorization_type",)),
    Internal("moto.apigateway.models:IntegrationResponse.__init__", "apigateway_api", names=("selection_pattern",)),
    # apigateway_requests: requests answered on moto's own objects, read and written by their fields.
    Internal("moto.core.routing:get_service_router", "apigateway_requests", params=("service_name",)),
    # apigateway_parts: methods, responses, integrations and models patched on moto's objects.
    Internal(
        "moto.apigateway.models:APIGatewayBackend.put_integration",
        "apigateway_parts",
        params=(
            "self",
            "function_id",
            "resource_id",
            "method_type",
            "integration_type",
            "uri",
            "integration_method",
            "...",
        ),
        has_params=("credentials", "request_templates", "passthrough_behavior", "tls_config", "cache_namespace"),
    ),
    Internal(
        "moto.apigateway.models:Integration.__init__",
        "apigateway_parts",
        names=("uri", "http_method", "passthrough_behaviour", "timeout_in_millis", "request_templates"),
    ),
    Internal(
        "moto.apigateway.models:Integration.__init__",
        "apigateway_parts",
        names=("request_parameters", "content_handling", "cache_namespace", "cache_key_parameters"),
    ),
    Internal(
        "moto.apigateway.models:Method.__init__",
        "apigateway_parts",
        names=("api_key_required", "request_parameters", "request_models", "operation_name", "request_validator_id"),
    ),
    Internal("moto.apigateway.models:Method", "apigateway_parts", attrs=("get_response",)),
    Internal("moto.apigateway.models:Resource", "apigateway_parts", attrs=("get_path",)),
    Internal("moto.apigateway.models:RestAPI", "apigateway_parts", attrs=("add_model",)),
    Internal("moto.apigateway.models:RestAPI.__init__", "apigateway_parts", names=("models", "authorizers")),
    Internal("moto.apigateway.models:Model.__init__", "apigateway_parts", names=("schema", "description")),
    # apigateway_gateway_responses: the responses put, kept by moto; the defaults made at each read.
    Internal(
        "moto.apigateway.models:GatewayResponse.__init__",
        "apigateway_gateway_responses",
        params=("self", "response_type", "status_code", "response_parameters", "response_templates"),
        names=("default_response",),
    ),
    Internal(
        "moto.apigateway.models:RestAPI.put_gateway_response",
        "apigateway_gateway_responses",
        params=("self", "response_type", "status_code", "response_parameters", "response_templates"),
    ),
    Internal("moto.apigateway.models:RestAPI.__init__", "apigateway_gateway_responses", names=("gateway_responses",)),
    # apigateway_stages: stages, VPC links and authorizers, through the backend's own calls.
    Internal(
        "moto.apigateway.models:APIGatewayBackend.get_stages", "apigateway_stages", params=("self", "function_id")
    ),
    Internal(
        "moto.apigateway.models:APIGatewayBackend.get_stage",
        "apigateway_stages",
        params=("self", "function_id", "stage_name"),
    ),
    Internal("moto.apigateway.models:Stage", "apigateway_stages", attrs=("apply_operations",)),
    Internal(
        "moto.apigateway.models:Stage.__init__", "apigateway_stages", names=("access_log_settings", "deployment_id")
    ),
    Internal(
        "moto.apigateway.models:APIGatewayBackend.create_vpc_link",
        "apigateway_stages",
        params=("self", "name", "description", "target_arns", "tags"),
    ),
    Internal("moto.apigateway.models:VpcLink.__init__", "apigateway_stages", names=("name", "description", "tags")),
    # apigateway_documentation: parts kept on the RestAPI; imports through moto's import_rest_api.
    Internal(
        "moto.apigateway.models:APIGatewayBackend.import_rest_api",
        "apigateway_documentation",
        params=("self", "api_doc", "fail_on_warnings"),
    ),
    Internal("moto.apigateway.utils:create_id", "apigateway_documentation", params=()),
    Internal(
        "moto.apigateway.models:APIGatewayBackend.create_rest_api",
        "apigateway_requests",
        params=("self", "name", "description", "api_key_source", "endpoint_configuration", "tags", "policy", "..."),
        has_params=("minimum_compression_size", "disable_execute_api_endpoint"),
    ),
    Internal(
        "moto.apigateway.models:RestAPI.__init__",
        "apigateway_requests",
        names=(
            "version",
            "binaryMediaTypes",
            "endpoint_configuration",
            "minimum_compression_size",
            "api_key_source",
            "disableExecuteApiEndpoint",
            "tags",
        ),
    ),
    Internal("moto.apigateway.models:Resource.__init__", "apigateway_requests", names=("parent_id", "path_part")),
    Internal(
        "moto.apigateway.models:RequestValidator.__init__",
        "apigateway_requests",
        names=("name", "validate_request_body", "validate_request_parameters"),
    ),
    # event_source_mapping: mappings are taken off moto's queue and polled.
    Internal(f"{_LAMBDA}:LambdaBackend.create_event_source_mapping", "event_source_mapping", params=("self", "spec")),
    Internal(f"{_LAMBDA}:LambdaBackend.get_event_source_mapping", "event_source_mapping", params=("self", "uuid")),
    Internal(
        "moto.sqs.models:SQSBackend.receive_message",
        "event_source_mapping",
        params=("self", "queue_name", "count", "wait_seconds_timeout", "visibility_timeout", "..."),
    ),
    Internal("moto.sqs.models:Queue.__init__", "event_source_mapping", text=("self.lambda_event_source_mappings",)),
    # sqs: each queue's operations under the queue's own lock, the re-entrant Condition moto's long poll waits on.
    Internal("moto.sqs.models:Queue.__init__", "sqs", text=("self._messages_lock = Condition()",)),
    Internal("moto.sqs.models:Queue.wait_for_messages", "sqs", text=("with self._messages_lock:",)),
    Internal("moto.sqs.models:SQSBackend.delete_message", "sqs", params=("self", "queue_name", "receipt_handle")),
    Internal(
        "moto.sqs.models:SQSBackend.change_message_visibility",
        "sqs",
        params=("self", "queue_name", "receipt_handle", "visibility_timeout"),
    ),
    Internal("moto.sqs.models:SQSBackend.purge_queue", "sqs", params=("self", "queue_name")),
    # sqs_api: queue-URL requests routed to SQS, then checked before moto's action runs.
    Internal(
        "moto.moto_server.werkzeug_app:DomainDispatcherApplication.infer_service_region_host",
        "sqs_api",
        params=("self", "environ", "path"),
    ),
    Internal("moto.moto_server.werkzeug_app:DomainDispatcherApplication", "sqs_api", attrs=("_get_body",)),
    Internal("moto.sqs.responses:SQSResponse.get_region_from_url", "sqs_api", params=("self", "request", "full_url")),
    Internal(
        "moto.sqs.responses:SQSResponse._dispatch",
        "sqs_api",
        params=("self", "request", "full_url", "headers"),
        text=("self.setup_class(request, full_url, headers)", "return self.call_action()"),
    ),
    Internal(
        "moto.sqs.responses:SQSResponse",
        "sqs_api",
        attrs=("setup_class", "call_action", "serialized", "_enrich_response", "_get_queue_name", "sqs_backend"),
    ),
    Internal("moto.sqs.models:Queue.__init__", "sqs_api", names=("fifo_queue",), text=("MaximumMessageSize",)),
    Internal("moto.sqs.models:Message.validate_attribute_name", "sqs_api", params=("name",)),
    Internal("moto.sqs.models:SQSBackend.send_message_batch", "sqs_api", params=("self", "queue_name", "entries")),
    Internal("moto.sqs.models:Message", "sqs_api", text=("self.validate_attribute_name(attrName)",)),
    Internal("moto.sqs.models:Queue.__init__", "sqs_api", names=("_messages", "deleted_messages")),
    Internal("moto.sqs.models:Message", "sqs_api", attrs=("had_receipt_handle",)),
    # sqs_answers: moto's SQS answers (an ActionResult's dict), completed or trimmed.
    Internal("moto.sqs.responses:SQSResponse.send_message", "sqs_answers", params=("self",)),
    Internal("moto.sqs.responses:SQSResponse.send_message_batch", "sqs_answers", params=("self",), text=('"Failed"',)),
    Internal(
        "moto.sqs.responses:SQSResponse.receive_message",
        "sqs_answers",
        params=("self",),
        text=('self._get_param("AttributeNames"', '"MessageId": message.id'),
    ),
    Internal("moto.sqs.responses:SQSResponse.list_queue_tags", "sqs_answers", params=("self",), text=('"Tags"',)),
    Internal(
        "moto.sqs.responses:SQSResponse.send_message",
        "sqs_answers",
        text=('self._get_param("MessageSystemAttributes")', "system_attributes=system_message_attributes"),
    ),
    Internal("moto.core.responses:ActionResult", "sqs_answers", attrs=("result",)),
    Internal(
        "moto.sqs.models:_filter_message_attributes", "sqs_answers", params=("message", "input_message_attributes")
    ),
    Internal(
        "moto.sqs.models:SQSBackend.add_permission",
        "sqs_answers",
        params=("self", "region_name", "queue_name", "..."),
        text=('queue._policy_json["Statement"].append',),
    ),
    Internal("moto.sqs.models:SQSBackend.remove_permission", "sqs_answers", params=("self", "queue_name", "label")),
    Internal("moto.sqs.models:Queue.__init__", "sqs_answers", names=("_messages", "_messages_lock")),
    Internal("moto.sqs.models:Message.__init__", "sqs_answers", names=("id", "system_attributes")),
    Internal("moto.sqs.models:Message", "sqs_answers", attrs=("attribute_md5",)),
    # dynamodb_responses: moto's answer, trimmed, its CRC computed again.
    Internal("moto.dynamodb.responses:DynamoHandler.call_action", "dynamodb_responses", params=("self",)),
    Internal("moto.utilities.aws_headers:gen_amz_crc32", "dynamodb_responses", params=("response", "headerdict")),
    Internal("moto.dynamodb.responses:DynamoHandler", "dynamodb_responses", attrs=("_get_action",)),
    # dynamodb_api: PartiQL number literals, checks before moto's action, operations moto lacks.
    Internal(
        "py_partiql_parser._internal.update_parser:UpdateParser.parse",
        "dynamodb_api",
        params=("self", "query"),
        text=("serializer.serialize(attr_value)", "assert quote_type in"),
    ),
    Internal("moto.dynamodb.responses:DynamoHandler.execute_statement", "dynamodb_api", params=("self",)),
    Internal("moto.dynamodb.responses:DynamoHandler.delete_table", "dynamodb_api", params=("self",)),
    Internal(
        "moto.dynamodb.responses:DynamoHandler.batch_write_item",
        "dynamodb_api",
        params=("self",),
        text=("for table_name, item in put_requests:", '"UnprocessedItems": {}'),
    ),
    Internal("moto.dynamodb.responses:DynamoHandler", "dynamodb_api", attrs=("_contains_duplicates", "serialized")),
    Internal("moto.dynamodb.responses:validate_put_has_empty_keys", "dynamodb_api", has_params=("custom_error_msg",)),
    Internal("moto.dynamodb.models.utilities:dynamo_json_dump", "dynamodb_api", params=("dynamo_object",)),
    Internal(
        "moto.dynamodb.responses:DynamoHandler._validate_table_creation",
        "dynamodb_api",
        params=("self", "billing_mode", "throughput", "..."),
    ),
    Internal(
        "moto.dynamodb.responses:DynamoHandler._dispatch",
        "dynamodb_api",
        params=("self", "request", "full_url", "headers"),
        text=("self.setup_class(request, full_url, headers)", "return self.call_action()"),
    ),
    Internal("moto.core.responses:BaseResponse.call_action", "dynamodb_api", text=("raise NotImplementedError",)),
    Internal(
        "moto.dynamodb.models.table:Table._get_default_encryption_key",
        "dynamodb_api",
        params=("self", "account_id", "region"),
        text=('ddb_alias = "alias/aws/dynamodb"',),
    ),
    Internal("moto.kms.models:KmsBackend.__init__", "dynamodb_api", text=("self.keys",)),
    Internal("moto.kms.models:Key.__init__", "dynamodb_api", names=("description", "key_manager")),
    # dynamodb_streams: stream records as written, shards as listed.
    Internal(
        "moto.dynamodb.models.table:StreamShard.add",
        "dynamodb_streams",
        params=("self", "old", "new"),
        text=("self.items.append(StreamRecord(",),
    ),
    Internal("moto.dynamodb.models.table:StreamRecord.__init__", "dynamodb_streams", names=("record",)),
    Internal("moto.dynamodb.models.table:Table.__init__", "dynamodb_streams", names=("region_name",)),
    Internal(
        "moto.dynamodbstreams.responses:DynamoDBStreamsHandler.describe_stream",
        "dynamodb_streams",
        params=("self",),
        text=('{"StreamDescription": stream}',),
    ),
    # dynamodb_kinesis: destinations kept on moto's table; Kinesis streams on demand without a shard count.
    Internal(
        "moto.kinesis.models:KinesisBackend.create_stream",
        "dynamodb_kinesis",
        params=("self", "stream_name", "shard_count", "stream_mode", "..."),
    ),
    Internal("moto.kinesis.models:Stream.__init__", "dynamodb_kinesis", text=('"ON_DEMAND"',)),
    Internal("moto.dynamodb.models.table:Table.__init__", "dynamodb_kinesis", names=("created_at", "table_arn")),
    Internal("moto.dynamodb.models:DynamoDBBackend.__init__", "dynamodb_kinesis", names=("tables",)),
    Internal("moto.kinesis.models:KinesisBackend.__init__", "dynamodb_kinesis", names=("streams",)),
    Internal("moto.dynamodb.models.utilities:dynamo_json_dump", "dynamodb_kinesis", params=("dynamo_object",)),
    Internal(
        "moto.kinesis.models:Stream.put_record",
        "dynamodb_kinesis",
        params=("self", "partition_key", "explicit_hash_key", "data"),
    ),
    Internal(
        "moto.dynamodb.models.table:StreamRecord.__init__",
        "dynamodb_kinesis",
        text=('"ApproximateCreationDateTime": utcnow()', '"eventID"', '"Keys": keys'),
    ),
    # sns_api: SNS requests checked before moto's action runs.
    Internal(
        "moto.sns.responses:SNSResponse._dispatch",
        "sns_api",
        params=("self", "request", "full_url", "headers"),
        text=("self.setup_class(request, full_url, headers)", "return self.call_action()"),
    ),
    Internal(
        "moto.sns.responses:SNSResponse", "sns_api", attrs=("setup_class", "call_action", "serialized", "backend")
    ),
    Internal(
        "moto.sns.models:Topic.__init__",
        "sns_api",
        names=(
            "fifo_topic",
            "content_based_deduplication",
            "display_name",
            "subscriptions_pending",
            "subscriptions_confimed",
            "subscriptions_deleted",
            "effective_delivery_policy",
        ),
        text=("json.dumps(DEFAULT_EFFECTIVE_DELIVERY_POLICY)",),
    ),
    Internal("moto.sns.models:Topic", "sns_api", attrs=("policy",)),
    Internal("moto.sns.models:DEFAULT_EFFECTIVE_DELIVERY_POLICY", "sns_api", probe=lambda d: isinstance(d, dict)),
    Internal("moto.sns.models:VALID_POLICY_ACTIONS", "sns_api", probe=lambda v: "Publish" in v),
    Internal(
        "moto.sns.responses:SNSResponse.get_topic_attributes",
        "sns_api",
        params=("self",),
        text=("self.backend.get_topic(topic_arn)",),
    ),
    Internal(
        "moto.sns.models:SNSBackend.set_topic_attribute",
        "sns_api",
        text=("setattr(topic, attribute_name, attribute_value)",),
    ),
    Internal("moto.sns.models:SNSBackend", "sns_api", attrs=("list_tags_for_resource",)),
    Internal(
        "moto.sns.models:Subscription.get_post_data",
        "sns_api",
        params=("self", "message", "message_id", "subject", "..."),
        text=(
            '"SignatureVersion": signature_version',
            '"Signature": ',
            '"SigningCertURL": f"https://sns.{region}.amazonaws.com/{key_name}"',
            "default_sns_backend._message_public_keys[key_name]",
            '"UnsubscribeURL": ',
        ),
    ),
    Internal("moto.sns.models:Subscription", "sns_api", attrs=("private_key",)),
    Internal("moto.sns.models:SNSBackend.__init__", "sns_api", names=("_message_public_keys", "platform_endpoints")),
    Internal("moto.sns.models:SNSBackend.get_subscription_attributes", "sns_api", params=("self", "arn")),
    Internal(
        "moto.sns.models:SNSBackend._find_subscription", "sns_api", params=("self", "topic_arn", "endpoint", "protocol")
    ),
    Internal("moto.sns.models:Subscription.__init__", "sns_api", names=("attributes",)),
    # sns_subscriptions: http(s) subscriptions pending until confirmed; listings paged with a base64 token.
    Internal(
        "moto.sns.responses:SNSResponse.subscribe",
        "sns_subscriptions",
        params=("self",),
        text=('result = {"SubscriptionArn": subscription.arn}',),
    ),
    Internal("moto.sns.responses:SNSResponse.confirm_subscription", "sns_subscriptions", params=("self",)),
    Internal(
        "moto.sns.responses:SNSResponse.list_subscriptions",
        "sns_subscriptions",
        params=("self",),
        text=("self.backend.list_subscriptions(",),
    ),
    Internal(
        "moto.sns.responses:SNSResponse.list_subscriptions_by_topic",
        "sns_subscriptions",
        params=("self",),
        text=("self.backend.list_subscriptions_by_topic(",),
    ),
    Internal("moto.sns.models:SNSBackend.list_subscriptions", "sns_subscriptions", params=("self", "next_token")),
    Internal(
        "moto.sns.models:SNSBackend.list_subscriptions_by_topic",
        "sns_subscriptions",
        params=("self", "topic_arn", "next_token"),
    ),
    Internal("moto.sns.models:Subscription.__init__", "sns_subscriptions", names=("confirmed", "owner", "attributes")),
    # sns_sqs: SNS to SQS delivered as AWS does; FIFO topics' sequence numbers in the Publish answers.
    Internal(
        "moto.sns.responses:SNSResponse.publish",
        "sns_sqs",
        params=("self",),
        text=('result = {"MessageId": message_id}',),
    ),
    Internal(
        "moto.sns.responses:SNSResponse.publish_batch",
        "sns_sqs",
        params=("self",),
        text=('result = {"Successful": successful, "Failed": failed}',),
    ),
    Internal(
        "moto.sns.models:SNSBackend.publish_batch", "sns_sqs", text=('{"MessageId": message_id, "Id": entry["Id"]}',)
    ),
    Internal(
        "moto.sqs.models:SQSBackend.send_message",
        "sns_sqs",
        has_params=("message_attributes", "deduplication_id", "group_id", "system_attributes", "validate_group_id"),
    ),
    Internal("moto.sqs.responses:SQSResponse.receive_message", "sns_sqs", text=('"AWSTraceHeader"',)),
    # sqs_fifo: in flight means invisible; deduplication ids remembered for five minutes.
    Internal("moto.sqs.models:Queue.pending_messages", "sqs_fifo", probe=lambda p: isinstance(p, property)),
    Internal("moto.sqs.models:Queue.pending_message_groups", "sqs_fifo", probe=lambda p: isinstance(p, property)),
    Internal(
        "moto.sqs.models:Queue.__init__", "sqs_fifo", names=("_pending_messages", "_messages_lock", "last_purged_at")
    ),
    Internal("moto.sqs.models:SQSBackend.purge_queue", "sqs_fifo", text=("queue.last_purged_at = now",)),
    Internal("moto.sqs.models:Queue.messages", "sqs_fifo", probe=lambda p: isinstance(p, property)),
    Internal("moto.sqs.models:Queue.add_message", "sqs_fifo", params=("self", "message")),
    Internal("moto.sqs.models:Message.__init__", "sqs_fifo", names=("sequence_number", "approximate_receive_count")),
    Internal("moto.sqs.models:Message", "sqs_fifo", attrs=("visible",)),
    Internal("moto.sqs.models:Message.__init__", "sqs_fifo", names=("group_id", "deduplication_id")),
    # sqs_fifo: groups; moto's receive walk takes what `messages` offers, marking each message it takes.
    Internal(
        "moto.sqs.models:SQSBackend.receive_message",
        "sqs_fifo",
        text=("for message in queue.messages:", "message.mark_received(visibility_timeout=visibility_timeout)"),
    ),
    Internal(
        "moto.sqs.models:Queue.approximate_number_of_messages", "sqs_fifo", probe=lambda p: isinstance(p, property)
    ),
    Internal("moto.sqs.models:Queue.delete_message", "sqs_fifo", params=("self", "receipt_handle")),
    Internal("moto.sqs.models:Message.mark_received", "sqs_fifo", params=("self", "visibility_timeout")),
    Internal(
        "moto.sqs.models:Queue._set_attributes", "sqs_fifo", text=("setattr(self, camelcase_to_underscores(key)",)
    ),
    Internal("moto.sqs.models:Queue.__init__", "sqs_fifo", names=("deleted_messages", "queue_arn")),
    Internal("moto.sqs.models:Message", "sqs_fifo", attrs=("had_receipt_handle", "delay")),
    Internal("moto.sqs.models:Message.__init__", "sqs_fifo", names=("system_attributes", "sent_timestamp")),
    # aws_errors: the shape moto's serializers give an exception.
    Internal("moto.core.serialize:get_error_model", "aws_errors", params=("exception", "default_service_model")),
    Internal("moto.core.errors:ErrorShape", "aws_errors", params=("shape_name", "shape_model", "...")),
    Internal(
        "moto.core.serialize:QuerySerializer._serialize_error_metadata",
        "aws_errors",
        params=("self", "serialized", "error", "shape"),
    ),
    Internal(
        "moto.sqs.models:Queue.add_message", "event_source_mapping", text=("lambda_event_source_mappings.items()",)
    ),
    Internal(
        "moto.sqs.models:Message.__init__",
        "event_source_mapping",
        text=tuple(
            f"self.{n}" for n in ("approximate_receive_count", "approximate_first_receive_timestamp", "sent_timestamp")
        ),
    ),
    # execute_api: the wire header list, and the API definitions it serves.
    Internal("moto.moto_server.werkzeug_app:MotoRequestHandler.make_environ", "execute_api", params=("self",)),
    # apigateway_cfn: the backend calls and model fields its models write.
    Internal("moto.apigateway.models:RestAPI", "apigateway_cfn", probe=_is_cloudformation_model),
    Internal(
        "moto.apigateway.models:RestAPI.__init__",
        "apigateway_cfn",
        has_params=("api_id", "account_id", "region_name", "name", "description"),
        text=tuple(
            f"self.{n}" for n in ("stages", "authorizers", "gateway_responses", "resources", "binaryMediaTypes")
        ),
    ),
    Internal("moto.apigateway.models:Stage.__init__", "apigateway_cfn", text=("method_settings",)),
    Internal("moto.apigateway.models:Stage._get_default_method_settings", "apigateway_cfn", params=("self",)),
    Internal("moto.apigateway.models:Authorizer.__init__", "apigateway_cfn", text=("identity_validation_expression",)),
    Internal(
        "moto.apigateway.models:APIGatewayBackend",
        "apigateway_cfn",
        attrs=(
            "create_stage",
            "create_authorizer",
            "put_gateway_response",
            "create_usage_plan",
            "put_integration_response",
        ),
    ),
    Internal("moto.moto_api._internal:mock_random", "apigateway_cfn", attrs=("get_random_hex",)),
    # stepfunctions_exec: machines from CloudFormation land in the executing store.
    *(
        Internal(f"{_SFN}.models:StateMachine.{name}", "stepfunctions_exec")
        for name in (
            "create_from_cloudformation_json",
            "update_from_cloudformation_json",
            "delete_from_cloudformation_json",
            "get_cfn_attribute",
            "has_cfn_attr",
        )
    ),
    Internal(f"{_SFN}.responses:StepFunctionResponse.describe_execution", "stepfunctions_exec", params=("self",)),
    Internal(
        f"{_SFN}.responses:StepFunctionResponse", "stepfunctions_exec", attrs=("_get_param", "stepfunction_backend")
    ),
    Internal(
        f"{_SFN}.parser.models:StepFunctionsParserBackend.start_execution",
        "stepfunctions_exec",
        params=("self", "state_machine_arn", "name", "execution_input", "trace_header"),
    ),
    Internal(
        f"{_SFN}.parser.backend.execution:Execution",
        "stepfunctions_exec",
        probe=lambda execution: {"output", "stop_date"} <= set(execution.__annotations__),
    ),
    Internal(f"{_PARSING}:parse_and_create_resource", "stepfunctions_exec", has_params=("logical_id",)),
    *(
        Internal(
            f"{_SFN}.parser.api:{name}.TYPE",
            "stepfunctions_exec",
            probe=functools.partial(_parser_error_has_code_not_type, name),
        )
        for name in PARSER_ERRORS
    ),
    Internal(
        f"{_SFN}.responses:StepFunctionResponse.send_task_failure",
        "stepfunctions_exec",
        params=("self",),
        text=("send_task_failure(task_token, error=error)",),
    ),
    Internal(
        f"{_SFN}.parser.models:StepFunctionsParserBackend.send_task_failure",
        "stepfunctions_exec",
        params=("self", "task_token", "error", "cause"),
    ),
    *(
        Internal(
            f"{_SFN_SERVICE}.state_task_service:StateTaskService.{name}",
            "stepfunctions_exec",
            params=("self", value, "boto_service_name", "service_action_name"),
            text=("pass",),
        )
        for name, value in (("_normalise_parameters", "parameters"), ("_normalise_response", "response"))
    ),
    Internal(
        f"{_SFN_SERVICE}.state_task_service_aws_sdk:StateTaskServiceAwsSdk._normalise_service_error_name",
        "stepfunctions_exec",
        params=("service_name",),
    ),
    Internal(
        f"{_SFN_SERVICE}.state_task_service:StateTaskService",
        "stepfunctions_exec",
        attrs=("_to_boto_request", "_from_boto_response", "_get_boto_service_name", "_get_boto_service_action"),
    ),
    Internal(
        f"{_SFN}.parser.backend.execution:Execution.get_start_execution_details",
        "stepfunctions_exec",
        params=("self",),
        text=("start_time=self.start_date",),
    ),
    # stepfunctions_exec: every interpreter client is made by boto_client_for, each module holding its own import.
    Internal(
        f"{_SFN}.parser.asl.utils.boto_client:boto_client_for",
        "stepfunctions_exec",
        params=("region", "service", "state_credentials"),
    ),
    *(
        Internal(f"{module}:boto_client_for", "stepfunctions_exec", params=("region", "service", "state_credentials"))
        for module in _SFN_CLIENT_MODULES
    ),
    Internal(
        f"{_SFN}.parser.asl.component.state.exec.state_task.state_task:StateTask._eval_state_credentials",
        "stepfunctions_exec",
        text=("env.aws_execution_details.role_arn",),
    ),
    # stepfunctions_express: StartSyncExecution, EXPRESS executions outside the store, express log records,
    # the states:startExecution task's casing and its waiters.
    Internal(
        f"{_SFN}.responses:StepFunctionResponse.call_action",
        "stepfunctions_express",
        params=("self",),
        text=("self._authenticate_and_authorize_normal_action(resource)", "method_names_from_class"),
    ),
    Internal(f"{_SFN}.responses:StepFunctionResponse.start_execution", "stepfunctions_express", params=("self",)),
    *(
        Internal(
            f"{_SFN}.parser.models:StepFunctionsParserBackend.{name}",
            "stepfunctions_express",
            has_params=("execution_arn",),
        )
        for name in ("describe_execution", "get_execution_history", "stop_execution")
    ),
    Internal(
        f"{_SFN}.parser.models:StepFunctionsParserBackend.list_executions",
        "stepfunctions_express",
        params=("self", "state_machine_arn", "..."),
    ),
    Internal(
        f"{_SFN}.parser.backend.execution:SyncExecution",
        "stepfunctions_express",
        attrs=("to_start_sync_execution_output", "to_describe_output", "start"),
    ),
    Internal(
        f"{_SFN}.parser.asl.eval.event.logging:CloudWatchLoggingSession.publish_history_log",
        "stepfunctions_express",
        params=("self", "history_log"),
    ),
    Internal(
        f"{_SFN}.parser.asl.eval.event.logging:CloudWatchLoggingConfiguration",
        "stepfunctions_express",
        attrs=("from_logging_configuration",),
    ),
    Internal(
        f"{_SFN}.parser.asl.eval.event.logging:CloudWatchLoggingConfiguration.__init__",
        "stepfunctions_express",
        names=("log_group_name", "log_account_id", "log_region"),
    ),
    *(
        Internal(
            f"{_SFN_SERVICE}.state_task_service_sfn:StateTaskServiceSfn.{name}", "stepfunctions_express", params=params
        )
        for name, params in (
            ("_normalise_parameters", ("self", "parameters", "boto_service_name", "service_action_name")),
            ("_normalise_response", ("self", "response", "boto_service_name", "service_action_name")),
            (
                "_build_sync_resolver",
                ("self", "env", "resource_runtime_part", "normalised_parameters", "state_credentials"),
            ),
            (
                "_build_sync2_resolver",
                ("self", "env", "resource_runtime_part", "normalised_parameters", "state_credentials"),
            ),
        )
    ),
    Internal(
        f"{_SFN_SERVICE}.state_task_service_sfn:StateTaskServiceSfn",
        "stepfunctions_express",
        attrs=("_sync2_api_output_of", "_to_boto_request", "_from_boto_response", "_get_boto_service_action"),
    ),
    # stepfunctions_jsonata: the JSONata evaluator and variable declarations (imported by name where they are
    # used), moto's JSONata declarations of Step Functions' functions, and the JSONata string's evaluation.
    *(
        Internal(f"{module}:eval_jsonata_expression", "stepfunctions_jsonata", params=("jsonata_expression",))
        for module in (
            f"{_SFN}.parser.asl.jsonata.jsonata",
            f"{_SFN}.parser.asl.jsonata.validations",
            f"{_SFN}.parser.asl.component.common.string.string_expression",
        )
    ),
    *(
        Internal(f"{module}:encode_jsonata_variable_declarations", "stepfunctions_jsonata", params=("bindings",))
        for module in (
            f"{_SFN}.parser.asl.jsonata.jsonata",
            f"{_SFN}.parser.asl.eval.states",
            f"{_SFN}.parser.asl.eval.variable_store",
        )
    ),
    Internal(
        f"{_SFN}.parser.asl.component.intrinsic.jsonata:_DECLARATION_BY_VARIABLE_REFERENCE",
        "stepfunctions_jsonata",
        probe=lambda declared: {"$partition", "$range", "$parse"} <= set(declared),
    ),
    Internal(
        f"{_SFN}.parser.asl.component.intrinsic.jsonata:get_intrinsic_functions_declarations",
        "stepfunctions_jsonata",
        text=("_DECLARATION_BY_VARIABLE_REFERENCE.get",),
    ),
    Internal(
        f"{_SFN}.parser.asl.component.common.string.string_expression:StringJSONata._eval_body",
        "stepfunctions_jsonata",
        params=("self", "env"),
        text=("eval_jsonata_expression(rich_jsonata_expression)",),
    ),
    Internal(
        f"{_SFN}.parser.asl.jsonata.jsonata:JSONataException.__init__",
        "stepfunctions_jsonata",
        params=("self", "error", "details"),
    ),
    Internal(
        f"{_SFN}.parser.asl.component.common.error_name.failure_event:FailureEventException",
        "stepfunctions_jsonata",
        attrs=("get_evaluation_failed_event_details",),
    ),
    # stepfunctions_events: a Standard execution's start and end, and what the status change event reads.
    Internal(
        f"{_SFN}.parser.backend.execution:Execution.start",
        "stepfunctions_events",
        params=("self",),
        text=("self._get_start_execution_worker()", "ExecutionStatus.RUNNING", "self.exec_worker.start()"),
    ),
    Internal(
        f"{_SFN}.parser.backend.execution:BaseExecutionWorkerCommunication.terminated",
        "stepfunctions_events",
        params=("self",),
        text=("self._reflect_execution_status()",),
    ),
    Internal(
        f"{_SFN}.parser.backend.execution:Execution.__init__",
        "stepfunctions_events",
        names=("exec_arn", "state_machine", "name", "start_date", "input_data", "sm_type", "account_id", "region_name"),
    ),
    Internal("moto.events.models:EventsBackend.put_events", "stepfunctions_events", params=("self", "events")),
    Internal(
        "moto.events.utils:EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE",
        "stepfunctions_events",
        probe=lambda template: '"source": "<source>", ' in template and "<account>" not in template,
    ),
    Internal(
        "moto.events.utils:EventTemplateParser.DEFAULT_EVENT_INPUT_PATHS_MAP",
        "stepfunctions_events",
        probe=lambda paths: paths.get("account") == "$.account",
    ),
    # iam: moto's authorization hook (every request through BaseResponse.call_action passes it), the
    # assumed-role key lookup and policy reading it reuses, STS AssumeRole that mints role credentials.
    Internal(
        "moto.core.authorization:ActionAuthenticatorMixin._authenticate_and_authorize_normal_action",
        "iam",
        params=("self", "resource"),
    ),
    Internal(
        "moto.core.responses:BaseResponse.call_action",
        "iam",
        text=("self._authenticate_and_authorize_normal_action(resource)", "except HTTPException"),
    ),
    Internal(
        "moto.iam.access_control:AssumedRoleAccessKey",
        "iam",
        attrs=("collect_policies", "arn"),
    ),
    Internal(
        "moto.iam.access_control:AssumedRoleAccessKey.__init__",
        "iam",
        params=("self", "account_id", "partition", "access_key_id", "headers"),
        names=("_owner_role_name",),
    ),
    Internal("moto.iam.access_control:IAMPolicy.__init__", "iam", names=("_policy_json",)),
    # iam: a stack update of a role also sets its inline policies and trust policy (moto's only the description).
    Internal(
        "moto.iam.models:Role.update_from_cloudformation_json",
        "iam",
        params=("original_resource", "new_resource_name", "cloudformation_json", "account_id", "region_name"),
    ),
    Internal("moto.iam.models:Role.__init__", "iam", names=("policies", "assume_role_policy_document")),
    Internal("moto.iam.models:Role", "iam", attrs=("put_policy", "delete_policy")),
    # iam: the queue's key, for the data key SQS asks KMS for on a send to an SSE-KMS queue.
    Internal("moto.sqs.models:SQSBackend.__init__", "iam", names=("queues",)),
    Internal("moto.sqs.models:Queue", "iam", attrs=("KMS_ATTRIBUTES",), text=("kms_master_key_id",)),
    Internal("moto.sts.models:STSBackend.get_assumed_role_from_access_key", "iam", params=("self", "access_key_id")),
    Internal(
        "moto.sts.models:STSBackend.assume_role",
        "iam",
        params=("self", "region_name", "role_session_name", "role_arn", "policy", "duration", "external_id"),
    ),
    # schedules: the backends' fields the timer reads.
    Internal("moto.scheduler.models:EventBridgeSchedulerBackend", "schedules", probe=_default_schedule_group_is_empty),
    Internal("moto.events.models:events_backends", "schedules", attrs=("iter_backends",)),
    Internal("moto.events.models:EventsBackend", "schedules", probe=_rule_keeps_its_schedule),
    # sns_delivery: the delivery hook, and what it reuses of moto's own delivery.
    Internal(
        "moto.sns.models:Subscription.publish",
        "sns_delivery",
        params=(
            "self",
            "message",
            "message_id",
            "subject",
            "message_attributes",
            "group_id",
            "deduplication_id",
            "message_structure",
        ),
    ),
    Internal(
        "moto.sns.models:SNSBackend.subscribe", "sns_delivery", params=("self", "topic_arn", "endpoint", "protocol")
    ),
    Internal(
        "moto.sns.models:Subscription",
        "sns_delivery",
        text=("_filter_policy_matcher", "def get_post_data"),
    ),
    Internal("moto.logs.models:LogsBackend.ensure_log_group", "sns_delivery", params=("self", "log_group_name")),
    Internal(
        "moto.logs.models:LogsBackend.create_log_stream",
        "sns_delivery",
        params=("self", "log_group_name", "log_stream_name"),
    ),
    Internal("moto.sns.models:Topic.__init__", "sns_delivery", names=("name", "account_id", "sns_backend")),
)
