import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { CART_KEY } from "../cart";
import { PAYMENT_URL, cartLine, mockFetch, on, putCart, renderApp, signIn, type Call } from "../test/harness";

const TOKENS = `${PAYMENT_URL}/v1/tokens`;
let tokens = 0;
const tokenOk = on("POST", TOKENS, () => ({ status: 201, body: { id: tokens++ === 0 ? "tok_abc" : `tok_${tokens}`, last4: "4242", brand: "visa" } }));
const orderPage = on("GET", /\/api\/orders\/o-1$/, {
  status: 200,
  body: {
    id: "o-1", customer_id: "c-0001", created_at: "2026-11-28T07:00:00Z", updated_at: "2026-11-28T07:00:00Z",
    status: "PENDING", items: [], total: 129900, currency: "EUR",
    address: { name: "Ana García", line1: "Calle Mayor 1", city: "Madrid", postal_code: "28013", country: "ES" },
  },
});

async function fillAndPay(user: ReturnType<typeof userEvent.setup>, card = "4242 4242 4242 4242") {
  await user.type(screen.getByLabelText("Dirección"), "Calle Mayor 1");
  await user.type(screen.getByLabelText("Código postal"), "28013");
  await user.type(screen.getByLabelText("Ciudad"), "Madrid");
  await user.type(screen.getByLabelText("Número de tarjeta"), card);
  await user.type(screen.getByLabelText("Mes de caducidad"), "12");
  await user.type(screen.getByLabelText("Año de caducidad"), "2030");
  await user.type(screen.getByLabelText("CVC"), "123");
  await user.click(screen.getByRole("button", { name: /Pagar/ }));
}

function orderCalls(calls: Call[]) {
  return calls.filter((c) => c.method === "POST" && c.url === "/api/orders");
}

