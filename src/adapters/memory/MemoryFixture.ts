/**
 * A typed fixture: tenants with their customers, accounts and cards, seeded in one call.
 *
 * @since 0.1.0
 */
import { Effect, Redacted, Result, Schema } from "effect"
import { type Card, CardType, ExpDate } from "../../domain/card/Card.js"
import { protectPan } from "../../domain/card/CardPan.js"
import { CardStatus, LockableStatus } from "../../domain/card/CardStatus.js"
import { AccountRegistration, AccountStatus } from "../../domain/customer/Customer.js"
import { AccountNo, BranchId, EntityId, KitNo, MobileNo, TenantId } from "../../domain/ground/Identifiers.js"
import { type Pan, PanFromString } from "../../domain/ground/Pan.js"
import type { ProtectedPan } from "../../domain/ground/ProtectedPan.js"
import { decodeWith, type ValidationError, validationError } from "../../domain/ground/Validation.js"
import type { AccountPan } from "../../domain/token/AccountPan.js"
import type { TokenUniqueReference } from "../../domain/token/Token.js"
import { protectAccountPan } from "../../domain/token/TokenPan.js"
import {
  type InvalidKeyConfiguration,
  KeyId,
  type KeyPurpose,
  SecurityModule
} from "../../ports/SecurityModule.js"
import { defaultPolicy, IdempotencyRetentionHours, PinTryLimit } from "../../ports/TenantPolicy.js"
import type { KeyConfiguration, KeyEntry } from "../keys/KeyConfiguration.js"
import { keyRing } from "../keys/KeyRing.js"
import { fromKeyRing } from "../noble/NobleSecurityModule.js"
import { KitManagerFixtureFields, putKitManagerFixture } from "./KitManagerFixture.js"
import { putCards } from "./MemoryCardRepository.js"
import { putAccounts, putCustomers } from "./MemoryCustomerRepository.js"
import { emptyTables, type Tables } from "./MemoryDatabase.js"
import { putTokenFixture, TokenFixtureFields } from "./MemoryTokenFixture.js"
import * as Table from "./Table.js"

const CardFixture = Schema.Struct({
  kitNo: KitNo,
  /** The clear PAN; held as `Redacted` from here on. */
  pan: PanFromString,
  productId: Schema.String,
  tierType: Schema.String,
  cardType: CardType,
  expDate: ExpDate,
  /** ASSIGNED when omitted. */
  status: Schema.optionalKey(CardStatus),
  /** Required with LOCKED, refused otherwise. */
  lockedFrom: Schema.optionalKey(LockableStatus)
})

const AccountFixture = Schema.Struct({
  accountNo: AccountNo,
  /** ACTIVE when omitted. */
  status: Schema.optionalKey(AccountStatus),
  /** REGISTERED when omitted. */
  registration: Schema.optionalKey(AccountRegistration),
  /** Past card replacements, ISO-8601 instants (`2026-07-01T09:00:00.000Z`); none when omitted. */
  replacements: Schema.optionalKey(Schema.Array(Schema.DateTimeUtcFromString)),
  cards: Schema.optionalKey(Schema.Array(CardFixture))
})

const CustomerFixture = Schema.Struct({
  entityId: EntityId,
  mobileNo: MobileNo,
  branchId: BranchId,
  accounts: Schema.optionalKey(Schema.Array(AccountFixture))
})

/** A secret key in hex: 16, 24 or 32 bytes (AES-128/192/256; HMAC keys of the same sizes). */
const KeyHex = Schema.RedactedFromValue(
  Schema.String.check(
    Schema.isPattern(/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/, {
      message: "must be 16, 24 or 32 bytes of hex"
    })
  ),
  { label: "key" }
)

/**
 * A purpose's keys: one key in hex (its id is `"1"`), or a list of `{ id, hex }`, the active key
 * first (docs/pin-blocks.md, "Security modules").
 */
const PurposeKeys = Schema.Union([
  KeyHex,
  Schema.Array(Schema.Struct({ id: KeyId, hex: KeyHex })).check(
    Schema.isMinLength(1, { message: "must hold at least one key" })
  )
])

