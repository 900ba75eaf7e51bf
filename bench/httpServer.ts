/**
 * The server side of `npm run bench -- http` (bench/http.ts), run in a child process of its own so
 * that the load generator does not share its event loop:
 *
 * - `bare`: a bare `node:http` server that reads the request's body and answers a fixed JSON body
 *   (the shape and size of a lockCard answer): the ceiling of Node on the machine;
 * - `service`: the reference HTTP service (`Http.layer`) on the memory adapter, logging one JSON line
 *   per request through `Http.jsonLogs` on stdout as `npm start` does (the bench sends stdout to
 *   /dev/null), over a fixture sized by the other arguments (`httpFixture`).
 *
 * Both listen on a free loopback port and print `listening on http://127.0.0.1:PORT` on stderr when
 * ready. `npm exec -- tsx bench/httpServer.ts service '{"lockSlots":2,"bulkSlots":0,"upgrades":10}'`
 * runs one by hand.
 */
import { createServer } from "node:http"
import { NodeRuntime } from "@effect/platform-node"
import { Console, Layer } from "effect"
import { HttpServer } from "effect/http"
import * as Http from "../src/adapters/http/index.js"
import { layer as memoryLayer } from "../src/adapters/memory/index.js"
import { type FixtureSize, httpFixture } from "./httpFixture.js"

/** What the bare server answers: a lockCard answer's shape and size. */
const BARE_BODY = JSON.stringify({
  result: {
    kitNo: "4100000000",
    cardNumber: "608040XXXXXX0002",
    previousStatus: "ACTIVE",
    currentStatus: "LOCKED"
  },
  exception: null,
  pagination: null
})

const bare = () => {
  const server = createServer((request, response) => {
    request.on("data", () => {})
    request.on("end", () => {
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(BARE_BODY)
      })
      response.end(BARE_BODY)
    })
  })
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    console.error(
      `listening on http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
    )
  })
  // exit normally, so that --cpu-prof writes its profile
  const stop = () => server.close(() => process.exit(0))
  process.once("SIGTERM", stop)
  process.once("SIGINT", stop)
}

const service = (size: FixtureSize) => {
  const announce = Layer.effectDiscard(
    HttpServer.addressFormattedWith((base) => Console.error(`listening on ${base}`))
  )
  announce.pipe(
    Layer.provideMerge(Http.layer({ port: 0, host: "127.0.0.1" })),
    Layer.provide(memoryLayer(httpFixture(size))),
    Layer.provide(Http.jsonLogs),
    Layer.launch,
    NodeRuntime.runMain
  )
}

const [mode, size] = process.argv.slice(2)
if (mode === "bare") bare()
else if (mode === "service" && size !== undefined) service(JSON.parse(size) as FixtureSize)
else {
  console.error("usage: httpServer.ts bare | service '<FixtureSize as JSON>'")
  process.exitCode = 2
}
