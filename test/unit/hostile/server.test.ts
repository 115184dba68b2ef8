/**
 * Short runs of the fault and load scenarios of test/stress/scenarios.ts, for `npm test`: a crash during
 * the scan, churn over 200 notes, a 3-second typing storm, malformed client traffic. The full sizes run
 * in `npm run test:stress`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';
import { churnScenario, crashScenario, hostileVaultScenario, malformedScenario, stormScenario } from '../../stress/scenarios';

const built = existsSync(path.join(repoRoot, 'dist', 'server.js'));
const STORM_SECONDS = Number(process.env['NOTESENSE_STORM_SECONDS']) || 3;

describe('server faults and load (short)', { skip: built ? false : 'dist/server.js is not built' }, () => {
  it('killed during the scan, a fresh server reaches the cold index', () => crashScenario(400));
  it('churn over 200 notes', () => churnScenario(200));
  it(`typing storm for ${STORM_SECONDS} s`, () => stormScenario(STORM_SECONDS, 1500));
  it('malformed client traffic', () => malformedScenario());
  it('a vault of hostile files', () => hostileVaultScenario());
});
