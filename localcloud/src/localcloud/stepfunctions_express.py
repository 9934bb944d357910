"""Step Functions EXPRESS workflows, run the way AWS runs them.

moto's interpreter runs an EXPRESS machine like a STANDARD one: StartExecution keeps the execution for
DescribeExecution, and StartSyncExecution is not implemented (an HTML 500). On AWS an EXPRESS execution
is not kept by the service:

- `StartSyncExecution` runs it to the end within the request and answers with its result, status
  (SUCCEEDED, FAILED, TIMED_OUT) and `billingDetails` (billed in 100 ms units and 64 MB steps; the local
  cloud cannot measure memory, so it bills the smallest step). On a STANDARD machine it is refused with
  `StateMachineTypeNotSupported`.
- `StartExecution` starts it in the background (at-least-once on AWS) and answers at once. Its execution
  ARN is `arn:aws:states:<region>:<account>:express:<machine>:<name>:<uuid>`.
- What it did is reported only through CloudWatch Logs, when the machine's LoggingConfiguration asks
  (level ALL, ERROR or FATAL; includeExecutionData): one JSON record per history event (id, type,
  details, previous_event_id, event_timestamp, execution_arn, redrive_count) in the log group, in a
  stream `states/<machine>/<yyyy-mm-dd-hh-mm>/<id>`. moto's own publisher fails on every record
  (its LogEvent needs `timestamp` and `message`), so this module writes them.
- DescribeExecution, GetExecutionHistory and StopExecution of an EXPRESS execution are `InvalidArn`
  (`Resource type not valid in this context: express`); ListExecutions of an EXPRESS machine is
  `StateMachineTypeNotSupported`.
- An execution lasts at most 5 minutes (`EXPRESS_MAX_SECONDS`, `LOCALCLOUD_EXPRESS_MAX_SECONDS`): a
  definition without a shorter `TimeoutSeconds` ends TIMED_OUT then.

A STANDARD parent may start an EXPRESS child with `arn:aws:states:::states:startExecution` (fire and
forget) or wait for it with `.sync` / `.sync:2`: the interpreter's waiters poll DescribeExecution, which
AWS refuses for EXPRESS, so for an EXPRESS child they read the execution kept here instead.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
import json
import logging
import math
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import botocore
import botocore.session
from moto.core.exceptions import AWSError
from moto.logs.exceptions import ResourceAlreadyExistsException, ResourceNotFoundException
from moto.logs.models import logs_backends
from moto.stepfunctions.exceptions import InvalidArn, InvalidExecutionInput
from moto.stepfunctions.models import StateMachine, StepFunctionBackend
from moto.stepfunctions.parser.api import (
    DescribeExecutionOutput,
    ExecutionStatus,
    HistoryEventType,
    TaskFailedEventDetails,
)
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import StatesErrorNameType
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
    StateTaskServiceSfn,
)
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.eval.event.logging import (
    CloudWatchLoggingConfiguration,
    CloudWatchLoggingSession,
    HistoryLog,
)
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.parser.backend.execution import Execution, SyncExecution
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.stepfunctions.express")

EXPRESS_MAX_SECONDS = 300  # set from the settings at install
BILLING_UNIT_MS = 100
BILLED_MEMORY_MB = 64
_KEPT = 1000  # finished executions kept for a parent's .sync waiter

_executions: OrderedDict[str, Execution] = OrderedDict()
_lock = threading.Lock()


def is_express_arn(arn: str) -> bool:
    return arn.split(":")[5:6] == ["express"]


def running(execution_arn: str) -> bool:
    """Whether an EXPRESS execution started here still runs (AWS cannot be asked; the local schedules need to know
    so a compressed rate does not pile up runs)."""
    with _lock:
        execution = _executions.get(execution_arn)
    return execution is not None and execution.exec_status == ExecutionStatus.RUNNING


class StateMachineTypeNotSupported(AWSError):
    TYPE = "StateMachineTypeNotSupported"


def _invalid_express_arn() -> InvalidArn:
    return InvalidArn("Invalid Arn: 'Resource type not valid in this context: express'")


def _type_not_supported() -> StateMachineTypeNotSupported:
    return StateMachineTypeNotSupported("This operation is not supported by this type of state machine")


class ExpressLogging(CloudWatchLoggingSession):
    """Writes each history event as AWS's Express log record into the machine's log group."""

    def __init__(self, execution_arn: str, configuration: CloudWatchLoggingConfiguration, machine_name: str):
        super().__init__(execution_arn=execution_arn, configuration=configuration)
        minute = datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%d-%H-%M")
        self.stream = f"states/{machine_name}/{minute}/{uuid.uuid4().hex[:8]}"

    def publish_history_log(self, history_log: HistoryLog) -> None:
        stamp: Any = history_log["event_timestamp"]  # moto passes ISO 8601 text, not the datetime it declares
        if isinstance(stamp, str):
            stamp = datetime.datetime.fromisoformat(stamp)
        millis = int(stamp.timestamp() * 1000)
        record = {
            "id": history_log["id"],
            "type": str(getattr(history_log["type"], "value", history_log["type"])),
            "details": history_log.get("details") or {},
            "previous_event_id": history_log["previous_event_id"],
            "event_timestamp": str(millis),
            "execution_arn": history_log["execution_arn"],
            "redrive_count": "0",
        }
        event = {"timestamp": millis, "message": to_json_str(record)}
        config = self.configuration
        backend = logs_backends[config.log_account_id][config.log_region]
        try:
            try:
                backend.put_log_events(config.log_group_name, self.stream, [event])
            except ResourceNotFoundException:
                with contextlib.suppress(ResourceAlreadyExistsException):  # another thread of this execution made it
                    backend.create_log_stream(config.log_group_name, self.stream)
                backend.put_log_events(config.log_group_name, self.stream, [event])
        except Exception as error:  # AWS drops a record it cannot deliver; the execution goes on
            log.warning(
                "express log record for %s not written to %s: %s", self.execution_arn, config.log_group_name, error
            )


def _logging(machine: StateMachine, execution_arn: str) -> ExpressLogging | None:
    given = machine.loggingConfiguration or {}
    configuration = CloudWatchLoggingConfiguration.from_logging_configuration(
        state_machine_arn=machine.arn,
        logging_configuration={"includeExecutionData": False, **given},  # type: ignore[typeddict-item]
    )
    return ExpressLogging(execution_arn, configuration, machine.name) if configuration else None


def _capped(definition: str) -> str:
    """The definition with the execution's time bounded by EXPRESS's limit."""
    program = json.loads(definition)
    limit = EXPRESS_MAX_SECONDS
    program["TimeoutSeconds"] = min(int(program.get("TimeoutSeconds", limit)), limit)
    return json.dumps(program)


def start(
    backend: StepFunctionBackend, machine_arn: str, name: str | None, given_input: str | None, *, sync: bool
) -> Execution:
    """Start an EXPRESS execution of the machine; a sync one has ended when this returns."""
    machine = backend.describe_state_machine(machine_arn)
    input_text = given_input if given_input is not None else "{}"
    try:
        json.loads(input_text)
    except ValueError as error:
        raise InvalidExecutionInput(str(error)) from error
    name = name or str(uuid.uuid4())
    execution_arn = f"{machine.arn.replace(':stateMachine:', ':express:', 1)}:{name}:{uuid.uuid4()}"
    # A snapshot of the machine, as moto's start_execution takes one (without its executions or backend).
    snapshot = copy.deepcopy(machine, {id(machine.executions): [], id(machine.backend): machine.backend})
    snapshot.definition = _capped(machine.definition)
    snapshot.sm_type = "EXPRESS"
    execution = (SyncExecution if sync else Execution)(
        name=name,
        sm_type="EXPRESS",  # type: ignore[arg-type]
        role_arn=machine.roleArn,
        exec_arn=execution_arn,
        account_id=backend.account_id,
        region_name=backend.region_name,
        state_machine=snapshot,  # type: ignore[arg-type]
        start_date=datetime.datetime.now(tz=datetime.UTC),
        cloud_watch_logging_session=_logging(machine, execution_arn),
        activity_store={},
        input_data=input_text,
    )
    with _lock:
        _executions[execution_arn] = execution
        while len(_executions) > _KEPT:
            oldest = next(iter(_executions))
            if _executions[oldest].exec_status == ExecutionStatus.RUNNING:
                break
            del _executions[oldest]
    execution.start()
    return execution


def _billing(execution: Execution) -> dict[str, int]:
    elapsed_ms = ((execution.stop_date or execution.start_date) - execution.start_date).total_seconds() * 1000
    units = max(1, math.ceil(elapsed_ms / BILLING_UNIT_MS))
    return {"billedMemoryUsedInMB": BILLED_MEMORY_MB, "billedDurationInMilliseconds": units * BILLING_UNIT_MS}


def _start_sync_execution(self: StepFunctionResponse) -> dict[str, Any]:
    backend = self.stepfunction_backend
    machine = backend.describe_state_machine(self._get_param("stateMachineArn"))
    if machine.type != "EXPRESS":
        raise _type_not_supported()
    execution = start(backend, machine.arn, self._get_param("name"), self._get_param("input"), sync=True)
    assert isinstance(execution, SyncExecution)
    result: dict[str, Any] = dict(execution.to_start_sync_execution_output())
    result["billingDetails"] = _billing(execution)
    return {key: value for key, value in result.items() if value is not None}


# -- the API: StartSyncExecution (moto has no method for it), StartExecution and the calls AWS refuses ------


def _call_action(self: StepFunctionResponse) -> Any:
    """moto's dispatch, with StartSyncExecution answered here (after the same authorization)."""
    from moto.core.exceptions import ServiceException
    from moto.core.responses import ActionResult
    from werkzeug.exceptions import HTTPException

    if self._get_action() != "StartSyncExecution":
        return original(StepFunctionResponse, "call_action")(self)
    try:
        self._authenticate_and_authorize_normal_action("*")
        result = ActionResult(_start_sync_execution(self))
    except ServiceException as error:
        result = ActionResult(error)
    except HTTPException as error:  # moto's Step Functions errors (AWSError) are HTTP exceptions
        answer = error.description, {**dict(error.get_headers() or []), "status": error.code}
        status, headers, body = self._transform_response(self.response_headers, answer)
        return (status, *self._enrich_response(headers, body))
    status, headers, body = self.serialized(result)
    return (status, *self._enrich_response(headers, body))


