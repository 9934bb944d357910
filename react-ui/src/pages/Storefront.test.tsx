/** Issue 15: a shop a customer would trust - titles, language after login, order numbers, sorting, in-app messages. */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { CART_KEY } from "../cart";
import { App } from "../App";
import { I18nProvider } from "../i18n";
import { ShopProvider } from "../state";
import { cartLine, mockFetch, on, product, putCart, renderApp, signIn } from "../test/harness";
import type { Order } from "../types";

function order(extra: Partial<Order> = {}): Order {
  return {
    id: "o-3f6c2a9e-5d1b-4c7e-9a0f-2b8d4e6f1a3c", customer_id: "c-0001", created_at: "2026-11-28T07:00:00Z",
    updated_at: "2026-11-28T07:00:00Z", status: "PAID", total: 8999, currency: "EUR",
    items: [
      { product_id: "p-0001", name: { es: "Auriculares BT-500", en: "BT-500 headphones" }, unit_price: 7999, quantity: 1 },
      { product_id: "p-0064", name: "Aceite corporal de almendras", unit_price: 1000, quantity: 1 }, // stored before lines kept both names
    ],
    address: { name: "Ana García", line1: "Calle Mayor 1", city: "Madrid", postal_code: "28013", country: "ES" },
    ...extra,
  };
}

const headphones = on("GET", "/api/products/p-0001", { status: 200, body: product() });

describe("page titles", () => {
  it("name the page and the shop, in the shopper's language", async () => {
    signIn();
    mockFetch(
      on("GET", /\/api\/products\?/, { status: 200, body: { items: [product()], next_token: null } }),
      headphones,
      on("GET", /\/api\/orders\/o-/, { status: 200, body: order({ number: "K7Q2-9XJ4" }) }),
      on("GET", /\/api\/orders(\?|$)/, { status: 200, body: { items: [], next_token: null } }),
    );
    const { unmount } = renderApp("/");
    await waitFor(() => expect(document.title).toBe("Catálogo · Tienda"));
    unmount();
    const cases: [string, string, "es" | "en"][] = [
      ["/products/p-0001", "Auriculares BT-500 · Tienda", "es"],
      ["/products/p-0001", "BT-500 headphones · Tienda", "en"],
      ["/cart", "Carrito · Tienda", "es"],
      ["/orders", "My orders · Tienda", "en"],
      [`/orders/${order().id}`, "Pedido K7Q2-9XJ4 · Tienda", "es"],
      ["/login", "Log in · Tienda", "en"],
      ["/nowhere", "Página no encontrada · Tienda", "es"],
    ];
    for (const [path, title, lang] of cases) {
      const view = renderApp(path, lang);
      await waitFor(() => expect(document.title).toBe(title));
      view.unmount();
    }
  });
});

