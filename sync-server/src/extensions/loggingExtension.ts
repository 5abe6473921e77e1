/** Logs the life of connections and documents (never tokens: only the person id and the document). */
import type { Extension } from '../extension.ts';
import type { Logger } from '../log.ts';

export function loggingExtension(log: Logger): Extension {
  const l = log.child({ part: 'relay' });
  return {
    name: 'logging',
    phase: 'observe',
    onConnect({ connection }) {
      l.info('connection opened', {
        conn: connection.id,
        doc: connection.docName,
        person: connection.principal.sub,
        remote: connection.remote,
      });
    },
    onDisconnect({ connection, code }) {
      l.info('connection closed', { conn: connection.id, doc: connection.docName, code });
    },
    onStoreUpdate({ document, lastSeq, count }) {
      l.debug('persisted', { doc: document.name, updates: count, seq: lastSeq });
    },
    onUnloadDocument({ document }) {
      l.debug('unloading document', { doc: document.name });
    },
  };
}
