/**
 * Tokens on PostgreSQL: the TokenRepository and AccountRanges ports, and the wallet's events, on a database of
 * their own per test, and seed 004's token update through them. The security module comes from the
 * memory adapter over the same fixture; every other port the update uses is a PostgreSQL one. A
 * by-cardholder update runs as many statements for 20 tokens as for one.
 */
import { Effect, Layer, Option, Redacted } from "effect"
import { SqlClient, Statement } from "effect/sql"
import { expect, it } from "vitest"
import { layer as memoryLayer } from "../../../src/adapters/memory/index.js"
import type { MemoryFixture } from "../../../src/adapters/memory/MemoryFixture.js"
import { migrate, ports, seedFromFixture } from "../../../src/adapters/postgres/index.js"
import { TenantId } from "../../../src/domain/ground/Identifiers.js"
import { AccountPanDigits, makeAccountPan } from "../../../src/domain/token/AccountPan.js"
import { CardholderId, type Token, TokenUniqueReference } from "../../../src/domain/token/Token.js"
import { protectAccountPan, revealAccountPan } from "../../../src/domain/token/TokenPan.js"
import { updateToken } from "../../../src/domain/token/updateToken.js"
import { AccountRanges } from "../../../src/ports/AccountRanges.js"
import { AuditLog } from "../../../src/ports/AuditLog.js"
import { TokenRepository } from "../../../src/ports/TokenRepository.js"
import { withStorageKeys } from "../../../src/testing/contract/support.js"
import { TENANT_A, TENANT_B } from "../../support/builders.js"
import { describePostgres, freshDatabaseLayer } from "../../support/postgres/database.js"
import {
  CARDHOLDER,
  FOREIGN_RANGE,
  NEW_PAN,
  PAN,
  RANGE,
  requestFor,
  tokenFixture,
  tokenFixtureOf,
  turFor,
  without
} from "../../support/tokens.js"

const A = TenantId.make(TENANT_A)
const B = TenantId.make(TENANT_B)

/** The PostgreSQL ports on a fresh, migrated database seeded with `fixture`; the rest from memory. */
const makeLayer = (fixture: MemoryFixture) => {
  // the security module: the memory adapter's, over the fixture's keys
  const memory = memoryLayer(fixture)
  const postgres = ports.pipe(
    Layer.provideMerge(freshDatabaseLayer({ maxConnections: 4 })),
    Layer.provideMerge(memory)
  )
  const seeded = Layer.effectDiscard(Effect.andThen(migrate, seedFromFixture(fixture))).pipe(
    Layer.provide(postgres)
  )
  return Layer.mergeAll(postgres, seeded)
}

type Services = Layer.Success<ReturnType<typeof makeLayer>>

const run = <A, E>(fixture: MemoryFixture, program: Effect.Effect<A, E, Services>): Promise<A> =>
  Effect.runPromise(Effect.provide(program, makeLayer(withStorageKeys(fixture))))

/** Two tenants with storage keys and account ranges, and no token: the tests store their own. */
const emptyTenants = tokenFixtureOf({ [TENANT_A]: [], [TENANT_B]: [] })

const ref = (serial: number) => TokenUniqueReference.make(turFor(serial))

