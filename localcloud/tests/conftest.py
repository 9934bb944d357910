"""Fixtures for the local cloud's own tests: a running cloud (localcloud.pytest_plugin) and stack deployment.

The session uses the local cloud at LOCALCLOUD_PORT (default 4566) if one is already healthy there
(`make up`); otherwise it starts its own in a temporary state folder and stops it by pid.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from localcloud.testing import poll as poll  # re-exported: the tests `from conftest import poll`

pytest_plugins = ("localcloud.pytest_plugin",)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "fixtures" / "templates"
# The repository this copy of localcloud sits in: `make up` runs localcloud.ctl from there (test_ctl.py).
ROOT = HERE.parent.parent


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Stacks:
    """Deploys fixture templates through CloudFormation and deletes them after the test."""

    def __init__(self, cfn: Any) -> None:
        self.cfn = cfn
        self.created: list[str] = []

    def deploy(
        self, template: str, parameters: dict[str, str] | None = None, name: str | None = None
    ) -> dict[str, str]:
        """`template` is a file name under tests/fixtures/templates, or the template text itself."""
        body = template if "\n" in template else (TEMPLATES / template).read_text()
        stack_name = name or unique("t")
        self.cfn.create_stack(
            StackName=stack_name,
            TemplateBody=body,
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        self.created.append(stack_name)
        stack = self.wait(stack_name)
        if stack["StackStatus"] != "CREATE_COMPLETE":
            raise AssertionError(f"{stack_name}: {stack['StackStatus']} {stack.get('StackStatusReason', '')}")
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def update(self, stack_name: str, parameters: dict[str, str], template: str | None = None) -> dict[str, Any]:
        """Update a stack with new parameters (and a new template body, else its previous one); the stack after."""
        body: dict[str, Any] = {"TemplateBody": template} if template else {"UsePreviousTemplate": True}
        self.cfn.update_stack(
            StackName=stack_name,
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
            **body,
        )
        return self.wait(stack_name)

    def wait(self, stack_name: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            stack = self.cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
            if not stack["StackStatus"].endswith("_IN_PROGRESS") or time.monotonic() > deadline:
                return stack
            time.sleep(0.2)

    def delete_all(self) -> None:
        for name in reversed(self.created):
            try:
                self.cfn.delete_stack(StackName=name)
            except Exception:  # noqa: S112 - best-effort cleanup
                continue


@pytest.fixture
def stacks(aws: Callable[[str], Any]) -> Iterator[Stacks]:
    s = Stacks(aws("cloudformation"))
    yield s
    s.delete_all()


@pytest.fixture(scope="module")
def module_stacks(aws: Callable[[str], Any]) -> Iterator[Stacks]:
    """Stacks deployed once for a whole test module, deleted after its last test."""
    s = Stacks(aws("cloudformation"))
    yield s
    s.delete_all()
