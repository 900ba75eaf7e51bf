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
import { DuplicateKey, type StoreError } from "../../domain/ground/StoreError.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { statement, storeError } from "./Store.js"

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

/** The columns of a card, each as one array over the cards: one parameter per column. */
const columnsOf = (cards: ReadonlyArray<Card>) => ({
  kitNo: cards.map((c) => c.kitNo),
  entityId: cards.map((c) => c.entityId),
  accountNo: cards.map((c) => c.accountNo),
  productId: cards.map((c) => c.productId),
  tierType: cards.map((c) => c.tierType),
  cardType: cards.map((c) => c.cardType),
  panKeyId: cards.map((c) => c.pan.encrypted.keyId),
  panCiphertext: cards.map((c) => c.pan.encrypted.ciphertext),
  panMasked: cards.map((c) => c.pan.masked),
  panHash: cards.map((c) => c.pan.hash),
  expDate: cards.map((c) => c.expDate),
  status: cards.map((c) => c.status),
  // "" for none: the driver cannot type an array of nulls alone; NULLIF turns it back
  lockedFrom: cards.map((c) => c.lockedFrom ?? "")
})

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
        const c = columnsOf(cards)
        // in a savepoint of its own: a taken key fails this write, and the caller's transaction goes on
        return sql
          .withTransaction(
            sql`INSERT INTO cards (tenant, ${sql.literal(COLUMNS)})
              SELECT ${tenant}, kit_no, entity_id, account_no, product_id, tier_type, card_type, pan_key_id,
                pan_ciphertext, pan_masked, pan_hash, exp_date, status, NULLIF(locked_from, '')
              FROM unnest(${c.kitNo}::text[], ${c.entityId}::text[], ${c.accountNo}::bigint[],
                ${c.productId}::text[], ${c.tierType}::text[], ${c.cardType}::text[], ${c.panKeyId}::text[],
                ${c.panCiphertext}::text[], ${c.panMasked}::text[], ${c.panHash}::text[], ${c.expDate}::text[],
                ${c.status}::text[], ${c.lockedFrom}::text[])
                AS v(kit_no, entity_id, account_no, product_id, tier_type, card_type, pan_key_id, pan_ciphertext,
                  pan_masked, pan_hash, exp_date, status, locked_from)`
          )
          .pipe(
            Effect.asVoid,
            Effect.mapError((error): DuplicateKey | StoreError => {
              const reason = error.cause
              if (reason._tag === "UniqueViolation") {
                const key = reason.constraint === "cards_pan_key" ? "pan" : "kitNo"
                return new DuplicateKey({ operation, key })
              }
              return storeError(operation)(error)
            })
          )
      },
      updateAll: (tenant, cards) => {
        const operation = "CardRepository.updateAll"
        if (cards.length === 0) return Effect.void
        const c = columnsOf(cards)
        // a card's PAN never changes: the protected PAN's columns are not written
        return sql`UPDATE cards AS card SET entity_id = v.entity_id, account_no = v.account_no,
            product_id = v.product_id, tier_type = v.tier_type, card_type = v.card_type,
            exp_date = v.exp_date, status = v.status, locked_from = NULLIF(v.locked_from, '')
          FROM unnest(${c.kitNo}::text[], ${c.entityId}::text[], ${c.accountNo}::bigint[], ${c.productId}::text[],
            ${c.tierType}::text[], ${c.cardType}::text[], ${c.expDate}::text[], ${c.status}::text[],
            ${c.lockedFrom}::text[])
            AS v(kit_no, entity_id, account_no, product_id, tier_type, card_type, exp_date, status, locked_from)
          WHERE card.tenant = ${tenant} AND card.kit_no = v.kit_no
          RETURNING card.kit_no`.pipe(
          statement(operation),
          Effect.flatMap((rows) =>
            rows.length === new Set(c.kitNo).size
              ? Effect.void
              : Effect.die(new Error(`${operation}: a card that is not stored; insert it with insertAll`))
          )
        )
      }
    })
  })
)
