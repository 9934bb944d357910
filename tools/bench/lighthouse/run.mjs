#!/usr/bin/env node
// Lighthouse on the deployed storefront: catalog, product and checkout pages, phone (Lighthouse's mobile
// defaults: Moto G Power screen, slow 4G, 4x CPU) and desktop (its desktop preset), in Debian's Chromium.
// `make bench` runs it (tools/bench/lighthouse_bench.py) and writes the scores to docs/performance.md.
//
//   WEB_URL   the storefront (default http://localhost:8080)
//   CHROMIUM  the browser (default /usr/bin/chromium)
//   RUNS      runs per page and form factor; the run with the median performance score is kept (default 3)
//   SAVE_DIR  if set, every full Lighthouse report is written there as JSON (to see why a score is lost)
//
// Prints one JSON object: {pages: [{page, formFactor, url, scores, metrics, failing}], lighthouse, chromium}.
// The checkout needs a signed-in shopper with a cart: the script logs in through the API, puts the session and
// the cart where the storefront keeps them (sessionStorage, localStorage) in the same tab, clears the HTTP cache
// and measures without Lighthouse's storage reset. The catalog and product pages are measured as a first visit.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import lighthouse, { desktopConfig } from "lighthouse";
import puppeteer from "puppeteer-core";

const WEB_URL = (process.env.WEB_URL ?? "http://localhost:8080").replace(/\/$/, "");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const RUNS = Number(process.env.RUNS ?? 3);
const CATEGORIES = ["performance", "accessibility", "best-practices"];
const METRICS = {
  "first-contentful-paint": "fcp_ms",
  "largest-contentful-paint": "lcp_ms",
  "total-blocking-time": "tbt_ms",
  "cumulative-layout-shift": "cls",
  "speed-index": "si_ms",
};
// The flags this closed network needs (no background calls to Google's services).
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function json(path, init) {
  const response = await fetch(`${WEB_URL}${path}`, init);
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path}: HTTP ${response.status}`);
  return response.json();
}

async function measure(browser, url, formFactor, prepare) {
  const page = await browser.newPage();
  try {
    let disableStorageReset = false;
    if (prepare) {
      await page.goto(`${WEB_URL}/`, { waitUntil: "load" });
      await page.evaluate(prepare.script, prepare.arg);
      const cdp = await page.createCDPSession();
      await cdp.send("Network.clearBrowserCache"); // a cold cache, as for the other pages; storage stays
      disableStorageReset = true;
    }
    const flags = { onlyCategories: CATEGORIES, disableStorageReset, logLevel: "error" };
    const result = await lighthouse(url, flags, formFactor === "desktop" ? desktopConfig : undefined, page);
    return result.lhr;
  } finally {
    await page.close();
  }
}

function summary(lhr) {
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
  const metrics = Object.fromEntries(
    Object.entries(METRICS).map(([audit, name]) => {
      const value = lhr.audits[audit]?.numericValue ?? null;
      return [name, value === null ? null : name === "cls" ? Number(value.toFixed(3)) : Math.round(value)];
    }),
  );
  const failing = CATEGORIES.flatMap((c) =>
    (lhr.categories[c]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => `${ref.id} (${lhr.audits[ref.id].score})`),
  );
  return { scores, metrics, failing };
}

async function main() {
  const products = await json("/api/products?limit=100");
  const product = products.items.find((p) => p.stock >= 5);
  const login = await json("/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "ana@example.com", password: "Demo-1234" }),
  });
  const cart = [{ product_id: product.id, name: product.name, price: product.price, currency: product.currency, image: product.image, stock: product.stock, quantity: 1 }];
  const signedIn = {
    script: ({ session, cart }) => {
      sessionStorage.setItem("shop.session", JSON.stringify(session));
      localStorage.setItem("shop.cart", JSON.stringify(cart));
    },
    arg: { session: { token: login.token, expires_at: login.expires_at, customer: login.customer }, cart },
  };
  const pages = [
    { page: "catalog", path: "/" },
    { page: "product", path: `/products/${product.id}` },
    { page: "checkout", path: "/checkout", prepare: signedIn },
  ];
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const results = [];
  try {
    for (const formFactor of ["mobile", "desktop"]) {
      for (const { page, path, prepare } of pages) {
        const runs = [];
        for (let i = 0; i < RUNS; i++) {
          const lhr = await measure(browser, `${WEB_URL}${path}`, formFactor, prepare);
          if (process.env.SAVE_DIR) {
            mkdirSync(process.env.SAVE_DIR, { recursive: true });
            writeFileSync(`${process.env.SAVE_DIR}/${formFactor}-${page}-${i + 1}.json`, JSON.stringify(lhr));
          }
          runs.push(summary(lhr));
        }
        runs.sort((a, b) => a.scores.performance - b.scores.performance);
        const median = runs[Math.floor(runs.length / 2)];
        results.push({ page, formFactor, url: path, runs: runs.length, ...median, performance_runs: runs.map((r) => r.scores.performance) });
        console.error(`${formFactor} ${page}: ${JSON.stringify(median.scores)} ${median.failing.join(", ")}`);
      }
    }
  } finally {
    await browser.close();
  }
  const version = JSON.parse(readFileSync(new URL("./node_modules/lighthouse/package.json", import.meta.url))).version;
  console.log(JSON.stringify({ lighthouse: version, chromium: await chromiumVersion(), pages: results }, null, 2));
}

async function chromiumVersion() {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    return await browser.version();
  } finally {
    await browser.close();
  }
}

await main();
