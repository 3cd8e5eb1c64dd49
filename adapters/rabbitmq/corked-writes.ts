import type { Writable } from 'node:stream';
import type { AmqpConnectionManager } from 'amqp-connection-manager';

const corked = new WeakSet<Writable>();

/**
 * amqplib writes each frame (a publish, an ack) to the socket as its own system call: its muxer
 * hands the socket one frame after another in a loop. Corked for the rest of the tick, the
 * socket sends what one tick wrote (a batch of publishes, the acks of every answer that came
 * in) in one `writev`. Nothing waits longer than the tick it was written in.
 */
function corkEachTick(socket: Writable) {
  if (corked.has(socket)) return;
  corked.add(socket);
  const write = socket.write;
  let pending = false;
  const flush = () => {
    pending = false;
    socket.uncork();
  };
  socket.write = function (this: Writable, ...args: Parameters<Writable['write']>) {
    if (!pending) {
      pending = true;
      socket.cork();
      process.nextTick(flush);
    }
    return write.apply(this, args);
  } as Writable['write'];
}

/** The socket under an amqplib connection (amqplib keeps it as `connection.stream`), if it is one. */
function socketOf(model: unknown): Writable | undefined {
  const stream = (model as { connection?: { stream?: Writable } } | undefined)?.connection?.stream;
  return stream && typeof stream.cork === 'function' ? stream : undefined;
}

/** Corks the writes of every connection `manager` makes, now and after each reconnect. */
export function corkConnections(manager: AmqpConnectionManager) {
  const cork = (model: unknown) => {
    const socket = socketOf(model);
    if (socket) corkEachTick(socket);
  };
  cork(manager.connection);
  manager.on('connect', ({ connection }) => cork(connection));
}
