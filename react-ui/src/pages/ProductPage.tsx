import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api } from "../api";
import { maxQuantity } from "../cart";
import { Alert, Loading, PageHeading, Price, StockBadge, usePageTitle } from "../components/ui";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { useShop } from "../state";
import type { Product } from "../types";

export function ProductPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { add, cart } = useShop();
  const [product, setProduct] = useState<Product | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [quantity, setQuantity] = useState("1");
  const [quantityError, setQuantityError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const notFound = error instanceof ApiError && error.status === 404;
  usePageTitle(product ? product.name[lang] : error ? t(notFound ? "product.notFound" : "error.server") : null);

  useEffect(() => {
    const controller = new AbortController();
    api.product(id, controller.signal).then(setProduct, (err: unknown) => {
      if (!controller.signal.aborted) setError(err);
    });
    return () => controller.abort();
  }, [id]);

  if (error) {
    return (
      <section>
        <PageHeading>{notFound ? t("product.notFound") : t("error.server")}</PageHeading>
        {!notFound && <Alert>{errorMessage(error, t)}</Alert>}
        <p>
          <Link to="/">{t("common.back")}</Link>
        </p>
      </section>
    );
  }
  if (!product) return <Loading />;

  const name = product.name[lang];
  const limit = maxQuantity(product.stock);
  const inCart = cart.find((line) => line.product_id === product.id)?.quantity ?? 0;
  const room = Math.max(1, limit - inCart);
  const soldOut = limit === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Checked here, in the shop's language: the browser's own tooltip would speak the browser's language.
    const wanted = Number(quantity);
    if (!/^\d+$/.test(quantity.trim()) || wanted < 1 || wanted > room) {
      setQuantityError(t("product.quantityRange", { max: room }));
      setMessage(null);
      document.getElementById("quantity")?.focus();
      return;
    }
    setQuantityError(null);
    const result = add(product, wanted);
    if (result.reason === "out_of_stock") setMessage({ kind: "error", text: t("product.cannotAdd") });
    else if (result.added === 0) setMessage({ kind: "error", text: t("product.stockLimit", { count: limit, name }) });
    else setMessage({ kind: "info", text: t("product.added", { name }) });
  };

  return (
    <article className="product" data-product-id={product.id}>
      <p className="breadcrumb">
        <Link to="/">{t("common.back")}</Link>
      </p>
      <div className="product-layout">
        <img src={product.image} alt={name} className="product-image" width="400" height="300" fetchPriority="high" />
        <div className="product-info">
          <PageHeading>{name}</PageHeading>
          <p className="product-price">
            <Price amount={product.price} currency={product.currency} />
          </p>
          <p>
            <StockBadge stock={product.stock} />
          </p>
          <p className="product-description">{product.description[lang]}</p>
          {soldOut ? (
            <Alert kind="info">{t("product.cannotAdd")}</Alert>
          ) : (
            <form className="add-form" onSubmit={submit} noValidate>
              <div className="field field-inline">
                <label htmlFor="quantity">{t("product.quantity")}</label>
                <input
                  id="quantity"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={room}
                  value={quantity}
                  aria-invalid={quantityError ? true : undefined}
                  aria-describedby={quantityError ? "quantity-error" : undefined}
                  onChange={(e) => setQuantity(e.target.value)}
                />
              </div>
              <button type="submit" className="primary">
                {t("product.add")}
              </button>
              {quantityError && (
                <p id="quantity-error" className="field-error add-form-error">
                  {quantityError}
                </p>
              )}
            </form>
          )}
          {message && (
            <Alert kind={message.kind} focus={message.kind === "error"}>
              {message.text}{" "}
              {message.kind === "info" && <Link to="/cart">{t("nav.cart")}</Link>}
            </Alert>
          )}
        </div>
      </div>
    </article>
  );
}
