import assert from "node:assert/strict";
import { test } from "node:test";
import { missingProducts, orderCreatedEvent, orderTotalCents, OrderValidationError, parseOrderRequest } from "../src/orders.logic";

const products = [
  { id: 1, sku: "A", name: "A", priceCents: 250 },
  { id: 2, sku: "B", name: "B", priceCents: 390 },
];

test("lines of the same product are merged and sorted", () => {
  const lines = parseOrderRequest({ items: [{ productId: 2, quantity: 1 }, { productId: 1, quantity: 2 }, { productId: 2, quantity: 3 }] });
  assert.deepEqual(lines, [
    { productId: 1, quantity: 2 },
    { productId: 2, quantity: 4 },
  ]);
});

const bad: [string, unknown, RegExp][] = [
  ["no body", undefined, /^items: an array/],
  ["items not an array", { items: "1x espresso" }, /^items: an array/],
  ["no lines", { items: [] }, /^items: between 1 and 100 lines, got 0$/],
  ["too many lines", { items: Array.from({ length: 101 }, (_, i) => ({ productId: i + 1, quantity: 1 })) }, /got 101$/],
  ["a product id that is not an integer", { items: [{ productId: "1", quantity: 1 }] }, /^items\[0\]\.productId/],
  ["a zero quantity", { items: [{ productId: 1, quantity: 0 }] }, /^items\[0\]\.quantity/],
  ["a fractional quantity", { items: [{ productId: 1, quantity: 1 }, { productId: 2, quantity: 1.5 }] }, /^items\[1\]\.quantity/],
  ["a huge quantity", { items: [{ productId: 1, quantity: 1001 }] }, /from 1 to 1000/],
];
for (const [name, body, message] of bad) {
  test(`refuses ${name}`, () => {
    assert.throws(() => parseOrderRequest(body), (error: Error) => error instanceof OrderValidationError && message.test(error.message));
  });
}

test("totals are price times quantity, in cents", () => {
  assert.equal(orderTotalCents([{ productId: 1, quantity: 2 }, { productId: 2, quantity: 3 }], products), 2 * 250 + 3 * 390);
  assert.throws(() => orderTotalCents([{ productId: 9, quantity: 1 }], products), /product 9 does not exist/);
});

test("missing products are listed by id", () => {
  assert.deepEqual(missingProducts([{ productId: 1, quantity: 1 }, { productId: 7, quantity: 1 }], products), [7]);
});

test("the order-created event carries the order, its total and lines", () => {
  const event = orderCreatedEvent(42, 890, [{ productId: 1, quantity: 1 }], new Date("2026-11-26T10:00:00Z"));
  assert.deepEqual(event, { type: "order-created", orderId: 42, totalCents: 890, items: [{ productId: 1, quantity: 1 }], createdAt: "2026-11-26T10:00:00.000Z" });
});
