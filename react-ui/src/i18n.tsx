import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { LocalizedText } from "./types";

export type Lang = "es" | "en";
export const LANGS: Lang[] = ["es", "en"];

const es = {
  "app.name": "Tienda",
  "app.skip": "Saltar al contenido",
  "nav.main": "Principal",
  "nav.catalog": "Catálogo",
  "nav.orders": "Mis pedidos",
  "nav.cart": "Carrito",
  "nav.cartCount": "Carrito ({count})",
  "nav.login": "Iniciar sesión",
  "nav.logout": "Cerrar sesión",
  "nav.hello": "Hola, {name}",
  "footer.tagline": "Tienda de demostración: los pedidos y los pagos no son reales.",
  "footer.links": "Enlaces de la tienda",
  "lang.switch": "English",
  "lang.switchLabel": "Switch to English",
  "common.loading": "Cargando…",
  "common.retry": "Reintentar",
  "common.back": "Volver al catálogo",
  "catalog.title": "Catálogo",
  "catalog.categories": "Categorías",
  "catalog.all": "Todo",
  "catalog.search": "Buscar productos",
  "catalog.searchButton": "Buscar",
  "catalog.more": "Cargar más productos",
  "catalog.empty": "No hay productos que coincidan con tu búsqueda.",
  "catalog.results": "{count} productos mostrados",
  "catalog.searchTitle": "Resultados de «{q}»",
  "catalog.sort": "Ordenar por",
  "catalog.sortFeatured": "Destacados",
  "catalog.sortPriceAsc": "Precio: de menor a mayor",
  "catalog.sortPriceDesc": "Precio: de mayor a menor",
  "catalog.sortName": "Nombre: de la A a la Z",
  "product.outOfStock": "Agotado",
  "product.lastUnit": "¡Última unidad!",
  "product.fewLeft": "Quedan {count} unidades",
  "product.inStock": "En stock",
  "product.quantity": "Cantidad",
  "product.quantityRange": "Elige una cantidad entre 1 y {max}.",
  "product.add": "Añadir al carrito",
  "product.added": "«{name}» añadido al carrito.",
  "product.cannotAdd": "Este producto está agotado y no se puede añadir al carrito.",
  "product.stockLimit": "Solo quedan {count} unidades de «{name}» y ya están en tu carrito.",
  "product.notFound": "Este producto no existe.",
  "product.view": "Ver {name}",
  "cart.title": "Carrito",
  "cart.empty": "Tu carrito está vacío.",
  "cart.remove": "Quitar",
  "cart.removeLabel": "Quitar {name} del carrito",
  "cart.quantityLabel": "Cantidad de {name}",
  "cart.subtotal": "Subtotal",
  "cart.total": "Total",
  "cart.checkout": "Tramitar pedido",
  "cart.continue": "Seguir comprando",
  "cart.removed": "«{name}» quitado del carrito.",
  "cart.view": "Ver el carrito",
  "login.title": "Iniciar sesión",
  "login.email": "Correo electrónico",
  "login.password": "Contraseña",
  "login.submit": "Entrar",
  "login.failed": "El correo o la contraseña no son correctos.",
  "login.needed": "Inicia sesión para tramitar tu pedido.",
  "login.demo": "Cuenta de demostración: ana@example.com / Demo-1234",
  "checkout.title": "Tramitar pedido",
  "checkout.address": "Dirección de envío",
  "checkout.name": "Nombre y apellidos",
  "checkout.line1": "Dirección",
  "checkout.city": "Ciudad",
  "checkout.postal_code": "Código postal",
  "checkout.country": "País",
  "checkout.card": "Tarjeta",
  "checkout.card_number": "Número de tarjeta",
  "checkout.exp_month": "Mes de caducidad",
  "checkout.exp_year": "Año de caducidad",
  "checkout.cvc": "CVC",
  "checkout.cardNote": "Los datos de la tarjeta van directamente al sistema de pagos; nunca pasan por nuestra tienda.",
  "checkout.summary": "Resumen",
  "checkout.pay": "Pagar {total}",
  "checkout.paying": "Procesando el pago…",
  "checkout.errorsTitle": "Revisa los siguientes datos:",
  "checkout.emptyCart": "Tu carrito está vacío: añade algún producto antes de tramitar el pedido.",
  "confirm.title": "¡Pedido recibido!",
  "confirm.body": "Gracias. Tu número de pedido es {number}. Te enviaremos un correo con la confirmación.",
  "confirm.follow": "Seguir el pedido",
  "orders.title": "Mis pedidos",
  "orders.empty": "Todavía no tienes pedidos.",
  "orders.more": "Cargar más pedidos",
  "orders.order": "Pedido",
  "orders.date": "Fecha",
  "orders.status": "Estado",
  "orders.total": "Total",
  "orders.items": "Artículos",
  "order.title": "Pedido {id}",
  "order.reference": "Referencia: {id}",
  "order.placed": "Realizado el {date}",
  "order.items": "Artículos",
  "order.address": "Envío a",
  "order.tracking": "Número de seguimiento: {tracking}",
  "order.reason": "Motivo: {reason}",
  "reason.payment_declined": "el banco no ha autorizado el pago.",
  "reason.address_undeliverable": "la empresa de transporte no entrega en la dirección indicada.",
  "reason.shipment_refused": "la empresa de transporte no ha aceptado el envío.",
  "reason.processing_failed": "se produjo un error al procesar el pedido.",
  "order.tooLate": "Tu pedido ya se está preparando para el envío y no se puede cancelar.",
  "order.cancel": "Cancelar pedido",
  "order.cancelConfirm": "¿Seguro que quieres cancelar el pedido {id}?",
  "order.cancelled": "El pedido se ha cancelado. Si se había cobrado, se te devolverá el importe.",
  "order.cannotCancel": "Este pedido ya no se puede cancelar.",
  "order.live": "El estado se actualiza automáticamente.",
  "order.notFound": "No encontramos ese pedido.",
  "status.PENDING": "Pendiente",
  "status.PAID": "Pagado",
  "status.SHIPPING": "Preparando envío",
  "status.SHIPPED": "Enviado",
  "status.CANCELLING": "Cancelando",
  "status.FAILING": "No completado",
  "status.PAYMENT_FAILED": "Pago rechazado",
  "status.FAILED": "Fallido",
  "status.CANCELLED": "Cancelado",
  "error.declined": "Tu tarjeta ha sido rechazada. No se ha hecho ningún cargo; prueba con otra tarjeta.",
  "error.outOfStock": "No queda stock suficiente de «{name}». Ajusta la cantidad en el carrito.",
  "error.outOfStockAny": "Algún producto de tu carrito ya no tiene stock suficiente.",
  "error.paymentDown": "El sistema de pagos no está disponible en este momento. No se ha cobrado nada; inténtalo de nuevo en unos minutos.",
  "error.sessionExpired": "Tu sesión ha caducado. Inicia sesión de nuevo; tu carrito se conserva.",
  "error.throttled": "Demasiadas peticiones. Inténtalo de nuevo en un momento.",
  "error.inProgress": "Tu pedido todavía se está procesando. Espera un momento y vuelve a intentarlo.",
  "error.invalidField": "{field}: el valor no es válido.",
  "error.invalid": "Algún dato no es válido. Revisa el formulario.",
  "error.notFound": "No se ha encontrado lo que buscas.",
  "error.network": "No se pudo conectar con la tienda. Comprueba tu conexión e inténtalo de nuevo.",
  "error.server": "Algo ha fallado en la tienda. Inténtalo de nuevo más tarde.",
  "error.config": "No se pudo cargar la configuración de la tienda.",
  "error.conflict": "La operación no es posible en el estado actual.",
  "field.required": "Este campo es obligatorio.",
  "field.postal": "Introduce un código postal válido.",
  "field.country": "Elige un país.",
  "field.cardNumber": "El número de tarjeta no es válido.",
  "field.expMonth": "Mes entre 1 y 12.",
  "field.expYear": "La tarjeta está caducada o el año no es válido.",
  "field.cvc": "El CVC son 3 o 4 cifras.",
  "field.email": "Introduce un correo electrónico válido.",
  "field.invalid": "El valor no es válido.",
  "field.declined": "Tarjeta rechazada.",
  "notFound.title": "Página no encontrada",
};

