import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { CART_KEY } from "../cart";
import { mockFetch, on, product, renderApp } from "../test/harness";

describe("catalog and product page", () => {
  it("searches, filters by category and loads the next page with next_token", async () => {
    const calls = mockFetch(
      on("GET", "/api/categories", { status: 200, body: [{ id: "hogar", name: { es: "Hogar", en: "Home" }, count: 9 }] }),
      on("GET", /\/api\/products\?.*next_token=t2/, { status: 200, body: { items: [product({ id: "p-0002", name: { es: "Lámpara", en: "Lamp" } })], next_token: null } }),
      on("GET", /\/api\/products\?/, { status: 200, body: { items: [product({ stock: 0 })], next_token: "t2" } }),
    );
    const user = userEvent.setup();
    renderApp("/");
    expect(await screen.findByText("Agotado")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cargar más productos" }));
    expect(await screen.findByRole("link", { name: "Lámpara" })).toHaveFocus();

    await user.type(screen.getByLabelText("Buscar productos"), "lámpara");
    await user.click(screen.getByRole("button", { name: "Buscar" }));
    await user.click(await screen.findByRole("button", { name: /Hogar/ }));
    await waitFor(() => expect(screen.getByRole("button", { name: /Hogar/ })).toHaveAttribute("aria-pressed", "true"));
    const urls = calls.map((c) => decodeURIComponent(c.url));
    expect(urls).toContain("/api/products?q=lámpara&limit=12");
    expect(urls).toContain("/api/products?category=hogar&q=lámpara&limit=12");
  });

  it("a sold-out product cannot be added to the cart", async () => {
    mockFetch(on("GET", "/api/products/p-0004", { status: 200, body: product({ id: "p-0004", stock: 0 }) }));
    renderApp("/products/p-0004");
    expect(await screen.findByText("Este producto está agotado y no se puede añadir al carrito.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Añadir al carrito" })).toBeNull();
  });

  it("adds to the cart up to the stock, then says why it cannot add more", async () => {
    mockFetch(on("GET", "/api/products/p-0007", { status: 200, body: product({ id: "p-0007", stock: 1 }) }));
    const user = userEvent.setup();
    renderApp("/products/p-0007");
    await user.click(await screen.findByRole("button", { name: "Añadir al carrito" }));
    expect(await screen.findByText(/añadido al carrito/)).toBeInTheDocument();
    expect(screen.getByTestId("cart-link")).toHaveTextContent("Carrito (1)");
    await user.click(screen.getByRole("button", { name: "Añadir al carrito" }));
    expect(await screen.findByText(/Solo quedan 1 unidades/)).toBeInTheDocument();
    expect(JSON.parse(localStorage.getItem(CART_KEY)!)[0].quantity).toBe(1);
  });

  it("an unknown product (the edge's HTML fallback, not JSON) reads as not found", async () => {
    mockFetch(on("GET", "/api/products/p-9999", { status: 200, body: "<!doctype html>", contentType: "text/html" }));
    renderApp("/products/p-9999");
    expect(await screen.findByRole("heading", { name: "Este producto no existe." })).toBeInTheDocument();
  });

  it("the cart page changes quantities, removes lines and totals", async () => {
    mockFetch();
    localStorage.setItem(
      CART_KEY,
      JSON.stringify([
        { product_id: "p-0001", name: { es: "Uno", en: "One" }, price: 1000, currency: "EUR", image: "/i.svg", stock: 5, quantity: 1 },
        { product_id: "p-0002", name: { es: "Dos", en: "Two" }, price: 250, currency: "EUR", image: "/i.svg", stock: 5, quantity: 2 },
      ]),
    );
    const user = userEvent.setup();
    renderApp("/cart");
    const total = () => screen.getByTestId("cart-total").textContent!.replace(/\u00a0/g, " ");
    expect(total()).toBe("15,00 €");
    const qty = screen.getByLabelText("Cantidad de Uno");
    await user.clear(qty);
    await user.type(qty, "3");
    expect(total()).toBe("35,00 €");
    await user.click(screen.getByRole("button", { name: "Quitar Dos del carrito" }));
    expect(total()).toBe("30,00 €");
    expect(screen.getByRole("status", { hidden: true })).toHaveTextContent("«Dos» quitado del carrito.");
  });
});
