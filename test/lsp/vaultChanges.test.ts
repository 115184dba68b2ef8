/**
 * A server that lived through changes on disk answers as a server started on the result. While a note is
 * open and asked about (so that every cache of the features is built and then kept up to date), the
 * other notes of the vault are rewritten, retitled, redated, created and deleted, each change told by a
 * watched-file event. Once its index has settled, what the editor gets for the open note (`observe`:
 * diagnostics, quick fixes, symbols, hovers, definitions, completions, the index) must equal what a
 * fresh server on the same folder gives. The open note bolds the vault's entities and terms, so its
 * hovers and completions list other notes, their titles, dates and definitions. The same for a server
 * whose settings change (entity keys, completion, a diagnostic's severity) against one started with them.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { rng } from '../support/churn';
import { fileUri, type TestServer } from '../support/lsp';
import { answersIn, assertSameAnswers, observe, probesOf } from '../support/observe';
import { coldSnapshot, scanned, settlesTo, startOn } from '../stress/scenarios';

const PEOPLE = ['Sam Altman', '马斯克', 'Satya Nadella', '黄仁勋', 'Demis Hassabis', '李飞飞'];
const ORGS = ['OpenAI', 'Nvidia', '清华大学', 'DeepMind'];
const TERMS: ReadonlyArray<readonly [string, string]> = [['数据墙', 'Data wall'], ['解缚', 'Unhobbling'], ['表征', 'Representation'], ['规模定律', 'Scaling law']];

/** Another note of the vault: a random choice of entities and definitions, a title and a date. */
function otherNote(next: () => number, n: number): string {
  const some = <T>(xs: readonly T[]) => xs.filter(() => next() < 0.5);
  const lines = ['---', `title: 笔记${n}`, `date: 2024-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 10)}`];
  // A scalar key and a list key that are entities under one setting and not under another.
  lines.push(`host: ${PEOPLE[Math.floor(next() * PEOPLE.length)]}`, 'labs:', ...some(ORGS).map((o) => `- ${o}`));
  lines.push('people:', ...some(PEOPLE).map((p) => `- ${p}`), 'companies_orgs:', ...some(ORGS).map((o) => `- ${o}`), '---', '');
  for (const [term, english] of some(TERMS)) {
    // Definitions that agree or not, in two wordings, so that the glossary has claimants and conflicts.
    lines.push(`**${term}**（${next() < 0.7 ? english : english + 's'}: ${next() < 0.5 ? '一种说法' : '另一种说法'}）。`);
  }
  lines.push(`提到**${PEOPLE[Math.floor(next() * PEOPLE.length)]}**。`, '');
  return lines.join('\n');
}

/** The open note: it lists some entities and bolds every entity and term of the vault. */
const OPEN_NOTE = [
  '---', 'title: 打开的笔记', 'date: 2024-05-05', 'people:', '- Sam Altman', '- 黄仁勋', 'companies_orgs:', '- OpenAI', '---', '',
  ...PEOPLE.map((p) => `**${p}** 出现。`), ...ORGS.map((o) => `**${o}** 出现。`), ...TERMS.map(([term]) => `**${term}** 被提到，${term}也是。`), '',
].join('\n');

describe('a server that lived through changes on disk answers as a fresh one', () => {
  const folders: string[] = [];
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.stop();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 60 changes to other notes while one is open`, async () => {
      const next = rng(seed * 7919);
      const root = mkdtempSync(path.join(tmpdir(), 'notesense-vault-changes-'));
      folders.push(root);
      const file = (n: number) => path.join(root, `n${n}.md`);
      for (let n = 0; n < 8; n++) writeFileSync(file(n), otherNote(next, n));
      const open = path.join(root, 'open.md');
      writeFileSync(open, OPEN_NOTE);
      const uri = fileUri(open);
      const probes = probesOf(OPEN_NOTE);

      const lived = await startOn(root);
      servers.push(lived);
      await scanned(lived);
      lived.open(uri, OPEN_NOTE, 1);
      await observe(lived, uri, probes);
      for (let step = 0; step < 60; step++) {
        const n = Math.floor(next() * 12);
        const f = file(n);
        const roll = next();
        let type: number;
        if (existsSync(f) && roll < 0.15) {
          unlinkSync(f);
          type = 3;
        } else if (existsSync(f) && roll < 0.45) {
          // Only the title or the date: the note's entities and definitions as they were.
          const text = readFileSync(f, 'utf8');
          writeFileSync(f, next() < 0.5 ? text.replace(/^title:.*$/m, `title: 改题${step}`) : text.replace(/^date:.*$/m, `date: 2023-1${Math.floor(next() * 3)}-2${Math.floor(next() * 9)}`));
          type = 2;
        } else {
          type = existsSync(f) ? 2 : 1;
          writeFileSync(f, otherNote(next, n));
        }
        void lived.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(f), type }] });
        // Asked about now and then, as the editor does: the features' caches follow the changes.
        if (step % 6 === 5) await observe(lived, uri, probes);
      }
      await settlesTo(lived, await coldSnapshot(root));
      const after = await observe(lived, uri, probes);

      const fresh = await startOn(root);
      servers.push(fresh);
      await scanned(fresh);
      fresh.open(uri, OPEN_NOTE, 1);
      const expected = await observe(fresh, uri, probes);

      assertSameAnswers(after, expected);
      // The comparison above compared answers, not empty lists.
      assert.deepEqual(answersIn(after), { hover: true, definition: true, completion: true });
    });
  }

  it('a server whose settings changed answers as one started with them', async () => {
    const next = rng(4242);
    const root = mkdtempSync(path.join(tmpdir(), 'notesense-settings-change-'));
    folders.push(root);
    for (let n = 0; n < 10; n++) writeFileSync(path.join(root, `n${n}.md`), otherNote(next, n));
    const open = path.join(root, 'open.md');
    writeFileSync(open, OPEN_NOTE);
    const uri = fileUri(open);
    const probes = probesOf(OPEN_NOTE);
    // Other entity keys (a list and a scalar added, one list left out), no pinyin in completion, and the
    // hints on bold entities the note does not list turned off.
    const changed = {
      entityKeys: ['people', 'labs', 'tags'], scalarEntityKeys: ['guest', 'host'], completion: { pinyin: false },
      diagnostics: { severity: { 'entity-untagged-mention': 'off' } },
    };

    const lived = await startOn(root, { notesense: {} });
    servers.push(lived);
    await scanned(lived);
    lived.open(uri, OPEN_NOTE, 1);
    const before = await observe(lived, uri, probes);
    lived.configuration['notesense'] = changed;
    void lived.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });

    const fresh = await startOn(root, { notesense: changed });
    servers.push(fresh);
    await scanned(fresh);
    fresh.open(uri, OPEN_NOTE, 1);
    const expected = await observe(fresh, uri, probes);
    // The settings reach the first server when it asks for them, and a new scan follows: wait for its index.
    await settlesTo(lived, expected.index);
    const after = await observe(lived, uri, probes);

    assertSameAnswers(after, expected);
    assert.deepEqual(answersIn(after), { hover: true, definition: true, completion: true });
    // The settings did change what the editor gets (else the comparison above would prove nothing).
    assert.notDeepEqual(before.diagnostics, expected.diagnostics);
    assert.notDeepEqual(before.completions, expected.completions);
    assert.notDeepEqual(before.index, expected.index);
  });
});
