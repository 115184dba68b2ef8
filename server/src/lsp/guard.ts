/**
 * Request handlers that cannot throw. A client may send anything: parameters of the wrong shape, a
 * position past the end, a request for a document it never opened. The handlers in server.ts are written
 * for well-formed requests; this wraps each of them so that an exception (a bug of ours or a malformed
 * request) becomes a `null` result and one line in the log, instead of an error response with a stack
 * trace, and a rejected promise never goes unhandled. A handler that answers with a ResponseError on
 * purpose still does.
 */
import { ResponseError, type Connection } from 'vscode-languageserver';

/** The request registration methods whose handlers are wrapped. */
const REQUEST_METHODS = [
  'onHover', 'onCompletion', 'onCompletionResolve', 'onDefinition', 'onReferences', 'onPrepareRename', 'onRenameRequest',
  'onDocumentSymbol', 'onWorkspaceSymbol', 'onCodeAction', 'onCodeActionResolve', 'onExecuteCommand', 'onRequest',
] as const;

/** Notification handlers: an exception is logged and dropped the same way. */
const NOTIFICATION_METHODS = [
  'onDidChangeWatchedFiles', 'onDidChangeConfiguration', 'onNotification', 'onDidOpenTextDocument', 'onDidChangeTextDocument',
  'onDidCloseTextDocument', 'onWillSaveTextDocument', 'onDidSaveTextDocument',
] as const;

type Handler = (...args: unknown[]) => unknown;

export function guardConnection(connection: Connection): Connection {
  const log = (what: string, e: unknown) =>
    connection.console.warn(`NoteSense: ignored a malformed or failing ${what}: ${e instanceof Error ? e.message : String(e)}`);
  const wrap = (what: string, handler: Handler, fallback: unknown): Handler => (...args) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) {
        return result.catch((e: unknown) => {
          if (e instanceof ResponseError) throw e;
          log(what, e);
          return fallback;
        });
      }
      return result;
    } catch (e) {
      // A ResponseError is a deliberate answer (invalid arguments of a command): it goes to the client.
      if (e instanceof ResponseError) throw e;
      log(what, e);
      return fallback;
    }
  };
  const patch = (target: Record<string, unknown>, name: string, fallback: unknown) => {
    const original = target[name];
    if (typeof original !== 'function') return;
    target[name] = (...args: unknown[]) => {
      // `onRequest(method, handler)` and `onHover(handler)`: the handler is the last function argument.
      let i = args.length - 1;
      while (i >= 0 && typeof args[i] !== 'function') i--;
      if (i >= 0) {
        const what = typeof args[0] === 'string' ? args[0] : name.replace(/^on/, '');
        args[i] = wrap(what, args[i] as Handler, fallback);
      }
      return (original as Handler).apply(target, args);
    };
  };
  const c = connection as unknown as Record<string, unknown>;
  for (const name of REQUEST_METHODS) patch(c, name, null);
  for (const name of NOTIFICATION_METHODS) patch(c, name, undefined);
  const diagnostics = (connection.languages as unknown as { diagnostics?: Record<string, unknown> }).diagnostics;
  if (diagnostics) patch(diagnostics, 'on', { kind: 'full', items: [] });
  return connection;
}
