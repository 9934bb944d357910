/** Test helpers: render the app with its providers, a signed-in shopper, a cart, and a scripted fetch. */
import { render } from "@testing-library/react";
import { vi } from "vitest";
import { App } from "../App";
import { CART_KEY, type CartLine } from "../cart";
import { I18nProvider, type Lang } from "../i18n";
import { ShopProvider } from "../state";
import type { Product } from "../types";

export const PAYMENT_URL = "http://payments.test";

export function product(overrides: Partial<Product> = {}): Product {
  return {
    id: "p-0001",
    name: { es: "Auriculares BT-500", en: "BT-500 headphones" },
    description: { es: "Con cancelación de ruido.", en: "With noise cancelling." },
    category: "electronica",
    price: 129900,
    currency: "EUR",
    stock: 10,
    image: "/images/p-0001.svg",
    ...overrides,
  };
}

export function cartLine(overrides: Partial<CartLine> = {}): CartLine {
  const p = product();
  return { product_id: p.id, name: p.name, price: p.price, currency: p.currency, image: p.image, stock: p.stock, quantity: 1, ...overrides };
}

export function signIn(expiresInMs = 3600_000): void {
  sessionStorage.setItem(
    "shop.session",
    JSON.stringify({
      token: "aaa.bbb.ccc",
      expires_at: new Date(Date.now() + expiresInMs).toISOString(),
      customer: { id: "c-0001", email: "ana@example.com", name: "Ana García" },
    }),
  );
}

export function putCart(lines: CartLine[]): void {
  localStorage.setItem(CART_KEY, JSON.stringify(lines));
}

export function renderApp(path = "/", lang?: Lang) {
  window.history.replaceState(null, "", path);
  return render(
    <I18nProvider lang={lang}>
      <ShopProvider config={{ paymentUrl: PAYMENT_URL }}>
        <App />
      </ShopProvider>
    </I18nProvider>,
  );
}

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status: number; body?: unknown; contentType?: string } | Error;
type Handler = (call: Call) => Reply | undefined;

/** Replaces fetch: each call goes to the first handler that answers; every call is recorded. */
export function mockFetch(...handlers: Handler[]) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    const call: Call = {
      url: String(input),
      method: init?.method ?? "GET",
      headers,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    for (const handler of handlers) {
      const reply = handler(call);
      if (reply instanceof Error) throw reply;
      if (reply) {
        return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
          status: reply.status,
          headers: { "content-type": reply.contentType ?? "application/json" },
        });
      }
    }
    return new Response(JSON.stringify({ message: `no mock for ${call.method} ${call.url}`, code: "not_found" }), {
      status: 404,
      headers: { "content-type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

export const on =
  (method: string, pattern: RegExp | string, reply: Reply | ((call: Call) => Reply)): Handler =>
  (call) => {
    const matches = typeof pattern === "string" ? call.url === pattern : pattern.test(call.url);
    if (call.method !== method || !matches) return undefined;
    return typeof reply === "function" ? reply(call) : reply;
  };
