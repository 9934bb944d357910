import { Footer } from "./components/Footer";
import { Header } from "./components/Header";
import { PageHeading, usePageTitle } from "./components/ui";
import { useI18n } from "./i18n";
import { CartPage } from "./pages/CartPage";
import { CatalogPage } from "./pages/CatalogPage";
import { CheckoutPage } from "./pages/CheckoutPage";
import { ConfirmationPage } from "./pages/ConfirmationPage";
import { LoginPage } from "./pages/LoginPage";
import { OrderPage } from "./pages/OrderPage";
import { OrdersPage } from "./pages/OrdersPage";
import { ProductPage } from "./pages/ProductPage";
import { Link, match, useLocation } from "./router";

export function App() {
  const { path } = useLocation();
  const route = match(path);
  return (
    <>
      <Header />
      <main id="main" className="main" tabIndex={-1}>
        {route.page === "catalog" && <CatalogPage />}
        {route.page === "product" && <ProductPage key={route.id} id={route.id} />}
        {route.page === "cart" && <CartPage />}
        {route.page === "login" && <LoginPage />}
        {route.page === "checkout" && <CheckoutPage />}
        {route.page === "confirmation" && <ConfirmationPage key={route.id} id={route.id} />}
        {route.page === "orders" && <OrdersPage />}
        {route.page === "order" && <OrderPage key={route.id} id={route.id} />}
        {route.page === "not-found" && <NotFound />}
      </main>
      <Footer />
    </>
  );
}

function NotFound() {
  const { t } = useI18n();
  usePageTitle(t("notFound.title"));
  return (
    <section>
      <PageHeading>{t("notFound.title")}</PageHeading>
      <p>
        <Link to="/">{t("common.back")}</Link>
      </p>
    </section>
  );
}
