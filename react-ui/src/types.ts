/** The App Server's shapes (functions/app_server/openapi.json). */

export interface LocalizedText {
  es: string;
  en: string;
}

export interface Product {
  id: string;
  name: LocalizedText;
  description: LocalizedText;
  category: string;
  price: number;
  currency: string;
  stock: number;
  image: string;
  created_at?: string | null;
}

export interface ProductPage {
  items: Product[];
  next_token: string | null;
}

export interface Category {
  id: string;
  name: LocalizedText;
  count: number;
}

export interface Customer {
  id: string;
  email: string;
  name: string;
  /** "es" or "en": the storefront switches to it at login. */
  locale?: string;
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  customer: Customer;
}

export interface Address {
  name: string;
  line1: string;
  city: string;
  postal_code: string;
  country: string;
}

/** The order state machine (functions/shared/orders.py): SHIPPING, CANCELLING and FAILING are claims in progress. */
export type OrderStatus =
  | "PENDING"
  | "PAID"
  | "SHIPPING"
  | "SHIPPED"
  | "CANCELLING"
  | "CANCELLED"
  | "FAILING"
  | "PAYMENT_FAILED"
  | "FAILED";

export const TERMINAL: OrderStatus[] = ["SHIPPED", "PAYMENT_FAILED", "FAILED", "CANCELLED"];
/** A customer may cancel until the shipment is being requested. */
export const CANCELLABLE: OrderStatus[] = ["PENDING", "PAID"];

export type FailureCode = "payment_declined" | "address_undeliverable" | "shipment_refused" | "processing_failed";

export interface OrderItem {
  product_id: string;
  /** Both names at the time of the order (older orders may hold one string). */
  name: LocalizedText | string;
  unit_price: number;
  quantity: number;
  image?: string | null;
}

export interface Order {
  id: string;
  /** The short number a customer reads and quotes ("K7Q2-9XJ4"); orders placed before it have none. */
  number?: string | null;
  customer_id: string;
  created_at: string;
  updated_at: string;
  status: OrderStatus;
  items: OrderItem[];
  total: number;
  currency: string;
  address: Address;
  payment?: { id: string; status: string } | null;
  shipment?: { id: string; tracking_number: string } | null;
  failure_code?: FailureCode | null;
}

export interface OrderPage {
  items: Order[];
  next_token: string | null;
}

export interface OrderAccepted {
  order_id: string;
  number?: string;
  status: string;
}

export interface SiteConfig {
  paymentUrl: string;
}
