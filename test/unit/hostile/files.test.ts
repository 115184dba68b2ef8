/**
 * The host's file access against a hostile vault: link loops, links out of the folder, FIFOs, unreadable
 * and vanishing files, files that are not UTF-8 text and files over the size limit. The inputs are
 * generated into a temporary folder at test time (nothing large or binary is committed).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parseNote } from '../../../server/src/core/parse/note';
import { transcode } from 'node:buffer';
import { decodeNote, decodeValidUtf8, fileUri, isPlainPath, listNotes, readNote, utf8Decoder, type ReadResult } from '../../../server/src/host/files';
import { loadVault } from '../../../server/src/host/vault';

const base = mkdtempSync(path.join(tmpdir(), 'notesense-files-'));
after(() => {
  // chmod 000 folders would make rmSync fail for a non-root user.
  spawnSync('chmod', ['-R', 'u+rwx', base]);
  rmSync(base, { recursive: true, force: true });
});

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasFifo = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;

/** Fails the test instead of hanging it when `p` does not settle in time (a blocked FIFO open). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms))),
  ]);
}

const skipped = (r: ReadResult) => (r.ok ? 'ok' : `${r.reason}: ${r.detail}`);

describe('listNotes in a hostile folder', () => {
  const root = path.join(base, 'vault');
  const outside = path.join(base, 'outside');
  const expected: string[] = [];

  before(() => {
    mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    const note = (rel: string) => {
      writeFileSync(path.join(root, rel), '---\ntitle: x\n---\n');
      expected.push(path.join(root, rel));
    };
    note('one.md');
    note('a/two.md');
    note('a/b/three.MD');
    writeFileSync(path.join(outside, 'secret.md'), 'outside the vault');
    // A loop (a/b/loop -> a), a link to the parent of the vault, links to files in and out of it.
    symlinkSync(path.join(root, 'a'), path.join(root, 'a', 'b', 'loop'));
    symlinkSync(base, path.join(root, 'up'));
    symlinkSync(outside, path.join(root, 'out'));
    symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'secret.md'));
    symlinkSync(path.join(root, 'one.md'), path.join(root, 'alias.md'));
    symlinkSync(path.join(root, 'missing.md'), path.join(root, 'dangling.md'));
    if (hasFifo) spawnSync('mkfifo', [path.join(root, 'pipe.md')]);
    expected.sort();
  });

  it('terminates, lists each real file once and stays inside the folder', async () => {
    const skips: Array<[string, string]> = [];
    const files = await within(listNotes(root, { onSkip: (f, why) => skips.push([path.relative(root, f), why]) }), 10_000, 'listNotes');
    assert.deepEqual([...files].sort(), expected);
    assert.equal(new Set(files).size, files.length);
    for (const f of files) assert.ok(!path.relative(root, f).startsWith('..'), f);
    const reasons = new Map(skips);
    assert.equal(reasons.get('secret.md'), 'symbolic link');
    assert.equal(reasons.get('alias.md'), 'symbolic link');
    assert.equal(reasons.get('dangling.md'), 'symbolic link');
    if (hasFifo) assert.equal(reasons.get('pipe.md'), 'not a regular file');
  });

  it('never opens a FIFO (which would block until a writer appears)', async (t) => {
    if (!hasFifo) return t.skip('mkfifo is not available here');
    // In a child process with a time limit: a blocked open would hang this one for good.
    const files = require.resolve('../../../server/src/host/files');
    const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(files)}).readNote(${JSON.stringify(path.join(root, 'pipe.md'))})))`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 5000 });
    assert.equal(child.status, 0, `readNote on a FIFO did not finish within 5000 ms: ${child.stderr}`);
    assert.equal(skipped(JSON.parse(child.stdout) as ReadResult), 'unreadable: not a regular file');
  });

  it('refuses a link to a file, and a file reached through a linked folder', async () => {
    assert.equal(skipped(readNote(path.join(root, 'secret.md'))), 'unreadable: symbolic link');
    assert.equal(skipped(readNote(path.join(root, 'out', 'secret.md'), undefined, { root })), 'unreadable: outside the workspace folder');
    assert.equal((readNote(path.join(root, 'a', 'two.md'), undefined, { root })).ok, true);
  });

  it('the CLI loader reads the real notes and nothing outside', async () => {
    const notes = await loadVault(root);
    assert.deepEqual(notes.map((n) => n.relative).sort(), ['a/b/three.MD', 'a/two.md', 'one.md']);
    assert.ok(notes.every((n) => n.result !== undefined));
  });
});

describe('unreadable and vanishing files', () => {
  const root = path.join(base, 'perms');

  before(() => {
    mkdirSync(path.join(root, 'locked'), { recursive: true });
    writeFileSync(path.join(root, 'locked', 'hidden.md'), 'x');
    writeFileSync(path.join(root, 'closed.md'), 'x');
    writeFileSync(path.join(root, 'open.md'), 'x');
    chmodSync(path.join(root, 'closed.md'), 0o000);
    chmodSync(path.join(root, 'locked'), 0o000);
  });

  it('skips a file and a folder it may not read, with a reason', async (t) => {
    // root reads through chmod 000: the permission check cannot be observed then.
    if (isRoot) return t.skip('running as root, where chmod 000 does not deny reads');
    const skips: string[] = [];
    const files = await listNotes(root, { onSkip: (f, why) => skips.push(`${path.relative(root, f)}: ${why}`) });
    assert.deepEqual(files.map((f) => path.basename(f)), ['closed.md', 'open.md']);
    assert.deepEqual(skips, ['locked: folder not read (EACCES)']);
    assert.equal(skipped(readNote(path.join(root, 'closed.md'))), 'unreadable: EACCES');
  });

  it('a file deleted between listing and reading is skipped, not thrown', async () => {
    const dir = mkdtempSync(path.join(base, 'vanish-'));
    for (let i = 0; i < 200; i++) writeFileSync(path.join(dir, `n${i}.md`), `---\ntitle: ${i}\n---\n${'正文 '.repeat(i)}`);
    const files = await listNotes(dir);
    assert.equal(files.length, 200);
    // Delete every other file after the listing, before the reads.
    files.forEach((f, i) => {
      if (i % 2 === 0) unlinkSync(f);
    });
    const results = files.map((f) => readNote(f));
    for (const r of results) assert.ok(r.ok || (r.reason === 'unreadable' && r.detail === 'ENOENT'), skipped(r));
    assert.equal(skipped(readNote(files[0]!)), 'unreadable: ENOENT');
    assert.equal(skipped(readNote(path.join(dir, 'never', 'was.md'), undefined, { root: dir })), 'unreadable: ENOENT');
  });

  it('a folder deleted while the scan runs is skipped', async () => {
    const dir = mkdtempSync(path.join(base, 'gone-'));
    for (let i = 0; i < 50; i++) {
      mkdirSync(path.join(dir, `d${i}`));
      writeFileSync(path.join(dir, `d${i}`, 'x.md'), 'x');
    }
    const scan = listNotes(dir);
    for (let i = 0; i < 50; i += 2) rmSync(path.join(dir, `d${i}`), { recursive: true });
    const files = await scan;
    assert.ok(files.length >= 25 && files.length <= 50, String(files.length));
  });
});

describe('files that are not UTF-8 text, or too large', () => {
  const dir = path.join(base, 'bytes');
  const file = (name: string, bytes: Uint8Array | string) => {
    mkdirSync(dir, { recursive: true });
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const note = '---\ntitle: 数据墙 🚀\npeople:\n- 马斯克\n---\n**数据墙**（Data wall: 瓶颈）\n';

  it('skips a PNG named .md as binary', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
    assert.equal(skipped(readNote(file('image.md', png))), 'binary: a NUL byte at byte 8');
  });

  it('skips text with NUL bytes, and invalid UTF-8 (a GBK note), saying where', async () => {
    assert.equal(skipped(readNote(file('nul.md', 'abc\u0000def'))), 'binary: a NUL byte at byte 3');
    const gbk = Buffer.from([0x61, 0x0a, 0xca, 0xfd, 0xbe, 0xdd, 0xc7, 0xbd]); // "a\n数据墙" in GBK
    assert.equal(skipped(readNote(file('gbk.md', gbk))), 'binary: invalid UTF-8 at byte 2');
    assert.equal(skipped(decodeNote(Buffer.from([0xe6, 0x95, 0xb0, 0xe6, 0x95]))), 'binary: invalid UTF-8 at byte 3');
    assert.equal(skipped(decodeNote(Buffer.from([0xed, 0xa0, 0x80]))), 'binary: invalid UTF-8 at byte 0'); // an encoded surrogate
  });

  it('reads UTF-8 with a BOM, and UTF-16 LE and BE with a BOM, as the same text', async () => {
    const expect = (r: ReadResult, encoding: string) => {
      assert.ok(r.ok, skipped(r));
      assert.equal(r.text, note);
      assert.equal(r.encoding, encoding);
      assert.deepEqual(parseNote(r.text).note.entities.map((e) => e.value), ['马斯克']);
    };
    expect(readNote(file('bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(note)]))), 'utf8');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(note, 'utf16le')]);
    expect(readNote(file('utf16le.md', le)), 'utf16le');
    const be = Buffer.from(le);
    be.swap16();
    expect(readNote(file('utf16be.md', be)), 'utf16be');
    // Without a BOM, UTF-16 is indistinguishable from binary: its ASCII characters carry NUL bytes.
    assert.equal(skipped(readNote(file('utf16-nobom.md', Buffer.from(note, 'utf16le')))), 'binary: a NUL byte at byte 1');
    assert.equal(skipped(decodeNote(Buffer.from([0xff, 0xfe, 0x61]))), 'binary: an odd number of bytes for UTF-16');
  });

  it('decodes valid UTF-8 with Node\'s ICU converter exactly as the engine\'s decoder does', () => {
    let every = '';
    for (let cp = 0; cp < 0x110000; cp++) if (cp < 0xd800 || cp > 0xdfff) every += String.fromCodePoint(cp);
    const samples = ['', 'a', '😀', '**数据墙**（Data wall: 指…）\r\n', '\ufeff前', 'é e\u0301', every];
    const converters: Array<[string, Parameters<typeof utf8Decoder>[0]]> = [
      ['ICU', transcode],
      ['none', undefined],
      ['throwing', () => {
        throw new Error('no ICU');
      }],
      ['wrong', (b: Uint8Array) => Buffer.from(Buffer.from(b).toString('latin1'), 'utf16le')],
    ];
    for (const text of samples) {
      const bytes = Buffer.from(text, 'utf8');
      assert.equal(decodeValidUtf8(bytes), text);
      for (const [name, convert] of converters) assert.equal(utf8Decoder(convert)(bytes), text, `${name}: ${text.slice(0, 20)}`);
    }
    // A converter that passes the probe but fails on a later note falls back for that note.
    let calls = 0;
    const flaky = utf8Decoder((b, from, to) => {
      if (++calls > 1) throw new Error('gone');
      return transcode(b, from, to);
    });
    assert.equal(flaky(Buffer.from('中文', 'utf8')), '中文');
  });

  it('skips files over the limit without reading them, and reads one at the limit', async () => {
    const text = 'a'.repeat(1000);
    const p = file('limit.md', text);
    assert.equal((readNote(p, 1000)).ok, true);
    assert.equal(skipped(readNote(p, 999)), 'too-large: 1000 bytes');
  });

  it('a 10 MB note is skipped by default and parsed when the limit allows it', async () => {
    const big = file('big.md', `---\ntitle: big\n---\n${'**数据墙**（Data wall: 瓶颈）普通的一行文字。\n'.repeat(250_000)}`);
    assert.match(skipped(readNote(big)), /^too-large: \d+ bytes$/);
    const t0 = performance.now();
    const r = readNote(big, 20 * 1024 * 1024);
    assert.ok(r.ok, skipped(r));
    const t1 = performance.now();
    const { note } = parseNote(r.text);
    const t2 = performance.now();
    assert.equal(note.body.definitions.length, 250_000);
    console.log(`  10 MB note: read ${(t1 - t0).toFixed(0)} ms, parsed ${(t2 - t1).toFixed(0)} ms`);
  });

  it('the CLI loader reports each skipped file once, with its reason, and reads the rest', async () => {
    const vault = mkdtempSync(path.join(base, 'mixed-'));
    writeFileSync(path.join(vault, 'ok.md'), note);
    writeFileSync(path.join(vault, 'image.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    writeFileSync(path.join(vault, 'huge.md'), 'x'.repeat(2048));
    const skips: string[] = [];
    const notes = await loadVault(vault, { maxFileBytes: 1024, onSkip: (f, why) => skips.push(`${path.basename(f)}: ${why}`) });
    assert.deepEqual(skips.sort(), ['huge.md: too-large', 'image.md: binary']);
    const byName = new Map(notes.map((n) => [n.relative, n]));
    assert.deepEqual(byName.get('huge.md')!.problems.map((p) => p.code), ['file-too-large']);
    assert.deepEqual(byName.get('image.md')!.problems.map((p) => p.code), ['file-binary']);
    assert.match(byName.get('image.md')!.problems[0]!.message, /NUL byte at byte 4/);
    assert.deepEqual(byName.get('ok.md')!.problems, []);
  });
});

describe('fileUri', () => {
  // Paths the direct spelling takes, and paths it must leave to `pathToFileURL`: each character it
  // encodes, each segment it resolves, non-ASCII names and the first and last character of a path.
  const paths = [
    '/vault/notes/000_82f0218efa1b2216.md',
    '/a',
    '/~user/x-y_z.md',
    '/vault/.hidden/n.md',
    '/home/me/.notes/vault/n.md',
    '/vault/.md',
    '/vault/..md',
    '/vault/.../n.md',
    '/vault/..x/n.md',
    '/vault/x./n.md',
    '/vault/x/.',
    '/vault/x/...',
    '/.x',
    '/./x',
    '/../x',
    '/vault/n.md.',
    '/vault/a b.md',
    '/vault/a#b.md',
    '/vault/a?b.md',
    '/vault/100%.md',
    '/vault/笔记/数据墙.md',
    '/vault/emoji-😀.md',
    '/vault/a\\b.md',
    '/vault/tab\tname.md',
    '/vault/a:b.md',
    '/vault/a@b+c=d,e;f.md',
    "/vault/it's.md",
    '/vault/a[1].md',
    '/vault/./n.md',
    '/vault/../n.md',
    '/vault/x/..',
    '/vault//n.md',
    '/vault/dir/',
    '/',
    '/.',
    '/..',
  ];
  for (const file of paths) {
    it(`gives what pathToFileURL gives for ${JSON.stringify(file)}`, () => {
      assert.equal(fileUri(file), pathToFileURL(file).href);
    });
  }

  it('writes a plain path directly, every character kept from the first to the last', () => {
    const file = '/vault/0-note_x.md';
    const uri = fileUri(file);
    assert.equal(uri, 'file:///vault/0-note_x.md');
    assert.equal(uri.slice('file://'.length), file);
  });

  it('writes a path directly when a folder or file name only starts with a dot, not when a segment is . or ..', () => {
    for (const file of ['/home/me/.notes/a.md', '/vault/.md', '/vault/...', '/.x', '/vault/..x/n.md']) assert.equal(isPlainPath(file), true, file);
    for (const file of ['/vault/./n.md', '/vault/../n.md', '/vault/x/.', '/vault/x/..', '/.', '/..', '/vault//n.md', '/vault/dir/', '/', 'vault/n.md', '/vault/~n.md']) {
      assert.equal(isPlainPath(file), false, file);
    }
  });
});
