import { describe, expect, it } from 'vitest';
import { clueViews, pushClue, readClueRecipients, recordClueRecipients } from './clues.ts';
import { Directory } from './directory.ts';
import { demoGroup, stampAll } from './demoFixture.ts';

const T = 1_767_300_000_000;

/** A patrol officer's device directory after DIR-6: every unit and post, the persons of his own unit only. */
function ownUnitDirectory(dir: Directory, unitId: string): Directory {
  const persons = dir.data.persons.filter((p) => p.unitId === unitId);
  const ids = new Set(persons.map((p) => p.id));
  return new Directory({ ...dir.data, persons, onDuty: dir.data.onDuty.filter((d) => ids.has(d.personId)) });
}

describe('CLUE-5: whom a clue went to is the relay’s record, the same for every member', () => {
  it('CLUE-5 CLUE-3: a sender whose directory shows only his own unit sees every recipient of other units', () => {
    const { doc, dir } = demoGroup();
    const sender = { personId: 'demo016', name: dir.person('demo016')!.name };
    pushClue(doc, {
      id: 'c1',
      text: '嫌疑人往机场 (fictional)',
      targetUnitIds: ['out-airport', 'br-w-patrol'],
      author: sender,
      deviceTime: T,
    });
    const mine = ownUnitDirectory(dir, 'st-e1');
    // Before the relay answered, the device resolves only what its directory shows.
    expect(clueViews(doc, mine)[0]!.recipients).toEqual([]);
    stampAll(doc, T);
    const recorded = recordClueRecipients(doc, dir, T + 1, 'server');
    expect(recorded.map((r) => r.persons.map((p) => p.personId).sort())).toEqual([['demo027', 'demo030', 'demo047']]);
    expect(
      clueViews(doc, mine)[0]!
        .recipients.map((r) => r.person.name)
        .sort(),
    ).toEqual(['demo027', 'demo030', 'demo047'].map((id) => dir.person(id)!.name).sort());
    // No police number or duty travels with a recipient.
    expect(Object.keys(readClueRecipients(doc, 'c1')!.persons[0]!).sort()).toEqual(['name', 'personId', 'unitId']);
  });

  it('CLUE-5: recorded once per accepted clue; unstamped clues wait; a later roster change does not rewrite it', () => {
    const { doc, dir } = demoGroup();
    const sender = { personId: 'demo016', name: 'x' };
    pushClue(doc, { id: 'c1', text: 'x', targetUnitIds: ['out-airport'], author: sender, deviceTime: T });
    expect(recordClueRecipients(doc, dir, T, 'server')).toEqual([]);
    stampAll(doc, T);
    expect(recordClueRecipients(doc, dir, T, 'server')).toHaveLength(1);
    const offDuty = new Directory({ ...dir.data, onDuty: dir.data.onDuty.filter((d) => d.personId !== 'demo047') });
    expect(recordClueRecipients(doc, offDuty, T + 5, 'server')).toEqual([]);
    expect(readClueRecipients(doc, 'c1')!.persons.map((p) => p.personId)).toEqual(['demo047']);
  });
});
