/**
 * The one masking rule of caller text (src/domain/ground/Masking.ts): what counts as one number, what
 * its masked form is, and that masking never shows more than the first 6 and the last 4 digits of a
 * number, never changes text without such a number, masks masked text to itself, and takes time
 * linear in the text.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { maskCardNumbers, maskDigitRuns, maskDigits } from "../../src/domain/ground/Masking.js"
import { luhnCheckDigit } from "../../src/domain/ground/Pan.js"
import { maskAccountPans } from "../../src/domain/token/AccountPan.js"
import { makePan, maskPan, PanDigits } from "../../src/index.js"

const PAN = "4111111111111111"

// ---- the rule stated plainly, character by character --------------------------------------------

/** A digit is a character that Unicode compatibility (NFKC) reads as one decimal digit. */
const isDigit = (char: string) => /^\p{Nd}$/u.test(char.normalize("NFKC"))
const isLetter = (char: string) => /^\p{L}$/u.test(char)

/** Every code point but the surrogates, each as a string. */
const everyCharacter = function* () {
  for (let code = 0; code <= 0x10ffff; code++)
    if (code < 0xd800 || code > 0xdfff) yield String.fromCodePoint(code)
}

/** The digits 0 to 9 of every decimal numbering system the runtime formats, by their value. */
const numberingSystemDigits = new Map(
  Intl.supportedValuesOf("numberingSystem").flatMap((system) => {
    const digits = Array.from({ length: 10 }, (_, d) =>
      new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false }).format(d)
    )
    return digits.every((d) => [...d].length === 1 && isDigit(d))
      ? digits.map((d, value) => [d, value] as const)
      : []
  })
)

/** What a digit character is worth, when its NFKC form or a numbering system says. */
const valueOf = (char: string): number | undefined => {
  const compatible = char.normalize("NFKC")
  return /^[0-9]$/.test(compatible) ? Number(compatible) : numberingSystemDigits.get(char)
}

/** The masked form of a number's digit values, as DOMAIN.md §2 masks a PAN. */
const maskOf = (values: ReadonlyArray<number>) =>
  values.length >= 12
    ? values.slice(0, 6).join("") + "X".repeat(values.length - 10) + values.slice(-4).join("")
    : "X".repeat(values.length - 4) + values.slice(-4).join("")

/**
 * The rule, character by character: a number starts at a digit and runs over digits and anything
 * but letters up to its last digit before a letter or the end; one of `minDigits` or more is replaced
 * by its masked form.
 */
const reference = (text: string, minDigits: number): string => {
  const chars = [...text]
  let masked = ""
  let i = 0
  while (i < chars.length) {
    if (!isDigit(chars[i] ?? "")) {
      masked += chars[i]
      i++
      continue
    }
    const values: Array<number> = []
    let last = i
    for (let j = i; j < chars.length && !isLetter(chars[j] ?? ""); j++) {
      if (isDigit(chars[j] ?? "")) {
        values.push(valueOf(chars[j] ?? "") ?? Number.NaN)
        last = j
      }
    }
    masked += values.length >= minDigits ? maskOf(values) : chars.slice(i, last + 1).join("")
    i = last + 1
  }
  return masked
}

/** Digits of known value in several scripts: ASCII, full-width, Arabic-Indic, Devanagari, superscript, mathematical. */
const DIGIT_SETS = [
  "0123456789",
  "０１２３４５６７８９",
  "٠١٢٣٤٥٦٧٨٩",
  "०१२३४५६७८९",
  "⁰¹²³⁴⁵⁶⁷⁸⁹",
  "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"
].map((set) => [...set])

const inSet = (set: number, digits: string) => [...digits].map((d) => DIGIT_SETS[set]?.[Number(d)] ?? d)

/** Separators people type or paste: spaces of every kind, punctuation, invisible characters. */
const SEPARATORS = [
  " ",
  "    ",
  "\t",
  "\n",
  "\u00a0",
  "\u2007",
  "\u202f",
  "\u3000",
  ".",
  "/",
  "-",
  "_",
  "\u2013",
  "(",
  ")",
  "+",
  "\u200b",
  "\u2060",
  "\ufeff",
  "\u0301"
]

