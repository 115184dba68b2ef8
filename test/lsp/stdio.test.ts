/**
 * The stdio transport (lsp/stdio.ts): the writer puts each message on the stream during the `write`
 * call, in call order and framed as LSP (a Content-Length in bytes, so Chinese, emoji and line breaks in
 * strings count right), reports a failing stream, and the server process exits when its input ends,
 * with 0 after `shutdown` and 1 without. Read back with vscode-jsonrpc's own reader.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type Message } from 'vscode-jsonrpc/node';
import { DirectMessageWriter } from '../../server/src/lsp/stdio';
import { repoRoot } from '../support/paths';

/** Reads every message framed on `stream` until `count` have come. */
function readMessages(stream: NodeJS.ReadableStream, count: number): Promise<Message[]> {
  const reader = new StreamMessageReader(stream);
  const got: Message[] = [];
  return new Promise((resolve) => {
    reader.listen((m) => {
      got.push(m);
      if (got.length === count) {
        reader.dispose();
        resolve(got);
      }
    });
  });
}

describe('stdio transport', () => {
  it('writes each message during the call, in order, framed by its length in bytes', { timeout: 20_000 }, async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    const writer = new DirectMessageWriter(sink);
    const messages: Message[] = [
      { jsonrpc: '2.0', id: 1, result: { contents: '**数据墙**（Data wall: 指数据不够用）😀' } } as Message,
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'a\r\nb\nc\u2028d' } } as Message,
      // Larger than a pipe's buffer, with multi-byte text: the length counts bytes, not UTF-16 units.
      { jsonrpc: '2.0', id: 2, result: { items: Array.from({ length: 20000 }, (_, i) => `条目${i}🙂`) } } as Message,
      { jsonrpc: '2.0', id: 3, result: null } as Message,
    ];
    for (const [i, m] of messages.entries()) {
      void writer.write(m);
      // Nothing is left for a later turn of the event loop: header and body reached the stream in one write.
      assert.equal(chunks.length, i + 1, `message ${i} written during the call`);
    }
    const text = Buffer.concat(chunks);
    assert.match(text.subarray(0, 64).toString('latin1'), /^Content-Length: \d+\r\n\r\n\{/);
    const stream = new PassThrough();
    stream.end(text);
    assert.deepEqual(await readMessages(stream, messages.length), messages);
  });

  it('reports an error of the stream it writes to', { timeout: 20_000 }, async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('broken pipe'));
      },
    });
    failing.on('error', () => undefined);
    const writer = new DirectMessageWriter(failing);
    const errors: unknown[] = [];
    writer.onError(([e]) => errors.push(e));
    await writer.write({ jsonrpc: '2.0', id: 1, result: null } as Message);
    await new Promise<void>((resolve) => {
      const wait = () => (errors.length > 0 ? resolve() : setImmediate(wait));
      wait();
    });
    assert.ok(errors.some((e) => e instanceof Error && e.message === 'broken pipe'), String(errors));
  });

  /** Starts the server on stdio, initializes it, optionally shuts it down, then ends its input: its exit code. */
  async function exitCodeAfterInputEnds(shutdownFirst: boolean): Promise<number | null> {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.onRequest(() => null);
    connection.onNotification(() => undefined);
    connection.listen();
    const init = await connection.sendRequest<{ capabilities: { hoverProvider?: unknown } }>('initialize', { processId: null, rootUri: null, capabilities: {} });
    assert.ok(init.capabilities.hoverProvider, 'an answer to initialize');
    if (shutdownFirst) assert.equal(await connection.sendRequest('shutdown'), null);
    child.stdin!.end();
    const code = await exited;
    connection.dispose();
    return code;
  }

  it('the server exits with 0 when its input ends after shutdown', async () => {
    assert.equal(await exitCodeAfterInputEnds(true), 0);
  });

  it('the server exits with 1 when its input ends without shutdown', async () => {
    assert.equal(await exitCodeAfterInputEnds(false), 1);
  });
});
