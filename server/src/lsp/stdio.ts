/**
 * The connection over standard input and output (`--stdio`: Neovim, Helix, Emacs, the benchmark), with
 * a writer that sends each message at once.
 *
 * vscode-jsonrpc's stream writer queues every message behind a `setImmediate` (its lock serializes
 * asynchronous content encoders, which this server does not use). An answer then waited for the next
 * turn of the event loop, behind whatever background work was queued meanwhile: during a scan, a slice
 * of index updates (up to 8 ms) and a garbage collection now and then. The IPC writer that VS Code's
 * client uses already sends at once; this makes stdio do the same. Writes keep their call order: each
 * is one `write` of header and body on the same stream.
 */
import {
  AbstractMessageWriter,
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  type Connection,
  type Message,
  type MessageWriter,
} from 'vscode-languageserver/node';

export class DirectMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (e: Error) => this.fireError(e));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    try {
      const body = Buffer.from(JSON.stringify(msg), 'utf8');
      const header = Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`, 'ascii');
      this.stream.write(Buffer.concat([header, body]), (error?: Error | null) => {
        if (error) this.fireError(error, msg, ++this.errorCount);
        else this.errorCount = 0;
      });
      return Promise.resolve();
    } catch (error) {
      this.fireError(error, msg, ++this.errorCount);
      return Promise.reject(error);
    }
  }

  end(): void {
    this.stream.end();
  }
}

/**
 * A connection on this process's standard input and output. As vscode-languageserver does for stdio,
 * the process exits when its input ends: with 0 after a `shutdown` request, else 1.
 */
export function createStdioConnection(): Connection {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new DirectMessageWriter(process.stdout));
  let shutdownReceived = false;
  const onShutdown = connection.onShutdown.bind(connection);
  connection.onShutdown = (handler) =>
    onShutdown((token) => {
      shutdownReceived = true;
      return handler(token);
    });
  // A server that never registers a shutdown handler still records the request.
  connection.onShutdown(() => undefined);
  for (const event of ['end', 'close'] as const) process.stdin.on(event, () => process.exit(shutdownReceived ? 0 : 1));
  return connection;
}
