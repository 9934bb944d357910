import { useI18n } from "../i18n";
import { Link } from "../router";
import { SiteLinks } from "./SiteLinks";

export function Footer() {
  const { t } = useI18n();
  return (
    <footer className="site-footer">
      <div className="footer-inner">
        <p className="footer-brand">{t("app.name")}</p>
        <p className="muted">{t("footer.tagline")}</p>
        <nav aria-label={t("footer.links")}>
          <ul className="footer-links">
            <SiteLinks />
            <li>
              <Link to="/cart">{t("nav.cart")}</Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
