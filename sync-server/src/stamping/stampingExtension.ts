/**
 * STAMP-1: the relay stamps every device record that reaches it with its own trusted time, through the core
 * commands, as a local writer with its own origin. Stamps are then persisted and broadcast like any update.
 */
import { changedRefs, stampRecords, unstampedRefs } from '@muster/core';
import type { Clock } from '../clock.ts';
import type { Extension } from '../extension.ts';
import { SERVER_ORIGIN } from '../relay/types.ts';

export function stampingExtension(clock: Clock): Extension {
  return {
    name: 'stamping',
    phase: 'stamp',
    onLoadDocument({ document }) {
      // Records that reached the store without a stamp (for example before a crash) are stamped on load.
      stampRecords(document.doc, unstampedRefs(document.doc), clock.now(), SERVER_ORIGIN);
    },
    afterApply({ document, transaction }) {
      const refs = changedRefs(document.doc, transaction);
      if (refs.length > 0) stampRecords(document.doc, refs, clock.now(), SERVER_ORIGIN);
    },
  };
}