describe("checkout", () => {
  beforeEach(() => {
    tokens = 0;
    signIn();
    putCart([cartLine({ quantity: 2 }), cartLine({ product_id: "p-0004", name: { es: "Lámpara Nórdica", en: "Nordic lamp" }, price: 2500, quantity: 1 })]);
  });

  it("validates the form before calling anything, and puts each error next to its field", async () => {
    const calls = mockFetch();
    const user = userEvent.setup();
    renderApp("/checkout");
    await user.clear(screen.getByLabelText("Nombre y apellidos"));
    await user.type(screen.getByLabelText("Número de tarjeta"), "4242 4242 4242 4241");
    await user.type(screen.getByLabelText("Mes de caducidad"), "13");
    await user.type(screen.getByLabelText("Año de caducidad"), "2020");
    await user.type(screen.getByLabelText("CVC"), "12");
    await user.click(screen.getByRole("button", { name: /Pagar/ }));

    const name = screen.getByLabelText("Nombre y apellidos");
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(name).toHaveAccessibleDescription("Este campo es obligatorio.");
    expect(screen.getByLabelText("Número de tarjeta")).toHaveAccessibleDescription("El número de tarjeta no es válido.");
    expect(screen.getByLabelText("Mes de caducidad")).toHaveAccessibleDescription("Mes entre 1 y 12.");
    expect(screen.getByLabelText("Año de caducidad")).toHaveAccessibleDescription("La tarjeta está caducada o el año no es válido.");
    expect(screen.getByLabelText("CVC")).toHaveAccessibleDescription("El CVC son 3 o 4 cifras.");
    const summary = screen.getByTestId("checkout-error");
    expect(summary).toHaveFocus();
    expect(within(summary).getByRole("link", { name: /Código postal/ })).toHaveAttribute("href", "#postal_code");
    expect(calls).toHaveLength(0);
  });

  it("tokenizes the card at the Payment System and sends only the token to the API", async () => {
    const calls = mockFetch(tokenOk, on("POST", "/api/orders", { status: 202, body: { order_id: "o-1", status: "PENDING" } }), orderPage);
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user);

    expect(await screen.findByText(/Tu número de pedido es o-1/)).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ url: TOKENS, method: "POST", body: { card_number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: "123" } });
    const [order] = orderCalls(calls);
    expect(order.headers.Authorization).toBe("Bearer aaa.bbb.ccc");
    expect(order.headers["Idempotency-Key"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(order.body).toEqual({
      items: [{ product_id: "p-0001", quantity: 2 }, { product_id: "p-0004", quantity: 1 }],
      address: { name: "Ana García", line1: "Calle Mayor 1", city: "Madrid", postal_code: "28013", country: "ES" },
      payment_token: "tok_abc",
    });
    expect(JSON.stringify(calls.filter((c) => c.url.startsWith("/api")))).not.toContain("4242424242424242");
    expect(JSON.parse(localStorage.getItem(CART_KEY)!)).toEqual([]);
  });

  it("declined card (402): says so next to the card field", async () => {
    mockFetch(tokenOk, on("POST", "/api/orders", { status: 402, body: { code: "payment_declined", message: "card_declined", field: "payment_token" } }));
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user, "4000000000000002");
    const summary = await screen.findByTestId("checkout-error");
    expect(summary).toHaveTextContent("Tu tarjeta ha sido rechazada");
    expect(screen.getByLabelText("Número de tarjeta")).toHaveAccessibleDescription("Tarjeta rechazada.");
    expect(screen.getByLabelText("Número de tarjeta")).toHaveAttribute("aria-invalid", "true");
  });

  it("out of stock (409): names the product", async () => {
    mockFetch(tokenOk, on("POST", "/api/orders", { status: 409, body: { code: "out_of_stock", message: "product p-0004 has 0 in stock, 1 requested", field: "items" } }));
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user);
    expect(await screen.findByTestId("checkout-error")).toHaveTextContent("No queda stock suficiente de «Lámpara Nórdica»");
  });

  it("payment system down (503): explains, and a retry reuses the Idempotency-Key and the card token", async () => {
    let answer = 503;
    const calls = mockFetch(
      tokenOk,
      on("POST", "/api/orders", () =>
        answer === 503
          ? { status: 503, body: { code: "payment_unavailable", message: "the Payment System is unavailable" } }
          : { status: 202, body: { order_id: "o-1", status: "PENDING" } },
      ),
      orderPage,
    );
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user);
    expect(await screen.findByTestId("checkout-error")).toHaveTextContent("El sistema de pagos no está disponible");
    answer = 202;
    await user.click(screen.getByRole("button", { name: /Pagar/ }));
    expect(await screen.findByText(/Tu número de pedido es o-1/)).toBeInTheDocument();
    const orders = orderCalls(calls);
    expect(orders).toHaveLength(2);
    expect(orders[1].headers["Idempotency-Key"]).toBe(orders[0].headers["Idempotency-Key"]);
    expect(calls.filter((c) => c.url === TOKENS)).toHaveLength(1);
  });

  it("a changed order after a refusal gets a new Idempotency-Key", async () => {
    const calls = mockFetch(tokenOk, on("POST", "/api/orders", { status: 402, body: { code: "payment_declined", message: "declined" } }));
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user, "4000000000000002");
    await screen.findByTestId("checkout-error");
    await user.clear(screen.getByLabelText("Número de tarjeta"));
    await user.type(screen.getByLabelText("Número de tarjeta"), "4242424242424242");
    await user.click(screen.getByRole("button", { name: /Pagar/ }));
    await waitFor(() => expect(orderCalls(calls)).toHaveLength(2));
    const [first, second] = orderCalls(calls);
    expect(second.headers["Idempotency-Key"]).not.toBe(first.headers["Idempotency-Key"]);
    expect(calls.filter((c) => c.url === TOKENS)).toHaveLength(2);
  });

  it("session expired (401): asks to log in again and keeps the cart", async () => {
    mockFetch(tokenOk, on("POST", "/api/orders", { status: 401, body: { message: "Unauthorized" } }));
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user);
    expect(await screen.findByText(/Tu sesión ha caducado/)).toBeInTheDocument();
    expect(window.location.pathname).toBe("/login");
    expect(new URLSearchParams(window.location.search).get("next")).toBe("/checkout");
    expect(JSON.parse(localStorage.getItem(CART_KEY)!)).toHaveLength(2);
    expect(sessionStorage.getItem("shop.session")).toBeNull();
  });

  it("an expired token is noticed before calling the API", async () => {
    signIn(-1000);
    const calls = mockFetch();
    renderApp("/checkout");
    expect(await screen.findByText(/Tu sesión ha caducado/)).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it("throttled (429): asks to try again in a moment", async () => {
    mockFetch(tokenOk, on("POST", "/api/orders", { status: 429, body: { message: "Too Many Requests" } }));
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user);
    expect(await screen.findByTestId("checkout-error")).toHaveTextContent("Demasiadas peticiones. Inténtalo de nuevo en un momento.");
  });

  it("validation error (400): names the field and shows it next to the field", async () => {
    mockFetch(
      tokenOk,
      on("POST", "/api/orders", {
        status: 400,
        body: { code: "validation_error", message: "address.postal_code: String should have at most 20 characters", field: "address.postal_code" },
      }),
    );
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user);
    expect(await screen.findByTestId("checkout-error")).toHaveTextContent("Revisa los siguientes datos:Código postal: El valor no es válido.");
    expect(screen.getByLabelText("Código postal")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Código postal")).toHaveAccessibleDescription("El valor no es válido.");
  });

  it("a card the Payment System refuses (400 card_number) is marked on the card field; nothing reaches the API", async () => {
    const calls = mockFetch(
      on("POST", TOKENS, { status: 400, body: { error: { code: "invalid_request", field: "exp_year", message: "card expired" } } }),
    );
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user);
    expect(await screen.findByTestId("checkout-error")).toHaveTextContent("Año de caducidad: El valor no es válido.");
    expect(screen.getByLabelText("Año de caducidad")).toHaveAttribute("aria-invalid", "true");
    expect(orderCalls(calls)).toHaveLength(0);
  });

  it("a network failure says the shop could not be reached", async () => {
    mockFetch(tokenOk, on("POST", "/api/orders", new TypeError("Failed to fetch")));
    const user = userEvent.setup();
    renderApp("/checkout");
    await fillAndPay(user);
    expect(await screen.findByTestId("checkout-error")).toHaveTextContent("No se pudo conectar con la tienda");
  });

  it("shows English messages when English is chosen", async () => {
    mockFetch(tokenOk, on("POST", "/api/orders", { status: 402, body: { code: "payment_declined", message: "declined" } }));
    const user = userEvent.setup();
    renderApp("/checkout", "en");
    await user.type(screen.getByLabelText("Address"), "1 Main St");
    await user.type(screen.getByLabelText("Postal code"), "28013");
    await user.type(screen.getByLabelText("City"), "Madrid");
    await user.type(screen.getByLabelText("Card number"), "4000000000000002");
    await user.type(screen.getByLabelText("Expiry month"), "12");
    await user.type(screen.getByLabelText("Expiry year"), "30");
    await user.type(screen.getByLabelText("CVC"), "123");
    await user.click(screen.getByRole("button", { name: /Pay/ }));
    expect(await screen.findByTestId("checkout-error")).toHaveTextContent("Your card was declined.");
  });
});

