// Server-side calls to the API (never from the browser: the page is rendered on the server). API_URL is the
// API's address on the frontend network.
export interface Product {
  id: number;
  sku: string;
  name: string;
  priceCents: number;
}
export interface OrderSummary {
  id: number;
  totalCents: number;
  status: string;
  createdAt: string;
}

const apiUrl = (): string => (process.env.API_URL ?? "http://api:3000/api").replace(/\/$/, "");

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${apiUrl()}${path}`, { cache: "no-store", signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`API ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export const fetchProducts = (): Promise<Product[]> => getJson<Product[]>("/products");
export const fetchRecentOrders = (limit = 10): Promise<OrderSummary[]> => getJson<OrderSummary[]>(`/orders?limit=${limit}`);
