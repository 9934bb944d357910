import { useI18n } from "../i18n";
import { Link } from "../router";
import type { Product } from "../types";
import { Price, StockBadge } from "./ui";

export function ProductCard({ product }: { product: Product }) {
  const { lang } = useI18n();
  const name = product.name[lang];
  return (
    <article className="card" data-product-id={product.id} data-stock={product.stock}>
      <img src={product.image} alt="" className="card-image" loading="lazy" width="320" height="240" />
      <div className="card-body">
        <h2 className="card-title">
          <Link to={`/products/${product.id}`}>{name}</Link>
        </h2>
        <p className="card-description">{product.description[lang]}</p>
        <p className="card-meta">
          <Price amount={product.price} currency={product.currency} /> <StockBadge stock={product.stock} />
        </p>
      </div>
    </article>
  );
}