/** A token with every optional field, on `pan`, protected by the layer's security module. */
const fullToken = (tenant: TenantId, reference: TokenUniqueReference, pan = PAN) =>
  Effect.map(
    protectAccountPan(tenant, reference, makeAccountPan(AccountPanDigits.make(pan))),
    (accountPan): Token => ({
      tokenUniqueReference: reference,
      accountPan,
      panUniqueReference: "FPANRL00000000010906ca58f5eb4e1a2f6b0d",
      cardholderId: CardholderId.make(CARDHOLDER),
      tokenSuffix: "4321",
      expirationDate: "0928",
      accountPanExpirationDate: "0827",
      accountPanSequenceNumber: "1",
      productConfigurationId: "ANYSILV01",
      status: "SUSPENDED",
      statusDateTime: "2025-12-01T08:00:00.000Z",
      suspendedBy: ["ISSUER", "CARDHOLDER"],
      wallet: {
        walletId: "103",
        tokenRequestorId: "50110030273",
        tokenRequestorName: "APPLE PAY",
        tokenRequestorConsumerFacingEntityName: "Apple Pay",
        paymentAppInstanceId: "PAI0000000001"
      },
      devices: [
        { deviceId: "D0001", deviceName: "Ada's phone", deviceType: "PHONE", secureElementId: "SE0001" },
        { deviceId: "D0002", deviceName: "Ada's watch", deviceType: "WATCH" }
      ],
      comments: [
        {
          commentId: "1",
          text: 'Moved to the gold artwork — "quoted", ünïcödé',
          at: "2026-07-15T10:30:00.000Z",
          auditInfo: { userId: "agent-7", userName: "Ada Agent", organization: "ACME Support", phone: "+1" }
        },
        {
          commentId: "2",
          text: "second",
          at: "2026-07-16T10:30:00.000Z",
          auditInfo: { userId: "agent-8", userName: "Bo", organization: "ACME" }
        }
      ],
      lastCommentId: "2",
      provisioning: {
        correlationId: "COR0001",
        digitizationRequestDateTime: "2025-12-01T08:00:00.000Z",
        tokenType: "CLOUD"
      }
    })
  )

/** A token with no optional field and empty nested parts. */
const bareToken = (tenant: TenantId, reference: TokenUniqueReference, pan = PAN) =>
  Effect.map(
    protectAccountPan(tenant, reference, makeAccountPan(AccountPanDigits.make(pan))),
    (accountPan): Token => ({
      tokenUniqueReference: reference,
      accountPan,
      tokenSuffix: "0001",
      expirationDate: "0130",
      status: "ACTIVE",
      statusDateTime: "2026-01-01T00:00:00.000Z",
      suspendedBy: [],
      wallet: { walletId: "216", tokenRequestorId: "40010030273", tokenRequestorName: "GOOGLE PAY" },
      devices: [],
      comments: [],
      provisioning: {}
    })
  )

