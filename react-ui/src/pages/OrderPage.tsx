import { useCallback, useEffect, useState, type ReactNode } from "react";
import { ApiError, api } from "../api";
import { Alert, Loading, PageHeading, Price, usePageTitle } from "../components/ui";
import { errorMessage } from "../errors";
import { localized, useI18n } from "../i18n";
import { formatDate } from "../money";
import { useItemImages } from "../productImages";
import { Link } from "../router";
import { useShop } from "../state";
import { CANCELLABLE, TERMINAL, type Order } from "../types";

export const POLL_MS = 2000;

function SubHeading({ children }: { children: ReactNode }) {
  return <h2>{children}</h2>;
}

export function StatusBadge({ status }: { status: Order["status"] }) {
  const { t } = useI18n();
  return (
    <span className={`status status-${status.toLowerCase()}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

/** What a customer calls the order: its short number once it has one, else its id. */
export function orderLabel(order: Pick<Order, "id" | "number">): string {
  return order.number || order.id;
}

/** The order, polled while it can still change (PENDING → PAID → SHIPPED, or a failure). */
export function OrderDetails({
  id,
  headingLevel = 1,
  onOrder,
}: {
  id: string;
  headingLevel?: 1 | 2;
  onOrder?: (order: Order) => void;
}) {
  const { t, lang, locale } = useI18n();
  const { requireToken, handleAuthError } = useShop();
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const token = requireToken();
      if (!token) return null;
      try {
        const value = await api.order(token, id, signal);
        setOrder(value);
        onOrder?.(value);
        setError(null);
        return value;
      } catch (err) {
        if (signal?.aborted) return null;
        if (!handleAuthError(err)) setError(err);
        return null;
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- onOrder is a notification, not an input
    [id, requireToken, handleAuthError],
  );

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const value = await load(controller.signal);
      if (controller.signal.aborted) return;
      // Keep polling through transient errors (429, 5xx); stop once the order can no longer change.
      if (value && TERMINAL.includes(value.status)) return;
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [load]);

  const cancel = async () => {
    const token = requireToken();
    if (!token || !order) return;
    if (!window.confirm(t("order.cancelConfirm", { id: orderLabel(order) }))) return;
    setCancelling(true);
    setCancelError(null);
    try {
      setOrder(await api.cancelOrder(token, order.id));
      setNotice(t("order.cancelled"));
    } catch (err) {
      if (handleAuthError(err)) return;
      setNotice(null);
      if (err instanceof ApiError && err.status === 409 && err.code !== "request_in_progress") {
        setCancelError(t(err.code === "too_late_to_cancel" ? "order.tooLate" : "order.cannotCancel"));
        void load(); // show the status that made it impossible
      } else setCancelError(errorMessage(err, t));
    } finally {
      setCancelling(false);
    }
  };

  const images = useItemImages(order?.items ?? []);
  const Heading = headingLevel === 1 ? PageHeading : SubHeading;
  const notFound = error instanceof ApiError && error.status === 404;
  if (!order) {
    if (notFound) return <Heading>{t("order.notFound")}</Heading>;
    return error ? <Alert>{errorMessage(error, t)}</Alert> : <Loading />;
  }
  const shipped = order.status === "SHIPPED" && order.shipment?.tracking_number;
  return (
    <article className="order" data-order-id={order.id}>
      <Heading>{t("order.title", { id: orderLabel(order) })}</Heading>
      {order.number && <p className="order-ref muted">{t("order.reference", { id: order.id })}</p>}
      <p className="muted">{t("order.placed", { date: formatDate(order.created_at, locale) })}</p>
      <div aria-live="polite" className="order-status" data-testid="order-status">
        <StatusBadge status={order.status} />
        {shipped && <p className="tracking">{t("order.tracking", { tracking: order.shipment!.tracking_number })}</p>}
        {order.failure_code && ["FAILED", "PAYMENT_FAILED"].includes(order.status) && (
          <p className="muted">{t("order.reason", { reason: t(`reason.${order.failure_code}`) })}</p>
        )}
        {notice && <p>{notice}</p>}
      </div>
      {!TERMINAL.includes(order.status) && <p className="muted small">{t("order.live")}</p>}
      {error !== null && <Alert>{errorMessage(error, t)}</Alert>}
      {cancelError && <Alert focus>{cancelError}</Alert>}
      <h3>{t("order.items")}</h3>
      <ul className="order-items">
        {order.items.map((item) => (
          <li key={item.product_id} className="order-item">
            <span className="thumb">{images[item.product_id] && <img src={images[item.product_id]} alt="" width="64" height="48" />}</span>
            <span>
              {item.quantity} × <Link to={`/products/${item.product_id}`}>{localized(item.name, lang)}</Link> —{" "}
              <Price amount={item.unit_price * item.quantity} currency={order.currency} />
            </span>
          </li>
        ))}
      </ul>
      <p>
        {t("cart.total")}: <strong><Price amount={order.total} currency={order.currency} /></strong>
      </p>
      <h3>{t("order.address")}</h3>
      <address>
        {order.address.name}
        <br />
        {order.address.line1}
        <br />
        {order.address.postal_code} {order.address.city} ({order.address.country})
      </address>
      {CANCELLABLE.includes(order.status) && (
        <p>
          <button type="button" className="danger" onClick={() => void cancel()} disabled={cancelling}>
            {t("order.cancel")}
          </button>
        </p>
      )}
    </article>
  );
}

export function OrderPage({ id }: { id: string }) {
  const { t } = useI18n();
  const [label, setLabel] = useState(id);
  usePageTitle(t("order.title", { id: label }));
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/orders">{t("nav.orders")}</Link>
      </p>
      <OrderDetails id={id} onOrder={(order) => setLabel(orderLabel(order))} />
    </section>
  );
}
