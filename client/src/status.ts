/**
 * The status bar item: indexing progress while the server scans the vault, then the vault's size. The
 * numbers come from the server's `notesense/status` notification; clicking the item shows the output.
 */
import * as vscode from 'vscode';

export interface ServerStatus {
  readonly state: 'indexing' | 'ready';
  readonly notes: number;
  readonly entities: number;
  readonly terms: number;
  readonly indexed?: number;
  readonly total?: number;
}

export const STATUS_NOTIFICATION = 'notesense/status';

/** Accepts only well-formed params: a malformed notification must not break the status bar. */
export function parseStatus(raw: unknown): ServerStatus | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (r['state'] !== 'indexing' && r['state'] !== 'ready') return undefined;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined);
  const status: ServerStatus = {
    state: r['state'],
    notes: count(r['notes']) ?? 0,
    entities: count(r['entities']) ?? 0,
    terms: count(r['terms']) ?? 0,
    indexed: count(r['indexed']),
    total: count(r['total']),
  };
  return status;
}

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private last: ServerStatus | undefined;

  constructor(showOutputCommand: string) {
    this.item = vscode.window.createStatusBarItem('notesense.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'NoteSense';
    this.item.command = showOutputCommand;
    this.starting();
    this.item.show();
  }

  /** The latest status the server reported (read by the end-to-end tests through the extension's API). */
  get current(): ServerStatus | undefined {
    return this.last;
  }

  get text(): string {
    return this.item.text;
  }

  starting(): void {
    this.last = undefined;
    this.item.text = `$(sync~spin) ${vscode.l10n.t('NoteSense: starting')}`;
    this.item.tooltip = vscode.l10n.t('The NoteSense language server is starting. Click to show its output.');
    this.item.backgroundColor = undefined;
  }

  stopped(): void {
    this.last = undefined;
    this.item.text = `$(error) ${vscode.l10n.t('NoteSense: stopped')}`;
    this.item.tooltip = vscode.l10n.t('The NoteSense language server has stopped. Click to show its output.');
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }

  update(status: ServerStatus): void {
    this.last = status;
    this.item.backgroundColor = undefined;
    const size = vscode.l10n.t('{0} notes, {1} entities, {2} terms', status.notes, status.entities, status.terms);
    if (status.state === 'indexing') {
      const progress = status.total !== undefined && status.total > 0
        ? vscode.l10n.t('NoteSense: indexing {0}/{1}', status.indexed ?? 0, status.total)
        : vscode.l10n.t('NoteSense: indexing');
      this.item.text = `$(sync~spin) ${progress}`;
      this.item.tooltip = `${progress}\n${size}`;
    } else {
      this.item.text = `$(notebook) ${vscode.l10n.t('{0} notes', status.notes)}`;
      this.item.tooltip = `${vscode.l10n.t('NoteSense vault: {0}', size)}\n${vscode.l10n.t('Click to show the NoteSense output.')}`;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
