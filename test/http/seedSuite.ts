/**
 * The seeds' examples sent to the service with `fetch`, each answer compared with the seed's example
 * field by field: the same names, the same types, fixed values equal, generated values (kitNos, hashes,
 * masked numbers, dates) by format. Run on the memory demo data and on PostgreSQL holding the same.
 */

import type { Layer } from "effect"
import { XMLParser } from "fast-xml-parser"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { demoKeys, PIN_CARD_PAN, PIN_KIT_NO } from "../../examples/demoData.js"
import type { HttpPorts } from "../../src/adapters/http/index.js"
import { envelope } from "../support/setPin.js"
import {
  seed000,
  seed002,
  seed003Rows,
  seed004JsonAnswer,
  seed004Request,
  seed004XmlAnswer,
  seed004XmlRequest
} from "./seedExamples.js"
import { call, type Service, startService } from "./support.js"

const typeOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value

/**
 * `actual` has every field of `example`, each of the same type (a string of the seed may be `null`
 * where `nullable` names it: a value the token does not have); arrays compared entry by entry against
 * the example's first entry.
 */
const expectSameShape = (
  actual: unknown,
  example: unknown,
  path = "",
  nullable: ReadonlySet<string> = new Set()
) => {
  if (Array.isArray(example)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true)
    for (const [i, entry] of (actual as ReadonlyArray<unknown>).entries())
      expectSameShape(entry, example[0], `${path}[${i}]`, nullable)
    return
  }
  if (typeOf(example) === "object") {
    expect(typeOf(actual), `${path} is an object`).toBe("object")
    for (const key of Object.keys(example as object)) {
      expect(actual, `${path}.${key} is present`).toHaveProperty([key])
      expectSameShape(
        (actual as Record<string, unknown>)[key],
        (example as Record<string, unknown>)[key],
        `${path}.${key}`,
        nullable
      )
    }
    return
  }
  const type = typeOf(actual)
  if (type === "null" && nullable.has(path.replace(/\[\d+\]/g, "[]"))) return
  expect(type, `${path} has the seed's type`).toBe(typeOf(example))
}

/** The element names of an XML document, nested, with every leaf `true`. */
const elementTree = (xml: string): unknown => {
  const parsed = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true }).parse(xml)
  const names = (node: unknown): unknown =>
    Array.isArray(node)
      ? names(node[0])
      : typeof node === "object" && node !== null
        ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, names(v)]))
        : true
  return names(parsed)
}

// the seed's sample values are strings; the service answers `null` for a value a token does not have
const tokenNullable = new Set(Object.keys(seed004JsonAnswer.token).map((key) => `.token.${key}`))

