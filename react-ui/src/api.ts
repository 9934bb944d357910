/** The App Server's API, reached at the relative base /api (CloudFront, LocalStack and AWS alike). */
import type {
  Address,
  Category,
  LoginResponse,
  Order,
  OrderAccepted,
  OrderPage,
  Product,
  ProductPage,
  SiteConfig,
} from "./types";

export const API_BASE = "/api";

/**
 * Any failed call. `status` 0 means the request never got an answer (network); `code` and `field` come
 * from the API's error body {message, code, field?} when it has one (API Gateway's own errors only
 * have {message}).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The product an out-of-stock refusal names ("product p-0004 has 0 in stock, …"). */
  get productId(): string | undefined {
    return /\b(p-[A-Za-z0-9-]+)/.exec(this.message)?.[1];
  }
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function requestJson<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "network_error", error instanceof Error ? error.message : String(error));
  }
  const isJson = (response.headers.get("content-type") ?? "").includes("json");
  const data: unknown = isJson ? await response.json().catch(() => undefined) : undefined;
  if (!response.ok) {
    const body = (data ?? {}) as { message?: string; code?: string; field?: string; error?: Record<string, string> };
    // The Payment System nests its error: {"error": {"code", "message", "field"}}.
    const inner = body.error ?? body;
    throw new ApiError(
      response.status,
      inner.code ?? defaultCode(response.status),
      inner.message ?? response.statusText,
      inner.field ?? undefined,
    );
  }
  if (!isJson) {
    // CloudFront answers an origin 403/404 with index.html (the SPA fallback), so "not JSON" means not found.
    throw new ApiError(404, "not_found", `expected JSON from ${url}`);
  }
  return data as T;
}

function defaultCode(status: number): string {
  return (
    { 401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "too_many_requests" }[status] ??
    (status >= 500 ? "server_error" : "error")
  );
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const api = {
  categories: (signal?: AbortSignal) => requestJson<Category[]>(`${API_BASE}/categories`, { signal }),
  products: (
    params: { category?: string; q?: string; limit?: number; next_token?: string | null },
    signal?: AbortSignal,
  ) => requestJson<ProductPage>(`${API_BASE}/products${query(params)}`, { signal }),
  product: (id: string, signal?: AbortSignal) =>
    requestJson<Product>(`${API_BASE}/products/${encodeURIComponent(id)}`, { signal }),
  login: (email: string, password: string) =>
    requestJson<LoginResponse>(`${API_BASE}/auth/login`, { method: "POST", body: { email, password } }),
  placeOrder: (
    token: string,
    idempotencyKey: string,
    body: { items: { product_id: string; quantity: number }[]; address: Address; payment_token: string },
  ) =>
    requestJson<OrderAccepted>(`${API_BASE}/orders`, {
      method: "POST",
      token,
      body,
      headers: { "Idempotency-Key": idempotencyKey },
    }),
  orders: (token: string, next_token?: string | null, signal?: AbortSignal) =>
    requestJson<OrderPage>(`${API_BASE}/orders${query({ next_token })}`, { token, signal }),
  order: (token: string, id: string, signal?: AbortSignal) =>
    requestJson<Order>(`${API_BASE}/orders/${encodeURIComponent(id)}`, { token, signal }),
  cancelOrder: (token: string, id: string) =>
    requestJson<Order>(`${API_BASE}/orders/${encodeURIComponent(id)}/cancel`, { method: "POST", token }),
};

export interface CardInput {
  card_number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

/** Tokenizes the card at the Payment System straight from the browser: our API only ever sees the token. */
export function tokenizeCard(paymentUrl: string, card: CardInput): Promise<{ id: string; last4: string; brand: string }> {
  return requestJson(`${paymentUrl.replace(/\/$/, "")}/v1/tokens`, { method: "POST", body: card });
}

export async function loadConfig(): Promise<SiteConfig> {
  const config = await requestJson<Partial<SiteConfig>>("/config.json");
  if (!config.paymentUrl) throw new ApiError(500, "config", "config.json has no paymentUrl");
  return config as SiteConfig;
}
