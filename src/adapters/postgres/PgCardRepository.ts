/**
 * `CardRepository` on PostgreSQL: a card is one row of `cards`, its PAN as stored by the security
 * module (ciphertext, key id, masked form, keyed hash). Every statement names the tenant; the
 * `…ForUpdate` reads lock their rows (`FOR UPDATE`); a write is one statement whatever the number of
 * cards.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import type { Card, CardType } from "../../domain/card/Card.js"
import type { CardStatus, LockableStatus } from "../../domain/card/CardStatus.js"
import type { AccountNo, EntityId, KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import type { MaskedPan } from "../../domain/ground/Pan.js"
import type { KeyId } from "../../domain/ground/ProtectedPan.js"
import { DuplicateKey } from "../../domain/ground/StoreError.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { statement } from "./Store.js"

interface CardRow {
  readonly kit_no: string
  readonly entity_id: string
  readonly account_no: string | number
  readonly product_id: string
  readonly tier_type: string
  readonly card_type: string
  readonly pan_key_id: string
  readonly pan_ciphertext: string
  readonly pan_masked: string
  readonly pan_hash: string
  readonly exp_date: string
  readonly status: string
  readonly locked_from: string | null
}

const COLUMNS = `kit_no, entity_id, account_no, product_id, tier_type, card_type, pan_key_id, pan_ciphertext,
  pan_masked, pan_hash, exp_date, status, locked_from`

/** A row as the domain's card: the values were the domain's when written. */
const cardOf = (row: CardRow): Card => ({
  kitNo: row.kit_no as KitNo,
  entityId: row.entity_id as EntityId,
  accountNo: Number(row.account_no) as AccountNo,
  productId: row.product_id,
  tierType: row.tier_type,
  cardType: row.card_type as CardType,
  pan: {
    encrypted: { keyId: row.pan_key_id as KeyId, ciphertext: row.pan_ciphertext },
    masked: row.pan_masked as MaskedPan,
    hash: row.pan_hash
  },
  expDate: row.exp_date,
  status: row.status as CardStatus,
  ...(row.locked_from === null ? {} : { lockedFrom: row.locked_from as LockableStatus })
})

/**
 * A card as the JSON object of its row, for `jsonb_populate_recordset`: no lock origin is an absent
 * key, which it reads as NULL. One parameter whatever the number of cards, and a row estimate that
 * does not depend on it, so that the server keeps one plan for the statement instead of planning
 * each execution anew.
 */
const rowOf = (card: Card): Omit<CardRow, "locked_from"> & { readonly locked_from?: string } => ({
  kit_no: card.kitNo,
  entity_id: card.entityId,
  account_no: card.accountNo,
  product_id: card.productId,
  tier_type: card.tierType,
  card_type: card.cardType,
  pan_key_id: card.pan.encrypted.keyId,
  pan_ciphertext: card.pan.encrypted.ciphertext,
  pan_masked: card.pan.masked,
  pan_hash: card.pan.hash,
  exp_date: card.expDate,
  status: card.status,
  ...(card.lockedFrom === undefined ? {} : { locked_from: card.lockedFrom })
})
const rowsOf = (cards: ReadonlyArray<Card>) => JSON.stringify(cards.map(rowOf))

/**
 * @category layers
 */
