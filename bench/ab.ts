/**
 * The A/B driver of scripts/ab-bench.sh: one short measurement of the three guarded figures, printed
 * as one `AB {json}` line. It uses only what exists in every tree it is copied into, so that the same
 * workload runs against the old code and the new: `layer(fixture)` of the memory adapter's public
 * entry, and the use cases and the PIN-block codec of src/index.ts. Nothing else of src/ (no adapter
 * internals, no harness), but card-lifecycle/node's `NodeSecurityModule` and the `SecurityModule`
 * port, each imported only in a tree that has it.
 *
 *   npm exec -- tsx bench/ab.ts            the three guarded figures
 *   npm exec -- tsx bench/ab.ts lifecycle  one of lifecycle, replaceCard, manageAllCards, pin, envelope
 *
 * `pin` times setPin and verifyPin of one card on `layer(fixture)`, whatever security module that
 * gives (a tree before the SecurityModule port: its TenantKeys and @noble), and, in a tree with
 * src/adapters/node, the same with `NodeSecurityModule.layer` over the same keys in the module's place
 * (figures `setPinNode` and `verifyPinNode`), all in alternating rounds in one process. The fixture
 * holds the four keys a tenant with cards needs today (setPin, pinStore, panStore, cardNumber); an
 * older tree's fixture schema ignores the ones it does not know.
 *
 * Every store is built before its clock starts (`ManagedRuntime.make` builds on first use: the
 * build is forced with `runtime.context()`).
 *
 * With AB_PROFILE=file.cpuprofile, V8 CPU profiles of the timed sections only (not the fixtures, the
 * builds, nor the warm-up rounds of lifecycle and replaceCard; manageAllCards' warm-up calls are
 * profiled too) are written there, one per section (file.cpuprofile, file.2.cpuprofile, …): open
 * them in Chrome DevTools, or sum them with bench/profileSummary.ts. Profiled runs are slower: not
 * for figures.
 */
