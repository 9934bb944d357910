import { useEffect, useState } from "react";
import { cartTotal, maxQuantity } from "../cart";
import { Alert, PageHeading, Price, usePageTitle } from "../components/ui";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { useShop } from "../state";

/** Lets the field be empty while typing; only a whole number from 1 to max reaches the cart (Remove removes). */
function QuantityInput({ id, value, max, onChange }: { id: string; value: number; max: number; onChange: (n: number) => void }) {
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  return (
    <input
      id={id}
      type="number"
      inputMode="numeric"
      min={1}
      max={max}
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        const n = Number(e.target.value);
        if (Number.isInteger(n) && n >= 1) onChange(Math.min(n, max));
      }}
      onBlur={() => setDraft(String(value))}
    />
  );
}

export function CartPage() {
  const { t, lang } = useI18n();
  const { cart, setQty, remove } = useShop();
  usePageTitle(t("cart.title"));
  const [status, setStatus] = useState("");
  const total = cartTotal(cart);

  return (
    <section>
      <PageHeading>{t("cart.title")}</PageHeading>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {cart.length === 0 ? (
        <>
          <p>{t("cart.empty")}</p>
          <p>
            <Link to="/">{t("cart.continue")}</Link>
          </p>
        </>
      ) : (
        <>
          <ul className="cart-lines">
            {cart.map((line) => {
              const name = line.name[lang];
              const id = `qty-${line.product_id}`;
              return (
                <li key={line.product_id} className="cart-line" data-product-id={line.product_id}>
                  <img src={line.image} alt="" width="96" height="72" />
                  <div className="cart-line-name">
                    <Link to={`/products/${line.product_id}`}>{name}</Link>
                    <div className="muted">
                      <Price amount={line.price} currency={line.currency} />
                    </div>
                  </div>
                  <div className="field field-inline">
                    <label htmlFor={id} className="visually-hidden">
                      {t("cart.quantityLabel", { name })}
                    </label>
                    <QuantityInput
                      id={id}
                      value={line.quantity}
                      max={maxQuantity(line.stock)}
                      onChange={(quantity) => setQty(line.product_id, quantity)}
                    />
                  </div>
                  <div className="cart-line-total">
                    <Price amount={line.price * line.quantity} currency={line.currency} />
                  </div>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={t("cart.removeLabel", { name })}
                    onClick={() => {
                      remove(line.product_id);
                      setStatus(t("cart.removed", { name }));
                    }}
                  >
                    {t("cart.remove")}
                  </button>
                </li>
              );
            })}
          </ul>
          <p className="cart-total">
            {t("cart.total")}: <strong data-testid="cart-total"><Price amount={total.amount} currency={total.currency} /></strong>
          </p>
          <p className="actions">
            <Link to="/" className="button">
              {t("cart.continue")}
            </Link>
            <Link to="/checkout" className="button primary">
              {t("cart.checkout")}
            </Link>
          </p>
        </>
      )}
      {cart.some((line) => line.quantity > maxQuantity(line.stock)) && <Alert>{t("error.outOfStockAny")}</Alert>}
    </section>
  );
}
