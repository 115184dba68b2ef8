/**
 * Rename an entity across the vault: each front-matter value that lists it (keeping its quotes, or
 * adding quotes only when YAML needs them) and each bold mention in a body. Nothing else is touched.
 * Renaming to a name that already exists merges the two, which the edit asks the user to confirm.
 */
import type { AnnotatedTextEdit, Position, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import type { RenameProvider } from '../features/rename';
import type { EntityStyle } from '../index/summary';
import { placeIndexes, type EntityInfo } from '../index/workspaceIndex';
import { boldMentionSteps } from './boldMentions';
import type { Steps } from '../steps';
import { t } from '../l10n';
import { entityAt } from './locate';
import { quoteForYaml } from './yamlText';

export const MERGE_ANNOTATION = 'notesense.entity.merge';

/** The text that puts `value` where a value written in `style` was (its range is inside any quotes). */
export function valueText(value: string, style: EntityStyle): string {
  if (style.quote === "'") return value.replace(/'/g, "''");
  if (style.quote === '"') return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return quoteForYaml(value, style.flow);
}

/** Whether `name` can name an entity: one line, not blank, no bold markers (it must fit in `**…**`). */
export function validName(name: string): boolean {
  return name.trim() !== '' && name === name.trim() && !/[\r\n]/.test(name) && !name.includes('**');
}

/** The edits, per note, that rename `info` to `newName`, in steps: one after each other note read. */
function* renameEditSteps(ctx: DocumentContext, info: EntityInfo, newName: string): Steps<Map<string, TextEdit[]>> {
  const { index } = ctx;
  const byUri = new Map<string, TextEdit[]>();
  const push = (uri: string, range: Range, newText: string) => {
    let list = byUri.get(uri);
    if (!list) byUri.set(uri, (list = []));
    list.push({ range, newText });
  };
  for (const uri of [...info.notes.keys()].sort()) {
    const es = index.get(uri)?.entities;
    if (!es) continue;
    for (const i of placeIndexes(info.notes.get(uri)!)) push(uri, es.range(i), valueText(newName, es.at(i).style));
  }
  for (const { uri, range } of yield* boldMentionSteps(ctx, info.value)) push(uri, range, newName);
  return byUri;
}

export const entityRename: RenameProvider = {
  prepare(ctx: DocumentContext, position: Position) {
    const target = entityAt(ctx, position);
    if (!target || !ctx.index.entity(target.kind, target.value)) return undefined;
    return { range: target.loc.range, placeholder: target.value };
  },
  *renameSteps(ctx: DocumentContext, position: Position, newName: string): Steps<WorkspaceEdit | undefined> {
    const target = entityAt(ctx, position);
    const info = target && ctx.index.entity(target.kind, target.value);
    if (!info || !validName(newName) || newName === info.value) return undefined;
    const edits = yield* renameEditSteps(ctx, info, newName);
    const existing = ctx.index.entity(info.kind, newName);
    if (!existing) return { changes: Object.fromEntries(edits) };
    // A merge: every edit carries an annotation that asks for confirmation, with the reason.
    const documentChanges: TextDocumentEdit[] = [...edits].map(([uri, list]) => ({
      textDocument: { uri, version: null },
      edits: list.map((e): AnnotatedTextEdit => ({ ...e, annotationId: MERGE_ANNOTATION })),
    }));
    return {
      documentChanges,
      changeAnnotations: {
        [MERGE_ANNOTATION]: {
          label: t('Merge "{0}" into "{1}"', info.value, newName),
          description: t('"{0}" already exists in {1} notes: renaming merges the two entities.', newName, existing.notes.size),
          needsConfirmation: true,
        },
      },
    };
  },
};
