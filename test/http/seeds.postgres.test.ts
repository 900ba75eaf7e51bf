/**
 * The seeds' examples over HTTP on PostgreSQL (a database of its own, migrated, holding the demo data).
 */
import { describePostgres, freshDatabase } from "../support/postgres/database.js"
import { seedSuite } from "./seedSuite.js"
import { postgresDemo } from "./support.js"

describePostgres("HTTP service on PostgreSQL", () => {
  seedSuite("PostgreSQL", async () => postgresDemo((await freshDatabase()).url))
})
