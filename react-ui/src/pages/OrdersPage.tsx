import { useEffect, useState } from "react";
import { api } from "../api";
import { Alert, Loading, PageHeading, Price, usePageTitle } from "../components/ui";
import { errorMessage } from "../errors";
import { localized, useI18n } from "../i18n";
import { formatDate } from "../money";
import { useItemImages } from "../productImages";
import { Link } from "../router";
import { useShop } from "../state";
import type { Order } from "../types";
import { StatusBadge, orderLabel } from "./OrderPage";

/** Pictures of the first lines of an order (the rest as "+N"), named for screen readers in one phrase. */
function Thumbnails({ order, images }: { order: Order; images: Record<string, string> }) {
  const { lang } = useI18n();
  const first = order.items.slice(0, 3);
  const rest = order.items.length - first.length;
  const names = order.items.map((item) => `${item.quantity} × ${localized(item.name, lang)}`).join(", ");
  return (
    <span className="thumbs" role="img" aria-label={names} title={names}>
      {first.map((item) => (
        <span key={item.product_id} className="thumb">
          {images[item.product_id] && <img src={images[item.product_id]} alt="" width="48" height="36" />}
        </span>
      ))}
      {rest > 0 && <span className="thumb-more" aria-hidden="true">+{rest}</span>}
    </span>
  );
}

export function OrdersPage() {
  const { t, locale } = useI18n();
  const { requireToken, handleAuthError } = useShop();
  usePageTitle(t("orders.title"));
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const fetchPage = async (token: string | null, signal?: AbortSignal) => {
    const bearer = requireToken();
    if (!bearer) return;
    setLoading(true);
    try {
      const page = await api.orders(bearer, token, signal);
      setOrders((current) => (token ? [...(current ?? []), ...page.items] : page.items));
      setNextToken(page.next_token);
      setError(null);
    } catch (err) {
      if (signal?.aborted) return;
      if (!handleAuthError(err)) setError(err);
    } finally {
      setLoading(false);
    }
  };

  const images = useItemImages((orders ?? []).flatMap((order) => order.items.slice(0, 3)));

  useEffect(() => {
    const controller = new AbortController();
    void fetchPage(null, controller.signal);
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section>
      <PageHeading>{t("orders.title")}</PageHeading>
      {error !== null && <Alert>{errorMessage(error, t)}</Alert>}
      {orders && orders.length === 0 && <p>{t("orders.empty")}</p>}
      {orders && orders.length > 0 && (
        <table className="orders-table">
          <thead>
            <tr>
              <th scope="col">{t("orders.order")}</th>
              <th scope="col">{t("orders.items")}</th>
              <th scope="col">{t("orders.date")}</th>
              <th scope="col">{t("orders.status")}</th>
              <th scope="col" className="num">{t("orders.total")}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.id} data-order-id={order.id}>
                <th scope="row">
                  <Link to={`/orders/${encodeURIComponent(order.id)}`}>{orderLabel(order)}</Link>
                  {order.number && <span className="order-ref muted">{order.id}</span>}
                </th>
                <td>
                  <Thumbnails order={order} images={images} />
                </td>
                <td>{formatDate(order.created_at, locale)}</td>
                <td>
                  <StatusBadge status={order.status} />
                </td>
                <td className="num">
                  <Price amount={order.total} currency={order.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loading && <Loading />}
      {nextToken && !loading && (
        <p className="more">
          <button type="button" onClick={() => void fetchPage(nextToken)}>
            {t("orders.more")}
          </button>
        </p>
      )}
    </section>
  );
}
