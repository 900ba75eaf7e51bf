import { Context, type Effect, type Option } from "effect"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"
import type { CardholderId, Token, TokenUniqueReference } from "../domain/token/Token.js"

/**
 * Stores and fetches tokens, always within one tenant. It never decides: which tokens an update
 * may change is the domain's rule. The `…ForUpdate` reads return the tokens an update changes and,
 * inside a transaction, lock them until it ends.
 *
 * @category services
 * @since 0.1.0
 */
export class TokenRepository extends Context.Service<
  TokenRepository,
  {
    readonly findByReference: (
      tenant: TenantId,
      tokenUniqueReference: TokenUniqueReference
    ) => Effect.Effect<Option.Option<Token>, StoreError>
    readonly findByReferenceForUpdate: (
      tenant: TenantId,
      tokenUniqueReference: TokenUniqueReference
    ) => Effect.Effect<Option.Option<Token>, StoreError>
    /**
     * Every token mapped to the account PAN of this keyed hash (`accountPan.hash`, from
     * `SecurityModule.cardNumberHash`), whatever its status, in tokenUniqueReference order. A store
     * never sees an account PAN in clear.
     */
    readonly findByPanHash: (
      tenant: TenantId,
      panHash: string
    ) => Effect.Effect<ReadonlyArray<Token>, StoreError>
    readonly findByPanHashForUpdate: (
      tenant: TenantId,
      panHash: string
    ) => Effect.Effect<ReadonlyArray<Token>, StoreError>
    /** Every token of the cardholder, whatever its status, in tokenUniqueReference order. */
    readonly findByCardholder: (
      tenant: TenantId,
      cardholderId: CardholderId
    ) => Effect.Effect<ReadonlyArray<Token>, StoreError>
    readonly findByCardholderForUpdate: (
      tenant: TenantId,
      cardholderId: CardholderId
    ) => Effect.Effect<ReadonlyArray<Token>, StoreError>
    /** Inserts or replaces the tokens, by tokenUniqueReference, in one write. */
    readonly saveAll: (tenant: TenantId, tokens: ReadonlyArray<Token>) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/TokenRepository") {}
