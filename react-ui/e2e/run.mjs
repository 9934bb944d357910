#!/usr/bin/env node
// End-to-end tests of the deployed storefront in headless Chromium (playwright-core driving the system's
// Chromium; no browser download). Runs against whatever WEB_URL serves: the local cloud's CloudFront edge
// after `make up && make deploy-local`, LocalStack, or AWS.
//
//   WEB_URL   the storefront            (default http://localhost:8080)
//   MAIL_URL  the Mailpit-compatible API (default http://localhost:8025)
//   CHROMIUM  the browser binary         (default /usr/bin/chromium)
//   E2E_SHIP_TIMEOUT_S  how long an order may take to reach SHIPPED (default 240: the workflow runs on a schedule)
//   E2E_ONLY  run only the tests whose name matches this regular expression (default: all)
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

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function newPage(browser, viewport = DESKTOP, { lang } = {}) {
  const context = await browser.newContext({ viewport, locale: "es-ES", hasTouch: viewport === PHONE, isMobile: viewport === PHONE });
  // The shopper's language choice as the storefront keeps it (shop.lang), from the first page on.
  if (lang) await context.addInitScript((l) => localStorage.getItem("shop.lang") || localStorage.setItem("shop.lang", l), lang);
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
  const orderId = await confirmation.getAttribute("data-order-id");
  check(/^o-[A-Za-z0-9-]+$/.test(orderId ?? ""), `confirmation names the order, got ${orderId}`);
  await page.getByText(/Tu número de pedido es \S+/).waitFor();
  await page.locator("[data-testid=order-status] [data-status]").waitFor();
  await shot(page, "confirmation");

  await page.getByRole("link", { name: "Seguir el pedido" }).click();
  await page.locator(`article.order[data-order-id="${orderId}"]`).getByRole("heading", { level: 1, name: /^Pedido \S+$/ }).waitFor();
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

test("the customer's own mail, as the mail sink shows it, on a desktop and a phone", async (browser) => {
  check(shippedOrderId, "needs the order of the first test");
  // Ana's copy (her subscription filters on the `recipient` attribute), not the staff address's.
  const mail = await pollUntil(`shipped mail to ${USER.email} naming ${shippedOrderId} at ${MAIL_URL}`, 60_000, async () => {
    const { messages = [] } = await getJson(`${MAIL_URL}/api/v1/messages?limit=200`);
    return messages.find((m) => (m.To ?? []).some((a) => a.Address === USER.email) && (m.Snippet ?? "").includes(shippedOrderId)
      && /enviado/i.test(m.Subject ?? ""));
  });
  for (const [form, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    const { page } = await newPage(browser, viewport);
    await page.goto(`${MAIL_URL}/view/${mail.ID}`); // the sink's viewer, one message
    await page.getByText(mail.Subject, { exact: true }).first().waitFor();
    await page.getByText(`Referencia: ${shippedOrderId}`).waitFor();
    // Laid out at the device's width (not a zoomed-out 980 px page), and nothing scrolls sideways.
    const [width, overflow] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth - window.innerWidth]);
    check(width === viewport.width, `the mail's page is laid out ${width}px wide on a ${viewport.width}px ${form}`);
    check(overflow <= 0, `the mail's page scrolls sideways by ${overflow}px on a ${form}`);
    await shot(page, `mail-${form}-es`);
  }
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
  const { page } = await newPage(browser, PHONE);
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

// --------------------------------------------------------------------- issue 15: a shop a customer would trust
const WORDS = {
  es: {
    catalog: "Catálogo", cart: "Carrito", checkout: "Tramitar pedido", orders: "Mis pedidos", order: "Pedido",
    confirm: "¡Pedido recibido!", login: "Iniciar sesión", notFound: "Página no encontrada", add: "Añadir al carrito",
    sort: "Ordenar por", priceAsc: "Precio: de menor a mayor", byName: "Nombre: de la A a la Z", summary: "Resumen",
    pay: /^Pagar/, email: "Correo electrónico", password: "Contraseña", enter: "Entrar", skip: "Saltar al contenido",
    range: (max) => `Elige una cantidad entre 1 y ${max}.`, added: (name) => `«${name}» añadido al carrito.`,
    tagline: "Tienda de demostración: los pedidos y los pagos no son reales.", locale: "es-ES",
  },
  en: {
    catalog: "Catalog", cart: "Cart", checkout: "Check out", orders: "My orders", order: "Order",
    confirm: "Order received!", login: "Log in", notFound: "Page not found", add: "Add to cart",
    sort: "Sort by", priceAsc: "Price: low to high", byName: "Name: A to Z", summary: "Summary",
    pay: /^Pay/, email: "Email", password: "Password", enter: "Log in", skip: "Skip to content",
    range: (max) => `Choose a quantity from 1 to ${max}.`, added: (name) => `“${name}” added to the cart.`,
    tagline: "A demo shop: orders and payments are not real.", locale: "en-GB",
  },
};
const SHOP = "Tienda";
const VIEWPORTS = [["desktop", DESKTOP], ["phone", PHONE]];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const localized = (text, lang) => (typeof text === "string" ? text : text[lang]);

async function apiLogin(email) {
  const response = await fetch(`${WEB_URL}/api/auth/login`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password: USER.password }),
  });
  check(response.ok, `API login ${email}: HTTP ${response.status}`);
  return response.json();
}

