/**
 * The schema of card-lifecycle/postgres, as migrations effect's `Migrator` runs from records (no
 * files: safe to bundle). Every table is keyed by tenant first; identifiers the domain orders by
 * compare as JavaScript strings do (`COLLATE "C"`). No column holds a clear PAN: a card's and a
 * token's PAN are stored as their ciphertext, its key id, the masked form and a keyed hash.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { Migrator, SqlClient } from "effect/sql"

/** One statement per query: the client always uses the extended protocol. */
const statements = (...ddl: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (const statement of ddl) yield* sql.unsafe(statement)
  })

const initial = statements(
  `CREATE TABLE customers (
    tenant text COLLATE "C" NOT NULL,
    entity_id text COLLATE "C" NOT NULL,
    mobile_no text COLLATE "C" NOT NULL,
    branch_id text COLLATE "C" NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (tenant, entity_id),
    CONSTRAINT customers_mobile_key UNIQUE (tenant, mobile_no)
  )`,
  `CREATE TABLE accounts (
    tenant text COLLATE "C" NOT NULL,
    account_no bigint NOT NULL,
    entity_id text COLLATE "C" NOT NULL,
    status text NOT NULL,
    registration text NOT NULL,
    replacements bigint[] NOT NULL DEFAULT '{}',
    CONSTRAINT accounts_pkey PRIMARY KEY (tenant, account_no)
  )`,
  `CREATE TABLE cards (
    tenant text COLLATE "C" NOT NULL,
    kit_no text COLLATE "C" NOT NULL,
    entity_id text COLLATE "C" NOT NULL,
    account_no bigint NOT NULL,
    product_id text NOT NULL,
    tier_type text NOT NULL,
    card_type text NOT NULL,
    pan_key_id text NOT NULL,
    pan_ciphertext text NOT NULL,
    pan_masked text NOT NULL,
    pan_hash text COLLATE "C" NOT NULL,
    exp_date text NOT NULL,
    status text NOT NULL,
    locked_from text,
    CONSTRAINT cards_pkey PRIMARY KEY (tenant, kit_no),
    CONSTRAINT cards_pan_key UNIQUE (tenant, pan_hash)
  )`,
  `CREATE INDEX cards_by_customer ON cards (tenant, entity_id, kit_no)`,
  `CREATE INDEX cards_by_account ON cards (tenant, account_no, kit_no)`,
  `CREATE TABLE audit_events (
    tenant text COLLATE "C" NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    subject text COLLATE "C" NOT NULL,
    event jsonb NOT NULL,
    CONSTRAINT audit_events_pkey PRIMARY KEY (tenant, seq)
  )`,
  `CREATE INDEX audit_events_by_subject ON audit_events (tenant, subject, seq)`,
  `CREATE TABLE pin_records (
    tenant text COLLATE "C" NOT NULL,
    kit_no text COLLATE "C" NOT NULL,
    verifier_key_id text NOT NULL,
    verifier_mac text NOT NULL,
    failed_attempts integer NOT NULL,
    blocked boolean NOT NULL,
    CONSTRAINT pin_records_pkey PRIMARY KEY (tenant, kit_no)
  )`,
  `CREATE TABLE policies (
    tenant text COLLATE "C" NOT NULL,
    migration_in_transition boolean NOT NULL,
    allow_trivial_pins boolean NOT NULL,
    pin_try_limit integer NOT NULL,
    CONSTRAINT policies_pkey PRIMARY KEY (tenant)
  )`
)

/**
 * The kit manager's tables: a tenant's products and tier ladder (read only by the ports; a host
 * writes them), its card orders, and the card issuer's state: the tenant's next serial kitNo, and
 * the PANs it has reserved (with the kitNo they went to), each by its keyed hash only (no clear PAN).
 */
