#!/usr/bin/env node
// Deterministic generator of vaults in the note format NoteSense reads: a YAML front matter with about
// sixty list items (people, organisations, books, products, tags), then a long Chinese body with ATX
// headings, bold spans and glossary definitions in every variant the parser recognises. Entities and
// terms follow a Zipf-like law, and many terms are defined more than once with different explanations,
// as in a real vault. Alongside the notes it writes a manifest of what a correct index must find; the
// manifest is computed from the generator's own choices, never by parsing the notes, so a parser bug
// cannot hide behind it.
//
// Usage: node bench/generate.mjs --notes 1000 [--seed 7] [--out .bench] [--force]
import { mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

/** Bumped whenever the output changes, so stale vaults on disk get regenerated. */
export const GENERATOR_VERSION = 4;

// ---------------------------------------------------------------------------------------------------
// Seeded randomness

/** sfc32: small, fast and good enough for generating text; identical across Node versions. */
export function prng(seed) {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 + seed * 7;
  let c = 0xb7e15162 ^ (seed << 3);
  let d = 1;
  const next = () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    /** Roughly normal (sum of uniforms), for sizes. */
    normal: (mean, sd) => mean + sd * ((next() + next() + next() + next() - 2) * 1.7320508),
  };
  return r;
}

/** Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s (inverse CDF by binary search). */
function zipf(n, s) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return (rng) => {
    const u = rng.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

// ---------------------------------------------------------------------------------------------------
// Vocabulary: our own lists, combined at random. Nothing here comes from a real note.

const HANZI = Array.from(
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经' +
  '十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形' +
  '相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展' +
  '五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战' +
  '先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白' +
  '教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且' +
  '究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值' +
  '号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严');

const SYLLABLES = ['al', 'bar', 'cor', 'dan', 'el', 'fen', 'gar', 'hal', 'is', 'jor', 'kal', 'lin', 'mar', 'nor', 'os',
  'pel', 'quin', 'ros', 'sal', 'tor', 'ul', 'vin', 'wen', 'xan', 'yor', 'zel', 'bre', 'cla', 'dre', 'fra', 'gri', 'tha',
  'mo', 'ri', 'ka', 'ne', 'lu', 'sa', 'ti', 've', 'ro', 'shi', 'an', 'en', 'on', 'ber', 'son', 'ton', 'ley', 'vik'];

const EMOJI = ['🚀', '📈', '🤖', '🔥', '💡', '🌏'];
const ORG_SUFFIX = ['Labs', 'Institute', 'Systems', 'Group', 'Foundation', 'Research', 'Capital', 'Dynamics'];
const AREAS = ['society-thinking', 'tech-frontier', 'economy-markets', 'history-ideas', 'science-notes'];
const CATEGORIES = ['politics-society', 'ai-technology', 'finance', 'history', 'biology', 'energy'];
const STATUSES = ['evergreen', 'seedling', 'budding'];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function latinWord(rng, min = 2, max = 3) {
  let w = '';
  const n = rng.int(min, max);
  for (let i = 0; i < n; i++) w += rng.pick(SYLLABLES);
  return w;
}

function hanziWord(rng) {
  const r = rng.next();
  const n = r < 0.12 ? 1 : r < 0.82 ? 2 : r < 0.96 ? 3 : 4;
  let w = '';
  for (let i = 0; i < n; i++) w += rng.pick(HANZI);
  return w;
}

/** Builds `n` distinct strings from `make`, so that pools are exactly as large as asked. */
function distinct(n, make, taken = new Set()) {
  const out = [];
  while (out.length < n) {
    const s = make();
    if (taken.has(s)) continue;
    taken.add(s);
    out.push(s);
  }
  return out;
}

/**
 * Plain YAML scalars that must stay strings in every YAML 1.2 parser: no leading digit (a number), none of
 * the boolean or null spellings, no `: ` or ` #`.
 */
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);

