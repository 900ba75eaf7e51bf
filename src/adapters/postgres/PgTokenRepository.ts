/**
 * `TokenRepository` on PostgreSQL: a token is one row of `tokens`. Its searchable and ordered fields
 * (reference, account PAN hash, cardholder, status) and its other scalar fields are columns, its
 * account PAN stored as the security module protected it (ciphertext, key id, masked form, keyed
 * hash: no clear PAN); its nested parts (wallet, devices, comments, provisioning, suspenders) are
 * jsonb. Every statement names the tenant; the `…ForUpdate` reads lock their rows (`FOR UPDATE`);
 * `saveAll` is one statement whatever the number of tokens.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import type { MaskedPan } from "../../domain/ground/Pan.js"
import type { KeyId } from "../../domain/ground/ProtectedPan.js"
import type {
  AccountPanSequenceNumber,
  CardholderId,
  ExpirationDate,
  ProductConfigurationId,
  Token,
  TokenComment,
  TokenDevice,
  TokenProvisioning,
  TokenStatus,
  TokenUniqueReference,
  TokenWallet
} from "../../domain/token/Token.js"
import { TokenRepository } from "../../ports/TokenRepository.js"
import { statement } from "./Store.js"

/** A row of `tokens` as written and read (but the tenant); an absent optional field is null. */
interface TokenRow {
  readonly token_unique_reference: string
  readonly pan_key_id: string
  readonly pan_ciphertext: string
  readonly pan_masked: string
  readonly pan_hash: string
  readonly pan_unique_reference: string | null
  readonly cardholder_id: string | null
  readonly token_suffix: string
  readonly expiration_date: string
  readonly account_pan_expiration_date: string | null
  readonly account_pan_sequence_number: string | null
  readonly product_configuration_id: string | null
  readonly status: string
  readonly status_date_time: string
  readonly last_comment_id: string | null
  readonly suspended_by: ReadonlyArray<string>
  readonly wallet: TokenWallet
  readonly devices: ReadonlyArray<TokenDevice>
  readonly comments: ReadonlyArray<TokenComment>
  readonly provisioning: TokenProvisioning
}

const COLUMN_NAMES = [
  "token_unique_reference",
  "pan_key_id",
  "pan_ciphertext",
  "pan_masked",
  "pan_hash",
  "pan_unique_reference",
  "cardholder_id",
  "token_suffix",
  "expiration_date",
  "account_pan_expiration_date",
  "account_pan_sequence_number",
  "product_configuration_id",
  "status",
  "status_date_time",
  "last_comment_id",
  "suspended_by",
  "wallet",
  "devices",
  "comments",
  "provisioning"
] as const satisfies ReadonlyArray<keyof TokenRow>

const COLUMNS = COLUMN_NAMES.join(", ")

/** Every column but the key takes the new token's value. */
const REPLACE = COLUMN_NAMES.filter((c) => c !== "token_unique_reference")
  .map((c) => `${c} = excluded.${c}`)
  .join(", ")

/** A field present only when its column holds a value: a token read back has no `undefined` field. */
const optional = <K extends string, A>(key: K, value: string | null): { readonly [P in K]?: A } =>
  (value === null ? {} : { [key]: value }) as { readonly [P in K]?: A }

/** A row as the domain's token: the values were the domain's when written. */
const tokenOf = (row: TokenRow): Token => ({
  tokenUniqueReference: row.token_unique_reference as TokenUniqueReference,
  accountPan: {
    encrypted: { keyId: row.pan_key_id as KeyId, ciphertext: row.pan_ciphertext },
    masked: row.pan_masked as MaskedPan,
    hash: row.pan_hash
  },
  ...optional<"panUniqueReference", string>("panUniqueReference", row.pan_unique_reference),
  ...optional<"cardholderId", CardholderId>("cardholderId", row.cardholder_id),
  tokenSuffix: row.token_suffix,
  expirationDate: row.expiration_date as ExpirationDate,
  ...optional<"accountPanExpirationDate", ExpirationDate>(
    "accountPanExpirationDate",
    row.account_pan_expiration_date
  ),
  ...optional<"accountPanSequenceNumber", AccountPanSequenceNumber>(
    "accountPanSequenceNumber",
    row.account_pan_sequence_number
  ),
  ...optional<"productConfigurationId", ProductConfigurationId>(
    "productConfigurationId",
    row.product_configuration_id
  ),
  status: row.status as TokenStatus,
  statusDateTime: row.status_date_time,
  suspendedBy: row.suspended_by,
  wallet: row.wallet,
  devices: row.devices,
  comments: row.comments,
  ...optional<"lastCommentId", string>("lastCommentId", row.last_comment_id),
  provisioning: row.provisioning
})

