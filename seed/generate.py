"""Generate the seed data: plain JSON, DynamoDB batch-write request files and one SVG image per product.

    python -m seed.generate            # rewrites seed/data/ and seed/images/

Deterministic: every choice comes from a SHA-256 of a fixed label (not `random`, whose streams are not
promised across Python versions), dates count from fixed instants, and password salts derive from the
email (hashes come from the login's own `functions/shared/passwords.hash_password`, with its default
iterations). Running it twice gives byte-identical files; tests/seed checks the committed files against a fresh run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from functions.shared.passwords import hash_password
from seed.catalog import CATEGORIES, CUSTOMERS, DEMO_PASSWORD, PRODUCTS, Category, Product
from seed.dynamo import TABLE_FILES, chunks, put_requests

SEED_DIR = Path(__file__).resolve().parent
CURRENCY = "EUR"
N_ORDERS = 64
# The seed describes the shop as of this instant: every created_at/updated_at is before it.
AS_OF = datetime(2026, 11, 15, tzinfo=UTC)
PRODUCTS_START = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
ORDERS_START = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
STATUSES = ("PENDING", "PAID", "SHIPPED", "PAYMENT_FAILED", "FAILED", "CANCELLED")


def _h(label: str) -> int:
    """A stable pseudo-random integer for a label."""
    return int.from_bytes(hashlib.sha256(label.encode()).digest()[:8], "big")


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def product_id(n: int) -> str:
    return f"p-{n:04d}"


def build_products() -> list[dict[str, Any]]:
    products = []
    for n, p in enumerate(PRODUCTS, start=1):
        pid = product_id(n)
        stock = 2 + _h(f"stock:{pid}") % 150
        # Fixed positions give the catalog sold-out and last-unit cases the storefront must show.
        if n % 9 == 4:
            stock = 0
        elif n % 9 == 7:
            stock = 1
        created = PRODUCTS_START + timedelta(days=2 * (n - 1), minutes=_h(f"created:{pid}") % 480)
        products.append(
            {
                "id": pid,
                "name": {"es": p.name_es, "en": p.name_en},
                "description": {"es": p.description_es, "en": p.description_en},
                "category": p.category,
                "price": p.price,
                "currency": CURRENCY,
                "stock": stock,
                "image": f"/images/{pid}.svg",
                "created_at": _iso(created),
            }
        )
    return products


def build_customers() -> list[dict[str, Any]]:
    customers = []
    for n, c in enumerate(CUSTOMERS, start=1):
        # A salt derived from the email keeps the file stable; these are public demo accounts.
        salt = hashlib.sha256(f"seed-salt:{c.email}".encode()).digest()[:16]
        customers.append(
            {
                "email": c.email,
                "id": f"c-{n:04d}",
                "name": c.name,
                "password_hash": hash_password(DEMO_PASSWORD, salt=salt),
                "locale": c.locale,
            }
        )
    return customers


def _order_statuses() -> list[str]:
    """History only: every seeded order reached a terminal status and its customer was told (notified_status).

    Orders in flight are what the running pipeline has now; a seeded PENDING order would have no message on the
    queue and no hold at the Payment System, and would sit there for months.
    """
    history = ["SHIPPED"] * 34 + ["PAYMENT_FAILED"] * 10 + ["FAILED"] * 10 + ["CANCELLED"] * 10
    statuses = [s for _, s in sorted(enumerate(history), key=lambda e: _h(f"history:{e[0]}"))]
    assert len(statuses) == N_ORDERS
    return statuses


def build_orders(products: list[dict[str, Any]], customers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    orders = []
    seen_status: set[str] = set()
    for n, status in enumerate(_order_statuses(), start=1):
        oid = f"o-seed-{n:04d}"
        # The demo account (the first customer) gets the first order of every status, so logging in as
        # ana@example.com shows each state; the rest are spread over every customer.
        ci = 0 if status not in seen_status else _h(f"customer:{oid}") % len(customers)
        seen_status.add(status)
        customer, profile = customers[ci], CUSTOMERS[ci]

        items: list[dict[str, Any]] = []
        picked: set[int] = set()
        for k in range(1 + _h(f"lines:{oid}") % 3):
            pi = _h(f"item:{oid}:{k}") % len(products)
            while pi in picked:
                pi = (pi + 1) % len(products)
            picked.add(pi)
            product = products[pi]
            quantity = 1 if product["price"] >= 20000 else 1 + _h(f"qty:{oid}:{k}") % 3
            items.append(
                {
                    "product_id": product["id"],
                    # Both names at the time of the order, as the App Server stores them.
                    "name": dict(product["name"]),
                    "unit_price": product["price"],
                    "quantity": quantity,
                }
            )

        created = ORDERS_START + timedelta(days=2 * (n - 1), minutes=_h(f"at:{oid}") % 600)
        pay_id = "pay_" + hashlib.sha256(f"pay:{oid}".encode()).hexdigest()[:24]
        payment: dict[str, str] | None = None
        shipment: dict[str, str] | None = None
        failure: str | None = None
        if status == "SHIPPED":
            payment = {"id": pay_id, "status": "captured"}
            shipment = {
                "id": "shp_" + hashlib.sha256(f"shp:{oid}".encode()).hexdigest()[:24],
                "tracking_number": f"TRK{_h(f'trk:{oid}') % 10**10:010d}",
            }
            updated = created + timedelta(hours=20)
        elif status == "PAYMENT_FAILED":
            # Authorized, then the capture was declined: the hold was voided.
            payment, failure, updated = {"id": pay_id, "status": "voided"}, "payment_declined", created
        elif status == "FAILED":
            payment = {"id": pay_id, "status": "refunded"}
            failure = "address_undeliverable" if n % 2 else "shipment_refused"
            updated = created + timedelta(minutes=12)
        else:  # CANCELLED
            payment = {"id": pay_id, "status": "refunded" if n % 3 == 0 else "voided"}
            updated = created + timedelta(hours=2)

        order: dict[str, Any] = {
            "id": oid,
            "number": f"SEED-{n:04d}",
            "customer_id": customer["id"],
            "email": customer["email"],
            "locale": customer["locale"],
            "created_at": _iso(created),
            "updated_at": _iso(updated),
            "status": status,
            "notified_status": status,
            "notified_at": _iso(updated),
            "items": items,
            "total": sum(i["unit_price"] * i["quantity"] for i in items),
            "currency": CURRENCY,
            "address": {
                "name": profile.name,
                "line1": profile.line1,
                "city": profile.city,
                "postal_code": profile.postal_code,
                "country": profile.country,
            },
        }
        if payment:
            order["payment"] = payment
        if shipment:
            order["shipment"] = shipment
        if failure:
            order["failure_code"] = failure
        orders.append(order)
    return orders


# --- images ---------------------------------------------------------------------------------------------

# One white icon per category, drawn around (0, 0) in a box of about 110 px.
# `{bg}` is the background colour, for details cut out of the icon.
ICONS: dict[str, str] = {
    "electronica": (
        '<rect x="-52" y="-44" width="104" height="68" rx="6" fill="none" stroke="#fff" stroke-width="8"/>'
        '<rect x="-6" y="24" width="12" height="16" fill="#fff"/>'
        '<rect x="-28" y="40" width="56" height="8" rx="3" fill="#fff"/>'
    ),
    "hogar": (
        '<polygon points="-58,-2 0,-52 58,-2" fill="#fff"/>'
        '<rect x="-42" y="-4" width="84" height="54" fill="#fff"/>'
        '<rect x="-11" y="18" width="22" height="32" fill="{bg}"/>'
    ),
    "deportes": (
        '<circle r="50" fill="none" stroke="#fff" stroke-width="8"/>'
        '<polygon points="0,-18 17,-6 11,15 -11,15 -17,-6" fill="#fff"/>'
        '<path d="M0,-18 V-46 M17,-6 L44,-16 M11,15 L28,40 M-11,15 L-28,40 M-17,-6 L-44,-16" '
        'stroke="#fff" stroke-width="5"/>'
    ),
    "libros": (
        '<rect x="-44" y="-50" width="88" height="100" rx="4" fill="#fff"/>'
        '<rect x="-34" y="-50" width="7" height="100" fill="{bg}"/>'
        '<rect x="-16" y="-30" width="46" height="6" fill="{bg}"/>'
        '<rect x="-16" y="-16" width="34" height="6" fill="{bg}"/>'
    ),
    "moda": (
        '<polygon points="-20,-46 -58,-24 -44,2 -30,-8 -30,50 30,50 30,-8 44,2 58,-24 20,-46 0,-34" fill="#fff"/>'
    ),
    "juguetes": (
        '<polygon points="0.0,-54.0 12.9,-17.8 51.4,-16.7 20.9,6.8 31.7,43.7 0.0,22.0 -31.7,43.7 -20.9,6.8 '
        '-51.4,-16.7 -12.9,-17.8" fill="#fff"/>'
    ),
    "jardin": (
        '<rect x="-4" y="0" width="8" height="52" fill="#fff"/>'
        '<ellipse cx="18" cy="32" rx="16" ry="7" fill="#fff" transform="rotate(-30 18 32)"/>'
        '<circle cx="0" cy="-46" r="16" fill="#fff"/><circle cx="22" cy="-30" r="16" fill="#fff"/>'
        '<circle cx="14" cy="-4" r="16" fill="#fff"/><circle cx="-14" cy="-4" r="16" fill="#fff"/>'
        '<circle cx="-22" cy="-30" r="16" fill="#fff"/><circle cx="0" cy="-24" r="11" fill="{bg}"/>'
    ),
    "belleza": (
        '<rect x="-30" y="-18" width="60" height="70" rx="12" fill="#fff"/>'
        '<rect x="-12" y="-36" width="24" height="20" fill="#fff"/>'
        '<rect x="-18" y="-54" width="36" height="16" rx="3" fill="#fff"/>'
        '<rect x="-18" y="6" width="36" height="24" rx="4" fill="{bg}"/>'
    ),
}


def _shade(colour: str, step: int) -> str:
    """The category colour darkened a little per product, so neighbours in a category differ."""
    factor = 1 - 0.06 * (step % 6)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def product_svg(pid: str, product: Product, category: Category, step: int) -> str:
    bg = _shade(category.colour, step)
    label = escape(product.name_es, {'"': "&quot;"})
    dots = "".join(
        f'<circle cx="{_h(f"dot:{pid}:{k}:x") % 400}" cy="{_h(f"dot:{pid}:{k}:y") % 300}" '
        f'r="{20 + _h(f"dot:{pid}:{k}:r") % 50}" fill="#fff" fill-opacity="0.10"/>'
        for k in range(3)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" '
        f'role="img" aria-label="{label}">\n'
        f"<title>{escape(product.name_es)}</title>\n"
        f'<rect width="400" height="300" fill="{bg}"/>\n'
        f"{dots}\n"
        f'<g transform="translate(200 118)">{ICONS[category.slug].format(bg=bg)}</g>\n'
        '<text x="200" y="235" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="30" font-weight="700" fill="#fff">{escape(product.short)}</text>\n'
        '<text x="200" y="272" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="15" fill="#fff" fill-opacity="0.8">{escape(category.name_es)} · {pid}</text>\n'
        "</svg>\n"
    )


# --- output ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    products: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    orders: list[dict[str, Any]]

    def records(self, table: str) -> list[dict[str, Any]]:
        return {"Products": self.products, "Customers": self.customers, "Orders": self.orders}[table]


def build() -> Seed:
    products = build_products()
    customers = build_customers()
    return Seed(products, customers, build_orders(products, customers))


def request_file_text(table: str, requests: list[dict[str, Any]]) -> str:
    """A batch-write-item request file: one request per line, table key on the first line (easy to sed)."""
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in requests)
    return f'{{"{table}": [\n{lines}\n]}}\n'


def render(seed: Seed) -> dict[str, str]:
    """Every generated file as relative path -> text."""
    files: dict[str, str] = {}
    for table, filename in TABLE_FILES.items():
        files[f"data/{filename}"] = json.dumps(seed.records(table), indent=2, ensure_ascii=False) + "\n"
        for n, batch in enumerate(chunks(put_requests(seed.records(table))), start=1):
            files[f"data/dynamodb/{table.lower()}-{n:03d}.json"] = request_file_text(table, batch)
    categories = {c.slug: c for c in CATEGORIES}
    steps: dict[str, int] = {}
    for n, p in enumerate(PRODUCTS, start=1):
        steps[p.category] = steps.get(p.category, -1) + 1
        files[f"images/{product_id(n)}.svg"] = product_svg(product_id(n), p, categories[p.category], steps[p.category])
    return files


def write(files: dict[str, str], root: Path) -> None:
    """Write the files under root and remove generated files that are no longer produced."""
    for stale in [*root.glob("data/dynamodb/*.json"), *root.glob("images/p-*.svg")]:
        if stale.relative_to(root).as_posix() not in files:
            stale.unlink()
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())  # bytes: no platform newline translation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed.generate", description="Regenerate the seed data and images.")
    parser.add_argument("--out", type=Path, default=SEED_DIR, help="folder to write data/ and images/ into")
    args = parser.parse_args(argv)
    seed = build()
    files = render(seed)
    write(files, args.out)
    print(
        f"wrote {len(seed.products)} products, {len(seed.customers)} customers, {len(seed.orders)} orders "
        f"({len(files)} files) under {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
