import { useI18n } from "../i18n";
import { Link } from "../router";

/** The catalog and orders links that both the header's and the footer's navigation start with. */
export function SiteLinks() {
  const { t } = useI18n();
  return (
    <>
      <li>
        <Link to="/">{t("nav.catalog")}</Link>
      </li>
      <li>
        <Link to="/orders">{t("nav.orders")}</Link>
      </li>
    </>
  );
}