/**
 * A token as the JSON object of its row: an absent optional field is an absent key, which
 * `jsonb_populate_recordset` reads as NULL (no array of nulls to type, no sentinel to collide with a
 * value); the nested parts go into their jsonb columns as they are.
 */
const rowOf = (token: Token): Partial<TokenRow> => ({
  token_unique_reference: token.tokenUniqueReference,
  pan_key_id: token.accountPan.encrypted.keyId,
  pan_ciphertext: token.accountPan.encrypted.ciphertext,
  pan_masked: token.accountPan.masked,
  pan_hash: token.accountPan.hash,
  ...(token.panUniqueReference === undefined ? {} : { pan_unique_reference: token.panUniqueReference }),
  ...(token.cardholderId === undefined ? {} : { cardholder_id: token.cardholderId }),
  token_suffix: token.tokenSuffix,
  expiration_date: token.expirationDate,
  ...(token.accountPanExpirationDate === undefined
    ? {}
    : { account_pan_expiration_date: token.accountPanExpirationDate }),
  ...(token.accountPanSequenceNumber === undefined
    ? {}
    : { account_pan_sequence_number: token.accountPanSequenceNumber }),
  ...(token.productConfigurationId === undefined
    ? {}
    : { product_configuration_id: token.productConfigurationId }),
  status: token.status,
  status_date_time: token.statusDateTime,
  ...(token.lastCommentId === undefined ? {} : { last_comment_id: token.lastCommentId }),
  suspended_by: token.suspendedBy,
  wallet: token.wallet,
  devices: token.devices,
  comments: token.comments,
  provisioning: token.provisioning
})

/**
 * @category layers
 */
export const PgTokenRepository = Layer.effect(
  TokenRepository,
  Effect.map(SqlClient.SqlClient, (sql) => {
    const lockClause = (lock: boolean) => sql.literal(lock ? "FOR UPDATE" : "")
    const byReference = (operation: string, tenant: TenantId, ref: TokenUniqueReference, lock: boolean) =>
      sql<TokenRow>`SELECT ${sql.literal(COLUMNS)} FROM tokens
        WHERE tenant = ${tenant} AND token_unique_reference = ${ref} ${lockClause(lock)}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), tokenOf)),
        statement(operation)
      )
    const byPanHash = (operation: string, tenant: TenantId, panHash: string, lock: boolean) =>
      sql<TokenRow>`SELECT ${sql.literal(COLUMNS)} FROM tokens
        WHERE tenant = ${tenant} AND pan_hash = ${panHash}
        ORDER BY token_unique_reference ${lockClause(lock)}`.pipe(
        Effect.map((rows) => rows.map(tokenOf)),
        statement(operation)
      )
    const byCardholder = (operation: string, tenant: TenantId, cardholderId: CardholderId, lock: boolean) =>
      sql<TokenRow>`SELECT ${sql.literal(COLUMNS)} FROM tokens
        WHERE tenant = ${tenant} AND cardholder_id = ${cardholderId}
        ORDER BY token_unique_reference ${lockClause(lock)}`.pipe(
        Effect.map((rows) => rows.map(tokenOf)),
        statement(operation)
      )
    return TokenRepository.of({
      findByReference: (tenant, ref) => byReference("TokenRepository.findByReference", tenant, ref, false),
      findByReferenceForUpdate: (tenant, ref) =>
        byReference("TokenRepository.findByReferenceForUpdate", tenant, ref, true),
      findByPanHash: (tenant, panHash) => byPanHash("TokenRepository.findByPanHash", tenant, panHash, false),
      findByPanHashForUpdate: (tenant, panHash) =>
        byPanHash("TokenRepository.findByPanHashForUpdate", tenant, panHash, true),
      findByCardholder: (tenant, cardholderId) =>
        byCardholder("TokenRepository.findByCardholder", tenant, cardholderId, false),
      findByCardholderForUpdate: (tenant, cardholderId) =>
        byCardholder("TokenRepository.findByCardholderForUpdate", tenant, cardholderId, true),
      saveAll: (tenant, tokens) => {
        if (tokens.length === 0) return Effect.void
        // one row per reference, the last token given for it winning (as the memory store does):
        // ON CONFLICT cannot touch one row twice in a statement
        const rows = [...new Map(tokens.map((t) => [t.tokenUniqueReference, rowOf(t)])).values()]
        return sql`INSERT INTO tokens (tenant, ${sql.literal(COLUMNS)})
          SELECT ${tenant}, ${sql.literal(COLUMNS)}
          FROM jsonb_populate_recordset(NULL::tokens, ${JSON.stringify(rows)}::jsonb)
          ON CONFLICT (tenant, token_unique_reference) DO UPDATE SET ${sql.literal(REPLACE)}`.pipe(
          Effect.asVoid,
          statement("TokenRepository.saveAll")
        )
      }
    })
  })
)