const TenantFixture = Schema.Struct({
  customers: Schema.optionalKey(Schema.Array(CustomerFixture)),
  ...KitManagerFixtureFields,
  ...TokenFixtureFields,
  keys: Schema.optionalKey(
    Schema.Struct({
      cardNumber: Schema.optionalKey(PurposeKeys),
      setPin: Schema.optionalKey(PurposeKeys),
      pinStore: Schema.optionalKey(PurposeKeys),
      panStore: Schema.optionalKey(PurposeKeys)
    })
  ),
  policy: Schema.optionalKey(
    Schema.Struct({
      migrationInTransition: Schema.optionalKey(Schema.Boolean),
      allowTrivialPins: Schema.optionalKey(Schema.Boolean),
      /** 3 when omitted. */
      pinTryLimit: Schema.optionalKey(PinTryLimit),
      /** 24 when omitted. */
      idempotencyRetentionHours: Schema.optionalKey(IdempotencyRetentionHours)
    })
  ),
  /** The first serial kitNo the memory issuer tries for the tenant; 4240200000 when omitted. */
  nextKitNo: Schema.optionalKey(
    Schema.Number.check(
      Schema.makeFilter((n: number) => Number.isSafeInteger(n) && n >= 0, {
        message: "must be a non-negative safe integer"
      })
    )
  )
})

/**
 * @category schemas
 */
export const MemoryFixture = Schema.Struct({
  tenants: Schema.Record(TenantId, TenantFixture)
})

/**
 * What a host or a test writes: clear PANs, plain strings and numbers.
 *
 * @category models
 */
export type MemoryFixture = typeof MemoryFixture.Encoded

const decodeFixture = decodeWith(MemoryFixture, ["fixture"])

const putSettings = (tables: Tables, tenant: TenantId, content: typeof TenantFixture.Type): Tables => {
  Table.set(tables.policies, tenant, "", { ...defaultPolicy, ...content.policy })
  if (content.nextKitNo !== undefined) Table.set(tables.issuerSerial, tenant, "", content.nextKitNo)
  return tables
}

/** The tenants' keys as a security module's configuration, each hex still `Redacted`. */
const keysOf = (decoded: typeof MemoryFixture.Type): KeyConfiguration =>
  // own properties for every tenant id, `__proto__` too (an assignment would set the prototype)
  Object.fromEntries(
    Object.entries(decoded.tenants).map(([tenant, content]) => [
      tenant,
      Object.fromEntries(
        Object.entries(content.keys ?? {}).map(([purpose, keys]) => [
          purpose as KeyPurpose,
          Redacted.isRedacted(keys) ? [{ id: "1", hex: keys } satisfies KeyEntry] : keys
        ])
      )
    ])
  )

/**
 * What a fixture seeds: the database's tables, and the key configuration of the security module.
 *
 * @category models
 */
export interface MemorySeed {
  readonly tables: Tables
  readonly keys: KeyConfiguration
}

/** A fixture's card before it is stored: its PAN still clear (`Redacted`). */
type ClearCard = Omit<Card, "pan"> & { readonly pan: Pan }

/**
 * A fixture's card as it is stored: its PAN encrypted, masked and hashed by `module` (a portable
 * module over the fixture's keys, whose ciphertexts open under any module of the same keys).
 */
const protectedCard = (module: SecurityModule["Service"], tenant: TenantId, card: ClearCard): Card => ({
  ...card,
  // the caller checked that the tenant holds both keys: a failure is a defect
  pan: Effect.runSync(
    protectPan(tenant, card.kitNo, card.pan).pipe(Effect.provideService(SecurityModule, module))
  )
})

/**
 * Decodes a fixture into tables, refusing what the domain could never have stored: a LOCKED card
 * without the status it was locked from; within one tenant, an entityId, a mobileNo, an accountNo,
 * a kitNo or a PAN twice (a PAN is compared in a local set of digits and never named in an issue); a
 * tenant with cards but without a `panStore` or a `cardNumber` key (cards are stored with their PAN
 * protected: encrypted, masked and hashed, never clear); and keys that break the rules of a key
 * configuration (`InvalidKeyConfiguration`: an id twice, the same key bytes twice).
 *
 * @category constructors
 */
export const tablesFromFixture = (
  fixture: MemoryFixture
): Effect.Effect<Tables, ValidationError | InvalidKeyConfiguration> =>
  Effect.map(seedFromFixture(fixture), (seed) => seed.tables)

/**
 * `tablesFromFixture`, and the tenants' keys beside the tables: a key in the fixture's one-key form
 * gets the id `"1"`.
 *
 * @category constructors
 */
