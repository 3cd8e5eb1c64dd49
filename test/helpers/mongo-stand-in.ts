import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mongo } from 'mongoose';

const { BSON } = mongo;
const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

/** The `hello` of a replica set's primary, at the stand-in's own address. */
export const replicaSetPrimary = (me: string) => ({ isWritablePrimary: true, secondary: false, setName: 'rs0', hosts: [me], primary: me, me, setVersion: 1 });

export interface StandInIndex {
  key: Record<string, unknown>;
  name: string;
  [option: string]: unknown;
}

export interface MongoStandIn {
  /** `mongodb://127.0.0.1:<port>` */
  address: string;
  /** Commands received, first key first (`{ hello: 1, $db: 'admin' }`). */
  commands: Record<string, unknown>[];
  /** The collections it holds, by name, with their indexes (no documents). */
  collections: Map<string, StandInIndex[]>;
  readonly openSockets: number;
  close(): Promise<void>;
}

/**
 * A TCP server that speaks just enough of MongoDB's wire protocol for the driver to connect:
 * it answers the handshake and `hello` with the member it plays (a standalone, an uninitiated
 * replica-set member, a primary…), keeps collections and their indexes (create, listCollections,
 * listIndexes, createIndexes, dropIndexes, as the server answers them), finds nothing, and
 * answers every other command with `{ ok: 1 }`. Enough to run the real driver and the adapter's
 * connection and start-up code where no MongoDB server can run; not a database.
 */
export async function startMongoStandIn(
  member: (me: string) => Record<string, unknown>,
  /** A test's own answer to a command, when it needs more than `{ ok: 1 }`. */
  custom: (name: string, command: Record<string, unknown>) => Record<string, unknown> | undefined = () => undefined,
): Promise<MongoStandIn> {
  const commands: Record<string, unknown>[] = [];
  const collections = new Map<string, StandInIndex[]>();
  const sockets = new Set<Socket>();
  let nextId = 1;

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    // No setEncoding on this socket, so its chunks are Buffers (the types allow strings too).
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk as Buffer]);
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const message = buffered.subarray(0, buffered.readInt32LE(0));
        buffered = buffered.subarray(message.length);
        socket.write(answer(message));
      }
    });
  });

  let me = '';
  const helloAnswer = () => ({
    ...member(me),
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: nextId,
    minWireVersion: 0,
    maxWireVersion: 21,
    ok: 1,
  });

  // A snapshot read's cursor says the cluster time it read at, as the server's does.
  const snapshotTime = new BSON.Timestamp({ t: 1_700_000_000, i: 7 });
  const cursor = (command: Record<string, unknown>, batch: unknown[]) => {
    const snapshot = (command.readConcern as { level?: string } | undefined)?.level === 'snapshot' && !command.txnNumber;
    return { cursor: { id: BSON.Long.ZERO, ns: `${String(command.$db)}.$cmd`, firstBatch: batch, ...(snapshot ? { atClusterTime: snapshotTime } : {}) }, ok: 1 };
  };
  const failure = (code: number, codeName: string) => ({ ok: 0, code, codeName, errmsg: codeName });

  function run(name: string, command: Record<string, unknown>): Record<string, unknown> {
    const target = String(command[name]);
    const indexes = collections.get(target);
    switch (name) {
      case 'hello':
      case 'ismaster':
        return helloAnswer();
      case 'listCollections':
        return cursor(command, [...collections.keys()].map((collection) => ({ name: collection, type: 'collection' })));
      case 'create':
        if (indexes) return failure(48, 'NamespaceExists');
        collections.set(target, [{ v: 2, key: { _id: 1 }, name: '_id_' }]);
        return { ok: 1 };
      case 'listIndexes':
        return indexes ? cursor(command, indexes) : failure(26, 'NamespaceNotFound');
      case 'createIndexes':
        if (!indexes) run('create', { create: target });
        for (const index of command.indexes as StandInIndex[]) collections.get(target)!.push({ v: 2, ...index });
        return { ok: 1 };
      case 'dropIndexes':
        if (!indexes?.some((index) => index.name === command.index)) return failure(27, 'IndexNotFound');
        collections.set(target, indexes.filter((index) => index.name !== command.index));
        return { ok: 1 };
      case 'find':
      case 'aggregate':
        return cursor(command, []);
      default:
        return { ok: 1 };
    }
  }

  const reply = (command: Record<string, unknown>): Record<string, unknown> => {
    commands.push(command);
    const name = Object.keys(command)[0];
    return custom(name, command) ?? run(name === 'isMaster' ? 'ismaster' : name, command);
  };

  function answer(message: Buffer): Buffer {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === OP_QUERY) {
      // The handshake: flags, collection name (a C string), skip, limit, then the command.
      const nameEnd = message.indexOf(0, 20);
      const query = BSON.deserialize(message.subarray(nameEnd + 9));
      const { ismaster: _legacy, ...document } = reply((query.$query as Record<string, unknown>) ?? query);
      const body = BSON.serialize({ ...document, ismaster: document.isWritablePrimary });
      const head = Buffer.alloc(20);
      head.writeInt32LE(1, 16); // one document
      return frame(requestId, OP_REPLY, Buffer.concat([head, body]));
    }
    if (opCode !== OP_MSG) throw new Error(`the stand-in speaks OP_QUERY and OP_MSG, not op ${opCode}`);
    // flagBits, then a kind-0 section: the command document.
    const command = BSON.deserialize(message.subarray(21, 21 + message.readInt32LE(21)));
    return frame(requestId, OP_MSG, Buffer.concat([Buffer.alloc(5), BSON.serialize(reply(command))]));
  }

  function frame(responseTo: number, opCode: number, body: Buffer) {
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + body.length, 0);
    header.writeInt32LE(nextId++, 4);
    header.writeInt32LE(responseTo, 8);
    header.writeInt32LE(opCode, 12);
    return Buffer.concat([header, body]);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  me = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const address = `mongodb://${me}`;
  return {
    address,
    commands,
    collections,
    get openSockets() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
