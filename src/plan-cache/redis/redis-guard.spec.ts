import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { RedisGuard, RedisTimeoutError } from './redis-guard.js';

describe('RedisGuard', () => {
  // An echo server in a process of its own, so that it answers while this one is busy.
  const ECHO_SERVER = `require('node:net').createServer((c) => c.on('data', (d) => c.write(d)))
    .listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });`;
  let server: ChildProcess;
  let socket: Socket;

  beforeAll(async () => {
    server = spawn(process.execPath, ['-e', ECHO_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [port] = (await once(server.stdout!, 'data')) as [Buffer];
    socket = connect(Number(String(port).trim()), '127.0.0.1');
    await once(socket, 'connect');
  });

  afterAll(() => {
    socket.destroy();
    server.kill();
  });

  const blockEventLoop = (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until);
  };

  /**
   * A round trip over a real socket, while this process is busy (in the check phase, as when it
   * handles other requests) for longer than the deadline: the next turn of the loop finds both
   * the expired deadline and the reply.
   */
  const echoWhileBusy = async (): Promise<string> => {
    const reply = once(socket, 'data');
    socket.write('ping');
    setImmediate(() => blockEventLoop(60));
    return String((await reply)[0]);
  };

  it('fails a call that does not answer within the deadline', async () => {
    const guard = new RedisGuard({ timeoutMs: 20, resetMs: 1000 });
    await expect(guard.run(() => new Promise(() => undefined))).rejects.toBeInstanceOf(RedisTimeoutError);
    guard.shutdown();
  });

  it('takes a reply that arrived while this process was too busy to read it', async () => {
    const guard = new RedisGuard({ timeoutMs: 20, resetMs: 1000 });
    await expect(guard.run(echoWhileBusy)).resolves.toBe('ping');
    guard.shutdown();
  });
});