const kitManager = statements(
  `CREATE TABLE products (
    tenant text COLLATE "C" NOT NULL,
    product_id text COLLATE "C" NOT NULL,
    product_name text NOT NULL,
    tier_type text COLLATE "C" NOT NULL,
    card_type text COLLATE "C" NOT NULL,
    plastic_code text COLLATE "C" NOT NULL,
    bin text NOT NULL,
    network_type text NOT NULL,
    card_category text NOT NULL,
    validity_years integer NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (tenant, product_id),
    CONSTRAINT products_variant_key UNIQUE (tenant, tier_type, card_type, plastic_code)
  )`,
  `CREATE TABLE tier_ladders (
    tenant text COLLATE "C" NOT NULL,
    rank integer NOT NULL,
    tier_type text COLLATE "C" NOT NULL,
    CONSTRAINT tier_ladders_pkey PRIMARY KEY (tenant, rank),
    CONSTRAINT tier_ladders_tier_key UNIQUE (tenant, tier_type)
  )`,
  `CREATE TABLE card_orders (
    tenant text COLLATE "C" NOT NULL,
    order_id text COLLATE "C" NOT NULL,
    kit_no text COLLATE "C" NOT NULL,
    entity_id text COLLATE "C" NOT NULL,
    branch_id text COLLATE "C" NOT NULL,
    status text NOT NULL,
    delivery_address text NOT NULL,
    created_at text NOT NULL,
    CONSTRAINT card_orders_pkey PRIMARY KEY (tenant, order_id)
  )`,
  `CREATE TABLE issuer_serials (
    tenant text COLLATE "C" NOT NULL,
    next_serial bigint NOT NULL,
    CONSTRAINT issuer_serials_pkey PRIMARY KEY (tenant)
  )`,
  `CREATE TABLE pan_reservations (
    tenant text COLLATE "C" NOT NULL,
    pan_hash text COLLATE "C" NOT NULL,
    kit_no text COLLATE "C" NOT NULL,
    CONSTRAINT pan_reservations_pkey PRIMARY KEY (tenant, pan_hash)
  )`
)

/**
 * Tokens, the account-range table and the wallet-notification outbox. A token's searchable and
 * ordered fields are columns (its reference, its account PAN's keyed hash, its cardholder, its
 * status) beside the rest of its scalar fields; its nested parts (wallet, devices, comments,
 * provisioning, suspenders) are jsonb. Its account PAN is stored as a card's is: ciphertext, key id,
 * masked form, keyed hash.
 */
const tokens = statements(
  `CREATE TABLE tokens (
    tenant text COLLATE "C" NOT NULL,
    token_unique_reference text COLLATE "C" NOT NULL,
    pan_key_id text NOT NULL,
    pan_ciphertext text NOT NULL,
    pan_masked text NOT NULL,
    pan_hash text COLLATE "C" NOT NULL,
    pan_unique_reference text COLLATE "C",
    cardholder_id text COLLATE "C",
    token_suffix text NOT NULL,
    expiration_date text NOT NULL,
    account_pan_expiration_date text,
    account_pan_sequence_number text,
    product_configuration_id text COLLATE "C",
    status text NOT NULL,
    status_date_time text NOT NULL,
    last_comment_id text,
    suspended_by jsonb NOT NULL,
    wallet jsonb NOT NULL,
    devices jsonb NOT NULL,
    comments jsonb NOT NULL,
    provisioning jsonb NOT NULL,
    CONSTRAINT tokens_pkey PRIMARY KEY (tenant, token_unique_reference)
  )`,
  `CREATE INDEX tokens_by_pan_hash ON tokens (tenant, pan_hash, token_unique_reference)`,
  `CREATE INDEX tokens_by_cardholder ON tokens (tenant, cardholder_id, token_unique_reference)`,
  `CREATE TABLE account_ranges (
    tenant text COLLATE "C" NOT NULL,
    low text COLLATE "C" NOT NULL,
    high text COLLATE "C" NOT NULL,
    CONSTRAINT account_ranges_pkey PRIMARY KEY (tenant, low),
    CONSTRAINT account_ranges_bounds CHECK (length(low) = length(high) AND low <= high)
  )`,
  `CREATE TABLE wallet_notifications (
    tenant text COLLATE "C" NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    token_unique_references jsonb NOT NULL,
    CONSTRAINT wallet_notifications_pkey PRIMARY KEY (tenant, seq)
  )`
)

/**
 * A tenant's serial kitNos handed out from 16 rows (stripes) instead of one: stripe k hands out the
 * serials `first + k + 16·j`, so that 16 transactions of one tenant issue at once, each holding its
 * own stripe's lock until it ends. A tenant's existing row becomes stripe 0, and stripes 1 to 15
 * start right after its next serial. The 16 is this migration's for good (PgCardIssuer's `STRIPES`):
 * another number takes a migration of its own.
 */
const issuerStripes = statements(
  `ALTER TABLE issuer_serials ADD COLUMN stripe smallint NOT NULL DEFAULT 0`,
  `ALTER TABLE issuer_serials ALTER COLUMN stripe DROP DEFAULT`,
  `ALTER TABLE issuer_serials DROP CONSTRAINT issuer_serials_pkey`,
  `ALTER TABLE issuer_serials ADD CONSTRAINT issuer_serials_pkey PRIMARY KEY (tenant, stripe)`,
  `ALTER TABLE issuer_serials ADD CONSTRAINT issuer_serials_stripe CHECK (stripe BETWEEN 0 AND 15)`,
  `INSERT INTO issuer_serials (tenant, stripe, next_serial)
    SELECT tenant, k, next_serial + k FROM issuer_serials, generate_series(1, 15) AS k`
)

