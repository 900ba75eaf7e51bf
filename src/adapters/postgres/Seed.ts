/**
 * Stores what a memory fixture describes in the PostgreSQL tables, through the ports: how the port
 * contract of card-lifecycle/testing seeds this adapter. The fixture is decoded and its PANs
 * protected exactly as the memory adapter does it. Account ranges, which the port only reads, are
 * written by `saveAccountRanges`.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { PinStore } from "../../ports/PinStore.js"
import { TokenRepository } from "../../ports/TokenRepository.js"
import { type MemoryFixture, tablesFromFixture } from "../memory/MemoryFixture.js"
import * as Table from "../memory/Table.js"
import { saveAccountRanges } from "./PgAccountRanges.js"
import { createStripes } from "./PgCardIssuer.js"

/**
 * @category constructors
 */
export const seedFromFixture = (fixture: MemoryFixture) =>
  Effect.gen(function* () {
    const t = yield* tablesFromFixture(fixture)
    const sql = yield* SqlClient.SqlClient
    const cards = yield* CardRepository
    const customers = yield* CustomerRepository
    const pins = yield* PinStore
    const orders = yield* CardOrderRepository
    const tokens = yield* TokenRepository
    const tenants = new Set([
      ...Table.tenants(t.customers),
      ...Table.tenants(t.accounts),
      ...Table.tenants(t.cards),
      ...Table.tenants(t.policies),
      ...Table.tenants(t.pinVerifiers),
      ...Table.tenants(t.products),
      ...Table.tenants(t.tierLadders),
      ...Table.tenants(t.orders),
      ...Table.tenants(t.issuerSerial),
      ...Table.tenants(t.tokens),
      ...Table.tenants(t.accountRanges)
    ])
    for (const name of tenants) {
      const tenant = name as TenantId
      yield* customers.saveAll(tenant, Table.valuesOf(t.customers, tenant))
      yield* customers.saveAccounts(tenant, Table.valuesOf(t.accounts, tenant))
      yield* cards.insertAll(tenant, Table.valuesOf(t.cards, tenant))
      for (const [kitNo, record] of t.pinVerifiers.data.committed.get(tenant) ?? new Map())
        yield* pins.save(tenant, kitNo as never, record)
      yield* tokens.saveAll(tenant, Table.valuesOf(t.tokens, tenant))
      yield* saveAccountRanges(tenant, Table.getOrUndefined(t.accountRanges, tenant, "") ?? [])
      const policy = Table.getOrUndefined(t.policies, tenant, "")
      if (policy !== undefined)
        yield* sql`INSERT INTO policies
          (tenant, migration_in_transition, allow_trivial_pins, pin_try_limit, idempotency_retention_hours)
          VALUES (${tenant}, ${policy.migrationInTransition}, ${policy.allowTrivialPins}, ${policy.pinTryLimit},
            ${policy.idempotencyRetentionHours})`
      // the catalog has no port that writes it: a host stores it, as the seed does here
      const products = Table.getOrUndefined(t.products, tenant, "") ?? []
      if (products.length > 0)
        yield* sql`INSERT INTO products (tenant, product_id, product_name, tier_type, card_type, plastic_code, bin,
            network_type, card_category, validity_years)
          SELECT ${tenant}, * FROM unnest(${products.map((p) => p.productId)}::text[],
            ${products.map((p) => p.productName)}::text[], ${products.map((p) => p.tierType)}::text[],
            ${products.map((p) => p.cardType)}::text[], ${products.map((p) => p.plasticCode)}::text[],
            ${products.map((p) => p.bin)}::text[], ${products.map((p) => p.networkType)}::text[],
            ${products.map((p) => p.cardCategory)}::text[], ${products.map((p) => p.validityYears)}::integer[])`
      const ladder = Table.getOrUndefined(t.tierLadders, tenant, "") ?? []
      if (ladder.length > 0)
        yield* sql`INSERT INTO tier_ladders (tenant, rank, tier_type)
          SELECT ${tenant}, n - 1, tier_type FROM unnest(${ladder}::text[]) WITH ORDINALITY AS v(tier_type, n)`
      yield* orders.insertAll(tenant, Table.valuesOf(t.orders, tenant))
      const nextKitNo = Table.getOrUndefined(t.issuerSerial, tenant, "")
      if (nextKitNo !== undefined) yield* createStripes(sql, tenant, nextKitNo)
    }
  })