import { existsSync, writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { layer } from "../src/adapters/memory/index.js"
import {
  decryptPinBlock,
  encryptPinBlock,
  lockCard,
  manageAllCards,
  replaceCard,
  setPin,
  unlockCard,
  verifyPin
} from "../src/index.js"

// the Luhn check digit, here because the driver may import only what every compared tree exports
const luhnCheckDigit = (body: string): string => {
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return String((10 - (sum % 10)) % 10)
}

const TENANT = "AB_BANK"
const LIFECYCLE_PAIRS = 20_000
const LIFECYCLE_ROUNDS = 3
const MANAGE_CARDS = 100_000
const MANAGE_WARM_UP = 2
const MANAGE_TIMED = 3
const REPLACE_WARM_UP = 10_000
const REPLACE_CALLS = 20_000
const PIN_CALLS = 5_000
const PIN_ROUNDS = 3

// a tenant with cards needs panStore and cardNumber keys today (its PANs are stored protected)
const KEYS = {
  setPin: "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
  pinStore: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
  panStore: "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b3f1b7a4e2f6d9c01",
  cardNumber: "2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe"
}
/** The fixtures' keys: those of KEYS this tree's fixture schema knows (`acceptedKeys` sets them). */
let fixtureKeys: Partial<typeof KEYS> = KEYS

const PROFILE = process.env.AB_PROFILE
const session = PROFILE === undefined ? undefined : new Session()

/** Wall-clock and process CPU time (all threads: the collector's helpers too) of a section, in µs. */
interface Took<A> {
  readonly result: A
  readonly wall: number
  readonly cpu: number
}

/** Runs a timed section, under the CPU profiler when AB_PROFILE is set (outside the timing). */
const timed = async <A>(section: () => Promise<A>): Promise<Took<A>> => {
  if (session !== undefined) await session.post("Profiler.start")
  try {
    const cpuBefore = process.cpuUsage()
    const start = performance.now()
    const result = await section()
    const wall = (performance.now() - start) * 1000
    const cpu = process.cpuUsage(cpuBefore)
    return { result, wall, cpu: cpu.user + cpu.system }
  } finally {
    if (session !== undefined)
      await session.post("Profiler.stop").then(({ profile }) => profiles.push(profile))
  }
}
const profiles: Array<unknown> = []

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** µs per operation, wall-clock and CPU. */
interface Figure {
  readonly wall: number
  readonly cpu: number
}

/** The median of several timed sections, per operation. */
const medianOf = (sections: ReadonlyArray<Took<unknown>>, ops: number): Figure => ({
  wall: median(sections.map((s) => s.wall / ops)),
  cpu: median(sections.map((s) => s.cpu / ops))
})

const panOf = (bin: string, serial: number): string => {
  const body = bin + String(serial).padStart(15 - bin.length, "0")
  return body + luhnCheckDigit(body)
}

const card = (kitNo: string, serial: number) => ({
  kitNo,
  pan: panOf("608040", serial),
  productId: "2001_PHYSICAL",
  tierType: "CLASSIC",
  cardType: "PHYSICAL" as const,
  expDate: "2029-07-31T00:00:00.000+00:00",
  status: "ACTIVE" as const
})

const product = (productId: string, cardType: "PHYSICAL" | "VIRTUAL", bin: string, plasticCode: string) => ({
  productId,
  productName: productId,
  tierType: "CLASSIC",
  cardType,
  plasticCode,
  bin,
  networkType: "RUPAY",
  cardCategory: "DEBIT" as const,
  validityYears: 5
})

/** One customer, one account, `cards` ACTIVE cards. */
const customerWithCards = (cards: number) => ({
  tenants: {
    [TENANT]: {
      keys: fixtureKeys,
      customers: [
        {
          entityId: "E1",
          mobileNo: "9876543210",
          branchId: "BR001",
          accounts: [
            {
              accountNo: 8_642_135,
              cards: Array.from({ length: cards }, (_, i) => card(`K${String(i).padStart(7, "0")}`, i))
            }
          ]
        }
      ]
    }
  }
})

/** `accounts` customers of one account and one ACTIVE card each, and a catalog to replace them on. */
const accountsWithOneCard = (accounts: number) => ({
  tenants: {
    [TENANT]: {
      keys: fixtureKeys,
      products: [
        product("2001_PHYSICAL", "PHYSICAL", "608040", "4566"),
        product("2001_VIRTUAL", "VIRTUAL", "60804099", "V2001")
      ],
      tierLadder: ["CLASSIC"],
      customers: Array.from({ length: accounts }, (_, i) => ({
        entityId: `E${i}`,
        mobileNo: `9${String(i).padStart(9, "0")}`,
        branchId: "BR001",
        accounts: [{ accountNo: 1_000_000 + i, cards: [card(String(4_000_000_000 + i), i)] }]
      }))
    }
  }
})

/**
 * Keeps the keys this tree's fixture accepts: an older schema refuses a purpose it does not know (an
 * excess property), and a newer one needs panStore and cardNumber beside cards.
 */
const acceptedKeys = async () => {
  const runtime = ManagedRuntime.make(layer(customerWithCards(1)))
  const refused = await runtime.context().then(
    (): Array<string> => [],
    (error: { issues?: ReadonlyArray<{ path: string; message: string }> }) =>
      (error.issues ?? [])
        .filter((issue) => /excess/i.test(issue.message))
        .map((issue) => issue.path.split(".").at(-1)!)
  )
  await runtime.dispose()
  fixtureKeys = Object.fromEntries(Object.entries(KEYS).filter(([purpose]) => !refused.includes(purpose)))
}

const built = async <R, E>(runtime: ManagedRuntime.ManagedRuntime<R, E>) => {
  await runtime.context()
  return runtime
}

/** µs per use case of lockCard + unlockCard of one card: the median of rounds, after one round. */
const lifecycle = async (): Promise<Figure> => {
  const runtime = await built(ManagedRuntime.make(layer(customerWithCards(1))))
  const request = { kitNo: "K0000000", changer: "bench" }
  const loop = Effect.gen(function* () {
    for (let i = 0; i < LIFECYCLE_PAIRS; i++) {
      yield* lockCard(TENANT, request)
      yield* unlockCard(TENANT, request)
    }
  })
  try {
    await runtime.runPromise(loop)
    const rounds: Array<Took<unknown>> = []
    for (let r = 0; r < LIFECYCLE_ROUNDS; r++) rounds.push(await timed(() => runtime.runPromise(loop)))
    return medianOf(rounds, 2 * LIFECYCLE_PAIRS)
  } finally {
    await runtime.dispose()
  }
}

/** µs per card of one manageAllCards LOCK of 1e5 cards: the median of the timed calls. */
const manage = async (): Promise<Figure> => {
  const store = layer(customerWithCards(MANAGE_CARDS))
  const request = {
    entityId: "E1",
    operation: "LOCK",
    reason: "LOST_PHONE",
    changer: "bench",
    channel: "IVR"
  }
  const calls: Array<Took<unknown>> = []
  for (let i = 0; i < MANAGE_WARM_UP + MANAGE_TIMED; i++) {
    // a fresh store per call, built here, outside the timing
    const runtime = await built(ManagedRuntime.make(store))
    const call = await timed(() => runtime.runPromise(manageAllCards(TENANT, request)))
    await runtime.dispose()
    if (call.result.totalCardsManaged !== MANAGE_CARDS)
      throw new Error(`managed ${call.result.totalCardsManaged} of ${MANAGE_CARDS} cards`)
    if (i >= MANAGE_WARM_UP) calls.push(call)
  }
  return medianOf(calls, MANAGE_CARDS)
}

const replaceBody = (i: number) => ({
  correlationId: String(1_000_000 + i),
  oldLoyaltyId: 4_000_000_000 + i,
  status: "LOST_OR_STOLEN",
  ...(i % 2 === 0 ? { newLoyaltyId: String(7_000_000_000 + i) } : {})
})

const replaceRange = (from: number, to: number) =>
  Effect.gen(function* () {
    for (let i = from; i < to; i++) yield* replaceCard(TENANT, replaceBody(i))
  })

/** µs per replaceCard, a fresh account per call, half PHYSICAL and half VIRTUAL, after a warm-up. */
const replace = async (): Promise<Figure> => {
  const runtime = await built(
    ManagedRuntime.make(layer(accountsWithOneCard(REPLACE_WARM_UP + REPLACE_CALLS)))
  )
  try {
    await runtime.runPromise(replaceRange(0, REPLACE_WARM_UP))
    const round = await timed(() =>
      runtime.runPromise(replaceRange(REPLACE_WARM_UP, REPLACE_WARM_UP + REPLACE_CALLS))
    )
    return medianOf([round], REPLACE_CALLS)
  } finally {
    await runtime.dispose()
  }
}

/** card-lifecycle/node's module over the fixture's keys (a fixture's one key has the id "1"), if any. */
type NodeModuleLayer = ReturnType<typeof import("../src/adapters/node/index.js").NodeSecurityModule.layer>

const nodeSecurityModule = async (): Promise<NodeModuleLayer | undefined> => {
  const path = "../src/adapters/node/index.js"
  if (!existsSync(new URL(path.replace(/\.js$/, ".ts"), import.meta.url))) return undefined
  const { NodeSecurityModule } = (await import(path)) as typeof import("../src/adapters/node/index.js")
  const config = {
    [TENANT]: Object.fromEntries(Object.entries(KEYS).map(([purpose, hex]) => [purpose, [{ id: "1", hex }]]))
  }
  return NodeSecurityModule.layer(config)
}

/**
 * µs per setPin and per verifyPin of one ACTIVE card (the envelope opened and the verifier replaced
 * every time): the median of the rounds after one round of warm-up, each module's rounds alternating.
 */
const pin = async (): Promise<Record<string, Figure>> => {
  const memory = layer(customerWithCards(1))
  const node = await nodeSecurityModule()
  type Ports = Layer.Success<typeof memory>
  const runtimes: Record<string, ManagedRuntime.ManagedRuntime<Ports, unknown>> = {
    "": await built(ManagedRuntime.make(memory))
  }
  // Layer.merge: the node module replaces the memory layer's
  if (node !== undefined) runtimes.Node = await built(ManagedRuntime.make(Layer.merge(memory, node)))
  const pinBlock = Effect.runSync(
    encryptPinBlock({
      pin: "4821",
      pan: panOf("608040", 0),
      key: Uint8Array.from(Buffer.from(KEYS.setPin, "hex"))
    })
  )
  const set = { kitNo: "K0000000", pinBlock, expiryDate: "0729", channel: "MOBILE", changer: "bench" }
  const verify = { kitNo: "K0000000", pin: "4821" }
  const loop = <A, E, R>(op: Effect.Effect<A, E, R>) =>
    Effect.gen(function* () {
      for (let i = 0; i < PIN_CALLS; i++) yield* op
    })
  const ops: Record<string, Effect.Effect<void, unknown, Ports>> = {
    setPin: loop(setPin(TENANT, set)),
    verifyPin: loop(
      Effect.flatMap(verifyPin(TENANT, verify), (ok) =>
        ok ? Effect.void : Effect.die(new Error("wrong PIN"))
      )
    )
  }
  const out: Record<string, Figure> = {}
  try {
    for (const [name, op] of Object.entries(ops)) {
      const sections: Record<string, Array<Took<unknown>>> = {}
      for (const [suffix, runtime] of Object.entries(runtimes)) {
        await runtime.runPromise(op) // warm-up; setPin's first round sets the PIN verifyPin checks
        sections[suffix] = []
      }
      for (let r = 0; r < PIN_ROUNDS; r++)
        for (const [suffix, runtime] of Object.entries(runtimes))
          sections[suffix]!.push(await timed(() => runtime.runPromise(op)))
      for (const [suffix, rounds] of Object.entries(sections))
        out[name + suffix] = medianOf(rounds, PIN_CALLS)
    }
  } finally {
    for (const runtime of Object.values(runtimes)) await runtime.dispose()
  }
  return out
}

/**
 * µs per Set PIN V2 envelope opened and per envelope sealed with the portable crypto (@noble), for one
 * card's PAN under the tenant's setPin key: in a tree with the SecurityModule port, through the port
 * of the memory layer (its portable module: `openPinBlock`, `sealPinBlock`); in a tree before the port,
 * `decryptPinBlock` and `encryptPinBlock` with the key's bytes, as its setPin opened an envelope. The
 * median of the rounds after one round of warm-up, the two operations' rounds alternating.
 */
const envelope = async (): Promise<Record<string, Figure>> => {
  const port = "../src/ports/SecurityModule.js"
  const key = Uint8Array.from(Buffer.from(KEYS.setPin, "hex"))
  const pan = panOf("608040", 0)
  const sealed = Effect.runSync(encryptPinBlock({ pin: "4821", pan, key }))
  const runtime = await built(ManagedRuntime.make(layer(customerWithCards(1))))
  let ops: { readonly open: Effect.Effect<unknown, unknown>; readonly seal: Effect.Effect<unknown, unknown> }
  if (existsSync(new URL(port.replace(/\.js$/, ".ts"), import.meta.url))) {
    const { SecurityModule } = (await import(port)) as typeof import("../src/ports/SecurityModule.js")
    const module = await runtime.runPromise(
      Effect.gen(function* () {
        return yield* SecurityModule
      })
    )
    // the port takes the PAN as the card record gives it: Redacted digits
    const heldPan = Redacted.make(pan) as never
    ops = {
      open: module.openPinBlock(TENANT as never, sealed, heldPan),
      seal: module.sealPinBlock(TENANT as never, Redacted.make("4821"), heldPan)
    }
  } else {
    ops = {
      open: decryptPinBlock({ pinBlock: sealed, pan, key }),
      seal: encryptPinBlock({ pin: "4821", pan, key })
    }
  }
  const loop = (op: Effect.Effect<unknown, unknown>) =>
    Effect.gen(function* () {
      for (let i = 0; i < PIN_CALLS; i++) yield* op
    })
  const rounds = { envelopeOpen: [] as Array<Took<unknown>>, envelopeSeal: [] as Array<Took<unknown>> }
  try {
    await runtime.runPromise(loop(ops.open))
    await runtime.runPromise(loop(ops.seal))
    for (let r = 0; r < PIN_ROUNDS; r++) {
      rounds.envelopeOpen.push(await timed(() => runtime.runPromise(loop(ops.open))))
      rounds.envelopeSeal.push(await timed(() => runtime.runPromise(loop(ops.seal))))
    }
  } finally {
    await runtime.dispose()
  }
  return {
    envelopeOpen: medianOf(rounds.envelopeOpen, PIN_CALLS),
    envelopeSeal: medianOf(rounds.envelopeSeal, PIN_CALLS)
  }
}

const figures = { lifecycle, replaceCard: replace, manageAllCards: manage } as const

const main = async () => {
  const chosen = process.argv.slice(2)
  await acceptedKeys()
  // µs per operation: `name` wall-clock, `name.cpu` the process's CPU time
  const out: Record<string, number> = {}
  if (session !== undefined) {
    session.connect()
    await session.post("Profiler.enable")
    await session.post("Profiler.setSamplingInterval", { interval: 100 })
  }
  const record = (name: string, { wall, cpu }: Figure) => {
    out[name] = Number(wall.toFixed(4))
    out[`${name}.cpu`] = Number(cpu.toFixed(4))
  }
  for (const [name, run] of Object.entries(figures))
    if (chosen.length === 0 || chosen.includes(name)) record(name, await run())
  // not among the guarded three: only when asked for
  if (chosen.includes("pin")) for (const [name, figure] of Object.entries(await pin())) record(name, figure)
  if (chosen.includes("envelope"))
    for (const [name, figure] of Object.entries(await envelope())) record(name, figure)
  console.log(`AB ${JSON.stringify(out)}`)
  // one file per timed section: file.cpuprofile, file.2.cpuprofile, …
  for (const [k, profile] of profiles.entries()) {
    const file = k === 0 ? PROFILE! : PROFILE!.replace(/(\.cpuprofile)?$/, `.${k + 1}$1`)
    writeFileSync(file, JSON.stringify(profile))
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
