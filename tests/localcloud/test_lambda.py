"""Lambda Invoke runs the real handler in a warm worker, with AWS's environment, errors, timeouts and logs."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Stacks

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lambda"
Aws = Callable[[str], Any]


@pytest.fixture(scope="module")
def inline(aws: Aws) -> Iterator[dict[str, str]]:
    """The inline-code fixture stack, deployed once for the module."""
    stacks = Stacks(aws("cloudformation"))
    outputs = stacks.deploy("lambda_inline.yaml")
    yield outputs
    stacks.delete_all()


def call(aws: Aws, name: str, event: Any = None, **kwargs: Any) -> tuple[dict[str, Any], Any]:
    response = aws("lambda").invoke(FunctionName=name, Payload=json.dumps(event or {}), **kwargs)
    return response, json.loads(response["Payload"].read() or b"null")


def poll(check: Callable[[], Any], timeout: float = 20, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def zip_folder(folder: Path, replace: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*.py")):
            name = path.relative_to(folder).as_posix()
            archive.writestr(name, (replace or {}).get(name, path.read_text()))
    return buffer.getvalue()


def test_request_response_runs_the_handler(aws: Aws, inline: dict[str, str]) -> None:
    response, body = call(aws, inline["EchoName"], {"hello": "world"})

    assert response["StatusCode"] == 200
    assert "FunctionError" not in response
    assert response["ExecutedVersion"] == "$LATEST"
    assert body["event"] == {"hello": "world"}
    assert body["python"] == "3.12"  # Runtime python3.12 runs under Python 3.12


def test_environment_and_context_are_awss(aws: Aws, inline: dict[str, str], endpoint: str) -> None:
    name = inline["EchoName"]
    _, body = call(aws, name)
    env, context = body["env"], body["context"]

    assert env["GREETING"] == "hello"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == name
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == f"/aws/lambda/{name}"
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", env["AWS_LAMBDA_LOG_STREAM_NAME"])
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "us-east-1"
    assert env["_HANDLER"] == "index.handler"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
    assert env["LAMBDA_TASK_ROOT"] and env["AWS_ACCESS_KEY_ID"] and env["AWS_SECRET_ACCESS_KEY"]
    assert env["AWS_ENDPOINT_URL"] == endpoint

    assert context["function_name"] == name
    assert context["function_version"] == "$LATEST"
    assert context["invoked_function_arn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    assert context["memory_limit_in_mb"] == "256"
    assert re.fullmatch(r"[0-9a-f-]{36}", context["aws_request_id"])
    assert context["log_group_name"] == f"/aws/lambda/{name}"
    assert context["log_stream_name"] == env["AWS_LAMBDA_LOG_STREAM_NAME"]
    assert 0 < context["remaining_ms"] <= 30_000


def test_worker_stays_warm_between_invokes(aws: Aws, inline: dict[str, str]) -> None:
    _, first = call(aws, inline["EchoName"])
    _, second = call(aws, inline["EchoName"])

    assert second["pid"] == first["pid"]
    assert second["count"] == first["count"] + 1  # module state survives, like a warm sandbox


def test_unhandled_exception_has_awss_shape(aws: Aws, inline: dict[str, str]) -> None:
    response, body = call(aws, inline["EchoName"], {"action": "raise", "why": "bad input"})

    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert body["errorMessage"] == "boom: bad input"
    assert body["errorType"] == "ValueError"
    assert re.fullmatch(r"[0-9a-f-]{36}", body["requestId"])
    assert re.match(r'  File "/.+/index\.py", line \d+, in handler\n    raise ValueError', body["stackTrace"][-1])


def test_import_error_is_runtime_import_module_error(aws: Aws, inline: dict[str, str]) -> None:
    response, body = call(aws, inline["BrokenImportName"])

    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Runtime.ImportModuleError"
    assert body["errorMessage"] == "Unable to import module 'index': No module named 'nope'"


def test_missing_handler_is_runtime_handler_not_found(aws: Aws, inline: dict[str, str]) -> None:
    response, body = call(aws, inline["MissingHandlerName"])

    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Runtime.HandlerNotFound"
    assert body["errorMessage"] == "Handler 'absent' missing on module 'index'"


def test_result_that_is_not_json_is_a_marshal_error(aws: Aws, inline: dict[str, str]) -> None:
    response, body = call(aws, inline["EchoName"], {"action": "marshal"})

    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Runtime.MarshalError"
    assert body["errorMessage"].startswith("Unable to marshal response: Object of type set is not JSON serializable")


def test_worker_exit_is_runtime_exit_error_and_next_invoke_recovers(aws: Aws, inline: dict[str, str]) -> None:
    response, body = call(aws, inline["EchoName"], {"action": "exit"})

    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Runtime.ExitError"
    assert body["errorMessage"].endswith("Error: Runtime exited with error: exit status 3")
    response, body = call(aws, inline["EchoName"])
    assert "FunctionError" not in response
