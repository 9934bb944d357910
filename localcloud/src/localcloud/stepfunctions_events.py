"""Step Functions: "Step Functions Execution Status Change" events on EventBridge.

AWS puts an event on the account's default event bus (source `aws.states`) when a Standard execution
starts and when it ends, so a rule can react to a workflow's outcome (alert on FAILED, start the next
job on SUCCEEDED). moto's interpreter left LocalStack's publisher out; here each status change of a
STANDARD execution is put on the default bus of the execution's account and region, through moto's
EventBridge backend, so rules and their targets (SQS, logs, Lambda through the layers) see it.

The event a target receives is EventBridge's envelope, which has the sending `account`; moto's default
template for a target's input left it out (for every event, these included), so it is put back here.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from moto.events.utils import EventTemplateParser
from moto.stepfunctions.parser.api import ExecutionStatus, StateMachineType
from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, Execution

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.stepfunctions")

DETAIL_TYPE = "Step Functions Execution Status Change"


def _millis(moment: Any) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def status_change_detail(execution: Execution) -> dict[str, Any]:
    """The event's `detail`: DescribeExecution's fields, dates in epoch milliseconds, absent ones null."""
    ended = execution.exec_status == ExecutionStatus.SUCCEEDED
    return {
        "executionArn": execution.exec_arn,
        "stateMachineArn": execution.state_machine.arn,
        "name": execution.name,
        "status": execution.exec_status,
        "startDate": _millis(execution.start_date),
        "stopDate": _millis(execution.stop_date),
        "input": json.dumps(execution.input_data, separators=(",", ":")),
        "output": json.dumps(execution.output, separators=(",", ":")) if ended else None,
        "stateMachineVersionArn": None,
        "stateMachineAliasArn": None,
        "redriveCount": 0,
        "inputDetails": {"included": True},
        "outputDetails": {"included": True} if ended else None,
        "error": execution.error,
        "cause": execution.cause,
    }


def publish_status_change(execution: Execution) -> None:
    if execution.sm_type != StateMachineType.STANDARD:
        return  # AWS sends these events for Standard workflows only
    from moto.events.models import events_backends

    entry = {
        "Source": "aws.states",
        "DetailType": DETAIL_TYPE,
        "Resources": [execution.exec_arn],
        "Detail": json.dumps(status_change_detail(execution), default=str),
    }
    try:
        events_backends[execution.account_id][execution.region_name].put_events([entry])
    except Exception:  # an event that cannot be delivered must not change the execution
        log.exception("could not put the %s event of %s", execution.exec_status, execution.exec_arn)


def _start(self: Execution) -> None:
    """moto's start (make the worker, RUNNING, start the worker), with the RUNNING event put before the
    worker runs the first state, so it comes before the event of the end."""
    if self.exec_worker:
        original(Execution, "start")(self)  # moto's own error for a second start
        return
    self.exec_worker = self._get_start_execution_worker()
    self.exec_status = ExecutionStatus.RUNNING
    publish_status_change(self)
    self.exec_worker.start()


def _terminated(self: BaseExecutionWorkerCommunication) -> None:
    original(BaseExecutionWorkerCommunication, "terminated")(self)
    publish_status_change(self.execution)


def install(cloud: LocalCloud) -> None:
    """Put an execution's status changes on EventBridge."""
    template = EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE
    with_account = template.replace('"source": "<source>", ', '"source": "<source>", "account": "<account>", ')
    replace(EventTemplateParser, "DEFAULT_EVENT_INPUT_TEMPLATE", with_account)
    replace(Execution, "start", _start)
    replace(BaseExecutionWorkerCommunication, "terminated", _terminated)
