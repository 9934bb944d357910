#!/usr/bin/env node
// End-to-end tests of the deployed storefront in headless Chromium (playwright-core driving the system's
// Chromium; no browser download). Runs against whatever WEB_URL serves: the local cloud's CloudFront edge
// after `make up && make deploy-local`, LocalStack, or AWS.
//
//   WEB_URL   the storefront            (default http://localhost:8080)
//   MAIL_URL  the Mailpit-compatible API (default http://localhost:8025)
//   CHROMIUM  the browser binary         (default /usr/bin/chromium)
//   E2E_SHIP_TIMEOUT_S  how long an order may take to reach SHIPPED (default 240: the workflow runs on a schedule)
//
// Prints one line per test and finally `N passed, N failed`; exits non-zero when any test failed.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const WEB_URL = (process.env.WEB_URL ?? "http://localhost:8080").replace(/\/$/, "");
const MAIL_URL = (process.env.MAIL_URL ?? "http://localhost:8025").replace(/\/$/, "");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SHIP_TIMEOUT_MS = Number(process.env.E2E_SHIP_TIMEOUT_S ?? 240) * 1000;
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "screenshots");
const USER = { email: "ana@example.com", password: "Demo-1234" };
const CARD_OK = "4242424242424242";
const CARD_DECLINED = "4000000000000002";

// Without the background-networking flags Chromium tries to reach Google's services and this closed
// network refuses them. playwright-core gives every launch a fresh temporary user-data-dir.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

async function pollUntil(what, timeoutMs, probe, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Failure(`${what}: not within ${Math.round(timeoutMs / 1000)}s`);
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Failure(`GET ${url}: HTTP ${response.status}`);
  return response.json();
}

/** Products straight from the API, to choose test subjects (in stock, sold out) without guessing. */
async function allProducts() {
  const products = [];
  let token = null;
  do {
    const page = await getJson(`${WEB_URL}/api/products?limit=100${token ? `&next_token=${encodeURIComponent(token)}` : ""}`);
    products.push(...page.items);
    token = page.next_token;
  } while (token);
  return products;
}

async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function newPage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: "es-ES" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  return { context, page, problems };
}

async function login(page) {
  await page.getByLabel("Correo electrónico").fill(USER.email);
  await page.getByLabel("Contraseña").fill(USER.password);
  await page.getByRole("button", { name: "Entrar" }).click();
}

async function addToCart(page, product) {
  await page.goto(`${WEB_URL}/products/${product.id}`);
  await page.getByRole("heading", { level: 1, name: product.name.es }).waitFor();
  await page.getByRole("button", { name: "Añadir al carrito" }).click();
  await page.getByText("añadido al carrito").waitFor();
}

async function fillCheckout(page, card) {
  await page.getByRole("heading", { level: 1, name: "Tramitar pedido" }).waitFor();
  await page.getByLabel("Nombre y apellidos").fill("Ana García");
  await page.getByLabel("Dirección", { exact: true }).fill("Calle Mayor 1");
  await page.getByLabel("Código postal").fill("28013");
  await page.getByLabel("Ciudad").fill("Madrid");
  await page.getByLabel("País").selectOption("ES");
  await page.getByLabel("Número de tarjeta").fill(card);
  await page.getByLabel("Mes de caducidad").fill("12");
  await page.getByLabel("Año de caducidad").fill(String(new Date().getFullYear() + 3));
  await page.getByLabel("CVC").fill("123");
}

// ------------------------------------------------------------------------------------------------ tests
const tests = [];
const test = (name, fn) => tests.push({ name, fn });

let products = [];

let shippedOrderId = null;

