"""One way to read a function's environment: each field of a Settings model is the variable of its name in capitals."""

from __future__ import annotations

import os
from typing import ClassVar, Self

from pydantic import BaseModel, ValidationError


class EnvSettings(BaseModel):
    """Parsed once per cold start; an empty variable counts as unset, so the field's default applies."""

    function_name: ClassVar[str] = "this function"

    @classmethod
    def from_env(cls) -> Self:
        values = {name: os.environ[name.upper()] for name in cls.model_fields if os.environ.get(name.upper())}
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            names = ", ".join(sorted({str(e["loc"][0]).upper() for e in error.errors()}))
            raise RuntimeError(
                f"{cls.function_name} misconfigured: set or correct environment variables {names}"
            ) from error
