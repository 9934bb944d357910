"""Lambda: runs each function's real handler in its own warm worker process.

moto 5.2.5 runs Lambda code only in Docker; without it, Invoke echoes. This layer replaces the one
place moto's invoke paths meet (`LambdaFunction.invoke`: S3/SNS/EventBridge/ESM/Secrets Manager glue)
with a pool of warm worker processes per function, answers the Invoke API itself (a route, because
moto drops the `Qualifier`), and exposes `invoke()` for the other layers (execute-api, Step
Functions, event source mappings, SNS). Both paths end in `invoke_function`.

What a function sees matches AWS's Python runtime: the code extracted to its task root, the handler
`module.function`, the environment AWS sets, boto3 provided by the runtime (never by the zip) and
pointed at the local cloud, the context object, the timeout, and errors and logs in AWS's shape.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import glob
import hashlib
import importlib.util
import io
import json
import logging
import math
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from localcloud import config
from localcloud.config import DEFAULT_ACCOUNT, DEFAULT_REGION
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from moto.awslambda.models import LambdaFunction

    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.lambda")

# Keep in sync with lambda_worker.RESULT_MARKER.
RESULT_MARKER = "\x1e\x1elocalcloud-lambda-result "
WORKER_SCRIPT = Path(__file__).with_name("lambda_worker.py")
# The pure-Python packages AWS's Python runtime provides; function zips never carry them.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")
LOG_TAIL_BYTES = 4096
MAX_RESPONSE_BYTES = 6291556  # AWS's synchronous response limit, in its own error text
INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<function>[^/]+)/invocations/?$")
IDLE_WORKER_SECONDS = 600.0  # AWS keeps an idle execution environment warm for minutes, not forever
PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", "/root/.pyenv"))


@dataclass
class InvokeResult:
    status_code: int  # 200 for RequestResponse, 202 for Event, 204 for DryRun
    payload: bytes  # the handler's JSON result, or AWS's error document
    function_error: str | None  # "Unhandled" when the function failed, else None
    log_tail: str  # the invocation's log (what x-amz-log-result carries, base64-decoded)
    executed_version: str = "$LATEST"
    request_id: str = ""
    error_type: str | None = None  # errorType of a failed invocation ("Sandbox.Timedout", "ValueError", ...)


class FunctionNotFoundError(LookupError):
    """The function (or the qualified version) does not exist; the message is AWS's."""


class InvalidRequestContentError(ValueError):
    """The payload is not JSON; AWS answers InvalidRequestContentException (400)."""


# -- what a worker runs -------------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionSpec:
    """A snapshot of the function's configuration; a change of `fingerprint` retires its workers."""

    account_id: str
    region: str
    name: str
    arn: str
    version: str
    runtime: str
    handler: str
    timeout: float
    memory_size: int
    environment: tuple[tuple[str, str], ...]
    code_sha: str  # hex sha256 of the zip
    code: bytes = field(repr=False, compare=False)
    instance: int = 0  # moto's function object: a deleted and re-created function gets fresh sandboxes

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.account_id, self.region, self.name, self.version)

    @property
    def fingerprint(self) -> tuple[Any, ...]:
        return (
            self.runtime,
            self.handler,
            self.timeout,
            self.memory_size,
            self.environment,
            self.code_sha,
            self.instance,
        )

    @property
    def log_group(self) -> str:
        return f"/aws/lambda/{self.name}"

    @classmethod
    def from_moto(cls, fn: LambdaFunction) -> FunctionSpec:
        code = getattr(fn, "code_bytes", b"") or b""  # image functions have none
        return cls(
            account_id=fn.account_id,
            region=fn.region,
            name=fn.function_name,
            arn=fn.function_arn,
            version=str(fn.version),
            runtime=fn.run_time or "",
            handler=fn.handler or "",
            timeout=float(fn.timeout or 3),
            memory_size=int(fn.memory_size or 128),
            environment=tuple(sorted((str(k), str(v)) for k, v in (fn.environment_vars or {}).items())),
            code_sha=hashlib.sha256(code).hexdigest(),
            code=code,
            instance=id(fn),
        )


