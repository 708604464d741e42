// Pure order logic: request validation, totals and the order-created event. No I/O, so unit tests call it directly.

export interface OrderLine {
  productId: number;
  quantity: number;
}

export interface Product {
  id: number;
  sku: string;
  name: string;
  priceCents: number;
}

export class OrderValidationError extends Error {}

const MAX_LINES = 100;
const MAX_QUANTITY = 1000;

export function parseOrderRequest(body: unknown): OrderLine[] {
  if (typeof body !== "object" || body === null || !Array.isArray((body as { items?: unknown }).items)) {
    throw new OrderValidationError("items: an array of {productId, quantity} is required");
  }
  const items = (body as { items: unknown[] }).items;
  if (items.length === 0 || items.length > MAX_LINES) {
    throw new OrderValidationError(`items: between 1 and ${MAX_LINES} lines, got ${items.length}`);
  }
  const merged = new Map<number, number>();
  items.forEach((item, index) => {
    const { productId, quantity } = (item ?? {}) as Record<string, unknown>;
    if (!Number.isInteger(productId) || (productId as number) < 1) {
      throw new OrderValidationError(`items[${index}].productId: a positive integer is required`);
    }
    if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > MAX_QUANTITY) {
      throw new OrderValidationError(`items[${index}].quantity: an integer from 1 to ${MAX_QUANTITY} is required`);
    }
    merged.set(productId as number, (merged.get(productId as number) ?? 0) + (quantity as number));
  });
  return [...merged.entries()].map(([productId, quantity]) => ({ productId, quantity })).sort((a, b) => a.productId - b.productId);
}

export function missingProducts(lines: OrderLine[], products: Product[]): number[] {
  const known = new Set(products.map((product) => product.id));
  return lines.map((line) => line.productId).filter((id) => !known.has(id));
}

export function orderTotalCents(lines: OrderLine[], products: Product[]): number {
  const prices = new Map(products.map((product) => [product.id, product.priceCents]));
  return lines.reduce((total, line) => {
    const price = prices.get(line.productId);
    if (price === undefined) throw new OrderValidationError(`product ${line.productId} does not exist`);
    return total + price * line.quantity;
  }, 0);
}

export interface OrderCreatedEvent {
  type: "order-created";
  orderId: number;
  totalCents: number;
  items: OrderLine[];
  createdAt: string;
}

export function orderCreatedEvent(orderId: number, totalCents: number, lines: OrderLine[], createdAt: Date): OrderCreatedEvent {
  return { type: "order-created", orderId, totalCents, items: lines, createdAt: createdAt.toISOString() };
}
