"""The parameter file (stacks/params/<env>.json), checked before anything is created.

Each problem is one sentence that names the file and the key, because the alternative is CloudFormation's
ValidationError minutes later (or, for a placeholder address, a confirmation mail nobody receives).
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stacks import templates
from stacks.preflight import UserError

ROOT = templates.STACKS.parent
PARAMS = templates.STACKS / "params"
EXAMPLE = PARAMS / "prod.json.example"
TOP_LEVEL = {
    "Comment": "a note for people",
    "Parameters": "the app stack's parameters",
    "Site": "the storefront's config.json",
    "LoadSeed": "true to load the demo data",
    "LoadDemoCustomers": "true to load the demo customers (public password) and their order history; default: local",
    "Local": "URLs shown for local targets",
}
# Parameters the deploy tool sets itself (from ENV and the packaged code); a file must not override them.
SET_BY_THE_TOOL = {
    "EnvName",
    "ArtifactsBucket",
    "AppServerCodeKey",
    "AuthorizerCodeKey",
    "ProcessOrderCodeKey",
    "WorkflowDefinitionKey",
    "BatchWorkflowDefinitionKey",
}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# RFC 2606 names: what prod.json.example holds until someone writes real values.
PLACEHOLDER = re.compile(r"(^|[@./])example\.(com|org|net)($|[/:])", re.IGNORECASE)


@dataclass(frozen=True)
class ParameterFile:
    path: Path
    parameters: dict[str, str] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    load_seed: bool = True
    local: dict[str, str] = field(default_factory=dict)
    # The demo customers share a published password: only where the target is local, unless a file asks for them.
    load_demo_customers: bool = True


def path_for(env: str) -> Path:
    override = os.environ.get("SHOP_PARAMS_FILE")  # tests deploy with their own mock ports
    return Path(override) if override else PARAMS / f"{env}.json"


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def load(env: str, real_aws: bool) -> ParameterFile:
    """Read and check the file for `env`; `real_aws` adds the checks a release needs (no placeholders)."""
    path = path_for(env)
    name = shown(path)
    if not path.exists():
        if os.environ.get("SHOP_PARAMS_FILE"):
            raise UserError(f"no parameter file {name} (SHOP_PARAMS_FILE points there)")
        if real_aws:
            raise UserError(
                f"no parameter file {name}: copy {shown(EXAMPLE)} to {name} and set your real URLs and email "
                "addresses in it (docs/aws.md, 'Your first release')"
            )
        raise UserError(f"no parameter file {name}: copy stacks/params/local.json to {name} and edit it")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise UserError(f"{name} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(data, dict):
        raise UserError(f'{name} must hold one JSON object ({{"Parameters": {{...}}, ...}}), not {_kind(data)}')
    for key in data:
        if key not in TOP_LEVEL:
            allowed = ", ".join(TOP_LEVEL)
            raise UserError(f"{name}: unknown key {key!r}{_did_you_mean(key, TOP_LEVEL)}; allowed: {allowed}")
    parameters = _parameters(name, data.get("Parameters", {}), real_aws)
    site = _object(name, "Site", data.get("Site", {}))
    for key, value in site.items():
        if not isinstance(value, str | int | float | bool):
            raise UserError(f"{name}: Site.{key} must be a string, a number or true/false, not {_kind(value)}")
        if real_aws and isinstance(value, str) and PLACEHOLDER.search(value):
            raise UserError(f"{name}: Site.{key} is still the example's {value}: set the real value")
    load_seed = data.get("LoadSeed", True)
    if not isinstance(load_seed, bool):
        raise UserError(f"{name}: LoadSeed must be true or false, not {json.dumps(load_seed)}")
    demo_customers = data.get("LoadDemoCustomers", not real_aws)
    if not isinstance(demo_customers, bool):
        raise UserError(f"{name}: LoadDemoCustomers must be true or false, not {json.dumps(demo_customers)}")
    local = {str(k): str(v) for k, v in _object(name, "Local", data.get("Local", {})).items()}
    return ParameterFile(path, parameters, site, load_seed, local, demo_customers)


def _parameters(name: str, raw: Any, real_aws: bool) -> dict[str, str]:
    declared = templates.parameters("app")
    values: dict[str, str] = {}
    for key, value in _object(name, "Parameters", raw).items():
        where = f"{name}: Parameters.{key}"
        if key in SET_BY_THE_TOOL:
            raise UserError(f"{where} is set by the deploy tool (from ENV and the packaged code): remove it")
        if key not in declared:
            choices = sorted(set(declared) - SET_BY_THE_TOOL)
            raise UserError(
                f"{where} is not a parameter of stacks/app.yaml{_did_you_mean(key, choices)}; "
                f"its parameters are {', '.join(choices)}"
            )
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise UserError(f"{where} must be a string or a number, not {_kind(value)}")
        values[key] = _text(value)
        problem = _check(key, values[key], declared[key], real_aws)
        if problem:
            raise UserError(f"{where} {problem}")
    for key, spec in declared.items():
        if key not in SET_BY_THE_TOOL and key not in values and "Default" not in spec:
            description = f" ({spec['Description'].strip()})" if spec.get("Description") else ""
            raise UserError(f"{name}: Parameters.{key} is missing{description}")
    return values


def _check(key: str, value: str, spec: dict[str, Any], real_aws: bool) -> str | None:
    """What is wrong with one value, by the template's own rules and the shape its name promises."""
    allowed = [str(v) for v in spec.get("AllowedValues", [])]
    if allowed and value not in allowed:
        return f"is {value!r}; allowed: {', '.join(allowed)}"
    pattern = spec.get("AllowedPattern")
    if pattern and not re.fullmatch(pattern, value):
        return f"is {value!r}, which does not match {pattern} ({spec.get('Description', '').strip() or 'the template'})"
    if spec.get("Type") == "Number":
        try:
            number = float(value)
        except ValueError:
            return f"must be a number, not {value!r}"
        if not math.isfinite(number) or number < 0:
            return f"must be a positive number, not {value!r}"
    if key.endswith("Url") and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
        return f"must be an http(s):// URL, not {value!r}"
    if key.endswith("Email") and not EMAIL.fullmatch(value):
        return f"must be an email address, not {value!r}"
    if real_aws and PLACEHOLDER.search(value):
        what = "address (the SNS confirmation mail goes there)" if key.endswith("Email") else "value"
        return f"is still the example's {value}: set the real {what}"
    return None


def _object(name: str, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UserError(f"{name}: {key} must be a JSON object, not {_kind(value)}")
    return value


def _text(value: str | int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def _did_you_mean(key: str, choices: Any) -> str:
    close = difflib.get_close_matches(key, list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""