/**
 * Idempotency keys (docs/idempotency.md): a key's record per tenant, with the keyed fingerprint of
 * the request it was first used for (never the request) and its answer as JSON (`json`, not
 * `jsonb`: a replayed answer keeps its fields' order); and each tenant's
 * retention, 24 hours unless its policy says otherwise.
 */
const idempotency = statements(
  `ALTER TABLE policies ADD COLUMN idempotency_retention_hours integer NOT NULL DEFAULT 24
    CHECK (idempotency_retention_hours BETWEEN 1 AND 720)`,
  `CREATE TABLE idempotency_keys (
    tenant text NOT NULL,
    key text COLLATE "C" NOT NULL,
    operation text NOT NULL,
    fingerprint_key_id text NOT NULL,
    fingerprint text NOT NULL,
    answer json,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, key)
  )`,
  `CREATE INDEX idempotency_keys_expiry ON idempotency_keys (tenant, expires_at)`
)

/**
 * The outbox of domain events (docs/events.md): a row per audit event still to deliver, keyed like
 * the event (tenant, seq), with its subject (events of one subject are delivered in order) and its
 * delivery state in epoch milliseconds. The audit log's append fills it in the same statement.
 */
const outbox = statements(
  `CREATE TABLE outbox (
    tenant text COLLATE "C" NOT NULL,
    seq bigint NOT NULL,
    subject text COLLATE "C" NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    due_at bigint NOT NULL DEFAULT 0,
    lease_until bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, seq)
  )`,
  `CREATE INDEX outbox_by_subject ON outbox (tenant, subject, seq)`
)

/**
 * The wallet provider's notifications move onto the outbox (docs/events.md): each token of a
 * notification still pending becomes a `NOTIFY_WALLET` event, in the audit trail and the outbox, in
 * the notifications' order; then their table goes.
 */
const walletOnOutbox = statements(
  `WITH moved AS (
    INSERT INTO audit_events (tenant, subject, event)
    SELECT w.tenant, r.tur, jsonb_build_object(
        'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'action', 'NOTIFY_WALLET', 'subject', r.tur, 'outcome', 'OK')
      FROM wallet_notifications w,
        jsonb_array_elements_text(w.token_unique_references) WITH ORDINALITY AS r(tur, n)
      ORDER BY w.seq, r.n
    RETURNING tenant, seq, subject
  )
  INSERT INTO outbox (tenant, seq, subject) SELECT tenant, seq, subject FROM moved`,
  `DROP TABLE wallet_notifications`
)

/**
 * A key's answer moves into a table of its own (docs/idempotency.md): storing it is then an insert,
 * with nothing to look up, and the key's row is never updated by a run (only by a claim of an
 * expired key). An update finds its row through a plan, and a connection keeps a plan made while the
 * table was nearly empty (a sequential scan) until the table's statistics change: on a table that
 * starts empty and grows fast, every answer then read the whole table.
 */
const idempotencyAnswers = statements(
  `CREATE TABLE idempotency_answers (
    tenant text NOT NULL,
    key text COLLATE "C" NOT NULL,
    answer json NOT NULL,
    PRIMARY KEY (tenant, key)
  )`,
  `INSERT INTO idempotency_answers (tenant, key, answer)
    SELECT tenant, key, answer FROM idempotency_keys WHERE answer IS NOT NULL`,
  `ALTER TABLE idempotency_keys DROP COLUMN answer`
)

/**
 * The migrations, by id and name.
 *
 * @category migrations
 */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "1_initial": initial,
  "2_kit_manager": kitManager,
  "3_tokens": tokens,
  "4_issuer_stripes": issuerStripes,
  "5_idempotency": idempotency,
  "6_outbox": outbox,
  "7_wallet_notifications_on_outbox": walletOnOutbox,
  "8_idempotency_answers": idempotencyAnswers
}

/**
 * Applies the migrations not yet applied (a second run applies nothing), recorded in the
 * `card_lifecycle_migrations` table: the ids and names applied now.
 *
 * @category migrations
 */
export const migrate = Migrator.make({})({
  loader: Migrator.fromRecord(migrations),
  table: "card_lifecycle_migrations"
})
