"""Step Functions: JSONata (`QueryLanguage: JSONata`) evaluates.

moto's interpreter (its port of LocalStack's) parses the whole JSONata half of the States Language
(`{% ... %}` in Arguments, Output, Assign, Items, Choice `Condition`, ...; `$states.input`, `.result`,
`.errorOutput`, `.context`; variables) and composes each expression into one self-contained JSONata
program: `($states := {...}; $var := ...; <the expression>)`. What it lacks is the evaluator: LocalStack
runs jsonata-java on a JVM, moto left that call empty, so every JSONata expression failed the execution
with a Python error. This layer evaluates the composed program with jsonata-python (a port of the same
jsonata-java), and supplies the functions Step Functions adds to JSONata that moto's declarations stub
(`$uuid`, `$hash`) or lack (`$random(seed)`).

An evaluation error is the interpreter's `JSONataException` with JSONata's own code and message
(`T1006: Attempted to invoke a non-function`), which the execution reports as AWS does.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import uuid
from typing import TYPE_CHECKING, Any, cast

import jsonata
from moto.stepfunctions.parser.api import EvaluationFailedEventDetails, HistoryEventType
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import StatesErrorNameType
from moto.stepfunctions.parser.asl.component.common.string.string_expression import StringJSONata
from moto.stepfunctions.parser.asl.component.intrinsic import jsonata as moto_functions
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.jsonata import jsonata as moto_jsonata
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from moto.stepfunctions.parser.asl.eval.environment import Environment

    from localcloud.server import LocalCloud

# The modules that import `eval_jsonata_expression` by name.
_EVALUATING_MODULES = (
    "moto.stepfunctions.parser.asl.jsonata.jsonata",
    "moto.stepfunctions.parser.asl.jsonata.validations",
    "moto.stepfunctions.parser.asl.component.common.string.string_expression",
)

# The modules that import `encode_jsonata_variable_declarations` by name.
_DECLARING_MODULES = (
    "moto.stepfunctions.parser.asl.jsonata.jsonata",
    "moto.stepfunctions.parser.asl.eval.states",
    "moto.stepfunctions.parser.asl.eval.variable_store",
)

_HASH_ALGORITHMS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def _uuid() -> str:
    return str(uuid.uuid4())


def _hash(value: Any, algorithm: Any = "SHA-256") -> str:
    """`$hash(value[, algorithm])`: the hex digest of a string, as Step Functions' JSONata defines it."""
    name = _HASH_ALGORITHMS.get(str(algorithm))
    if name is None:
        raise jsonata.JException("D3137", 0, f"$hash: unsupported algorithm {algorithm!r}")
    return hashlib.new(name, str(value).encode("utf-8")).hexdigest()


def _random(seed: Any = None) -> float:
    """`$random([seed])`: Step Functions' JSONata takes an optional seed (plain JSONata takes none)."""
    if seed is None:
        return random.random()  # noqa: S311 - JSONata's $random, not cryptography
    return random.Random(seed).random()  # noqa: S311


_FUNCTIONS = {"uuid": _uuid, "hash": _hash, "random": _random}


def _to_json(value: Any) -> Any:
    """jsonata-python's result as plain JSON values (its sequences are list subclasses).

    A function is no JSON value: it becomes an empty string, which moto's output check then asks
    about with `$type` and refuses as an unsupported result type, as AWS does.
    """
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return ""


def declare(bindings: dict[str, Any]) -> str:
    """`$name:=<value>;` for each binding, the value written as JSON (moto quoted a string without escaping it,
    so a variable holding `"` or `\\` broke every later expression)."""
    return "".join(f"{name}:={to_json_str(value, separators=(',', ':'))};" for name, value in bindings.items())


def evaluate(jsonata_expression: str) -> Any:
    """Evaluate one composed JSONata program (it carries its own bindings, so there is no input)."""
    try:
        program = jsonata.Jsonata(jsonata_expression)
        for name, function in _FUNCTIONS.items():
            program.register_lambda(name, function)
        return _to_json(program.evaluate(None))
    except jsonata.JException as error:
        raise moto_jsonata.JSONataException(error.get_error(), f"{error.get_error()}: {error}") from None
    except (RecursionError, TypeError, ValueError, ArithmeticError) as error:
        raise moto_jsonata.JSONataException("UNKNOWN", str(error)) from None


def _eval_jsonata_string(self: StringJSONata, env: Environment) -> None:
    """An expression that throws fails the state with States.QueryEvaluationError (an EvaluationFailed event
    first), as on AWS; moto let the Python exception through, which ended the execution as States.Runtime."""
    try:
        original(StringJSONata, "_eval_body")(self, env)
    except moto_jsonata.JSONataException as error:
        name = StatesErrorName(typ=StatesErrorNameType.StatesQueryEvaluationError)
        cause = f"The JSONata expression '{self.expression}' threw an error during evaluation. {error.details}"
        details = EvaluationFailedEventDetails(error=name.error_name, cause=cause)
        failure = FailureEventException(
            FailureEvent(
                env=env,
                error_name=name,
                event_type=HistoryEventType.EvaluationFailed,
                event_details=cast(EventDetails, {"evaluationFailedEventDetails": details}),
            )
        )
        decorated = failure.get_evaluation_failed_event_details()  # the state's name and entry event, as AWS words it
        env.event_manager.add_event(
            context=env.event_history_context,
            event_type=HistoryEventType.EvaluationFailed,
            event_details=cast(EventDetails, {"evaluationFailedEventDetails": decorated}),
        )
        raise failure from None


def install(cloud: LocalCloud) -> None:
    """Give moto's interpreter a JSONata evaluator, and Step Functions' own functions."""
    for module_name in _EVALUATING_MODULES:
        replace(importlib.import_module(module_name), "eval_jsonata_expression", evaluate)
    for module_name in _DECLARING_MODULES:
        replace(importlib.import_module(module_name), "encode_jsonata_variable_declarations", declare)
    # moto declares Step Functions' functions in JSONata itself, ahead of each expression: $partition, $range
    # and $parse are right; $uuid and $hash are stubs returning "not supported" (ours are bound natively and
    # a declaration would hide them), and $randomSeeded is no function on AWS (T1006 there).
    declared = moto_functions._DECLARATION_BY_VARIABLE_REFERENCE
    kept = {name: text for name, text in declared.items() if name in ("$partition", "$range", "$parse")}
    replace(moto_functions, "_DECLARATION_BY_VARIABLE_REFERENCE", kept)
    replace(StringJSONata, "_eval_body", _eval_jsonata_string)
