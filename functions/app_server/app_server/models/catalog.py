from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class LocalizedText(BaseModel):
    es: str
    en: str


class Product(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    name: LocalizedText
    description: LocalizedText
    category: str
    price: int
    currency: str
    stock: int
    image: str
    created_at: str | None = None


class ProductPage(BaseModel):
    items: list[Product]
    next_token: str | None


class Category(BaseModel):
    id: str
    name: LocalizedText
    count: int
