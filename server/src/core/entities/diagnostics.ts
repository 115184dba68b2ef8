/**
 * Entity consistency across the vault:
 * - `entity-near-duplicate`: a value spelled like another of the same kind up to case, width, spaces
 *   and joiners (`Open AI`, `openai`, `ＯｐｅｎＡＩ` vs `OpenAI`), with a fix to the most used spelling;
 * - `entity-untagged-mention`: a bold mention in the body (`**Sam Altman**`) of a known entity that the
 *   front matter does not list, with a fix that adds it to the right list.
 */
import { registerCodes } from '../codes';
import { wantsRelatedInformation, type DocumentContext } from '../features/context';
import { entityKindOf } from '../index/entityKinds';
import type { EntityInfo, WorkspaceIndex } from '../index/workspaceIndex';
import { t } from '../l10n';
import type { Problem } from '../parse/types';
import { boldEntity } from './locate';

export const NEAR_DUPLICATE = 'entity-near-duplicate';
export const UNTAGGED_MENTION = 'entity-untagged-mention';

registerCodes({
  [NEAR_DUPLICATE]: { severity: 'warning', area: 'entity' },
  [UNTAGGED_MENTION]: { severity: 'hint', area: 'entity' },
});

/** Kinds that name things (people, organisations, works); topics like `tags` are often bold words too. */
const MENTION_KINDS_EXCLUDED = new Set(['tags', 'project']);

/** The spelling a group of near duplicates should use: the one most notes use, then the first by code point. */
export function preferredSpelling(index: WorkspaceIndex, info: EntityInfo): EntityInfo {
  const group = index.spellingsOf(info);
  group.sort((a, b) => b.notes.size - a.notes.size || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return group[0] ?? info;
}

export interface NearDuplicateData {
  readonly replacement: string;
}

export interface UntaggedMentionData {
  readonly value: string;
  readonly key: string;
}

export function entityDiagnostics(ctx: DocumentContext): Problem[] {
  const out: Problem[] = [];
  for (const ref of ctx.note.entities) {
    const info = ctx.index.entity(entityKindOf(ref.key), ref.value);
    if (!info) continue;
    const best = preferredSpelling(ctx.index, info);
    if (best.value === info.value) continue;
    const data: NearDuplicateData = { replacement: best.value };
    const problem: Problem = {
      code: NEAR_DUPLICATE,
      severity: 'warning',
      message: t('"{0}" looks like another spelling of "{1}" (used in {2} notes).', ref.value, best.value, best.notes.size),
      range: ref.loc.range,
      data,
    };
    if (!wantsRelatedInformation(ctx.settings)) {
      out.push(problem);
      continue;
    }
    // Where the preferred spelling is used, so the author can check it names the same thing.
    const relatedInformation = [...best.notes.keys()].slice(0, 3).map((uri) => ({
      uri, range: ctx.index.placesOf(best, uri)[0]!.range, message: t('"{0}" is written this way here.', best.value),
    }));
    out.push({ ...problem, relatedInformation });
  }
  const listed = new Set(ctx.note.entities.map((e) => `${entityKindOf(e.key)}\u0000${e.value}`));
  const terms = new Set(ctx.note.body.definitions.map((d) => d.termLoc.start));
  const seen = new Set<string>();
  for (const bold of ctx.note.body.bolds) {
    if (terms.has(bold.textLoc.start) || seen.has(bold.text)) continue;
    const info = boldEntity(ctx, bold.text);
    if (!info || MENTION_KINDS_EXCLUDED.has(info.kind) || listed.has(`${info.kind}\u0000${info.value}`)) continue;
    // Known from other notes, not only from this one.
    if (info.notes.size - (info.notes.has(ctx.uri) ? 1 : 0) === 0) continue;
    seen.add(bold.text);
    const key = listKeyFor(info);
    const data: UntaggedMentionData = { value: info.value, key };
    out.push({
      code: UNTAGGED_MENTION,
      severity: 'hint',
      message: t('"{0}" is a known entity ({1}) that this note does not list under {2}.', info.value, info.kind, key),
      range: bold.textLoc.range,
      data,
    });
  }
  return out;
}

/** The list an entity is added to: its kind, which is the list key itself (`people` for a guest or speaker). */
export function listKeyFor(info: EntityInfo): string {
  return info.kind;
}
