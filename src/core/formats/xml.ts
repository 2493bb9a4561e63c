import { ImportError } from '../errors.ts';

/**
 * A small, strict XML reader that works on the file's bytes and reports byte offsets of every element.
 *
 * Why our own: a RUM report is signed by the device, and every file the workbench emits must carry it
 * byte-for-byte (FORMATS.md), so the importer has to know exactly where each `<RUMReport>` starts and ends in
 * the original bytes. XML libraries (fast-xml-parser, sax…) give values, not byte ranges; `DOMParser` does not
 * exist in workers. This reader is deliberately unable to do anything dangerous: it refuses DTDs outright and
 * knows only the five predefined entities and character references, so entity-expansion and external-entity
 * attacks have nothing to work with.
 */
export interface XmlNode {
  name: string;
  /** Offset of the `<` that opens the start tag. */
  start: number;
  /** Offset just after the `>` that ends the element. */
  end: number;
  /** Offset just after the start tag's `>`. */
  contentStart: number;
  /** Offset of the `<` of the end tag (equals contentStart for `<x/>`). */
  contentEnd: number;
  attributes: Record<string, string>;
  children: XmlNode[];
  /** Direct character data of this element (between child elements), as byte ranges. */
  text: TextPart[];
}

export interface TextPart {
  start: number;
  end: number;
  cdata: boolean;
}

export interface XmlDocument {
  bytes: Uint8Array;
  root: XmlNode;
  /** Comments and processing instructions are skipped; this says whether any were seen (for warnings). */
  hadComments: boolean;
}

export interface XmlLimits {
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 32, maxElements: 2_000_000 };

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const ascii = new TextDecoder('latin1');

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function startsWithAscii(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** First index of an ASCII sequence at or after `from`, or -1. */
export function indexOfAscii(bytes: Uint8Array, text: string, from: number): number {
  const first = text.charCodeAt(0);
  let at = bytes.indexOf(first, from);
  while (at !== -1) {
    if (startsWithAscii(bytes, at, text)) return at;
    at = bytes.indexOf(first, at + 1);
  }
  return -1;
}

const lineStarts = new WeakMap<Uint8Array, Uint32Array>();

/** 1-based line of a byte offset. The newline index is built once per buffer, so many lookups stay cheap. */
export function lineOf(bytes: Uint8Array, offset: number): number {
  let starts = lineStarts.get(bytes);
  if (!starts) {
    const found: number[] = [];
    for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) found.push(i);
    starts = Uint32Array.from(found);
    lineStarts.set(bytes, starts);
  }
  // Number of newlines before the offset, by binary search.
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** Length of a UTF-8 byte-order mark at the start, or 0. */
export function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

export function parseXml(bytes: Uint8Array, where: readonly string[], limits: XmlLimits = DEFAULT_XML_LIMITS): XmlDocument {
  const fail = (at: number, what: string, code: 'xml' | 'truncated' = 'xml'): never => {
    throw new ImportError(
      code,
      where,
      code === 'truncated'
        ? `the XML ends early (line ${lineOf(bytes, at)}: ${what}) — the file was cut short (an incomplete copy or transfer)`
        : `malformed XML at line ${lineOf(bytes, at)}: ${what}`,
    );
  };
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw new ImportError('encoding', where, 'is UTF-16 text; devices write UTF-8 — re-copy the original file from the device');
  }
  let pos = bomLength(bytes);
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  let rootClosed = false;
  let elements = 0;
  let hadComments = false;

  while (pos < bytes.length) {
    const lt = bytes.indexOf(LT, pos);
    const textEnd = lt === -1 ? bytes.length : lt;
    if (textEnd > pos) {
      const top = stack[stack.length - 1];
      if (top) top.text.push({ start: pos, end: textEnd, cdata: false });
      else {
        for (let i = pos; i < textEnd; i++) {
          if (!isSpace(bytes[i])) fail(i, root ? 'text after the end of the document element' : 'text before the document element');
        }
      }
    }
    if (lt === -1) break;
    const next = bytes[lt + 1];
    if (next === QUESTION) {
      const close = indexOfAscii(bytes, '?>', lt + 2);
      if (close === -1) fail(lt, 'unterminated processing instruction', 'truncated');
      pos = close + 2;
      continue;
    }
    if (next === BANG) {
      if (startsWithAscii(bytes, lt, '<!--')) {
        const close = indexOfAscii(bytes, '-->', lt + 4);
        if (close === -1) fail(lt, 'unterminated comment', 'truncated');
        hadComments = true;
        pos = close + 3;
        continue;
      }
      if (startsWithAscii(bytes, lt, '<![CDATA[')) {
        const top = stack[stack.length - 1];
        if (!top) fail(lt, 'CDATA section outside the document element');
        const close = indexOfAscii(bytes, ']]>', lt + 9);
        if (close === -1) fail(lt, 'unterminated CDATA section', 'truncated');
        top!.text.push({ start: lt + 9, end: close, cdata: true });
        pos = close + 3;
        continue;
      }
      if (startsWithAscii(bytes, lt, '<!DOCTYPE') || startsWithAscii(bytes, lt, '<!ENTITY')) {
        fail(lt, 'a document type declaration (DTD) is refused — DTDs can define entities, the basis of XML entity attacks; Cisco files never carry one');
      }
      fail(lt, 'unexpected "<!"');
    }
    if (next === SLASH) {
      let i = lt + 2;
      while (i < bytes.length && bytes[i] !== GT && !isSpace(bytes[i])) i++;
      const name = ascii.decode(bytes.subarray(lt + 2, i));
      while (isSpace(bytes[i])) i++;
      if (i >= bytes.length) fail(lt, `unterminated end tag </${name}`, 'truncated');
      if (bytes[i] !== GT) fail(i, `unexpected character in end tag </${name}>`);
      const open = stack.pop();
      if (!open) fail(lt, `end tag </${name}> without a start tag`);
      if (open!.name !== name) fail(lt, `</${name}> closes <${open!.name}>`);
      open!.contentEnd = lt;
      open!.end = i + 1;
      if (stack.length === 0) rootClosed = true;
      pos = i + 1;
      continue;
    }
    // Start tag or empty-element tag.
    let i = lt + 1;
    while (i < bytes.length && !isSpace(bytes[i]) && bytes[i] !== GT && bytes[i] !== SLASH) i++;
    if (i === lt + 1) fail(lt, 'a "<" that starts no tag (in text it must be written &lt;)');
    const name = ascii.decode(bytes.subarray(lt + 1, i));
    if (rootClosed) fail(lt, `a second document element <${name}>`);
    const node: XmlNode = { name, start: lt, end: -1, contentStart: -1, contentEnd: -1, attributes: {}, children: [], text: [] };
    let selfClosing = false;
    for (;;) {
      while (isSpace(bytes[i])) i++;
      if (i >= bytes.length) fail(lt, `unterminated start tag <${name}`, 'truncated');
      if (bytes[i] === GT) {
        i++;
        break;
      }
      if (bytes[i] === SLASH) {
        if (bytes[i + 1] !== GT) fail(i, `"/" not followed by ">" in <${name}>`);
        selfClosing = true;
        i += 2;
        break;
      }
      const nameStart = i;
      while (i < bytes.length && !isSpace(bytes[i]) && bytes[i] !== EQUALS && bytes[i] !== GT && bytes[i] !== SLASH) i++;
      const attrName = ascii.decode(bytes.subarray(nameStart, i));
      while (isSpace(bytes[i])) i++;
      if (bytes[i] !== EQUALS) fail(i, `attribute ${attrName} of <${name}> has no value`);
      i++;
      while (isSpace(bytes[i])) i++;
      const quote = bytes[i];
      if (quote !== DQUOTE && quote !== SQUOTE) fail(i, `attribute ${attrName} of <${name}> is not quoted`);
      const valueEnd = bytes.indexOf(quote!, i + 1);
      if (valueEnd === -1) fail(i, `unterminated attribute ${attrName}`, 'truncated');
      const raw = bytes.subarray(i + 1, valueEnd);
      if (raw.includes(LT)) fail(i, `"<" inside attribute ${attrName}`);
      if (Object.hasOwn(node.attributes, attrName)) fail(nameStart, `attribute ${attrName} repeated in <${name}>`);
      node.attributes[attrName] = decodeText(raw, where, false);
      i = valueEnd + 1;
    }
    elements++;
    if (elements > limits.maxElements) fail(lt, `more than ${limits.maxElements} elements`);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    node.contentStart = i;
    if (selfClosing) {
      node.contentEnd = i;
      node.end = i;
      if (!parent) rootClosed = true;
    } else {
      stack.push(node);
      if (stack.length > limits.maxDepth) fail(lt, `elements nested more than ${limits.maxDepth} deep`);
    }
    pos = i;
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    throw new ImportError('truncated', where, `the XML ends early: <${open.name}> (line ${lineOf(bytes, open.start)}) is never closed — the file was cut short`);
  }
  if (!root) throw new ImportError('xml', where, 'holds no XML element');
  return { bytes, root, hadComments };
}