def _start_execution(self: StepFunctionResponse) -> Any:
    from moto.core.responses import ActionResult

    backend = self.stepfunction_backend
    machine = backend.describe_state_machine(self._get_param("stateMachineArn"))
    if machine.type != "EXPRESS":
        return original(StepFunctionResponse, "start_execution")(self)
    execution = start(backend, machine.arn, self._get_param("name"), self._get_param("input"), sync=False)
    return ActionResult({"executionArn": execution.exec_arn, "startDate": execution.start_date})


def _refuse_express(name: str) -> Callable[..., Any]:
    def call(self: StepFunctionsParserBackend, execution_arn: str, *args: Any, **kwargs: Any) -> Any:
        if is_express_arn(execution_arn):
            raise _invalid_express_arn()
        return original(StepFunctionsParserBackend, name)(self, execution_arn, *args, **kwargs)

    call.__name__ = name
    return call


def _list_executions(self: StepFunctionsParserBackend, state_machine_arn: str, *args: Any, **kwargs: Any) -> Any:
    if self.describe_state_machine(state_machine_arn).type == "EXPRESS":
        raise _type_not_supported()
    return original(StepFunctionsParserBackend, "list_executions")(self, state_machine_arn, *args, **kwargs)


# -- a STANDARD parent waiting for an EXPRESS child (.sync, .sync:2) -----------------------------------------


