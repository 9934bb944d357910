"""Bootstrap that runs inside each Lambda worker process (the local stand-in for AWS's Python runtime).

It runs under the interpreter that matches the function's Runtime (3.10 to 3.13), so it uses the
standard library only and imports nothing from `localcloud`.

Protocol with localcloud/lambda_pool.py:
- argv: <task root (extracted code)> <runtime dir (boto3 & co., provided like AWS's runtime)>
- stdout: once the handler is imported (or failed to import), `RESULT_MARKER {"init": true}`
- stdin: one JSON request per line: {"id", "payload", "deadline_ms", "invoked_function_arn"}
- stdout and stderr (merged by the runner) carry the function's output, one log line per line; after the
  handler returns, one line `RESULT_MARKER {"id", "result"}` or `RESULT_MARKER {"id", "error"}`. The result
  shares the pipe with the output, so every line the function printed arrives before its result.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import time
import traceback
from typing import Any

# Keep in sync with lambda_pool.RESULT_MARKER (this file cannot import localcloud).
RESULT_MARKER = "\x1e\x1elocalcloud-lambda-result "

_request_id = ""


class Fault(Exception):
    """A failure of the runtime itself (import, handler lookup, marshalling), in AWS's terms."""

    def __init__(self, error_type: str, message: str, stack: list[str] | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack = stack or []


class LambdaContext:
    """The attributes and method AWS's Python runtime gives the handler's `context`."""

    def __init__(self, request_id: str, deadline_ms: int, invoked_function_arn: str) -> None:
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")  # a str, as on AWS
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def __repr__(self) -> str:
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn}])"
        )


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = _request_id
        return True


class _LambdaLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """AWS's text log format; a multi-line record stays one CloudWatch event (newlines become \\r)."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", "\r")


def _setup_logging() -> None:
    handler = _LambdaLogHandler(sys.stderr)
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"
    )
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]


_task_root = ""  # where the function's code was extracted; AWS's is /var/task


def _stack(tb: Any) -> list[str]:
    frames = traceback.extract_tb(tb)
    # AWS drops its own bootstrap frames; the trace starts in the function's code, which lives in /var/task.
    here = os.path.abspath(__file__)
    frames = traceback.StackSummary.from_list([f for f in frames if os.path.abspath(f.filename) != here])
    prefix = _task_root.rstrip(os.sep) + os.sep
    for frame in frames:
        path = os.path.abspath(frame.filename)
        if _task_root and path.startswith(prefix):
            frame.filename = "/var/task/" + path[len(prefix) :]
    return traceback.format_list(frames)


def _fault_from(exc: BaseException) -> Fault:
    if isinstance(exc, Fault):
        return exc
    return Fault(type(exc).__name__, str(exc), _stack(exc.__traceback__))


def _load_handler(handler: str) -> Any:
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}") from None
    module_name = module_name.replace("/", ".")
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise Fault("Runtime.BuiltInModuleConflict", f"Cannot use built-in module {module_name} as a handler module")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {e}") from None
    except SyntaxError as e:
        raise Fault(
            "Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {e}", _stack(e.__traceback__)
        ) from None
    except Exception as e:  # an error while the module initialises is reported as itself, like AWS
        raise _fault_from(e) from None
    function = getattr(module, function_name, None)
    if function is None:
        raise Fault("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return function


def _log_fault(fault: Fault) -> None:
    # What AWS's runtime prints for an unhandled error: one event, lines joined by \r.
    text = f"[ERROR] {fault.error_type}: {fault.message}"
    if fault.stack:
        text += "\rTraceback (most recent call last):\r" + "\r".join(s.rstrip("\n") for s in fault.stack)
    print(text.replace("\n", "\r"), file=sys.stderr, flush=True)


def main() -> None:
    global _request_id, _task_root
    task_root, runtime_dir = sys.argv[1], sys.argv[2]
    _task_root = os.path.abspath(task_root)
    # The script's own folder must not be importable by the function: the code comes first, then the
    # runtime's boto3, then the interpreter's own paths (AWS: /var/task before /var/runtime).
    sys.path[0] = task_root
    sys.path.insert(1, runtime_dir)
    os.chdir(task_root)
    requests = os.fdopen(os.dup(0), "rb")
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    _setup_logging()
    handler_name = os.environ.get("_HANDLER", "")
    # The init phase runs before the first request, as on AWS, and has its own budget (the runner waits for
    # the marker below before the invoke's timeout starts). A failed init is reported by the first invoke.
    function = None
    init_fault: Fault | None = None
    try:
        function = _load_handler(handler_name)
    except Fault as failed:
        init_fault = failed
    sys.stdout.flush()
    sys.stderr.flush()
    results.write(RESULT_MARKER + json.dumps({"init": True}) + "\n")
    results.flush()

    for line in requests:
        request = json.loads(line)
        _request_id = request["id"]
        reply: dict[str, Any] = {"id": _request_id}
        try:
            if init_fault is not None:
                first_fault, init_fault = init_fault, None
                raise first_fault
            if function is None:  # AWS retries the init phase on the next invoke after a failed one
                function = _load_handler(handler_name)
            event = json.loads(request["payload"])
            context = LambdaContext(_request_id, request["deadline_ms"], request["invoked_function_arn"])
            try:
                value = function(event, context)
            except Exception as e:
                raise _fault_from(e) from None
            try:
                # bytes are the response payload as they are (AWS's Python runtime sends them unencoded)
                is_bytes = isinstance(value, bytes | bytearray)
                reply["result"] = bytes(value).decode("utf-8") if is_bytes else json.dumps(value)
            except (TypeError, ValueError) as e:
                raise Fault("Runtime.MarshalError", f"Unable to marshal response: {e}") from None
        except Fault as fault:
            _log_fault(fault)
            reply["error"] = {
                "errorMessage": fault.message,
                "errorType": fault.error_type,
                "requestId": _request_id,
                "stackTrace": fault.stack,
            }
        sys.stdout.flush()
        sys.stderr.flush()
        results.write(RESULT_MARKER + json.dumps(reply) + "\n")
        results.flush()


if __name__ == "__main__":
    main()
