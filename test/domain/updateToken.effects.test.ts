/**
 * Token update (seed 004, DOMAIN.md §8): the account-range rule, comments, the audit trail, the
 * wallet provider, and all-or-nothing storage.
 */
import { Effect, Exit, Option } from "effect"
import { describe, expect, it } from "vitest"
import { AccountRangeMismatch, luhnValid, StoreError } from "../../src/index.js"
import { TENANT_A } from "../support/builders.js"
import {
  AT,
  AUDIT_INFO,
  COMMENT,
  DELETED_TUR,
  DIGITIZED_AT,
  errorOf,
  FOREIGN_PAN,
  NEW_PAN,
  PAN,
  requestFor,
  runTokens,
  SUSPENDED_TUR,
  statusFixture,
  storedToken,
  successOf,
  TUR,
  tokenFixture,
  tokenFixtureOf,
  turFor,
  update,
  updatedRefs,
  updateOn,
  without
} from "../support/tokens.js"

describe("the account range (seed 004: same Account Range only)", () => {
  it("refuses a new PAN outside the current PAN's range, naming both masked, and changes nothing", async () => {
    const { exit, unchanged, events } = await updateOn(
      statusFixture,
      requestFor({ newAccountPan: FOREIGN_PAN })
    )
    const error = errorOf(exit)
    // by tokenUniqueReference: the caller named the token, and its reference is not repeated
    expect(error).toEqual(
      new AccountRangeMismatch({
        currentAccountPan: "541234XXXXXX1234",
        newAccountPan: "549999XXXXXX1234"
      })
    )
    expect(error.message).toBe(
      "The new account PAN 549999XXXXXX1234 is not in the account range of 541234XXXXXX1234, the current " +
        "PAN of the token; nothing was changed. Use a new PAN from the same account range."
    )
    expect(JSON.stringify(error)).not.toContain(TUR)
    expect([unchanged, events]).toEqual([true, []])
  })

  it("refuses a new PAN in no range at all", async () => {
    const { exit } = await updateOn(statusFixture, requestFor({ newAccountPan: "6011000000000004" }))
    expect(errorOf(exit)).toBeInstanceOf(AccountRangeMismatch)
  })

  it("refuses when the current PAN lies in no range", async () => {
    const noRange = tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] }, [
      { low: "5412345678908", high: "5412345678909" }
    ])
    const { exit, unchanged } = await updateOn(noRange, requestFor())
    expect(errorOf(exit)).toBeInstanceOf(AccountRangeMismatch)
    expect(unchanged).toBe(true)
  })

  it("refuses the whole update by PAN when its tokens' PAN is outside the new PAN's range", async () => {
    const foreign = tokenFixtureOf({
      [TENANT_A]: [
        tokenFixture(TUR, { accountPan: FOREIGN_PAN }),
        tokenFixture(turFor(2), { accountPan: FOREIGN_PAN })
      ]
    })
    const request = without(requestFor({ currentAccountPan: FOREIGN_PAN }), "tokenUniqueReference")
    const { exit, unchanged } = await updateOn(foreign, request)
    expect(errorOf(exit)).toEqual(
      new AccountRangeMismatch({
        tokenUniqueReference: turFor(2),
        currentAccountPan: "549999XXXXXX1234",
        newAccountPan: "541234XXXXXX8888"
      })
    )
    expect(unchanged).toBe(true)
  })

  it("checks no range when the PAN does not change", async () => {
    const noRanges = tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] }, [])
    const { exit } = await updateOn(noRanges, without(requestFor(), "newAccountPan"))
    expect(updatedRefs(successOf(exit))).toEqual([TUR])
  })

  it("takes the seed's example PANs, which fail Luhn (DOMAIN.md §8: no Luhn check here)", async () => {
    expect([luhnValid(PAN), luhnValid(NEW_PAN)]).toEqual([false, false])
    expect(updatedRefs(successOf((await updateOn(statusFixture, requestFor())).exit))).toEqual([TUR])
  })
})

