import { PageHeading } from "../components/ui";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { OrderDetails } from "./OrderPage";

export function ConfirmationPage({ id }: { id: string }) {
  const { t } = useI18n();
  return (
    <section>
      <PageHeading>{t("confirm.title")}</PageHeading>
      <p className="confirmation" data-testid="confirmation">
        {t("confirm.body", { id })}
      </p>
      <p>
        <Link to={`/orders/${encodeURIComponent(id)}`} className="button primary">
          {t("confirm.follow")}
        </Link>
      </p>
      <OrderDetails id={id} headingLevel={2} />
    </section>
  );
}