function pools(rng, notes) {
  const scale = Math.max(1, notes / 1000);
  const vocabulary = distinct(4000, () => hanziWord(rng));
  const people = distinct(Math.round(3000 * scale), () => `${cap(latinWord(rng))} ${cap(latinWord(rng, 2, 4))}`);
  const orgs = distinct(Math.round(900 * scale), () => {
    const r = rng.next();
    if (r < 0.3) return Array.from({ length: rng.int(3, 4) }, () => String.fromCharCode(65 + rng.int(0, 25))).join('');
    if (r < 0.65) return `${cap(latinWord(rng))} ${rng.pick(ORG_SUFFIX)}`;
    return cap(latinWord(rng, 2, 4));
  }, new Set(RESERVED));
  const books = distinct(Math.round(1200 * scale), () => {
    if (rng.chance(0.5)) return `《${Array.from({ length: rng.int(2, 4) }, () => hanziWord(rng)).join('')}》`;
    return `《${cap(latinWord(rng))} ${latinWord(rng)}${rng.chance(0.2) ? "'s " + cap(latinWord(rng)) : ''}》`;
  });
  const products = distinct(Math.round(1100 * scale), () => {
    const r = rng.next();
    const base = cap(latinWord(rng, 1, 3));
    if (r < 0.4) return `${base.toUpperCase().slice(0, 3)}-${rng.int(1, 9)}${rng.chance(0.3) ? rng.pick(['o', '.5', 'x', 'b']) : ''}`;
    if (r < 0.6) return `${base} ${rng.int(2, 900)}`;
    return base;
  }, new Set(RESERVED));
  const tags = distinct(Math.round(400 * scale), () => `${latinWord(rng, 1, 2)}${rng.chance(0.6) ? '-' + latinWord(rng, 1, 2) : ''}`, new Set(RESERVED));
  const projects = distinct(Math.round(60 * scale), () => `${latinWord(rng, 1, 2)}-${latinWord(rng, 1, 2)}-${rng.pick(['analysis', 'notes', 'study', 'review'])}`);
  // Terms: a Chinese name, an English name, and one to three explanations that disagree.
  const termNames = distinct(Math.round(5000 * scale), () => {
    const n = rng.int(1, 3);
    let s = '';
    for (let i = 0; i < n; i++) s += rng.pick(vocabulary);
    return s.length >= 2 ? s : s + rng.pick(HANZI);
  });
  const englishTaken = new Set();
  const terms = termNames.map((term) => {
    let english;
    do english = Array.from({ length: rng.int(1, 3) }, () => cap(latinWord(rng, 1, 3))).join(' ');
    while (englishTaken.has(english));
    englishTaken.add(english);
    const explanations = Array.from({ length: rng.chance(0.35) ? rng.int(2, 3) : 1 }, () => clause(rng, vocabulary, 6, 16, false));
    return { term, english, explanations };
  });
  return { vocabulary, people, orgs, books, products, tags, projects, terms };
}

