"""Schedules fire: `AWS::Scheduler::Schedule` and `AWS::Events::Rule` with a ScheduleExpression.

moto stores EventBridge rules and Scheduler schedules but never fires them, and its
CloudFormation skips `AWS::Scheduler::Schedule`. This layer adds the CloudFormation model (the
schedule lands in moto's scheduler backend, so GetSchedule/ListSchedules answer) and one timer
thread that reads both backends, whoever created the schedule, and starts each due target through
the cloud's own AWS API: a state machine (StartExecution with the target's Input), a Lambda
function (asynchronous Invoke), an SQS queue (SendMessage) or an SNS topic (Publish).

Expressions: `rate(N minute|minutes|hour|hours|day|days)`, `cron(min hour day month weekday year)`
(evaluated in UTC) and `at(yyyy-mm-ddThh:mm:ss)`. FlexibleTimeWindow is accepted and ignored: firing
on time is inside any window. LOCALCLOUD_SCHEDULE_RATE_SECONDS (>0) makes every rate and cron
schedule fire at that period instead, so tests need not wait minutes; templates stay unchanged. At such a
compressed rate a schedule does not start a target again while its previous start still runs (a state machine
execution, a Lambda invocation): firing every second what AWS fires every minute, while each run still takes
its real time, would otherwise keep up to 60 times AWS's executions in flight, which a laptop cannot serve.
Once the template's own rate has come round since that start, it starts the target again all the same, as AWS
does (a workflow that drains a backlog overlaps its executions and fans out again).
`GET /_localcloud/schedules` lists what the timer knows (next firing, count, last error).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from moto.cloudformation.exceptions import ValidationError
from moto.core.common_models import CloudFormationModel
from moto.events.models import EventsBackend, events_backends
from moto.scheduler.models import EventBridgeSchedulerBackend, Schedule, scheduler_backends
from werkzeug.wrappers import Request, Response

from localcloud import iam, stepfunctions_express
from localcloud.cfn_model import CfnModel, Properties

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.schedules")

TICK_SECONDS = 0.2
STATUS_PATH = "/_localcloud/schedules"


# -- expressions ---------------------------------------------------------------------------------

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((.+)\)$")
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_WEEKDAYS = {d: i + 1 for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}


class ExpressionError(ValueError):
    pass


def _cron_field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int] | None:
    """Values a cron field allows; None means any (`*` or `?`)."""
    if text in ("*", "?"):
        return None
    values: set[int] = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part == "*":
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _cron_value(first, names), _cron_value(last, names)
        else:
            start = _cron_value(part, names)
            end = high if step > 1 else start
        if not (low <= start <= high and low <= end <= high):
            raise ExpressionError(f"cron field {text!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


def _cron_value(text: str, names: dict[str, int] | None) -> int:
    if names and text.upper() in names:
        return names[text.upper()]
    if not text.isdigit():
        raise ExpressionError(f"cron value {text!r} is not supported (use numbers, names, *, ?, -, / and ,)")
    return int(text)


@dataclass(frozen=True)
class Cron:
    minutes: set[int] | None
    hours: set[int] | None
    days: set[int] | None
    months: set[int] | None
    weekdays: set[int] | None  # 1 = Sunday, as in AWS cron
    years: set[int] | None

    @classmethod
    def parse(cls, body: str) -> Cron:
        fields = body.split()
        if len(fields) != 6:
            raise ExpressionError("cron() needs 6 fields: minutes hours day-of-month month day-of-week year")
        if any(c in body for c in "LW#"):
            raise ExpressionError("cron() with L, W or # is not supported by the local cloud")
        return cls(
            _cron_field(fields[0], 0, 59),
            _cron_field(fields[1], 0, 23),
            _cron_field(fields[2], 1, 31),
            _cron_field(fields[3], 1, 12, _MONTHS),
            _cron_field(fields[4], 1, 7, _WEEKDAYS),
            _cron_field(fields[5], 1970, 2199),
        )

    def _day_matches(self, day: dt.datetime) -> bool:
        weekday = (day.weekday() + 1) % 7 + 1  # Python: Monday=0; AWS: Sunday=1
        return (
            (self.years is None or day.year in self.years)
            and (self.months is None or day.month in self.months)
            and (self.days is None or day.day in self.days)
            and (self.weekdays is None or weekday in self.weekdays)
        )

    def next_after(self, now: dt.datetime) -> dt.datetime | None:
        """The first matching minute after `now` (UTC), within five years."""
        candidate = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        limit = now + dt.timedelta(days=5 * 366)
        while candidate < limit:
            if not self._day_matches(candidate):
                candidate = candidate.replace(hour=0, minute=0) + dt.timedelta(days=1)
                continue
            if (self.hours is None or candidate.hour in self.hours) and (
                self.minutes is None or candidate.minute in self.minutes
            ):
                return candidate
            candidate += dt.timedelta(minutes=1)
        return None


@dataclass(frozen=True)
class Expression:
    text: str
    rate_seconds: float | None = None
    cron: Cron | None = None
    at: dt.datetime | None = None

    @classmethod
    def parse(cls, text: str) -> Expression:
        text = text.strip()
        if match := _RATE.match(text):
            value, unit = int(match.group(1)), match.group(2).rstrip("s")
            if value < 1:
                raise ExpressionError(f"{text}: the rate must be at least 1")
            if (value == 1 and match.group(2).endswith("s")) or (value > 1 and not match.group(2).endswith("s")):
                raise ExpressionError(f"{text}: use '1 {unit}' or 'N {unit}s'")
            return cls(text, rate_seconds=float(value * _UNIT_SECONDS[unit]))
        if match := _CRON.match(text):
            return cls(text, cron=Cron.parse(match.group(1)))
        if match := _AT.match(text):
            return cls(text, at=dt.datetime.fromisoformat(match.group(1)).replace(tzinfo=dt.UTC))
        raise ExpressionError(
            f"schedule expression {text!r} is not rate(N minutes|hours|days), cron(6 fields) or at(yyyy-mm-ddThh:mm:ss)"
        )

    def first_due(self, now: float, override: float) -> float | None:
        """Monotonic time of the first firing after the schedule is seen at `now`."""
        if self.at is not None:
            delay = override if override > 0 else (self.at - dt.datetime.now(dt.UTC)).total_seconds()
            return now + max(delay, 0.0)
        return self.next_due(now, override)

    def next_due(self, now: float, override: float) -> float | None:
        if self.at is not None:
            return None  # one-time schedules fire once
        if override > 0:
            return now + override
        if self.rate_seconds is not None:
            return now + self.rate_seconds
        assert self.cron is not None
        wall = dt.datetime.now(dt.UTC)
        following = self.cron.next_after(wall)
        return None if following is None else now + (following - wall).total_seconds()


# -- CloudFormation: AWS::Scheduler::Schedule ----------------------------------------------------


class SchedulerSchedule(CfnModel, CloudFormationModel):
    """The CloudFormation face of a schedule that lives in moto's scheduler backend; Ref is its name."""

    TYPE = "AWS::Scheduler::Schedule"
    NAME_PROPERTY = "Name"
    ATTRIBUTES = ("Arn",)

    @classmethod
    def _of(cls, schedule: Schedule, account_id: str, region: str) -> SchedulerSchedule:
        return cls(account_id, region, str(schedule.name), Arn=schedule.arn, schedule=schedule)

    @staticmethod
    def _backend(account_id: str, region: str) -> EventBridgeSchedulerBackend:
        return scheduler_backends[account_id][region]

    @staticmethod
    def _arguments(properties: dict[str, Any]) -> dict[str, Any]:
        missing = [p for p in ("ScheduleExpression", "FlexibleTimeWindow", "Target") if p not in properties]
        if missing:
            raise ValidationError(message=f"AWS::Scheduler::Schedule is missing required properties {missing}")
        target = dict(properties["Target"])
        if "Arn" not in target or "RoleArn" not in target:
            raise ValidationError(message="AWS::Scheduler::Schedule Target needs Arn and RoleArn")
        try:
            Expression.parse(properties["ScheduleExpression"])
        except ExpressionError as error:
            raise ValidationError(message=f"AWS::Scheduler::Schedule: {error}") from error
        return {
            "description": properties.get("Description"),
            "end_date": properties.get("EndDate"),
            "flexible_time_window": properties["FlexibleTimeWindow"],
            "group_name": properties.get("GroupName"),
            "kms_key_arn": properties.get("KmsKeyArn"),
            "schedule_expression": properties["ScheduleExpression"],
            "schedule_expression_timezone": properties.get("ScheduleExpressionTimezone"),
            "start_date": properties.get("StartDate"),
            "state": properties.get("State", "ENABLED"),
            "target": target,
        }

    @classmethod
    def create(
        cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any
    ) -> SchedulerSchedule:
        name = props.get("Name", name)[:64]
        schedule = cls._backend(account_id, region_name).create_schedule(
            name=name, action_after_completion=props.get("ActionAfterCompletion"), **cls._arguments(props)
        )
        return cls._of(schedule, account_id, region_name)

    @classmethod
    def update(
        cls, original: Any, name: str, props: Properties, account_id: str, region_name: str
    ) -> SchedulerSchedule:
        old: Schedule = original.attributes["schedule"]
        name = props.get("Name", old.name)
        group = props.get("GroupName") or "default"
        if name != old.name or group != old.group_name:  # replacement
            created = cls.create(name, props, account_id, region_name)
            cls._backend(account_id, region_name).delete_schedule(old.group_name, old.name)
            return created
        arguments = cls._arguments(props)
        schedule = cls._backend(account_id, region_name).update_schedule(name=name, **arguments)
        return cls._of(schedule, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> None:
        group = (cloudformation_json.get("Properties") or {}).get("GroupName")
        try:
            cls._backend(account_id, region_name).delete_schedule(group, resource_name)
        except Exception:  # already gone (deleted through the API): deleting the stack still succeeds
            log.info("schedule %s was already deleted", resource_name)


# -- the timer -----------------------------------------------------------------------------------


@dataclass
class Entry:
    """What the timer tracks for one schedule or rule."""

    kind: str  # "scheduler" or "events"
    arn: str
    expression: Expression
    signature: str  # changes when the expression, state or targets change
    due: float | None
    fired: int = 0
    last_error: str | None = None
    targets: list[dict[str, Any]] = field(default_factory=list)
    in_flight: dict[str, Any] = field(default_factory=dict)  # target ARN -> execution ARN or invoking thread
    started: dict[str, float] = field(default_factory=dict)  # target ARN -> monotonic time of its last start
    skipped: int = 0  # firings left out at a compressed rate because the previous start still ran
    account_id: str = ""
    region: str = ""


class Scheduler:
    """One thread that fires due schedules through the cloud's own API."""

    def __init__(self, endpoint: str, rate_override_seconds: float, scheduler_fires: bool = True) -> None:
        self.endpoint = endpoint
        self.override = rate_override_seconds
        # Profile.scheduler_fires: False leaves Scheduler schedules stored but never fired (EventBridge rules
        # still fire), as on LocalStack community.
        self.scheduler_fires = scheduler_fires
        self.entries: dict[str, Entry] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._clients: dict[tuple[str, str, str, str], Any] = {}

    # lifecycle
    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="localcloud-schedules", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            try:
                self.tick(time.monotonic())
            except Exception:  # a bad schedule must not stop the others
                log.exception("schedule tick failed")

    # reading the backends
    def _current(self) -> list[tuple[str, str, str, str, str, str, list[dict[str, Any]]]]:
        """(kind, arn, expression, state, account, region, targets) of every schedule in moto."""
        found = []
        for account_id, region, backend in list(scheduler_backends.iter_backends()):
            assert isinstance(backend, EventBridgeSchedulerBackend)
            for group in list(backend.schedule_groups.values()):
                for schedule in list(group.schedules.values()):
                    found.append(
                        (
                            "scheduler",
                            schedule.arn,
                            schedule.schedule_expression,
                            schedule.state or "ENABLED",
                            account_id,
                            region,
                            [schedule.target],
                        )
                    )
        for account_id, region, backend in list(events_backends.iter_backends()):
            assert isinstance(backend, EventsBackend)
            for bus in list(backend.event_buses.values()):
                for rule in list(bus.rules.values()):
                    if rule.scheduled_expression:
                        found.append(
                            (
                                "events",
                                rule.arn,
                                rule.scheduled_expression,
                                rule.state,
                                account_id,
                                region,
                                list(rule.targets),
                            )
                        )
        return found

    def tick(self, now: float) -> None:
        seen: set[str] = set()
        for kind, arn, text, state, account_id, region, targets in self._current():
            seen.add(arn)
            signature = json.dumps([text, state, targets], sort_keys=True, default=str)
            with self._lock:
                entry = self.entries.get(arn)
                if entry is None or entry.signature != signature:
                    entry = self._track(kind, arn, text, state, signature, now)
                entry.targets, entry.account_id, entry.region = targets, account_id, region
                due = entry.due is not None and entry.due <= now
                if due:
                    entry.due = entry.expression.next_due(now, self.override)
            if due:
                self._fire(entry)
        with self._lock:
            for gone in set(self.entries) - seen:
                del self.entries[gone]  # deleted (with its stack or by API): it stops firing

    def _track(self, kind: str, arn: str, text: str, state: str, signature: str, now: float) -> Entry:
        try:
            expression = Expression.parse(text)
        except ExpressionError as error:
            entry = Entry(kind, arn, Expression(text), signature, None, last_error=str(error))
        else:
            fires = kind != "scheduler" or self.scheduler_fires
            enabled = state == "ENABLED" and fires
            entry = Entry(
                kind, arn, expression, signature, expression.first_due(now, self.override) if enabled else None
            )
            if not fires:
                entry.last_error = "not fired: the profile leaves Scheduler schedules unfired (LOCALCLOUD_PROFILE)"
        self.entries[arn] = entry
        return entry

    # firing
    def _client(self, service: str, account_id: str, region: str, role_arn: str = "") -> Any:
        """A client of the cloud's API: signed with the target's role when it has one (iam.py evaluates it)."""
        if role_arn and iam.role_exists(role_arn, account_id):
            key, secret, token = iam.role_credentials(role_arn, "localcloud-scheduler", account_id, region)
            credentials = {"aws_access_key_id": key, "aws_secret_access_key": secret, "aws_session_token": token}
        else:
            role_arn = ""
            # moto takes a 12-digit access key id as the account the call is made in.
            credentials = {
                "aws_access_key_id": account_id,
                "aws_secret_access_key": "localcloud",  # moto does not check it
            }
        cache_key = (service, account_id, region, role_arn)
        if cache_key not in self._clients:
            self._clients[cache_key] = boto3.client(
                service,
                endpoint_url=self.endpoint,
                region_name=region,
                config=Config(retries={"max_attempts": 1}, read_timeout=900),  # a scheduled Lambda may run 15 min
                **credentials,
            )
        return self._clients[cache_key]

    def _payload(self, entry: Entry, target: dict[str, Any]) -> str:
        if "Input" in target:
            return str(target["Input"])
        if entry.kind == "scheduler":
            return "{}"
        # EventBridge sends the Scheduled Event itself when a target has no Input.
        return json.dumps(
            {
                "version": "0",
                "id": str(uuid.uuid4()),
                "detail-type": "Scheduled Event",
                "source": "aws.events",
                "account": entry.account_id,
                "time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "region": entry.region,
                "resources": [entry.arn],
                "detail": {},
            }
        )

    def _fire(self, entry: Entry) -> None:
        entry.fired += 1
        for target in entry.targets:
            arn = str(target.get("Arn", ""))
            try:
                if self.override > 0 and not self._template_due(entry, arn) and self._still_running(entry, arn):
                    entry.skipped += 1
                    continue
                self._send(entry, arn, self._payload(entry, target), str(target.get("RoleArn") or ""))
                entry.started[arn] = time.monotonic()
                entry.last_error = None
            except Exception as error:
                entry.last_error = f"{arn}: {error}"
                log.warning("schedule %s could not start its target %s: %s", entry.arn, arn, error)

    @staticmethod
    def _template_due(entry: Entry, arn: str) -> bool:
        """Whether the template's own rate has come round since the last start: then AWS starts the target
        again even while that start still runs (a workflow drains a backlog with overlapping executions)."""
        last = entry.started.get(arn)
        due = None if last is None else entry.expression.next_due(last, 0)
        return due is not None and time.monotonic() >= due

    def _still_running(self, entry: Entry, arn: str) -> bool:
        previous = entry.in_flight.get(arn)
        if isinstance(previous, threading.Thread):
            return previous.is_alive()
        if isinstance(previous, str) and stepfunctions_express.is_express_arn(previous):
            return stepfunctions_express.running(previous)
        if isinstance(previous, str):
            sfn = self._client("stepfunctions", previous.split(":")[4], previous.split(":")[3])
            try:
                return bool(sfn.describe_execution(executionArn=previous)["status"] == "RUNNING")
            except Exception:  # deleted with its state machine: nothing runs
                return False
        return False

    def _send(self, entry: Entry, arn: str, payload: str, role_arn: str = "") -> None:
        """Start the target as the schedule's role (a rule target without RoleArn is the service's own call:
        on AWS a resource policy allows it, which the local cloud does not evaluate)."""
        account_id, region = entry.account_id, entry.region
        parts = arn.split(":")
        service = parts[2] if len(parts) > 5 else ""
        target_region = parts[3] if len(parts) > 5 and parts[3] else region
        target_account = parts[4] if len(parts) > 5 and parts[4] else account_id
        if service == "states":
            started = self._client("stepfunctions", target_account, target_region, role_arn).start_execution(
                stateMachineArn=arn, input=payload
            )
            entry.in_flight[arn] = started["executionArn"]
        elif service == "lambda" and self.override > 0:
            # Invoked and waited for on a thread of its own, so the next firing knows whether this one still runs
            # (the function sees an invocation as from an asynchronous one).
            lam = self._client("lambda", target_account, target_region, role_arn)

            def invoke_and_wait() -> None:
                try:
                    lam.invoke(FunctionName=arn, InvocationType="RequestResponse", Payload=payload.encode())
                except Exception as error:  # as for an asynchronous invoke, the schedule only notes it
                    log.info("schedule %s: invoking %s: %s", entry.arn, arn, error)

            thread = threading.Thread(target=invoke_and_wait, name=f"schedule-{parts[-1]}", daemon=True)
            thread.start()
            entry.in_flight[arn] = thread
        elif service == "lambda":
            self._client("lambda", target_account, target_region, role_arn).invoke(
                FunctionName=arn, InvocationType="Event", Payload=payload.encode()
            )
        elif service == "sqs":
            # The URL is the cloud's own lookup (EventBridge needs no sqs:GetQueueUrl); the send is the role's.
            admin = self._client("sqs", target_account, target_region)
            url = admin.get_queue_url(QueueName=parts[5], QueueOwnerAWSAccountId=target_account)["QueueUrl"]
            self._client("sqs", target_account, target_region, role_arn).send_message(QueueUrl=url, MessageBody=payload)
        elif service == "sns":
            self._client("sns", target_account, target_region, role_arn).publish(TopicArn=arn, Message=payload)
        else:
            raise ValueError(f"the local cloud fires schedules at state machines, Lambda, SQS and SNS, not {arn!r}")

    # status
    def status(self) -> dict[str, Any]:
        now = time.monotonic()
        with self._lock:
            entries = [
                {
                    "kind": e.kind,
                    "arn": e.arn,
                    "expression": e.expression.text,
                    "nextFireInSeconds": None if e.due is None else round(max(e.due - now, 0.0), 3),
                    "fired": e.fired,
                    "skippedWhileRunning": e.skipped,
                    "lastError": e.last_error,
                    "targets": [t.get("Arn") for t in e.targets],
                }
                for e in self.entries.values()
            ]
        return {"rateOverrideSeconds": self.override, "schedules": entries}


def install(cloud: LocalCloud) -> None:
    settings = cloud.settings
    timer = Scheduler(settings.endpoint, settings.schedule_rate_override_seconds, settings.profile.scheduler_fires)
    cloud.add_service("schedules", timer.start, timer.stop)

    def is_status(request: Request) -> bool:
        return request.method == "GET" and request.path.rstrip("/") == STATUS_PATH

    def status(request: Request) -> Response:
        return Response(json.dumps(timer.status()), mimetype="application/json")

    cloud.add_route("schedules-status", is_status, status)