async function apiOrders(token) {
  const response = await fetch(`${WEB_URL}/api/orders?limit=100`, { headers: { Authorization: `Bearer ${token}` } });
  check(response.ok, `GET /api/orders: HTTP ${response.status}`);
  return (await response.json()).items;
}

async function uiLogin(page, email, words) {
  await page.goto(`${WEB_URL}/login?next=/`);
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password).fill(USER.password);
  await page.getByRole("button", { name: words.enter, exact: true }).click();
}

/** The page's h1 shows (the app rendered), its title names it, and nothing scrolls sideways. */
async function expectPage(page, route, how) {
  const heading = page.getByRole("heading", { level: 1 }).filter({ hasText: route.h1 });
  try {
    await heading.first().waitFor({ timeout: 10_000 });
  } catch {
    const body = (await page.locator("body").innerText().catch(() => "")).trim().slice(0, 80);
    throw new Failure(`${route.path} after ${how}: no heading ${route.h1} (page shows "${body || "nothing: a blank page"}")`);
  }
  await pollUntil(`${route.path} after ${how}: title ${route.title}`, 5_000, async () => route.title.test(await page.title()), 100);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `${route.path} after ${how}: ${overflow}px of sideways scrolling`);
}

function routes(words, lang, product, orderId) {
  const title = (text) => new RegExp(`^${text} · ${SHOP}$`);
  return [
    { path: "/", h1: words.catalog, title: title(words.catalog) },
    { path: `/products/${product.id}`, h1: product.name[lang], title: title(escape(product.name[lang])) },
    { path: "/cart", h1: words.cart, title: title(words.cart) },
    { path: "/checkout", h1: words.checkout, title: title(words.checkout) },
    { path: "/orders", h1: words.orders, title: title(words.orders) },
    { path: `/orders/${orderId}`, h1: new RegExp(`^${words.order} \\S+$`), title: title(`${words.order} \\S+`) },
    { path: `/orders/${orderId}/confirmation`, h1: words.confirm, title: title(escape(words.confirm)) },
    { path: "/login", h1: words.login, title: title(words.login) },
    { path: "/no-such-page", h1: words.notFound, title: title(words.notFound) },
  ];
}