describe("language after login", () => {
  it("switches to the customer's locale and keeps it", async () => {
    mockFetch(
      on("POST", "/api/auth/login", {
        status: 200,
        body: { token: "a.b.c", expires_at: new Date(Date.now() + 3600_000).toISOString(), customer: { id: "c-0002", email: "john@example.com", name: "John Smith", locale: "en" } },
      }),
      on("GET", /\/api\/products\?/, { status: 200, body: { items: [product()], next_token: null } }),
    );
    const user = userEvent.setup();
    renderApp("/login?next=/");
    expect(document.documentElement.lang).toBe("es");
    await user.type(screen.getByLabelText("Correo electrónico"), "john@example.com");
    await user.type(screen.getByLabelText("Contraseña"), "Demo-1234");
    await user.click(screen.getByRole("button", { name: "Entrar" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Catalog" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem("shop.lang")).toBe("en");
    expect(screen.getByText("Hello, John Smith")).toBeInTheDocument();
  });
});

describe("orders", () => {
  it("show the short number next to the id, line names in the shopper's language, and pictures", async () => {
    signIn();
    const calls = mockFetch(on("GET", /\/api\/orders\/o-/, { status: 200, body: order({ number: "K7Q2-9XJ4" }) }), headphones);
    renderApp(`/orders/${order().id}`, "en");
    expect(await screen.findByRole("heading", { level: 1, name: "Order K7Q2-9XJ4" })).toBeInTheDocument();
    expect(screen.getByText(`Reference: ${order().id}`)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "BT-500 headphones" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Aceite corporal de almendras" })).toBeInTheDocument(); // the string as stored
    await waitFor(() => expect(document.querySelector(".order-items img")).toHaveAttribute("src", "/images/p-0001.svg"));
    expect(calls.map((c) => c.url)).toContain("/api/products/p-0001");
  });

  it("without a number, the id names the order (orders placed before numbers existed)", async () => {
    signIn();
    mockFetch(on("GET", /\/api\/orders\/o-/, { status: 200, body: order() }));
    renderApp(`/orders/${order().id}`);
    expect(await screen.findByRole("heading", { level: 1, name: `Pedido ${order().id}` })).toBeInTheDocument();
    expect(screen.queryByText(/Referencia:/)).toBeNull();
  });

  it("the list shows each order's number, its id and thumbnails of its lines", async () => {
    signIn();
    const withImage = order({ id: "o-2", items: [{ product_id: "p-0009", name: { es: "Cafetera", en: "Coffee maker" }, unit_price: 5499, quantity: 2, image: "/images/p-0009.svg" }] });
    const calls = mockFetch(
      on("GET", /\/api\/orders(\?|$)/, { status: 200, body: { items: [order({ number: "K7Q2-9XJ4" }), withImage], next_token: null } }),
      headphones,
    );
    renderApp("/orders");
    const first = await screen.findByRole("link", { name: "K7Q2-9XJ4" });
    const row = first.closest("tr")!;
    expect(within(row).getByText(order().id)).toBeInTheDocument();
    expect(within(row).getByRole("img", { name: "1 × Auriculares BT-500, 1 × Aceite corporal de almendras" })).toBeInTheDocument();
    await waitFor(() => expect(row.querySelector(".thumbs img")).toHaveAttribute("src", "/images/p-0001.svg"));
    const second = screen.getByRole("link", { name: "o-2" }).closest("tr")!;
    expect(second.querySelector(".thumbs img")).toHaveAttribute("src", "/images/p-0009.svg");
    expect(calls.map((c) => c.url)).not.toContain("/api/products/p-0009"); // a line with its image needs no call
  });
});

describe("quantities are checked in the shop's language", () => {
  it.each([
    ["es" as const, "Añadir al carrito", "Elige una cantidad entre 1 y 10."],
    ["en" as const, "Add to cart", "Choose a quantity from 1 to 10."],
  ])("%s: 999 is refused next to the field, nothing is added", async (lang, add, message) => {
    mockFetch(headphones);
    const user = userEvent.setup();
    renderApp("/products/p-0001", lang);
    const quantity = await screen.findByRole("spinbutton");
    await user.clear(quantity);
    await user.type(quantity, "999");
    await user.click(screen.getByRole("button", { name: add }));
    expect(quantity).toHaveAttribute("aria-invalid", "true");
    expect(quantity).toHaveAccessibleDescription(message);
    expect(quantity).toHaveFocus();
    expect((quantity as HTMLInputElement).form?.noValidate).toBe(true); // no browser tooltip in the browser's language
    expect(localStorage.getItem(CART_KEY) ?? "[]").toBe("[]");
    await user.clear(quantity);
    await user.type(quantity, "2");
    await user.click(screen.getByRole("button", { name: add }));
    expect(quantity).not.toHaveAttribute("aria-invalid");
    expect(JSON.parse(localStorage.getItem(CART_KEY)!)[0].quantity).toBe(2);
  });
});

describe("catalog", () => {
  const items = [
    product({ id: "p-0001", name: { es: "Zapatillas", en: "Shoes" }, price: 8999 }),
    product({ id: "p-0002", name: { es: "Ábaco", en: "Abacus" }, price: 1299 }),
    product({ id: "p-0003", name: { es: "Balón", en: "Ball" }, price: 2499, stock: 0 }),
  ];

  it("sorts by price and by name over every page of the filter, in the shopper's language", async () => {
    const calls = mockFetch(
      on("GET", /\/api\/products\?.*next_token=t2/, { status: 200, body: { items: items.slice(2), next_token: null } }),
      on("GET", /\/api\/products\?/, { status: 200, body: { items: items.slice(0, 2), next_token: "t2" } }),
    );
    const user = userEvent.setup();
    renderApp("/?category=deportes");
    await screen.findByRole("link", { name: "Zapatillas" });
    const names = () => screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);

    await user.selectOptions(screen.getByLabelText("Ordenar por"), "Precio: de menor a mayor");
    await waitFor(() => expect(names()).toEqual(["Ábaco", "Balón", "Zapatillas"]));
    expect(window.location.search).toBe("?category=deportes&sort=price-asc");
    const urls = calls.map((c) => decodeURIComponent(c.url));
    expect(urls).toContain("/api/products?category=deportes&limit=100");
    expect(urls).toContain("/api/products?category=deportes&limit=100&next_token=t2");

    await user.selectOptions(screen.getByLabelText("Ordenar por"), "Precio: de mayor a menor");
    await waitFor(() => expect(names()).toEqual(["Zapatillas", "Balón", "Ábaco"]));
    await user.selectOptions(screen.getByLabelText("Ordenar por"), "Nombre: de la A a la Z");
    await waitFor(() => expect(names()).toEqual(["Ábaco", "Balón", "Zapatillas"])); // Á sorts with A
    await user.click(screen.getByRole("button", { name: "Switch to English" }));
    await waitFor(() => expect(names()).toEqual(["Abacus", "Ball", "Shoes"]));
  });

  it("adds to the cart from the grid, says so, and offers no button for a sold-out product", async () => {
    mockFetch(on("GET", /\/api\/products\?/, { status: 200, body: { items, next_token: null } }));
    const user = userEvent.setup();
    renderApp("/");
    const card = (await screen.findByRole("link", { name: "Zapatillas" })).closest("article")!;
    await user.click(within(card).getByRole("button", { name: "Añadir al carrito: Zapatillas" }));
    expect(screen.getByTestId("cart-link")).toHaveTextContent("Carrito (1)");
    expect(screen.getByTestId("added-status")).toHaveTextContent("«Zapatillas» añadido al carrito.");
    expect(within(screen.getByTestId("added-status")).getByRole("link", { name: "Ver el carrito" })).toHaveAttribute("href", "/cart");
    const soldOut = screen.getByRole("link", { name: "Balón" }).closest("article")!;
    expect(within(soldOut).queryByRole("button")).toBeNull();
  });
});

describe("layout", () => {
  it("a footer names the shop", async () => {
    mockFetch(on("GET", /\/api\/products\?/, { status: 200, body: { items: [], next_token: null } }));
    renderApp("/");
    const footer = screen.getByRole("contentinfo");
    expect(within(footer).getByText("Tienda")).toBeInTheDocument();
    expect(within(footer).getByText(/los pedidos y los pagos no son reales/)).toBeInTheDocument();
  });

  it("the checkout shows the order summary before the Pay button", async () => {
    signIn();
    putCart([cartLine({ quantity: 2 })]);
    mockFetch();
    renderApp("/checkout");
    const summary = screen.getByRole("complementary", { name: "Resumen" });
    const pay = screen.getByRole("button", { name: /Pagar/ });
    expect(summary.compareDocumentPosition(pay) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(summary).getByText(/2 × Auriculares BT-500/)).toBeInTheDocument();
  });
});

describe("runtime config", () => {
  it("the shop renders without waiting for /config.json; only the checkout needs it, and says so when it is missing", async () => {
    signIn();
    putCart([cartLine()]);
    const calls = mockFetch();
    window.history.replaceState(null, "", "/checkout");
    const missing = Promise.reject(new Error("config.json: HTTP 404"));
    render(
      <I18nProvider>
        <ShopProvider config={missing}>
          <App />
        </ShopProvider>
      </I18nProvider>,
    );
    const user = userEvent.setup();
    expect(screen.getByRole("heading", { level: 1, name: "Tramitar pedido" })).toBeInTheDocument();
    for (const [label, value] of [["Dirección", "Calle Mayor 1"], ["Código postal", "28013"], ["Ciudad", "Madrid"], ["Número de tarjeta", "4242 4242 4242 4242"], ["Mes de caducidad", "12"], ["Año de caducidad", "2030"], ["CVC", "123"]]) {
      await user.type(screen.getByLabelText(label, { exact: true }), value);
    }
    await user.click(screen.getByRole("button", { name: /Pagar/ }));
    expect(await screen.findByTestId("checkout-error")).toHaveTextContent("No se pudo cargar la configuración de la tienda.");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });
});
