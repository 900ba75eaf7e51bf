/**
 * The refusal of a hostile request: for each use case, request bodies of up to 64 KiB built to cost
 * the most (10 000 unknown keys; the most keys the bound lets through, each long and full of digits
 * to mask; every field over-long; deep nesting; every field bad and every object at the key bound),
 * each refused through the use case on the memory adapter, so the whole refusal path counts: the
 * tenant and request decoding, the error, and setPin's audit event. Prints, per use case, the slowest
 * of them (µs per call, median of rounds) and the largest error (bytes of its JSON), against the
 * target of 5 ms and 8 KiB. Each call gets a request freshly parsed from its JSON body, as a host
 * would hand it over; the parsing is not timed.
 */
import { Effect, ManagedRuntime } from "effect"
import { layer, type MemoryPorts } from "../src/adapters/memory/index.js"
import { MAX_KEYS } from "../src/domain/ground/Validation.js"
import {
  cancelCardOrder,
  lockCard,
  manageAllCards,
  replaceCard,
  setPin,
  updateToken,
  upgradeCard,
  verifyPin
} from "../src/index.js"
import { line, timeEffect } from "./harness.js"

const TENANT = "ACME_BANK"
const BUDGET = 64 * 1024
const OPS = 50
/** Fresh parses of each body, handed out in turn. */
const COPIES = 16

type Json = { [key: string]: unknown }
type UseCase = (tenant: string, request: unknown) => Effect.Effect<unknown, unknown, MemoryPorts>

interface Spec {
  readonly name: string
  readonly useCase: UseCase
  /** A request that decodes. */
  readonly valid: Json
  /** The string fields, dotted, and a short value that breaks each one's rule. */
  readonly bad: ReadonlyArray<readonly [path: string, value: string]>
  /** The objects nested in the request, dotted: each may hold keys up to the bound too. */
  readonly nested?: ReadonlyArray<string>
}

const AUDIT = { reason: "LOST_PHONE", changer: "agent-7", channel: "IVR" }
const BAD_AUDIT = [
  ["reason", ""],
  ["changer", ""],
  ["channel", "FAX"]
] as const
const ENTRY = { aliasName: "sample", cardType: "PHYSICAL", plasticCode: "4566", tierType: "SILVER" }
const VIRTUAL = { cardType: "VIRTUAL", plasticCode: "V4566", tierType: "SILVER" }
const badEntry = (i: number) =>
  [
    [`kitInfo.${i}.aliasName`, ""],
    [`kitInfo.${i}.cardType`, "PLASTIC"],
    [`kitInfo.${i}.plasticCode`, ""],
    [`kitInfo.${i}.tierType`, ""]
  ] as const

