"""Catalog browsing: filters, accent/case-insensitive search and pagination.

The catalog is small (tens to hundreds of products), so the repository returns the candidate products and the
search happens here; a catalog of many thousands would move search to a search index instead.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from app_server.logic.errors import InvalidInput, NotFound
from app_server.logic.paging import decode_token, encode_token
from app_server.logic.ports import ProductsRepository
from app_server.models.catalog import Category, LocalizedText, Product, ProductPage

# Display names of the category slugs the seed uses; an unknown slug is shown as itself, capitalised.
CATEGORY_NAMES: dict[str, LocalizedText] = {
    "electronica": LocalizedText(es="Electrónica", en="Electronics"),
    "informatica": LocalizedText(es="Informática", en="Computing"),
    "hogar": LocalizedText(es="Hogar", en="Home"),
    "cocina": LocalizedText(es="Cocina", en="Kitchen"),
    "deportes": LocalizedText(es="Deportes", en="Sports"),
    "libros": LocalizedText(es="Libros", en="Books"),
    "moda": LocalizedText(es="Moda", en="Fashion"),
    "ropa": LocalizedText(es="Ropa", en="Clothing"),
    "juguetes": LocalizedText(es="Juguetes", en="Toys"),
    "belleza": LocalizedText(es="Belleza", en="Beauty"),
    "jardin": LocalizedText(es="Jardín", en="Garden"),
    "musica": LocalizedText(es="Música", en="Music"),
    "oficina": LocalizedText(es="Oficina", en="Office"),
    "alimentacion": LocalizedText(es="Alimentación", en="Food"),
    "mascotas": LocalizedText(es="Mascotas", en="Pets"),
}


def normalize(text: str) -> str:
    """Lower case without accents: `Canción` and `cancion` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _matches(product: Product, terms: list[str]) -> bool:
    haystack = normalize(" ".join((product.name.es, product.name.en, product.description.es, product.description.en)))
    return all(term in haystack for term in terms)


def list_products(
    repo: ProductsRepository, *, category: str | None, q: str | None, limit: int, next_token: str | None
) -> ProductPage:
    after = ""
    if next_token:
        position = decode_token(next_token)
        after = str(position.get("after", ""))
        if not after:
            raise InvalidInput("next_token is not a token from a previous page", field="next_token")
    terms = normalize(q).split() if q else []
    products = [p for p in repo.list_products(category or None) if p.id > after and (not terms or _matches(p, terms))]
    products.sort(key=lambda p: p.id)
    page = products[:limit]
    token = encode_token({"after": page[-1].id}) if len(products) > limit else None
    return ProductPage(items=page, next_token=token)


def get_product(repo: ProductsRepository, product_id: str) -> Product:
    product = repo.get_product(product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product


def category_name(slug: str) -> LocalizedText:
    fallback = slug.replace("-", " ").replace("_", " ").capitalize()
    return CATEGORY_NAMES.get(slug, LocalizedText(es=fallback, en=fallback))


def list_categories(repo: ProductsRepository) -> list[Category]:
    counts = Counter(p.category for p in repo.list_products(None))
    return [Category(id=slug, name=category_name(slug), count=n) for slug, n in sorted(counts.items())]
