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


def _line(d: str, width: int, colour: str = "#fff") -> str:
    return f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-linecap="round"/>'


CUT = 'fill="{bg}"'  # a detail cut out of a white shape, in the background colour
_KEYS = "".join(  # a keyboard's keys
    f'<rect x="{-54 + 14 * k + 4 * row}" y="{-20 + 13 * row}" width="10" height="9" rx="2" {CUT}/>'
    for row in range(3)
    for k in range(7 - (row == 2))
)
_HOLES = "".join(  # a padel racket's holes
    f'<circle cx="{x}" cy="{y}" r="4" {CUT}/>'
    for x in (-20, -7, 7, 20)
    for y in (-42, -28, -14, 0)
    if x * x + y * y < 1400
)

# What a product's image shows: a white drawing of the product's kind around (0, 0), about 130 px wide,
# on its category's colour. No words and no ids: the storefront names the product, in the shopper's
# language, beside the image. `{bg}` is the background colour, for details cut out of a shape.
# fmt: off
ICONS: dict[str, str] = {
    # electronica
    "headphones": (
        _line("M-44,14 V-2 A44,44 0 0 1 44,-2 V14", 9)
        + '<rect x="-60" y="2" width="28" height="48" rx="11" fill="#fff"/>'
        + '<rect x="32" y="2" width="28" height="48" rx="11" fill="#fff"/>'
    ),
    "speaker": (
        '<rect x="-34" y="-54" width="68" height="108" rx="16" fill="#fff"/>'
        + '<circle cy="14" r="24" fill="{bg}"/><circle cy="14" r="10" fill="#fff"/>'
        + '<circle cy="-32" r="9" fill="{bg}"/>'
    ),
    "keyboard": (
        '<rect x="-62" y="-28" width="124" height="58" rx="6" fill="#fff"/>'
        + _KEYS
        + '<rect x="-26" y="19" width="52" height="7" rx="2" fill="{bg}"/>'
    ),
    "mouse": (
        '<rect x="-30" y="-50" width="60" height="100" rx="30" fill="#fff"/>'
        + _line("M0,-50 V-16", 4, "{bg}")
        + '<rect x="-5" y="-40" width="10" height="16" rx="5" fill="{bg}"/>'
    ),
    "monitor": (
        '<rect x="-58" y="-46" width="116" height="72" rx="6" fill="none" stroke="#fff" stroke-width="8"/>'
        + '<rect x="-7" y="26" width="14" height="16" fill="#fff"/>'
        + '<rect x="-30" y="42" width="60" height="8" rx="3" fill="#fff"/>'
    ),
    "laptop": (
        '<rect x="-44" y="-44" width="88" height="60" rx="5" fill="none" stroke="#fff" stroke-width="7"/>'
        + '<polygon points="-62,22 62,22 54,36 -54,36" fill="#fff"/>'
    ),
    "charger": (
        '<rect x="-16" y="-54" width="8" height="26" fill="#fff"/>'
        + '<rect x="8" y="-54" width="8" height="26" fill="#fff"/>'
        + '<rect x="-32" y="-32" width="64" height="62" rx="10" fill="#fff"/>'
        + '<polygon points="5,-22 -11,4 0,4 -5,22 11,-4 0,-4" fill="{bg}"/>'
        + _line("M0,30 V42 Q0,54 14,54 H44", 6)
    ),
    "smartwatch": (
        '<rect x="-19" y="-60" width="38" height="120" rx="8" fill="#fff"/>'
        + '<rect x="-34" y="-34" width="68" height="68" rx="16" fill="#fff"/>'
        + '<rect x="-25" y="-25" width="50" height="50" rx="10" fill="{bg}"/>'
        + _line("M0,-14 V0 H12", 5)
    ),
    # hogar
    "coffee-maker": (
        '<rect x="-46" y="-56" width="30" height="110" rx="4" fill="#fff"/>'
        + '<rect x="-46" y="-56" width="92" height="26" rx="5" fill="#fff"/>'
        + '<rect x="-46" y="44" width="92" height="10" rx="3" fill="#fff"/>'
        + '<path d="M-6,-4 H34 L30,40 H-2 Z" fill="#fff"/>'
        + _line("M34,6 H44 V24 H32", 5)
    ),
    "frying-pan": (
        '<circle cx="-16" cy="4" r="44" fill="#fff"/><circle cx="-16" cy="4" r="33" fill="{bg}"/>'
        + '<rect x="22" y="-2" width="46" height="13" rx="6" fill="#fff" transform="rotate(-20 22 4)"/>'
    ),
    "table-lamp": (
        '<polygon points="-28,-54 28,-54 48,-8 -48,-8" fill="#fff"/>'
        + '<rect x="-4" y="-8" width="8" height="50" fill="#fff"/>'
        + '<rect x="-34" y="40" width="68" height="12" rx="5" fill="#fff"/>'
    ),
    "bed": (
        '<rect x="-62" y="-46" width="11" height="92" rx="3" fill="#fff"/>'
        + '<rect x="51" y="-12" width="11" height="58" rx="3" fill="#fff"/>'
        + '<rect x="-62" y="-8" width="124" height="34" rx="4" fill="#fff"/>'
        + '<rect x="-44" y="-30" width="36" height="18" rx="7" fill="#fff"/>'
        + _line("M-2,-8 Q20,4 50,-8", 3, "{bg}")
    ),
    "vacuum": (
        _line("M26,-58 L-8,38", 8)
        + '<rect x="10" y="-44" width="22" height="42" rx="9" fill="#fff" transform="rotate(19 21 -23)"/>'
        + '<rect x="-44" y="34" width="60" height="16" rx="7" fill="#fff"/>'
    ),
    "tumblers": (
        '<polygon points="-50,-46 -10,-46 -15,50 -45,50" fill="#fff"/>'
        + '<polygon points="10,-46 50,-46 45,50 15,50" fill="#fff"/>'
        + '<rect x="-48" y="-22" width="36" height="5" fill="{bg}"/>'
        + '<rect x="12" y="-22" width="36" height="5" fill="{bg}"/>'
    ),
    "cushion": (
        '<path d="M-52,-46 Q0,-30 52,-46 Q38,0 52,46 Q0,30 -52,46 Q-38,0 -52,-46 Z" fill="#fff"/>'
        + '<circle r="6" fill="{bg}"/>'
    ),
    "kettle": (
        '<path d="M-36,48 L-30,-20 Q-28,-34 -14,-34 H14 Q28,-34 30,-20 L36,48 Z" fill="#fff"/>'
        + _line("M-30,0 L-56,-26", 9)
        + _line("M30,-22 Q60,-22 52,24", 8)
        + '<rect x="-11" y="-46" width="22" height="12" rx="4" fill="#fff"/>'
        + '<rect x="-42" y="46" width="84" height="9" rx="3" fill="#fff"/>'
    ),
    # deportes
    "football": (
        '<circle r="52" fill="none" stroke="#fff" stroke-width="8"/>'
        + '<polygon points="0,-18 17,-6 11,15 -11,15 -17,-6" fill="#fff"/>'
        + _line("M0,-18 V-46 M17,-6 L44,-16 M11,15 L28,40 M-11,15 L-28,40 M-17,-6 L-44,-16", 5)
    ),
    "yoga-mat": (
        '<rect x="-62" y="16" width="100" height="14" rx="3" fill="#fff"/>'
        + '<circle cx="34" cy="-6" r="36" fill="#fff"/><circle cx="34" cy="-6" r="24" fill="{bg}"/>'
        + '<circle cx="34" cy="-6" r="12" fill="#fff"/><circle cx="34" cy="-6" r="5" fill="{bg}"/>'
    ),
    "dumbbell": (
        '<rect x="-42" y="-6" width="84" height="12" fill="#fff"/>'
        + '<rect x="-58" y="-32" width="17" height="64" rx="4" fill="#fff"/>'
        + '<rect x="41" y="-32" width="17" height="64" rx="4" fill="#fff"/>'
        + '<rect x="-68" y="-20" width="11" height="40" rx="3" fill="#fff"/>'
        + '<rect x="57" y="-20" width="11" height="40" rx="3" fill="#fff"/>'
    ),
    "running-shoe": (
        '<path d="M-60,26 V-8 Q-60,-24 -44,-24 H-30 Q-20,0 6,0 L42,8 Q62,12 62,28 V36 H-60 Z" fill="#fff"/>'
        + '<rect x="-60" y="24" width="122" height="4" fill="{bg}"/>'
        + _line("M-22,-10 L-14,-18 M-12,-4 L-4,-12", 4, "{bg}")
    ),
    "padel-racket": (
        '<ellipse cy="-20" rx="40" ry="44" fill="#fff"/>'
        + '<rect x="-8" y="18" width="16" height="42" rx="5" fill="#fff"/>'
        + _HOLES
    ),
    "bottle": (
        '<rect x="-24" y="-38" width="48" height="94" rx="13" fill="#fff"/>'
        + '<rect x="-15" y="-56" width="30" height="20" rx="4" fill="#fff"/>'
        + '<rect x="-24" y="-14" width="48" height="6" fill="{bg}"/>'
    ),
    "jump-rope": (
        _line("M-40,-22 Q-44,72 0,56 Q44,72 40,-22", 5)
        + '<rect x="-49" y="-60" width="18" height="40" rx="8" fill="#fff"/>'
        + '<rect x="31" y="-60" width="18" height="40" rx="8" fill="#fff"/>'
    ),
    "exercise-bike": (
        '<rect x="-58" y="44" width="116" height="9" rx="4" fill="#fff"/>'
        + '<circle cx="-30" cy="18" r="22" fill="none" stroke="#fff" stroke-width="7"/>'
        + _line("M-30,18 L-42,-44 M-52,-46 H-30 M-30,18 L24,8 M22,46 L22,-26 M6,-30 H38", 7)
    ),
    # libros
    "book": (
        '<rect x="-46" y="-54" width="92" height="108" rx="4" fill="#fff"/>'
        + '<rect x="-35" y="-54" width="8" height="108" fill="{bg}"/>'
        + '<rect x="-16" y="-32" width="48" height="7" fill="{bg}"/>'
        + '<rect x="-16" y="-16" width="36" height="7" fill="{bg}"/>'
    ),
    # moda
    "t-shirt": (
        '<polygon points="-20,-48 -60,-25 -46,3 -31,-8 -31,52 31,52 31,-8 46,3 60,-25 20,-48 0,-36" fill="#fff"/>'
    ),
    "jeans": (
        '<path d="M-36,-56 H36 L42,56 H10 L0,-12 L-10,56 H-42 Z" fill="#fff"/>'
        + '<rect x="-36" y="-46" width="72" height="4" fill="{bg}"/>'
    ),
    "jacket": (
        '<polygon points="-20,-52 -52,-36 -62,42 -45,44 -37,-8 -37,56 37,56 37,-8 45,44 62,42 52,-36 '
        '20,-52 0,-42" fill="#fff"/>'
        + _line("M0,-42 V56", 4, "{bg}")
        + _line("M-20,-52 Q0,-66 20,-52", 6)
    ),
    "sweater": (
        '<polygon points="-20,-50 -52,-34 -62,44 -45,46 -37,-6 -37,54 37,54 37,-6 45,46 62,44 52,-34 '
        '20,-50 0,-40" fill="#fff"/>'
        + _line("M-37,44 H37 M-62,36 L-46,38 M62,36 L46,38", 3, "{bg}")
    ),
    "scarf": (
        '<path d="M-46,-42 Q0,-64 46,-42 L42,-22 Q0,-42 -42,-22 Z" fill="#fff"/>'
        + '<rect x="8" y="-34" width="24" height="80" rx="4" fill="#fff" transform="rotate(-8 20 6)"/>'
        + _line("M14,50 V58 M22,50 V58 M30,48 V56", 3)
    ),
    "sunglasses": (
        _line("M-62,-16 H62", 6)
        + '<path d="M-58,-16 H-8 Q-8,24 -33,24 Q-58,24 -58,-16 Z" fill="#fff"/>'
        + '<path d="M8,-16 H58 Q58,24 33,24 Q8,24 8,-16 Z" fill="#fff"/>'
    ),
    "backpack": (
        _line("M-18,-42 V-50 Q-18,-60 -8,-60 H8 Q18,-60 18,-50 V-42", 7)
        + '<rect x="-42" y="-42" width="84" height="98" rx="22" fill="#fff"/>'
        + '<rect x="-27" y="8" width="54" height="32" rx="6" fill="{bg}"/>'
        + '<rect x="-23" y="12" width="46" height="24" rx="4" fill="#fff"/>'
    ),
    "belt": (
        '<rect x="-64" y="-9" width="128" height="18" fill="#fff"/>'
        + '<rect x="-34" y="-24" width="40" height="48" rx="6" fill="none" stroke="#fff" stroke-width="7"/>'
        + '<circle cx="26" r="3.5" fill="{bg}"/><circle cx="38" r="3.5" fill="{bg}"/>'
        + '<circle cx="50" r="3.5" fill="{bg}"/>'
    ),
    # juguetes
    "building-blocks": (
        '<rect x="-48" y="-12" width="16" height="14" rx="3" fill="#fff"/>'
        + '<rect x="-22" y="-12" width="16" height="14" rx="3" fill="#fff"/>'
        + '<rect x="4" y="-12" width="16" height="14" rx="3" fill="#fff"/>'
        + '<rect x="30" y="-12" width="16" height="14" rx="3" fill="#fff"/>'
        + '<rect x="-34" y="-60" width="16" height="14" rx="3" fill="#fff"/>'
        + '<rect x="-8" y="-60" width="16" height="14" rx="3" fill="#fff"/>'
        + '<rect x="-56" y="2" width="112" height="50" rx="4" fill="#fff"/>'
        + '<rect x="-42" y="-46" width="84" height="44" rx="4" fill="#fff"/>'
        + '<rect x="-56" y="-2" width="112" height="4" fill="{bg}"/>'
    ),
    "puzzle": (
        '<path d="M-42,-42 H-12 A13,13 0 1 1 12,-42 H42 V-12 A13,13 0 1 1 42,12 V42 H12 A13,13 0 1 0 '
        '-12,42 H-42 V12 A13,13 0 1 0 -42,-12 Z" fill="#fff"/>'
    ),
    "rc-car": (
        _line("M40,-16 L52,-54", 3)
        + '<path d="M-60,16 V-2 Q-60,-12 -50,-14 L-32,-16 L-18,-38 H24 L40,-16 L52,-14 Q62,-12 62,-2 V16 '
          'Z" fill="#fff"/>'
        + '<circle cx="-32" cy="20" r="21" fill="{bg}"/><circle cx="32" cy="20" r="21" fill="{bg}"/>'
        + '<circle cx="-32" cy="20" r="16" fill="#fff"/><circle cx="32" cy="20" r="16" fill="#fff"/>'
        + '<circle cx="-32" cy="20" r="6" fill="{bg}"/><circle cx="32" cy="20" r="6" fill="{bg}"/>'
        + '<rect x="-10" y="-32" width="26" height="14" rx="2" fill="{bg}"/>'
    ),
    "teddy-bear": (
        '<circle cx="-25" cy="-48" r="13" fill="#fff"/><circle cx="25" cy="-48" r="13" fill="#fff"/>'
        + '<ellipse cy="30" rx="36" ry="30" fill="#fff"/><circle cx="-40" cy="14" r="12" fill="#fff"/>'
        + '<circle cx="40" cy="14" r="12" fill="#fff"/><circle cy="-28" r="29" fill="#fff"/>'
        + '<circle cx="-25" cy="-48" r="6" fill="{bg}"/><circle cx="25" cy="-48" r="6" fill="{bg}"/>'
        + '<circle cx="-10" cy="-32" r="4" fill="{bg}"/><circle cx="10" cy="-32" r="4" fill="{bg}"/>'
        + '<ellipse cy="-18" rx="7" ry="5" fill="{bg}"/>'
    ),
    "board-game": (
        '<rect x="-60" y="-18" width="58" height="58" rx="10" fill="#fff"/>'
        + '<circle cx="-45" cy="-3" r="5" fill="{bg}"/><circle cx="-31" cy="11" r="5" fill="{bg}"/>'
        + '<circle cx="-17" cy="25" r="5" fill="{bg}"/><circle cx="32" cy="-32" r="13" fill="#fff"/>'
        + '<path d="M20,40 L26,-18 H38 L44,40 Z" fill="#fff"/>'
        + '<rect x="13" y="36" width="38" height="11" rx="3" fill="#fff"/>'
    ),
    "play-kitchen": (
        '<rect x="-30" y="-68" width="42" height="22" rx="4" fill="#fff"/>'
        + '<rect x="-52" y="-46" width="104" height="8" rx="3" fill="#fff"/>'
        + '<rect x="-52" y="-34" width="104" height="90" rx="6" fill="#fff"/>'
        + '<rect x="-38" y="2" width="76" height="42" rx="4" fill="{bg}"/>'
        + '<circle cx="-30" cy="-18" r="6" fill="{bg}"/><circle cx="-10" cy="-18" r="6" fill="{bg}"/>'
        + '<circle cx="10" cy="-18" r="6" fill="{bg}"/><circle cx="30" cy="-18" r="6" fill="{bg}"/>'
    ),
    "science-kit": (
        '<path d="M-12,-30 L-46,42 Q-52,56 -36,56 H36 Q52,56 46,42 L12,-30 Z" fill="#fff"/>'
        + '<path d="M-12,-30 L-28,4 H28 L12,-30 Z" fill="{bg}"/>'
        + '<rect x="-16" y="-58" width="32" height="30" rx="3" fill="#fff"/>'
        + '<rect x="-9" y="-52" width="18" height="24" fill="{bg}"/><circle cx="-8" cy="30" r="6" fill="{bg}"/>'
        + '<circle cx="12" cy="20" r="4" fill="{bg}"/>'
    ),
    "doll": (
        '<path d="M-22,-36 Q-24,-62 0,-60 Q24,-62 22,-36 L26,-6 H-26 Z" fill="#fff"/>'
        + '<circle cy="-36" r="17" fill="{bg}"/><circle cy="-36" r="14" fill="#fff"/>'
        + '<polygon points="0,-18 36,46 -36,46" fill="#fff"/>'
        + _line("M-14,-10 L-34,14 M14,-10 L34,14 M-10,46 V60 M10,46 V60", 7)
    ),
    # jardin
    "hose": (
        '<circle r="36" fill="none" stroke="#fff" stroke-width="8"/>'
        + '<circle r="20" fill="none" stroke="#fff" stroke-width="8"/><circle r="6" fill="#fff"/>'
        + _line("M34,14 Q56,36 38,54", 8)
        + '<rect x="14" y="48" width="26" height="12" rx="4" fill="#fff"/>'
    ),
    "garden-tools": (
        '<g transform="rotate(-28)"><rect x="-5" y="0" width="10" height="56" rx="4" fill="#fff"/>'
        + '<path d="M0,-58 Q24,-30 15,0 H-15 Q-24,-30 0,-58 Z" fill="#fff"/></g><g transform="rotate(28)">'
        + '<rect x="-4" y="-12" width="8" height="68" rx="3" fill="#fff"/>'
        + _line("M-22,-14 H22 M-22,-14 V-44 M-7,-14 V-44 M7,-14 V-44 M22,-14 V-44", 6)
        + "</g>"
    ),
    "plant-pot": (
        '<polygon points="-38,4 38,4 30,56 -30,56" fill="#fff"/>'
        + '<rect x="-44" y="-8" width="88" height="15" rx="3" fill="#fff"/>'
        + _line("M0,-8 V-44", 5)
        + '<ellipse cx="-18" cy="-36" rx="20" ry="9" fill="#fff" transform="rotate(-30 -18 -36)"/>'
        + '<ellipse cx="18" cy="-48" rx="20" ry="9" fill="#fff" transform="rotate(30 18 -48)"/>'
    ),
    "seeds": (
        '<rect x="-40" y="-56" width="80" height="112" rx="4" fill="#fff"/>'
        + _line("M-40,-42 H40", 3, "{bg}")
        + '<circle cy="8" r="26" fill="{bg}"/>'
        + '<polygon points="0,-22 4,-13 13,-15 7,-8 11,0 0,-6 -11,0 -7,-8 -13,-15 -4,-13" fill="#fff"/>'
    ),
    "solar-light": (
        '<rect x="-4" y="2" width="8" height="56" fill="#fff"/>'
        + '<rect x="-20" y="-22" width="40" height="26" rx="4" fill="#fff"/>'
        + '<polygon points="-28,-22 28,-22 20,-38 -20,-38" fill="#fff"/>'
        + '<circle cx="40" cy="-48" r="10" fill="#fff"/>'
        + _line("M40,-66 V-62 M58,-48 H54 M27,-61 L30,-58 M53,-61 L50,-58", 3)
    ),
    "pruning-shears": (
        '<g transform="rotate(-16)"><path d="M-3,-60 Q12,-30 5,0 H-5 Z" fill="#fff"/>'
        + '<rect x="-6" y="0" width="12" height="56" rx="6" fill="#fff"/></g><g transform="rotate(16)">'
        + '<path d="M3,-60 Q-12,-30 -5,0 H5 Z" fill="#fff"/>'
        + '<rect x="-6" y="0" width="12" height="56" rx="6" fill="#fff"/></g><circle r="8" fill="{bg}"/>'
        + '<circle r="4" fill="#fff"/>'
    ),
    "lounger": (
        '<path d="M-58,8 H20 L48,-38" fill="none" stroke="#fff" stroke-width="11" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        + _line("M-48,8 L-58,46 M12,8 L26,46 M-20,8 L-8,46", 6)
    ),
    "compost-bin": (
        '<polygon points="-42,-30 42,-30 35,56 -35,56" fill="#fff"/>'
        + '<rect x="-50" y="-46" width="100" height="15" rx="4" fill="#fff"/>'
        + '<rect x="-9" y="-56" width="18" height="11" rx="3" fill="#fff"/>'
        + '<rect x="-22" y="30" width="44" height="17" rx="2" fill="{bg}"/>'
        + '<path d="M-13,16 Q-15,-12 16,-14 Q14,14 -13,16 Z" fill="{bg}"/>'
    ),
    # belleza
    "cream-jar": (
        '<rect x="-48" y="-18" width="96" height="58" rx="10" fill="#fff"/>'
        + '<rect x="-52" y="-40" width="104" height="23" rx="6" fill="#fff"/>'
        + '<rect x="-48" y="-18" width="96" height="4" fill="{bg}"/>'
    ),
    "soap-bar": (
        '<rect x="-52" y="-14" width="104" height="58" rx="22" fill="#fff"/>'
        + '<circle cx="-30" cy="-34" r="11" fill="#fff"/><circle cx="-6" cy="-46" r="7" fill="#fff"/>'
        + '<circle cx="14" cy="-32" r="9" fill="#fff"/><circle cx="34" cy="-52" r="5" fill="#fff"/>'
        + '<rect x="-36" y="8" width="72" height="14" rx="7" fill="{bg}"/>'
    ),
    "hair-dryer": (
        '<rect x="-32" y="-46" width="84" height="48" rx="24" fill="#fff"/>'
        + '<polygon points="-30,-38 -60,-32 -60,-12 -30,-8" fill="#fff"/>'
        + '<rect x="14" y="-6" width="22" height="60" rx="9" fill="#fff" transform="rotate(12 25 -6)"/>'
        + '<circle cx="28" cy="-22" r="11" fill="{bg}"/>'
    ),
    "perfume": (
        '<rect x="-38" y="-10" width="76" height="66" rx="12" fill="#fff"/>'
        + '<rect x="-10" y="-28" width="20" height="20" fill="#fff"/>'
        + '<rect x="-19" y="-46" width="38" height="19" rx="4" fill="#fff"/>'
        + '<circle cx="-40" cy="-48" r="9" fill="#fff"/>'
        + _line("M-31,-44 H-19", 4)
        + '<rect x="-22" y="12" width="44" height="22" rx="3" fill="{bg}"/>'
    ),
    "sunscreen": (
        '<path d="M-30,-44 H30 L21,40 H-21 Z" fill="#fff"/>'
        + '<rect x="-15" y="40" width="30" height="16" rx="3" fill="#fff"/>'
        + '<circle cy="-10" r="11" fill="{bg}"/>'
        + _line("M0,-30 V-27 M0,7 V10 M-20,-10 H-17 M17,-10 H20", 3, "{bg}")
    ),
    "makeup-brush": (
        '<g transform="rotate(-14)"><rect x="-5" y="-4" width="10" height="62" rx="4" fill="#fff"/>'
        + '<rect x="-9" y="-20" width="18" height="17" fill="#fff"/>'
        + '<path d="M-9,-20 Q-24,-46 0,-62 Q24,-46 9,-20 Z" fill="#fff"/></g>'
        + '<g transform="translate(30 8) rotate(16)">'
        + '<rect x="-4" y="-4" width="8" height="50" rx="3" fill="#fff"/>'
        + '<rect x="-7" y="-16" width="14" height="13" fill="#fff"/>'
        + '<path d="M-7,-16 L-3,-40 H3 L7,-16 Z" fill="#fff"/></g>'
    ),
    "toothbrush": (
        '<rect x="-15" y="-22" width="30" height="80" rx="13" fill="#fff"/>'
        + '<rect x="-6" y="-52" width="12" height="34" rx="4" fill="#fff"/>'
        + '<rect x="-10" y="-64" width="20" height="16" rx="3" fill="#fff"/><circle cy="8" r="7" fill="{bg}"/>'
        + _line("M-5,-64 V-58 M0,-64 V-58 M5,-64 V-58", 2, "{bg}")
    ),
    "oil-bottle": (
        '<path d="M-42,10 Q-42,-20 -12,-26 V-42 H12 V-26 Q42,-20 42,10 V46 Q42,56 32,56 H-32 Q-42,56 '
        '-42,46 Z" fill="#fff"/>'
        + '<rect x="-9" y="-60" width="18" height="20" rx="6" fill="#fff"/>'
        + '<path d="M-14,26 Q0,0 14,26 Q14,40 0,40 Q-14,40 -14,26 Z" fill="{bg}"/>'
    ),
}
# fmt: on


def _shade(colour: str, step: int) -> str:
    """The category colour darkened a little per product, so neighbours in a category differ."""
    factor = 1 - 0.06 * (step % 6)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def product_svg(pid: str, product: Product, category: Category, step: int) -> str:
    """The product's kind drawn large on its category's colour; decorative (the page gives the alt text)."""
    bg = _shade(category.colour, step)
    dots = "".join(
        f'<circle cx="{_h(f"dot:{pid}:{k}:x") % 400}" cy="{_h(f"dot:{pid}:{k}:y") % 300}" '
        f'r="{20 + _h(f"dot:{pid}:{k}:r") % 50}" fill="#fff" fill-opacity="0.10"/>'
        for k in range(3)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">\n'
        f'<rect width="400" height="300" fill="{bg}"/>\n'
        f"{dots}\n"
        f'<g transform="translate(200 150) scale(1.6)">{ICONS[product.icon].format(bg=bg)}</g>\n'
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
