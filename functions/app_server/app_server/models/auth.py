from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=1, max_length=256)


class CustomerRecord(BaseModel):
    """A row of the Customers table."""

    model_config = ConfigDict(extra="ignore")

    email: str
    id: str
    name: str
    password_hash: str
    locale: Literal["es", "en"] = "es"
    notices_subscription: str | None = None  # the ARN of their own SNS email subscription, once made


class CustomerInfo(BaseModel):
    id: str
    email: str
    name: str
    locale: Literal["es", "en"] = "es"


class LoginResponse(BaseModel):
    token: str
    expires_at: str
    customer: CustomerInfo