describePostgres("card-lifecycle/postgres: tokens", () => {
  it("reads back every token as written, optional fields absent rather than undefined", async () => {
    const seen = await run(
      emptyTenants,
      Effect.gen(function* () {
        const repo = yield* TokenRepository
        const full = yield* fullToken(A, ref(1))
        const bare = yield* bareToken(A, ref(2))
        yield* repo.saveAll(A, [full, bare])
        return {
          written: [full, bare],
          read: [
            Option.getOrUndefined(yield* repo.findByReference(A, ref(1))),
            Option.getOrUndefined(yield* repo.findByReference(A, ref(2)))
          ],
          locked: [
            Option.getOrUndefined(yield* repo.findByReferenceForUpdate(A, ref(1))),
            Option.getOrUndefined(yield* repo.findByReferenceForUpdate(A, ref(2)))
          ],
          missing: yield* repo.findByReference(A, ref(3))
        }
      })
    )
    // toStrictEqual: a key holding undefined differs from an absent one
    expect(seen.read).toStrictEqual(seen.written)
    expect(seen.locked).toStrictEqual(seen.written)
    expect(Object.keys(seen.read[1]!).sort()).toEqual(Object.keys(seen.written[1]!).sort())
    expect(seen.missing).toStrictEqual(Option.none())
  })

  it("finds a PAN's and a cardholder's tokens in tokenUniqueReference order (as JavaScript compares)", async () => {
    // upper case sorts before lower case as JavaScript strings compare, unlike most locales
    const refs = ["b", "A", "a", "B", "0"].map((c) => TokenUniqueReference.make(c.repeat(48)))
    const seen = await run(
      emptyTenants,
      Effect.gen(function* () {
        const repo = yield* TokenRepository
        const onPan = yield* Effect.forEach(refs, (r) => fullToken(A, r))
        const other = yield* Effect.map(bareToken(A, ref(9), "5412340000000001"), (t) => ({
          ...t,
          cardholderId: CardholderId.make("OTHER")
        }))
        yield* repo.saveAll(A, [...onPan, other])
        const hash = onPan[0]!.accountPan.hash
        const refsOf = (tokens: ReadonlyArray<Token>) => tokens.map((t) => t.tokenUniqueReference)
        return {
          byPan: yield* repo.findByPanHash(A, hash),
          byPanLocked: refsOf(yield* repo.findByPanHashForUpdate(A, hash)),
          byCardholder: refsOf(yield* repo.findByCardholder(A, CardholderId.make(CARDHOLDER))),
          byCardholderLocked: refsOf(yield* repo.findByCardholderForUpdate(A, CardholderId.make(CARDHOLDER))),
          other: refsOf(yield* repo.findByCardholder(A, CardholderId.make("OTHER"))),
          otherPan: refsOf(yield* repo.findByPanHash(A, other.accountPan.hash)),
          nobody: yield* repo.findByCardholder(A, CardholderId.make("NOBODY")),
          noPan: yield* repo.findByPanHash(A, "no-such-hash"),
          expected: [...onPan].sort((x, y) => (x.tokenUniqueReference < y.tokenUniqueReference ? -1 : 1))
        }
      })
    )
    const sorted = [...refs].sort()
    expect(sorted).toEqual(["0".repeat(48), "A".repeat(48), "B".repeat(48), "a".repeat(48), "b".repeat(48)])
    expect(seen.byPan).toStrictEqual(seen.expected)
    expect(seen.byPanLocked).toEqual(sorted)
    expect(seen.byCardholder).toEqual(sorted)
    expect(seen.byCardholderLocked).toEqual(sorted)
    expect(seen.other).toEqual([turFor(9)])
    expect(seen.otherPan).toEqual([turFor(9)])
    expect(seen.nobody).toEqual([])
    expect(seen.noPan).toEqual([])
  })

  it("keeps tenants apart: the same tokens under two tenants never meet", async () => {
    const seen = await run(
      emptyTenants,
      Effect.gen(function* () {
        const repo = yield* TokenRepository
        // the very same rows (same reference, same PAN hash, same cardholder) under both tenants
        const tokens = yield* Effect.forEach([1, 2, 3], (n) => fullToken(A, ref(n)))
        yield* repo.saveAll(A, tokens)
        yield* repo.saveAll(B, tokens)
        yield* repo.saveAll(B, [{ ...tokens[0]!, status: "DELETED", comments: [] }])
        yield* repo.saveAll(
          B,
          [tokens[2]!].map((t) => ({ ...t, cardholderId: CardholderId.make("OTHER") }))
        )
        const hash = tokens[0]!.accountPan.hash
        const cardholder = CardholderId.make(CARDHOLDER)
        return {
          tokens,
          a: Option.getOrUndefined(yield* repo.findByReference(A, ref(1))),
          b: Option.getOrUndefined(yield* repo.findByReference(B, ref(1))),
          aByPan: yield* repo.findByPanHash(A, hash),
          bByPan: (yield* repo.findByPanHash(B, hash)).map((t) => t.status),
          aByCardholder: (yield* repo.findByCardholder(A, cardholder)).length,
          bByCardholder: (yield* repo.findByCardholderForUpdate(B, cardholder)).length,
          elsewhere: yield* repo.findByReference(TenantId.make("INITECH"), ref(1)),
          elsewhereByPan: yield* repo.findByPanHash(TenantId.make("INITECH"), hash)
        }
      })
    )
    expect(seen.a).toStrictEqual(seen.tokens[0])
    expect(seen.b?.status).toBe("DELETED")
    expect(seen.aByPan).toStrictEqual(seen.tokens)
    expect(seen.bByPan).toEqual(["DELETED", "SUSPENDED", "SUSPENDED"])
    expect([seen.aByCardholder, seen.bByCardholder]).toEqual([3, 2])
    expect(seen.elsewhere).toStrictEqual(Option.none())
    expect(seen.elsewhereByPan).toEqual([])
  })

  it("replaces a token by reference: new PAN, cardholder and fields, a dropped optional field gone", async () => {
    const seen = await run(
      emptyTenants,
      Effect.gen(function* () {
        const repo = yield* TokenRepository
        const old = yield* fullToken(A, ref(1))
        const kept = yield* fullToken(A, ref(2))
        yield* repo.saveAll(A, [old, kept])
        const moved = yield* bareToken(A, ref(1), NEW_PAN)
        const withComment: Token = { ...moved, cardholderId: CardholderId.make("OTHER"), lastCommentId: "7" }
        // a reference given twice in one write: the last token given wins
        yield* repo.saveAll(A, [moved, withComment])
        const read = Option.getOrUndefined(yield* repo.findByReference(A, ref(1)))
        return {
          withComment,
          kept,
          read,
          oldPan: (yield* repo.findByPanHash(A, old.accountPan.hash)).map((t) => t.tokenUniqueReference),
          newPan: (yield* repo.findByPanHash(A, moved.accountPan.hash)).map((t) => t.tokenUniqueReference),
          oldCardholder: (yield* repo.findByCardholder(A, CardholderId.make(CARDHOLDER))).map(
            (t) => t.tokenUniqueReference
          ),
          keptRead: Option.getOrUndefined(yield* repo.findByReference(A, ref(2))),
          // the stored ciphertext opens, bound to its token, to the new PAN
          pan: read === undefined ? undefined : Redacted.value(yield* revealAccountPan(A, read))
        }
      })
    )
    expect(seen.read).toStrictEqual(seen.withComment)
    expect(seen.read).not.toHaveProperty("panUniqueReference")
    expect(seen.pan).toBe(NEW_PAN)
    expect(seen.oldPan).toEqual([turFor(2)])
    expect(seen.newPan).toEqual([turFor(1)])
    expect(seen.oldCardholder).toEqual([turFor(2)])
    expect(seen.keptRead).toStrictEqual(seen.kept)
  })

  it("stores no clear account PAN in any column", async () => {
    const cells = await run(
      tokenFixtureOf({ [TENANT_A]: [tokenFixture(turFor(1))] }),
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* updateToken(TENANT_A, {
          ...requestFor({ tokenUniqueReference: turFor(1) }),
          updateWalletProviderIndicator: "0"
        })
        return yield* sql<{ readonly row: string }>`SELECT t::text AS row FROM tokens AS t
          UNION ALL SELECT o::text FROM outbox AS o
          UNION ALL SELECT e::text FROM audit_events AS e`
      })
    )
    // the token, its UPDATE_TOKEN and NOTIFY_WALLET events, and their two outbox rows
    expect(cells.length).toBe(5)
    for (const { row } of cells) {
      expect(row).not.toContain(PAN)
      expect(row).not.toContain(NEW_PAN)
    }
  })

  it("finds the account range that holds a PAN, within the tenant", async () => {
    const fixture = tokenFixtureOf({ [TENANT_A]: [] }, [
      RANGE,
      FOREIGN_RANGE,
      { low: "4000000", high: "4000999" }
    ])
    const seen = await run(
      { tenants: { ...fixture.tenants, [TENANT_B]: { accountRanges: [{ low: "35", high: "36" }] } } },
      Effect.gen(function* () {
        const ranges = yield* AccountRanges
        const find = (tenant: TenantId, pan: string) =>
          Effect.map(
            ranges.findRange(tenant, makeAccountPan(AccountPanDigits.make(pan))),
            Option.getOrUndefined
          )
        return [
          yield* find(A, PAN),
          yield* find(A, "5499990000001234"),
          yield* find(A, "4000123456789012"),
          yield* find(A, "400012345"),
          yield* find(A, "5412350000000000"),
          yield* find(A, "3500000000000000"),
          yield* find(B, "3500000000000000"),
          yield* find(B, "361234567"),
          yield* find(B, PAN)
        ]
      })
    )
    expect(seen).toEqual([
      RANGE,
      FOREIGN_RANGE,
      { low: "4000000", high: "4000999" },
      { low: "4000000", high: "4000999" },
      undefined,
      undefined,
      { low: "35", high: "36" },
      { low: "35", high: "36" },
      undefined
    ])
  })

  /** The tokens the wallet provider is to be told of: the tenant's NOTIFY_WALLET events, oldest first. */
  const notifiedOf = (tenant: string) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      sql<{ readonly subject: string }>`SELECT subject FROM audit_events
        WHERE tenant = ${tenant} AND event->>'action' = 'NOTIFY_WALLET' ORDER BY seq`.pipe(
        Effect.map((rows) => rows.map((row) => row.subject))
      )
    )

  /** A statement as its verb, its table and whether it locks: `SELECT tokens FOR UPDATE`. */
  const summary = (text: string): string => {
    const sql = text.replace(/\s+/g, " ").trim()
    const verb = sql.split(" ")[0]
    const table = /\b(?:FROM|INTO|UPDATE) (\w+)/.exec(sql)?.[1]
    return `${verb} ${table}${/ FOR UPDATE$/.test(sql) ? " FOR UPDATE" : ""}`
  }

  /** Runs a by-cardholder update of `count` tokens, counting the SQL statements it sends. */
  const updateByCardholder = (count: number) => {
    const tokens = Array.from({ length: count }, (_, i) => tokenFixture(turFor(i + 1)))
    // a token of another cardholder and one of the same cardholder under another tenant stay as they are
    const fixture = tokenFixtureOf({
      [TENANT_A]: [...tokens, tokenFixture(turFor(900), { cardholderId: "OTHER" })],
      [TENANT_B]: [tokenFixture(turFor(1))]
    })
    const statements: Array<string> = []
    const parameters: Array<string> = []
    const request = {
      ...without(requestFor({ cardholderId: CARDHOLDER }), "tokenUniqueReference"),
      updateWalletProviderIndicator: "0"
    }
    return run(
      fixture,
      Effect.gen(function* () {
        const result = yield* updateToken(TENANT_A, request).pipe(
          Effect.provideService(Statement.CurrentTransformer, (self) =>
            Effect.sync(() => {
              const [text, params] = self.compile()
              statements.push(summary(text))
              parameters.push(JSON.stringify(params))
              return self
            })
          )
        )
        const repo = yield* TokenRepository
        const moved = yield* repo.findByCardholder(A, CardholderId.make(CARDHOLDER))
        const other = yield* repo.findByCardholder(A, CardholderId.make("OTHER"))
        const elsewhere = yield* repo.findByCardholder(B, CardholderId.make(CARDHOLDER))
        return {
          result,
          statements,
          parameters,
          pans: yield* Effect.forEach(moved, (t) =>
            Effect.map(revealAccountPan(A, t), (pan) => Redacted.value(pan) as string)
          ),
          otherPans: yield* Effect.forEach(other, (t) =>
            Effect.map(revealAccountPan(A, t), (pan) => Redacted.value(pan) as string)
          ),
          elsewherePans: yield* Effect.forEach(elsewhere, (t) =>
            Effect.map(revealAccountPan(B, t), (pan) => Redacted.value(pan) as string)
          ),
          events: (yield* Effect.flatMap(AuditLog, (log) => log.findBySubject(A, turFor(count)))).length,
          notifications: yield* notifiedOf(A)
        }
      })
    )
  }

  it("runs updateToken by cardholder on PostgreSQL in as many statements for 20 tokens as for 1", async () => {
    const one = await updateByCardholder(1)
    const twenty = await updateByCardholder(20)
    for (const [count, seen] of [
      [1, one],
      [20, twenty]
    ] as const) {
      const refs = Array.from({ length: count }, (_, i) => turFor(i + 1))
      expect("tokens" in seen.result && seen.result.tokens.map((t) => t.tokenUniqueReference)).toEqual(refs)
      expect(seen.pans).toEqual(refs.map(() => NEW_PAN))
      expect(seen.otherPans).toEqual([PAN])
      expect(seen.elsewherePans).toEqual([PAN])
      expect(seen.events).toBeGreaterThan(0)
      expect(seen.notifications).toEqual(refs)
    }
    expect(one.statements.length).toBe(twenty.statements.length)
    expect(one.statements).toEqual(twenty.statements)
    // the tokens locked, the range, the tokens already on the new PAN locked, one write each for the
    // tokens, the audit events and the outbox
    expect(one.statements).toEqual([
      "SELECT tokens FOR UPDATE",
      "SELECT account_ranges",
      "SELECT tokens FOR UPDATE",
      "INSERT tokens",
      // the audit log's append, which also fills the outbox (docs/events.md)
      "WITH audit_events"
    ])
    // nor does any statement carry a clear account PAN: the range lookup sends the first 6 digits only
    for (const params of [...one.parameters, ...twenty.parameters]) {
      expect(params).not.toContain(PAN)
      expect(params).not.toContain(NEW_PAN)
    }
  })
})