describe("comments, audit and the wallet provider", () => {
  it("keeps the comment with the audit info, and its id becomes lastCommentId", async () => {
    const stored = await runTokens(
      statusFixture,
      Effect.andThen(update(requestFor()), storedToken(TENANT_A, TUR))
    )
    expect(Option.map(stored, (t) => [t.comments, t.lastCommentId])).toEqual(
      Option.some([[{ commentId: "1", text: COMMENT, at: AT, auditInfo: AUDIT_INFO }], "1"])
    )
  })

  it("numbers a token's comments in order", async () => {
    const earlier = { commentId: "1", text: "Issued", at: DIGITIZED_AT, auditInfo: AUDIT_INFO }
    const commented = tokenFixtureOf({
      [TENANT_A]: [tokenFixture(TUR, { comments: [earlier], lastCommentId: "1" })]
    })
    const result = successOf((await updateOn(commented, requestFor())).exit)
    expect("token" in result && result.token.lastCommentId).toBe("2")
  })

  it("keeps the comments and lastCommentId when the request has no comment", async () => {
    const earlier = { commentId: "1", text: "Issued", at: DIGITIZED_AT, auditInfo: AUDIT_INFO }
    const commented = tokenFixtureOf({
      [TENANT_A]: [tokenFixture(TUR, { comments: [earlier], lastCommentId: "1" })]
    })
    const stored = await runTokens(
      commented,
      Effect.andThen(update(without(requestFor(), "commentText")), storedToken(TENANT_A, TUR))
    )
    expect(Option.map(stored, (t) => [t.comments, t.lastCommentId])).toEqual(Option.some([[earlier], "1"]))
  })

  it("records one audit event per token changed: its TUR, masked PANs, the userId as changer", async () => {
    const { events } = await updateOn(statusFixture, requestFor())
    expect(events).toEqual([
      {
        at: AT,
        action: "UPDATE_TOKEN",
        subject: TUR,
        outcome: "OK",
        cardNumber: "541234XXXXXX8888",
        previousStatus: "ACTIVE",
        currentStatus: "ACTIVE",
        changer: AUDIT_INFO.userId,
        reason:
          "accountPan 541234XXXXXX1234 -> 541234XXXXXX8888; accountPanExpirationDate 0827 -> 1215; accountPanSequenceNumber 1 -> 3; comment 1"
      }
    ])
  })

  it("records a userId that holds a card number masked (DOMAIN.md §9)", async () => {
    const request = requestFor({ auditInfo: { ...AUDIT_INFO, userId: "agent 5412 3456 7890 1234" } })
    const { events } = await updateOn(statusFixture, request)
    expect(events.map((e) => e.changer)).toEqual(["agent 541234XXXXXX1234"])
  })

  it("records no audit event for a token left alone", async () => {
    const byPan = without(requestFor({ currentAccountPan: PAN }), "tokenUniqueReference")
    const { events } = await updateOn(statusFixture, byPan, { subject: DELETED_TUR })
    expect(events).toEqual([])
  })

  it('tells the wallet provider once, with every changed token, when updateWalletProviderIndicator is "0"', async () => {
    const byPan = without(
      requestFor({ currentAccountPan: PAN, updateWalletProviderIndicator: "0" }),
      "tokenUniqueReference"
    )
    const { notifications } = await updateOn(statusFixture, byPan)
    // one NOTIFY_WALLET event per token changed, on the outbox with the update's events
    expect(notifications).toEqual([SUSPENDED_TUR, TUR])
  })

  for (const indicator of ["1", undefined]) {
    it(`does not tell the wallet provider when updateWalletProviderIndicator is ${indicator ?? "absent"}`, async () => {
      const request =
        indicator === undefined ? requestFor() : requestFor({ updateWalletProviderIndicator: indicator })
      const { exit, notifications } = await updateOn(statusFixture, request)
      expect([Exit.isSuccess(exit), notifications]).toEqual([true, []])
    })
  }
})

describe("all or nothing", () => {
  const byPan = without(
    requestFor({ currentAccountPan: PAN, updateWalletProviderIndicator: "0" }),
    "tokenUniqueReference"
  )

  it("stores every change of one request in one saveAll and one append (its events and the wallet's)", async () => {
    const writes: Array<string> = []
    const { exit } = await updateOn(statusFixture, byPan, {
      options: {
        failWrite: ({ operation }) => {
          writes.push(operation)
          return false
        }
      }
    })
    expect(updatedRefs(successOf(exit))).toHaveLength(2)
    expect(writes).toEqual(["TokenRepository.saveAll", "AuditLog.append"])
  })

  for (const failing of ["TokenRepository.saveAll", "AuditLog.append"]) {
    it(`leaves every store as it was when ${failing} fails`, async () => {
      const { exit, unchanged, notifications } = await updateOn(statusFixture, byPan, {
        options: { failWrite: ({ operation }) => operation === failing }
      })
      expect(errorOf(exit)).toEqual(new StoreError({ operation: failing, retryable: true }))
      expect([unchanged, notifications]).toEqual([true, []])
    })
  }
})
