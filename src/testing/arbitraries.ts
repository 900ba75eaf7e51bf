/**
 * fast-check arbitraries of the domain: identifiers, PANs and PINs, card statuses and operations,
 * cards, customers with their accounts and cards, fixtures, the values of a token update, and valid
 * requests of the use cases. Every
 * value decodes: an identifier with its schema, a fixture with `layer` of `card-lifecycle/memory`,
 * a request with its use case's schema.
 *
 * @since 0.1.0
 */
export * from "./DomainArbitraries.js"
export * from "./FixtureArbitraries.js"
export * from "./RequestArbitraries.js"
export * from "./TokenArbitraries.js"
