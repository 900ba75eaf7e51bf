/**
 * Fixtures, envelopes and a runner for the Set PIN tests: keys in hex, a card per status, envelopes
 * sealed by the library or by node:crypto, and the PIN store and audit trail around one attempt.
 */
import { createCipheriv, createHmac } from "node:crypto"
import { inspect } from "node:util"
import { Cause, Effect, Exit, Logger, Option, Redacted, References, Result, Schema } from "effect"
import type {
  MemoryFixture,
  MemoryOptions,
  MemoryPorts,
  MemoryState
} from "../../src/adapters/memory/index.js"
import { encryptPinBlockWithIv } from "../../src/crypto/PinBlockEnvelope.js"
import {
  type AuditEvent,
  AuditLog,
  encryptPinBlock,
  KitNo,
  PinStore,
  type SetPinError,
  type SetPinResult,
  setPin,
  TenantId
} from "../../src/index.js"
import { referenceFormat0 } from "../crypto/support.js"
import { cardFixture, customerWith, NOW, panFor, TENANT_A, TENANT_B, testLayer } from "./builders.js"

export const SET_PIN_KEY_HEX = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
export const PIN_STORE_KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
export const OTHER_KEY_HEX = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
/** Tenant B's own keys: a key serves one tenant and one purpose. */
/** The keys that store each tenant's cards (their PANs encrypted and hashed), fixed across runs. */
export const PAN_STORE_KEY_HEX = "a2".repeat(32)
export const CARD_NUMBER_KEY_HEX = "a3".repeat(32)
export const B_SET_PIN_KEY_HEX = "b0".repeat(32)
export const B_PIN_STORE_KEY_HEX = "b1".repeat(32)
export const key = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, "hex"))

/** The card every example sets a PIN on, and its expiry in seed 001's MMYY. */
export const KIT = "4240181652"
export const PAN = panFor(7)
export const MASKED = "608040XXXXXX0077"
export const EXPIRY = "0729"
/** A card of the other tenant. */
export const FOREIGN_KIT = "4240189999"
export const FOREIGN_PAN = panFor(8)
export const PIN = "4821"
/** A card number sent where the kitNo goes: it decodes as a kitNo (letters and digits). */
export const PAN_AS_KIT = "4111111111111111"
export const PAN_AS_KIT_MASKED = "411111XXXXXX1111"
/** The time of every event, from the test clock. */
export const AT = new Date(NOW).toISOString()

type CardFixture = Parameters<typeof cardFixture>[2]
type Keys = NonNullable<MemoryFixture["tenants"][string]["keys"]>
type Policy = NonNullable<MemoryFixture["tenants"][string]["policy"]>

export interface PinFixtureOptions {
  readonly card?: CardFixture
  readonly keys?: Keys
  readonly policy?: Policy
}

/** Tenant A with one card (ACTIVE unless told) and both keys; tenant B with a card and keys of its own. */
export const pinFixture = (options: PinFixtureOptions = {}): MemoryFixture => ({
  tenants: {
    [TENANT_A]: {
      customers: [
        customerWith("req11", "9876543210", 8642135, [
          cardFixture(KIT, 7, { status: "ACTIVE", ...options.card })
        ])
      ],
      keys: {
        panStore: PAN_STORE_KEY_HEX,
        cardNumber: CARD_NUMBER_KEY_HEX,
        ...(options.keys ?? { setPin: SET_PIN_KEY_HEX, pinStore: PIN_STORE_KEY_HEX })
      },
      ...(options.policy === undefined ? {} : { policy: options.policy })
    },
    [TENANT_B]: {
      customers: [
        customerWith("other", "9876500000", 100, [cardFixture(FOREIGN_KIT, 8, { status: "ACTIVE" })])
      ],
      keys: {
        setPin: B_SET_PIN_KEY_HEX,
        pinStore: B_PIN_STORE_KEY_HEX,
        panStore: "b2".repeat(32),
        cardNumber: "b3".repeat(32)
      }
    }
  }
})

/**
 * The envelope a client makes with the library: format 0, AES-GCM, Base64(IV ‖ ciphertext ‖ tag); a
 * fixed IV through the test-only `encryptPinBlockWithIv`.
 */
export const envelope = (pin: string, pan = PAN, keyHex = SET_PIN_KEY_HEX, iv?: Uint8Array): string =>
  Effect.runSync(
    iv === undefined
      ? encryptPinBlock({ pin, pan, key: key(keyHex) })
      : encryptPinBlockWithIv({ pin, pan, key: key(keyHex) }, iv)
  )

/** The envelope as a client with only node:crypto (OpenSSL) would seal it. */
export const nodeEnvelope = (pin: string, pan: string, keyHex: string, iv: Uint8Array): string => {
  const cipher = createCipheriv("aes-256-gcm", key(keyHex), iv)
  const body = Buffer.concat([cipher.update(referenceFormat0(pin, pan)), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")
}

/** What the PIN store must hold: HMAC-SHA-256 of `kitNo:PAN:PIN` under the pinStore key, by node:crypto. */
export const expectedVerifier = (kitNo: string, pin: string, keyHex = PIN_STORE_KEY_HEX, pan = PAN): string =>
  createHmac("sha256", key(keyHex)).update(`${kitNo}:${pan}:${pin}`).digest("hex")

export const request = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  kitNo: KIT,
  pinBlock: envelope(PIN),
  expiryDate: EXPIRY,
  channel: "MOBILE",
  changer: "cust-app",
  ...overrides
})

