import { layer } from "../../src/adapters/memory/index.js"
import { portsContract } from "../../src/testing/index.js"

portsContract("memory adapter", (fixture) => layer(fixture))
