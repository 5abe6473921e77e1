export { loadConfig, ConfigError, DEFAULTS } from './config.ts';
export type { Config, ClockMode } from './config.ts';
export { createLogger, silentLogger, safePath } from './log.ts';
export type { Logger, LogLevel, LogFields } from './log.ts';
export { systemClock, ManualClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { startServer } from './server.ts';
export type { ServerOptions, RunningServer } from './server.ts';
export { ConnectionRefused } from './extension.ts';
export type { Extension, AuthenticateContext } from './extension.ts';
export { Relay } from './relay/relay.ts';
export type { RelayOptions } from './relay/relay.ts';
export { SERVER_ORIGIN, LOAD_ORIGIN } from './relay/types.ts';
export type { Principal, Refusal, ConnectionHandle, DocumentHandle } from './relay/types.ts';
export { checkClientUpdate } from './stamping/serverOwned.ts';
export type { GuardResult } from './stamping/serverOwned.ts';
export { serverOwnedGuard } from './stamping/guardExtension.ts';
export { stampingExtension } from './stamping/stampingExtension.ts';
export { tokenAuth } from './auth/authExtension.ts';
export { TokenService } from './auth/tokens.ts';
export { hashPassword, verifyPassword } from './auth/passwords.ts';
export { MemoryStore } from './store/memoryStore.ts';
export { SqliteStore, openSqliteStore, SQLITE_FILE } from './store/sqliteStore.ts';
export type {
  Store,
  StoredDoc,
  DocAppend,
  AppendResult,
  PersonRecord,
  Directory,
  AuditInput,
  AuditRow,
} from './store/store.ts';
export {
  DEMO_DIRECTORY_FILE,
  DirectoryFileError,
  formatImportError,
  parseDirectoryText,
  readDirectoryFile,
  seedDirectory,
} from './directory/demoDirectory.ts';
export type { HealthResponse, MeResponse, ClockResponse } from '@muster/protocol';
export { verifyAuditDataDir, verifyAuditRows, verifyStoreAudit } from './audit/verifyLog.ts';
export type { AuditVerdict, DataDirVerifyOptions } from './audit/verifyLog.ts';
export { readCheckpoints, witnessFileOf, WITNESS_FILE } from './audit/checkpoints.ts';
export { AUDIT_KEY_FILE, keyFileOf } from './audit/signingKey.ts';
