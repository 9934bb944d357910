/** The cart: pure functions over a list of lines, persisted in localStorage (it survives logins and expiry). */
import type { LocalizedText, Product } from "./types";

export const MAX_PER_LINE = 20; // the API accepts 1..20 per order line

export interface CartLine {
  product_id: string;
  name: LocalizedText;
  price: number;
  currency: string;
  image: string;
  stock: number;
  quantity: number;
}

export type Cart = CartLine[];

export type AddResult = { cart: Cart; added: number; reason?: "out_of_stock" | "limit" };

/** The most of one product a cart may hold: what is in stock, capped by the API's per-line limit. */
export function maxQuantity(stock: number): number {
  return Math.max(0, Math.min(stock, MAX_PER_LINE));
}

export function addToCart(cart: Cart, product: Product, quantity = 1): AddResult {
  const limit = maxQuantity(product.stock);
  if (limit === 0) return { cart, added: 0, reason: "out_of_stock" };
  const existing = cart.find((line) => line.product_id === product.id);
  const current = existing?.quantity ?? 0;
  const next = Math.min(current + Math.max(1, Math.floor(quantity)), limit);
  if (next === current) return { cart, added: 0, reason: "limit" };
  const line: CartLine = {
    product_id: product.id,
    name: product.name,
    price: product.price,
    currency: product.currency,
    image: product.image,
    stock: product.stock,
    quantity: next,
  };
  const updated = existing
    ? cart.map((l) => (l.product_id === product.id ? line : l))
    : [...cart, line];
  return { cart: updated, added: next - current, reason: next - current < quantity ? "limit" : undefined };
}

export function setQuantity(cart: Cart, productId: string, quantity: number): Cart {
  if (!Number.isFinite(quantity) || quantity < 1) return removeFromCart(cart, productId);
  return cart.map((line) =>
    line.product_id === productId
      ? { ...line, quantity: Math.min(Math.floor(quantity), maxQuantity(line.stock)) || 1 }
      : line,
  );
}

export function removeFromCart(cart: Cart, productId: string): Cart {
  return cart.filter((line) => line.product_id !== productId);
}

export function itemCount(cart: Cart): number {
  return cart.reduce((sum, line) => sum + line.quantity, 0);
}

/** Totals per currency (the seed has one currency; the API refuses mixed-currency orders anyway). */
export function cartTotal(cart: Cart): { amount: number; currency: string } {
  const currency = cart[0]?.currency ?? "EUR";
  return { amount: cart.reduce((sum, line) => sum + line.price * line.quantity, 0), currency };
}

export function orderItems(cart: Cart): { product_id: string; quantity: number }[] {
  return cart.map((line) => ({ product_id: line.product_id, quantity: line.quantity }));
}

export const CART_KEY = "shop.cart";

export function loadCart(storage: Storage = localStorage): Cart {
  try {
    const value: unknown = JSON.parse(storage.getItem(CART_KEY) ?? "[]");
    if (!Array.isArray(value)) return [];
    return value.filter(
      (line): line is CartLine =>
        typeof line === "object" &&
        line !== null &&
        typeof line.product_id === "string" &&
        typeof line.quantity === "number" &&
        typeof line.price === "number",
    );
  } catch {
    return []; // a corrupt entry must not break the shop
  }
}

export function saveCart(cart: Cart, storage: Storage = localStorage): void {
  storage.setItem(CART_KEY, JSON.stringify(cart));
}