@functools.cache
def _sfn_operations() -> dict[str, Any]:
    """Step Functions' operation models by Python name (`start_execution`), from botocore's service model."""
    service = botocore.session.get_session().get_service_model("stepfunctions")
    return {botocore.xform_name(name): service.operation_model(name) for name in service.operation_names}


def _normalise_parameters(self: StateTaskServiceSfn, parameters: dict[str, Any], *args: Any, **kwargs: Any) -> None:
    """The task's Parameters in the API's casing (`StateMachineArn` -> `stateMachineArn`), as AWS maps them.

    moto's port of the interpreter left this step out, so every `states:startExecution` task failed in
    botocore's serializer with `KeyError: 'StateMachineArn'`.
    """
    original(StateTaskServiceSfn, "_normalise_parameters")(self, parameters, *args, **kwargs)
    operation = _sfn_operations().get(self._get_boto_service_action(kwargs.get("service_action_name")))
    if operation is not None and operation.input_shape is not None:
        self._to_boto_request(parameters, operation.input_shape)


def _normalise_response(self: StateTaskServiceSfn, response: Any, *args: Any, **kwargs: Any) -> None:
    """The API's answer in the task's casing (`executionArn` -> `ExecutionArn`)."""
    operation = _sfn_operations().get(self._get_boto_service_action(kwargs.get("service_action_name")))
    if operation is not None and operation.output_shape is not None:
        self._from_boto_response(response, operation.output_shape)


