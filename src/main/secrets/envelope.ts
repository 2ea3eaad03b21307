import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { RpcError } from '../../shared/rpc/errors'
import { keychainUnavailable, secretAccounts, type SecretStore } from './secret-store'

/**
 * Envelope encryption for tenant secrets: each secret gets its own random AES-256-GCM data key;
 * the data key is wrapped (AES-256-GCM) by one key-encryption key that lives only in the OS
 * keychain. A database dump or a copied cache therefore holds nothing decryptable on its own.
 *
 * `context` (e.g. `tenant:<id>:credential:<name>`) is bound as associated data to both layers, so a
 * sealed value moved to another row does not open.
 *
 * Format: `v1.<kid>.<wrapped data key>.<sealed data>` (base64url; each sealed part is iv|tag|ciphertext);
 * kid identifies the
 * key-encryption key, so a value sealed under another keychain is refused with a clear message.
 */
export interface Envelope {
  seal(plaintext: string, context: string): Promise<string>
  open(sealed: string, context: string): Promise<string>
}

const VERSION = 'v1'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16

export function createEnvelope(secrets: SecretStore): Envelope {
  let kek: Promise<Buffer> | null = null
  // One keychain round trip per process, and concurrent first calls must not create two keys.
  const keyEncryptionKey = () => (kek ??= loadOrCreateKek(secrets).catch((error) => {
    kek = null
    throw error
  }))

  return {
    async seal(plaintext, context) {
      const key = await keyEncryptionKey()
      const dataKey = randomBytes(KEY_BYTES)
      try {
        const aad = Buffer.from(context, 'utf8')
        return [VERSION, keyId(key), b64(encrypt(key, dataKey, aad)), b64(encrypt(dataKey, Buffer.from(plaintext, 'utf8'), aad))].join('.')
      } finally {
        dataKey.fill(0)
      }
    },
    async open(sealed, context) {
      const parts = sealed.split('.')
      if (parts.length !== 4 || parts[0] !== VERSION) throw new RpcError('INVALID', 'This is not a sealed secret of a known format.')
      const [, kid, wrapped, body] = parts as [string, string, string, string]
      const key = await keyEncryptionKey()
      if (kid !== keyId(key)) {
        throw new RpcError('INVALID', 'This secret was sealed with a different keychain key; it cannot be opened here.')
      }
      const aad = Buffer.from(context, 'utf8')
      try {
        const dataKey = decrypt(key, unb64(wrapped), aad)
        try {
          return decrypt(dataKey, unb64(body), aad).toString('utf8')
        } finally {
          dataKey.fill(0)
        }
      } catch {
        throw new RpcError('INVALID', 'The sealed secret was altered or belongs to another record; it cannot be opened.')
      }
    }
  }
}

async function loadOrCreateKek(secrets: SecretStore): Promise<Buffer> {
  let stored = await secrets.get(secretAccounts.tenantSecretsKey)
  if (!stored) {
    await secrets.set(secretAccounts.tenantSecretsKey, randomBytes(KEY_BYTES).toString('base64'))
    // Read back rather than trust our copy: if another console created a key at the same moment,
    // both adopt the one the keychain kept (keytar has no compare-and-set).
    stored = await secrets.get(secretAccounts.tenantSecretsKey)
    if (!stored) throw keychainUnavailable('the keychain did not keep the tenant secrets key')
  }
  const key = Buffer.from(stored, 'base64')
  if (key.length !== KEY_BYTES) throw new RpcError('INTERNAL', 'The tenant secrets key in the keychain is malformed.')
  return key
}

function keyId(key: Buffer): string {
  return createHash('sha256').update('kek-id').update(key).digest('base64url').slice(0, 11)
}

/** iv | tag | ciphertext in one buffer. */
function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aad)
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body])
}

function decrypt(key: Buffer, packed: Buffer, aad: Buffer): Buffer {
  if (packed.length < IV_BYTES + TAG_BYTES) throw new Error('truncated')
  const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV_BYTES))
  decipher.setAAD(aad)
  decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
  return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()])
}

const b64 = (buffer: Buffer) => buffer.toString('base64url')
const unb64 = (text: string) => Buffer.from(text, 'base64url')
