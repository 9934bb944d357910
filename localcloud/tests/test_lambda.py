"""Lambda Invoke runs the real handler in a warm worker, with AWS's environment, errors, timeouts and logs."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from conftest import Stacks, poll, unique

from localcloud.testing import free_ports, python_function, running_cloud

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lambda"
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


def test_timeout_kills_the_worker_with_awss_error(aws: Aws, inline: dict[str, str]) -> None:
    name = inline["SleeperName"]
    _, before = call(aws, name)

    response, body = call(aws, name, {"seconds": 5})

    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in body["errorMessage"]
    _, after = call(aws, name)
    assert after["pid"] != before["pid"]  # the timed-out sandbox is gone; a fresh worker answers


def test_event_invocation_runs_in_the_background(aws: Aws, inline: dict[str, str]) -> None:
    body = unique("event")
    response = aws("lambda").invoke(
        FunctionName=inline["EchoName"], InvocationType="Event", Payload=json.dumps({"action": "send", "body": body})
    )

    assert response["StatusCode"] == 202
    assert response["Payload"].read() == b""

    def received() -> bool:
        messages = aws("sqs").receive_message(QueueUrl=inline["QueueUrl"], WaitTimeSeconds=1).get("Messages", [])
        return any(m["Body"] == body for m in messages)

    poll(received, what="the message the function sent through boto3")


def test_dry_run_answers_204_without_running(aws: Aws, inline: dict[str, str]) -> None:
    response = aws("lambda").invoke(FunctionName=inline["EchoName"], InvocationType="DryRun")

    assert response["StatusCode"] == 204


def test_log_type_tail_returns_the_invocations_log(aws: Aws, inline: dict[str, str]) -> None:
    response, body = call(aws, inline["EchoName"], {"action": "echo"}, LogType="Tail")

    request_id = body["context"]["aws_request_id"]
    tail = base64.b64decode(response["LogResult"]).decode()
    assert f"START RequestId: {request_id} Version: $LATEST" in tail
    assert "handling echo" in tail
    assert "[INFO]\t" in tail and f"\t{request_id}\trequest {request_id}" in tail
    assert f"END RequestId: {request_id}" in tail
    assert re.search(rf"REPORT RequestId: {request_id}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\t", tail)


def test_logs_go_to_cloudwatch_logs(aws: Aws, inline: dict[str, str]) -> None:
    name = inline["EchoName"]
    _, body = call(aws, name, {"action": "echo"})
    request_id = body["context"]["aws_request_id"]

    events = aws("logs").filter_log_events(
        logGroupName=f"/aws/lambda/{name}", logStreamNames=[body["context"]["log_stream_name"]]
    )["events"]
    messages = [e["message"] for e in events]
    assert f"START RequestId: {request_id} Version: $LATEST" in messages, messages
    start = messages.index(f"START RequestId: {request_id} Version: $LATEST")
    end = messages.index(f"END RequestId: {request_id}")
    assert "handling echo" in messages[start:end]
    report = messages[end + 1]
    assert re.fullmatch(
        rf"REPORT RequestId: {request_id}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\t"
        r"Memory Size: 256 MB\tMax Memory Used: \d+ MB\t(Init Duration: [\d.]+ ms\t)?",
        report,
    )


def test_failed_invocation_is_logged(aws: Aws, inline: dict[str, str]) -> None:
    name = inline["EchoName"]
    response, _ = call(aws, name, {"action": "raise", "why": "logged"}, LogType="Tail")

    tail = base64.b64decode(response["LogResult"]).decode()
    assert "[ERROR] ValueError: boom: logged" in tail


def test_s3_zip_code_with_package_handler_and_runtime_boto3(aws: Aws, stacks: Stacks) -> None:
    s3 = aws("s3")
    code_bucket, output_bucket = unique("code"), unique("out")
    s3.create_bucket(Bucket=code_bucket)
    s3.create_bucket(Bucket=output_bucket)
    s3.put_object(Bucket=code_bucket, Key="packaged-v1.zip", Body=zip_folder(FIXTURES / "packaged"))
    outputs = stacks.deploy(
        "lambda_s3_code.yaml",
        {"CodeBucket": code_bucket, "CodeKey": "packaged-v1.zip", "OutputBucket": output_bucket},
    )
    name = outputs["FunctionName"]

    response, body = call(aws, name, {"key": "written-by-lambda.txt", "body": "hi from the function"})

    assert "FunctionError" not in response, body
    assert body["version"] == "v1"
    assert body["handler"] == "pkg.handlers.app.handler"
    assert "/lambda/runtime/" in body["boto3_from"]  # the zip has no boto3: the runtime provides it
    written = s3.get_object(Bucket=output_bucket, Key="written-by-lambda.txt")["Body"].read()
    assert written == b"hi from the function"


def _v1_from_s3(s3: Any, stacks: Stacks) -> str:
    """lambda_s3_code.yaml with the packaged fixture uploaded as v1.zip; the function's name."""
    code_bucket = unique("code")
    s3.create_bucket(Bucket=code_bucket)
    s3.put_object(Bucket=code_bucket, Key="v1.zip", Body=zip_folder(FIXTURES / "packaged"))
    parameters = {"CodeBucket": code_bucket, "CodeKey": "v1.zip", "OutputBucket": "x"}
    return str(stacks.deploy("lambda_s3_code.yaml", parameters)["FunctionName"])