@functools.cache
def interpreter_for(runtime: str) -> str:
    """The Python that matches `runtime` (python3.12 -> 3.12.x); the cloud's own, loudly, if none."""
    match = re.fullmatch(r"python(\d+)\.(\d+)", runtime)
    if match:
        minor = f"{match[1]}.{match[2]}"
        candidates = sorted(
            glob.glob(str(PYENV_ROOT / "versions" / f"{minor}.*" / "bin" / "python3")),
            key=lambda p: [int(n) if n.isdigit() else 0 for n in Path(p).parent.parent.name.split(".")],
        )
        if candidates:
            return candidates[-1]
        on_path = shutil.which(f"python{minor}")
        if on_path:
            return on_path
    own = f"{sys.version_info.major}.{sys.version_info.minor}"
    log.warning(
        "!!! Lambda runtime %r has no matching interpreter on this machine (looked for %s/versions/<X.Y>.*/bin/"
        "python3 and pythonX.Y on PATH): running such functions under the local cloud's own Python %s. "
        "Behaviour may differ from AWS; install the matching Python (e.g. `pyenv install`) to fix this. !!!",
        runtime,
        PYENV_ROOT,
        own,
    )
    return sys.executable


def _header(headers: Any, name: str) -> str | None:
    """A request header by case-insensitive name; moto passes werkzeug headers or a plain dict."""
    if not headers:
        return None
    value = headers.get(name)
    if value is None and isinstance(headers, dict):
        value = next((v for k, v in headers.items() if str(k).lower() == name.lower()), None)
    return None if value is None else str(value)


def _now_ms() -> int:
    return int(time.time() * 1000)


def _iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class _Outcome:
    status: str  # "ok" | "error" | "timeout" | "exit"
    result: str = ""  # the handler's JSON text when ok
    error: dict[str, Any] | None = None
    lines: list[tuple[int, str]] = field(default_factory=list)
    duration_ms: float = 0.0
    init_ms: float | None = None
    max_memory_mb: int = 0
    exit_reason: str = ""