test("browse, add to cart, log in, check out with 4242…, the order reaches SHIPPED", async (browser) => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${WEB_URL}/`);
  await page.getByRole("heading", { level: 1, name: "Catálogo" }).waitFor();
  await page.locator("article.card").first().waitFor();
  await page.locator("article.card img").first().evaluate((img) => img.decode());
  await shot(page, "catalog");

  // A product with room to buy; the first page of the catalog is what a shopper sees first.
  const card = page.locator("article.card").filter({ hasNot: page.getByText(/Agotado|Última unidad/) }).first();
  const productId = await card.getAttribute("data-product-id");
  const product = products.find((p) => p.id === productId);
  check(product && product.stock >= 2, `first in-stock card ${productId} should have stock`);
  await card.getByRole("link").click();
  await page.getByRole("heading", { level: 1, name: product.name.es }).waitFor();
  await shot(page, "product");
  await page.getByRole("button", { name: "Añadir al carrito" }).click();
  await page.getByText("añadido al carrito").waitFor();

  await page.getByTestId("cart-link").click();
  await page.getByRole("heading", { level: 1, name: "Carrito" }).waitFor();
  const total = (await page.getByTestId("cart-total").textContent()).replace(/\s/g, " ");
  check(/\d,\d{2} €$/.test(total), `cart total in Spanish format, got "${total}"`);
  await shot(page, "cart");

  await page.getByRole("link", { name: "Tramitar pedido" }).click();
  await page.getByRole("heading", { level: 1, name: "Iniciar sesión" }).waitFor();
  await login(page);
  await fillCheckout(page, CARD_OK);
  await shot(page, "checkout");
  await page.getByRole("button", { name: /Pagar/ }).click();

  const confirmation = page.getByTestId("confirmation");
  await confirmation.waitFor({ timeout: 30_000 });
  const orderId = /\bo-[A-Za-z0-9-]+/.exec(await confirmation.textContent())?.[0];
  check(orderId, "confirmation shows the order id");
  await page.locator("[data-testid=order-status] [data-status]").waitFor();
  await shot(page, "confirmation");

  await page.getByRole("link", { name: "Seguir el pedido" }).click();
  await page.getByRole("heading", { level: 1, name: `Pedido ${orderId}` }).waitFor();
  const status = page.locator("[data-testid=order-status] [data-status]");
  const seen = new Set();
  await pollUntil(`order ${orderId} SHIPPED (seen ${[...seen].join(", ")})`, SHIP_TIMEOUT_MS, async () => {
    const value = await status.getAttribute("data-status");
    seen.add(value);
    check(!["PAYMENT_FAILED", "FAILED", "CANCELLED"].includes(value), `order ended ${value}`);
    return value === "SHIPPED";
  });
  const tracking = await page.getByText(/Número de seguimiento: \S+/).textContent();
  check(/TRK\d+/.test(tracking), `tracking number shown, got "${tracking}"`);
  await shot(page, "order-shipped");

  await page.getByRole("link", { name: "Mis pedidos" }).first().click();
  await page.getByRole("heading", { level: 1, name: "Mis pedidos" }).waitFor();
  await page.locator(`tr[data-order-id="${orderId}"]`).getByText("Enviado").waitFor();
  await shot(page, "my-orders");
  check(problems.length === 0, problems.join("\n"));
  shippedOrderId = orderId;
});

test("the shipping confirmation mail names the order", async () => {
  check(shippedOrderId, "needs the order of the previous test");
  const mail = await pollUntil(`shipped mail naming ${shippedOrderId} at ${MAIL_URL}`, 60_000, async () => {
    const { messages = [] } = await getJson(`${MAIL_URL}/api/v1/messages`);
    // The order id is in the mail's first lines (Snippet); the subject carries the order's short number.
    return messages.find((m) => (m.Snippet ?? "").includes(shippedOrderId) && /enviado|shipped/i.test(m.Subject ?? ""));
  });
  check(/enviado|shipped/i.test(mail.Subject), `shipping mail subject, got "${mail.Subject}"`);
});

test("a declined card shows the decline message and no order is placed", async (browser) => {
  const { page } = await newPage(browser);
  const product = products.find((p) => p.stock >= 5);
  await page.goto(`${WEB_URL}/login?next=/`);
  await login(page);
  await page.getByRole("heading", { level: 1, name: "Catálogo" }).waitFor();
  await addToCart(page, product);
  await page.goto(`${WEB_URL}/checkout`);
  await fillCheckout(page, CARD_DECLINED);
  await page.getByRole("button", { name: /Pagar/ }).click();
  const error = page.getByTestId("checkout-error");
  await error.waitFor({ timeout: 30_000 });
  const text = await error.textContent();
  check(text.includes("Tu tarjeta ha sido rechazada"), `decline message, got "${text}"`);
  check(new URL(page.url()).pathname === "/checkout", "still on the checkout page");
  check((await page.getByLabel("Número de tarjeta").getAttribute("aria-invalid")) === "true", "card field marked");
  await shot(page, "checkout-declined");
});

test("an out-of-stock product is marked and cannot be added to the cart", async (browser) => {
  const { page } = await newPage(browser);
  const soldOut = products.find((p) => p.stock === 0);
  check(soldOut, "the catalog has a sold-out product");
  await page.goto(`${WEB_URL}/?q=${encodeURIComponent(soldOut.name.es)}`);
  const card = page.locator(`article.card[data-product-id="${soldOut.id}"]`);
  await card.getByText("Agotado").waitFor();
  await card.getByRole("link").click();
  await page.getByText("Este producto está agotado y no se puede añadir al carrito.").waitFor();
  check((await page.getByRole("button", { name: "Añadir al carrito" }).count()) === 0, "no add button");
  await shot(page, "product-sold-out");
});

test("English switch and phone layout", async (browser) => {
  const { page } = await newPage(browser, { width: 390, height: 844 });
  await page.goto(`${WEB_URL}/`);
  await page.locator("article.card").first().waitFor();
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.getByRole("heading", { level: 1, name: "Catalog" }).waitFor();
  check((await page.locator("html").getAttribute("lang")) === "en", "html lang is en");
  const price = await page.locator("article.card .price").first().textContent();
  check(/^€[\d,]+\.\d{2}$/.test(price), `English price format, got "${price}"`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Catalog" }).waitFor(); // the choice is kept
  await page.locator("article.card").first().waitFor();
  await page.locator("article.card img").first().evaluate((img) => img.decode());
  await shot(page, "catalog-phone-en");
});

// ------------------------------------------------------------------------------------------------ runner
async function main() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  console.log(`e2e against ${WEB_URL} (mail ${MAIL_URL}, browser ${CHROMIUM})`);
  let passed = 0;
  let failed = 0;
  let browser;
  try {
    products = await allProducts();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    console.log(`setup failed: ${error.message}`);
    console.log(`0 passed, ${tests.length} failed`);
    process.exit(1);
  }
  for (const { name, fn } of tests) {
    const started = Date.now();
    try {
      await fn(browser);
      passed += 1;
      console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${name}\n  ${(error instanceof Failure ? error.message : error.stack ?? String(error)).replace(/\n/g, "\n  ")}`);
    }
    for (const context of browser.contexts()) await context.close();
  }
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

await main();
