// Standalone output (a server.js with only the modules it needs), no X-Powered-By, and the security headers of
// lib/security.ts on every route (the CSP, with its per-request nonce, comes from middleware.ts).
import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security";

const nextConfig: NextConfig = {
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // No image optimisation (the POS pages have no next/image): the runtime needs no sharp.
  images: { unoptimized: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders() }];
  },
};

export default nextConfig;
