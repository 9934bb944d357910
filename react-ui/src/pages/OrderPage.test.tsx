import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, on, renderApp, signIn } from "../test/harness";
import type { Order } from "../types";

function order(status: Order["status"], extra: Partial<Order> = {}): Order {
  return {
    id: "o-1", customer_id: "c-0001", created_at: "2026-11-28T07:00:00Z", updated_at: "2026-11-28T07:00:00Z", status,
    items: [{ product_id: "p-0001", name: "Auriculares", unit_price: 7999, quantity: 1 }], total: 7999, currency: "EUR",
    address: { name: "Ana García", line1: "Calle Mayor 1", city: "Madrid", postal_code: "28013", country: "ES" },
    ...extra,
  };
}

describe("order page", () => {
  afterEach(() => vi.useRealTimers());

  it("polls the status live until SHIPPED and shows the tracking number", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    signIn();
    const states = [order("PENDING"), order("PAID"), order("SHIPPED", { shipment: { id: "shp_1", tracking_number: "TRK0123456789" } })];
    let n = 0;
    const calls = mockFetch(on("GET", "/api/orders/o-1", () => ({ status: 200, body: states[Math.min(n++, 2)] })));
    renderApp("/orders/o-1");
    expect(await screen.findByText("Pendiente")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Cancelar pedido" })).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(2100));
    expect(await screen.findByText("Pagado")).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(2100));
    expect(await screen.findByText("Enviado")).toBeInTheDocument();
    expect(screen.getByText("Número de seguimiento: TRK0123456789")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Cancelar pedido" })).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(calls.filter((c) => c.url === "/api/orders/o-1")).toHaveLength(3); // a terminal status stops the polling
  });

  it("cancels while allowed, and says so when it no longer is", async () => {
    signIn();
    vi.spyOn(window, "confirm").mockReturnValue(true);
    let cancelled = false;
    mockFetch(
      on("GET", "/api/orders/o-1", () => ({ status: 200, body: order(cancelled ? "CANCELLED" : "PAID") })),
      on("POST", "/api/orders/o-1/cancel", () => {
        cancelled = true;
        return { status: 200, body: order("CANCELLED") };
      }),
    );
    const user = userEvent.setup();
    renderApp("/orders/o-1");
    await user.click(await screen.findByRole("button", { name: "Cancelar pedido" }));
    expect(await screen.findByText("Cancelado")).toBeInTheDocument();
    expect(screen.getByText(/El pedido se ha cancelado/)).toBeInTheDocument();
  });

  it("a refused cancel (409) explains it can no longer be cancelled", async () => {
    signIn();
    vi.spyOn(window, "confirm").mockReturnValue(true);
    mockFetch(
      on("GET", "/api/orders/o-1", { status: 200, body: order("PAID") }),
      on("POST", "/api/orders/o-1/cancel", { status: 409, body: { code: "conflict", message: "cannot be cancelled in status SHIPPED", field: "status" } }),
    );
    const user = userEvent.setup();
    renderApp("/orders/o-1");
    await user.click(await screen.findByRole("button", { name: "Cancelar pedido" }));
    expect(await screen.findByText("Este pedido ya no se puede cancelar.")).toBeInTheDocument();
  });

  it("a 401 while polling ends the session and asks to log in again", async () => {
    signIn();
    mockFetch(on("GET", "/api/orders/o-1", { status: 401, body: { message: "Unauthorized" } }));
    renderApp("/orders/o-1");
    expect(await screen.findByText(/Tu sesión ha caducado/)).toBeInTheDocument();
    expect(window.location.pathname).toBe("/login");
  });

  it("my orders lists the orders with their status", async () => {
    signIn();
    mockFetch(on("GET", "/api/orders", { status: 200, body: { items: [order("SHIPPED"), order("PAYMENT_FAILED", { id: "o-2" })], next_token: null } }));
    renderApp("/orders");
    expect(await screen.findByRole("link", { name: "o-2" })).toHaveAttribute("href", "/orders/o-2");
    expect(screen.getByText("Enviado")).toBeInTheDocument();
    expect(screen.getByText("Pago rechazado")).toBeInTheDocument();
  });
});
