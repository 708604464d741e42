// Liveness of the web server itself (outside /api/, which nginx sends to the API).
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "live" });
}
