import { itemCount } from "../cart";
import { useI18n } from "../i18n";
import { Link, navigate } from "../router";
import { sessionValid, useShop } from "../state";
import { SiteLinks } from "./SiteLinks";

export function Header() {
  const { t, lang, setLang } = useI18n();
  const { cart, session, logout } = useShop();
  const count = itemCount(cart);
  const other = lang === "es" ? "en" : "es";
  const loggedIn = sessionValid(session);
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <div className="header-inner">
        <Link to="/" className="brand">
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.main")}>
          <ul className="nav-list">
            <SiteLinks />
            <li>
              <Link to="/cart" data-testid="cart-link">
                {t("nav.cartCount", { count })}
              </Link>
            </li>
            <li>
              {loggedIn ? (
                <span className="session">
                  <span className="hello">{t("nav.hello", { name: session.customer.name })}</span>{" "}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      logout();
                      navigate("/");
                    }}
                  >
                    {t("nav.logout")}
                  </button>
                </span>
              ) : (
                <Link to="/login">{t("nav.login")}</Link>
              )}
            </li>
          </ul>
        </nav>
        <button
          type="button"
          className="lang-switch"
          lang={other}
          aria-label={t("lang.switchLabel")}
          onClick={() => setLang(other)}
        >
          {t("lang.switch")}
        </button>
      </div>
    </header>
  );
}
