"""Lambda's warm execution environments: one worker process per concurrent invocation of a function version.

A `FunctionPool` starts warm `Worker`s as invocations need them, up to `lambda_max_workers` for one
function version (its code, handler, runtime, memory and environment: a change of any retires them, as a new
version does on AWS), and stops them after IDLE_WORKER_SECONDS unused. At the bound an invocation waits up to
`lambda_bound_wait_seconds` for a worker to free up, then is throttled as AWS throttles at the concurrency limit.
Each worker runs lambda_worker.py under the interpreter that matches the
function's Runtime, in the task root the zip was extracted to, with the environment AWS sets and boto3
provided by "the runtime" (symlinks to the cloud's own, never the zip's). `Runtime` holds the pools,
writes each invocation's log lines to CloudWatch Logs and retires idle or deleted functions' workers.
lambda_runner.py turns an invocation into an answer in AWS's shape.
"""

from __future__ import annotations

import collections
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

from localcloud import config, iam

if TYPE_CHECKING:
    from moto.awslambda.models import LambdaFunction

log = logging.getLogger("localcloud.lambda")

# Keep in sync with lambda_worker.RESULT_MARKER.
RESULT_MARKER = "\x1e\x1elocalcloud-lambda-result "
WORKER_SCRIPT = Path(__file__).with_name("lambda_worker.py")
# The pure-Python packages AWS's Python runtime provides; function zips never carry them.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")
IDLE_WORKER_SECONDS = 600.0  # AWS keeps an idle execution environment warm for minutes, not forever
INIT_TIMEOUT_S = 10.0  # AWS: the init phase of an on-demand function may take up to 10 s
PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", "/root/.pyenv"))


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
    role: str = ""  # the execution role's ARN: the worker's credentials are that role's
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
            self.role,
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
            code_sha=_sha256(code),
            code=code,
            role=str(getattr(fn, "role", "") or ""),
            instance=id(fn),
        )


_digests: dict[int, tuple[bytes, str]] = {}
_digests_lock = threading.Lock()


def _sha256(code: bytes) -> str:
    """Hex sha256 of a zip, computed once per code object (hashing a 4 MB zip on every invoke cost 5% of the
    cloud's CPU under load); the entry holds the bytes, so their id cannot be reused while it is cached."""
    with _digests_lock:
        found = _digests.get(id(code))
        if found is not None and found[0] is code:
            return found[1]
    digest = hashlib.sha256(code).hexdigest()
    with _digests_lock:
        if len(_digests) >= 64:
            _digests.clear()
        _digests[id(code)] = (code, digest)
    return digest


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


def now_ms() -> int:
    return int(time.time() * 1000)


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


def _credentials(spec: FunctionSpec) -> dict[str, str]:
    """The execution role's temporary credentials, as AWS gives a function (iam.py evaluates what they do).

    A role that does not exist (moto lets CreateFunction name any ARN; AWS would refuse it) keeps the
    cloud's full-access test credentials, loudly."""
    if spec.role and iam.role_exists(spec.role, spec.account_id):
        key, secret, token = iam.role_credentials(spec.role, spec.name, spec.account_id, spec.region)
        return {"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token}
    if iam.enabled():
        log.warning("lambda %s: role %r does not exist; the function runs with full access", spec.name, spec.role)
    return {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "test"}


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
        self._initialized = threading.Event()  # the worker imported the handler (or gave up, or exited)
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
            **_credentials(spec),
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
                message = json.loads(text[at + len(RESULT_MARKER) :])
            except ValueError:
                self._add_line(text)
                continue
            if "init" in message:
                self._initialized.set()
            else:
                self._results.put(message)
        self._initialized.set()
        self._results.put(None)  # end of output: the process exited

    def _add_line(self, text: str) -> None:
        with self._lines_lock:
            self._lines.append((now_ms(), text))

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
        if first:
            # AWS gives the init phase (imports, clients) its own 10 s, outside the function's timeout; a
            # cold start under load must not eat an authorizer's few seconds. Its output belongs to this call.
            self._initialized.wait(INIT_TIMEOUT_S)
        else:
            self._take_lines()  # stray output between invocations belongs to no request
        start = time.monotonic()
        deadline = start + self.spec.timeout
        request = {
            "id": request_id,
            "payload": payload,
            "deadline_ms": now_ms() + int(self.spec.timeout * 1000),
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


class PoolExhaustedError(RuntimeError):
    """Every worker the bound allows stayed busy for `lambda_bound_wait_seconds`: the invoke is throttled."""


class FunctionPool:
    """Warm workers of one function version, started on demand up to `lambda_max_workers`."""

    def __init__(self, spec: FunctionSpec, code_dir: Path, runtime: Runtime) -> None:
        self.spec = spec
        self.code_dir = code_dir
        self.runtime = runtime
        self._cond = threading.Condition()
        self._idle: list[Worker] = []
        self._busy: set[Worker] = set()
        self._live = 0
        self._waiting: collections.deque[int] = collections.deque()
        self._next_ticket = 0
        self.retired = False

    def acquire(self) -> Worker:
        """A warm worker, a new one while under the bound, or (at the bound) the first one freed, in arrival
        order; PoolExhaustedError when none frees up within the bound's wait."""
        deadline = time.monotonic() + self.runtime.settings.lambda_bound_wait_seconds
        with self._cond:
            ticket = self._next_ticket
            self._next_ticket += 1
            self._waiting.append(ticket)
            try:
                while True:
                    if self._waiting[0] == ticket:  # first come, first served: a newcomer never jumps the line
                        while self._idle:
                            worker = self._idle.pop()  # the most recently used one: warmest, like AWS
                            if worker.alive:
                                self._busy.add(worker)
                                return worker
                            self._live -= 1
                        if self._live < self.runtime.settings.lambda_max_workers:
                            self._live += 1
                            break
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise PoolExhaustedError(f"{self._live} workers busy")
                    self._cond.wait(left)
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()  # the next in line may take what is free
        try:
            worker = Worker(self.spec, self.code_dir, self.runtime.runtime_dir, self.runtime.settings.endpoint)
        except BaseException:
            with self._cond:
                self._live -= 1
                self._cond.notify_all()
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
            self._cond.notify_all()  # only the first in line may take it
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
