import { useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../api";
import { maxQuantity } from "../cart";
import { ProductCard } from "../components/ProductCard";
import { Alert, Loading, PageHeading, usePageTitle } from "../components/ui";
import { errorMessage } from "../errors";
import { useI18n, type Lang, type MessageKey } from "../i18n";
import { Link, navigate, useLocation } from "../router";
import { useShop } from "../state";
import type { Category, Product } from "../types";

const PAGE_SIZE = 12;
/** The largest page the API serves: a sorted view reads the whole (small) filtered catalog in few requests. */
const ALL_PAGE = 100;

export const SORTS = { "": "catalog.sortFeatured", "price-asc": "catalog.sortPriceAsc", "price-desc": "catalog.sortPriceDesc", name: "catalog.sortName" } as const;
export type Sort = keyof typeof SORTS;

function asSort(value: string | null): Sort {
  return value && value in SORTS ? (value as Sort) : "";
}

function catalogUrl(category: string, q: string, sort: Sort): string {
  const params = new URLSearchParams();
  if (category) params.set("category", category);
  if (q) params.set("q", q);
  if (sort) params.set("sort", sort);
  const text = params.toString();
  return text ? `/?${text}` : "/";
}

/**
 * The API lists products in a fixed order, page by page; a price or name order needs every match, so the
 * sorted view reads all pages of the current filter (the catalog is tens to hundreds of products) and pages
 * through them here. Names sort in the shopper's language, with its collation (Á next to A).
 */
export function sortProducts(products: Product[], sort: Sort, lang: Lang, locale: string): Product[] {
  if (!sort) return products;
  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  const byName = (a: Product, b: Product) => collator.compare(a.name[lang], b.name[lang]) || a.id.localeCompare(b.id);
  const sorted = [...products];
  if (sort === "name") sorted.sort(byName);
  else sorted.sort((a, b) => (sort === "price-asc" ? a.price - b.price : b.price - a.price) || byName(a, b));
  return sorted;
}

async function everyProduct(category: string, q: string, signal: AbortSignal): Promise<Product[]> {
  const all: Product[] = [];
  let token: string | null = null;
  do {
    const page = await api.products({ category, q, limit: ALL_PAGE, next_token: token }, signal);
    all.push(...page.items);
    token = page.next_token;
  } while (token);
  return all;
}

export function CatalogPage() {
  const { t, lang, locale } = useI18n();
  const { add } = useShop();
  const { search } = useLocation();
  const category = search.get("category") ?? "";
  const q = search.get("q") ?? "";
  const sort = asSort(search.get("sort"));
  const [categories, setCategories] = useState<Category[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE_SIZE);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [query, setQuery] = useState(q);
  const [attempt, setAttempt] = useState(0);
  const [added, setAdded] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const firstNew = useRef<number | null>(null);
  const grid = useRef<HTMLUListElement>(null);

  const categoryName = categories.find((c) => c.id === category)?.name[lang];
  usePageTitle(q ? t("catalog.searchTitle", { q }) : (categoryName ?? t("catalog.title")));

  useEffect(() => {
    const controller = new AbortController();
    api.categories(controller.signal).then(setCategories, () => undefined); // the catalog works without them
    return () => controller.abort();
  }, []);

  useEffect(() => setQuery(q), [q]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setShown(PAGE_SIZE);
    const load = sort
      ? everyProduct(category, q, controller.signal).then((items) => ({ items, next_token: null }))
      : api.products({ category, q, limit: PAGE_SIZE }, controller.signal);
    load.then(
      (page) => {
        setProducts(page.items);
        setNextToken(page.next_token);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [category, q, sort, attempt]);

  // After "load more", focus the first new product so keyboard users continue where the list grew.
  useEffect(() => {
    if (firstNew.current === null) return;
    const link = grid.current?.querySelectorAll<HTMLAnchorElement>(".card-title a")[firstNew.current];
    link?.focus();
    firstNew.current = null;
  }, [products, shown]);

  const visible = sort ? sortProducts(products, sort, lang, locale).slice(0, shown) : products;
  const more = sort ? shown < products.length : !!nextToken;

  const loadMore = () => {
    firstNew.current = visible.length;
    if (sort) {
      setShown((n) => n + PAGE_SIZE);
      return;
    }
    if (!nextToken) return;
    setLoading(true);
    api.products({ category, q, limit: PAGE_SIZE, next_token: nextToken }).then(
      (page) => {
        setProducts((current) => [...current, ...page.items]);
        setNextToken(page.next_token);
        setLoading(false);
      },
      (err: unknown) => {
        firstNew.current = null;
        setError(err);
        setLoading(false);
      },
    );
  };

  const addOne = (product: Product) => {
    const name = product.name[lang];
    const result = add(product, 1);
    if (result.added > 0) setAdded({ kind: "info", text: t("product.added", { name }) });
    else setAdded({ kind: "error", text: t("product.stockLimit", { count: maxQuantity(product.stock), name }) });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(catalogUrl(category, query.trim(), sort));
  };

  return (
    <section>
      <PageHeading>{t("catalog.title")}</PageHeading>
      <div className="catalog-tools">
        <form role="search" className="search" onSubmit={submit}>
          <label htmlFor="q">{t("catalog.search")}</label>
          <div className="search-row">
            <input id="q" name="q" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
            <button type="submit">{t("catalog.searchButton")}</button>
          </div>
        </form>
        <div className="sort">
          <label htmlFor="sort">{t("catalog.sort")}</label>
          <select id="sort" value={sort} onChange={(e) => navigate(catalogUrl(category, q, asSort(e.target.value)))}>
            {(Object.entries(SORTS) as [Sort, MessageKey][]).map(([value, key]) => (
              <option key={value} value={value}>
                {t(key)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <nav aria-label={t("catalog.categories")} className="categories">
        <ul>
          <li>
            <button type="button" aria-pressed={category === ""} onClick={() => navigate(catalogUrl("", q, sort))}>
              {t("catalog.all")}
            </button>
          </li>
          {categories.map((c) => (
            <li key={c.id}>
              <button type="button" aria-pressed={category === c.id} onClick={() => navigate(catalogUrl(c.id, q, sort))}>
                {c.name[lang]} <span className="count">({c.count})</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {error !== null && (
        <Alert>
          {errorMessage(error, t)}{" "}
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            {t("common.retry")}
          </button>
        </Alert>
      )}
      {!loading && !error && products.length === 0 && <p>{t("catalog.empty")}</p>}
      <ul className="grid" ref={grid} aria-busy={loading}>
        {visible.map((product, index) => (
          <li key={product.id}>
            <ProductCard product={product} onAdd={addOne} eager={index < 4} />
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status">
        {!loading && t("catalog.results", { count: visible.length })}
      </p>
      {loading && <Loading />}
      {more && !loading && (
        <p className="more">
          <button type="button" onClick={loadMore}>
            {t("catalog.more")}
          </button>
        </p>
      )}
      <div className={`toast ${added ? `toast-${added.kind}` : "toast-empty"}`} role="status" data-testid="added-status">
        {added && (
          <>
            {added.text} {added.kind === "info" && <Link to="/cart">{t("cart.view")}</Link>}
          </>
        )}
      </div>
    </section>
  );
}
