import { layer } from "../../src/adapters/memory/index.js"
import { portsContract } from "./ports.contract.js"

portsContract("memory adapter", (fixture) => layer(fixture))