def _child_waiter(task: StateTaskServiceSfn, env: Any, execution_arn: str, parse_json: bool) -> Callable[[], Any]:
    """What moto's waiter does with DescribeExecution, read from the child kept here."""

    def wait() -> Any:
        with _lock:
            child = _executions.get(execution_arn)
        if child is None or child.exec_status in (None, ExecutionStatus.RUNNING):
            return None
        described: Any = dict(child.to_describe_output())
        if parse_json:
            task._sync2_api_output_of(typ=DescribeExecutionOutput, value=described)
        task._normalise_response(response=described, service_action_name="describe_execution")
        if child.exec_status == ExecutionStatus.SUCCEEDED:
            return described
        raise FailureEventException(
            FailureEvent(
                env=env,
                error_name=StatesErrorName(typ=StatesErrorNameType.StatesTaskFailed),
                event_type=HistoryEventType.TaskFailed,
                event_details=EventDetails(  # type: ignore[typeddict-item]
                    taskFailedEventDetails=TaskFailedEventDetails(
                        resource=task._get_sfn_resource(),
                        resourceType=task._get_sfn_resource_type(),
                        error=StatesErrorNameType.StatesTaskFailed.to_name(),
                        cause=to_json_str(described),
                    )
                ),
            )
        )

    return wait


def _waiter_builder(name: str, parse_json: bool) -> Callable[..., Any]:
    def build(self: StateTaskServiceSfn, env: Any, *args: Any, **kwargs: Any) -> Any:
        execution_arn = str(env.stack[-1].get("ExecutionArn", "")) if env.stack else ""
        if not is_express_arn(execution_arn):
            return original(StateTaskServiceSfn, name)(self, env, *args, **kwargs)
        env.stack.pop()
        return _child_waiter(self, env, execution_arn, parse_json)

    build.__name__ = name
    return build


def install(cloud: LocalCloud) -> None:
    global EXPRESS_MAX_SECONDS
    EXPRESS_MAX_SECONDS = cloud.settings.express_max_seconds
    replace(StepFunctionResponse, "call_action", _call_action)
    replace(StepFunctionResponse, "start_execution", _start_execution)
    for name in ("describe_execution", "get_execution_history", "stop_execution"):
        replace(StepFunctionsParserBackend, name, _refuse_express(name))
    replace(StepFunctionsParserBackend, "list_executions", _list_executions)
    replace(StateTaskServiceSfn, "_normalise_parameters", _normalise_parameters)
    replace(StateTaskServiceSfn, "_normalise_response", _normalise_response)
    replace(StateTaskServiceSfn, "_build_sync_resolver", _waiter_builder("_build_sync_resolver", parse_json=False))
    replace(StateTaskServiceSfn, "_build_sync2_resolver", _waiter_builder("_build_sync2_resolver", parse_json=True))