export const seedFromFixture = (
  fixture: MemoryFixture
): Effect.Effect<MemorySeed, ValidationError | InvalidKeyConfiguration> =>
  Effect.flatMap(
    decodeFixture(fixture),
    (decoded): Effect.Effect<MemorySeed, ValidationError | InvalidKeyConfiguration> => {
      // the keys are checked here as the layer's module checks them, and zeroed once the cards are stored
      const keys = keysOf(decoded)
      const ring = keyRing(keys)
      if (Result.isFailure(ring)) return Effect.fail(ring.failure)
      try {
        return seedTables(decoded, keys, fromKeyRing(ring.success))
      } finally {
        ring.success.wipe()
      }
    }
  )

const seedTables = (
  decoded: typeof MemoryFixture.Type,
  keys: KeyConfiguration,
  module: SecurityModule["Service"]
): Effect.Effect<MemorySeed, ValidationError> => {
  let tables = emptyTables()
  const issues: Array<{ path: string; message: string }> = []
  for (const [tenant, content] of Object.entries(decoded.tenants)) {
    const tenantId = tenant as TenantId
    const kitNos = new Set<string>()
    const mobiles = new Set<string>()
    const entityIds = new Set<string>()
    const accountNos = new Set<number>()
    const pans = new Set<string>()
    const storable = content.keys?.panStore !== undefined && content.keys?.cardNumber !== undefined
    let holdsCards = false
    tables = putSettings(tables, tenantId, content)
    for (const [c, customer] of (content.customers ?? []).entries()) {
      const at = `fixture.tenants.${tenant}.customers.${c}`
      if (entityIds.has(customer.entityId))
        issues.push({ path: `${at}.entityId`, message: "must be unique in the tenant" })
      entityIds.add(customer.entityId)
      if (mobiles.has(customer.mobileNo))
        issues.push({ path: `${at}.mobileNo`, message: "must be unique in the tenant" })
      mobiles.add(customer.mobileNo)
      const { accounts = [], ...rest } = customer
      tables = putCustomers(tables, tenantId, [rest])
      tables = putAccounts(
        tables,
        tenantId,
        accounts.map((a) => ({
          accountNo: a.accountNo,
          entityId: customer.entityId,
          status: a.status ?? "ACTIVE",
          registration: a.registration ?? "REGISTERED",
          replacements: a.replacements ?? []
        }))
      )
      for (const [a, account] of accounts.entries()) {
        if (accountNos.has(account.accountNo))
          issues.push({ path: `${at}.accounts.${a}.accountNo`, message: "must be unique in the tenant" })
        accountNos.add(account.accountNo)
        const cards: Array<ClearCard> = []
        for (const [k, card] of (account.cards ?? []).entries()) {
          const path = `${at}.accounts.${a}.cards.${k}`
          const status = card.status ?? "ASSIGNED"
          if (kitNos.has(card.kitNo))
            issues.push({ path: `${path}.kitNo`, message: "must be unique in the tenant" })
          const digits = Redacted.value(card.pan)
          if (pans.has(digits)) issues.push({ path: `${path}.pan`, message: "must be unique in the tenant" })
          pans.add(digits)
          if ((status === "LOCKED") !== (card.lockedFrom !== undefined)) {
            issues.push({
              path: `${path}.lockedFrom`,
              message: "must be given exactly when status is LOCKED"
            })
          }
          kitNos.add(card.kitNo)
          cards.push({ ...card, status, entityId: customer.entityId, accountNo: account.accountNo })
        }
        holdsCards ||= cards.length > 0
        if (storable)
          tables = putCards(
            tables,
            tenantId,
            cards.map((card) => protectedCard(module, tenantId, card))
          )
      }
    }
    const holdsPans = holdsCards || (content.tokens ?? []).length > 0
    for (const purpose of ["panStore", "cardNumber"] as const)
      if (holdsPans && content.keys?.[purpose] === undefined)
        issues.push({
          path: `fixture.tenants.${tenant}.keys.${purpose}`,
          message: "is required: the tenant has cards or tokens, and a PAN is stored encrypted and hashed"
        })
    const kitManager = putKitManagerFixture(tables, tenantId, content, `fixture.tenants.${tenant}`)
    tables = kitManager.tables
    issues.push(...kitManager.issues)
    const protect = (token: TokenUniqueReference, pan: AccountPan): ProtectedPan =>
      Effect.runSync(
        protectAccountPan(tenantId, token, pan).pipe(Effect.provideService(SecurityModule, module))
      )
    const tokens = putTokenFixture(
      tables,
      tenantId,
      content,
      `fixture.tenants.${tenant}`,
      storable ? protect : undefined
    )
    tables = tokens.tables
    issues.push(...tokens.issues)
  }
  return issues.length > 0 ? Effect.fail(validationError(issues)) : Effect.succeed({ tables, keys })
}
