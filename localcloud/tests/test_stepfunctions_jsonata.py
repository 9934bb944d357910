"""Step Functions JSONata (`QueryLanguage: JSONata`): `{% %}` expressions in Output, Arguments, Assign and Choice
`Condition`, `$states.input/result/errorOutput/context`, variables, Step Functions' own functions, and
States.QueryEvaluationError, as the States Language defines them."""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

Aws = Callable[[str], Any]
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
# No such role: the tasks below are signed as moto signs them (what the role may do is test_iam.py's subject).
ROLE = "arn:aws:iam::000000000000:role/jsonata-tests"


def execute(aws: Aws, definition: dict[str, Any], payload: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Create a machine, run it to its end; its DescribeExecution and its history."""
    sfn = aws("stepfunctions")
    machine = sfn.create_state_machine(
        name=f"jsonata-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn=ROLE
    )["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps(payload))["executionArn"]
    deadline = time.monotonic() + 30
    while (described := sfn.describe_execution(executionArn=arn))["status"] not in TERMINAL:
        assert time.monotonic() < deadline, f"{arn} still running after 30 s"
        time.sleep(0.1)
    events: list[dict[str, Any]] = sfn.get_execution_history(executionArn=arn)["events"]
    return described, events


def jsonata_machine(start: str, states: dict[str, Any]) -> dict[str, Any]:
    """A state machine definition in JSONata from its first state's name and its states."""
    return {"QueryLanguage": "JSONata", "StartAt": start, "States": states}


def test_jsonata_machine_evaluates_output_assign_and_choice_conditions(aws: Aws) -> None:
    definition = jsonata_machine(
        "Total",
        {
            "Total": {
                "Type": "Pass",
                "Assign": {"total": "{% $sum($states.input.items.price) %}", "customer": "{% $states.input.who %}"},
                "Output": {
                    "count": "{% $count($states.input.items) %}",
                    "fixed": "literal",
                    "nested": [1, "{% 1 + 1 %}"],
                },
                "Next": "Large?",
            },
            "Large?": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $total > 100 %}", "Next": "Large"}],
                "Default": "Small",
            },
            "Large": {
                "Type": "Pass",
                "Output": {
                    "who": "{% $customer %}",
                    "total": "{% $total %}",
                    "previous": "{% $states.input %}",
                    "machine": "{% $states.context.StateMachine.Name %}",
                },
                "End": True,
            },
            "Small": {"Type": "Fail", "Error": "Small", "Cause": "under 100"},
        },
    )
    described, events = execute(aws, definition, {"who": 'ada "the first"', "items": [{"price": 60}, {"price": 45.5}]})

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["who"] == 'ada "the first"'
    assert output["total"] == 105.5
    assert output["previous"] == {"count": 2, "fixed": "literal", "nested": [1, 2]}
    assert output["machine"].startswith("jsonata-")
    exited = next(e for e in events if e["type"] == "PassStateExited")
    assert exited["stateExitedEventDetails"]["assignedVariables"]["total"] == "105.5"


def test_jsonata_state_in_a_jsonpath_machine_and_task_result_and_error_output(aws: Aws) -> None:
    queue = f"jsonata-{uuid.uuid4().hex[:8]}"
    definition = {
        "StartAt": "Create",
        "States": {
            "Create": {
                "Type": "Task",
                "QueryLanguage": "JSONata",
                "Resource": "arn:aws:states:::aws-sdk:sqs:createQueue",
                "Arguments": {"QueueName": "{% $states.input.name %}"},
                "Output": {"url": "{% $states.result.QueueUrl %}", "name": "{% $states.input.name %}"},
                "Next": "Missing",
            },
            "Missing": {
                "Type": "Task",
                "QueryLanguage": "JSONata",
                "Resource": "arn:aws:states:::aws-sdk:sqs:getQueueUrl",
                "Arguments": {"QueueName": "{% $states.input.name & '-missing' %}"},
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Output": {"caught": "{% $states.errorOutput.Error %}", "url": "{% $states.input.url %}"},
                        "Next": "JsonPath",
                    }
                ],
                "End": True,
            },
            "JsonPath": {"Type": "Pass", "Parameters": {"error.$": "$.caught", "url.$": "$.url"}, "End": True},
        },
    }
    described, _ = execute(aws, definition, {"name": queue})

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["url"].endswith("/" + queue)
    assert output["error"].endswith(".QueueDoesNotExistException")  # the error of the Catch's $states.errorOutput


def test_step_functions_jsonata_functions(aws: Aws) -> None:
    definition = jsonata_machine(
        "Functions",
        {
            "Functions": {
                "Type": "Pass",
                "Output": {
                    "uuid": "{% $uuid() %}",
                    "hash": "{% $hash($states.input.text, 'SHA-256') %}",
                    "md5": "{% $hash($states.input.text, 'MD5') %}",
                    "partition": "{% $partition([1, 2, 3, 4, 5], 2) %}",
                    "range": "{% $range(0, 10, 4) %}",
                    "parse": "{% $parse($states.input.json) %}",
                    "seeded": "{% $random(7) = $random(7) %}",
                    "random": "{% $random() %}",
                },
                "End": True,
            }
        },
    )
    described, _ = execute(aws, definition, {"text": "hola", "json": '{"a": [1, true, null]}'})

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", output["uuid"])
    assert output["hash"] == hashlib.sha256(b"hola").hexdigest()
    assert output["md5"] == hashlib.md5(b"hola").hexdigest()  # noqa: S324 - the digest the function names
    assert output["partition"] == [[1, 2], [3, 4], [5]]
    assert output["range"] == [0, 4, 8]
    assert output["parse"] == {"a": [1, True, None]}
    assert output["seeded"] is True
    assert 0 <= output["random"] < 1


def _failure(events: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    evaluation = next(e for e in events if e["type"] == "EvaluationFailed")["evaluationFailedEventDetails"]
    execution = next(e for e in events if e["type"] == "ExecutionFailed")["executionFailedEventDetails"]
    return evaluation, execution


def test_an_expression_that_throws_fails_with_query_evaluation_error(aws: Aws) -> None:
    definition = jsonata_machine(
        "Add",
        {"Add": {"Type": "Pass", "Output": {"sum": "{% $states.input.n + 'x' %}"}, "End": True}},
    )
    described, events = execute(aws, definition, {"n": 1})

    assert described["status"] == "FAILED"
    assert described["error"] == "States.QueryEvaluationError"
    evaluation, execution = _failure(events)
    cause = (
        "An error occurred while executing the state 'Add' (entered at the event id #2). The JSONata expression "
        "'$states.input.n + 'x'' threw an error during evaluation. T2002: The right side of the + operator must "
        "evaluate to a number"
    )
    assert execution == {"error": "States.QueryEvaluationError", "cause": cause}
    assert evaluation["error"] == "States.QueryEvaluationError"
    assert evaluation["cause"] == cause
    assert evaluation["state"] == "Add"


def test_an_expression_that_returns_nothing_fails_with_query_evaluation_error(aws: Aws) -> None:
    definition = jsonata_machine(
        "Read",
        {"Read": {"Type": "Pass", "Output": "{% $states.input.missing %}", "End": True}},
    )
    described, events = execute(aws, definition, {"n": 1})

    assert described["status"] == "FAILED"
    assert described["error"] == "States.QueryEvaluationError"
    _, execution = _failure(events)
    assert execution["cause"].endswith("The JSONata expression '$states.input.missing' returned nothing (undefined).")
