import { useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../api";
import { ProductCard } from "../components/ProductCard";
import { Alert, Loading, PageHeading } from "../components/ui";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { navigate, useLocation } from "../router";
import type { Category, Product } from "../types";

const PAGE_SIZE = 12;

function catalogUrl(category: string, q: string): string {
  const params = new URLSearchParams();
  if (category) params.set("category", category);
  if (q) params.set("q", q);
  const text = params.toString();
  return text ? `/?${text}` : "/";
}

export function CatalogPage() {
  const { t, lang } = useI18n();
  const { search } = useLocation();
  const category = search.get("category") ?? "";
  const q = search.get("q") ?? "";
  const [categories, setCategories] = useState<Category[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [query, setQuery] = useState(q);
  const [attempt, setAttempt] = useState(0);
  const firstNew = useRef<number | null>(null);
  const grid = useRef<HTMLUListElement>(null);

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
    api.products({ category, q, limit: PAGE_SIZE }, controller.signal).then(
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
  }, [category, q, attempt]);

  // After "load more", focus the first new product so keyboard users continue where the list grew.
  useEffect(() => {
    if (firstNew.current === null) return;
    const link = grid.current?.querySelectorAll<HTMLAnchorElement>(".card-title a")[firstNew.current];
    link?.focus();
    firstNew.current = null;
  }, [products]);

  const loadMore = () => {
    if (!nextToken) return;
    setLoading(true);
    api.products({ category, q, limit: PAGE_SIZE, next_token: nextToken }).then(
      (page) => {
        firstNew.current = products.length;
        setProducts((current) => [...current, ...page.items]);
        setNextToken(page.next_token);
        setLoading(false);
      },
      (err: unknown) => {
        setError(err);
        setLoading(false);
      },
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(catalogUrl(category, query.trim()));
  };

  return (
    <section>
      <PageHeading>{t("catalog.title")}</PageHeading>
      <form role="search" className="search" onSubmit={submit}>
        <label htmlFor="q">{t("catalog.search")}</label>
        <div className="search-row">
          <input id="q" name="q" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          <button type="submit">{t("catalog.searchButton")}</button>
        </div>
      </form>
      <nav aria-label={t("catalog.categories")} className="categories">
        <ul>
          <li>
            <button type="button" aria-pressed={category === ""} onClick={() => navigate(catalogUrl("", q))}>
              {t("catalog.all")}
            </button>
          </li>
          {categories.map((c) => (
            <li key={c.id}>
              <button type="button" aria-pressed={category === c.id} onClick={() => navigate(catalogUrl(c.id, q))}>
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
        {products.map((product) => (
          <li key={product.id}>
            <ProductCard product={product} />
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status">
        {!loading && t("catalog.results", { count: products.length })}
      </p>
      {loading && <Loading />}
      {nextToken && !loading && (
        <p className="more">
          <button type="button" onClick={loadMore}>
            {t("catalog.more")}
          </button>
        </p>
      )}
    </section>
  );
}
