import { maxQuantity } from "../cart";
import { useI18n } from "../i18n";
import { Link } from "../router";
import type { Product } from "../types";
import { Price, StockBadge } from "./ui";

/** A product in the grid: image, name (the link), price, stock, and "add to cart" without leaving the grid. */
export function ProductCard({ product, onAdd, eager = false }: { product: Product; onAdd?: (product: Product) => void; eager?: boolean }) {
  const { t, lang } = useI18n();
  const name = product.name[lang];
  return (
    <article className="card" data-product-id={product.id} data-stock={product.stock}>
      <img
        src={product.image}
        alt=""
        className="card-image"
        loading={eager ? "eager" : "lazy"}
        fetchPriority={eager ? "high" : undefined}
        width="400"
        height="300"
      />
      <div className="card-body">
        <h2 className="card-title">
          <Link to={`/products/${product.id}`}>{name}</Link>
        </h2>
        <p className="card-description">{product.description[lang]}</p>
        <p className="card-meta">
          <Price amount={product.price} currency={product.currency} /> <StockBadge stock={product.stock} />
        </p>
        {onAdd && maxQuantity(product.stock) > 0 && (
          <button type="button" className="card-add" onClick={() => onAdd(product)}>
            {/* The visible words start the accessible name (WCAG 2.5.3); the product's name tells cards apart. */}
            {t("product.add")}
            <span className="visually-hidden">: {name}</span>
          </button>
        )}
      </div>
    </article>
  );
}
