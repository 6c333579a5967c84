import { ChannelsPage } from "@/components/alerts/channels";

export default function AlertChannelsPage() {
  return <ChannelsPage />;
}