/** The stored verifier of a card, its MAC revealed (tests only), or undefined. */
export const storedVerifier = (tenant: string, kitNo: string) =>
  Effect.map(
    Effect.flatMap(PinStore, (store) => store.find(TenantId.make(tenant), KitNo.make(kitNo))),
    (found) => Option.getOrUndefined(Option.map(found, (record) => Redacted.value(record.verifier.mac)))
  )

/** The try counter of a card's PIN, or undefined when no PIN is set. */
export const attemptsOf = (tenant: string, kitNo: string) =>
  Effect.map(
    Effect.flatMap(PinStore, (store) => store.find(TenantId.make(tenant), KitNo.make(kitNo))),
    (found) =>
      Option.getOrUndefined(Option.map(found, ({ failedAttempts, blocked }) => ({ failedAttempts, blocked })))
  )

export const auditOf = (tenant: string, subject: string) =>
  Effect.flatMap(AuditLog, (log) => log.findBySubject(TenantId.make(tenant), subject))

/** What a program let out besides its exit: the audit events it wrote, and its log lines. */
export interface Observed<A, E> {
  readonly exit: Exit.Exit<A, E>
  /** Every event appended through `AuditLog`, with its tenant, in order (failed writes left out). */
  readonly appended: ReadonlyArray<{ readonly tenant: string; readonly event: AuditEvent }>
  /** Every log line, Debug included: level, message and cause, as a logger would print them. */
  readonly logs: ReadonlyArray<string>
}

/** Runs `program` with the audit writes and log lines it makes recorded. */
export const observe = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const appended: Array<{ readonly tenant: string; readonly event: AuditEvent }> = []
    const logs: Array<string> = []
    const capture = Logger.make((options) => {
      logs.push(
        `${options.logLevel} ${inspect(options.message, { depth: null })} ${Cause.pretty(options.cause)}`
      )
    })
    const exit = yield* program.pipe(
      Effect.updateService(AuditLog, (log) =>
        AuditLog.of({
          ...log,
          append: (tenant, events) =>
            Effect.tap(log.append(tenant, events), () =>
              Effect.sync(() => appended.push(...events.map((event) => ({ tenant, event }))))
            )
        })
      ),
      Effect.provide(Logger.layer([capture])),
      Effect.provideService(References.MinimumLogLevel, "All"),
      Effect.exit
    )
    return { exit, appended, logs } satisfies Observed<A, E>
  })

export interface Attempt {
  readonly result: Result.Result<SetPinResult, SetPinError>
  /** The card's verifier before and after the attempt (revealed), for tenant and kitNo of the attempt. */
  readonly before: string | undefined
  readonly after: string | undefined
  /** The audit events the attempt wrote, whatever their subject; it may write to no other tenant. */
  readonly events: ReadonlyArray<AuditEvent>
  /** The attempt's log lines. */
  readonly logs: ReadonlyArray<string>
}

export interface AttemptOptions {
  readonly tenant?: string
  /** A PIN set on the card by an earlier, good request; none when undefined. */
  readonly earlierPin?: string
  readonly memory?: MemoryOptions
}

/** One setPin call on a fresh store, with what it changed around it. */
export const attempt = (fixture: MemoryFixture, body: unknown, options: AttemptOptions = {}) => {
  const tenant = options.tenant ?? TENANT_A
  const named = typeof body === "object" && body !== null && "kitNo" in body ? body.kitNo : undefined
  const kitNo = Schema.is(KitNo)(named) ? named : KIT
  return runOn(
    fixture,
    Effect.gen(function* () {
      if (options.earlierPin !== undefined)
        yield* setPin(TENANT_A, request({ pinBlock: envelope(options.earlierPin) }))
      const before = yield* storedVerifier(tenant, kitNo)
      const { exit, appended, logs } = yield* observe(setPin(tenant, body))
      const after = yield* storedVerifier(tenant, kitNo)
      if (appended.some((written) => written.tenant !== tenant))
        throw new Error("the attempt wrote an audit event to another tenant")
      if (Exit.isFailure(exit) && Cause.hasDies(exit.cause))
        throw new Error(`the attempt died: ${Cause.pretty(exit.cause)}`)
      const result: Result.Result<SetPinResult, SetPinError> = Exit.isSuccess(exit)
        ? Result.succeed(exit.value)
        : Result.fail(Option.getOrThrow(Cause.findErrorOption(exit.cause)))
      return {
        result,
        before,
        after,
        events: appended.map((written) => written.event),
        logs
      } satisfies Attempt
    }),
    options.memory
  )
}

export const runOn = <A, E>(
  fixture: MemoryFixture,
  program: Effect.Effect<A, E, MemoryPorts | MemoryState>,
  memory?: MemoryOptions
): Promise<A> => Effect.runPromise(Effect.provide(program, testLayer(fixture, memory)))

export { TENANT_A, TENANT_B }
