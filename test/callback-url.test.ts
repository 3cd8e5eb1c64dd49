import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { callbackRefusal, deliverCallback, isThisMachine, type Resolve } from '../runtime/callback-url.js';

const answers =
  (...rounds: string[][]): Resolve =>
  async () => {
    const round = rounds.length > 1 ? rounds.shift()! : rounds[0];
    return round.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

t.test('this machine in every form: loopback and unspecified, IPv4 inside IPv6 too', async (t) => {
  const thisMachine = [
    '127.0.0.1', '127.1', '127.255.255.254', '2130706433', '0x7f000001', '0x7f.1', '017700000001', '0177.0.0.1', '0.0.0.0', '0',
    '::1', '::', '0:0:0:0:0:0:0:1', '::1%lo', '::1%1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:0.0.0.0', // IPv4-mapped
    '::127.0.0.1', '::7f00:1', // IPv4-compatible
    '64:ff9b::127.0.0.1', '64:ff9b::7f00:1', // NAT64
    '::ffff:0:127.0.0.1', // SIIT
    'not an address',
  ];
  for (const address of thisMachine) t.ok(isThisMachine(address), address);
  const elsewhere = ['192.0.2.10', '10.0.0.1', '8.8.8.8', '2001:db8::1', '::ffff:192.0.2.10', '64:ff9b::192.0.2.10', 'fe80::1%eth0', '::ffff:8.8.8.8'];
  for (const address of elsewhere) t.notOk(isThisMachine(address), address);
});

t.test('a callback to the gateway port on this machine is refused, however the host is written', async (t) => {
  const port = 8080;
  const none: Resolve = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
  };
  const self = [
    'http://[::ffff:127.0.0.1]:8080/x', 'http://127.1:8080/', 'http://0x7f000001:8080/', 'http://2130706433:8080/', 'http://017700000001:8080/',
    'http://0177.0.0.1:8080/', 'http://127.0.0.1.:8080/', 'http://[::1]:8080/', 'http://[::]:8080/', 'http://0.0.0.0:8080/', 'http://[::127.0.0.1]:8080/',
    'http://[64:ff9b::7f00:1]:8080/', 'http://localhost:8080/', 'http://localhost.:8080/', 'http://LOCALHOST..:8080/', 'http://api.localhost:8080/',
  ];
  for (const url of self) t.match(await callbackRefusal(new URL(url), port, none), /gateway itself/, url);
  t.match(await callbackRefusal(new URL('https://[::1]/'), 443, none), /gateway itself/, 'the default port of https');

  // Names: every address they resolve to is checked.
  t.match(await callbackRefusal(new URL('http://sneaky.example:8080/'), port, answers(['192.0.2.10', '::ffff:127.0.0.1'])), /gateway itself/, 'one of several');
  t.match(await callbackRefusal(new URL('http://sneaky.example:8080/'), port, answers(['64:ff9b::7f00:1'])), /gateway itself/);
  t.match(await callbackRefusal(new URL('http://nowhere.example:8080/'), port, none), /does not resolve/);
  t.equal(await callbackRefusal(new URL('http://hooks.example:8080/'), port, answers(['192.0.2.10', '2001:db8::1'])), undefined);

  // Other ports of this machine are other services: allowed, as before.
  t.equal(await callbackRefusal(new URL('http://127.0.0.1:9000/'), port, none), undefined);
  t.equal(await callbackRefusal(new URL('http://[::ffff:127.0.0.1]:9000/'), port, none), undefined);
  t.equal(await callbackRefusal(new URL('http://localhost/'), port, none), undefined);
  t.notOk(URL.canParse('http://[fe80::1%25eth0]:8080/'), 'a zone id is no URL at all (400 before any check)');
});

t.test('delivery checks again, and connects only to the addresses it checked', async (t) => {
  const received: string[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers['x-call-id'] as string);
    response.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const send = (url: string, gatewayPort: number, resolve: Resolve, id: string) =>
    deliverCallback(url, { headers: { 'x-call-id': id }, body: new Uint8Array(Buffer.from('{}')), timeoutMs: 10_000, gatewayPort, resolve });

  t.equal(await send(`http://hooks.example:${port}/done`, port + 1, answers(['127.0.0.1']), 'other-port'), 200, 'another port of this machine: delivered');
  // The name pointed elsewhere when the call was accepted; now it points at the gateway.
  await t.rejects(send(`http://rebind.example:${port}/`, port, answers(['127.0.0.1']), 'rebound'), /gateway itself/);
  // Elsewhere when checked, this machine when connecting: the connection uses the checked lookup.
  await t.rejects(send(`http://rebind.example:${port}/`, port, answers(['192.0.2.10'], ['::ffff:127.0.0.1']), 'rebound-late'), /resolves to this machine/);
  await t.rejects(send(`http://[::ffff:127.0.0.1]:${port}/`, port, answers([]), 'mapped'), /gateway itself/);
  t.same(received, ['other-port'], 'nothing reached the "gateway"');
});
