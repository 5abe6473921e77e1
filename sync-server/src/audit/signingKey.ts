/**
 * AUDIT-6: the Ed25519 key that signs audit checkpoints. It is kept in a file of its own (never in the database):
 * `MUSTER_AUDIT_KEY_FILE`, by default `<dataDir>/audit-signing-key.pem` (0600), made once. Operators who keep it
 * off the data volume make a rewritten log impossible to re-sign for anyone who holds only the data dir.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const AUDIT_KEY_FILE = 'audit-signing-key.pem';

export interface AuditSigningKey {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  /** SPKI PEM of the public key (given to verifiers and auditors' devices). */
  publicKeyPem: string;
  /** SHA-256 (hex, first 16 digits) of the public key's SPKI DER: names the key in each checkpoint. */
  keyId: string;
}

export function keyIdOf(publicKey: crypto.KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function keyFileOf(dataDir: string, fromEnv?: string | null): string {
  return fromEnv ? path.resolve(fromEnv) : path.join(dataDir, AUDIT_KEY_FILE);
}

function fromPrivate(privateKey: crypto.KeyObject): AuditSigningKey {
  const publicKey = crypto.createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/**
 * SCALE-9: reads the key file and never makes one: a cluster node signs with the key every node shares, so a
 * missing file is a configuration error, not a reason to sign with a key of its own.
 */
export function loadAuditKey(file: string): AuditSigningKey {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      `no audit key at ${file} (MUSTER_AUDIT_KEY_FILE): make it once (openssl genpkey -algorithm ed25519 -out FILE) ` +
        'and give every node the same file',
    );
  }
  const key = crypto.createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: not an Ed25519 private key`);
  return fromPrivate(key);
}

/** Reads the key file, or makes a new key there when it does not exist. */
export function loadOrCreateAuditKey(file: string): AuditSigningKey {
  try {
    const key = crypto.createPrivateKey(fs.readFileSync(file, 'utf8'));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: not an Ed25519 private key`);
    return fromPrivate(key);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return fromPrivate(privateKey);
}

/** The public key of a key file (private key PEM) or of a public key PEM file. */
export function readPublicKey(file: string): crypto.KeyObject {
  const pem = fs.readFileSync(file, 'utf8');
  const key = pem.includes('PRIVATE KEY')
    ? crypto.createPublicKey(crypto.createPrivateKey(pem))
    : crypto.createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: not an Ed25519 key`);
  return key;
}
