from __future__ import annotations

import app_server.logic.catalog as catalog
import pytest
from app_server.dal.products import DynamoProductsRepository
from app_server.logic.errors import InvalidInput, NotFound

from tests.support.fakes import FakeProducts, product
from tests.support.tables import shop_tables


@pytest.fixture
def repo() -> FakeProducts:
    return FakeProducts(
        product("p-0001", category="electronica", es="Auriculares inalámbricos", en="Wireless headphones"),
        product("p-0002", category="electronica", es="Cámara de fotos", en="Photo camera"),
        product("p-0003", category="hogar", es="Lámpara", en="Lamp", des="Luz cálida para el salón"),
        product("p-0004", category="hogar", es="Sartén", en="Frying pan"),
        product("p-0005", category="nueva-seccion", es="Cosa", en="Thing"),
    )


def test_category_filter_returns_only_that_category(repo: FakeProducts) -> None:
    page = catalog.list_products(repo, category="hogar", q=None, limit=20, next_token=None)
    assert [p.id for p in page.items] == ["p-0003", "p-0004"]
    assert page.next_token is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("camara", ["p-0002"]),  # accent-insensitive
        ("CÁMARA", ["p-0002"]),  # case-insensitive
        ("headphones", ["p-0001"]),  # English name
        ("luz calida", ["p-0003"]),  # Spanish description, every word must match
        ("sarten frying", ["p-0004"]),
        ("nothing-like-this", []),
    ],
)
def test_search_matches_names_and_descriptions_in_both_languages(
    repo: FakeProducts, query: str, expected: list[str]
) -> None:
    page = catalog.list_products(repo, category=None, q=query, limit=20, next_token=None)
    assert [p.id for p in page.items] == expected


def test_pages_follow_next_token_until_the_end(repo: FakeProducts) -> None:
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = catalog.list_products(repo, category=None, q=None, limit=2, next_token=token)
        seen += [p.id for p in page.items]
        pages += 1
        token = page.next_token
        if token is None:
            break
    assert seen == ["p-0001", "p-0002", "p-0003", "p-0004", "p-0005"]
    assert pages == 3


def test_exact_page_size_has_no_next_token(repo: FakeProducts) -> None:
    assert catalog.list_products(repo, category="hogar", q=None, limit=2, next_token=None).next_token is None


def test_garbage_next_token_is_a_400_naming_the_field(repo: FakeProducts) -> None:
    with pytest.raises(InvalidInput) as caught:
        catalog.list_products(repo, category=None, q=None, limit=2, next_token="%%%not-a-token")
    assert caught.value.field == "next_token"


def test_missing_product_names_the_id(repo: FakeProducts) -> None:
    with pytest.raises(NotFound, match="p-9999"):
        catalog.get_product(repo, "p-9999")


def test_categories_have_counts_and_names_in_both_languages(repo: FakeProducts) -> None:
    categories = {c.id: c for c in catalog.list_categories(repo)}
    assert {k: c.count for k, c in categories.items()} == {"electronica": 2, "hogar": 2, "nueva-seccion": 1}
    assert categories["electronica"].name.es == "Electrónica"
    assert categories["electronica"].name.en == "Electronics"
    assert categories["nueva-seccion"].name.es == "Nueva seccion"  # unknown slug: shown as itself


def test_a_warm_listing_is_served_from_memory_until_its_ttl_passes() -> None:
    now = [0.0]
    with shop_tables() as tables:
        tables.add(product("p-0001", category="hogar", stock=5), product("p-0002", category="libros", stock=2))
        repo = DynamoProductsRepository(tables.products_table, listing_ttl_seconds=30, clock=lambda: now[0])
        assert [p.stock for p in repo.list_products(None)] == [5, 2]
        tables.products_table.update_item(
            Key={"id": "p-0002"}, UpdateExpression="SET stock = :z", ExpressionAttributeValues={":z": 0}
        )
        now[0] = 29.9  # the listings may lag by up to the TTL ...
        assert [p.stock for p in repo.list_products(None)] == [5, 2]
        # ... one product and an order's products never do
        assert getattr(repo.get_product("p-0002"), "stock", None) == 0
        assert repo.get_products(["p-0002"])["p-0002"].stock == 0
        now[0] = 30.0
        assert [p.stock for p in repo.list_products(None)] == [5, 0]


def test_without_a_ttl_every_listing_reads_the_table() -> None:
    with shop_tables() as tables:
        tables.add(product("p-0001", stock=5))
        repo = DynamoProductsRepository(tables.products_table)
        assert [p.stock for p in repo.list_products(None)] == [5]
        tables.products_table.update_item(
            Key={"id": "p-0001"}, UpdateExpression="SET stock = :z", ExpressionAttributeValues={":z": 0}
        )
        assert [p.stock for p in repo.list_products(None)] == [0]
