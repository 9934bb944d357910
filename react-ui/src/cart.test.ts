import { describe, expect, it } from "vitest";
import {
  CART_KEY,
  MAX_PER_LINE,
  addToCart,
  cartTotal,
  itemCount,
  loadCart,
  orderItems,
  removeFromCart,
  saveCart,
  setQuantity,
} from "./cart";
import { product } from "./test/harness";

describe("cart", () => {
  it("adds a product and merges repeated adds into one line", () => {
    let { cart } = addToCart([], product(), 1);
    ({ cart } = addToCart(cart, product(), 2));
    expect(cart).toHaveLength(1);
    expect(cart[0].quantity).toBe(3);
    expect(itemCount(cart)).toBe(3);
  });

  it("refuses an out-of-stock product", () => {
    const result = addToCart([], product({ stock: 0 }));
    expect(result.reason).toBe("out_of_stock");
    expect(result.cart).toEqual([]);
  });

  it("never holds more than the stock, nor more than the API's per-line limit", () => {
    const last = addToCart([], product({ stock: 1 }), 1);
    const again = addToCart(last.cart, product({ stock: 1 }), 1);
    expect(again.added).toBe(0);
    expect(again.reason).toBe("limit");
    expect(again.cart[0].quantity).toBe(1);
    const many = addToCart([], product({ stock: 500 }), 99);
    expect(many.cart[0].quantity).toBe(MAX_PER_LINE);
  });

  it("changes quantities within the limits and removes lines", () => {
    const { cart } = addToCart([], product({ stock: 3 }), 1);
    expect(setQuantity(cart, "p-0001", 2)[0].quantity).toBe(2);
    expect(setQuantity(cart, "p-0001", 9)[0].quantity).toBe(3);
    expect(setQuantity(cart, "p-0001", 0)).toEqual([]);
    expect(removeFromCart(cart, "p-0001")).toEqual([]);
  });

  it("totals price × quantity in minor units and sends only ids and quantities", () => {
    let { cart } = addToCart([], product({ price: 1999 }), 2);
    ({ cart } = addToCart(cart, product({ id: "p-0002", price: 500 }), 1));
    expect(cartTotal(cart)).toEqual({ amount: 4498, currency: "EUR" });
    expect(orderItems(cart)).toEqual([
      { product_id: "p-0001", quantity: 2 },
      { product_id: "p-0002", quantity: 1 },
    ]);
  });

  it("persists in localStorage and survives a corrupt entry", () => {
    const { cart } = addToCart([], product(), 2);
    saveCart(cart);
    expect(loadCart()).toEqual(cart);
    localStorage.setItem(CART_KEY, "{not json");
    expect(loadCart()).toEqual([]);
  });
});