export const seedSuite = (
  label: string,
  ports: () => Layer.Layer<HttpPorts, unknown> | Promise<Layer.Layer<HttpPorts, unknown>>
) =>
  describe(`the seeds' examples over HTTP (${label})`, () => {
    let service: Service
    beforeAll(async () => {
      service = await startService(await ports())
    })
    afterAll(() => service.close())

    it("seed 000: the upgrade's answer has the example's fields, types and formats", async () => {
      const answer = await call(service, "POST", seed000.path, seed000.request)
      expect(answer.status).toBe(200)
      const body = answer.json() as typeof seed000.answer
      expectSameShape(body, seed000.answer)
      expect(body.exception).toBeNull()
      expect(body.pagination).toBeNull()
      expect(body.result.entityId).toBe("676165")
      const [kit] = body.result.kitInfo
      const example = seed000.answer.result.kitInfo[0]
      expect(kit).toMatchObject({
        accountNo: example?.accountNo,
        bin: example?.bin,
        cardCategory: example?.cardCategory,
        cardStatus: example?.cardStatus,
        cardType: example?.cardType,
        entityId: "676165",
        networkType: example?.networkType,
        productId: example?.productId
      })
      expect(kit?.cardNumber).toMatch(/^608040X{6}[0-9]{4}$/)
      expect(kit?.encryptedCardNumber).toMatch(/^[0-9a-f]{64}$/)
      expect(kit?.expDate).toMatch(/^[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00\.000\+00:00$/)
      expect(kit?.kitNo).toMatch(/^[0-9]+$/)
      expect(kit?.productName).not.toBe("")
      expect(Object.keys(kit ?? {}).sort()).toEqual([...Object.keys(example ?? {}), "orderId"].sort())
    })

    it("seed 002: the bulk BLOCK's answer is the example's, card for card", async () => {
      const answer = await call(service, "POST", seed002.path, seed002.request)
      expect(answer.status).toBe(200)
      expect(answer.json()).toEqual({
        ...seed002.answer,
        result: { ...seed002.answer.result, skippedCards: [] }
      })
    })

    it("seed 001: Set PIN V2 takes an envelope sealed under the tenant's key, then verifyPin checks the PIN", async () => {
      const pinBlock = envelope("4827", PIN_CARD_PAN, demoKeys().setPin)
      const set = await call(service, "POST", "/v1/kit-manager/setPinV2", {
        kitNo: PIN_KIT_NO,
        pinBlock,
        expiryDate: "0729",
        channel: "MOBILE"
      })
      expect(set.status).toBe(200)
      expect(set.json()).toEqual({
        result: { kitNo: PIN_KIT_NO, cardNumber: "608040XXXXXX6384", status: "PIN_SET" },
        exception: null,
        pagination: null
      })
      const right = await call(service, "POST", "/v1/kit-manager/verifyPin", {
        kitNo: PIN_KIT_NO,
        pin: "4827"
      })
      const wrong = await call(service, "POST", "/v1/kit-manager/verifyPin", {
        kitNo: PIN_KIT_NO,
        pin: "1357"
      })
      expect([right.json(), wrong.json()]).toEqual([
        { result: { verified: true }, exception: null, pagination: null },
        { result: { verified: false }, exception: null, pagination: null }
      ])
      expect(service.logText()).not.toContain(pinBlock)
    })

    it("seed 001: Cancel Card Order cancels a RECEIVED order of the same branch, and refuses another branch", async () => {
      const other = await call(service, "POST", "/v1/kit-manager/cancelCardOrder", {
        orderId: "ORD4240181599",
        branchId: "BR002"
      })
      expect(other.status).toBe(422)
      expect(other.json()).toMatchObject({
        result: null,
        exception: { code: "ORDER_BRANCH_MISMATCH" },
        pagination: null
      })
      const cancelled = await call(service, "POST", "/v1/kit-manager/cancelCardOrder", {
        orderId: "ORD4240181599",
        branchId: "BR001"
      })
      expect(cancelled.status).toBe(200)
      expect(cancelled.json()).toMatchObject({
        result: {
          orderId: "ORD4240181599",
          branchId: "BR001",
          orderStatus: "CANCELLED",
          kitNo: "4240181599"
        },
        exception: null,
        pagination: null
      })
    })

    it("seed 003: a replacement answers { NewLoyaltyCard, Message }; the error table's rows answer with their status, message and errorCode", async () => {
      const path = (account: number) => `/v1/client/users/${account}/cards`
      const row = async (account: number, body: unknown) => {
        const answer = await call(service, "PUT", path(account), body)
        const json = answer.json() as { statusCode: number; errorMessage: string; errorCode: string }
        expect(json.statusCode).toBe(answer.status)
        return [answer.status, json.errorMessage, json.errorCode]
      }
      expect(await row(8642137, { oldLoyaltyId: 4240181700, status: "BROKEN" })).toEqual(
        seed003Rows.invalidStatus
      )
      expect(await row(8642137, { oldLoyaltyId: 4561789, status: "DAMAGED" })).toEqual(
        seed003Rows.notOnAccount
      )
      expect(await row(8642138, { oldLoyaltyId: 4240181710, status: "DAMAGED" })).toEqual(
        seed003Rows.suspended
      )
      expect(await row(8642139, { oldLoyaltyId: 4240181720, status: "DAMAGED" })).toEqual(seed003Rows.closed)

      const replaced = await call(service, "PUT", path(8642137), {
        oldLoyaltyId: 4240181700,
        status: "CANCELLED"
      })
      expect(replaced.status).toBe(200)
      const answer = replaced.json() as { NewLoyaltyCard: number; Message: string }
      expect(Object.keys(answer)).toEqual(["NewLoyaltyCard", "Message"])
      expect(Number.isSafeInteger(answer.NewLoyaltyCard)).toBe(true)
      expect(answer.Message).toBe("Card updated.")
      expect(await row(8642137, { oldLoyaltyId: 4240181700, status: "DAMAGED" })).toEqual(
        seed003Rows.cancelled
      )

      const second = await call(service, "PUT", path(8642137), {
        oldLoyaltyId: answer.NewLoyaltyCard,
        status: "DAMAGED"
      })
      expect(second.status).toBe(200)
      const third = (second.json() as { NewLoyaltyCard: number }).NewLoyaltyCard
      expect(await row(8642137, { oldLoyaltyId: third, status: "LOST_OR_STOLEN" })).toEqual(seed003Rows.limit)
    })

    it("seed 004: a JSON update answers TokenResponse with every field of the seed's token", async () => {
      const answer = await call(service, "POST", "/v1/api/Update", seed004Request)
      expect(answer.status).toBe(200)
      expect(answer.headers.get("content-type")).toMatch(/^application\/json/)
      const body = answer.json() as typeof seed004JsonAnswer
      expectSameShape(body, seed004JsonAnswer, "", tokenNullable)
      expect(Object.keys(body.token).sort()).toEqual(Object.keys(seed004JsonAnswer.token).sort())
      expect(body.token.tokenUniqueReference).toBe(seed004Request.tokenUniqueReference)
      expect(body.token.currentStatusCode).toBe("ACTIVE")
    })

    it("seed 004: an XML update answers <TokenResponse> with the seed's elements, in its order", async () => {
      const answer = await call(service, "POST", "/v1/api/Update", seed004XmlRequest, {
        "content-type": "application/xml",
        accept: "application/xml"
      })
      expect(answer.status).toBe(200)
      expect(answer.headers.get("content-type")).toMatch(/^application\/xml/)
      expect(
        answer.text.startsWith(
          '<TokenResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/MDES.CustomerService.Models"><token>'
        )
      ).toBe(true)
      // the demo token has no suspender: its empty list is an empty <Suspender/>
      const expected = elementTree(seed004XmlAnswer) as { TokenResponse: { token: Record<string, unknown> } }
      expect(elementTree(answer.text)).toEqual({
        TokenResponse: { token: { ...expected.TokenResponse.token, Suspender: true } }
      })
      expect(answer.text).toContain("<Suspender/>")
      const order = (xml: string) => [...xml.matchAll(/<([A-Za-z]+)[ >/]/g)].map((m) => m[1])
      const unique = (names: ReadonlyArray<string | undefined>) =>
        names.filter((n, i) => names.indexOf(n) === i)
      const sent = unique(order(answer.text))
      expect(sent).toEqual(unique(order(seed004XmlAnswer)).filter((name) => sent.includes(name)))
    })

    it("seed 004: the same update in JSON answered in XML when the client asks for it, and the other way round", async () => {
      const xml = await call(service, "POST", "/v1/api/Update", seed004Request, { accept: "text/xml" })
      expect(xml.status).toBe(200)
      expect(xml.text.startsWith("<TokenResponse")).toBe(true)
      const json = await call(service, "POST", "/v1/api/Update", seed004XmlRequest, {
        "content-type": "text/xml",
        accept: "application/json"
      })
      expect(json.status).toBe(200)
      expect(json.json()).toHaveProperty(
        ["token", "tokenUniqueReference"],
        seed004Request.tokenUniqueReference
      )
    })
  })
