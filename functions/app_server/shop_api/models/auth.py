from __future__ import annotations

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
    locale: str = "es"


class CustomerInfo(BaseModel):
    id: str
    email: str
    name: str
    locale: str = Field(description='The customer\'s language, "es" or "en": the storefront switches to it at login')


class LoginResponse(BaseModel):
    token: str
    expires_at: str
    customer: CustomerInfo
