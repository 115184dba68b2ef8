import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { uriOf, vaultTexts } from '../entities/vault';

/** An index built in one pass from the final notes. */
function rebuilt(notes: ReadonlyMap<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [rel, text] of notes) index.set(summarize(uriOf(rel), parseNote(text).note));
  return index;
}

type Step =
  | { op: 'edit'; note: string; text: string }
  | { op: 'rename'; from: string; to: string }
  | { op: 'delete'; note: string };

/** Applies the steps note by note, as the indexer does for buffer edits and watched-file events. */
function replay(start: ReadonlyMap<string, string>, steps: readonly Step[]): { index: WorkspaceIndex; notes: Map<string, string> } {
  const notes = new Map(start);
  const index = rebuilt(notes);
  for (const s of steps) {
    if (s.op === 'edit') {
      notes.set(s.note, s.text);
      index.set(summarize(uriOf(s.note), parseNote(s.text).note));
    } else if (s.op === 'rename') {
      const text = notes.get(s.from);
      if (text === undefined) continue;
      // A rename arrives as a delete and a create.
      notes.delete(s.from);
      index.delete(uriOf(s.from));
      notes.set(s.to, text);
      index.set(summarize(uriOf(s.to), parseNote(text).note));
    } else {
      notes.delete(s.note);
      index.delete(uriOf(s.note));
    }
  }
  return { index, notes };
}

describe('workspace index: incremental equals rebuilt', () => {
  const start = vaultTexts();

  it('after a scripted sequence of edits, renames and deletes', () => {
    const steps: Step[] = [
      { op: 'edit', note: '2024-01-10-openai-devday.md', text: '---\ntitle: OpenAI DevDay\npeople:\n  - Sam Altman\n  - Le\n---\n**Sam Altman**\n' },
      { op: 'edit', note: '2024-01-10-openai-devday.md', text: '---\ntitle: OpenAI DevDay\npeople:\n  - Sam Altman\n  - Leopold Aschenbrenner\n---\n**Sam Altman**\n' },
      { op: 'rename', from: 'people/Sam Altman.md', to: 'people/Sam H. Altman.md' },
      { op: 'delete', note: '2024-05-01-anthropic.md' },
      { op: 'edit', note: 'new.md', text: "---\ndate: '2025-01-01'\nguest: 马斯克\ncompanies_orgs: [OpenAI, Anthropic]\n---\n**马斯克**（Elon Musk: 企业家）\n" },
      { op: 'edit', note: '2023-11-20-board.md', text: '---\ntitle: [broken\n---\n' },
      { op: 'rename', from: '2024-03-05-musk-lawsuit.md', to: 'archive/2024-03-05-musk-lawsuit.md' },
      { op: 'delete', note: 'new.md' },
      { op: 'edit', note: '2023-11-20-board.md', text: start.get('2023-11-20-board.md')! },
      // The same terms and front matter, another English name (a keystroke's path through `set`).
      { op: 'edit', note: 'named.md', text: '---\ntitle: 名\n---\n**数据墙**（Data wall: 数据不够）\n**算力墙**（指算力不够）\n' },
      { op: 'edit', note: 'named.md', text: '---\ntitle: 名\n---\n**数据墙**（Data Wall Two: 数据不够）\n**算力墙**（Compute wall: 算力不够）\n' },
    ];
    const { index, notes } = replay(start, steps);
    assert.deepEqual(index.snapshot(), rebuilt(notes).snapshot());
    // The snapshot is not trivially equal: it holds the entities with their notes and co-occurrence.
    assert.ok(index.entity('people', 'Leopold Aschenbrenner'));
    assert.equal(index.entity('people', 'Dario Amodei'), undefined);
    assert.equal(index.entity('people', 'Le'), undefined);
    assert.equal(index.entity('people', 'Sam Altman')!.cooccurrence.get('companies_orgs\u0000OpenAI'), 2);
    assert.notDeepEqual(index.snapshot(), rebuilt(start).snapshot());
  });

  it('after any random sequence (property)', () => {
    const names = [...start.keys(), 'x.md', 'y/z.md'];
    // Versions of a note that keep its front matter's list items where they were (a keystroke in the body,
    // a new title), so that `set` takes its path for unchanged entities.
    const sameItems = [...start.values()].flatMap((t) => [t + '\n**新词**（New term: 新的定义）\n', t.replace(/^title: .*$/m, 'title: 改了标题'),
      t.replace(/\*\*[^*\n]+\*\*/, '**换了**')]);
    const texts = [...start.values(), ...sameItems, '', '---\npeople: [A, B]\ntags: [t]\n---\n**A** **C**\n', '---\nguest: A\npeople:\n- B\n---\n',
      // A listed under two keys in one note, and under a third in another: the entry counts each key.
      '---\nguest: A\npeople:\n- A\n- B\n---\n', '---\nspeaker: A\ntags: [t]\n---\n',
      // Terms defined by several notes, and twice in one note: the term's notes are kept once each.
      '**新词**（New term: 定义一）\n**别的**（Other: 三）\n**新词**（New term: 定义二）\n', '**别的**（Other: 四）\n**新词**（New: 五）\n'];
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constant('edit' as const), note: fc.constantFrom(...names), text: fc.constantFrom(...texts) }),
      fc.record({ op: fc.constant('rename' as const), from: fc.constantFrom(...names), to: fc.constantFrom(...names) }),
      fc.record({ op: fc.constant('delete' as const), note: fc.constantFrom(...names) }),
    );
    // Values some notes list (and then no longer do) and one none does: `hasEntityNamed` follows `entitiesNamed`.
    const values = ['A', 'B', 'C', 't', 'Sam Altman', 'OpenAI', 'Anthropic', '马斯克', 'Leopold Aschenbrenner', 'nobody'];
    fc.assert(fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
      const { index, notes } = replay(start, steps);
      assert.deepEqual(index.snapshot(), rebuilt(notes).snapshot());
      for (const v of values) assert.equal(index.hasEntityNamed(v), index.entitiesNamed(v).length > 0, v);
    }), { numRuns: 300 });
  });

  it('counts entities, notes and terms for the status bar', () => {
    const index = rebuilt(start);
    assert.deepEqual(index.counts(), { notes: 6, entities: 21, terms: 0 });
  });
});

