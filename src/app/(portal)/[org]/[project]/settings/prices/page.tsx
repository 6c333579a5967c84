"use client";

import { PriceSettings } from "@/components/dashboards/price-settings";

export default function PricesPage() {
  return <PriceSettings />;
}