def test_update_function_code_and_configuration_take_effect(aws: Aws, stacks: Stacks) -> None:
    s3, awslambda = aws("s3"), aws("lambda")
    name = _v1_from_s3(s3, stacks)
    assert call(aws, name)[1]["version"] == "v1"

    source = (FIXTURES / "packaged" / "pkg" / "handlers" / "app.py").read_text().replace('"v1"', '"v2"')
    awslambda.update_function_code(
        FunctionName=name, ZipFile=zip_folder(FIXTURES / "packaged", {"pkg/handlers/app.py": source})
    )
    assert call(aws, name)[1]["version"] == "v2"

    awslambda.update_function_configuration(FunctionName=name, Environment={"Variables": {"GREETING": "changed"}})
    assert call(aws, name)[1]["greeting"] == "changed"


def test_stack_update_reaches_the_workers(aws: Aws, stacks: Stacks) -> None:
    stack_name = unique("lambda-update")
    name = stacks.deploy("lambda_inline_versioned.yaml", {"CodeVersion": "one"}, name=stack_name)["FunctionName"]
    _, first = call(aws, name)
    assert (first["code"], first["env"]) == ("one", "one")

    assert stacks.update(stack_name, {"CodeVersion": "two"})["StackStatus"] == "UPDATE_COMPLETE"

    response, second = call(aws, name)
    assert "FunctionError" not in response, second
    assert (second["code"], second["env"]) == ("two", "two")
    assert second["pid"] != first["pid"]


def test_awslocal_lambda_invoke(inline: dict[str, str], endpoint: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    env = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "LOCALSTACK_HOST": endpoint.removeprefix("http://")}
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "awslocal"),
            "lambda",
            "invoke",
            "--function-name",
            inline["EchoName"],
            "--payload",
            '{"from": "awslocal"}',
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["event"] == {"from": "awslocal"}


def test_qualifier_invokes_the_published_version(aws: Aws, stacks: Stacks) -> None:
    s3, awslambda = aws("s3"), aws("lambda")
    name = _v1_from_s3(s3, stacks)
    published = awslambda.publish_version(FunctionName=name)["Version"]
    source = (FIXTURES / "packaged" / "pkg" / "handlers" / "app.py").read_text().replace('"v1"', '"v2"')
    awslambda.update_function_code(
        FunctionName=name, ZipFile=zip_folder(FIXTURES / "packaged", {"pkg/handlers/app.py": source})
    )

    response, body = call(aws, name, Qualifier=published)
    assert (response["ExecutedVersion"], body["version"]) == (published, "v1")
    response, body = call(aws, name)
    assert (response["ExecutedVersion"], body["version"]) == ("$LATEST", "v2")


def test_request_id_header_is_the_invocations(aws: Aws, inline: dict[str, str]) -> None:
    response, body = call(aws, inline["EchoName"])

    assert response["ResponseMetadata"]["RequestId"] == body["context"]["aws_request_id"]


def test_unknown_function_is_resource_not_found(aws: Aws) -> None:
    awslambda = aws("lambda")

    with pytest.raises(awslambda.exceptions.ResourceNotFoundException) as raised:
        awslambda.invoke(FunctionName="no-such-function", Payload=b"{}")
    assert raised.value.response["Error"]["Message"] == (  # Invoke names the version it looked for, as AWS's
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function:$LATEST"
    )


def test_payload_that_is_not_json_is_rejected(aws: Aws, inline: dict[str, str]) -> None:
    awslambda = aws("lambda")

    with pytest.raises(awslambda.exceptions.InvalidRequestContentException):
        awslambda.invoke(FunctionName=inline["EchoName"], Payload=b"not json")


@pytest.fixture
def function(aws: Aws) -> Iterator[Callable[[str, int], str]]:
    """Creates a python3.12 function from source with the given timeout; deleted after the test."""
    awslambda, iam, created = aws("lambda"), aws("iam"), []

    def create(source: str, timeout: int) -> str:
        name = unique("fn")
        python_function(awslambda, iam, name, source, Timeout=timeout)
        created.append(name)
        return name

    yield create
    for name in created:
        awslambda.delete_function(FunctionName=name)
        iam.delete_role(RoleName=name)


SLEEPER = "import time\n\ndef handler(event, context):\n    time.sleep(event.get('seconds', 0))\n    return 'done'\n"


