/**
 * The extension manifest against the code: every setting the server reads is contributed with a
 * description and the same default, every contributed command is registered by the client, and the
 * trust and virtual-workspace declarations carry their reasons.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../../server/src/lsp/settings';
import { repoRoot } from '../../support/paths';

interface Property { type: string; default: unknown; description?: string; markdownDescription?: string }
interface Manifest {
  activationEvents: string[];
  capabilities: Record<string, { supported: boolean | string; description?: string; restrictedConfigurations?: string[] }>;
  contributes: {
    configuration: { properties: Record<string, Property> };
    commands: { command: string; title: string; category?: string }[];
  };
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const properties = manifest.contributes.configuration.properties;

/** The settings object `workspace/configuration` returns for section `notesense` when nothing is set. */
function defaultsAsTheClientSendsThem(): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(properties)) {
    const parts = key.split('.').slice(1);
    let node = root;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = prop.default;
  }
  return root;
}

describe('extension manifest', () => {
  it('contributes every setting with the default the server uses', () => {
    assert.deepEqual(normalizeSettings(defaultsAsTheClientSendsThem()), DEFAULT_SETTINGS);
  });

  it('falls back to the defaults for missing or wrong values', () => {
    assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
    assert.deepEqual(normalizeSettings({ exclude: 'x', entityKeys: 3, completion: { pinyin: 'no' }, maxFileSize: -1, schema: 7 }), DEFAULT_SETTINGS);
    const s = normalizeSettings({ completion: { pinyin: false }, glossary: { renamePlainMentions: true }, scalarEntityKeys: ['host', 2, ' '] });
    assert.equal(s.completion.pinyin, false);
    assert.equal(s.glossary.renamePlainMentions, true);
    assert.deepEqual(s.scalarEntityKeys, ['host']);
  });

  it('describes every setting in package.nls.json', () => {
    for (const [key, prop] of Object.entries(properties)) {
      const d = prop.markdownDescription ?? prop.description ?? '';
      const m = /^%(.+)%$/.exec(d);
      assert.ok(m && nls[m[1]!], `${key} has a localised description`);
      assert.ok('default' in prop, `${key} has a default`);
    }
  });

  it('registers every contributed command in the client, under the NoteSense category', () => {
    const client = ['extension.ts', 'commands.ts'].map((f) => readFileSync(path.join(repoRoot, 'client', 'src', f), 'utf8')).join('\n');
    const ours = manifest.contributes.commands.filter((c) => c.command.startsWith('notesense.') && !c.command.startsWith('notesense.server.'));
    for (const id of ['notesense.restartServer', 'notesense.rebuildIndex', 'notesense.inferSchema', 'notesense.exportGlossary', 'notesense.showOutput']) {
      assert.ok(ours.some((c) => c.command === id), `${id} is contributed`);
    }
    for (const c of ours) {
      assert.equal(c.category, 'NoteSense', c.command);
      assert.ok(client.includes(`'${c.command}'`), `${c.command} is registered by the client`);
    }
  });

  it('declares Restricted Mode and virtual workspaces with reasons', () => {
    const trust = manifest.capabilities['untrustedWorkspaces']!;
    assert.equal(trust.supported, 'limited');
    assert.deepEqual(trust.restrictedConfigurations, ['notesense.schema']);
    assert.equal(manifest.capabilities['virtualWorkspaces']!.supported, false);
    for (const c of Object.values(manifest.capabilities)) assert.ok(c.description && nls[c.description.replace(/%/g, '')]);
  });

  it('activates on Markdown', () => {
    assert.ok(manifest.activationEvents.includes('onLanguage:markdown'));
  });
});
