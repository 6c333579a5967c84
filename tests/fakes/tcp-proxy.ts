import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy on loopback in front of a real server (Postgres here), for fault tests: `down()`
 * refuses new connections and resets the open ones, as a database that went away; `up()` serves
 * again on the same port. `cut()` closes the open connections cleanly (FIN), as a proxy or
 * failover would; `stall()` stops carrying bytes in both directions (open and new connections
 * alike), as a network partition does, until `flow()`.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  let connections = 0;
  let stalled = false;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const carry = (pair: { client: net.Socket; upstream: net.Socket }) => {
    pair.client.pipe(pair.upstream);
    pair.upstream.pipe(pair.client);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        connections++;
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => {});
        }
        const pair = { client, upstream };
        pairs.add(pair);
        if (!stalled) carry(pair);
        client.on("close", () => {
          upstream.destroy();
          pairs.delete(pair);
        });
        upstream.on("close", () => client.destroy());
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });

  await listen();
  return {
    get port() {
      return port;
    },
    /** Connections accepted so far (a pool that leaks would keep opening new ones). */
    get connections() {
      return connections;
    },
    /** Client-side sockets open right now. */
    get open() {
      return sockets.size / 2;
    },
    url: (databaseUrl: string) => {
      const u = new URL(databaseUrl);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    down: async () => {
      const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of sockets) s.resetAndDestroy();
      server = null;
      await closing;
    },
    up: listen,
    cut: () => {
      for (const { client } of pairs) client.end();
    },
    stall: () => {
      stalled = true;
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    flow: () => {
      stalled = false;
      for (const pair of pairs) carry(pair);
    },
    close: async function () {
      await this.down();
    },
  };
}