/** A run of Chinese words with commas, no end punctuation. `rich` allows emoji and Latin words. */
function clause(rng, vocabulary, min, max, rich) {
  const n = rng.int(min, max);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += rng.pick(vocabulary);
    if (rich) {
      const r = rng.next();
      if (r < 0.015) s += rng.pick(EMOJI);
      else if (r < 0.03) s += `${rng.int(2, 2040)}年`;
      else if (r < 0.04) s += latinWord(rng).toUpperCase().slice(0, 3);
    }
    if (i > 2 && i < n - 2 && rng.chance(0.12)) s += rng.pick(['，', '，', '、', '：']);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------
// One note

const VARIANTS = ['bold-paren', 'bold-paren-fw-colon', 'quoted-paren', 'bold-english', 'inner-paren', 'half-bold-paren', 'half-inner-paren', 'bold-chinese'];

/** The definition text for a variant, and what the index must record for it. */
function definitionText(rng, t, variant) {
  const expl = rng.pick(t.explanations);
  switch (variant) {
    case 'bold-paren': return `**${t.term}**（${t.english}: ${expl}）`;
    case 'bold-paren-fw-colon': return `**${t.term}**（${t.english}：${expl}）`;
    case 'quoted-paren': return `“**${t.term}**”（${t.english}: ${expl}）`;
    case 'bold-english': return `**${t.term}**（${t.english}）`;
    case 'inner-paren': return `**${t.term}（${t.english}）**`;
    case 'half-bold-paren': return `**${t.term}**(${t.english}: ${expl})`;
    case 'half-inner-paren': return `**${t.term}(${t.english})**`;
    case 'bold-chinese': return `**${t.term}**（${expl}）`;
  }
  throw new Error(variant);
}

function yamlItem(rng, value) {
  // Quote some items, as people do, to exercise both scalar styles; the value stays the same.
  const r = rng.next();
  if (r < 0.06) return `'${value.replace(/'/g, "''")}'`;
  if (r < 0.1) return JSON.stringify(value);
  return value;
}

function sampleDistinct(rng, sampler, pool, k) {
  const out = new Set();
  let guard = 0;
  while (out.size < k && guard++ < k * 50) out.add(pool[sampler(rng)]);
  return [...out];
}

function noteText(rng, P, S, index, targetChars) {
  const fm = {};
  fm.companies_orgs = sampleDistinct(rng, S.orgs, P.orgs, rng.int(6, 16));
  fm.media_books = sampleDistinct(rng, S.books, P.books, rng.int(4, 14));
  fm.people = sampleDistinct(rng, S.people, P.people, rng.int(12, 26));
  fm.products_models = sampleDistinct(rng, S.products, P.products, rng.int(8, 22));
  fm.project = sampleDistinct(rng, S.projects, P.projects, rng.int(1, 2));
  fm.tags = sampleDistinct(rng, S.tags, P.tags, rng.int(3, 7));
  const speaker = P.people[S.people(rng)];
  const guest = rng.chance(0.25) ? P.people[S.people(rng)] : '';
  const year = rng.int(2015, 2026);
  const date = `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const list = (key) => {
    if (key === 'tags' && rng.chance(0.3)) return `${key}: [${fm[key].join(', ')}]\n`;
    return `${key}:\n${fm[key].map((v) => `- ${yamlItem(rng, v)}\n`).join('')}`;
  };
  let head = '---\n';
  head += `area: ${rng.pick(AREAS)}\n`;
  head += `category: ${rng.pick(CATEGORIES)}\n`;
  head += list('companies_orgs');
  head += rng.chance(0.5) ? `date: '${date}'\n` : `date: ${date}\n`;
  head += `draft: ${rng.chance(0.3)}\n`;
  head += guest ? `guest: ${guest}\n` : `guest: ''\n`;
  head += `insight: ''\n`;
  head += `layout: post.njk\n`;
  head += list('media_books');
  head += list('people');
  head += list('products_models');
  head += list('project');
  head += `series: ''\n`;
  head += `source: https://video.example.invalid/watch?v=${index.toString(36)}x${rng.int(1000, 9999)}\n`;
  head += `speaker: ${speaker}\n`;
  head += `status: ${rng.pick(STATUSES)}\n`;
  head += `summary: ${clause(rng, P.vocabulary, 30, 70, false)}。\n`;
  head += list('tags');
  head += `title: ${clause(rng, P.vocabulary, 4, 9, false)}\n`;
  head += '---\n\n';

  const definitions = [];
  const body = [];
  let chars = head.length;
  let paragraph = 0;
  // Bold spans that are not definitions: names from the front matter, Chinese words, amounts.
  const plainBold = () => {
    const r = rng.next();
    if (r < 0.35) return rng.pick(fm.people);
    if (r < 0.5) return rng.pick(fm.companies_orgs);
    if (r < 0.6) return rng.pick(fm.products_models);
    if (r < 0.8) return rng.pick(P.vocabulary) + rng.pick(P.vocabulary);
    return `${rng.int(1, 9999)}${rng.pick(['亿美元', '千兆瓦', '个数量级', '万人'])}`;
  };
  const defsWanted = Math.max(8, Math.round(rng.normal(60, 12) * (targetChars / 27000)));
  const paragraphsWanted = Math.max(6, Math.round(targetChars / 190));
  const defsPerParagraph = defsWanted / paragraphsWanted;
  let defDebt = 0;
  while (chars < targetChars) {
    if (paragraph % 5 === 0) {
      const h = `### ${clause(rng, P.vocabulary, 3, 6, false)}`;
      body.push(h, '');
      chars += h.length + 2;
    }
    paragraph++;
    const sentences = [];
    const n = rng.int(2, 6);
    defDebt += defsPerParagraph;
    for (let i = 0; i < n; i++) {
      let s = clause(rng, P.vocabulary, 3, 12, true);
      if (defDebt >= 1 && rng.chance(0.6)) {
        defDebt--;
        const t = P.terms[S.terms(rng)];
        const variant = rng.pick(VARIANTS);
        const def = definitionText(rng, t, variant);
        definitions.push({ term: t.term, variant, text: def });
        s += def;
      } else if (rng.chance(0.45)) {
        s += `**${plainBold()}**`;
      }
      s += clause(rng, P.vocabulary, 2, 10, true);
      if (rng.chance(0.04)) s += '（2023）'; // a parenthesis that is no definition
      if (rng.chance(0.1)) s += `“${clause(rng, P.vocabulary, 2, 6, false)}”`;
      sentences.push(s + rng.pick(['。', '。', '。', '？', '！']));
    }
    const p = sentences.join('');
    body.push(p, '');
    chars += p.length + 2;
    // Now and then a bold amount followed by a year in parentheses: a bold and a parenthesis that make no
    // definition, and code that looks like a definition but must never count as one.
    if (paragraph % 37 === 0) {
      const fence = `\`\`\`markdown\n**${rng.pick(P.vocabulary)}**（Fenced Fake: ${rng.pick(P.vocabulary)}）\n\`\`\``;
      body.push(fence, '');
      chars += fence.length + 2;
    }
    if (paragraph % 41 === 0) {
      const inline = `${clause(rng, P.vocabulary, 2, 5, false)}\`**${rng.pick(P.vocabulary)}**（Inline Fake: 假）\`，**${rng.int(1, 99)}个数量级**（1999）。`;
      body.push(inline, '');
      chars += inline.length + 2;
    }
  }
  while (defDebt >= 1) {
    // Definitions still owed go into a closing paragraph, so every note carries its share.
    defDebt--;
    const t = P.terms[S.terms(rng)];
    const variant = rng.pick(VARIANTS);
    const def = definitionText(rng, t, variant);
    definitions.push({ term: t.term, variant, text: def });
    body.push(`${clause(rng, P.vocabulary, 2, 6, false)}${def}。`, '');
  }
  const text = head + body.join('\n');
  return { text, fm, speaker, guest, definitions };
}

// ---------------------------------------------------------------------------------------------------
// Positions for the latency probes (LSP UTF-16 line/character)

function positionOf(text, offset) {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

// ---------------------------------------------------------------------------------------------------

export function generate({ notes, seed = 7, out = '.bench', force = false, log = () => undefined }) {
  const name = `vault-${notes}`;
  const dir = path.resolve(out, name);
  const manifestFile = path.resolve(out, `${name}.manifest.json`);
  if (!force && existsSync(manifestFile)) {
    try {
      const old = JSON.parse(readFileSync(manifestFile, 'utf8'));
      if (old.generatorVersion === GENERATOR_VERSION && old.seed === seed && old.notes === notes) return { dir, manifestFile, manifest: old, reused: true };
    } catch {
      // regenerate below
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const rng = prng(seed);
  const P = pools(rng, notes);
  const S = {
    people: zipf(P.people.length, 1.05),
    orgs: zipf(P.orgs.length, 1.1),
    books: zipf(P.books.length, 0.9),
    products: zipf(P.products.length, 1.05),
    tags: zipf(P.tags.length, 1.2),
    projects: zipf(P.projects.length, 1.0),
    terms: zipf(P.terms.length, 0.95),
  };
  const entityCounts = new Map();
  const termCounts = new Map();
  const variantCounts = {};
  let definitionCount = 0;
  let bytes = 0;
  let chars = 0;
  let probe;
  // Note 0's text and definitions, for the probe on its most common term (chosen once every note is counted).
  let first;
  const perFolder = 250;
  for (let i = 0; i < notes; i++) {
    const folder = path.join(dir, `${String(Math.floor(i / perFolder)).padStart(3, '0')}`);
    if (i % perFolder === 0) mkdirSync(folder, { recursive: true });
    const target = i === 0 ? 27000 : Math.max(6000, Math.min(60000, Math.round(rng.normal(27000, 7000))));
    const n = noteText(rng, P, S, i, target);
    let text = n.text;
    // A few notes with CRLF line breaks, a BOM, or both, as files copied between systems have.
    const crlf = i > 0 && i % 29 === 3;
    const bom = i > 0 && i % 53 === 5;
    if (crlf) text = text.replace(/\n/g, '\r\n');
    if (bom) text = '\ufeff' + text;
    const hex = (Math.floor(rng.next() * 2 ** 32).toString(16) + Math.floor(rng.next() * 2 ** 32).toString(16)).padStart(16, '0').slice(0, 16);
    const file = path.join(folder, `${String(i).padStart(5, '0')}_${hex}.md`);
    const buf = Buffer.from(text, 'utf8');
    writeFileSync(file, buf);
    bytes += buf.length;
    chars += text.length;
    const listed = new Set();
    for (const [key, values] of Object.entries(n.fm)) for (const v of values) listed.add(`${key}\u0000${v}`);
    listed.add(`speaker\u0000${n.speaker}`);
    if (n.guest) listed.add(`guest\u0000${n.guest}`);
    for (const id of listed) entityCounts.set(id, (entityCounts.get(id) ?? 0) + 1);
    const termsHere = new Set();
    for (const d of n.definitions) {
      definitionCount++;
      termsHere.add(d.term);
      variantCounts[d.variant] = (variantCounts[d.variant] ?? 0) + 1;
    }
    for (const term of termsHere) termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
    if (i === 0) first = { text, definitions: n.definitions };
    if (i === 0) {
      // Probes for the latency measurements: inside a people item, on a term that is defined, and the
      // offset where one keystroke goes.
      const person = n.fm.people[Math.min(3, n.fm.people.length - 1)];
      const personAt = text.indexOf(person, text.indexOf('\npeople:'));
      const defined = n.definitions[0].term;
      const bodyStart = text.indexOf('\n---\n') + 5;
      // The term inside its first definition: the definition's own text is unique in the note.
      const termAt = text.indexOf(n.definitions[0].text) + n.definitions[0].text.indexOf(defined);
      const plainAt = text.indexOf(`**${n.fm.people[0]}**`, bodyStart);
      probe = {
        file: path.relative(dir, file).split(path.sep).join('/'),
        chars: text.length,
        completion: { ...positionOf(text, personAt + 2), key: 'people', prefix: person.slice(0, 2) },
        hover: { ...positionOf(text, termAt + 1), term: defined },
        keystroke: { ...positionOf(text, plainAt >= 0 ? plainAt : bodyStart + 10) },
      };
    }
    if ((i + 1) % 1000 === 0) log(`  generated ${i + 1}/${notes}`);
  }
  // A second hover probe: the term of note 0 that the most notes define. A hover lists how many other
  // definitions a term has and how many differ, so a term defined all over the vault is its worst case;
  // note 0's first term may be one that two notes define.
  let common = first.definitions[0];
  for (const d of first.definitions) if ((termCounts.get(d.term) ?? 0) > (termCounts.get(common.term) ?? 0)) common = d;
  const commonAt = first.text.indexOf(common.text) + common.text.indexOf(common.term);
  probe.hoverCommon = { ...positionOf(first.text, commonAt + 1), term: common.term, notes: termCounts.get(common.term) };
  probe.hover.notes = termCounts.get(probe.hover.term);
  const entities = [...entityCounts].map(([id, count]) => {
    const at = id.indexOf('\u0000');
    return [id.slice(0, at), id.slice(at + 1), count];
  }).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const terms = [...termCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const manifest = {
    generatorVersion: GENERATOR_VERSION,
    seed,
    notes,
    bytes,
    chars,
    entityPairs: entities.length,
    entityRefs: entities.reduce((s, e) => s + e[2], 0),
    distinctTerms: terms.length,
    definitions: definitionCount,
    variants: variantCounts,
    checksum: { entities: entityChecksum(entities), terms: termChecksum(terms) },
    probe,
    entities,
    terms,
  };
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return { dir, manifestFile, manifest, reused: false };
}

/** FNV-1a over UTF-16 code units; the server computes the same sums in `notesense/indexStats`. */
export function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Order-independent: the sum (mod 2^32) of a hash of every (key, value, notes) triple. */
export function entityChecksum(entities) {
  let sum = 0;
  for (const [key, value, count] of entities) sum = (sum + fnv(`${key}\u0000${value}\u0000${count}`)) >>> 0;
  return sum;
}

export function termChecksum(terms) {
  let sum = 0;
  for (const [term, count] of terms) sum = (sum + fnv(`${term}\u0000${count}`)) >>> 0;
  return sum;
}

function parseArgs(argv) {
  const args = { notes: 1000, seed: 7, out: '.bench', force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--notes') args.notes = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--force') args.force = true;
  }
  return args;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const r = generate({ ...args, log: (s) => console.log(s) });
  const m = r.manifest;
  console.log(`${r.reused ? 'reused' : 'wrote'} ${m.notes} notes (${(m.bytes / 1e6).toFixed(1)} MB) in ${r.dir} ` +
    `in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${m.entityPairs} entity pairs, ${m.distinctTerms} terms, ${m.definitions} definitions`);
}