/** What stands between two digits: nothing, a few separators, or a long run of one. */
const gap = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...SEPARATORS), { maxLength: 4 }).map((s) => s.join("")) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...SEPARATORS), fc.integer({ min: 4, max: 200 }))
      .map(([separator, n]) => separator.repeat(n))
  }
)

/** Text dense in numbers: digits of every set, separators, long gaps, letters (`X` among them), any character. */
const numberText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...DIGIT_SETS.flat()) },
      { weight: 3, arbitrary: gap },
      { weight: 1, arbitrary: fc.constantFrom("X", "a", "é", "Ж", "中") },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 3 }) }
    ),
    { maxLength: 80 }
  )
  .map((pieces) => pieces.join(""))

// ---- the laws -------------------------------------------------------------------------------------

describe("maskCardNumbers", () => {
  it.each([
    ["plain", "4111111111111111"],
    ["groups split by spaces", "4111 1111 1111 1111"],
    ["several spaces", "4111   1111  1111 1111"],
    ["4 spaces", "4111    1111    1111    1111"],
    ["tabs and line breaks", "4111\t1111\n1111\r\n1111"],
    ["dots", "4111.1111.1111.1111"],
    ["no-break spaces", "4111\u00a01111\u202f1111\u20071111"],
    ["zero-width spaces", "4111\u200b1111\u200b1111\u200b1111"],
    ["word joiners and byte order marks", "4\u20601\u20601\u20601\ufeff1111\ufeff1111\ufeff1111"],
    ["slashes", "4111/1111/1111/1111"],
    ["dashes", "4111-1111-1111-1111"],
    ["underscores", "4111_1111_1111_1111"],
    ["a mix", "4111 - 1111/1111._1111"],
    ["a mix of any length", "4111 \u200b - \u00a0 1111 / \ufeff / 1111 ..__.. 1111"],
    ["a long run of spaces", `4111${" ".repeat(1000)}1111 1111 1111`],
    ["a separator between every digit", "4.1.1.1 1 1 1 1-1-1-1-1/1/1/1/1"],
    ["full-width digits", "４１１１ １１１１ １１１１ １１１１"],
    ["Arabic-Indic digits", "٤١١١ ١١١١ ١١١١ ١١١١"],
    ["Devanagari digits", "४१११-११११११११११११"],
    ["mathematical digits", "𝟒𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏"],
    ["superscript digits", "⁴¹¹¹ ¹¹¹¹ ¹¹¹¹ ¹¹¹¹"],
    ["digits of several scripts", "4١１1 ¹१𝟏1 1111 ١١１１"]
  ])("masks a card number written with %s as maskPan masks it", (_, written) => {
    expect(maskCardNumbers(`card ${written}!`)).toBe("card 411111XXXXXX1111!")
    expect(maskPan(makePan(PanDigits.make(PAN)))).toBe("411111XXXXXX1111")
  })

  it("masks a number split by 4 spaces whole, where 3 separators bounded it before", () => {
    expect(maskCardNumbers("lost card 4556    7375 8689 9855")).toBe("lost card 455673XXXXXX9855")
  })

  it("masks 12 to 19 digits, and a longer run that may hold a card number", () => {
    expect(maskCardNumbers("400000000002")).toBe("400000XX0002")
    expect(maskCardNumbers("6011000000000000004")).toBe("601100XXXXXXXXX0004")
    expect(maskCardNumbers("12345678901234567890123")).toBe("123456XXXXXXXXXXXXX0123")
  })

  it("leaves fewer than 12 digits, however far apart or however written, and runs split by a letter, as they are", () => {
    for (const text of [
      "4240181652",
      "+9876543210",
      "4111 1111    111",
      `4111${" ".repeat(1000)}1111\u200b111`,
      "４１１１ １１１１ １１１",
      "411111a111111",
      "4111 1111 111 X 1111",
      "ORD4240181595"
    ])
      expect(maskCardNumbers(text)).toBe(text)
  })

  it("masks each number of a text on its own, and numbers only separators split as one", () => {
    expect(maskCardNumbers("old 4111 1111 1111 1111, new 5500-0000-0000-0004")).toBe(
      "old 411111XXXXXX1111, new 550000XXXXXX0004"
    )
    expect(maskCardNumbers("4111 1111 1111 1111, 5500-0000-0000-0004")).toBe(`411111${"X".repeat(22)}0004`)
  })
})