export const PgCardRepository = Layer.effect(
  CardRepository,
  Effect.map(SqlClient.SqlClient, (sql) => {
    const one = (operation: string, tenant: TenantId, kitNo: KitNo, lock: boolean) =>
      sql<CardRow>`SELECT ${sql.literal(COLUMNS)} FROM cards WHERE tenant = ${tenant} AND kit_no = ${kitNo}
        ${sql.literal(lock ? "FOR UPDATE" : "")}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), cardOf)),
        statement(operation)
      )
    const byCustomer = (operation: string, tenant: TenantId, entityId: EntityId, lock: boolean) =>
      sql<CardRow>`SELECT ${sql.literal(COLUMNS)} FROM cards WHERE tenant = ${tenant} AND entity_id = ${entityId}
        ORDER BY kit_no ${sql.literal(lock ? "FOR UPDATE" : "")}`.pipe(
        Effect.map((rows) => rows.map(cardOf)),
        statement(operation)
      )
    return CardRepository.of({
      findByKitNo: (tenant, kitNo) => one("CardRepository.findByKitNo", tenant, kitNo, false),
      findByKitNoForUpdate: (tenant, kitNo) =>
        one("CardRepository.findByKitNoForUpdate", tenant, kitNo, true),
      findByCustomer: (tenant, entityId) =>
        byCustomer("CardRepository.findByCustomer", tenant, entityId, false),
      findByCustomerForUpdate: (tenant, entityId) =>
        byCustomer("CardRepository.findByCustomerForUpdate", tenant, entityId, true),
      findByAccount: (tenant, accountNo) =>
        sql<CardRow>`SELECT ${sql.literal(COLUMNS)} FROM cards WHERE tenant = ${tenant} AND account_no = ${accountNo}
          ORDER BY kit_no`.pipe(
          Effect.map((rows) => rows.map(cardOf)),
          statement("CardRepository.findByAccount")
        ),
      insertAll: (tenant, cards) => {
        const operation = "CardRepository.insertAll"
        if (cards.length === 0) return Effect.void
        const kitNos = cards.map((card) => card.kitNo)
        // a row whose kitNo or PAN is taken (committed, or by a concurrent transaction once it commits)
        // is skipped, not an error: the caller's transaction goes on without a savepoint
        const insert = sql<{ readonly kit_no: string }>`INSERT INTO cards (tenant, ${sql.literal(COLUMNS)})
          SELECT ${tenant}, ${sql.literal(COLUMNS)} FROM jsonb_populate_recordset(NULL::cards, ${rowsOf(cards)}::jsonb)
          ON CONFLICT DO NOTHING
          RETURNING kit_no`
        /**
         * Some rows were skipped: the ones this statement stored are deleted again (no other transaction
         * has seen them), and the write fails with the key that was taken, the kitNo's first.
         */
        const refuse = (stored: ReadonlyArray<string>) =>
          Effect.gen(function* () {
            yield* sql`DELETE FROM cards WHERE tenant = ${tenant} AND kit_no = ANY(${stored}::text[])`.pipe(
              statement(operation)
            )
            const storedSet = new Set(stored)
            const skipped = kitNos.filter((kitNo) => !storedSet.has(kitNo))
            const [taken] = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM cards
              WHERE tenant = ${tenant} AND kit_no = ANY(${skipped}::text[])`.pipe(statement(operation))
            // a kitNo twice in the batch is a taken kitNo too
            const kitNoTaken = (taken?.n ?? 0) > 0 || new Set(kitNos).size < kitNos.length
            return yield* new DuplicateKey({ operation, key: kitNoTaken ? "kitNo" : "pan" })
          })
        return insert.pipe(
          statement(operation),
          Effect.flatMap((rows) =>
            rows.length === cards.length ? Effect.void : refuse(rows.map((row) => row.kit_no))
          )
        )
      },
      updateAll: (tenant, cards) => {
        const operation = "CardRepository.updateAll"
        if (cards.length === 0) return Effect.void
        // a card's PAN never changes: the protected PAN's columns are not written. One card (every
        // single-card use case) by its key, so that the server plans the statement once for all
        // executions; more than one joined with their rows (a plan for a set whatever its size)
        const [card] = cards
        const update =
          cards.length === 1 && card !== undefined
            ? sql`UPDATE cards AS card SET entity_id = ${card.entityId}, account_no = ${card.accountNo},
                product_id = ${card.productId}, tier_type = ${card.tierType}, card_type = ${card.cardType},
                exp_date = ${card.expDate}, status = ${card.status}, locked_from = ${card.lockedFrom ?? null}::text
              WHERE card.tenant = ${tenant} AND card.kit_no = ${card.kitNo}
              RETURNING card.kit_no`
            : sql`UPDATE cards AS card SET entity_id = v.entity_id, account_no = v.account_no,
                product_id = v.product_id, tier_type = v.tier_type, card_type = v.card_type,
                exp_date = v.exp_date, status = v.status, locked_from = v.locked_from
              FROM jsonb_populate_recordset(NULL::cards, ${rowsOf(cards)}::jsonb) AS v
              WHERE card.tenant = ${tenant} AND card.kit_no = v.kit_no
              RETURNING card.kit_no`
        return update.pipe(
          statement(operation),
          Effect.flatMap((rows) =>
            rows.length === new Set(cards.map((card) => card.kitNo)).size
              ? Effect.void
              : Effect.die(new Error(`${operation}: a card that is not stored; insert it with insertAll`))
          )
        )
      }
    })
  })
)
