/**
 * Node entry point of the language server. `--stdio` talks LSP over standard input and output (for
 * Neovim, Helix, Emacs…); `--node-ipc` is what the VS Code client uses.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { guardConnection } from './lsp/guard';
import { startServer } from './lsp/server';
import { createStdioConnection } from './lsp/stdio';

// vscode-languageserver reads the transport from the arguments; stdio gets a writer that does not defer.
const connection = process.argv.includes('--stdio') ? createStdioConnection() : createConnection(ProposedFeatures.all);
// Nothing may write to stdout in --stdio mode except the protocol: route stray logging to the client.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
// Every handler is wrapped: a malformed request gets an empty answer, never an exception.
startServer(guardConnection(connection));
