/**
 * The seeds' examples over HTTP on the memory adapter with the demo data of `npm start`.
 */
import { seedSuite } from "./seedSuite.js"
import { memoryDemo } from "./support.js"

seedSuite("memory", memoryDemo)
