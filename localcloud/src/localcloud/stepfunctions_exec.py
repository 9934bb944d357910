"""Step Functions: state machines created by CloudFormation execute.

moto keeps two Step Functions stores: the executing one (its ASL interpreter, used by the API
once `execute_state_machine` is on) and the plain one, where its CloudFormation model puts every
`AWS::StepFunctions::StateMachine`, reading only `DefinitionString`. This layer replaces that
model's create/update/delete so a machine from a template lands in the store the API uses, with
its definition built the way CloudFormation builds it: `DefinitionString` or `Definition` (an
object) or `DefinitionS3Location`, then `DefinitionSubstitutions` (`${Key}` replaced). It also
answers `Fn::GetAtt ... Arn`, which moto's model rejects.

The interpreter is moto's port of LocalStack's; its Lambda tasks go through Lambda Invoke at
MOTO_PORT, i.e. through the local Lambda runner. Where the port left out what LocalStack's does (and
AWS shows), this layer puts it back: a service task's parameters and result in the API's casing,
aws-sdk errors named after the service's SDK id (`S3.NoSuchKeyException`), `$$.Execution.StartTime`
as a string, the backend errors' codes (`InvalidDefinition`), SendTaskFailure's cause, and
DescribeExecution's output, stopDate and inputDetails. An execution's program is a copy of its definition's,
parsed once, not parsed again for every execution, and a JSONPath is parsed once, not at every evaluation.
"""

from __future__ import annotations

import copy
import datetime
import functools
import importlib
import json
import logging
import threading
import uuid
from typing import TYPE_CHECKING, Any

import botocore.exceptions
import botocore.session
from moto.cloudformation.exceptions import ValidationError
from moto.core.responses import ActionResult, EmptyResult
from moto.stepfunctions import models as sfn_models
from moto.stepfunctions.parser import api as parser_api
from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import StateTaskService
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)
from moto.stepfunctions.parser.asl.eval.evaluation_details import ExecutionDetails
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils import json_path
from moto.stepfunctions.parser.backend.execution import Execution as ParserExecution
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse, get_backend
from moto.utilities.tagging_service import TaggingService
from moto.utilities.utils import get_partition

from localcloud import iam
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.stepfunctions")

RESOURCE_TYPE = "AWS::StepFunctions::StateMachine"
_DEFINITION_PROPERTIES = ("DefinitionString", "Definition", "DefinitionS3Location")
_MACHINE_TYPES = ("STANDARD", "EXPRESS")


def _read_s3_definition(location: Any, account_id: str, region: str) -> str:
    from moto.s3.models import s3_backends

    if not isinstance(location, dict) or "Bucket" not in location or "Key" not in location:
        raise ValidationError(message=f"{RESOURCE_TYPE}: DefinitionS3Location needs Bucket and Key, got {location!r}")
    bucket, key, version = location["Bucket"], location["Key"], location.get("Version")
    backend = s3_backends[account_id][get_partition(region)]
    try:
        obj = backend.get_object(bucket, key, version_id=version)
    except Exception as error:  # moto raises its S3 error types (MissingBucket, MissingKey, ...)
        obj = None
        log.debug("reading s3://%s/%s failed: %r", bucket, key, error)
    if obj is None:
        raise ValidationError(
            message=f"{RESOURCE_TYPE}: DefinitionS3Location s3://{bucket}/{key} does not exist; "
            "upload the definition before deploying the stack"
        )
    return bytes(obj.value).decode("utf-8")


def substitute(definition: str, substitutions: dict[str, Any]) -> str:
    """Replace `${Key}` the way CloudFormation applies DefinitionSubstitutions."""
    for key, value in substitutions.items():
        text = value if isinstance(value, str) else json.dumps(value)
        definition = definition.replace("${" + key + "}", text)
    return definition


def _template_properties(stack_id: str | None, logical_id: str | None, account_id: str, region: str) -> Any:
    """The resource's properties as written in the stack's current template (before moto cleaned them)."""
    from moto.cloudformation.models import cloudformation_backends

    stack = cloudformation_backends[account_id][region].stacks.get(stack_id or "")
    if stack is None or logical_id is None:
        return {}
    return stack.template_dict.get("Resources", {}).get(logical_id, {}).get("Properties", {})