const specs: ReadonlyArray<Spec> = [
  {
    name: "lockCard (activate, unlock, block: the same request)",
    useCase: lockCard as UseCase,
    valid: { kitNo: "4240181652", ...AUDIT },
    bad: [["kitNo", ""], ...BAD_AUDIT]
  },
  {
    name: "manageAllCards",
    useCase: manageAllCards as UseCase,
    valid: { mobileNo: "9876543210", entityId: "req11", operation: "LOCK", ...AUDIT },
    bad: [["mobileNo", "12"], ["entityId", ""], ["operation", "FREEZE"], ...BAD_AUDIT]
  },
  {
    name: "upgradeCard",
    useCase: upgradeCard as UseCase,
    valid: {
      entityId: "676165",
      kitNo: "4561789",
      deliveryAddress: "PERMANENT",
      kitInfo: [ENTRY, VIRTUAL],
      ...AUDIT
    },
    bad: [
      ["entityId", ""],
      ["kitNo", ""],
      ["deliveryAddress", "HOME"],
      ...badEntry(0),
      ...badEntry(1),
      ...BAD_AUDIT
    ],
    nested: ["kitInfo.0", "kitInfo.1"]
  },
  {
    name: "cancelCardOrder",
    useCase: cancelCardOrder as UseCase,
    valid: { orderId: "ORD4240181595", branchId: "BR001", ...AUDIT },
    bad: [["orderId", ""], ["branchId", ""], ...BAD_AUDIT]
  },
  {
    name: "replaceCard",
    useCase: replaceCard as UseCase,
    valid: {
      correlationId: "8642135",
      oldLoyaltyId: 4240180001,
      status: "LOST_OR_STOLEN",
      newLoyaltyId: "7000000001",
      changer: "agent-7",
      channel: "IVR"
    },
    bad: [
      ["correlationId", ""],
      ["oldLoyaltyId", ""],
      ["status", "MISPLACED"],
      ["newLoyaltyId", "0"],
      ["changer", ""],
      ["channel", "FAX"]
    ]
  },
  {
    name: "setPin",
    useCase: setPin as UseCase,
    valid: {
      kitNo: "4240181652",
      pinBlock: "A".repeat(56),
      expiryDate: "0729",
      channel: "MOBILE",
      changer: "cust-app"
    },
    bad: [
      ["kitNo", ""],
      ["pinBlock", ""],
      ["expiryDate", "1399"],
      ["channel", "FAX"],
      ["changer", ""]
    ]
  },
  {
    name: "verifyPin",
    useCase: verifyPin as UseCase,
    valid: { kitNo: "4240181652", pin: "4821" },
    bad: [
      ["kitNo", ""],
      ["pin", "12"]
    ]
  },
  {
    name: "updateToken",
    useCase: updateToken as UseCase,
    valid: {
      tokenUniqueReference: "DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9c",
      newAccountPan: "5412345678908888",
      expirationDate: "1215",
      accountPanSequenceNumber: "3",
      updateWalletProviderIndicator: "0",
      commentText: "Update gold artwork",
      auditInfo: { userId: "agent-7", userName: "Ada", organization: "ACME", phone: "+1 555 0100" }
    },
    // every rule between fields broken too: all three selectors, both kinds of change
    bad: [
      ["tokenUniqueReference", "x"],
      ["currentAccountPan", "1"],
      ["cardholderId", ""],
      ["newAccountPan", "1"],
      ["expirationDate", "1399"],
      ["accountPanSequenceNumber", "1234"],
      ["issuerProductConfigurationId", ""],
      ["updateWalletProviderIndicator", "2"],
      ["commentText", "\u0000"],
      ["auditInfo.userId", ""],
      ["auditInfo.userName", ""],
      ["auditInfo.organization", ""],
      ["auditInfo.phone", "x"]
    ],
    nested: ["auditInfo"]
  }
]

const clone = (json: Json): Json => JSON.parse(JSON.stringify(json))

const objectAt = (request: Json, path: string): Json =>
  path === "" ? request : (path.split(".").reduce<unknown>((at, key) => (at as Json)[key], request) as Json)

const setAt = (request: Json, path: string, value: unknown) => {
  const keys = path.split(".")
  const last = keys.pop()!
  objectAt(request, keys.join("."))[last] = value
}

const size = (request: Json) => Buffer.byteLength(JSON.stringify(request))

/**
 * Adds keys `<prefix><i>` to `object` while the body stays within the budget and, if told, the count;
 * how many it added.
 */
const fillKeys = (request: Json, object: Json, prefix: string, limit = Number.POSITIVE_INFINITY): number => {
  const room = BUDGET - size(request)
  const each = Buffer.byteLength(`"${prefix}00000":0,`)
  let n = Math.min(Math.floor(room / each), limit - Object.keys(object).length)
  while (n > 0) {
    for (let i = 0; i < n; i++) object[`${prefix}${i}`] = 0
    if (size(request) <= BUDGET) return n
    for (let i = 0; i < n; i++) delete object[`${prefix}${i}`]
    n = Math.floor(n * 0.95)
  }
  return 0
}

