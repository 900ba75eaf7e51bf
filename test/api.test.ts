/**
 * The public surface of each entry point, written to `api/<entry>.api.md` and compared on every run:
 * an export added, removed or retyped fails the test until the report is updated
 * (`npx vitest run test/api.test.ts -u`) and the change shows in the diff. Beside it, with the same
 * checker: no type a port declares holds a key (docs/pin-blocks.md, "Security modules").
 */
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("..", import.meta.url))

const entries = [
  { name: "card-lifecycle", file: "src/index.ts" },
  { name: "card-lifecycle/memory", file: "src/adapters/memory/index.ts" },
  { name: "card-lifecycle/node", file: "src/adapters/node/index.ts" },
  { name: "card-lifecycle/postgres", file: "src/adapters/postgres/index.ts" },
  { name: "card-lifecycle/http", file: "src/adapters/http/index.ts" },
  { name: "card-lifecycle/testing", file: "src/testing/index.ts" }
].filter((entry) => existsSync(root + entry.file))

const program = ts.createProgram(
  entries.map((entry) => root + entry.file),
  {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"]
  }
)
const checker = program.getTypeChecker()
const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope

const kindOf = (symbol: ts.Symbol): string => {
  const f = symbol.flags
  if (f & ts.SymbolFlags.Class) return "class"
  if (f & ts.SymbolFlags.Function) return "function"
  if (f & ts.SymbolFlags.Variable) return f & ts.SymbolFlags.TypeAlias ? "const + type" : "const"
  if (f & ts.SymbolFlags.Interface) return "interface"
  if (f & ts.SymbolFlags.TypeAlias) return "type"
  if (f & ts.SymbolFlags.Enum) return "enum"
  if (f & ts.SymbolFlags.Module) return "namespace"
  return "other"
}

/**
 * The checker prints a union's members in the order it first met them, which moves with unrelated
 * changes elsewhere; so every union, at every depth, is printed with its members sorted.
 */
const sortUnions = (text: string): string => {
  // the depth-0 pieces of `text`: its nested groups normalized, split at `,` and `;`
  const segments: Array<string> = []
  const separators: Array<string> = []
  let depth = 0
  let quote: string | undefined
  let start = 0
  let segment = ""
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== undefined) {
      if (c === quote && text[i - 1] !== "\\") quote = undefined
    } else if (c === '"' || c === "'" || c === "`") quote = c
    else if ("([{<".includes(c)) {
      if (depth === 0) {
        segment += text.slice(start, i + 1)
        start = i + 1
      }
      depth++
    } else if (")]}>".includes(c) && !(c === ">" && text[i - 1] === "=")) {
      depth--
      if (depth === 0) {
        segment += sortUnions(text.slice(start, i)) + c
        start = i + 1
      }
    } else if ((c === "," || c === ";") && depth === 0) {
      segments.push(segment + text.slice(start, i))
      separators.push(c)
      segment = ""
      start = i + 1
    }
  }
  segments.push(segment + text.slice(start))
  return segments.map((s, i) => sortMembers(s) + (separators[i] ?? "")).join("")
}

/** Sorts the members of a union whose groups are already normalized; a function's return type only. */
const sortMembers = (segment: string): string => {
  const arrow = depthZeroIndex(segment, "=>")
  if (arrow !== -1) return segment.slice(0, arrow + 2) + sortMembers(segment.slice(arrow + 2))
  // a conditional type's branches are not a union: left as printed
  if (depthZeroIndex(segment, " ? ") !== -1) return segment
  // a member or a parameter (`readonly name?: A | B`): only its type is a union
  const colon = depthZeroIndex(segment, ":")
  if (colon !== -1) return segment.slice(0, colon + 1) + sortMembers(segment.slice(colon + 1))
  const members: Array<string> = []
  let last = 0
  for (let at = depthZeroIndex(segment, "|"); at !== -1; at = depthZeroIndex(segment, "|", last)) {
    members.push(segment.slice(last, at))
    last = at + 1
  }
  members.push(segment.slice(last))
  if (members.length === 1) return segment
  const lead = /^\s*/.exec(segment)![0]
  const trail = /\s*$/.exec(segment)![0]
  return (
    lead +
    members
      .map((m) => m.trim())
      .sort()
      .join(" | ") +
    trail
  )
}

const depthZeroIndex = (text: string, token: string, from = 0): number => {
  let depth = 0
  let quote: string | undefined
  for (let i = from; i < text.length; i++) {
    const c = text[i]!
    if (quote !== undefined) {
      if (c === quote && text[i - 1] !== "\\") quote = undefined
    } else if (c === '"' || c === "'" || c === "`") quote = c
    else if (depth === 0 && text.startsWith(token, i)) return i
    else if ("([{<".includes(c)) depth++
    else if (")]}>".includes(c) && !(c === ">" && text[i - 1] === "=")) depth--
  }
  return -1
}

const show = (type: ts.Type, at: ts.Node) =>
  `\`${sortUnions(checker.typeToString(type, at, flags).replace(/\s+/g, " "))}\``