for (const [form, viewport] of VIEWPORTS) {
  for (const lang of ["es", "en"]) {
    const words = WORDS[lang];

    test(`every route survives a reload and a revisit (${form}, ${lang})`, async (browser) => {
      const { page, problems } = await newPage(browser, viewport, { lang });
      const product = products.find((p) => p.stock >= 5);
      // A customer whose own language is this one: logging in switches the shop to the customer's language.
      const email = lang === "es" ? USER.email : "john@example.com";
      const orderId = (await apiOrders((await apiLogin(email)).token))[0].id;
      await uiLogin(page, email, words);
      await page.getByRole("heading", { level: 1, name: words.catalog }).waitFor();
      await page.goto(`${WEB_URL}/products/${product.id}`);
      await page.getByRole("button", { name: words.add, exact: true }).click();
      for (const route of routes(words, lang, product, orderId)) {
        await page.goto(`${WEB_URL}${route.path}`);
        await expectPage(page, route, "opening it");
        await page.reload(); // the browser revalidates index.html with If-None-Match
        await expectPage(page, route, "a reload");
        await page.goto(`${WEB_URL}${route.path}`); // a revisit: index.html is no-cache, so revalidated too
        await expectPage(page, route, "a revisit");
      }
      check(problems.length === 0, problems.join("\n"));
    });

    test(`a shop, not an admin page (${form}, ${lang})`, async (browser) => {
      const { page, problems } = await newPage(browser, viewport, { lang });
      await page.goto(`${WEB_URL}/`);
      await page.getByRole("heading", { level: 1, name: words.catalog }).waitFor();
      await page.locator("article.card img").first().evaluate((img) => img.decode());

      // Header: touch targets at least 44 px tall; a footer with the shop's name; the skip link works.
      for (const target of await page.locator("header a:not(.skip-link), header button").all()) {
        const box = await target.boundingBox();
        check(box && box.height >= 44, `header target "${await target.innerText()}" is ${box?.height}px tall (44 wanted)`);
      }
      const footer = page.getByRole("contentinfo");
      check((await footer.innerText()).includes(SHOP) && (await footer.innerText()).includes(words.tagline), "footer names the shop");
      await page.keyboard.press("Tab");
      const skip = page.getByRole("link", { name: words.skip });
      check(await skip.evaluate((el) => el === document.activeElement), "the first Tab reaches the skip link");
      await page.keyboard.press("Enter");
      check(await page.evaluate(() => document.activeElement?.id === "main"), "the skip link moves focus to the content");
      await shot(page, `catalog-${form}-${lang}`);

      // Sort by price and by name: over the whole catalog, in the shopper's language.
      const byId = new Map(products.map((p) => [p.id, p]));
      const shown = async () => (await page.locator("article.card").evaluateAll((cards) => cards.map((c) => c.dataset.productId))).map((id) => byId.get(id));
      await page.getByLabel(words.sort).selectOption({ label: words.priceAsc });
      await page.waitForURL(/sort=price-asc/);
      await pollUntil("cheapest product first", 10_000, async () => (await shown())[0]?.price === Math.min(...products.map((p) => p.price)));
      const prices = (await shown()).map((p) => p.price);
      check(prices.every((price, i) => i === 0 || prices[i - 1] <= price), `prices ascend: ${prices.join(", ")}`);
      await page.getByLabel(words.sort).selectOption({ label: words.byName });
      await page.waitForURL(/sort=name/);
      const collator = new Intl.Collator(words.locale, { sensitivity: "base", numeric: true });
      const first = [...products].sort((a, b) => collator.compare(a.name[lang], b.name[lang]))[0];
      await pollUntil(`${first.name[lang]} first by name`, 10_000, async () => (await shown())[0]?.id === first.id);
      const names = (await shown()).map((p) => p.name[lang]);
      check(names.every((name, i) => i === 0 || collator.compare(names[i - 1], name) <= 0), `names ascend: ${names.join(", ")}`);

      // Add to cart from the grid, and see it said.
      const card = page.locator("article.card").filter({ has: page.getByRole("button", { name: words.add }) }).first();
      const name = byId.get(await card.getAttribute("data-product-id")).name[lang];
      await card.getByRole("button", { name: words.add }).click();
      await page.getByTestId("added-status").getByText(words.added(name)).waitFor();
      check(/\(1\)/.test(await page.getByTestId("cart-link").innerText()), "the cart counts the product added from the grid");

      // Product images show the kind: no words, no ids drawn into them.
      const svg = await (await fetch(`${WEB_URL}${byId.get(await card.getAttribute("data-product-id")).image}`)).text();
      check(!/<text|<title|p-\d{4}/.test(svg), "a product image carries no words and no id");

      // A quantity of 999: the shop's own message, in the shop's language (not the browser's tooltip).
      const product = products.find((p) => p.stock >= 5);
      await page.goto(`${WEB_URL}/products/${product.id}`);
      const quantity = page.getByLabel(lang === "es" ? "Cantidad" : "Quantity", { exact: true });
      await quantity.fill("999");
      await page.getByRole("button", { name: words.add, exact: true }).click();
      const max = Math.min(product.stock, 20);
      await page.getByText(words.range(max)).waitFor();
      check((await quantity.getAttribute("aria-invalid")) === "true", "the quantity is marked invalid");
      check(await quantity.evaluate((el) => el.form.noValidate), "the browser's own validation bubble is off");
      await quantity.fill("1");
      await page.getByRole("button", { name: words.add, exact: true }).click();
      await page.locator(".alert-info").waitFor();
      await shot(page, `product-${form}-${lang}`);

      // Checkout: the summary comes before the Pay button (on a phone, above it).
      const session = await apiLogin(USER.email);
      await page.evaluate((value) => sessionStorage.setItem("shop.session", JSON.stringify(value)), {
        token: session.token, expires_at: session.expires_at, customer: session.customer,
      });
      await page.goto(`${WEB_URL}/checkout`);
      const summary = page.getByRole("complementary", { name: words.summary });
      await summary.waitFor();
      const pay = page.getByRole("button", { name: words.pay });
      const [s, p] = [await summary.boundingBox(), await pay.boundingBox()];
      if (viewport === PHONE) check(s.y + s.height <= p.y, `phone: the summary (y ${s.y}) comes before Pay (y ${p.y})`);
      else check(s.x > p.x && s.y < p.y, "desktop: the summary sits beside the form, above the Pay button");
      await shot(page, `checkout-${form}-${lang}`);

      // My orders: pictures of what was bought; the short number next to the id when the order has one.
      const orders = await apiOrders(session.token);
      await page.goto(`${WEB_URL}/orders`);
      const row = page.locator(`tr[data-order-id="${orders[0].id}"]`);
      await row.waitFor();
      await pollUntil("thumbnails in the order list", 10_000, async () =>
        row.locator(".thumbs img").evaluateAll((imgs) => imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0)),
      );
      if (orders[0].number) check((await row.innerText()).includes(orders[0].number) && (await row.innerText()).includes(orders[0].id), "number and id");
      await row.getByRole("link").first().click();
      const label = orders[0].number ?? orders[0].id;
      await page.getByRole("heading", { level: 1, name: `${words.order} ${label}` }).waitFor();
      if (orders[0].number) await page.getByText(orders[0].id).waitFor();
      for (const item of orders[0].items) await page.getByRole("link", { name: localized(item.name, lang), exact: true }).waitFor();
      await page.locator(".order-items img").first().waitFor();
      await shot(page, `order-${form}-${lang}`);
      check(problems.length === 0, problems.join("\n"));
    });
  }

  test(`a customer's own language applies after login (${form})`, async (browser) => {
    const { page } = await newPage(browser, viewport); // no language chosen yet: Spanish first
    await uiLogin(page, "john@example.com", WORDS.es);
    await page.getByRole("heading", { level: 1, name: "Catalog" }).waitFor();
    check((await page.locator("html").getAttribute("lang")) === "en", "html lang is en after John logs in");
    await page.getByText("Hello, John Smith").waitFor();
    const orders = await apiOrders((await apiLogin("john@example.com")).token);
    check(orders.length > 0, "john@example.com has orders in the seed");
    await page.goto(`${WEB_URL}/orders/${orders[0].id}`);
    await page.getByRole("heading", { level: 1, name: /^Order \S+$/ }).waitFor();
    for (const item of orders[0].items) {
      // The line's English name when the order kept both names; the stored string for older orders.
      await page.getByRole("link", { name: localized(item.name, "en"), exact: true }).waitFor();
    }
    await page.reload();
    await page.getByRole("heading", { level: 1, name: /^Order \S+$/ }).waitFor(); // still English
  });
}

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
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  for (const { name, fn } of tests.filter((t) => !only || only.test(t.name))) {
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