/** The decoded direct text of an element: CDATA as written, other text with entity references resolved. */
export function textOf(doc: XmlDocument, node: XmlNode, where: readonly string[]): string {
  let out = '';
  for (const part of node.text) out += decodeText(doc.bytes.subarray(part.start, part.end), where, part.cdata);
  return out;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(raw: Uint8Array, where: readonly string[], cdata: boolean): string {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new ImportError('encoding', where, 'contains bytes that are not valid UTF-8 text');
  }
  if (cdata || !text.includes('&')) return text;
  let out = '';
  let at = 0;
  for (let amp = text.indexOf('&'); amp !== -1; amp = text.indexOf('&', at)) {
    out += text.slice(at, amp);
    const semi = text.indexOf(';', amp);
    const ref = semi === -1 ? '' : text.slice(amp + 1, semi);
    let value: string | undefined;
    if (/^#[0-9]{1,7}$/.test(ref)) value = codePoint(Number.parseInt(ref.slice(1), 10));
    else if (/^#x[0-9a-fA-F]{1,6}$/.test(ref)) value = codePoint(Number.parseInt(ref.slice(2), 16));
    else value = PREDEFINED[ref];
    if (value === undefined) {
      const shown = semi === -1 || semi - amp > 20 ? text.slice(amp, amp + 12) : text.slice(amp, semi + 1);
      throw new ImportError('xml', where, `malformed XML: unknown entity reference "${shown}" (only the five XML entities are read; entities are never expanded)`);
    }
    out += value;
    at = semi + 1;
  }
  return out + text.slice(at);
}

function codePoint(n: number): string | undefined {
  return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : undefined;
}
