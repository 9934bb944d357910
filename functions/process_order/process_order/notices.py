"""The mails a customer gets (through SNS), in the customer's language, with the order's summary.

Kept in Process Order because the workflow publishes what a step returns: the text is rendered where the order
is read. No internal detail ever reaches a notice: a failure is told by its code's message.
"""

from __future__ import annotations

from typing import Any

from shared.orders import Order

_TEXTS: dict[str, dict[str, str]] = {
    "es": {
        "PAID": "Hemos recibido tu pedido {number} y confirmado el pago.",
        "SHIPPED": "Tu pedido {number} ya está en camino. Número de seguimiento: {tracking}.",
        "CANCELLED": "Hemos cancelado tu pedido {number}. Te devolvemos el importe completo.",
        "FAILED": "No hemos podido completar tu pedido {number}: {reason} No se te ha cobrado nada.",
        "PAYMENT_FAILED": "No hemos podido completar tu pedido {number}: {reason} No se te ha cobrado nada.",
        "subject.PAID": "Pedido {number} confirmado",
        "subject.SHIPPED": "Pedido {number} enviado",
        "subject.CANCELLED": "Pedido {number} cancelado",
        "subject.FAILED": "Pedido {number} no completado",
        "subject.PAYMENT_FAILED": "Pedido {number} no completado",
        "summary": "Resumen del pedido",
        "total": "Total",
        "ship_to": "Envío a",
        "reference": "Referencia",
        "signature": "Gracias por comprar en Tienda.",
        "reason.payment_declined": "el banco no ha autorizado el pago.",
        "reason.address_undeliverable": "la empresa de transporte no entrega en la dirección indicada.",
        "reason.shipment_refused": "la empresa de transporte no ha aceptado el envío.",
        "reason.processing_failed": "se produjo un error al procesarlo.",
    },
    "en": {
        "PAID": "We have received your order {number} and confirmed the payment.",
        "SHIPPED": "Your order {number} is on its way. Tracking number: {tracking}.",
        "CANCELLED": "We have cancelled your order {number}. You get the full amount back.",
        "FAILED": "We could not complete your order {number}: {reason} You have not been charged.",
        "PAYMENT_FAILED": "We could not complete your order {number}: {reason} You have not been charged.",
        "subject.PAID": "Order {number} confirmed",
        "subject.SHIPPED": "Order {number} shipped",
        "subject.CANCELLED": "Order {number} cancelled",
        "subject.FAILED": "Order {number} not completed",
        "subject.PAYMENT_FAILED": "Order {number} not completed",
        "summary": "Order summary",
        "total": "Total",
        "ship_to": "Ship to",
        "reference": "Reference",
        "signature": "Thank you for shopping at Tienda.",
        "reason.payment_declined": "the bank did not authorize the payment.",
        "reason.address_undeliverable": "the carrier does not deliver to the address given.",
        "reason.shipment_refused": "the carrier did not accept the shipment.",
        "reason.processing_failed": "an error occurred while processing it.",
    },
}


def money(minor: int, currency: str, locale: str) -> str:
    whole, cents = divmod(abs(minor), 100)
    if locale == "es":
        grouped = f"{whole:,}".replace(",", ".")
        return f"{'-' if minor < 0 else ''}{grouped},{cents:02d} {'€' if currency == 'EUR' else currency}"
    symbol = "€" if currency == "EUR" else f"{currency} "
    return f"{'-' if minor < 0 else ''}{symbol}{whole:,}.{cents:02d}"


def render_notice(order: Order) -> dict[str, Any]:
    """Subject and text of the notice for the order's current status, and who receives it (SNS attributes)."""
    texts = _TEXTS.get(order.locale, _TEXTS["es"])
    reason = texts.get(f"reason.{order.failure_code or 'processing_failed'}", texts["reason.processing_failed"])
    tracking = order.shipment.tracking_number if order.shipment else ""
    fill = {"number": order.number, "tracking": tracking, "reason": reason}
    lines = [texts[order.status].format(**fill), "", f"{texts['reference']}: {order.id}", "", texts["summary"] + ":"]
    for item in order.items:
        name = item.name.en if order.locale == "en" else item.name.es
        line_total = money(item.unit_price * item.quantity, order.currency, order.locale)
        lines.append(f"  {item.quantity} x {name}: {line_total}")
    lines.append(f"{texts['total']}: {money(order.total, order.currency, order.locale)}")
    if order.status in ("PAID", "SHIPPED"):
        a = order.address
        lines += ["", f"{texts['ship_to']}: {a.name}, {a.line1}, {a.postal_code} {a.city} ({a.country})"]
    lines += ["", texts["signature"]]
    return {
        "subject": texts[f"subject.{order.status}"].format(**fill),
        "text": "\n".join(lines),
        "recipient": order.email or "unknown",
        "locale": order.locale,
        "status": order.status,
    }
