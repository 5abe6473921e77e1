/** Wires one server process: store, directory seed, tokens, relay and its extensions, HTTP API and static files. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { deadlinePolicyFromTemplates, mayReadAudit } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { AccessControl } from './access/access.ts';
import { closureGate } from './access/closureGate.ts';
import { accessExtension } from './access/accessExtension.ts';
import { registerAddressees } from './access/registration.ts';
import { Auditor } from './audit/auditor.ts';
import { AuditCheckpointer } from './audit/checkpointer.ts';
import { readCheckpoints, witnessFileOf } from './audit/checkpoints.ts';
import { keyFileOf, loadAuditKey, loadOrCreateAuditKey } from './audit/signingKey.ts';
import { claimClusterAuditKey } from './cluster/auditKey.ts';
import { verifyStoreAudit } from './audit/verifyLog.ts';
import { SessionRegistry, tokenAuth } from './auth/authExtension.ts';
import { LoginThrottle } from './auth/loginThrottle.ts';
import { SessionService } from './auth/sessions.ts';
import { loadOrCreateSecret } from './auth/secret.ts';
import { TokenService } from './auth/tokens.ts';
import { ManualClock, systemClock } from './clock.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { readDirectoryFile, seedDirectory } from './directory/demoDirectory.ts';
import { DirectoryService } from './directory/directoryService.ts';
import { loadApprovalTypes } from './directory/approvalTypes.ts';
import { loadTemplates } from './directory/templates.ts';
import { inPipelineOrder } from './extension.ts';
import type { Extension } from './extension.ts';
import { loggingExtension } from './extensions/loggingExtension.ts';
import { ListChanges } from './http/listChanges.ts';
import { createApi } from './http/api.ts';
import { setSecurityHeaders } from './http/securityHeaders.ts';
import { limitsExtension } from './limits/limits.ts';
import { sendError } from './http/respond.ts';
import { createStaticHandler } from './http/static.ts';
import { upgradeHandler } from './http/upgrade.ts';
import { createLogger, errorText, safePath } from './log.ts';
import type { Logger } from './log.ts';
import { Relay } from './relay/relay.ts';
import { serverOwnedGuard } from './stamping/guardExtension.ts';
import { stampingExtension } from './stamping/stampingExtension.ts';
import { Cluster } from './cluster/cluster.ts';
import { healthProbes } from './http/health.ts';
import { PgStore } from './store/pgStore.ts';
import { openConfiguredStore } from './store/openConfiguredStore.ts';
import { StatsProjector } from './stats/projector.ts';
import { openPgStatsStore } from './stats/pgStatsStore.ts';
import { openSqliteStatsStore } from './stats/sqliteStatsStore.ts';
import type { StatsStore } from './stats/statsStore.ts';
import type { Store } from './store/store.ts';
import { EscalationScheduler } from './workflow/escalationScheduler.ts';
import { dutyInbox } from './workflow/dutyInbox.ts';
import { Assistant } from './assistant/assistant.ts';
import { assistantExtension } from './assistant/assistantExtension.ts';
import type { AssistantRunner } from './assistant/assistantExtension.ts';
import { lookupRoutes } from './assistant/lookupRoutes.ts';
import { openSources, readHttpSources } from './assistant/openSources.ts';
import { OpenAiIntentModel } from './assistant/intentModel.ts';
import { DEMO_SOURCE_CONFIGS } from './assistant/demoSources.ts';
import type { Source } from './assistant/source.ts';
import { inboxExtension } from './workflow/inboxExtension.ts';
import { inboxArchiver, startInboxSweep } from './workflow/inboxArchiver.ts';
import { InboxWriter } from './workflow/inboxWriter.ts';
import type { DocumentAccess } from './workflow/types.ts';
import { workflowExtension } from './workflow/workflowExtension.ts';
import { checkDataDir } from './dataDir.ts';
import { setBodyIdleTimeout } from './http/body.ts';
import { removeStaleUploads } from './http/photos.ts';
import { FsPhotoStore } from './photos/photoStore.ts';
import { PgPhotoStore } from './photos/pgPhotoStore.ts';

export interface ServerOptions {
  config: Config;
  /** Defaults to the store `config.store` names: SQLite in `config.dataDir`, or PostgreSQL (SCALE-1). */
  store?: Store;
  /** Defaults to the system clock, or a manual one when `config.clock` is `manual`. */
  clock?: Clock;
  log?: Logger;
  /** Extra extensions; each runs in its phase, after the built-in ones of the same phase. */
  extensions?: Extension[];
  /**
   * Directory seeded into an empty store. Default: the fictional demo city (packages/core/demo/city.json) when
   * `config.demo` asks for it, else nothing (SAFE-1).
   */
  directoryFile?: string;
  /** Group templates (default: packages/core/demo/templates.json); checked against the directory at start. */
  templatesFile?: string;
  /** APR-1: approval types (default: packages/core/demo/approval-types.json); checked at start. */
  approvalTypesFile?: string;
  /** STATS-2: the statistics projection (default: SQLite `stats.sqlite` in `config.dataDir`). */
  statsStore?: StatsStore;
  /** ASSIST-5: look-up sources (default: the demo sources on demo starts, and MUSTER_LOOKUP_SOURCES). */
  lookupSources?: Source[];
}

