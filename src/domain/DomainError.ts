/**
 * Every failure a use case of this library can answer with: a tagged error with a stable `code` and
 * a message a person can act on. Adapters (an HTTP service, a message consumer) map it by `_tag` or
 * `code`.
 *
 * @since 0.1.0
 */
import type { CancelCardOrderError } from "./cancelCardOrder.js"
import type { CardStatusError } from "./changeCardStatus.js"
import type { ManageAllCardsError } from "./manageAllCards.js"
import type { VerifyPinError } from "./pin/verifyPin.js"
import type { ReplaceCardError } from "./replaceCard.js"
import type { SetPinError } from "./setPin.js"
import type { UpdateTokenError } from "./updateToken.js"
import type { UpgradeCardError } from "./upgradeCard.js"

/**
 * @category errors
 */
export type DomainError =
  | CardStatusError
  | ManageAllCardsError
  | UpgradeCardError
  | CancelCardOrderError
  | ReplaceCardError
  | SetPinError
  | VerifyPinError
  | UpdateTokenError
