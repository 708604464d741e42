// Products: read from PostgreSQL through a Redis read-through cache (the POS terminals look the same products up
// many times a minute; the cache takes that load off the database).
import { Controller, Get, Injectable, Logger, NotFoundException, Param, ParseIntPipe } from "@nestjs/common";
import { Clients } from "./clients";
import type { Product } from "./orders.logic";

interface ProductRow {
  id: number;
  sku: string;
  name: string;
  price_cents: number;
}

const toProduct = (row: ProductRow): Product => ({ id: row.id, sku: row.sku, name: row.name, priceCents: row.price_cents });

@Injectable()
export class ProductsService {
  private readonly logger = new Logger("Products");
  constructor(private readonly clients: Clients) {}

  private key(id: number): string {
    return `pos:product:${id}`;
  }

  async list(): Promise<Product[]> {
    const result = await this.clients.pool.query<ProductRow>("SELECT id, sku, name, price_cents FROM products ORDER BY id");
    return result.rows.map(toProduct);
  }

  /** The products with these ids: from the cache where present, the rest from the database (then cached). */
  async byIds(ids: number[]): Promise<{ products: Product[]; cacheHits: number }> {
    const { redis, pool, config } = this.clients;
    let cached: (string | null)[] = ids.map(() => null);
    try {
      cached = ids.length ? await redis.mget(...ids.map((id) => this.key(id))) : [];
    } catch (error) {
      this.logger.warn(`cache read failed, reading the database: ${(error as Error).message}`);
    }
    const products: Product[] = [];
    const missing: number[] = [];
    ids.forEach((id, index) => {
      const hit = cached[index];
      if (hit) products.push(JSON.parse(hit) as Product);
      else missing.push(id);
    });
    if (missing.length) {
      const result = await pool.query<ProductRow>("SELECT id, sku, name, price_cents FROM products WHERE id = ANY($1::int[])", [missing]);
      const fresh = result.rows.map(toProduct);
      products.push(...fresh);
      if (fresh.length) {
        const pipeline = redis.pipeline();
        for (const product of fresh) pipeline.set(this.key(product.id), JSON.stringify(product), "EX", config.redis.productTtlSeconds);
        await pipeline.exec().catch((error: Error) => this.logger.warn(`cache write failed: ${error.message}`));
      }
    }
    return { products, cacheHits: ids.length - missing.length };
  }
}

@Controller("products")
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  list(): Promise<Product[]> {
    return this.products.list();
  }

  @Get(":id")
  async one(@Param("id", ParseIntPipe) id: number): Promise<Product> {
    const { products } = await this.products.byIds([id]);
    if (!products.length) throw new NotFoundException(`product ${id} does not exist`);
    return products[0];
  }
}