/** The bodies each use case is tried with, by what makes them costly. */
const candidates = (spec: Spec): ReadonlyArray<readonly [kind: string, body: string]> => {
  const objects = ["", ...(spec.nested ?? [])]

  const manyKeys = clone(spec.valid)
  const added = fillKeys(manyKeys, manyKeys, "k")

  // the most keys the bound lets through in every object, each as long as the budget allows and
  // made of 16-digit runs, for the masking of paths to work on
  const longKeys = clone(spec.valid)
  const free = objects.reduce((n, path) => n + MAX_KEYS - Object.keys(objectAt(longKeys, path)).length, 0)
  const keyLength = Math.floor((BUDGET - size(longKeys)) / free) - 8
  objects.forEach((path, o) => {
    const object = objectAt(longKeys, path)
    for (let i = 0; Object.keys(object).length < MAX_KEYS; i++)
      object[`${o}.${i}-${"4111111111111111".repeat(keyLength / 16 + 1)}`.slice(0, keyLength)] = 0
  })

  // every string field as long as its share of the budget, ending in a control character
  const longStrings = clone(spec.valid)
  const share = Math.floor((BUDGET - size(longStrings)) / spec.bad.length) - 16
  for (const [path] of spec.bad) setAt(longStrings, path, `${"7".repeat(share)}\u0007`)

  // every field bad, every object at the key bound, the keys sharing what is left of the budget
  const mostIssues = clone(spec.valid)
  for (const [path, value] of spec.bad) setAt(mostIssues, path, value)
  for (const path of objects) fillKeys(mostIssues, objectAt(mostIssues, path), `${path}x`, MAX_KEYS)

  // the first field nested as deep as the budget allows
  const deep = clone(spec.valid)
  const depth = Math.floor((BUDGET - size(deep)) / 2) - 8
  const [first] = spec.bad[0]!
  const body = JSON.stringify(deep).replace(
    `"${first}":${JSON.stringify(objectAt(deep, "")[first])}`,
    `"${first}":${"[".repeat(depth)}${"]".repeat(depth)}`
  )

  return [
    [`${added} unknown keys`, JSON.stringify(manyKeys)],
    [`${MAX_KEYS} long keys per object`, JSON.stringify(longKeys)],
    ["every field over-long", JSON.stringify(longStrings)],
    ["every field bad, objects full", JSON.stringify(mostIssues)],
    ["deep nesting", body]
  ]
}

const errorBytes = async <R, E>(
  runtime: ManagedRuntime.ManagedRuntime<R, E>,
  effect: Effect.Effect<unknown, unknown, R>
) => Buffer.byteLength(JSON.stringify(await runtime.runPromise(Effect.flip(effect))))

export const benchDecode = async () => {
  console.log("\nThe refusal of the costliest request body of up to 64 KiB, per use case (memory adapter)")
  const runtime = ManagedRuntime.make(layer({ tenants: {} }))
  for (const spec of specs) {
    let slowest = { kind: "", us: 0 }
    let largest = { kind: "", bytes: 0 }
    for (const [kind, body] of candidates(spec)) {
      if (Buffer.byteLength(body) > BUDGET) throw new Error(`${spec.name}, ${kind}: the body is over 64 KiB`)
      const copies = Array.from({ length: COPIES }, () => JSON.parse(body))
      let next = 0
      const call = Effect.suspend(() => spec.useCase(TENANT, copies[next++ % COPIES]))
      const bytes = await errorBytes(runtime, call)
      const us = await timeEffect(runtime, OPS, Effect.exit(call))
      if (us > slowest.us) slowest = { kind, us }
      if (bytes > largest.bytes) largest = { kind, bytes }
    }
    line(spec.name, "")
    line(`  slowest: ${slowest.kind}`, `${(slowest.us / 1000).toFixed(3)} ms/call`)
    line(`  largest error: ${largest.kind}`, `${largest.bytes} bytes`)
  }
  line("target", "under 5 ms and under 8 KiB (8192 bytes)")
  await runtime.dispose()
}