describe("checkout without a session", () => {
  it("sends the shopper to log in first and back afterwards", async () => {
    putCart([cartLine()]);
    mockFetch(
      on("POST", "/api/auth/login", (call) =>
        (call.body as { password: string }).password === "Demo-1234"
          ? { status: 200, body: { token: "x.y.z", expires_at: new Date(Date.now() + 3600_000).toISOString(), customer: { id: "c-0001", email: "ana@example.com", name: "Ana García" } } }
          : { status: 401, body: { code: "unauthorized", message: "wrong email or password" } },
      ),
    );
    const user = userEvent.setup();
    renderApp("/checkout");
    expect(await screen.findByText("Inicia sesión para tramitar tu pedido.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Correo electrónico"), "ana@example.com");
    await user.type(screen.getByLabelText("Contraseña"), "wrong");
    await user.click(screen.getByRole("button", { name: "Entrar" }));
    expect(await screen.findByText("El correo o la contraseña no son correctos.")).toHaveFocus();
    await user.clear(screen.getByLabelText("Contraseña"));
    await user.type(screen.getByLabelText("Contraseña"), "Demo-1234");
    await user.click(screen.getByRole("button", { name: "Entrar" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Tramitar pedido" })).toHaveFocus();
    expect(vi.isMockFunction(fetch)).toBe(true);
  });
});