/** The members of an interface, a class's instances or an object type that our sources declare. */
const members = (type: ts.Type, at: ts.Node): ReadonlyArray<string> => {
  if (type.isUnion() || !(type.flags & ts.TypeFlags.Object)) return []
  return checker
    .getPropertiesOfType(type)
    .filter((p) => p.declarations?.some((d) => d.getSourceFile().fileName.startsWith(`${root}src/`)))
    .map((p) => `  - \`${p.name}\`: ${show(checker.getTypeOfSymbolAtLocation(p, at), at)}`)
}

const byName = (symbols: ReadonlyArray<ts.Symbol>) =>
  [...symbols].sort((a, b) => a.name.localeCompare(b.name, "en"))

const describeExport = (exported: ts.Symbol, prefix = ""): ReadonlyArray<string> => {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
  const kind = kindOf(symbol)
  const name = prefix + exported.name
  // a namespace (`export * as Arbitraries`): each of its exports, by its qualified name
  if (symbol.flags & ts.SymbolFlags.Module)
    return [
      `- \`${name}\` (namespace)`,
      ...byName(checker.getExportsOfModule(symbol)).flatMap((inner) => describeExport(inner, `${name}.`))
    ]
  const at = symbol.declarations?.[0]
  if (at === undefined) return [`- \`${name}\` (${kind})`]
  const value = symbol.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Function | ts.SymbolFlags.Class)
  const declared = checker.getDeclaredTypeOfSymbol(symbol)
  const head = `- \`${name}\` (${kind}): ${show(value ? checker.getTypeOfSymbolAtLocation(symbol, at) : declared, at)}`
  const shape = symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)
  // a port (`Context.Service` class): its instances carry the service's shape as `Service`
  const service = symbol.flags & ts.SymbolFlags.Class ? declared.getProperty("Service") : undefined
  const shown = service === undefined ? declared : checker.getTypeOfSymbolAtLocation(service, at)
  return [head, ...(shape ? members(shown, at) : [])]
}

const report = (entry: { readonly name: string; readonly file: string }): string => {
  const source = program.getSourceFile(root + entry.file)!
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)
  const sorted = byName(exports)
  return [
    `# ${entry.name}`,
    "",
    `${sorted.length} exports.`,
    "",
    ...sorted.flatMap((exported) => describeExport(exported)),
    ""
  ].join("\n")
}

describe("the public surface", () => {
  for (const entry of entries) {
    it(`of ${entry.name} is the one recorded in api/`, async () => {
      const file = `../api/${entry.name.replace("/", ".")}.api.md`
      await expect(report(entry)).toMatchFileSnapshot(file)
    })
  }
})

/**
 * Whether a value of `type` holds a key: a property `hex` (a key's bytes as a host writes them) or a
 * `key` that is not a plain string, at any depth of our own types, their arrays, records and unions.
 */
const holdsKey = (type: ts.Type, seen = new Set<ts.Type>()): boolean => {
  if (seen.has(type)) return false
  seen.add(type)
  if (type.isUnionOrIntersection()) return type.types.some((t) => holdsKey(t, seen))
  if (!(type.flags & ts.TypeFlags.Object)) return false
  if (checker.isArrayType(type) || checker.isTupleType(type))
    return checker.getTypeArguments(type as ts.TypeReference).some((t) => holdsKey(t, seen))
  if (checker.getIndexInfosOfType(type).some((info) => holdsKey(info.type, seen))) return true
  return checker
    .getPropertiesOfType(type)
    .filter(
      // ours, or made by a mapped type (`{ [P in KeyPurpose]?: … }`), which declares no property
      (p) =>
        p.declarations === undefined ||
        p.declarations.some((d) => d.getSourceFile().fileName.startsWith(`${root}src/`))
    )
    .some((p) => {
      const propertyType = checker.getTypeOfSymbol(p)
      if (p.name === "hex") return true
      if (p.name === "key" && !(propertyType.flags & ts.TypeFlags.String)) return true
      return holdsKey(propertyType, seen)
    })
}

describe("the ports", () => {
  it("declare no type that holds a key: the key configuration is the in-process modules' (src/adapters/keys/)", () => {
    const ports = program.getSourceFiles().filter((file) => file.fileName.startsWith(`${root}src/ports/`))
    expect(ports.length).toBeGreaterThan(10)
    const holding = ports.flatMap((file) =>
      checker
        .getExportsOfModule(checker.getSymbolAtLocation(file)!)
        .filter((symbol) => symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))
        .filter((symbol) => holdsKey(checker.getDeclaredTypeOfSymbol(symbol)))
        .map((symbol) => `${file.fileName.slice(root.length)}: ${symbol.name}`)
    )
    expect(holding).toEqual([])
  })

  it("while the walk finds the key configuration's types where they are", () => {
    const file = program.getSourceFile(`${root}src/adapters/keys/KeyConfiguration.ts`)!
    const found = checker
      .getExportsOfModule(checker.getSymbolAtLocation(file)!)
      .filter((symbol) => holdsKey(checker.getDeclaredTypeOfSymbol(symbol)))
      .map((symbol) => symbol.name)
    expect(found.sort()).toEqual(["KeyConfiguration", "KeyEntry"])
  })
})
