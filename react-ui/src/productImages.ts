/** Pictures for order lines: a line names its product; the product (read once per page load) has the image. */
import { useEffect, useState } from "react";
import { api } from "./api";
import type { OrderItem } from "./types";

const images = new Map<string, Promise<string | null>>();

export function productImage(productId: string): Promise<string | null> {
  let image = images.get(productId);
  if (!image) {
    image = api.product(productId).then(
      (product) => product.image,
      () => {
        images.delete(productId); // a product gone or a failed call: no picture now, ask again next time
        return null;
      },
    );
    images.set(productId, image);
  }
  return image;
}

/** product id → image URL for the lines given, as they arrive; a line that carries its image needs no call. */
export function useItemImages(items: OrderItem[]): Record<string, string> {
  const [found, setFound] = useState<Record<string, string>>({});
  const key = [...new Set(items.map((item) => item.product_id))].sort().join(",");
  useEffect(() => {
    let live = true;
    const wanted = new Map<string, OrderItem>();
    for (const item of items) if (!wanted.has(item.product_id)) wanted.set(item.product_id, item);
    for (const [id, item] of wanted) {
      const known = item.image ? Promise.resolve(item.image) : productImage(id);
      void known.then((image) => {
        if (live && image) setFound((current) => (current[id] === image ? current : { ...current, [id]: image }));
      });
    }
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the set of products, not the array's identity
  }, [key]);
  return found;
}

/** Forget what was read (tests start from nothing). */
export function clearProductImages(): void {
  images.clear();
}