def restore_nulls(raw: Any, cleaned: Any) -> Any:
    """Put back the JSON nulls moto's template cleaning drops (`ResultPath: null` means "discard")."""
    if isinstance(raw, dict) and isinstance(cleaned, dict):
        if any(key == "Ref" or key.startswith("Fn::") for key in raw):
            return cleaned  # an intrinsic function, already resolved
        for key, value in raw.items():
            if value is None:
                cleaned.setdefault(key, None)
            elif key in cleaned:
                cleaned[key] = restore_nulls(value, cleaned[key])
    elif isinstance(raw, list) and isinstance(cleaned, list) and len(raw) == len(cleaned):
        return [restore_nulls(r, c) for r, c in zip(raw, cleaned, strict=True)]
    return cleaned


def definition_from_properties(
    properties: dict[str, Any], account_id: str, region: str, raw_properties: Any = None
) -> str:
    """The ASL text CloudFormation would send to CreateStateMachine for these properties."""
    given = [name for name in _DEFINITION_PROPERTIES if name in properties]
    if len(given) != 1:
        raise ValidationError(
            message=f"{RESOURCE_TYPE} needs exactly one of {', '.join(_DEFINITION_PROPERTIES)}; got {given or 'none'}"
        )
    if "DefinitionString" in properties:
        raw = properties["DefinitionString"]
        definition = raw if isinstance(raw, str) else json.dumps(raw)
    elif "Definition" in properties:
        raw = (raw_properties or {}).get("Definition") if isinstance(raw_properties, dict) else None
        definition = json.dumps(restore_nulls(raw, properties["Definition"]))
    else:
        definition = _read_s3_definition(properties["DefinitionS3Location"], account_id, region)
    substitutions = properties.get("DefinitionSubstitutions") or {}
    if not isinstance(substitutions, dict):
        raise ValidationError(message=f"{RESOURCE_TYPE}: DefinitionSubstitutions must be a map, got {substitutions!r}")
    return substitute(definition, substitutions)


def _machine_type(properties: dict[str, Any]) -> str:
    machine_type = str(properties.get("StateMachineType", "STANDARD"))
    if machine_type not in _MACHINE_TYPES:
        raise ValidationError(
            message=f"{RESOURCE_TYPE}: StateMachineType must be one of {', '.join(_MACHINE_TYPES)}, got {machine_type}"
        )
    return machine_type


def _api_logging(properties: dict[str, Any]) -> dict[str, Any] | None:
    """LoggingConfiguration as the API takes it (CloudFormation capitalizes the same fields)."""
    given = properties.get("LoggingConfiguration")
    if not given:
        return None
    destinations = [
        {"cloudWatchLogsLogGroup": {"logGroupArn": d["CloudWatchLogsLogGroup"]["LogGroupArn"]}}
        for d in given.get("Destinations", [])
        if "LogGroupArn" in d.get("CloudWatchLogsLogGroup", {})
    ]
    configuration: dict[str, Any] = {
        "level": given.get("Level", "OFF"),
        "includeExecutionData": str(given.get("IncludeExecutionData", False)).lower() == "true",
    }
    if destinations:
        configuration["destinations"] = destinations
    return configuration


def _api_tags(properties: dict[str, Any]) -> list[dict[str, str]]:
    return [{"key": t["Key"], "value": str(t["Value"])} for t in properties.get("Tags", [])]