describe('workspace index: the notes listing an entity', () => {
  it('answers size, order, get and has like a map through any sequence of sets and deletes (property)', () => {
    // Forty notes can list A: past the length where lookups switch from a search to a map of positions.
    const note = (places: number) => `---\npeople:\n${'- A\n'.repeat(places)}- B\n---\n`;
    const step = fc.record({ note: fc.integer({ min: 0, max: 39 }), places: fc.integer({ min: 0, max: 2 }), lookup: fc.integer({ min: 0, max: 39 }) });
    fc.assert(fc.property(fc.array(step, { minLength: 60, maxLength: 160 }), (steps) => {
      const index = new WorkspaceIndex();
      const model = new Map<string, number>();
      for (const s of steps) {
        const uri = `file:///n${s.note}.md`;
        if (s.places === 0) {
          index.delete(uri);
          model.delete(uri);
        } else {
          index.set(summarize(uri, parseNote(note(s.places)).note));
          // A note set again with other items goes after the others, as in a map where it was deleted and
          // added; with the same items (a keystroke in its body) it keeps its place.
          if (model.get(uri) !== s.places) {
            model.delete(uri);
            model.set(uri, s.places);
          }
        }
        const a = index.entity('people', 'A');
        assert.equal(a?.notes.size ?? 0, model.size);
        if (!a) continue;
        assert.deepEqual([...a.notes.keys()], [...model.keys()]);
        const probe = `file:///n${s.lookup}.md`;
        assert.equal(a.notes.has(probe), model.has(probe));
        const at = a.notes.get(probe);
        assert.deepEqual(at === undefined ? [] : typeof at === 'number' ? [at] : at, model.has(probe) ? (model.get(probe) === 1 ? [0] : [0, 1]) : []);
        assert.deepEqual([...a.notes].map(([u]) => u), [...model.keys()]);
      }
    }), { numRuns: 100 });
  });
});