class Worker:
    """One warm process running lambda_worker.py for one function configuration."""

    def __init__(self, spec: FunctionSpec, code_dir: Path, runtime_dir: Path, endpoint: str) -> None:
        self.spec = spec
        self.started = time.monotonic()
        self.last_used = self.started
        self.invocations = 0
        today = datetime.now(UTC)
        self.log_stream = f"{today:%Y/%m/%d}/[{spec.version}]{uuid.uuid4().hex}"
        self._results: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._lines: list[tuple[int, str]] = []
        self._lines_lock = threading.Lock()
        self._log_stream_created = False
        env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "AWS_ENDPOINT_URL": endpoint,  # boto3 in the function reaches the local cloud unchanged
            **dict(spec.environment),
            # What AWS sets for every function (user variables cannot override these on AWS either).
            "_HANDLER": spec.handler,
            "LAMBDA_TASK_ROOT": str(code_dir),
            "LAMBDA_RUNTIME_DIR": str(runtime_dir),
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_size),
            "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
            "AWS_LAMBDA_LOG_STREAM_NAME": self.log_stream,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_REGION": spec.region,
            "AWS_DEFAULT_REGION": spec.region,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_SESSION_TOKEN": "test",
        }
        # Same process group as the cloud (no new session): `ctl down` kills the group, workers included.
        self.proc = subprocess.Popen(
            [interpreter_for(spec.runtime), "-s", "-u", str(WORKER_SCRIPT), str(code_dir), str(runtime_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=code_dir,
            env=env,
        )
        self._reader = threading.Thread(target=self._read, name=f"lambda-{spec.name}-{self.proc.pid}", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            text = raw.decode("utf-8", "replace").rstrip("\n")
            at = text.find(RESULT_MARKER)
            if at < 0:
                self._add_line(text)
                continue
            if at > 0:  # output printed without a trailing newline
                self._add_line(text[:at])
            try:
                self._results.put(json.loads(text[at + len(RESULT_MARKER) :]))
            except ValueError:
                self._add_line(text)
        self._results.put(None)  # end of output: the process exited

    def _add_line(self, text: str) -> None:
        with self._lines_lock:
            self._lines.append((_now_ms(), text))

    def _take_lines(self) -> list[tuple[int, str]]:
        with self._lines_lock:
            lines, self._lines = self._lines, []
        return lines

    def max_memory_mb(self) -> int:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return 0
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        return math.ceil(int(found[1]) / 1024) if found else 0

    def run(self, request_id: str, payload: str) -> _Outcome:
        first = self.invocations == 0
        self.invocations += 1
        start = time.monotonic()
        deadline = start + self.spec.timeout
        self._take_lines()  # stray output between invocations belongs to no request
        request = {
            "id": request_id,
            "payload": payload,
            "deadline_ms": _now_ms() + int(self.spec.timeout * 1000),
            "invoked_function_arn": self.spec.arn,
        }
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
            reply = self._results.get(timeout=max(deadline - time.monotonic(), 0.0))
        except (BrokenPipeError, OSError):
            reply = None
        except queue.Empty:
            self.kill()
            self._reader.join(timeout=2)
            return _Outcome(
                "timeout", lines=self._take_lines(), duration_ms=(time.monotonic() - start) * 1000, init_ms=None
            )
        duration_ms = (time.monotonic() - start) * 1000
        self.last_used = time.monotonic()
        if reply is None:  # the process ended before answering
            self._reader.join(timeout=2)
            code = self.proc.wait(timeout=5)
            reason = f"signal: {signal.Signals(-code).name[3:].lower()}" if code < 0 else f"exit status {code}"
            if code == 0:
                reason = ""
            return _Outcome("exit", lines=self._take_lines(), duration_ms=duration_ms, exit_reason=reason)
        lines = self._take_lines()
        memory = self.max_memory_mb()
        init_ms = (start - self.started) * 1000 if first else None
        if "error" in reply:
            return _Outcome("error", error=reply["error"], lines=lines, duration_ms=duration_ms, max_memory_mb=memory)
        return _Outcome(
            "ok", result=reply["result"], lines=lines, duration_ms=duration_ms, init_ms=init_ms, max_memory_mb=memory
        )

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)

    def stop(self) -> None:
        if self.alive:
            with contextlib.suppress(OSError):
                assert self.proc.stdin is not None
                self.proc.stdin.close()  # the worker's loop ends on EOF
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()


class FunctionPool:
    """Warm workers of one function version: up to `max_workers` at once, extra invokes wait."""

    def __init__(self, spec: FunctionSpec, code_dir: Path, runtime: Runtime) -> None:
        self.spec = spec
        self.code_dir = code_dir
        self.runtime = runtime
        self._cond = threading.Condition()
        self._idle: list[Worker] = []
        self._busy: set[Worker] = set()
        self._live = 0
        self.retired = False

    def acquire(self) -> Worker:
        with self._cond:
            while True:
                while self._idle:
                    worker = self._idle.pop()  # the most recently used one: warmest, like AWS
                    if worker.alive:
                        self._busy.add(worker)
                        return worker
                    self._live -= 1
                if self._live < self.runtime.settings.lambda_max_workers:
                    self._live += 1
                    break
                self._cond.wait()
        try:
            worker = Worker(self.spec, self.code_dir, self.runtime.runtime_dir, self.runtime.settings.endpoint)
        except BaseException:
            with self._cond:
                self._live -= 1
                self._cond.notify()
            raise
        with self._cond:
            self._busy.add(worker)
        return worker

    def release(self, worker: Worker) -> None:
        with self._cond:
            self._busy.discard(worker)
            keep = worker.alive and not self.retired
            if keep:
                self._idle.append(worker)
            else:
                self._live -= 1
            self._cond.notify()
        if not keep:
            worker.stop()

    def retire(self, kill_busy: bool = False) -> None:
        """Stop idle workers now and busy ones when they finish (new code, new configuration).

        `kill_busy` is for the cloud's shutdown: an invocation in flight ends as Runtime.ExitError.
        """
        with self._cond:
            self.retired = True
            idle, self._idle = self._idle, []
            self._live -= len(idle)
            busy = list(self._busy) if kill_busy else []
            self._cond.notify_all()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()

    def reap_idle(self, older_than: float) -> None:
        now = time.monotonic()
        with self._cond:
            stale = [w for w in self._idle if now - w.last_used > older_than]
            self._idle = [w for w in self._idle if w not in stale]
            self._live -= len(stale)
            self._cond.notify_all()
        for worker in stale:
            worker.stop()


class Runtime:
    """The runner's state: one pool per function version, code on disk, the runtime folder."""

    def __init__(self, settings: config.Settings) -> None:
        self.settings = settings
        self.root = settings.state_dir / "lambda"
        self.runtime_dir = self.root / "runtime"
        self._pools: dict[tuple[str, str, str, str], FunctionPool] = {}
        self._lock = threading.Lock()
        self._logs_lock = threading.Lock()
        self._stopping = threading.Event()
        self._reaper: threading.Thread | None = None
        self._prepare_runtime_dir()

    def _prepare_runtime_dir(self) -> None:
        """Symlinks to the cloud's own pure-Python boto3 & co.: 'the runtime' every worker gets."""
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        for name in RUNTIME_PACKAGES:
            spec = importlib.util.find_spec(name)
            if spec is None or spec.origin is None:
                log.warning("runtime package %s is not installed; functions that import it will fail", name)
                continue
            origin = Path(spec.origin)
            source = origin.parent if origin.name == "__init__.py" else origin
            link = self.runtime_dir / source.name
            if link.is_symlink() and link.resolve() == source.resolve():
                continue
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(source)

    def code_dir(self, spec: FunctionSpec) -> Path:
        """The zip extracted once per code version, like /var/task."""
        target = self.root / spec.name / spec.code_sha
        if target.is_dir():
            return target
        partial = target.with_name(f".{spec.code_sha}.{uuid.uuid4().hex}")
        partial.mkdir(parents=True)
        if spec.code:
            with zipfile.ZipFile(io.BytesIO(spec.code)) as archive:
                archive.extractall(partial)  # zipfile drops absolute and '..' member paths
        try:
            partial.rename(target)
        except OSError:  # another invoke extracted the same code first
            shutil.rmtree(partial, ignore_errors=True)
        return target

    def pool_for(self, spec: FunctionSpec) -> FunctionPool:
        with self._lock:
            pool = self._pools.get(spec.key)
            if pool is not None and pool.spec.fingerprint == spec.fingerprint:
                return pool
            new = FunctionPool(spec, self.code_dir(spec), self)
            self._pools[spec.key] = new
        if pool is not None:
            log.info("lambda %s: code or configuration changed; retiring its warm workers", spec.name)
            pool.retire()
        return new

    def write_logs(self, spec: FunctionSpec, worker: Worker, lines: list[tuple[int, str]]) -> None:
        from moto.logs.models import logs_backends

        backend = logs_backends[spec.account_id][spec.region]
        events, last = [], 0
        for ts, text in lines:  # CloudWatch wants chronological events; clocks and threads disagree by a ms
            last = max(last, ts)
            events.append({"timestamp": last, "message": text or " "})
        with self._logs_lock:  # moto's logs backend is not thread-safe
            backend.ensure_log_group(spec.log_group)
            if not worker._log_stream_created:
                with contextlib.suppress(Exception):  # already there
                    backend.create_log_stream(spec.log_group, worker.log_stream)
                worker._log_stream_created = True
            backend.put_log_events(spec.log_group, worker.log_stream, events)

    def start(self) -> None:
        self._stopping.clear()
        self._reaper = threading.Thread(target=self._reap, name="lambda-reaper", daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        from moto.awslambda.exceptions import UnknownFunctionException
        from moto.awslambda.models import lambda_backends

        while not self._stopping.wait(15):
            with self._lock:
                pools = list(self._pools.items())
            for key, pool in pools:
                account_id, region, name, version = key
                try:
                    fn = lambda_backends[account_id][region].get_function(
                        name, None if version == "$LATEST" else version
                    )
                    gone = id(fn) != pool.spec.instance and version == "$LATEST"
                except UnknownFunctionException:
                    gone = True
                if gone:  # deleted (or deleted and re-created): its sandboxes go with it
                    with self._lock:
                        if self._pools.get(key) is pool:
                            del self._pools[key]
                    pool.retire()
                else:
                    pool.reap_idle(IDLE_WORKER_SECONDS)

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.retire(kill_busy=True)


_runtime: Runtime | None = None
_runtime_lock = threading.Lock()


def _get_runtime() -> Runtime:
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = Runtime(config.load())
        return _runtime


# -- one invocation ------------------------------------------------------------------------------


def _error_payload(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": []}


def _run(spec: FunctionSpec, payload: str, request_id: str) -> InvokeResult:
    runtime = _get_runtime()
    started_ms = _now_ms()
    pool = runtime.pool_for(spec)
    worker = pool.acquire()
    try:
        outcome = worker.run(request_id, payload)
    finally:
        pool.release(worker)

    lines: list[tuple[int, str]] = [(started_ms, f"START RequestId: {request_id} Version: {spec.version}")]
    lines += outcome.lines
    error: dict[str, Any] | None = outcome.error
    status_note = ""
    if outcome.status == "timeout":
        message = f"Task timed out after {spec.timeout:.2f} seconds"
        lines.append((_now_ms(), f"{_iso_now()} {request_id} {message}"))
        error = _error_payload("Sandbox.Timedout", f"RequestId: {request_id} Error: {message}", request_id)
        status_note = "\tStatus: timeout"
    elif outcome.status == "exit":
        reason = outcome.exit_reason
        message = f"Runtime exited with error: {reason}" if reason else "Runtime exited without providing a reason"
        lines.append((_now_ms(), f"RequestId: {request_id} Error: {message}\nRuntime.ExitError"))
        error = _error_payload("Runtime.ExitError", f"RequestId: {request_id} Error: {message}", request_id)
        status_note = "\tStatus: error\tError Type: Runtime.ExitError"
    lines.append((_now_ms(), f"END RequestId: {request_id}"))
    duration = outcome.duration_ms
    report = (
        f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\tBilled Duration: {math.ceil(duration)} ms\t"
        f"Memory Size: {spec.memory_size} MB\tMax Memory Used: {outcome.max_memory_mb} MB\t"
    )
    if outcome.init_ms is not None:
        report += f"Init Duration: {outcome.init_ms:.2f} ms\t"
    lines.append((_now_ms(), report + status_note))
    try:
        runtime.write_logs(spec, worker, lines)
    except Exception:  # logs must never fail the invocation
        log.exception("lambda %s: writing CloudWatch logs failed", spec.name)

    text = "\n".join(line for _, line in lines) + "\n"
    tail = text.encode()[-LOG_TAIL_BYTES:].decode("utf-8", "ignore")
    if error is not None:
        return InvokeResult(
            200, json.dumps(error).encode(), "Unhandled", tail, spec.version, request_id, str(error.get("errorType"))
        )
    return InvokeResult(200, outcome.result.encode(), None, tail, spec.version, request_id)


def _run_in_background(spec: FunctionSpec, payload: str, request_id: str) -> None:
    try:
        result = _run(spec, payload, request_id)
    except Exception:
        log.exception("lambda %s: asynchronous invocation failed", spec.name)
        return
    if result.function_error:
        log.info("lambda %s: asynchronous invocation %s failed: %s", spec.name, result.request_id, result.error_type)


def invoke_function(fn: LambdaFunction, payload: bytes, invocation_type: str = "RequestResponse") -> InvokeResult:
    """Invoke a moto function object (a `$LATEST` or a published version) the way the Lambda service would."""
    spec = FunctionSpec.from_moto(fn)
    text = payload.decode("utf-8") if payload else "{}"
    if not text.strip():
        text = "{}"
    try:
        json.loads(text)
    except ValueError as e:
        raise InvalidRequestContentError(f"Could not parse request body into json: {e}") from None
    request_id = str(uuid.uuid4())
    if invocation_type == "DryRun":
        return InvokeResult(204, b"", None, "", spec.version, request_id)
    if not re.fullmatch(r"python\d+\.\d+", spec.runtime):
        message = f"The local cloud runs Python functions only; {spec.name} has runtime {spec.runtime!r}."
        body = json.dumps(_error_payload("Runtime.InvalidRuntime", message, request_id)).encode()
        return InvokeResult(200, body, "Unhandled", "", spec.version, request_id, "Runtime.InvalidRuntime")
    if invocation_type == "Event":
        threading.Thread(
            target=_run_in_background, args=(spec, text, request_id), name=f"lambda-event-{spec.name}"
        ).start()
        return InvokeResult(202, b"", None, "", spec.version, request_id)
    result = _run(spec, text, request_id)
    if len(result.payload) > MAX_RESPONSE_BYTES:
        message = f"Response payload size exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes)."
        error = _error_payload("Function.ResponseSizeTooLarge", message, request_id)
        return InvokeResult(
            200, json.dumps(error).encode(), "Unhandled", result.log_tail, spec.version, request_id, error["errorType"]
        )
    return result


def invoke(
    function: str,
    payload: bytes,
    *,
    invocation_type: str = "RequestResponse",
    account_id: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
    qualifier: str | None = None,
) -> InvokeResult:
    """Invoke a function by name or ARN, the way the Lambda service would.

    Raises FunctionNotFoundError for an unknown function and InvalidRequestContentError for a payload
    that is not JSON (AWS's ResourceNotFoundException / InvalidRequestContentException).
    """
    from moto.awslambda.exceptions import UnknownFunctionException
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[account_id][region]
    try:
        fn = backend.get_function(function, qualifier)
    except UnknownFunctionException as e:
        raise FunctionNotFoundError(e.message) from None
    except Exception as e:  # moto raises plain ValueErrors for malformed ARNs and qualifiers
        raise FunctionNotFoundError(f"Function not found: {function}" + (f":{qualifier}" if qualifier else "")) from e
    return invoke_function(fn, payload, invocation_type)


# -- moto hook -------------------------------------------------------------------------------------


def _moto_invoke(self: LambdaFunction, body: Any, request_headers: Any, response_headers: Any) -> bytes:
    """Replaces LambdaFunction.invoke: the Invoke API and moto's own service glue land here."""
    from moto.awslambda.exceptions import LambdaClientError

    invocation_type = _header(request_headers, "X-Amz-Invocation-Type") or "RequestResponse"
    payload = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    try:
        result = invoke_function(self, payload, invocation_type)
    except InvalidRequestContentError as e:
        raise LambdaClientError("InvalidRequestContentException", str(e)) from None
    response_headers["x-amz-executed-version"] = result.executed_version
    if result.function_error:
        response_headers["x-amz-function-error"] = result.function_error
    if invocation_type == "RequestResponse" and (_header(request_headers, "X-Amz-Log-Type") or "") == "Tail":
        response_headers["x-amz-log-result"] = base64.b64encode(result.log_tail.encode()).decode()
    return result.payload


def _update_from_cloudformation_json(
    cls: type[LambdaFunction],
    original_resource: LambdaFunction,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> LambdaFunction:
    """A stack update with inline `Code.ZipFile` must zip the source as index.py, as create does.

    moto 5.2.5 zips the plain-text ZipFile only on create; on update it base64-decodes the Python
    source and the stack fails with "Incorrect padding".
    """
    from moto.awslambda.models import LambdaFunction

    code = cloudformation_json.get("Properties", {}).get("Code", {})
    if isinstance(code.get("ZipFile"), str):  # template text; create leaves base64 bytes behind
        code["ZipFile"] = base64.b64encode(LambdaFunction._create_zipfile_from_plaintext_code(code["ZipFile"]))
    moto_update = original(LambdaFunction, "update_from_cloudformation_json").__func__
    return moto_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)


def _aws_error(status: int, code: str, message: str) -> Response:
    body = json.dumps({"Type": "User", "message": message})
    return Response(body, status=status, headers={"x-amzn-ErrorType": code}, mimetype="application/json")


def _handle_invoke_api(request: Request) -> Response:
    """The Invoke API (boto3, awslocal). moto 5.2.5 reads `qualifier` in lower case and so ignores
    the `Qualifier` boto3 sends; here versions and aliases resolve, and x-amzn-RequestId is the
    invocation's request id, as on AWS."""
    match = INVOKE_PATH.match(request.path)
    assert match is not None
    credential = re.search(r"Credential=[^/]+/\d+/([^/]+)/", request.headers.get("Authorization", ""))
    region = credential[1] if credential else DEFAULT_REGION
    account_id = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT)
    invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
    if invocation_type not in ("RequestResponse", "Event", "DryRun"):
        return _aws_error(
            400,
            "InvalidParameterValueException",
            f"1 validation error detected: Value '{invocation_type}' at 'invocationType' failed to satisfy "
            "constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
        )
    try:
        result = invoke(
            unquote(match["function"]),
            request.get_data(),
            invocation_type=invocation_type,
            account_id=account_id,
            region=region,
            qualifier=request.args.get("Qualifier"),
        )
    except FunctionNotFoundError as e:
        return _aws_error(404, "ResourceNotFoundException", str(e))
    except InvalidRequestContentError as e:
        return _aws_error(400, "InvalidRequestContentException", str(e))
    headers = {"X-Amz-Executed-Version": result.executed_version, "x-amzn-RequestId": result.request_id}
    if result.function_error:
        headers["X-Amz-Function-Error"] = result.function_error
    if invocation_type == "RequestResponse" and request.headers.get("X-Amz-Log-Type") == "Tail":
        headers["X-Amz-Log-Result"] = base64.b64encode(result.log_tail.encode()).decode()
    return Response(result.payload, status=result.status_code, headers=headers, mimetype="application/json")


def install(cloud: LocalCloud) -> None:
    """Route every invoke (API and moto's own glue) to the worker pools; stop the workers with the cloud."""
    global _runtime
    from moto.awslambda.models import LambdaFunction

    with _runtime_lock:
        _runtime = Runtime(cloud.settings)
    runtime = _runtime
    replace(LambdaFunction, "invoke", _moto_invoke)
    replace(LambdaFunction, "update_from_cloudformation_json", classmethod(_update_from_cloudformation_json))
    cloud.add_route(
        "lambda invoke", lambda r: r.method == "POST" and INVOKE_PATH.match(r.path) is not None, _handle_invoke_api
    )
    cloud.add_service("lambda workers", runtime.start, runtime.stop)
