import { useState } from "react";
import { PageHeading, usePageTitle } from "../components/ui";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { OrderDetails, orderLabel } from "./OrderPage";

export function ConfirmationPage({ id }: { id: string }) {
  const { t } = useI18n();
  const [label, setLabel] = useState(id);
  usePageTitle(t("confirm.title"));
  return (
    <section>
      <PageHeading>{t("confirm.title")}</PageHeading>
      <p className="confirmation" data-testid="confirmation" data-order-id={id}>
        {t("confirm.body", { number: label })}
      </p>
      <p>
        <Link to={`/orders/${encodeURIComponent(id)}`} className="button primary">
          {t("confirm.follow")}
        </Link>
      </p>
      <OrderDetails id={id} headingLevel={2} onOrder={(order) => setLabel(orderLabel(order))} />
    </section>
  );
}