describe("maskDigits", () => {
  it("shows the digits of any script as ASCII digits, each counted once", () => {
    expect(maskDigits("٤١١١١١١١١١١١١١١١")).toBe("411111XXXXXX1111")
    expect(maskDigits("𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏")).toBe("411111XXXXXX1111")
    expect(maskDigits("５４１２３４５６７")).toBe("XXXXX4567")
  })

  it("reads the digits of every decimal numbering system the runtime formats", () => {
    const systems = Intl.supportedValuesOf("numberingSystem").filter((system) =>
      isDigit(new Intl.NumberFormat(`en-u-nu-${system}`).format(1))
    )
    expect(systems.length).toBeGreaterThan(50)
    for (const system of systems) {
      const written = new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false }).format(
        4111111111111111n
      )
      expect(maskDigits(written), system).toBe("411111XXXXXX1111")
      expect(maskCardNumbers(`card ${written}`), system).toBe("card 411111XXXXXX1111")
    }
  })
})

describe("what the rule counts as a digit, a letter, a separator", { timeout: 60_000 }, () => {
  it("counts as a digit every character that NFKC reads as one decimal digit, at its value", () => {
    let digits = 0
    for (const char of everyCharacter()) {
      if (!isDigit(char)) continue
      digits++
      const value = valueOf(char)
      const masked = maskCardNumbers(char.repeat(12))
      if (value === undefined) expect(masked, char).toMatch(/^([0-9])\1{5}XX\1{4}$/)
      else expect(masked, char).toBe(`${String(value).repeat(6)}XX${String(value).repeat(4)}`)
    }
    expect(digits).toBeGreaterThan(770)
  })

  it("lets every letter end a number, and every other character stand between two digits of one", () => {
    const letters: Array<string> = []
    const others: Array<string> = []
    for (const char of everyCharacter()) {
      if (isDigit(char)) continue
      if (isLetter(char)) letters.push(char)
      else others.push(char)
    }
    // 6 digits on each side of every letter: no 12 in a row
    const split = letters.map((letter) => `411111${letter}111111`).join(" a ")
    expect(maskCardNumbers(split)).toBe(split)
    // every other character between the digits of one number of 12
    expect(maskCardNumbers(`4${others.join("")}11111111111`)).toBe("411111XX1111")
  })
})

