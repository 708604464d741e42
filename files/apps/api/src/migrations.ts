// Schema migrations, applied in order by the one-shot migration job (dist/migrate.js) as the database owner.
// Applied ids are kept in schema_migrations; each migration runs in its own transaction.
export interface Migration {
  id: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    id: "001-products-orders",
    sql: `
      CREATE TABLE products (
        id serial PRIMARY KEY,
        sku text NOT NULL UNIQUE,
        name text NOT NULL,
        price_cents integer NOT NULL CHECK (price_cents >= 0)
      );
      CREATE TABLE orders (
        id bigserial PRIMARY KEY,
        status text NOT NULL,
        total_cents bigint NOT NULL CHECK (total_cents >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE order_items (
        order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        product_id integer NOT NULL REFERENCES products (id),
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
        PRIMARY KEY (order_id, product_id)
      );
      CREATE INDEX order_items_product_id ON order_items (product_id);`,
  },
  {
    id: "002-catalogue",
    sql: `
      INSERT INTO products (sku, name, price_cents) VALUES
        ('COF-ESP', 'Espresso', 250),
        ('COF-LAT', 'Caffe latte', 390),
        ('TEA-GRN', 'Green tea', 280),
        ('BAK-CRO', 'Croissant', 310),
        ('BAK-MUF', 'Blueberry muffin', 345)
      ON CONFLICT (sku) DO NOTHING;`,
  },
];

/** The migrations not applied yet, in order; refuses an applied id this release does not know (a newer schema). */
export function pendingMigrations(applied: string[], all: Migration[] = MIGRATIONS): Migration[] {
  const known = new Set(all.map((migration) => migration.id));
  const unknown = applied.filter((id) => !known.has(id));
  if (unknown.length) throw new Error(`the database has migrations this release does not know: ${unknown.join(", ")}`);
  const done = new Set(applied);
  return all.filter((migration) => !done.has(migration.id));
}
