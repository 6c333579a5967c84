/**
 * pglite-socket 0.2 serves every connection through one queue of protocol messages and, outside a
 * transaction, takes the next message from any connection. The extended query protocol spreads one
 * statement over several messages (Parse, Bind, Describe, Execute, then Sync), so two connections'
 * statements could interleave: "bind message supplies 7 parameters, but prepared statement "" requires
 * 1", a portal that "does not exist", or one statement run with another's values. This keeps taking
 * the same connection's messages from the first message of a sequence up to its Sync (a simple Query
 * is one message; a COPY FROM STDIN runs up to its CopyDone), as well as for a whole transaction as
 * before; and a message that fails no longer stalls the queue for good.
 */
type Queued = {
  handlerId: number;
  message: Uint8Array;
  timestamp: number;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
};
type Db = {
  isInTransaction(): boolean;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<unknown>;
};
export type PgliteQueryQueue = {
  db: Db;
  queue: Queued[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
};

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const COPY_DONE = 0x63; // 'c'
const COPY_FAIL = 0x66; // 'f'

/** A simple Query that starts `COPY … FROM STDIN`: its CopyData messages follow, up to CopyDone or CopyFail. */
function startsCopyIn(message: Uint8Array): boolean {
  const sql = Buffer.from(message.buffer, message.byteOffset + 5, Math.max(0, message.byteLength - 6)).toString("utf8");
  return /^\s*copy\b[\s\S]*\bfrom\s+stdin\b/i.test(sql);
}

/** Whether `message` ends its connection's claim on the queue (outside a transaction). */
export function endsSequence(message: Uint8Array): boolean {
  switch (message[0]) {
    case SYNC:
    case TERMINATE:
    case COPY_DONE:
    case COPY_FAIL:
      return true;
    case QUERY:
      return !startsCopyIn(message);
    default:
      return false;
  }
}

export function serializeExtendedQueries(queue: PgliteQueryQueue): void {
  /** The connection whose extended-protocol sequence is open (its Sync not yet run). */
  let open: number | null = null;
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    if (open === handlerId) open = null;
    clear(handlerId);
    // Messages of other connections may have waited for the one that left.
    void queue.processQueue();
  };
  queue.processQueue = async function processQueue(this: PgliteQueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = open ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = sticky === null ? 0 : this.queue.findIndex((q) => q.handlerId === sticky);
        // The connection that holds the database has sent nothing yet: wait for it (its next enqueue runs this again).
        if (index === -1) break;
        const [next] = this.queue.splice(index, 1) as [Queued];
        open = endsSequence(next.message) ? null : next.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(next.message, {
              onRawData: (data) => {
                bytes += data.length;
                next.onData(data);
              },
            }),
          );
        } catch (error) {
          next.reject(error);
          continue;
        }
        this.lastHandlerId = next.handlerId;
        next.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(queue);
}