describe("maskDigitRuns", () => {
  it("masks runs of the given length up, shorter ones as an account PAN (only the last 4)", () => {
    expect(maskDigitRuns("id 541 234 567", 9)).toBe("id XXXXX4567")
    expect(maskDigitRuns("id 5412    3456\u200b\u200b\u200b\u200b7", 9)).toBe("id XXXXX4567")
    expect(maskDigitRuns("id 54123456", 9)).toBe("id 54123456")
    expect(maskDigits("54123456789")).toBe("XXXXXXX6789")
  })

  it("masks a key of 16 digits 4 spaces apart whole", () => {
    expect(maskDigitRuns("4556    7375    8689    9855", 9)).toBe("455673XXXXXX9855")
  })

  it("is what maskAccountPans applies from 9 digits", () => {
    expect(maskAccountPans("5412.3456.7")).toBe("XXXXX4567")
    expect(maskAccountPans("５４１２ ３４５６ ７")).toBe("XXXXX4567")
  })

  it("is the rule stated character by character, at both thresholds", () => {
    fc.assert(
      fc.property(numberText, fc.constantFrom(9, 12), (text, minDigits) => {
        expect(maskDigitRuns(text, minDigits)).toBe(reference(text, minDigits))
      }),
      { numRuns: 1000 }
    )
  })

  /**
   * A Luhn-valid card number, its digits in any script, any gap between two of them, in text that
   * holds no other digit: every digit of the text is the number's, so no window can match by chance.
   */
  const sentence = fc
    .tuple(
      fc.integer({ min: 11, max: 18 }).chain((n) => fc.stringMatching(new RegExp(`^[1-9][0-9]{${n - 1}}$`))),
      fc.array(fc.nat(DIGIT_SETS.length - 1), { minLength: 19, maxLength: 19 }),
      fc.array(gap, { minLength: 18, maxLength: 18 }),
      fc.string({ unit: "binary" }),
      fc.string({ unit: "binary" })
    )
    .filter(([, , , before, after]) => !/\p{Nd}/u.test((before + after).normalize("NFKC")))
    .map(([body, sets, gaps, before, after]) => {
      const digits = body + luhnCheckDigit(body)
      const written = [...digits]
        .map((d, i) => (inSet(sets[i] ?? 0, d)[0] ?? d) + (i < digits.length - 1 ? (gaps[i] ?? "") : ""))
        .join("")
      return { digits, text: before + written + after }
    })

  /** The text as a person reads its digits: NFKC, every digit as ASCII, only letters and digits. */
  const readAs = (text: string) =>
    [...text.normalize("NFKC")].map((c) => (isDigit(c) ? String(valueOf(c)) : isLetter(c) ? c : "")).join("")

  it("never shows 7 digits of a number in a row: at most its first 6 and its last 4", () => {
    fc.assert(
      fc.property(sentence, ({ digits, text }) => {
        const read = readAs(maskCardNumbers(text))
        for (let i = 0; i + 7 <= digits.length; i++) expect(read).not.toContain(digits.slice(i, i + 7))
        expect(read).toContain(digits.slice(0, 6) + "X".repeat(digits.length - 10) + digits.slice(-4))
      }),
      { numRuns: 500 }
    )
  })

  it("masks masked text to itself, at both thresholds", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          numberText,
          sentence.map((s) => s.text),
          fc.string({ unit: "binary" })
        ),
        fc.constantFrom(9, 12),
        (text, minDigits) => {
          const masked = maskDigitRuns(text, minDigits)
          expect(maskDigitRuns(masked, minDigits)).toBe(masked)
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("changes no text without a run of that many digits", () => {
    fc.assert(
      fc.property(fc.oneof(numberText, fc.string({ unit: "binary" })), (text) => {
        fc.pre(reference(text, 9) === text)
        expect(maskDigitRuns(text, 9)).toBe(text)
      })
    )
  })
})

// megabytes of text: a time limit that a loaded machine cannot miss, as the assertions are on results
describe("masking takes time linear in the text, and a stack of constant size", { timeout: 60_000 }, () => {
  const MB = 1 << 20

  it("masks 1 MB of digits each followed by a long run of separators", () => {
    const separators = `${" \u200b".repeat(31)} `
    const text = `1${separators}`.repeat(MB / 64)
    expect(maskCardNumbers(text)).toBe(`111111${"X".repeat(MB / 64 - 10)}1111${separators}`)
  })

  it("leaves 1 MB of 11-digit numbers, their digits far apart, as it is", () => {
    const middle = "2".padEnd(4000, ".")
    const number = `${"1\u00a0".repeat(5)}${middle}${"3 ".repeat(5)}`
    const count = Math.ceil(MB / (number.length + 1))
    const text = `${number}a`.repeat(count)
    expect(maskCardNumbers(text)).toBe(text)
    expect(maskDigitRuns(text, 9)).toBe("XXXXXXX3333 a".repeat(count))
    const adjacent = `${"1".repeat(11)}${"\u200b".repeat(4000)}a`.repeat(Math.ceil(MB / 4012))
    expect(maskCardNumbers(adjacent)).toBe(adjacent)
  })

  it("leaves two digits a million spaces apart as they are", () => {
    const text = `1${" ".repeat(1_000_000)}1`
    expect(maskCardNumbers(text)).toBe(text)
  })

  it("masks 8 MB of digits as one number: the pass needs no stack that grows with the text", () => {
    expect(maskCardNumbers("1".repeat(8 * MB))).toBe(`111111${"X".repeat(8 * MB - 10)}1111`)
  })

  it("masks 1 MB of digits and single separators, alternating", () => {
    expect(maskCardNumbers("1-".repeat(MB / 2))).toBe(`111111${"X".repeat(MB / 2 - 10)}1111-`)
  })
})
