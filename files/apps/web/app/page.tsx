import { fetchProducts, fetchRecentOrders } from "../lib/api";
import { formatCents, formatTime } from "../lib/format";

// Rendered on every request, on the server: the POS shows live data.
export const dynamic = "force-dynamic";

export default async function Home() {
  let error: string | null = null;
  let products: Awaited<ReturnType<typeof fetchProducts>> = [];
  let orders: Awaited<ReturnType<typeof fetchRecentOrders>> = [];
  try {
    [products, orders] = await Promise.all([fetchProducts(), fetchRecentOrders(10)]);
  } catch (caught) {
    error = (caught as Error).message;
  }
  return (
    <main>
      <h1>Pocket POS</h1>
      {error ? <p role="alert">The API did not answer: {error}</p> : null}
      <section>
        <h2>Products</h2>
        <table id="products">
          <thead>
            <tr>
              <th>SKU</th>
              <th>Name</th>
              <th>Price</th>
            </tr>
          </thead>
          <tbody>
            {products.map((product) => (
              <tr key={product.id}>
                <td>{product.sku}</td>
                <td>{product.name}</td>
                <td>{formatCents(product.priceCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Recent orders</h2>
        <table id="orders">
          <thead>
            <tr>
              <th>Order</th>
              <th>Total</th>
              <th>Placed</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.id}>
                <td>{`#${order.id}`}</td>
                <td>{formatCents(order.totalCents)}</td>
                <td>{formatTime(order.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
