/** Full-size fault and load runs (`npm run test:stress`); short versions run in `npm test`. */
import { describe, it } from 'node:test';
import { churnScenario, crashScenario, malformedScenario, stormScenario } from './scenarios';

const STORM_SECONDS = Number(process.env['NOTESENSE_STORM_SECONDS']) || 60;

describe('stress: faults and load against the bundled server', () => {
  it('killed in the middle of indexing 3,000 notes, a fresh server reaches the cold index', () => crashScenario(3000));
  it('churn: a thousand files created, changed, renamed and deleted at once', () => churnScenario(1000));
  it(`typing storm: 50 edits a second for ${STORM_SECONDS} s on a large note`, () => stormScenario(STORM_SECONDS, 5000));
  it('malformed client traffic', () => malformedScenario());
});
