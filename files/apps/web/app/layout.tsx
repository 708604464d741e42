import type { ReactNode } from "react";

export const metadata = { title: "Pocket POS", description: "Products and recent orders" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
