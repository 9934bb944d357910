import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api } from "../api";
import { maxQuantity } from "../cart";
import { Alert, Loading, PageHeading, Price, StockBadge } from "../components/ui";
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
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState<{ kind: "info" | "error"; text: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.product(id, controller.signal).then(setProduct, (err: unknown) => {
      if (!controller.signal.aborted) setError(err);
    });
    return () => controller.abort();
  }, [id]);

  if (error) {
    const notFound = error instanceof ApiError && error.status === 404;
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
  const soldOut = limit === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = add(product, quantity);
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
        <img src={product.image} alt={name} className="product-image" width="480" height="360" />
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
            <form className="add-form" onSubmit={submit}>
              <div className="field field-inline">
                <label htmlFor="quantity">{t("product.quantity")}</label>
                <input
                  id="quantity"
                  type="number"
                  min={1}
                  max={Math.max(1, limit - inCart)}
                  value={quantity}
                  onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))}
                />
              </div>
              <button type="submit" className="primary">
                {t("product.add")}
              </button>
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
