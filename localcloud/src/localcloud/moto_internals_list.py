"""The moto internals the local cloud relies on: every patched attribute and every private name, signature or field
a layer reads, with what the layer assumes about it. `moto_internals.py` checks this list against the installed moto.
"""

from __future__ import annotations

import functools
from typing import Any

from localcloud.moto_internal import Internal
from localcloud.moto_internals_services import SERVICE_INTERNALS
from localcloud.stepfunctions_exec import PARSER_ERRORS

PINNED_MOTO = "5.2.5"


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
    Internal(
        f"{_PARSING}:ResourceMap.load_parameters",
        "cloudformation_templates",
        names=("resolved_parameters", "_parsed_resources", "_template"),
        text=('value = value.split(",")',),
    ),
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
    # the request and answer layers of API Gateway, SQS, DynamoDB and SNS (moto_internals_services.py).
    *SERVICE_INTERNALS,
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
    # moto_backends: an account's backend straight from the dict; moto's lookup creates and registers the first.
    Internal(
        "moto.core.base_backend:BackendDict.__getitem__",
        "moto_backends",
        params=("self", "account_id"),
        text=("self._create_account_specific_backend(account_id)",),
    ),
    Internal(
        "moto.core.base_backend:BackendDict._create_account_specific_backend",
        "moto_backends",
        text=("self[account_id] = AccountSpecificBackend(", "BackendDict._instances.append(self)"),
    ),
    Internal("moto.core.base_backend:BackendDict.reset", "moto_backends", text=("backend.clear()",)),
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
    Internal(
        f"{_SFN}.parser.backend.execution_worker:ExecutionWorker._get_evaluation_entrypoint",
        "stepfunctions_exec",
        params=("self",),
        text=("AmazonStateLanguageParser.parse(", "self._evaluation_details.state_machine_details.definition"),
    ),
    Internal(f"{_SFN}.parser.asl.utils.json_path:parse", "stepfunctions_exec", params=("path", "debug")),
    Internal(f"{_SFN}.parser.asl.utils.json_path:extract_json", "stepfunctions_exec", text=("parse(path)",)),
    Internal(f"{_SFN}.parser.asl.component.common.path.result_path:parse", "stepfunctions_exec", params=("string",)),
    Internal(
        f"{_SFN}.parser.asl.component.common.path.result_path:ResultPath._eval_body",
        "stepfunctions_exec",
        text=("parse(self.result_path_src)",),
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