def test_reserved_concurrency_zero_throttles_every_invoke(aws: Aws, function: Callable[[str, int], str]) -> None:
    awslambda, name = aws("lambda"), function(SLEEPER, 3)
    awslambda.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)

    with pytest.raises(awslambda.exceptions.TooManyRequestsException) as caught:
        call(aws, name)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert caught.value.response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    assert caught.value.response["ResponseMetadata"]["RequestId"]  # Step Functions' error cause reads it

    # A state machine's Lambda task sees AWS's error name, so a Retry or Catch on it works.
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": name},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    sfn = aws("stepfunctions")
    machine = sfn.create_state_machine(
        name=unique("throttled"), definition=json.dumps(definition), roleArn="arn:aws:iam::000000000000:role/sfn"
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    done = poll(lambda: sfn.describe_execution(executionArn=execution)["status"] != "RUNNING", what="the execution")
    assert done and sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    output = json.loads(sfn.describe_execution(executionArn=execution)["output"])
    assert output["Error"] == "Lambda.TooManyRequestsException"
    sfn.delete_state_machine(stateMachineArn=machine)

    awslambda.delete_function_concurrency(FunctionName=name)
    assert call(aws, name)[1] == "done"


def test_reserved_concurrency_caps_invocations_in_flight(aws: Aws, function: Callable[[str, int], str]) -> None:
    awslambda, name = aws("lambda"), function(SLEEPER, 30)
    awslambda.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(call, aws, name, {"seconds": 8})
        throttled = False
        while not first.done() and not throttled:  # until the first invoke holds the one slot
            try:
                call(aws, name)
            except awslambda.exceptions.TooManyRequestsException:
                throttled = True
        assert first.result()[1] == "done"
    assert throttled
    assert call(aws, name)[1] == "done"  # the slot is free again


def test_init_has_its_own_budget_outside_the_timeout(aws: Aws, function: Callable[[str, int], str]) -> None:
    # A cold start whose imports take longer than the function's timeout still answers, as on AWS (10 s init).
    name = function("import time\n\ntime.sleep(2)\n\ndef handler(event, context):\n    return 'warm'\n", 1)

    response, body = call(aws, name, LogType="Tail")

    assert "FunctionError" not in response, body
    assert body == "warm"
    assert "Init Duration" in base64.b64decode(response["LogResult"]).decode()


def test_workers_past_the_bound_are_throttled_like_the_account_limit(tmp_path: Path) -> None:
    # A cloud allowed one worker per function: a second invoke waits for it briefly, then is throttled with
    # AWS's answer at the concurrency limit (429, Reason ConcurrentInvocationLimitExceeded), never queued forever.
    port, edge, smtp, mail = free_ports(4)
    env = {"LOCALCLOUD_EDGE_PORT": str(edge), "LOCALCLOUD_SMTP_PORT": str(smtp), "LOCALCLOUD_MAIL_API_PORT": str(mail)}
    bound = {"LOCALCLOUD_LAMBDA_MAX_WORKERS": "1", "LOCALCLOUD_LAMBDA_BOUND_WAIT_SECONDS": "4"}
    with running_cloud(port, tmp_path, {**env, **bound}) as url:
        session = boto3.Session("test", "test", region_name="us-east-1")
        client = session.client("lambda", endpoint_url=url, config=Config(retries={"total_max_attempts": 1}))
        python_function(client, session.client("iam", endpoint_url=url), "sleeper", SLEEPER, Timeout=30)

        def invoke(seconds: float) -> Any:
            answer = client.invoke(FunctionName="sleeper", Payload=json.dumps({"seconds": seconds}))
            return json.loads(answer["Payload"].read())

        assert invoke(0) == "done"  # warm: the one worker exists
        with ThreadPoolExecutor(1) as pool:
            busy = pool.submit(invoke, 2)
            time.sleep(1)  # the warm worker takes the first invoke at once
            assert invoke(0) == "done"  # the worker frees up within the 4 s wait: served, not throttled
            assert busy.result() == "done"
            busy = pool.submit(invoke, 15)
            time.sleep(1.5)
            with pytest.raises(client.exceptions.TooManyRequestsException) as caught:
                invoke(0)
            assert busy.result() == "done"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
        assert caught.value.response["Reason"] == "ConcurrentInvocationLimitExceeded"
        assert invoke(0) == "done"  # the worker is free again


def test_stack_trace_names_the_code_in_var_task(aws: Aws, function: Callable[[str, int], str]) -> None:
    name = function("def handler(event, context):\n    raise KeyError('missing')\n", 10)

    response = aws("lambda").invoke(FunctionName=name, Payload=b"{}")
    body = json.loads(response["Payload"].read())

    assert response["FunctionError"] == "Unhandled"
    assert body["stackTrace"] == ["  File \"/var/task/index.py\", line 2, in handler\n    raise KeyError('missing')\n"]


def test_bytes_returned_are_the_response_payload_as_they_are(aws: Aws, function: Callable[[str, int], str]) -> None:
    name = function("def handler(event, context):\n    return event['text'].encode('utf-8')\n", 10)

    for text in ('"hola"', "not json: ñ"):
        response = aws("lambda").invoke(FunctionName=name, Payload=json.dumps({"text": text}).encode())

        assert "FunctionError" not in response
        assert response["Payload"].read() == text.encode("utf-8")