export interface RunningServer {
  port: number;
  url: string;
  config: Config;
  store: Store;
  clock: Clock;
  relay: Relay;
  log: Logger;
  /** The directory in memory (core `Directory`), reloaded after duty changes. */
  directory: DirectoryService;
  /** The escalation timers (ESC-4). */
  scheduler: EscalationScheduler;
  /** Security: membership decisions (`canOpen`), sessions and open connections by person. */
  security: {
    access: AccessControl;
    sessions: SessionService;
    registry: SessionRegistry;
    audit: Auditor;
    /** AUDIT-6: signs the audit chain's head into the witness file. */
    checkpoints: AuditCheckpointer;
  };
  /** STATS-1: the statistics projection and what keeps it up to date. */
  stats: { store: StatsStore; projector: StatsProjector };
  /** ASSIST-*: the look-up assistant (`idle()` resolves when every question received is answered). */
  assistant: AssistantRunner;
  /** Stops accepting, closes sockets with 1001, commits what is pending, closes the store. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.log ?? createLogger({ level: config.logLevel, format: config.logFormat });
  checkDataDir(config.dataDir);
  // ASSIST-5: MUSTER_LOOKUP_SOURCES is read and checked before anything is opened (a bad file: ConfigError).
  const httpSources =
    !options.lookupSources && config.lookup.sourcesFile
      ? readHttpSources(
          config.lookup.sourcesFile,
          DEMO_SOURCE_CONFIGS.map((c) => c.info.id),
        )
      : [];
  const staleUploads = removeStaleUploads(config.dataDir);
  if (staleUploads > 0) log.info('removed unfinished photo uploads', { files: staleUploads });
  setBodyIdleTimeout(config.httpBodyIdleMs);
  // SCALE-2: with several nodes every document write is fenced by this node's lease on it.
  let cluster: Cluster | null = null;
  const fence = config.cluster ? (docName: string) => cluster?.keeper.fence(docName) ?? null : null;
  const store = options.store ?? (await openConfiguredStore(config, log, fence));
  if (config.cluster && config.store.kind === 'pg' && store instanceof PgStore) {
    cluster = new Cluster({
      config: config.cluster,
      pool: store.pool,
      channel: config.store.schema,
      secret: config.jwtSecret ?? '',
      log: log.child({ part: 'cluster', node: config.cluster.nodeId }),
    });
  }
  const clock = options.clock ?? (config.clock === 'manual' ? new ManualClock() : systemClock);
  if (options.directoryFile || config.demo) {
    await seedDirectory(store, readDirectoryFile(options.directoryFile), log);
  }
  const directory = new DirectoryService(store);
  await directory.reload();
  const emptyDirectory = (await store.countPersons()) === 0;
  // SAFE-1: a data dir with no directory starts empty (nobody can log in) and says how to fill it; its templates
  // are checked once a directory exists (the next start).
  if (emptyDirectory) {
    log.warn('the directory is empty: nobody can log in', {
      fix: 'npm run directory:import -- FILE (server stopped), or start with --demo for the fictional demo city',
    });
  }
  const templates = emptyDirectory ? [] : loadTemplates(directory.current, options.templatesFile);
  // POL-15: sign-off and closure deadlines are the server's: SLA-1/CLOSE-4, per incident type as the templates say.
  const deadlines = deadlinePolicyFromTemplates(templates, directory.current);
  if (config.clock === 'manual') {
    // SAFE-2: a moved clock falsifies every stamp and deadline; never unnoticed.
    log.warn('MUSTER_CLOCK=manual: server time can be moved by an admin (POST /api/test/clock); tests only');
  }
  const approvalTypes = loadApprovalTypes(options.approvalTypesFile);
  let relayRef: Relay | null = null;
  const docs = (): DocumentAccess => {
    if (!relayRef) throw new Error('relay not started');
    return relayRef;
  };
  const scheduler = new EscalationScheduler({
    store,
    clock,
    log: log.child({ part: 'escalation' }),
    directory: () => directory.current,
    docs,
    ...(cluster ? { retryMs: config.cluster!.leaseMs, refreshMs: config.cluster!.leaseMs } : {}),
    deadlines,
  });
  const inbox = new InboxWriter(docs, log.child({ part: 'inbox' }), {
    archived: (personId, itemIds) => store.archivedInboxIds(personId, itemIds),
  });
  if (cluster) {
    inbox.remote = cluster.remoteInbox;
    inbox.retryMs = Math.ceil(config.cluster!.leaseMs / 3);
  }
  const tokens = new TokenService(loadOrCreateSecret(config.dataDir, config.jwtSecret), clock, config.tokenTtlMs);

  const sec = config.security;
  const audit = new Auditor(store, clock, log.child({ part: 'audit' }));
  // AUDIT-6: the audit key lives in a file of its own; the chain is checked against the latest signed checkpoint.
  // SCALE-9: a cluster node signs with the key file every node shares (never one it makes) and checks it is the
  // cluster's before it signs anything.
  const auditKey =
    cluster && config.auditKeyFile
      ? loadAuditKey(config.auditKeyFile)
      : loadOrCreateAuditKey(keyFileOf(config.dataDir, config.auditKeyFile));
  if (cluster && store instanceof PgStore) {
    await claimClusterAuditKey(store.pool, auditKey, config.cluster!.nodeId, clock.now());
  }
  const witnessFile = witnessFileOf(config.dataDir);
  const checkpointer = new AuditCheckpointer({
    store,
    clock,
    key: auditKey,
    file: witnessFile,
    log: log.child({ part: 'audit' }),
    everyMs: config.auditCheckpointMs,
  });
  const auditVerdict = await verifyStoreAudit(store, readCheckpoints(witnessFile), auditKey.publicKey);
  if (!auditVerdict.ok) {
    log.warn('the audit log does not verify', {
      problem: auditVerdict.message,
      fix: 'run npm run audit:verify; restore the data dir from a backup',
    });
  }
  checkpointer.start();
  const sessions = new SessionService(store, tokens, clock, sec.refreshTtlMs);
  const registry = new SessionRegistry(sessions, log.child({ part: 'sessions' }), sec.sessionCheckMs);
  const throttle = await LoginThrottle.load(store, clock, {
    accountMaxFailures: sec.loginMaxFailures,
    addressMaxFailures: sec.loginAddressMaxFailures,
    lockMs: sec.loginLockMs,
  });
  // ACL-2 SCALE-3: with several nodes a membership is kept in memory only while this node owns the group (the owner
  // is the only one that registers members); any other node reads it from PostgreSQL each time.
  const access = new AccessControl(store, () => directory.current, {
    ...(fence ? { cacheable: (groupId: string) => fence(groupDocName(groupId)) !== null } : {}),
  });
  const listChanges = new ListChanges({
    membership: (groupId) => access.membership(groupId),
    directory: () => directory.current,
    // HIST-1: a change stored here reaches the streams open on the other nodes too.
    ...(cluster ? { publish: (keys: readonly string[]) => cluster!.listChanged(keys) } : {}),
  });
  const statsStore =
    options.statsStore ??
    (config.store.kind === 'pg'
      ? openPgStatsStore({ url: config.store.url, schema: config.store.schema, max: 4 })
      : openSqliteStatsStore(config.dataDir));
  const projector = new StatsProjector({
    stats: statsStore,
    store,
    directory: () => directory.current,
    log: log.child({ part: 'stats' }),
  });
  const lookupSources = options.lookupSources
    ? { sources: Promise.resolve(options.lookupSources), stop: () => {}, close: async () => {} }
    : openSources(config, log.child({ part: 'lookup' }), httpSources);
  const assistant = new Assistant({
    sources: lookupSources.sources,
    directory: () => directory.current,
    audit,
    clock,
    log: log.child({ part: 'assistant' }),
    perMinute: config.lookup.perMinute,
    model: config.lookup.model ? new OpenAiIntentModel(config.lookup.model, log.child({ part: 'lookup-model' })) : null,
  });
  const assistantRunner = assistantExtension({ assistant, docs, inbox, log: log.child({ part: 'assistant' }) });
  // The pipeline, listed in phase order (extension.ts `PHASES`; the relay runs them by phase whatever the order).
  const extensions: Extension[] = inPipelineOrder([
    ...(cluster ? [cluster.extension()] : []), // route
    tokenAuth(sessions), // authenticate
    limitsExtension(sec, audit), // admit
    registry.extension(), // admit
    accessExtension({ access, audit, log: log.child({ part: 'access' }) }), // authorize
    closureGate({ clock, audit, log: log.child({ part: 'closure' }) }), // inspect
    serverOwnedGuard(), // inspect
    inboxExtension(), // inspect
    stampingExtension(clock), // stamp
    // workflow: after stamping (it reads stamps)
    workflowExtension({
      store,
      clock,
      log: log.child({ part: 'workflow' }),
      directory: () => directory.current,
      scheduler,
      deadlines,
      inbox,
      audit,
      // ACL-8, AUDIT-8: the members and their audit rows in one transaction.
      registerAddressees: (groupId, addressees) => registerAddressees(access, audit, store, groupId, addressees),
    }),
    assistantRunner.extension, // workflow
    projector.extension(), // project: sees the group as the relay stored it
    listChanges.extension(), // observe: tells open apps their list changed (HIST-1)
    loggingExtension(log), // observe
    ...(options.extensions ?? []),
  ]);
  const archiving = {
    store,
    clock,
    log: log.child({ part: 'inbox' }),
    keepMs: config.inbox.keepMs,
    staleMs: config.inbox.staleMs,
    minItems: config.inbox.archiveMin,
  };
  const relay = new Relay({
    store,
    clock,
    log,
    extensions,
    docIdleMs: config.docIdleMs,
    pingIntervalMs: config.pingIntervalMs,
    compactEvery: config.compactEvery,
    maxMessageBytes: config.maxMessageBytes,
    maxSocketBufferBytes: config.maxSocketBufferBytes,
    ...(cluster ? { beforeLoad: (docName: string) => cluster.keeper.acquire(docName).then(() => {}) } : {}),
    // HIST-8: settled items leave an inbox as it loads (after the lease: only the owner rewrites it)
    prepareLoad: inboxArchiver(archiving),
  });
  const stopInboxSweep = startInboxSweep(archiving, () => relay, config.inbox.archiveEveryMs);
  relayRef = relay;
  // SCALE-3: a directory change made here (duty, import) is announced so the other nodes reload theirs.
  let fromNotice = 0;
  if (cluster) directory.onChange(() => fromNotice === 0 && cluster.directoryChanged());
  cluster?.attach({
    drop: (docNames) => relay.dropDocuments(docNames),
    reloadDirectory: () => {
      fromNotice++;
      void directory
        .reload()
        .catch(() => {})
        .finally(() => fromNotice--);
    },
    docs,
    writeInbox: (personId, items) => inbox.write(personId, items),
    throttle: (key, state) => {
      throttle.apply(key, state);
      if (state && state.lockedUntil > clock.now()) {
        log.info('login lock-out from another node applied', { scope: key.startsWith('a:') ? 'account' : 'address' });
      }
    },
    listChanged: (keys) => listChanges.pokeKeys(keys),
  });
  if (cluster) throttle.onChange((key, state) => cluster.throttleChanged(key, state));
  await scheduler.start();
  const caughtUp = await projector.catchUp();
  if (caughtUp) log.info('statistics caught up', { groups: caughtUp });
  if (clock instanceof ManualClock) clock.onChange(() => void scheduler.check());
  const api = createApi({
    store,
    clock,
    log: log.child({ part: 'api' }),
    maxBodyBytes: config.maxBodyBytes,
    lockMinutes: config.lockMinutes,
    closedRetentionDays: config.closedRetentionDays,
    auth: { sessions, throttle, audit, registry },
    approvalTypes,
    listChanges,
    workflow: {
      directory,
      templates,
      onDutyStarted: dutyInbox({
        store,
        docs,
        directory: () => directory.current,
        deadlines,
        inbox,
        log: log.child({ part: 'inbox' }),
      }),
    },
    stats: { stats: statsStore, projector, clock, audit, directory: () => directory.current },
    lookup: (authenticate) =>
      lookupRoutes(
        {
          assistant,
          access,
          docs,
          maxBodyBytes: config.maxBodyBytes,
          assistantName: config.lookup.assistantName,
        },
        authenticate,
      ),
    photos: {
      // PHOTO-6: on PostgreSQL photos live in the shared database, so every node serves every photo.
      store: store instanceof PgStore ? new PgPhotoStore(store.pool, config.dataDir) : new FsPhotoStore(config.dataDir),
      maxPhotoBytes: config.maxPhotoBytes,
      access,
      log: log.child({ part: 'photos' }),
      audit,
    },
    reads: {
      canOpen: (p, docName) => access.canOpen(p, docName),
      mayReadAudit: (p) => mayReadAudit(p).ok,
      head: async () => ({
        checkpoint: await checkpointer.checkpoint(),
        publicKeyPem: auditKey.publicKeyPem,
        keyId: auditKey.keyId,
      }),
    },
  });
  const serveStatic = createStaticHandler(config.staticDir);
  let stopping = false;
  const probes = healthProbes({
    store,
    ...(store instanceof PgStore ? { storeProbe: (ms: number) => store.ping(ms) } : {}),
    node: cluster?.nodeId ?? 'single',
    stopping: () => stopping,
    ...(cluster ? { checks: { leases: () => cluster.keeper.healthy }, info: { redis: () => cluster.redisReady } } : {}),
  });

  // HTTP-2: timeouts are checked every second (Node checks every 30 s by default)
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    setSecurityHeaders(req, res);
    const path = safePath(req.url);
    if (path === '/healthz' || path === '/readyz') {
      probes(req, res, path).catch((error: unknown) => {
        log.error('probe failed', { path, error: errorText(error) });
        sendError(res, 500, 'internal', 'internal error');
      });
      return;
    }
    if (cluster && path.startsWith('/internal/')) {
      cluster.handleInternal(req, res, path).catch((error: unknown) => {
        log.error('internal request failed', { path, error: errorText(error) });
        sendError(res, 500, 'internal', 'internal error');
      });
      return;
    }
    const handle = path === '/api' || path.startsWith('/api/') ? api : serveStatic;
    handle(req, res).catch((error: unknown) => {
      log.error('request failed', { path, error: errorText(error) });
      sendError(res, 500, 'internal', 'internal error');
    });
  });
  server.requestTimeout = 30_000;
  // HTTP-2: headers that trickle in, and bodies that stall (http/body.ts), are not waited for
  server.headersTimeout = config.httpHeadersTimeoutMs;

  // ws closes a frame above maxPayload itself with 1009; the relay closes anything above the configured
  // maximum with 4413 first, so the hard cap only bounds memory.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes * 2 + 1024,
    perMessageDeflate: false,
  });

  server.on('upgrade', upgradeHandler({ wss, extensions, relay, cluster, log }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error('http server error', { error: error.message }));
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await scheduler.stop();
      lookupSources.stop();
      await assistantRunner.idle();
      await lookupSources.close();
      inbox.stop();
      stopInboxSweep();
      await inbox.idle();
      await relay.close();
      await cluster?.close();
      await projector.idle();
      await statsStore.close();
      wss.close();
      server.closeAllConnections();
      await stopped;
      await checkpointer.stop();
      await store.close();
      log.info('stopped');
    })();
    return closing;
  };

  return {
    port,
    url: `http://localhost:${port}`,
    config,
    store,
    clock,
    relay,
    log,
    directory,
    scheduler,
    security: { access, sessions, registry, audit, checkpoints: checkpointer },
    stats: { store: statsStore, projector },
    assistant: assistantRunner,
    close,
  };
}