export type MessageKey = keyof typeof es;

const en: Record<MessageKey, string> = {
  "app.name": "Tienda",
  "app.skip": "Skip to content",
  "nav.main": "Main",
  "nav.catalog": "Catalog",
  "nav.orders": "My orders",
  "nav.cart": "Cart",
  "nav.cartCount": "Cart ({count})",
  "nav.login": "Log in",
  "nav.logout": "Log out",
  "nav.hello": "Hello, {name}",
  "footer.tagline": "A demo shop: orders and payments are not real.",
  "footer.links": "Shop links",
  "lang.switch": "Español",
  "lang.switchLabel": "Cambiar a español",
  "common.loading": "Loading…",
  "common.retry": "Retry",
  "common.back": "Back to the catalog",
  "catalog.title": "Catalog",
  "catalog.categories": "Categories",
  "catalog.all": "All",
  "catalog.search": "Search products",
  "catalog.searchButton": "Search",
  "catalog.more": "Load more products",
  "catalog.empty": "No products match your search.",
  "catalog.results": "{count} products shown",
  "catalog.searchTitle": "Results for “{q}”",
  "catalog.sort": "Sort by",
  "catalog.sortFeatured": "Featured",
  "catalog.sortPriceAsc": "Price: low to high",
  "catalog.sortPriceDesc": "Price: high to low",
  "catalog.sortName": "Name: A to Z",
  "product.outOfStock": "Out of stock",
  "product.lastUnit": "Last unit!",
  "product.fewLeft": "{count} left",
  "product.inStock": "In stock",
  "product.quantity": "Quantity",
  "product.quantityRange": "Choose a quantity from 1 to {max}.",
  "product.add": "Add to cart",
  "product.added": "“{name}” added to the cart.",
  "product.cannotAdd": "This product is out of stock and cannot be added to the cart.",
  "product.stockLimit": "Only {count} of “{name}” left, and they are already in your cart.",
  "product.notFound": "This product does not exist.",
  "product.view": "View {name}",
  "cart.title": "Cart",
  "cart.empty": "Your cart is empty.",
  "cart.remove": "Remove",
  "cart.removeLabel": "Remove {name} from the cart",
  "cart.quantityLabel": "Quantity of {name}",
  "cart.subtotal": "Subtotal",
  "cart.total": "Total",
  "cart.checkout": "Check out",
  "cart.continue": "Continue shopping",
  "cart.removed": "“{name}” removed from the cart.",
  "cart.view": "View the cart",
  "login.title": "Log in",
  "login.email": "Email",
  "login.password": "Password",
  "login.submit": "Log in",
  "login.failed": "The email or the password is not right.",
  "login.needed": "Log in to check out.",
  "login.demo": "Demo account: ana@example.com / Demo-1234",
  "checkout.title": "Check out",
  "checkout.address": "Shipping address",
  "checkout.name": "Full name",
  "checkout.line1": "Address",
  "checkout.city": "City",
  "checkout.postal_code": "Postal code",
  "checkout.country": "Country",
  "checkout.card": "Card",
  "checkout.card_number": "Card number",
  "checkout.exp_month": "Expiry month",
  "checkout.exp_year": "Expiry year",
  "checkout.cvc": "CVC",
  "checkout.cardNote": "Your card details go straight to the payment system; they never pass through our shop.",
  "checkout.summary": "Summary",
  "checkout.pay": "Pay {total}",
  "checkout.paying": "Processing the payment…",
  "checkout.errorsTitle": "Please check the following:",
  "checkout.emptyCart": "Your cart is empty: add a product before checking out.",
  "confirm.title": "Order received!",
  "confirm.body": "Thank you. Your order number is {number}. We will send you a confirmation email.",
  "confirm.follow": "Follow the order",
  "orders.title": "My orders",
  "orders.empty": "You have no orders yet.",
  "orders.more": "Load more orders",
  "orders.order": "Order",
  "orders.date": "Date",
  "orders.status": "Status",
  "orders.total": "Total",
  "orders.items": "Items",
  "order.title": "Order {id}",
  "order.reference": "Reference: {id}",
  "order.placed": "Placed on {date}",
  "order.items": "Items",
  "order.address": "Ship to",
  "order.tracking": "Tracking number: {tracking}",
  "order.reason": "Reason: {reason}",
  "reason.payment_declined": "the bank did not authorize the payment.",
  "reason.address_undeliverable": "the carrier does not deliver to the address given.",
  "reason.shipment_refused": "the carrier did not accept the shipment.",
  "reason.processing_failed": "an error occurred while processing the order.",
  "order.tooLate": "Your order is already being prepared for shipping and can no longer be cancelled.",
  "order.cancel": "Cancel order",
  "order.cancelConfirm": "Do you really want to cancel order {id}?",
  "order.cancelled": "The order was cancelled. If you were charged, the amount will be refunded.",
  "order.cannotCancel": "This order can no longer be cancelled.",
  "order.live": "The status updates automatically.",
  "order.notFound": "We could not find that order.",
  "status.PENDING": "Pending",
  "status.PAID": "Paid",
  "status.SHIPPING": "Preparing shipment",
  "status.SHIPPED": "Shipped",
  "status.CANCELLING": "Cancelling",
  "status.FAILING": "Not completed",
  "status.PAYMENT_FAILED": "Payment declined",
  "status.FAILED": "Failed",
  "status.CANCELLED": "Cancelled",
  "error.declined": "Your card was declined. Nothing was charged; please try another card.",
  "error.outOfStock": "There is not enough stock of “{name}”. Please adjust the quantity in your cart.",
  "error.outOfStockAny": "A product in your cart no longer has enough stock.",
  "error.paymentDown": "The payment system is unavailable right now. Nothing was charged; please try again in a few minutes.",
  "error.sessionExpired": "Your session has expired. Please log in again; your cart has been kept.",
  "error.throttled": "Too many requests, try again in a moment.",
  "error.inProgress": "Your order is still being processed. Wait a moment and try again.",
  "error.invalidField": "{field}: the value is not valid.",
  "error.invalid": "Some data is not valid. Please check the form.",
  "error.notFound": "We could not find what you are looking for.",
  "error.network": "Could not reach the shop. Check your connection and try again.",
  "error.server": "Something went wrong in the shop. Please try again later.",
  "error.config": "Could not load the shop's configuration.",
  "error.conflict": "That is not possible in the current state.",
  "field.required": "This field is required.",
  "field.postal": "Enter a valid postal code.",
  "field.country": "Choose a country.",
  "field.cardNumber": "The card number is not valid.",
  "field.expMonth": "A month from 1 to 12.",
  "field.expYear": "The card has expired or the year is not valid.",
  "field.cvc": "The CVC is 3 or 4 digits.",
  "field.email": "Enter a valid email address.",
  "field.invalid": "The value is not valid.",
  "field.declined": "Card declined.",
  "notFound.title": "Page not found",
};

export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { es, en };

/** The BCP 47 locale used for numbers and dates in each language. */
export const LOCALES: Record<Lang, string> = { es: "es-ES", en: "en-GB" };

/** A text in the shopper's language; a plain string (an order line stored before lines kept both names) as is. */
export function localized(text: LocalizedText | string, lang: Lang): string {
  return typeof text === "string" ? text : (text[lang] ?? text.es);
}

/** The language a customer's profile names, if the shop speaks it. */
export function asLang(value: string | undefined | null): Lang | null {
  return value === "es" || value === "en" ? value : null;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = MESSAGES[lang][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
}

const STORAGE_KEY = "shop.lang";

export function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === "en" || stored === "es" ? stored : "es"; // Spanish first, whatever the browser says
}

interface I18n {
  lang: Lang;
  locale: string;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => fixed ?? initialLang());
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang; // each page sets document.title (components/ui.tsx usePageTitle)
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({ lang, locale: LOCALES[lang], setLang, t: (key, vars) => translate(lang, key, vars) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