def _create(
    cls: type[sfn_models.StateMachine],
    /,
    resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> sfn_models.StateMachine:
    properties = cloudformation_json["Properties"]
    stack_id, logical_id = kwargs.get("StackId"), kwargs.get("LogicalId")
    raw = _template_properties(stack_id, logical_id, account_id, region_name)
    backend = get_backend(account_id, region_name)
    machine = backend.create_state_machine(
        name=properties.get("StateMachineName", resource_name),
        definition=definition_from_properties(properties, account_id, region_name, raw),
        roleArn=properties.get("RoleArn", ""),
        tags=_api_tags(properties),
        loggingConfiguration=_api_logging(properties),
        tracingConfiguration=properties.get("TracingConfiguration"),
        sm_type=_machine_type(properties),
    )
    # Remembered so that a stack update can read this resource's template text too.
    machine.localcloud_stack_id = stack_id  # type: ignore[attr-defined]
    return machine


def _delete(
    cls: type[sfn_models.StateMachine],
    resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
) -> None:
    # resource_name is the physical id, i.e. the machine's ARN.
    get_backend(account_id, region_name).delete_state_machine(resource_name)


def _update(
    cls: type[sfn_models.StateMachine],
    original_resource: Any,
    new_resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
) -> sfn_models.StateMachine:
    properties = cloudformation_json.get("Properties", {})
    stack_id = getattr(original_resource, "localcloud_stack_id", None)
    logical_id = getattr(original_resource, "logical_resource_id", None)
    name = properties.get("StateMachineName", original_resource.name)
    new_type = _machine_type(properties)
    if name != original_resource.name or new_type != (original_resource.type or "STANDARD"):
        # Name and type need replacement: create the new machine, then delete the old one.
        cloudformation_json["Properties"] = {**properties, "StateMachineName": name}
        replacement = _create(
            cls, name, cloudformation_json, account_id, region_name, StackId=stack_id, LogicalId=logical_id
        )
        _delete(cls, original_resource.arn, cloudformation_json, account_id, region_name)
        return replacement
    backend = get_backend(account_id, region_name)
    machine = backend.update_state_machine(
        original_resource.arn,
        definition=definition_from_properties(
            properties, account_id, region_name, _template_properties(stack_id, logical_id, account_id, region_name)
        ),
        role_arn=properties.get("RoleArn") or None,
        logging_configuration=_api_logging(properties),
        tracing_configuration=properties.get("TracingConfiguration"),
    )
    tagger: TaggingService = backend.tagger
    tagger.tag_resource(machine.arn, _api_tags(properties))
    return machine


def _get_cfn_attribute(self: sfn_models.StateMachine, attribute_name: str) -> Any:
    if attribute_name == "Arn":
        return self.arn
    return original(sfn_models.StateMachine, "get_cfn_attribute")(self, attribute_name)


def _has_cfn_attr(cls: type[sfn_models.StateMachine], attr: str) -> bool:
    return attr in ("Arn", "Name", "DefinitionString", "RoleArn", "StateMachineName", "Tags")


def _describe_execution(self: StepFunctionResponse) -> ActionResult:
    """DescribeExecution as AWS answers it for the interpreter's executions.

    moto passes a string result through unencoded (AWS sends `"text"`, JSON), leaves out
    stopDate for TIMED_OUT executions and inputDetails always.
    """
    result: ActionResult = original(StepFunctionResponse, "describe_execution")(self)
    execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
    response = result.result
    if isinstance(execution, ParserExecution) and isinstance(response, dict):
        response.setdefault("inputDetails", {"included": True})
        if "output" in response and isinstance(execution.output, str):
            response["output"] = json.dumps(execution.output)
        if response.get("status") in ("TIMED_OUT", "ABORTED", "FAILED") and "stopDate" not in response:
            response["stopDate"] = execution.stop_date
    return result


def _send_task_failure(self: StepFunctionResponse) -> EmptyResult:
    """SendTaskFailure with its cause (moto passed only the error on, so the waiting task's Cause was null)."""
    backend: Any = self.stepfunction_backend  # the interpreter's backend (StepFunctionsParserBackend)
    backend.send_task_failure(
        self._get_param("taskToken"), error=self._get_param("error"), cause=self._get_param("cause")
    )
    return EmptyResult()


def _start_execution_details(self: ParserExecution) -> ExecutionDetails:
    """`$$.Execution.StartTime` as AWS writes it, `2026-12-03T13:01:02.345Z` (moto put the datetime itself in the
    context object, so a state that read it made the execution's output unserialisable: DescribeExecution 500)."""
    details: ExecutionDetails = original(ParserExecution, "get_start_execution_details")(self)
    start = self.start_date.astimezone(datetime.UTC)
    details.start_time = start.strftime("%Y-%m-%dT%H:%M:%S.") + f"{start.microsecond // 1000:03d}Z"  # type: ignore[misc]
    return details


def _start_execution(
    self: StepFunctionsParserBackend,
    state_machine_arn: str,
    name: str | None = None,
    execution_input: Any = None,
    trace_header: Any = None,
) -> ParserExecution:
    """StartExecution without a name gets a UUID, as on AWS (moto's interpreter uses `None`)."""
    moto_start = original(StepFunctionsParserBackend, "start_execution")
    return moto_start(self, state_machine_arn, name or str(uuid.uuid4()), execution_input, trace_header)


# The interpreter's modules that call AWS, each holding its own `boto_client_for` (imported by name).
_CLIENT_MODULES = (
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.lambda_eval_utils",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sns",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_events",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_unsupported",
)


def _boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
    """moto's client for a task, signed with the machine's role (or the task's Credentials.RoleArn), as on AWS.

    moto signs with a fixed key that has full access; iam.py evaluates what a role's credentials may do.
    """
    from moto.settings import moto_server_port
    from moto.stepfunctions.parser.asl.utils import boto_client

    role_arn = str(getattr(state_credentials, "role_arn", "") or "")
    account_id = role_arn.split(":")[4] if role_arn.count(":") >= 5 else ""
    if not account_id or not iam.role_exists(role_arn, account_id):
        moto_client_for = original(boto_client, "boto_client_for")
        return moto_client_for(region=region, service=service, state_credentials=state_credentials)
    key, secret, token = iam.role_credentials(role_arn, "localcloud-states", account_id, region)
    wanted = (service, region, moto_server_port(), key, secret, token)
    client = _role_clients.get(wanted)
    if client is None:
        with _client_lock:  # one creation per key, even when many tasks ask at once
            client = _role_clients.get(wanted)
            if client is None:
                if len(_role_clients) >= 256:  # role sessions change when moto's state is reset: stay bounded
                    _role_clients.clear()
                client = _role_clients[wanted] = _role_client(*wanted)
    return client


def _role_client(service: str, region: str, port: str, key: str, secret: str, token: str) -> Any:
    """A client for a service and role session, made once (callers hold _client_lock: boto3's default
    session is not thread-safe while it creates clients) and reused by every task: creating a botocore client
    costs tens of milliseconds of CPU (a quarter of the cloud's time under load), and clients are thread-safe.
    An lru_cache let every task that missed at once make its own: under load the first SNS publishes of a
    run queued dozens of creations behind the lock.
    """
    import boto3
    from botocore.config import Config
    from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import TimeoutSeconds

    return boto3.session.Session().client(
        service,
        region_name=region,
        endpoint_url=f"http://localhost:{port}",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=Config(
            parameter_validation=False,
            retries={"max_attempts": 0, "total_max_attempts": 1},
            connect_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
            read_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
            max_pool_connections=64,  # tasks of many executions share the client
        ),
    )


def _evaluation_entrypoint(self: ExecutionWorker) -> Any:
    """The execution's program, copied from its definition's parsed one: moto parses the definition again for
    every execution (ANTLR in pure Python, 40-90 ms of CPU for the order workflows, and the schedule starts the
    poller every second). A copy, because an execution's program is its own; a program that cannot be copied is
    parsed as before."""
    definition = self._evaluation_details.state_machine_details.definition
    try:
        return copy.deepcopy(_parsed(definition))
    except (TypeError, copy.Error):
        return AmazonStateLanguageParser.parse(definition)[0]


@functools.lru_cache(maxsize=64)
def _parsed(definition: str) -> Any:
    return AmazonStateLanguageParser.parse(definition)[0]


def _remembered(parse: Any) -> Any:
    """A JSONPath parser that parses each path once: the interpreter parsed `$.order.value.status` again at every
    evaluation, and jsonpath_ng builds a new ply parser each time (1-3 ms of CPU, dozens of times an order).
    Parsed paths are immutable trees, safe to share between executions."""
    return functools.lru_cache(maxsize=1024)(parse)


_role_clients: dict[tuple[str, str, str, str, str, str], Any] = {}
_client_lock = threading.Lock()


@functools.lru_cache(maxsize=64)
def _operations(service: str) -> dict[str, Any]:
    """A service's operation models by Python name (`send_task_failure`), from botocore's service model; none for
    a name botocore does not know (remembered too: looking a name up walks botocore's data folders)."""
    try:
        model = botocore.session.get_session().get_service_model(service)
    except botocore.exceptions.UnknownServiceError:
        return {}
    return {botocore.xform_name(name): model.operation_model(name) for name in model.operation_names}


def _operation(task: StateTaskService, boto_service_name: str | None, service_action_name: str | None) -> Any:
    service = task._get_boto_service_name(boto_service_name=boto_service_name)
    return _operations(service).get(task._get_boto_service_action(service_action_name=service_action_name))


def _normalise_parameters(
    self: StateTaskService,
    parameters: dict[str, Any],
    boto_service_name: str | None = None,
    service_action_name: str | None = None,
) -> None:
    """A service task's parameters in the API's own casing (`TaskToken` -> `taskToken`), as AWS maps them.

    moto left this step of LocalStack's interpreter empty, so a task on a camelCase API (aws-sdk:sfn:*, ...)
    failed in botocore's serializer with a KeyError.
    """
    operation = _operation(self, boto_service_name, service_action_name)
    if operation is not None and operation.input_shape is not None:
        self._to_boto_request(parameters, operation.input_shape)


def _normalise_response(
    self: StateTaskService,
    response: Any,
    boto_service_name: str | None = None,
    service_action_name: str | None = None,
) -> None:
    """A service task's result in the States Language's casing (`executionArn` -> `ExecutionArn`)."""
    operation = _operation(self, boto_service_name, service_action_name)
    if operation is not None and operation.output_shape is not None:
        self._from_boto_response(response, operation.output_shape)


# The aws-sdk integration's names that are not the service's botocore serviceId without spaces.
_SDK_ERROR_PREFIXES = {"dynamodb": "DynamoDb", "sfn": "Sfn"}


def _sdk_error_prefix(service_name: str) -> str:
    """`S3.NoSuchKeyException`, `SecretsManager.ResourceNotFoundException`: an aws-sdk task's errors are named
    after the service's SDK id (moto fell back to the resource's lower-case name: `s3.NoSuchKeyException`)."""
    prefix = _SDK_ERROR_PREFIXES.get(service_name.lower())
    if prefix is not None:
        return prefix
    try:
        model = botocore.session.get_session().get_service_model(service_name)
    except botocore.exceptions.UnknownServiceError:
        return service_name
    return str(model.service_id).replace(" ", "")


# The errors moto's interpreter backend raises: each names its AWS error in `code`, but their base (moto's
# AWSError) serialises `TYPE`, so the answer's `__type` was null and a client could not tell
# InvalidDefinition from any other failure (botocore raised a bare ClientError with an empty code).
PARSER_ERRORS = (
    "InvalidDefinition",
    "InvalidExecutionInput",
    "InvalidToken",
    "MissingRequiredParameter",
    "ResourceNotFound",
    "TaskDoesNotExist",
    "TaskTimedOut",
)


def install(cloud: LocalCloud) -> None:
    """Point moto's CloudFormation model for state machines at the executing store; sign tasks with the role."""
    from moto.stepfunctions.parser.asl.utils import boto_client

    replace(boto_client, "boto_client_for", _boto_client_for)
    for module_name in _CLIENT_MODULES:
        replace(importlib.import_module(module_name), "boto_client_for", _boto_client_for)
    machine = sfn_models.StateMachine
    replace(machine, "create_from_cloudformation_json", classmethod(_create))
    replace(machine, "update_from_cloudformation_json", classmethod(_update))
    replace(machine, "delete_from_cloudformation_json", classmethod(_delete))
    replace(machine, "get_cfn_attribute", _get_cfn_attribute)
    replace(machine, "has_cfn_attr", classmethod(_has_cfn_attr))
    replace(StepFunctionResponse, "describe_execution", _describe_execution)
    replace(StepFunctionsParserBackend, "start_execution", _start_execution)
    replace(StepFunctionResponse, "send_task_failure", _send_task_failure)
    replace(ParserExecution, "get_start_execution_details", _start_execution_details)
    replace(ExecutionWorker, "_get_evaluation_entrypoint", _evaluation_entrypoint)
    for module in (json_path, result_path):
        replace(module, "parse", _remembered(module.parse))
    replace(StateTaskService, "_normalise_parameters", _normalise_parameters)
    replace(StateTaskServiceAwsSdk, "_normalise_service_error_name", staticmethod(_sdk_error_prefix))
    replace(StateTaskService, "_normalise_response", _normalise_response)
    for name in PARSER_ERRORS:
        error = getattr(parser_api, name)
        replace(error, "TYPE", error.code)
