// Orders: one PostgreSQL transaction per order (the order and its lines, priced from the products table), then an
// order-created event on the orders topic. Product existence is checked through the cached lookups first, so a
// bad request never opens a transaction.
import { BadRequestException, Body, Controller, Get, HttpCode, Injectable, Logger, Post, Query } from "@nestjs/common";
import { Clients } from "./clients";
import { missingProducts, OrderLine, orderCreatedEvent, OrderValidationError, parseOrderRequest } from "./orders.logic";
import { ProductsService } from "./products";

export interface OrderResult {
  id: number;
  totalCents: number;
  items: OrderLine[];
  createdAt: string;
  published: boolean;
}

@Injectable()
export class OrdersService {
  private readonly logger = new Logger("Orders");
  constructor(
    private readonly clients: Clients,
    private readonly products: ProductsService,
  ) {}

  async create(body: unknown): Promise<OrderResult> {
    let lines: OrderLine[];
    try {
      lines = parseOrderRequest(body);
    } catch (error) {
      if (error instanceof OrderValidationError) throw new BadRequestException(error.message);
      throw error;
    }
    const { products } = await this.products.byIds(lines.map((line) => line.productId));
    const unknown = missingProducts(lines, products);
    if (unknown.length) throw new BadRequestException(`unknown products: ${unknown.join(", ")}`);

    const client = await this.clients.pool.connect();
    let order: { id: number; total_cents: string; created_at: Date };
    // bigint columns come back from pg as strings: ids and totals are converted once, here.
    try {
      await client.query("BEGIN");
      const created = await client.query<{ id: string; created_at: Date }>(
        "INSERT INTO orders (status, total_cents) VALUES ('created', 0) RETURNING id, created_at",
      );
      const id = Number(created.rows[0].id);
      const created_at = created.rows[0].created_at;
      const inserted = await client.query(
        `INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
         SELECT $1, p.id, l.quantity, p.price_cents
           FROM unnest($2::int[], $3::int[]) AS l(product_id, quantity) JOIN products p ON p.id = l.product_id`,
        [id, lines.map((line) => line.productId), lines.map((line) => line.quantity)],
      );
      if (inserted.rowCount !== lines.length) throw new BadRequestException("a product was removed while the order was placed");
      const total = await client.query<{ total_cents: string }>(
        `UPDATE orders SET total_cents = (SELECT sum(quantity * unit_price_cents) FROM order_items WHERE order_id = $1)
          WHERE id = $1 RETURNING total_cents`,
        [id],
      );
      await client.query("COMMIT");
      order = { id, total_cents: total.rows[0].total_cents, created_at };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }

    const totalCents = Number(order.total_cents);
    const event = orderCreatedEvent(order.id, totalCents, lines, order.created_at);
    let published = false;
    try {
      const producer = await this.clients.connectedProducer();
      await producer.send({
        topic: this.clients.config.kafka.ordersTopic,
        acks: -1,
        messages: [{ key: String(order.id), value: JSON.stringify(event), headers: { "event-type": event.type } }],
      });
      published = true;
    } catch (error) {
      // The order is committed; the event is reported as not published rather than failing the sale.
      this.logger.error(`order ${order.id}: order-created event not published: ${(error as Error).message}`);
    }
    this.logger.log({ msg: "order created", orderId: order.id, totalCents, lines: lines.length, published });
    return { id: order.id, totalCents, items: lines, createdAt: event.createdAt, published };
  }

  async recent(limit: number): Promise<{ id: number; totalCents: number; status: string; createdAt: string }[]> {
    const result = await this.clients.pool.query<{ id: string; total_cents: string; status: string; created_at: Date }>(
      "SELECT id, total_cents, status, created_at FROM orders ORDER BY id DESC LIMIT $1",
      [limit],
    );
    return result.rows.map((row) => ({ id: Number(row.id), totalCents: Number(row.total_cents), status: row.status, createdAt: row.created_at.toISOString() }));
  }
}

@Controller("orders")
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<OrderResult> {
    return this.orders.create(body);
  }

  @Get()
  recent(@Query("limit") limit?: string) {
    const value = limit === undefined ? 20 : Number(limit);
    if (!Number.isInteger(value) || value < 1 || value > 200) throw new BadRequestException("limit: an integer from 1 to 200");
    return this.orders.recent(value);
  }
}
